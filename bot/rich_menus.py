"""Install the role menus at LINE and keep each linked account's menu matching its role.

`install` draws every page of `handlers.chat.rich_menus`, creates it at LINE (menu, image on the data host,
alias), makes the staff page the default, moves every account planbot had linked to the new menus, and
only then deletes the menus it made before (named `planbot:…`, or recorded in `rich_menus`) and its
aliases that are no longer used. Menus and aliases someone else made are never touched.

`sync` links the role's first page to each linked account whose menu is not that yet, and unlinks the
accounts that are no longer linked to a staff record (they fall back to the default menu). It runs after
each answered event (綁定, an approved 我是 …) and after `planbot staff add/import/unlink`.

Rich menus live in one LINE channel. An office with its own account (`office_id`) has its own menus, made
with its token, for its own staff; `office_id` None is the environment's channel and every office without one.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from linebot.v3.messaging import (
    CreateRichMenuAliasRequest,
    MessageAction,
    PostbackAction,
    RichMenuArea,
    RichMenuBounds,
    RichMenuRequest,
    RichMenuSize,
    RichMenuSwitchAction,
    UpdateRichMenuAliasRequest,
)
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from bot.channels import Channels, office_channels
from bot.line_api import LineApiError, LineSender
from bot.rich_menu_images import draw, find_cjk_font
from bot.sender import Sender
from handlers.chat.rich_menus import (
    DEFAULT_MENU,
    PREFIX,
    MenuAction,
    MenuPage,
    all_pages,
    first_page,
    pages_of,
)
from storage.db import unit_of_work
from storage.models import OfficeChannel, RichMenuLink, RichMenuRecord, Staff

log = logging.getLogger(__name__)
_SYNCING = threading.Lock()  # one sync at a time per process: the answering threads all call it after their events


@dataclass
class InstallReport:
    """What `install` did at LINE."""

    created: list[str] = field(default_factory=list)
    deleted: int = 0
    linked: int = 0
    default: str = ""


@dataclass
class SyncReport:
    """What `sync` did: accounts given their role's menu, accounts put back on the default."""

    linked: int = 0
    unlinked: int = 0
    errors: list[str] = field(default_factory=list)


def write_images(folder: Path, font: str | None = None) -> list[Path]:
    """Draw every page into folder (to look at them before installing); return the files."""
    font_path = find_cjk_font(font)
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for page in all_pages():
        path = folder / f"{page.alias}.png"
        path.write_bytes(draw(page, font_path))
        out.append(path)
    return out


def _action(action: MenuAction):
    if action.kind == "switch":
        return RichMenuSwitchAction(label=action.label, rich_menu_alias_id=action.alias, data=action.data)
    if action.kind == "postback":
        return PostbackAction(label=action.label, data=action.data)
    return MessageAction(label=action.label, text=action.text)


def menu_request(page: MenuPage) -> RichMenuRequest:
    """Return LINE's create-rich-menu request for a page."""
    areas = [
        RichMenuArea(bounds=RichMenuBounds(x=a.x, y=a.y, width=a.width, height=a.height), action=_action(a.action))
        for a in page.areas
    ]
    return RichMenuRequest(
        size=RichMenuSize(width=page.width, height=page.height), selected=True,  # shown open, as people expect
        name=page.name, chat_bar_text=page.chat_bar_text, areas=areas,
    )


def _ok(client: LineSender, what: str, call, expected=()):
    result, data = client.call(what, call, expected)
    if not result.ok and result.status not in expected:
        raise LineApiError(what, result)
    return result, data


def install(client: LineSender, sessions: sessionmaker[Session], now: datetime, font: str | None = None,
            office_id: int | None = None) -> InstallReport:
    """Create every role menu at LINE, switch everyone to them, then delete the menus planbot made before.

    `office_id`: an office with its own LINE account (`client` holds its token); its staff only.
    """
    font_path = find_cjk_font(font)
    images = {page.alias: draw(page, font_path) for page in all_pages()}  # drawn first: no font, no change at LINE
    report = InstallReport()
    api, blob = client.api, client.blob
    with sessions() as session:
        recorded = {r.menu_id for r in session.scalars(select(RichMenuRecord).where(_of(office_id)))}
    _, listed = _ok(client, "rich menu list", lambda: api.get_rich_menu_list_with_http_info())
    old = {m.rich_menu_id for m in listed.richmenus if (m.name or "").startswith(PREFIX + ":")} | recorded
    _, aliases = _ok(client, "rich menu aliases", lambda: api.get_rich_menu_alias_list_with_http_info())
    existing_aliases = {a.rich_menu_alias_id for a in aliases.aliases}
    made: dict[str, str] = {}
    for page in all_pages():
        request = menu_request(page)
        _, created = _ok(client, "create rich menu", lambda r=request: api.create_rich_menu_with_http_info(r))
        menu_id = created.rich_menu_id
        made[page.alias] = menu_id
        report.created.append(page.alias)
        _ok(client, "rich menu image", lambda m=menu_id, a=page.alias: blob.set_rich_menu_image_with_http_info(
            m, body=images[a], _headers={"Content-Type": "image/png"}))
    for alias, menu_id in made.items():
        if alias in existing_aliases:
            _ok(client, "update alias", lambda a=alias, m=menu_id: api.update_rich_menu_alias_with_http_info(
                a, UpdateRichMenuAliasRequest(rich_menu_id=m)))
        else:
            _ok(client, "create alias", lambda a=alias, m=menu_id: api.create_rich_menu_alias_with_http_info(
                CreateRichMenuAliasRequest(rich_menu_alias_id=a, rich_menu_id=m)))
    default = pages_of(DEFAULT_MENU)[0].alias
    _ok(client, "default rich menu", lambda: api.set_default_rich_menu_with_http_info(made[default]))
    report.default = default
    with unit_of_work(sessions) as session:
        session.execute(delete(RichMenuRecord).where(_of(office_id)))
        # Every account of this channel is linked again below, to the new menus.
        session.execute(delete(RichMenuLink).where(RichMenuLink.line_user_id.in_(list(wanted_pages(session, office_id)))))
        if recorded:
            session.execute(delete(RichMenuLink).where(RichMenuLink.menu_id.in_(list(recorded))))
        for alias, menu_id in made.items():
            session.add(RichMenuRecord(page=alias, menu_id=menu_id, created_at=now, office_id=office_id))
    report.linked = sync(client, sessions, now, office_id).linked
    for menu_id in old - set(made.values()):
        _ok(client, "delete rich menu", lambda m=menu_id: api.delete_rich_menu_with_http_info(m), expected={404})
        report.deleted += 1
    for alias in existing_aliases - set(made):
        if alias.startswith(PREFIX + "-"):
            _ok(client, "delete alias", lambda a=alias: api.delete_rich_menu_alias_with_http_info(a), expected={400, 404})
    return report


def _of(office_id: int | None):
    return RichMenuRecord.office_id.is_(None) if office_id is None else RichMenuRecord.office_id == office_id


def wanted_pages(session: Session, office_id: int | None = None) -> dict[str, str]:
    """Return the first page each linked, active staff member's account should show (by LINE user id).

    `office_id`: that office's staff alone (the menus of its own LINE account).
    """
    stmt = select(Staff.line_user_id, Staff.role).where(Staff.line_user_id.is_not(None), Staff.active)
    if office_id is not None:
        stmt = stmt.where(Staff.office_id == office_id)  # office scope: one channel's menus
    else:  # the environment's channel: every office without an account of its own
        stmt = stmt.where(Staff.office_id.not_in(select(OfficeChannel.office_id)))
    return {user: first_page(role).alias for user, role in session.execute(stmt)}


def sync(client: LineSender, sessions: sessionmaker[Session], now: datetime, office_id: int | None = None) -> SyncReport:
    """Link each linked account's role menu where it differs, unlink accounts no longer linked; needs `install` first.

    `office_id`: the menus of that office's own LINE account (`client` holds its token), for its staff alone.
    """
    report = SyncReport()
    with sessions() as session:
        menus = {r.page: r.menu_id for r in session.scalars(select(RichMenuRecord).where(_of(office_id)))}
        if not menus:
            return report
        wanted = wanted_pages(session, office_id)
        # Only accounts linked to this channel's menus are this channel's to unlink.
        have = {r.line_user_id: r.page for r in session.scalars(
            select(RichMenuLink).where(RichMenuLink.menu_id.in_(list(menus.values())) | RichMenuLink.line_user_id.in_(list(wanted))))}
    for user, page in wanted.items():
        if have.get(user) == page or page not in menus:
            continue
        result, _ = client.call("link rich menu", lambda u=user, p=page: client.api.link_rich_menu_id_to_user_with_http_info(u, menus[p]))
        if not result.ok:
            report.errors.append(result.error or "")
            continue
        with unit_of_work(sessions) as session:
            session.merge(RichMenuLink(line_user_id=user, page=page, menu_id=menus[page], linked_at=now))
        report.linked += 1
    for user in set(have) - set(wanted):
        result, _ = client.call("unlink rich menu", lambda u=user: client.api.unlink_rich_menu_id_from_user_with_http_info(u))
        if not result.ok:
            report.errors.append(result.error or "")
            continue
        with unit_of_work(sessions) as session:
            session.execute(delete(RichMenuLink).where(RichMenuLink.line_user_id == user))
        report.unlinked += 1
    return report


def sync_quietly(client: Sender, sessions: sessionmaker[Session], now: datetime, office_id: int | None = None) -> None:
    """Run `sync`, logging instead of raising (after an event: the answer matters more than the menu)."""
    if not client.live:
        return  # the simulator draws the menu from the person's role itself
    try:
        with _SYNCING:
            report = sync(client, sessions, now, office_id)
    except Exception:  # noqa: BLE001 - a menu left as it was is retried after the next event
        log.exception("rich menu sync failed")
        return
    if report.errors:
        log.warning("rich menu sync: %d account(s) not switched: %s", len(report.errors), report.errors[0])


def follow_roster(runtime, office_id: int | None, channels: Channels | None = None) -> None:
    """After a roster change, give the office's linked accounts their role's menu, through its own LINE account.

    An office with a channel of its own has its menus at that account (`install --office`); the others share
    the environment's. Nothing happens where LINE is not configured.
    """
    channels = channels if channels is not None else office_channels(runtime)
    channel = channels.of_office(office_id)
    client = runtime.line_client(token=channel.token) if channel is not None else runtime.line_client()
    if client is None:
        return
    with client:
        sync_quietly(client, runtime.sessions, runtime.clock.now(), office_id if channel is not None else None)
