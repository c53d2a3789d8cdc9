"""Read a sentence as the command it means: 「我這個月還有什麼要交」 is 本月, 「門牌那個做完了」 a report to confirm.

People on LINE type sentences, not commands: polite words, particles, voice-typing punctuation, 注音 slips
(本越, 遇期) and no spaces. `read_sentence` finds in a sentence the words that carry its meaning (a time span,
a list word, a status, an item, a section or a person) and returns the command they make, written the way
the command is typed, so that the answer is exactly the command's. Everything else is manners and is left
aside. The words come from the command catalogue (every span command's spellings are time words) and from
the small table of intents below; nothing here touches the database.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from pypinyin import lazy_pinyin

from handlers.core.commands import Commands
from handlers.core.item_lookup import place_in_digits
from handlers.texts import words as W
from schedules.dates import MONTH_NUMBER
from storage.text import compact, fold

# The commands that name a span of days: their spellings are time words wherever they stand in a sentence.
SPAN_COMMANDS = (
    "today", "tomorrow", "day_after_tomorrow", "this_week", "next_week", "last_week", "this_month", "next_month", "last_month",
)


@dataclass(frozen=True)
class Intent:
    """One thing a sentence may ask for: the command it runs and the words that say it in a sentence."""

    command: str
    words: tuple[str, ...]


# What is not done yet: a list word, never a status (還沒完成 is not 完成).
NOT_YET_WORDS = (
    "還沒完成", "尚未完成", "未完成", "沒完成", "沒做完", "還沒做", "還沒交", "沒交", "還沒好", "還沒辦", "要完成", "需要完成", "需完成",
    "該完成", "待完成", "要做完", "沒做",
)

# What a sentence asks for, most specific first; the first intent whose word the sentence holds wins. Each
# intent's words are these and its command's own spellings in the catalogue (逾期, 過期, 遲交… come from there).
INTENTS = (
    Intent("not_reported", ("誰還沒有回報", "誰沒有回報", "沒有回報")),
    Intent("overdue", ("超過期限", "過了期限", "過了截止", "超過截止", "拖延")),
    Intent("summary", ()),
    Intent("export", ("下載管制表",)),
    Intent("help", ("怎麼用", "能做什麼", "可以做什麼", "會做什麼")),
    Intent("mine", (
        *NOT_YET_WORDS, "要交", "該交", "要做", "該做", "要辦", "該辦", "待辦", "到期", "截止", "負責", "要繳", "要送", "要處理",
        "工作", "作業", "事情", "事項", "還剩", "剩下",
    )),
)

# How a chief says their own section (我們課這個月 → 本月 戶籍資料課).
OWN_SECTION_WORDS = ("我們課", "我們這課", "本課", "課內", "我們科", "本科", "我們單位", "本單位")

# Time words beyond the catalogue's spellings, by the command whose span they fall in.
MORE_TIME_WORDS = {
    "this_month": ("月底", "月初", "月中", "本月底", "這個月底", "這月底", "這個月初", "本月初", "本月份", "這個月份", "本越", "這個越"),
    "next_month": ("下個月底", "下個月初", "下月底", "下月初"),
    "this_week": ("這週內", "本週內", "這禮拜內"),
}
# How people say a status in a sentence, beyond what 回報 reads (W.STATUS_SAID), by status.
SAID_IN_SENTENCES = {
    "done": ("做完了", "做完", "做好了", "做好", "弄完", "弄好", "辦完", "辦好", "交了", "交出去了", "送出了", "已交", "已送出",
             "搞定", "好了", "完成了"),
    "in_progress": ("在做", "還在做", "做一半", "做到一半"),
    "delayed": ("來不及", "要延", "晚點交", "晚一點交"),
    "not_started": ("沒開始",),
}
# Manners and particles: never a name, never a meaning (請問…嗎？謝謝).
POLITE = (
    "不好意思", "請問一下", "請問", "麻煩你", "麻煩您", "麻煩", "想請問", "想問一下", "想問", "問一下", "我想知道", "想知道", "我想",
    "可以幫我", "幫我", "幫忙", "請幫我", "請", "告訴我", "跟我說", "給我", "看一下", "查一下", "看看", "查查", "一下", "謝謝您",
    "謝謝你", "謝謝", "感謝您", "感謝", "多謝", "謝啦", "3q", "thanks", "thx", "您好", "你好", "哈囉", "早安", "午安", "主管",
    "有沒有", "是不是", "有哪些", "哪幾項", "哪幾個", "哪些", "什麼", "甚麼", "啥", "多少", "幾項", "幾個", "還有", "還要", "我們",
    "我", "本人", "那個", "那項", "那件", "那一項", "這個", "這項", "這件", "已經", "剛剛", "剛才", "今年", "的", "了", "嗎", "呢",
    "啊", "阿", "喔", "哦", "噢", "吧", "啦", "耶", "唷", "喲", "呀", "囉", "嘛", "欸", "誒", "有", "還", "要", "該", "都", "先",
    "會", "是", "幹嘛", "做什麼", "進度", "狀況", "情形", "東西", "案子", "案件", "部分", "部份", "項目", "清單", "列表", "事", "看",
)
# Voice typing and phones add these anywhere; / - % stay, for dates (12/31), 編號 (6-2) and percentages.
_PUNCTUATION = re.compile(r"[\s?!.,;:'\"。，、！？；：～~…「」『』（）()\[\]【】—_*#@+=<>|\\^`$&]+|[\U0001F300-\U0001FAFF\u2600-\u27BF]")
_LEFT_MARKS = re.compile(r"(?:[/%]|(?<!\d)-|-(?!\d))+")  # a 編號's dash (6-2) stays
QUESTION = re.compile(r"[?？]|[嗎呢][\s。.!！~～]*$|[嗎呢][\s,，。]|什麼時候|何時|哪天|幾號")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")

# Dates as people here write them: 115/12/31, 113年12月31日, 12月31日, 12/31 (a day); 12月 (a month).
_FULL_DATE = re.compile(r"(?:(?P<y>\d{2,4})\s*[/年.-]\s*)?(?P<m>1[0-2]|0?[1-9])\s*(?:/|月)\s*(?P<d>3[01]|[12]\d|0?[1-9])(?:\s*[日號])?(?!\d)")
_MONTH = re.compile(rf"(?<![\d/])(?P<n>{MONTH_NUMBER})\s*月份?(?![\d日號初中底])")
# 下週三, 這禮拜五, 星期一, 週日: a weekday of last, this or next week.
_WEEKDAY = re.compile(r"(?P<which>上上|下下|上個?|下個?|這個?|本)?(?:週|周|禮拜|星期|拜)(?P<d>[一二三四五六日天])")
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# A percentage beside an item's name is its progress (門牌點位50%, 門牌點位進度50%, 門牌點位做了50%); the words
# that lead to it belong to neither the name nor a note.
PERCENT_LEADS = ("進度", "目前", "已經", "做了", "做到", "完成了", "已完成", "完成", "進行到", "進行中", "達到", "大約")
_PERCENT = re.compile(rf"(?:(?:{'|'.join(PERCENT_LEADS)})\s*)*(?<![\d.\-/])(?P<p>\d{{1,4}})\s*%")


class MeantKind(enum.StrEnum):
    """What a sentence asks for; what each carries is said on `Meant`."""

    command = "command"
    report = "report"
    search = "search"
    other_year = "other_year"
    unclear = "unclear"


@dataclass(frozen=True)
class Meant:
    """What a sentence means: a command to run as typed, an item to look up, or a report to confirm first.

    `kind` is command (run `text` as if typed), report (ask before recording: `name` and `status`, with `note`
    and the `percent` said, read as 回報 reads it),
    search (look `name` up), other_year (a date of another year: `text` is that year) or unclear (only manners).
    """

    kind: MeantKind
    text: str = ""
    name: str = ""
    status: str = ""
    note: str = ""
    percent: int | None = None


def read_sentence(
    text: str, commands: Commands, today: date, names: dict[str, str] | None = None, people: frozenset[str] = frozenset(),
) -> Meant | None:
    """Return what the sentence means, or None when it carries no time, list word, status or item.

    `names` are how the office's sections and people may be written, each with the name a command takes
    (登記課 → 戶籍登記課; 張書維有逾期嗎 → 逾期 張書維); `people` are which of those names are people's.
    """
    typed = fold(text)
    folded = place_in_digits(typed)  # 第十二項 is 第12項
    key = _PUNCTUATION.sub(" ", folded.casefold()).strip()
    if not key:
        return None
    terse = _terse_report(folded)
    if terse is not None:
        return Meant(MeantKind.command, terse)
    found = _Found()
    found.people = people
    key = found.take_dates(key, today)
    key = found.take_weekday(key, today)
    key = found.take_scope(key, names or {})
    key = found.take_time(key, commands)
    key = found.take_percent(key)
    key = found.take_status(key, commands)
    key = found.take_intent(key, commands)
    rest = strip_polite(key)
    if len(rest) < 2:
        rest = ""  # one character left over (交, 做, 喔) names no item
    return found.meaning(rest, today, QUESTION.search(folded) is not None, found.note(typed))


class _Found:
    """What has been found in the sentence so far (each finder takes its words out of the text)."""

    def __init__(self) -> None:
        self.day: date | None = None
        self.month: str = ""
        self.span: str = ""
        self.scope: str = ""
        self.status: str = ""
        self.percent: int | None = None
        self.status_rest: str = ""
        self.intent: str = ""
        self.year: int | None = None
        self.people: frozenset[str] = frozenset()
        self.status_word = ""
        self.status_before = ""

    def take_dates(self, key: str, today: date) -> str:
        m = _FULL_DATE.search(key)
        if m is not None:
            year = _year(m.group("y"), today.year)
            self.year = year
            try:
                self.day = date(year, int(m.group("m")), int(m.group("d")))
            except ValueError:
                self.day = None
                self.month = f"{int(m.group('m'))}/{int(m.group('d'))}"  # no such day: the day command says so
            return key[: m.start()] + " " + key[m.end() :]
        m = _MONTH.search(key)
        if m is not None:
            self.month = f"{m.group('n')}月"
            return key[: m.start()] + " " + key[m.end() :]
        return key

    def take_weekday(self, key: str, today: date) -> str:
        m = _WEEKDAY.search(key)
        if m is None:
            return key
        which = (m.group("which") or "").replace("個", "")
        weeks = {"上上": -2, "上": -1, "下": 1, "下下": 2}.get(which, 0)
        monday = today - timedelta(days=today.weekday())
        self.day = monday + timedelta(weeks=weeks, days=_WEEKDAYS[m.group("d")])
        return key[: m.start()] + " " + key[m.end() :]

    def take_scope(self, key: str, names: dict[str, str]) -> str:
        tight = compact(key)
        spoken = {compact(k).casefold(): v for k, v in names.items()} | {W.WHOLE_OFFICE: W.WHOLE_OFFICE}
        for name in sorted(spoken, key=len, reverse=True):  # 戶籍登記課 before 登記課
            if name and name in tight:
                self.scope = spoken[name]
                return tight.replace(name, " ", 1)
        return key

    def take_time(self, key: str, commands: Commands) -> str:
        if self.day is not None or self.month:
            return key
        spoken = [(compact(s).casefold(), name) for name in SPAN_COMMANDS if commands.get(name) for s in commands.get(name).spellings]
        spoken += [(w, name) for name, words in MORE_TIME_WORDS.items() for w in words]
        hit = _find_word(compact(key), spoken)
        if hit is None:
            return key
        self.span = commands.label(hit[1])
        return hit[0]

    def take_percent(self, key: str) -> str:
        m = _PERCENT.search(key)
        if m is None:
            return key
        self.percent = int(m.group("p"))
        self.status = "done" if self.percent == 100 else "in_progress"  # as 回報 reads a percentage
        self.status_before, self.status_rest = compact(key[: m.start()]), compact(key[m.end() :])
        return key[: m.start()] + " " + key[m.end() :]

    def take_status(self, key: str, commands: Commands) -> str:
        if self.status:
            return key  # a percentage said it: 已完成初稿 after 50% is a note
        tight = compact(key)
        if any(w in tight for w in NOT_YET_WORDS):
            return key  # 還沒完成 asks what is left: it reports nothing
        # A status inside a list word is no status: 遲交了 is late, 要處理 is work to do.
        masked = tight
        for word in sorted((compact(w) for i in INTENTS for w in words_of(i, commands)), key=len, reverse=True):
            masked = masked.replace(word, "\0" * len(word))
        said = [(s, w) for s, words in W.STATUS_SAID.items() for w in words]
        said += [(s, w) for s, words in SAID_IN_SENTENCES.items() for w in words]
        pairs = [(compact(w).casefold(), s) for s, w in said if not w.isascii()]
        for word, status in sorted(pairs, key=lambda p: -len(p[0])):
            at = masked.find(word)
            if word and at >= 0:
                self.status, self.status_rest, self.status_word = status, tight[at + len(word) :], word
                self.status_before = tight[:at]
                return tight[:at] + " " + tight[at + len(word) :]
        return key

    def take_intent(self, key: str, commands: Commands) -> str:
        tight = compact(key)
        every = [(compact(w).casefold(), i.command) for i in INTENTS for w in words_of(i, commands)]
        for typos in (False, self.status == ""):  # every intent as written, in the table's order; then slips
            for intent in INTENTS:
                hit = _find_word(tight, [(w, c) for w, c in every if c == intent.command], typos=typos)
                if hit is not None:
                    self.intent = intent.command
                    return _without(hit[0], every)
        return key

    def note(self, folded: str) -> str:
        """Return what was written after the status word, as typed (門牌點位 延後 等公文 → 等公文)."""
        if self.percent is not None:
            m = _PERCENT.search(folded.casefold())
            return folded[m.end() :].strip(" ：:，,、。") if m is not None else ""
        at = folded.casefold().find(self.status_word) if self.status_word else -1
        return folded[at + len(self.status_word) :].strip(" ：:，,、。") if at >= 0 else ""

    def meaning(self, rest: str, today: date, question: bool, note: str = "") -> Meant | None:
        if self.status and question:
            return Meant(MeantKind.search, name=rest) if rest else None  # 門牌好了嗎 asks about it, it reports nothing
        name = strip_polite(self.status_before)
        if self.status and len(name) >= 2 and strip_polite(self.status_rest) and note:
            # 門牌點位 延後 等公文, 門牌點位 50% 已完成初稿
            return Meant(MeantKind.report, name=name, status=self.status, note=note, percent=self.percent)
        if self.status and not strip_polite(self.status_rest):
            if rest:
                return Meant(MeantKind.report, name=rest, status=self.status, percent=self.percent)
            return Meant(MeantKind.command, "回報")  # 做完了 alone: which one is asked with the list of one's items
        if self.year is not None and self.year != today.year:
            return Meant(MeantKind.other_year, str(self.year))
        listed = self._listed()
        if listed and not rest:
            return Meant(MeantKind.command, listed)
        if rest and (listed or self.status):
            return Meant(MeantKind.search, name=rest, text=listed)
        if not rest and not listed:
            return Meant(MeantKind.unclear)  # only manners (請問…謝謝): nothing to look up
        return None

    def _listed(self) -> str:
        """Return the command the found words make, written as typed (逾期 戶籍登記課, 12/31, 本月)."""
        scope = f" {self.scope}" if self.scope else ""
        if self.intent in ("not_reported", "overdue", "summary", "export"):
            return _label(self.intent) + scope
        if self.intent == "help":
            return "說明"
        if self.day is not None:
            return f"{self.day.month}/{self.day.day}{scope}"
        if self.month or self.span:
            return (self.month or self.span) + scope
        if self.intent == "mine":
            return f"{_label('overdue')}{scope}" if self.scope and self.scope != W.WHOLE_OFFICE else "我的"
        if self.scope in self.people:
            return f"查{scope}"  # 張書維的進度: that person's work
        return ""


_LABELS = {"not_reported": "未回報", "overdue": "逾期", "summary": "摘要", "export": "匯出"}


def _label(name: str) -> str:
    return _LABELS[name]


def _without(text: str, pairs: list[tuple[str, str]]) -> str:
    """Return the text without any list word (逾期未完成: both go, neither is an item's name)."""
    for word, _meaning in sorted(pairs, key=lambda p: -len(p[0])):
        if word:
            text = text.replace(word, " ")
    return text


def words_of(intent: Intent, commands: Commands) -> tuple[str, ...]:
    """Return an intent's words: its own and its command's spellings of two characters or more."""
    definition = commands.get(intent.command)
    own = tuple(s for s in (definition.spellings if definition else ()) if len(s) >= 2 and not s.isascii())
    return intent.words + own


def strip_polite(text: str) -> str:
    """Return the text without the manners, particles and punctuation around it (請問門牌那個嗎 → 門牌).

    Only the ends are trimmed, again and again: 助您好孕 keeps its 您好, while 我還有什麼 goes whole.
    """
    rest = compact(_LEFT_MARKS.sub(" ", _PUNCTUATION.sub(" ", fold(text).casefold())))
    changed = True
    while changed and rest:
        changed = False
        for word in _POLITE_SORTED:
            if rest.startswith(word):
                rest, changed = rest[len(word) :], True
            elif rest.endswith(word):
                rest, changed = rest[: -len(word)], True
    return rest


_POLITE_SORTED = sorted(POLITE, key=len, reverse=True)


def _find_word(text: str, pairs: list[tuple[str, str]], typos: bool = True) -> tuple[str, str, str] | None:
    """Find the longest word of `pairs` in the text (or, with `typos`, one typed by sound: 本越, 遇期).

    Return the text without the word, what the word stands for and the text after it.
    """
    for word, meaning in sorted(pairs, key=lambda p: -len(p[0])):
        at = text.find(word)
        if word and at >= 0:
            return text[:at] + " " + text[at + len(word) :], meaning, text[at + len(word) :]
    if not typos:
        return None
    for word, meaning in sorted(pairs, key=lambda p: -len(p[0])):
        at = _sounds_at(text, word)
        if at >= 0:
            return text[:at] + " " + text[at + len(word) :], meaning, text[at + len(word) :]
    return None


def _sounds_at(text: str, word: str) -> int:
    """Return where the text holds a slip of the word typed by sound (a 注音 slip keeps one character), else -1."""
    if len(word) < 2 or not _HAN.match(word):
        return -1
    wanted = _sounds(word)
    for at in range(len(text) - len(word) + 1):
        window = text[at : at + len(word)]
        if _HAN.match(window) and set(window) & set(word) and _sounds(window) == wanted:
            return at
    return -1


@lru_cache(maxsize=4096)
def _sounds(text: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(text))


def _year(written: str | None, this_year: int) -> int:
    """Return the year of 115 (民國) or 2026; none written is this year."""
    if not written:
        return this_year
    value = int(written)
    return value + 1911 if value < 1000 else value


# A report typed without its keyword: 11 完成, 完成 11, 12 done, 第12項 50%, 11 延後 等公文.
_STATUS_ALT = "|".join(
    re.escape(w) for w in sorted({w.casefold() for ws in W.STATUS_SAID.values() for w in ws} | {"100%"}, key=len, reverse=True)
)
_TERSE_NUMBER_FIRST = re.compile(
    rf"^第?\s*(?P<n>\d{{1,3}}(?:\s*-\s*\d{{1,3}})?)\s*[項號]?\s*(?P<which>(?:1[0-2]|0?[1-9])\s*月份?\s*)?"
    rf"(?P<said>(?:\d{{1,3}}\s*%|{_STATUS_ALT})(?![a-z]).*)$",
    re.I | re.S,
)
_TERSE_STATUS_FIRST = re.compile(
    rf"^(?P<said>{_STATUS_ALT}|\d{{1,3}}\s*%)\s*第?\s*(?P<n>\d{{1,3}}(?:\s*-\s*\d{{1,3}})?)\s*項?(?P<which>)\s*[。.!！~～]*$", re.I
)


def _terse_report(key: str) -> str | None:
    """Return 回報 N STATUS for a report typed without 回報 (11 完成, 完成 11, 12 done), else None."""
    m = _TERSE_NUMBER_FIRST.match(key) or _TERSE_STATUS_FIRST.match(key)
    if m is None:
        return None
    which = f"{compact(m.group('which'))} " if m.group("which") else ""
    return f"回報 {compact(m.group('n'))} {which}{m.group('said').strip()}"
