"""Normalise the text people type into spreadsheets and chats (full-width forms, stray spaces)."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """Return text with full-width forms folded (NFKC), zero-width marks removed and ends trimmed."""
    if not text:
        return ""
    return _ZERO_WIDTH.sub("", unicodedata.normalize("NFKC", str(text))).strip()


def compact(text: str | None) -> str:
    """Return folded text with every whitespace removed (for matching headers and commands)."""
    return _SPACES.sub("", fold(text))


def clean_cell(text: str | None) -> str:
    """Return a cell value trimmed, with runs of spaces collapsed but line breaks kept."""
    if not text:
        return ""
    text = _ZERO_WIDTH.sub("", str(text)).replace("\r\n", "\n").replace("\u3000", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    return "\n".join(line for line in lines if line).strip()
