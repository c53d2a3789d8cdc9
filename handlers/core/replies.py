"""Our own reply objects: what a handler says, independent of LINE (bot/ renders them)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace

from handlers.core.audience import ANYONE, ASKER, Audience

# LINE's limits, kept here so handlers cut long lists themselves instead of LINE refusing them.
MAX_MESSAGES = 5
MAX_TEXT = 5000
MAX_QUICK_REPLIES = 13
MAX_POSTBACK_DATA = 300
MAX_CARD_ROWS = 20
MAX_CAROUSEL = 12


@dataclass(frozen=True)
class Button:
    """A tappable choice: sends `text` as the user (message) or `data` silently (postback)."""

    label: str
    text: str | None = None
    data: str | None = None
    uri: str | None = None

    def __post_init__(self) -> None:
        if len(self.label) > 20:
            raise ValueError(f"button label over 20 characters: {self.label}")
        if self.data is not None and len(self.data) > MAX_POSTBACK_DATA:
            raise ValueError("postback data over 300 characters")
        if sum(x is not None for x in (self.text, self.data, self.uri)) != 1:
            raise ValueError("a button sends exactly one of text, data or uri")


@dataclass(frozen=True)
class Text:
    """A plain text message, with optional quick-reply buttons under it."""

    text: str
    quick_replies: tuple[Button, ...] = ()
    audience: Audience = field(default=ANYONE, compare=False, repr=False)  # who may read it (handlers/core/audience.py)

    def __post_init__(self) -> None:
        if len(self.text) > MAX_TEXT:
            raise ValueError("text over 5000 characters")
        if len(self.quick_replies) > MAX_QUICK_REPLIES:
            raise ValueError("more than 13 quick replies")


@dataclass(frozen=True)
class CardRow:
    """One line of a card: a label on the left, a value on the right, optionally emphasised."""

    label: str
    value: str = ""
    tone: str = "normal"  # normal, muted, alert, good


@dataclass(frozen=True)
class Card:
    """A titled card (a LINE Flex bubble): rows of facts and buttons at the bottom."""

    title: str
    subtitle: str = ""
    rows: tuple[CardRow, ...] = ()
    buttons: tuple[Button, ...] = ()
    alt_text: str = ""
    quick_replies: tuple[Button, ...] = ()
    image_url: str = ""  # a picture above the card (https, as LINE requires), e.g. a requester's profile picture
    audience: Audience = field(default=ANYONE, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.image_url and (not self.image_url.startswith("https://") or len(self.image_url) > 2000):
            raise ValueError("a card's picture must be an https URL of at most 2000 characters")
        if len(self.rows) > MAX_CARD_ROWS:
            raise ValueError("card with more than 20 rows")
        if len(self.buttons) > 4:
            raise ValueError("card with more than 4 buttons")


@dataclass(frozen=True)
class Carousel:
    """Several cards side by side (at most 12)."""

    cards: tuple[Card, ...]
    alt_text: str = ""
    quick_replies: tuple[Button, ...] = ()
    audience: Audience = field(default=ANYONE, compare=False, repr=False)  # its cards' audiences count too

    def __post_init__(self) -> None:
        if not 1 <= len(self.cards) <= MAX_CAROUSEL:
            raise ValueError("a carousel holds 1 to 12 cards")


@dataclass(frozen=True)
class FileLink:
    """A link to a generated file (e.g. the exported control table)."""

    title: str
    url: str
    filename: str
    expires_text: str
    note: str = ""
    audience: Audience = field(default=ASKER, compare=False, repr=False)  # a one-time link acts as the asker


Reply = Text | Card | Carousel | FileLink


class ReplyType(enum.StrEnum):
    """The `type` of a reply as data (`to_dict`): what stored payloads (deliveries, private answers) carry."""

    text = "text"
    card = "card"
    carousel = "carousel"
    filelink = "filelink"


REPLY_TYPES: dict[type, ReplyType] = {Text: ReplyType.text, Card: ReplyType.card, Carousel: ReplyType.carousel,
                                      FileLink: ReplyType.filelink}


@dataclass
class Replies:
    """An ordered list of replies that refuses to grow past LINE's five messages."""

    items: list[Reply] = field(default_factory=list)

    def add(self, reply: Reply) -> None:
        if len(self.items) >= MAX_MESSAGES:
            raise ValueError("more than 5 messages in one reply")
        self.items.append(reply)


def to_dict(reply: Reply) -> dict:
    """Return the reply as plain JSON-able data, with its type named (for `planbot say --json` and stored payloads).

    Who may read it is not stored: a stored reply goes to the one recipient it was decided for.
    """
    data = asdict(reply, dict_factory=lambda pairs: {k: v for k, v in pairs if k != "audience"})
    data["type"] = REPLY_TYPES[type(reply)].value
    return data


def seen_by(audience: Audience, replies: list[Reply]) -> list[Reply]:
    """Return the replies marked as showing what only `audience` may read (besides what each already shows)."""
    if audience == ANYONE:
        return replies
    return [replace(r, audience=r.audience | audience) for r in replies]


def audience_of(replies: Iterable[Reply]) -> Audience:
    """Return who may read the whole answer: what every reply (and every card of a carousel) allows."""
    seen = ANYONE
    for reply in replies:
        seen |= reply.audience
        for card in getattr(reply, "cards", ()):
            seen |= card.audience
    return seen


def plain_text(reply: Reply) -> str:
    """Return what a person would read in the reply, as text (for the terminal and for tests)."""
    if isinstance(reply, Text):
        lines = [reply.text]
        buttons = reply.quick_replies
    elif isinstance(reply, Card):
        lines = [f"【{reply.title}】"] + ([reply.subtitle] if reply.subtitle else [])
        lines += [f"{r.label}　{r.value}".rstrip() for r in reply.rows]
        buttons = reply.buttons + reply.quick_replies
    elif isinstance(reply, Carousel):
        return "\n\n".join(plain_text(c) for c in reply.cards) + _buttons_line(reply.quick_replies)
    else:
        lines = [f"【{reply.title}】", reply.url, reply.expires_text] + ([reply.note] if reply.note else [])
        buttons = ()
    return "\n".join(lines) + _buttons_line(buttons)


def _buttons_line(buttons: tuple[Button, ...]) -> str:
    return ("\n" + " ".join(f"[{b.label}]" for b in buttons)) if buttons else ""
