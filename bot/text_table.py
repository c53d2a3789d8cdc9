"""Align columns of Chinese text in a terminal (CJK characters take two cells)."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    """Return how many terminal cells the text takes."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def clip(text: str, cells: int) -> str:
    """Cut the text to at most `cells` terminal cells, marking the cut with …."""
    text = text.replace("\n", " ")
    if width(text) <= cells:
        return text
    out, used = "", 0
    for ch in text:
        w = width(ch)
        if used + w > cells - 1:
            break
        out, used = out + ch, used + w
    return out + "…"


def table(header: list[str], rows: list[list[str]], limits: dict[int, int] | None = None) -> str:
    """Return the rows as aligned columns under the header, long cells clipped to their column's limit."""
    limits = limits or {}
    cells = [[clip(str(c), limits.get(i, 1000)) for i, c in enumerate(row)] for row in [header, *rows]]
    widths = [max(width(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        padded = [c + " " * (widths[i] - width(c)) for i, c in enumerate(row)]
        lines.append("  ".join(padded).rstrip())
        if n == 0:
            lines.append("  ".join("─" * w for w in widths))
    return "\n".join(lines)
