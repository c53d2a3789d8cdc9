"""Turn our reply objects into LINE messages (Flex bubbles for cards, quick replies for buttons)."""

from __future__ import annotations

from linebot.v3.messaging import FlexContainer, FlexMessage, Message, QuickReply, TextMessage

from handlers.core.replies import Button, Card, CardRow, Carousel, FileLink, Reply, Text, plain_text
from handlers.texts import web as W

TONE_COLORS = {"normal": "#333333", "muted": "#888888", "alert": "#D93025", "good": "#188038"}
ACCENT = "#06C755"


def action(button: Button) -> dict:
    """Return the LINE action for a button."""
    if button.data is not None:
        return {"type": "postback", "label": button.label, "data": button.data, "displayText": button.label}
    if button.uri is not None:
        return {"type": "uri", "label": button.label, "uri": button.uri}
    return {"type": "message", "label": button.label, "text": button.text}


def quick_reply(buttons: tuple[Button, ...]) -> QuickReply | None:
    """Return LINE quick-reply items for the buttons (None when there are none)."""
    if not buttons:
        return None
    return QuickReply.from_dict({"items": [{"type": "action", "action": action(b)} for b in buttons]})


def _row(row: CardRow) -> dict:
    color = TONE_COLORS.get(row.tone, TONE_COLORS["normal"])
    if not row.value:
        return {"type": "text", "text": row.label, "size": "sm", "color": color, "wrap": True}
    return {
        "type": "box",
        "layout": "baseline",
        "spacing": "sm",
        "contents": [
            {"type": "text", "text": row.label, "size": "sm", "color": "#555555", "flex": 3, "wrap": True},
            {"type": "text", "text": row.value, "size": "sm", "color": color, "flex": 5, "wrap": True},
        ],
    }


def bubble(card: Card) -> dict:
    """Return the Flex bubble JSON of a card."""
    header = [{"type": "text", "text": card.title, "weight": "bold", "size": "md", "wrap": True, "color": "#111111"}]
    if card.subtitle:
        header.append({"type": "text", "text": card.subtitle, "size": "xs", "color": "#888888", "wrap": True})
    data: dict = {
        "type": "bubble",
        "size": "mega",
        "header": {"type": "box", "layout": "vertical", "contents": header, "paddingBottom": "sm"},
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [_row(r) for r in card.rows] or [{"type": "text", "text": "—", "size": "sm", "color": "#888888"}],
        },
    }
    if card.image_url:
        data["hero"] = {"type": "image", "url": card.image_url, "size": "full", "aspectRatio": "1:1", "aspectMode": "cover"}
    if card.buttons:
        data["footer"] = {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [
                {"type": "button", "style": "primary" if i == 0 else "secondary", "height": "sm",
                 "color": ACCENT if i == 0 else "#EEEEEE", "action": action(b)}
                for i, b in enumerate(card.buttons)
            ],
        }
    return data


def render_one(reply: Reply) -> Message:
    """Return one LINE message for one reply."""
    if isinstance(reply, Text):
        return TextMessage(text=reply.text, quickReply=quick_reply(reply.quick_replies))
    if isinstance(reply, Card):
        return FlexMessage(
            altText=_alt(reply.alt_text or reply.title, reply),
            contents=FlexContainer.from_dict(bubble(reply)),
            quickReply=quick_reply(reply.quick_replies),
        )
    if isinstance(reply, Carousel):
        return FlexMessage(
            altText=_alt(reply.alt_text or reply.cards[0].title, reply),
            contents=FlexContainer.from_dict({"type": "carousel", "contents": [bubble(c) for c in reply.cards]}),
            quickReply=quick_reply(reply.quick_replies),
        )
    if isinstance(reply, FileLink):
        card = Card(
            title=reply.title,
            subtitle=reply.filename,
            rows=(CardRow(reply.expires_text, tone="muted"),) + ((CardRow(reply.note),) if reply.note else ()),
            buttons=(Button(W.DOWNLOAD_BUTTON, uri=reply.url),),
        )
        return render_one(card)
    raise TypeError(f"cannot render {type(reply).__name__}")


def _alt(text: str, reply: Reply) -> str:
    """Return the notification text LINE shows for a card (≤ 1,500 characters)."""
    alt = text or plain_text(reply)
    return alt if len(alt) <= 400 else alt[:399] + "…"


def render(replies: list[Reply]) -> list[Message]:
    """Return LINE messages for the replies (at most five, as LINE allows)."""
    if len(replies) > 5:
        raise ValueError("a LINE reply carries at most 5 messages")
    return [render_one(r) for r in replies]


def to_json(messages: list[Message]) -> list[dict]:
    """Return the messages as the JSON LINE receives (for the simulator and logs)."""
    return [m.to_dict() for m in messages]
