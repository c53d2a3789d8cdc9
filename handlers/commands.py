"""Read what people type: fold full/half-width forms and spaces, then find the command and its arguments."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from storage.text import compact, fold

# Every way people here ask for a command, by route name. Longest spellings are tried first, so
# 綁定群組 wins over 綁定 and 下個月 over 下月; matching ignores case, width and spaces.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "today": ("今天", "今日", "today"),
    "tomorrow": ("明天", "明日", "tomorrow"),
    "this_week": ("本週", "本周", "這週", "這周", "這禮拜", "這個禮拜", "這星期", "這個星期", "本星期", "這一週", "week"),
    "next_week": ("下週", "下周", "下禮拜", "下個禮拜", "下星期", "下個星期", "下一週"),
    "this_month": ("本月", "這個月", "這月", "當月"),
    "next_month": ("下個月", "下月", "下一個月"),
    "overdue": ("逾期", "過期", "遲交", "逾時", "overdue", "late"),
    "mine": ("我的", "我負責的", "我的項目", "我的工作", "mine", "my"),
    "search": ("查", "查詢", "搜尋", "搜索", "找", "search", "find"),
    "report": ("回報", "填報", "進度回報", "report"),
    "summary": ("摘要", "統計", "總覽", "概況", "summary"),
    "export": ("匯出", "下載", "管制表", "export"),
    "help": ("說明", "幫助", "求助", "使用說明", "功能", "選單", "指令", "help", "menu"),
    "link_group": ("綁定群組", "群組綁定"),
    "thanks": ("謝謝", "感謝", "多謝", "謝啦", "3q", "thanks", "thank you", "thx"),
    "hello": ("你好", "您好", "哈囉", "嗨", "早安", "午安", "hello", "hi"),
    "link": ("綁定", "連結帳號", "綁定帳號", "link"),
    "console": ("管理", "管理頁", "console"),
}

# What people say after a list command without changing its meaning (今天的工作有哪些？).
_FILLER = re.compile(r"^(?:的|呢|嗎|有|哪些|什麼|甚麼|要做|做|事|事項|項目|工作|作業|到期|份|清單|列表|一下|呀|啊|了|[?!.。！？～~…,，、])+$")
_QUESTION_MARKS = re.compile(r"^[?？]+$")
_ASCII_WORD = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Command:
    """A message read as a command: the route name ("" for free text), its arguments and the whole text."""

    name: str
    args: str
    text: str


def _spellings() -> list[tuple[str, str]]:
    pairs = [(compact(s).casefold(), name) for name, spellings in SYNONYMS.items() for s in spellings]
    return sorted(pairs, key=lambda p: -len(p[0]))


_SPELLINGS = _spellings()


def parse(text: str) -> Command:
    """Return the command the text starts with, and the rest of the text as its arguments."""
    folded = fold(text)
    key = compact(folded).casefold()
    if _QUESTION_MARKS.match(key):
        return Command("help", "", folded)
    for spelling, name in _SPELLINGS:
        if not key.startswith(spelling):
            continue
        # An English keyword must be a whole word: "helpful" is not "help".
        if spelling.isascii() and len(key) > len(spelling) and _ASCII_WORD.match(key[len(spelling)]):
            continue
        return Command(name, after(folded, len(spelling)), folded)
    return Command("", folded, folded)


def after(folded: str, length: int) -> str:
    """Return the text after its first `length` non-space characters, inner spaces kept."""
    seen = 0
    for index, char in enumerate(folded):
        if seen == length:
            return folded[index:].strip()
        if not char.isspace():
            seen += 1
    return ""


def is_filler(args: str) -> bool:
    """Say whether the arguments add nothing to a list command (empty, 的, 呢, ？…)."""
    return not args or bool(_FILLER.match(compact(args)))


# Small talk that is answered in a chat with the bot but never in a group (people say 謝謝 to each other).
SMALL_TALK = ("thanks", "hello")


def starts_with_command(text: str) -> bool:
    """Say whether the text starts with a command keyword, small talk aside (used to stay quiet in groups)."""
    return parse(text).name not in ("", *SMALL_TALK)


def strip_mention(text: str, bot_name: str) -> tuple[str, bool]:
    """Remove a leading @mention of the bot; return the rest and whether the bot was mentioned."""
    folded = fold(text)
    mention = "@" + fold(bot_name)
    if bot_name and folded.casefold().startswith(mention.casefold()):
        return folded[len(mention) :].strip(), True
    return folded, False


def closest(text: str, limit: int = 4) -> list[str]:
    """Return the route names whose spellings the text contains or resembles most."""
    key = compact(text).casefold()
    if not key:
        return []
    contained = [name for spelling, name in _SPELLINGS if len(spelling) >= 2 and spelling in key]
    by_shape = process.extract(key, [s for s, _ in _SPELLINGS], scorer=fuzz.partial_ratio, limit=12, score_cutoff=60)
    names = contained + [_SPELLINGS[index][1] for _s, _score, index in by_shape]
    out: list[str] = []
    for name in names:
        if name not in out and name not in ("link", "link_group", *SMALL_TALK):
            out.append(name)
    return out[:limit]


# How people say a progress status after 回報 12 …; a percentage means in progress (100% means done).
STATUS_WORDS: dict[str, tuple[str, ...]] = {
    "done": ("完成", "已完成", "完畢", "辦畢", "已辦畢", "辦理完成", "已辦理", "結案", "done", "finished", "ok"),
    "in_progress": ("進行中", "處理中", "辦理中", "執行中", "作業中", "進行", "處理", "in progress", "doing", "wip"),
    "delayed": ("延遲", "延後", "落後", "遲延", "延期", "展延", "delayed", "delay"),
    "not_started": ("未開始", "尚未開始", "還沒開始", "未辦理", "尚未辦理", "not started", "todo"),
}
_STATUS_SPELLINGS = sorted(
    ((compact(s).casefold(), status) for status, spellings in STATUS_WORDS.items() for s in spellings), key=lambda p: -len(p[0])
)
_PERCENT = re.compile(r"^(\d{1,4})%")
_NOTE_LEAD = " \t:：,，、-—。"


@dataclass(frozen=True)
class StatusSaid:
    """A status read from text: the status value, a percentage if one was given, and the note after it."""

    status: str
    percent: int | None
    note: str


def read_status(text: str) -> StatusSaid | None:
    """Return the status the text starts with (完成, 進行中, 50%, 延遲…) and the rest as a note."""
    folded = fold(text)
    key = compact(folded).casefold()
    m = _PERCENT.match(key)
    if m:
        value = int(m.group(1))
        status = "done" if value == 100 else "in_progress"
        return StatusSaid(status, value, _note(after(folded, m.end())))
    for spelling, status in _STATUS_SPELLINGS:
        if not key.startswith(spelling):
            continue
        if spelling.isascii() and len(key) > len(spelling) and _ASCII_WORD.match(key[len(spelling)]):
            continue
        return StatusSaid(status, None, _note(after(folded, len(spelling))))
    return None


def _note(text: str) -> str:
    return text.strip().lstrip(_NOTE_LEAD).strip()
