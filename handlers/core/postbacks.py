"""Postback data: short query strings (a=report&i=12&o=2024-03&s=done) that are read back without trust."""

from __future__ import annotations

import enum
from urllib.parse import parse_qs, urlencode

from handlers.core.replies import MAX_POSTBACK_DATA, Button


class Route(enum.StrEnum):
    """The action (a=…) a button's postback asks for; the values are in buttons already sent, so they never change."""

    report = "report"  # record a status for an occurrence
    ask = "ask"  # which status? (an item picked from a list)
    undo = "undo"  # take back one's last report
    card = "card"  # show an item's card
    more = "more"  # the next page of a list or of a pushed digest
    nudge = "nudge"  # remind a team of what it has not reported
    onboard = "onboard"  # approve or refuse a request to join
    menu = "menu"  # a rich-menu tab: LINE switched it, nothing to say
    closure = "closure"  # confirm or drop an office closure
    rebind = "rebind"  # move a roster entry to the LINE account that asked
    why = "why"  # explain why an item is late
    why_later = "why_later"  # explain later
    listing = "listing"  # the review's listing of one item
    suggest = "suggest"  # release or keep an item under review


def encode(action: str, **fields: object) -> str:
    """Return postback data for an action and its fields (None fields are left out)."""
    pairs = [("a", action)] + [(k, str(v)) for k, v in fields.items() if v is not None and v != ""]
    return urlencode(pairs)


def fits(action: str, **fields: object) -> bool:
    """Say whether the postback data fits LINE's 300 characters."""
    return len(encode(action, **fields)) <= MAX_POSTBACK_DATA


def button(label: str, action: str, **fields: object) -> Button:
    """Return a postback button (the label is cut to LINE's 20 characters)."""
    return Button(clip_label(label), data=encode(action, **fields))


def decode(data: str) -> dict[str, str]:
    """Return the fields of postback data; anything malformed gives an empty dict."""
    if not data or len(data) > MAX_POSTBACK_DATA:
        return {}
    try:
        parsed = parse_qs(data, keep_blank_values=False, strict_parsing=False, max_num_fields=20)
    except ValueError:
        return {}
    return {k: v[0] for k, v in parsed.items() if v}


def int_field(fields: dict[str, str], name: str) -> int | None:
    """Return a field as a non-negative int, or None when it is missing or not a number."""
    value = fields.get(name, "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def clip_label(label: str, limit: int = 20) -> str:
    """Return a button label of at most `limit` characters, marking a cut with …."""
    return label if len(label) <= limit else label[: limit - 1] + "…"
