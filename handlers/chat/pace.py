"""What LINE shows the asker while an answer is made: the message marked read (chat mode) and, before a slow
answer (an export, the whole office's lists), the loading animation. Decided here as data; bot/ performs it."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.chat.catalog import COMMANDS
from handlers.core.incoming import Incoming, IncomingKind
from handlers.texts import chat as M

ALWAYS_SLOW = {"export"}
SLOW_FOR_THE_OFFICE = {"summary", "not_reported", "overdue", "this_month"}
LOADING_SECONDS = 20  # LINE ends it at the answer anyway; 5–60 in steps of 5


@dataclass(frozen=True)
class Courtesy:
    """What to show before answering: the message to mark read, and whose chat shows the loading animation."""

    mark_read: str = ""  # the message's markAsReadToken; empty: nothing to mark
    loading_for: str = ""  # the user whose one-to-one chat shows the animation; empty: the answer is quick
    loading_seconds: int = LOADING_SECONDS


def takes_a_while(text: str) -> bool:
    """Say whether answering the text likely takes more than about a second (an export, 全所 summaries and lists)."""
    command = COMMANDS.parse(text or "")
    if command.name in ALWAYS_SLOW:
        return True
    return command.name in SLOW_FOR_THE_OFFICE and M.WHOLE_OFFICE in command.args


def courtesy(incoming: Incoming, chat_mode: bool) -> Courtesy:
    """Decide what LINE shows before the answer: mark read only when the account has chat mode on (LINE refuses
    it otherwise); the animation only in a one-to-one chat, as LINE shows it nowhere else."""
    one_to_one = incoming.group_id is None and bool(incoming.line_user_id)
    slow = one_to_one and incoming.kind == IncomingKind.text and takes_a_while(incoming.text)
    return Courtesy(mark_read=incoming.read_token if chat_mode else "",
                    loading_for=incoming.line_user_id if slow else "")
