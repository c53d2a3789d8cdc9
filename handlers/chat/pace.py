"""Which messages take a while to answer (an export, the whole office's lists), so LINE shows its loading animation."""

from __future__ import annotations

from handlers.chat.catalog import COMMANDS
from handlers.texts import chat as M

ALWAYS_SLOW = {"export"}
SLOW_FOR_THE_OFFICE = {"summary", "not_reported", "overdue", "this_month"}


def takes_a_while(text: str) -> bool:
    """Say whether answering the text likely takes more than about a second (an export, 全所 summaries and lists)."""
    command = COMMANDS.parse(text or "")
    if command.name in ALWAYS_SLOW:
        return True
    return command.name in SLOW_FOR_THE_OFFICE and M.WHOLE_OFFICE in command.args
