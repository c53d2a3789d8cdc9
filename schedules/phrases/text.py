"""Normalise a schedule cell's text before it is read, and name the word patterns the readers share.

Normalising turns the ways offices write one thing into one form: Chinese numerals into digits (八日, 廿五日,
卅一日, 元月), weekday notes in brackets into ⟨n⟩ marks kept for checking, times of day dropped (they do not
change a date's kind), 翌年/次年度/隔年/明年 before a month into "+", and the short ranges (5月6~7日,
4月30~5月2日) into two full dates.
"""

from __future__ import annotations

import re
import unicodedata

WEEKDAYS = {c: i for i, c in enumerate("一二三四五六日")} | {"天": 6}

_WIDE = "\u0080-\U0010ffff"
WEEK = r"(?:週|周|星期|禮拜)"
SEP = r"[、,及和與暨]"
WD = r"[一二三四五六日天]"
NEXT_YEAR = "+"  # what 翌年, 次年(度), 隔年, 明年 before a month become

_DASHES = str.maketrans(dict.fromkeys("-‐‑‒–—―−~～〜﹣", "~"))
_ISO_DATE = re.compile(r"(?<![\d.])(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?![\d.])")
_ROC_SLASH_DATE = re.compile(r"(?<![\d/.])(\d{2,3})/(\d{1,2})/(\d{1,2})(?![\d/])")
_SPACE = re.compile(rf"(?<=[{_WIDE}~(])\s+|\s+(?=[{_WIDE}~)])")
_RANGE_WORD = re.compile(r"(?<=[\d月日號⟩])起?[至到~](?=(?:民國)?[\d+])")
_NUMERAL = "[〇零一二兩三四五六七八九十廿卅百]"
# A numeral before a unit, or in a list before one (七、八月, 三至五月); 星期三 keeps its weekday.
_CHINESE_NUMBER = re.compile(rf"(?<![期週周拜]){_NUMERAL}+(?=(?:[、,及和與至到~]{_NUMERAL}+)*[年月日號個季週周次天])")
_CHINESE_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "兩": 2}
_FIRST_MONTH = re.compile(r"[元正]月")
_THIS_MONTH = re.compile(r"本\(?(\d{1,2})\)?月")
_BRACKETED_YEAR = re.compile(r"\((\d{2,3})\)年")  # 本所(113)年4月19日
_WEEKDAY_NOTE = re.compile(rf"\((?:{WEEK})?({WD})\)")
_TIME = r"(?:上午|下午|中午|晚上|早上|凌晨|傍晚)?\s*\d{1,2}(?:[時点點](?:\d{1,2}分|半|整)?|:\d{2})"
_TIME_OF_DAY = re.compile(rf"\(?{_TIME}(?:\s*[至到~]\s*{_TIME})?\)?")
_NEXT_YEAR_WORD = re.compile(r"(?:翌|次|隔|明)年度?(?=\d{1,2}月|\d{1,2}/)")
_DAY = r"(?:\+?\d{1,2}月\d{1,2}[日號]|\d{1,2}/\d{1,2})"
_FROM_TO = re.compile(rf"起({_DAY})[,、]?訖({_DAY})")  # 起7月1日,訖8月29日
_SLASH_MONTH_END = re.compile(r"(?<![\d/.])(\d{1,2})/底")  # 1/1~2/底: 2/底 is 2月底, not the day 2
_SHORT_DAY_RANGE = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})~(\d{1,2})(?:[日號]|(?![\d日號月/.~]))")
_SHORT_CROSS_RANGE = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})~(\d{1,2})月(\d{1,2})[日號]")
_ANY_DATE = r"(\d{2,4}\.\d{1,2}\.\d{1,2}|(?:\d{2,4}年)?\d{1,2}月\d{1,2}[日號]|\d{1,2}/\d{1,2})"
# 專案開始日期 2015/01/01 專案結束日期 2015/12/31: one range, as 起…訖….
_START_END = re.compile(rf"開始(?:日期|日)[:]?{_ANY_DATE}[^\d|,;。]{{0,6}}?結束(?:日期|日)[:]?{_ANY_DATE}")
# 自8月份開始至10月份, 自6月18日起,截至12月31日止: the range words around a date.
_STARTS_TO = re.compile(r"(?<=[月份日號])(?:開始|起)[,]?(?:截至|至|到)(?=(?:民國)?[\d+])")
# 10月27、28日 and 5月9、10日: days of one month listed, 日 written once at the end.
_DAY_LIST = re.compile(r"(?<![\d.])(\d{1,2})月(\d{1,2})((?:[、,及和與暨]\d{1,2})+)([日號])")
# 成績繳交截止日 6月22日: the deadline named before its date is that date's 前.
_DEADLINE_FIRST = re.compile(r"截止(?:日期|日|時間)?[:]?((?:\d{2,4}年)?\d{1,2}月\d{1,2}[日號]|\d{1,2}/\d{1,2})(?![\d~])")
_FROM_TODAY = re.compile(r"即日起?~((?:\+)?\d{1,2}月\d{1,2}[日號]|\d{1,2}/\d{1,2}|\d{2,4}\.\d{1,2}\.\d{1,2})止?")

# Dates that are history or references, not schedule: 91.4.1開辦, 統計區間為…, 109年5月20日府授秘文字第…號.
_NOISE = (
    re.compile(r"(?:\d{2,4}\.\d{1,2}(?:\.\d{1,2})?|\d{2,4}年\d{1,2}月(?:\d{1,2}日)?)開辦"),
    re.compile(r"統計區間[為是:]?[^,;。]*"),
    # 截至104年1月為止累計進度達75%: the day a progress figure was measured, not a date to keep.
    # (自…起，截至12月31日止 is a range's end and stays.)
    re.compile(r"截至(?:\d{2,4}年)?\d{1,2}月(?:\d{1,2}[日號]|底)?(?:為止|止)?(?=[,]?(?:累計|實際|平均|已|共|計))"),
    re.compile(r"補(?:假|課|班|上課)?\d{1,2}/\d{1,2}"),
    re.compile(r"\d{1,2}/\d{1,2}(?=學期|學年|以上|以下|為限|比例|倍)"),  # 1/3學期 is a fraction  # 2/17 補上課(補2/15): the day it makes up for
    re.compile(r"(?:\d{2,4}年\d{1,2}月\d{1,2}日|\d{2,4}\.\d{1,2}\.\d{1,2})(?=[^,;。]{0,12}?字第)"),
)


def chinese_number(text: str) -> int:
    """Return the value of a Chinese numeral: 八, 十五, 二十五, 廿五, 卅一, 一一三, 一百一十三."""
    if not any(c in text for c in "十廿卅百"):
        return int("".join(str(_CHINESE_DIGIT[c]) for c in text))
    total, digit = 0, None
    for c in text:
        if c in _CHINESE_DIGIT:
            digit = _CHINESE_DIGIT[c]
        elif c == "百":
            total += (1 if digit is None else digit) * 100
            digit = None
        elif c == "十":
            total += (1 if digit is None else digit) * 10
            digit = None
        else:  # 廿, 卅
            total += 20 if c == "廿" else 30
            digit = None
    return total + (digit or 0)


def _listed_days(m: re.Match[str]) -> str:
    days = re.sub(r"(\d{1,2})", rf"\1{m.group(4)}", m.group(3))
    return f"{m.group(1)}月{m.group(2)}{m.group(4)}{days}"


def join_ranges(text: str) -> str:
    """Return the text with 至, 到 and 起至 between two dates written as ~."""
    return _RANGE_WORD.sub("~", text)


def normalise(text: str) -> str:
    """Return the cell's text in the one form the readers read."""
    t = unicodedata.normalize("NFKC", text)
    t = _FIRST_MONTH.sub("1月", t)
    t = _CHINESE_NUMBER.sub(lambda m: str(chinese_number(m.group(0))), t)
    t = _ISO_DATE.sub(r"\1.\2.\3", t)
    t = _ROC_SLASH_DATE.sub(r"\1.\2.\3", t)
    t = t.translate(_DASHES)
    t = _SPACE.sub("", t)
    t = _THIS_MONTH.sub(r"\1月", t)
    t = _BRACKETED_YEAR.sub(r"\1年", t)
    t = _WEEKDAY_NOTE.sub(lambda m: f"⟨{WEEKDAYS[m.group(1)]}⟩", t)
    t = _TIME_OF_DAY.sub("", t)
    t = _NEXT_YEAR_WORD.sub(NEXT_YEAR, t)
    t = _FROM_TO.sub(r"\1~\2", t)
    t = _START_END.sub(r"\1~\2", t)
    t = _STARTS_TO.sub("~", t)
    t = join_ranges(t)
    t = _SLASH_MONTH_END.sub(r"\1月底", t)
    t = _SHORT_CROSS_RANGE.sub(r"\1月\2日~\3月\4日", t)
    t = _SHORT_DAY_RANGE.sub(r"\1月\2日~\1月\3日", t)
    t = _DAY_LIST.sub(_listed_days, t)
    t = _FROM_TODAY.sub(r"\1前", t)
    t = _DEADLINE_FIRST.sub(r"\1前", t)
    for noise in _NOISE:
        t = noise.sub("|", t)
    return t
