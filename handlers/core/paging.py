"""Cut long lists into pages that fit LINE, ending each page with a 更多 button that shows the next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from handlers.core import postbacks
from handlers.core.replies import Button
from handlers.texts import chat as M

T = TypeVar("T")
# About 40 lines of text with day headers; cards hold 20 rows (replies.MAX_CARD_ROWS).
LINES_PER_PAGE = 20


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: its entries, its number (from 0) and how many pages there are."""

    entries: list[T]
    number: int
    pages: int

    @property
    def has_more(self) -> bool:
        return self.number + 1 < self.pages

    def note(self) -> str:
        """Return the line that says which page this is ("" for a one-page list)."""
        if self.pages <= 1:
            return ""
        if self.has_more:
            return M.PAGE_NOTE.format(page=self.number + 1, pages=self.pages)
        return M.PAGE_LAST.format(page=self.number + 1, pages=self.pages)


def page_of(entries: Sequence[T], number: int, size: int = LINES_PER_PAGE) -> Page[T]:
    """Return page `number` of the entries (the last page when the number is past the end)."""
    pages = max(1, -(-len(entries) // size))
    number = min(max(number, 0), pages - 1)
    return Page(list(entries[number * size : (number + 1) * size]), number, pages)


def more_button(command: str, page: Page, args: str, anchor: date | None = None) -> Button | None:
    """Return the 更多 button that re-runs the command for the next page, when there is one and it fits."""
    if not page.has_more:
        return None
    fields = {"c": command, "r": args, "p": page.number + 1, "d": anchor.isoformat() if anchor else None}
    if not postbacks.fits(postbacks.Route.more, **fields):
        return None
    return postbacks.button(M.BUTTON_MORE, postbacks.Route.more, **fields)
