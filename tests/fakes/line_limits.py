"""LINE's message limits that messaging-api.yml does not state, checked the way LINE counts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .line_openapi import SpecError, compact_json

MAX_MESSAGES = 5
MAX_MULTICAST_TO = 500
MAX_TEXT = 5000
MAX_QUICK_REPLY_ITEMS = 13
MAX_ACTION_LABEL = 20
MAX_FLEX_ALT_TEXT = 1500
MAX_TEMPLATE_ALT_TEXT = 400
# LINE writes "30 KB" / "50 KB"; 1 KB = 1,000 bytes is the stricter reading, so what passes here
# also passes at LINE.
MAX_BUBBLE_BYTES = 30_000
MAX_CAROUSEL_BYTES = 50_000
MAX_CAROUSEL_BUBBLES = 12
MAX_POSTBACK_DATA = 300
MAX_POSTBACK_DISPLAY_TEXT = 300
MAX_TEMPLATE_COLUMNS = 10


def utf16_len(text: str) -> int:
    """Count text as LINE does: in UTF-16 code units, so an emoji outside the BMP counts 2."""
    return len(text.encode("utf-16-le")) // 2


def limit_errors(operation: str, body: Any) -> list[SpecError]:
    """Return the LINE limits body breaks for operation (reply/push/multicast/broadcast)."""
    if not isinstance(body, dict):
        return []
    errors: list[SpecError] = []
    messages = body.get("messages")
    if isinstance(messages, list):
        if not 1 <= len(messages) <= MAX_MESSAGES:
            errors.append(SpecError("messages", f"Size must be between 1 and {MAX_MESSAGES}"))
        for i, message in enumerate(messages):
            if isinstance(message, dict):
                errors.extend(_message_errors(f"messages[{i}]", message))
    to = body.get("to")
    if operation == "multicast" and isinstance(to, list) and len(to) > MAX_MULTICAST_TO:
        errors.append(SpecError("to", f"Size must be between 1 and {MAX_MULTICAST_TO}"))
    errors.extend(_postback_errors("", body))
    return errors


def _too_long(path: str, value: Any, limit: int) -> list[SpecError]:
    if isinstance(value, str) and utf16_len(value) > limit:
        return [SpecError(path, f"Length must be between 0 and {limit}")]
    return []


def _message_errors(path: str, message: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    kind = message.get("type")
    if kind in ("text", "textV2"):
        errors += _too_long(f"{path}.text", message.get("text"), MAX_TEXT)
    elif kind == "flex":
        errors += _too_long(f"{path}.altText", message.get("altText"), MAX_FLEX_ALT_TEXT)
        errors += _flex_container_errors(f"{path}.contents", message.get("contents"))
    elif kind == "template":
        errors += _too_long(f"{path}.altText", message.get("altText"), MAX_TEMPLATE_ALT_TEXT)
        errors += _template_errors(f"{path}.template", message.get("template"))
    quick = message.get("quickReply")
    items = quick.get("items") if isinstance(quick, dict) else None
    if isinstance(items, list):
        if len(items) > MAX_QUICK_REPLY_ITEMS:
            errors.append(
                SpecError(f"{path}.quickReply.items", f"Size must be between 0 and {MAX_QUICK_REPLY_ITEMS}")
            )
        for j, item in enumerate(items):
            action = item.get("action") if isinstance(item, dict) else None
            if isinstance(action, dict):
                label_path = f"{path}.quickReply.items[{j}].action.label"
                errors += _too_long(label_path, action.get("label"), MAX_ACTION_LABEL)
    return errors


def _flex_container_errors(path: str, container: Any) -> list[SpecError]:
    if not isinstance(container, dict):
        return []
    errors: list[SpecError] = []
    if container.get("type") == "bubble":
        errors += _bubble_errors(path, container)
    elif container.get("type") == "carousel":
        bubbles = container.get("contents")
        if isinstance(bubbles, list):
            if len(bubbles) > MAX_CAROUSEL_BUBBLES:
                errors.append(
                    SpecError(f"{path}.contents", f"Size must be between 1 and {MAX_CAROUSEL_BUBBLES}")
                )
            for k, bubble in enumerate(bubbles):
                if isinstance(bubble, dict):
                    errors += _bubble_errors(f"{path}.contents[{k}]", bubble)
        size = len(compact_json(container))
        if size > MAX_CAROUSEL_BYTES:
            errors.append(SpecError(path, f"The carousel is {size} bytes; the limit is {MAX_CAROUSEL_BYTES}"))
    return errors


def _bubble_errors(path: str, bubble: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    size = len(compact_json(bubble))
    if size > MAX_BUBBLE_BYTES:
        errors.append(SpecError(path, f"The bubble is {size} bytes; the limit is {MAX_BUBBLE_BYTES}"))
    for sub_path, node in _walk(path, bubble):
        # The spec leaves FlexText.text optional because `contents` (spans) may replace it.
        if node.get("type") == "text" and "text" not in node and "contents" not in node:
            errors.append(SpecError(f"{sub_path}.text", "must be specified"))
    return errors


def _template_errors(path: str, template: Any) -> list[SpecError]:
    if not isinstance(template, dict):
        return []
    errors: list[SpecError] = []
    kind = template.get("type")
    if kind == "buttons":
        errors += _too_long(f"{path}.title", template.get("title"), 40)
        short = "title" in template or "thumbnailImageUrl" in template
        errors += _too_long(f"{path}.text", template.get("text"), 60 if short else 160)
        errors += _actions_errors(f"{path}.actions", template.get("actions"), 1, 4)
    elif kind == "confirm":
        errors += _too_long(f"{path}.text", template.get("text"), 240)
        errors += _actions_errors(f"{path}.actions", template.get("actions"), 2, 2)
    elif kind in ("carousel", "image_carousel"):
        columns = template.get("columns")
        if isinstance(columns, list):
            if not 1 <= len(columns) <= MAX_TEMPLATE_COLUMNS:
                errors.append(
                    SpecError(f"{path}.columns", f"Size must be between 1 and {MAX_TEMPLATE_COLUMNS}")
                )
            counts = set()
            for k, column in enumerate(columns):
                if not isinstance(column, dict):
                    continue
                col = f"{path}.columns[{k}]"
                if kind == "carousel":
                    errors += _too_long(f"{col}.title", column.get("title"), 40)
                    short = "title" in column or "thumbnailImageUrl" in column
                    errors += _too_long(f"{col}.text", column.get("text"), 60 if short else 120)
                    errors += _actions_errors(f"{col}.actions", column.get("actions"), 1, 3)
                    counts.add(len(column.get("actions") or []))
                else:
                    action = column.get("action")
                    if isinstance(action, dict):
                        errors += _too_long(f"{col}.action.label", action.get("label"), 12)
            if len(counts) > 1:
                errors.append(
                    SpecError(f"{path}.columns", "All columns must have the same number of actions")
                )
    return errors


def _actions_errors(path: str, actions: Any, least: int, most: int) -> list[SpecError]:
    if not isinstance(actions, list):
        return []
    errors = []
    if not least <= len(actions) <= most:
        errors.append(SpecError(path, f"Size must be between {least} and {most}"))
    for k, action in enumerate(actions):
        if isinstance(action, dict):
            errors += _too_long(f"{path}[{k}].label", action.get("label"), MAX_ACTION_LABEL)
    return errors


def _postback_errors(path: str, body: dict[str, Any]) -> list[SpecError]:
    errors: list[SpecError] = []
    for sub_path, node in _walk(path, body):
        if node.get("type") == "postback":
            errors += _too_long(f"{sub_path}.data", node.get("data"), MAX_POSTBACK_DATA)
            errors += _too_long(f"{sub_path}.displayText", node.get("displayText"), MAX_POSTBACK_DISPLAY_TEXT)
    return errors


def _walk(path: str, node: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every object under node with its LINE-style property path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from _walk(f"{path}.{key}" if path else key, value)
    elif isinstance(node, list):
        for k, value in enumerate(node):
            yield from _walk(f"{path}[{k}]", value)
