"""Normalise a schedule cell's text before it is read, and name the word patterns the readers share."""

from __future__ import annotations

import re
import unicodedata

WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}


_WIDE = "\u0080-\U0010ffff"
WEEK = r"(?:週|周|星期|禮拜)"
SEP = r"[、,及和與]"
WD = r"[一二三四五六日天]"

_DASHES = str.maketrans(dict.fromkeys("-‐‑‒–—―−~～〜﹣", "~"))
_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_ROC_SLASH_DATE = re.compile(r"(?<![\d/.])(\d{2,3})/(\d{1,2})/(\d{1,2})(?![\d/])")
_SPACE = re.compile(rf"(?<=[{_WIDE}~(])\s+|\s+(?=[{_WIDE}~)])")
_RANGE_WORD = re.compile(r"(?<=[\d月日號])起?[至到~](?=(?:民國)?\d)")
_CHINESE_DIGITS = {"一": "1", "二": "2", "兩": "2", "三": "3", "四": "4", "五": "5", "六": "6"}
_CHINESE_COUNT = re.compile(r"(?<=[第每])([一二兩三四五六])(?=個)")

# Dates that are history or references, not schedule: 91.4.1開辦, 統計區間為…, 109年5月20日府授秘文字第…號.
_NOISE = (
    re.compile(r"(?:\d{2,4}\.\d{1,2}(?:\.\d{1,2})?|\d{2,4}年\d{1,2}月(?:\d{1,2}日)?)開辦"),
    re.compile(r"統計區間[為是:]?[^,;。]*"),
    re.compile(r"(?:\d{2,4}年\d{1,2}月\d{1,2}日|\d{2,4}\.\d{1,2}\.\d{1,2})(?=[^,;。]{0,12}?字第)"),
)


def normalise(text: str) -> str:
    t = unicodedata.normalize("NFKC", text)
    t = _ISO_DATE.sub(r"\1.\2.\3", t)
    t = _ROC_SLASH_DATE.sub(r"\1.\2.\3", t)
    t = t.translate(_DASHES)
    t = _SPACE.sub("", t)
    t = _RANGE_WORD.sub("~", t)
    t = _CHINESE_COUNT.sub(lambda m: _CHINESE_DIGITS[m.group(1)], t)
    for noise in _NOISE:
        t = noise.sub("|", t)
    return t
