"""The fake LINE API's rich menus, aliases, per-user links, loading animation and mark-as-read.

As LINE documents them: a menu's image is uploaded once, on the data host only (JPEG or PNG, else 415;
at most 1 MB; its pixel size that of the menu); an alias, a default or a user link needs a menu that has
its image; deleting a menu unlinks it everywhere; 1,000 menus per channel.
"""

from __future__ import annotations

import io
import re
import threading
import uuid
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 1_000_000
MAX_MENUS = 1000
MAX_AREAS = 20
IMAGE_TYPES = {"image/png": "PNG", "image/jpeg": "JPEG"}

ROUTES: list[tuple[str, re.Pattern[str], str]] = [
    ("POST", re.compile(r"^/v2/bot/richmenu$"), "richmenu_create"),
    ("POST", re.compile(r"^/v2/bot/richmenu/validate$"), "richmenu_validate"),
    ("GET", re.compile(r"^/v2/bot/richmenu/list$"), "richmenu_list"),
    ("GET", re.compile(r"^/v2/bot/richmenu/alias/list$"), "alias_list"),
    ("POST", re.compile(r"^/v2/bot/richmenu/alias$"), "alias_create"),
    ("GET", re.compile(r"^/v2/bot/richmenu/alias/(?P<alias_id>[^/]+)$"), "alias_get"),
    ("POST", re.compile(r"^/v2/bot/richmenu/alias/(?P<alias_id>[^/]+)$"), "alias_update"),
    ("DELETE", re.compile(r"^/v2/bot/richmenu/alias/(?P<alias_id>[^/]+)$"), "alias_delete"),
    ("POST", re.compile(r"^/v2/bot/richmenu/bulk/link$"), "bulk_link"),
    ("POST", re.compile(r"^/v2/bot/richmenu/bulk/unlink$"), "bulk_unlink"),
    ("POST", re.compile(r"^/v2/bot/richmenu/(?P<menu_id>[^/]+)/content$"), "richmenu_image"),
    ("GET", re.compile(r"^/v2/bot/richmenu/(?P<menu_id>[^/]+)/content$"), "richmenu_image_get"),
    ("GET", re.compile(r"^/v2/bot/richmenu/(?P<menu_id>[^/]+)$"), "richmenu_get"),
    ("DELETE", re.compile(r"^/v2/bot/richmenu/(?P<menu_id>[^/]+)$"), "richmenu_delete"),
    ("POST", re.compile(r"^/v2/bot/user/all/richmenu/(?P<menu_id>[^/]+)$"), "default_set"),
    ("GET", re.compile(r"^/v2/bot/user/all/richmenu$"), "default_get"),
    ("DELETE", re.compile(r"^/v2/bot/user/all/richmenu$"), "default_cancel"),
    ("POST", re.compile(r"^/v2/bot/user/(?P<user_id>[^/]+)/richmenu/(?P<menu_id>[^/]+)$"), "user_link"),
    ("GET", re.compile(r"^/v2/bot/user/(?P<user_id>[^/]+)/richmenu$"), "user_get"),
    ("DELETE", re.compile(r"^/v2/bot/user/(?P<user_id>[^/]+)/richmenu$"), "user_unlink"),
    ("POST", re.compile(r"^/v2/bot/chat/loading/start$"), "loading"),
    ("POST", re.compile(r"^/v2/bot/chat/markAsRead$"), "mark_as_read"),
]
DATA_HOST_OPERATIONS = {"richmenu_image", "richmenu_image_get"}


@dataclass
class FakeRichMenu:
    """A menu as the fake holds it: LINE's object, and its image once uploaded."""

    body: dict[str, Any]
    image: bytes | None = None
    content_type: str = ""


@dataclass
class RichMenuState:
    """Everything the rich-menu endpoints change, inspected by tests."""

    menus: dict[str, FakeRichMenu] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    default: str | None = None
    user_menus: dict[str, str] = field(default_factory=dict)
    loading: list[dict[str, Any]] = field(default_factory=list)
    marked_read: list[str] = field(default_factory=list)
    read_tokens: set[str] = field(default_factory=set)  # tokens a webhook handed out (None: accept any)

    def menu_of(self, user_id: str) -> str | None:
        """Return the menu the user sees: theirs, else the default."""
        return self.user_menus.get(user_id, self.default)

    def named(self, menu_id: str | None) -> str | None:
        return None if menu_id is None or menu_id not in self.menus else self.menus[menu_id].body.get("name")


def limit_errors(operation: str, body: Any) -> list[tuple[str, str]]:
    """Return (property, message) for the rich-menu limits the spec leaves out."""
    if not isinstance(body, dict):
        return []
    errors = []
    if operation in ("richmenu_create", "richmenu_validate"):
        size = body.get("size") or {}
        width, height = size.get("width", 0), size.get("height", 0)
        if not 800 <= width <= 2500:
            errors.append(("size.width", "must be between 800 and 2500"))
        if height < 250 or (height and width / height < 1.45):
            errors.append(("size.height", "must be at least 250 and at most width / 1.45"))
        areas = body.get("areas") or []
        if len(areas) > MAX_AREAS:
            errors.append(("areas", f"Size must be between 0 and {MAX_AREAS}"))
        for i, area in enumerate(areas):
            b = area.get("bounds") or {}
            if b.get("x", 0) + b.get("width", 0) > width or b.get("y", 0) + b.get("height", 0) > height:
                errors.append((f"areas[{i}].bounds", "must be inside the rich menu"))
            action = area.get("action") or {}
            label = action.get("label")
            if isinstance(label, str) and len(label) > 20:
                errors.append((f"areas[{i}].action.label", "Length must be between 0 and 20"))
            if action.get("type") == "richmenuswitch" and "data" not in action:
                errors.append((f"areas[{i}].action.data", "must be specified"))
    if operation in ("bulk_link", "bulk_unlink") and len(body.get("userIds") or []) > 500:
        errors.append(("userIds", "Size must be between 1 and 500"))
    if operation == "loading":
        seconds = body.get("loadingSeconds", 20)
        if isinstance(seconds, int) and seconds % 5:
            errors.append(("loadingSeconds", "must be a multiple of 5"))
    return errors


class RichMenuOps:
    """The rich-menu operations of FakeLineAPI (a mixin: it answers with the fake's own `_Answer`/`_error`)."""

    rich: RichMenuState
    _lock: threading.RLock

    def _answer_of(self, status: int, body: Any = None) -> Any:
        raise NotImplementedError

    def _fail_of(self, status: int, message: str) -> Any:
        raise NotImplementedError

    def _menu_with_image(self, menu_id: str) -> Any | None:
        menu = self.rich.menus.get(menu_id)
        if menu is None:
            return self._fail_of(404, "Not found")
        if menu.image is None:
            return self._fail_of(400, "must upload richmenu image before applying it to user")
        return None

    def _op_richmenu_create(self, record) -> Any:
        with self._lock:
            if len(self.rich.menus) >= MAX_MENUS:
                return self._fail_of(400, "The number of rich menus has reached the upper limit")
            menu_id = "richmenu-" + uuid.uuid4().hex
            self.rich.menus[menu_id] = FakeRichMenu(dict(record.json))
        return self._answer_of(200, {"richMenuId": menu_id})

    def _op_richmenu_validate(self, record) -> Any:
        return self._answer_of(200, {})

    def _op_richmenu_list(self, record) -> Any:
        with self._lock:
            menus = [{"richMenuId": k, **m.body} for k, m in self.rich.menus.items()]
        return self._answer_of(200, {"richmenus": menus})

    def _op_richmenu_get(self, record, menu_id: str) -> Any:
        with self._lock:
            menu = self.rich.menus.get(menu_id)
        return self._answer_of(200, {"richMenuId": menu_id, **menu.body}) if menu else self._fail_of(404, "Not found")

    def _op_richmenu_delete(self, record, menu_id: str) -> Any:
        with self._lock:
            if self.rich.menus.pop(menu_id, None) is None:
                return self._fail_of(404, "Not found")
            # Deleting a menu unlinks it from its users and the default; aliases to it stop working.
            self.rich.user_menus = {u: m for u, m in self.rich.user_menus.items() if m != menu_id}
            if self.rich.default == menu_id:
                self.rich.default = None
            self.rich.aliases = {a: m for a, m in self.rich.aliases.items() if m != menu_id}
        return self._answer_of(200, {})

    def _op_richmenu_image(self, record, menu_id: str) -> Any:
        content_type = record.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type not in IMAGE_TYPES:
            return self._fail_of(415, "Unsupported Media Type")
        if len(record.body) > MAX_IMAGE_BYTES:
            return self._fail_of(400, "The image size is too large (max 1 MB)")
        try:
            image = Image.open(io.BytesIO(record.body))
            kind, size = image.format, image.size
        except (UnidentifiedImageError, OSError):
            return self._fail_of(400, "The image could not be read")
        if kind != IMAGE_TYPES[content_type]:
            return self._fail_of(400, "The image does not match its Content-Type")
        with self._lock:
            menu = self.rich.menus.get(menu_id)
            if menu is None:
                return self._fail_of(404, "Not found")
            if menu.image is not None:
                return self._fail_of(400, "An image has already been uploaded to the richmenu")
            want = (menu.body["size"]["width"], menu.body["size"]["height"])
            if size != want:
                return self._fail_of(400, f"The image size {size[0]}x{size[1]} does not match the rich menu's {want[0]}x{want[1]}")
            menu.image, menu.content_type = record.body, content_type
        return self._answer_of(200, {})

    def _op_richmenu_image_get(self, record, menu_id: str) -> Any:
        with self._lock:
            menu = self.rich.menus.get(menu_id)
        if menu is None or menu.image is None:
            return self._fail_of(404, "Not found")
        return self._answer_of(200, menu.image, menu.content_type)

    def _op_alias_list(self, record) -> Any:
        with self._lock:
            aliases = [{"richMenuAliasId": a, "richMenuId": m} for a, m in self.rich.aliases.items()]
        return self._answer_of(200, {"aliases": aliases})

    def _op_alias_create(self, record) -> Any:
        alias, menu_id = record.json["richMenuAliasId"], record.json["richMenuId"]
        with self._lock:
            if alias in self.rich.aliases:
                return self._fail_of(400, "conflict richmenu alias id")
            problem = self._menu_with_image(menu_id)
            if problem is not None:
                return problem
            self.rich.aliases[alias] = menu_id
        return self._answer_of(200, {})

    def _op_alias_get(self, record, alias_id: str) -> Any:
        with self._lock:
            menu_id = self.rich.aliases.get(alias_id)
        if menu_id is None:
            return self._fail_of(404, "Not found")
        return self._answer_of(200, {"richMenuAliasId": alias_id, "richMenuId": menu_id})

    def _op_alias_update(self, record, alias_id: str) -> Any:
        with self._lock:
            if alias_id not in self.rich.aliases:
                return self._fail_of(400, "richmenu alias not found")
            problem = self._menu_with_image(record.json["richMenuId"])
            if problem is not None:
                return problem
            self.rich.aliases[alias_id] = record.json["richMenuId"]
        return self._answer_of(200, {})

    def _op_alias_delete(self, record, alias_id: str) -> Any:
        with self._lock:
            if self.rich.aliases.pop(alias_id, None) is None:
                return self._fail_of(400, "richmenu alias not found")
        return self._answer_of(200, {})

    def _op_default_set(self, record, menu_id: str) -> Any:
        with self._lock:
            problem = self._menu_with_image(menu_id)
            if problem is not None:
                return problem
            self.rich.default = menu_id
        return self._answer_of(200, {})

    def _op_default_get(self, record) -> Any:
        with self._lock:
            menu_id = self.rich.default
        return self._answer_of(200, {"richMenuId": menu_id}) if menu_id else self._fail_of(404, "Not found")

    def _op_default_cancel(self, record) -> Any:
        with self._lock:
            self.rich.default = None
        return self._answer_of(200, {})

    def _op_user_link(self, record, user_id: str, menu_id: str) -> Any:
        with self._lock:
            problem = self._menu_with_image(menu_id)
            if problem is not None:
                return problem
            self.rich.user_menus[user_id] = menu_id
        return self._answer_of(200, {})

    def _op_user_get(self, record, user_id: str) -> Any:
        with self._lock:
            menu_id = self.rich.user_menus.get(user_id)
        return self._answer_of(200, {"richMenuId": menu_id}) if menu_id else self._fail_of(404, "Not found")

    def _op_user_unlink(self, record, user_id: str) -> Any:
        with self._lock:
            self.rich.user_menus.pop(user_id, None)
        return self._answer_of(200, {})

    def _op_bulk_link(self, record) -> Any:
        with self._lock:
            problem = self._menu_with_image(record.json["richMenuId"])
            if problem is not None:
                return problem
            for user in record.json["userIds"]:
                self.rich.user_menus[user] = record.json["richMenuId"]
        return self._answer_of(202, {})

    def _op_bulk_unlink(self, record) -> Any:
        with self._lock:
            for user in record.json["userIds"]:
                self.rich.user_menus.pop(user, None)
        return self._answer_of(202, {})

    def _op_loading(self, record) -> Any:
        chat = record.json["chatId"]
        if not chat.startswith("U"):
            return self._fail_of(400, "An invalid chat ID is specified")
        with self._lock:
            self.rich.loading.append(dict(record.json))
        return self._answer_of(202, {})

    def _op_mark_as_read(self, record) -> Any:
        token = record.json["markAsReadToken"]
        with self._lock:
            if self.rich.read_tokens and token not in self.rich.read_tokens:
                return self._fail_of(400, "An invalid markAsReadToken is specified")
            self.rich.marked_read.append(token)
        return self._answer_of(200, {})
