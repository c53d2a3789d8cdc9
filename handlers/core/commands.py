"""Read what people type: fold full/half-width forms and spaces, then find the command and its arguments.

`CommandDef` is one command's whole definition (name, handler, spellings, button label, roles, help lines);
`Commands` is the table of them that routing, parsing, 說明, the navigation buttons and the role checks
all read. The table itself is written in `handlers/chat/catalog.py`, above the handlers it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from rapidfuzz import fuzz, process

from handlers.core.audience import ANYONE, Audience
from handlers.texts import words as W
from storage.models import Role, Status
from storage.text import compact, fold

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


@dataclass(frozen=True)
class Help:
    """A command's line in 說明, by audience: everyone, a chief ({section} is theirs), those who see every section."""

    everyone: str = ""
    chief: str = ""
    office: str = ""


@dataclass(frozen=True)
class CommandDef:
    """One command, defined once.

    `roles` are who may run it (empty: every linked person) and `refusal` what the others hear;
    `menu` are the roles whose 說明 buttons offer it; `offered` commands may be suggested and paged with 更多;
    `small_talk` is answered in a one-to-one chat only; `linked_only` commands answer strangers with how to link.
    `audience` is who may read every answer it gives (handlers/core/audience.py), besides what each answer shows.
    A `pattern` (12月, 12/5) is tried after every spelling, and the whole text is the command's arguments.
    """

    name: str
    handler: Callable[..., Any]
    spellings: tuple[str, ...]
    pattern: re.Pattern[str] | None = None
    label: str = ""
    help: Help = Help()
    roles: tuple[Role, ...] = ()
    refusal: str = ""
    menu: tuple[Role, ...] = ()
    offered: bool = True
    small_talk: bool = False
    linked_only: bool = True
    audience: Audience = ANYONE  # who may read its answers whatever they show: ASKER for links, codes, the office's dates

    @property
    def button_label(self) -> str:
        return self.label or (self.spellings[0] if self.spellings else self.name)

    def allows(self, role: Role | None) -> bool:
        """Say whether a person of this role may run the command."""
        return not self.roles or role in self.roles


class Commands:
    """The command table: find a command by name or by how it was typed, and what each role is offered."""

    def __init__(self, definitions: Iterable[CommandDef]) -> None:
        self.definitions = tuple(definitions)
        self.by_name = {d.name: d for d in self.definitions}
        if len(self.by_name) != len(self.definitions):
            raise ValueError("two commands share a name")
        pairs = [(compact(s).casefold(), d.name) for d in self.definitions for s in d.spellings]
        # Longest spellings first, so 綁定群組 wins over 綁定 and 下個月 over 下月.
        self._spellings = sorted(pairs, key=lambda p: -len(p[0]))

    def get(self, name: str) -> CommandDef | None:
        return self.by_name.get(name)

    def label(self, name: str) -> str:
        """Return the word a button sends for the command (今天, 逾期…)."""
        return self.by_name[name].button_label

    def parse(self, text: str) -> Command:
        """Return the command the text starts with, and the rest of the text as its arguments."""
        folded = fold(text)
        key = compact(folded).casefold()
        if _QUESTION_MARKS.match(key):
            return Command("help", "", folded)
        for spelling, name in self._spellings:
            if not key.startswith(spelling):
                continue
            # An English keyword must be a whole word: "helpful" is not "help".
            if spelling.isascii() and len(key) > len(spelling) and _ASCII_WORD.match(key[len(spelling)]):
                continue
            return Command(name, after(folded, len(spelling)), folded)
        for definition in self.definitions:
            if definition.pattern is not None and definition.pattern.match(key):
                return Command(definition.name, folded, folded)
        return Command("", folded, folded)

    def starts_with_command(self, text: str) -> bool:
        """Say whether the text starts with a command keyword, small talk aside (used to stay quiet in groups)."""
        found = self.get(self.parse(text).name)
        return found is not None and not found.small_talk

    def closest(self, text: str, limit: int = 4) -> list[str]:
        """Return the names of offered commands whose spellings the text contains or resembles most."""
        key = compact(text).casefold()
        if not key:
            return []
        contained = [name for spelling, name in self._spellings if len(spelling) >= 2 and spelling in key]
        shapes = [s for s, _ in self._spellings]
        by_shape = process.extract(key, shapes, scorer=fuzz.partial_ratio, limit=12, score_cutoff=60)
        names = contained + [self._spellings[index][1] for _s, _score, index in by_shape]
        out: list[str] = []
        for name in names:
            if name not in out and self.by_name[name].offered and not self.by_name[name].small_talk:
                out.append(name)
        return out[:limit]

    def menu(self, role: Role | None) -> tuple[str, ...]:
        """Return the names of the commands a role is offered as buttons, in table order."""
        return tuple(d.name for d in self.definitions if role in d.menu)

    def help_lines(self, role: Role, section: str) -> list[str]:
        """Return the 說明 lines for a role: everyone's, then the chief's or the whole office's."""
        lines = [d.help.everyone for d in self.definitions if d.help.everyone]
        if role is Role.chief:
            lines += [d.help.chief.format(section=section) for d in self.definitions if d.help.chief]
        elif role in (Role.coordinator, Role.director):
            lines += [d.help.office for d in self.definitions if d.help.office]
        return lines


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


def strip_mention(text: str, bot_name: str) -> tuple[str, bool]:
    """Remove a leading @mention of the bot; return the rest and whether the bot was mentioned."""
    folded = fold(text)
    mention = "@" + fold(bot_name)
    if bot_name and folded.casefold().startswith(mention.casefold()):
        return folded[len(mention) :].strip(), True
    return folded, False


# How people say a progress status after 回報 12 …; a percentage means in progress (100% means done).
STATUS_WORDS = W.STATUS_SAID
_STATUS_SPELLINGS = sorted(
    ((compact(s).casefold(), status) for status, spellings in STATUS_WORDS.items() for s in spellings), key=lambda p: -len(p[0])
)
_PERCENT = re.compile(r"^(\d{1,4})%")
_NOTE_LEAD = " \t:：,，、-—。"
# What people add after a status that is manners, not a note (完成了, 完成。謝謝): it never reaches the table.
_NOTE_FILLER = re.compile(r"^(?:了|囉|啦|喔|哦|唷|呦|嘍|喲|謝謝|感謝|多謝|謝啦|謝謝您|謝謝你|thanks|thx|[?!.,。！？～~…，、:：-])*$")


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
        rest = after(folded, len(spelling))
        if status == Status.in_progress:  # 進行中 50%: the percentage is the status's, not a note
            m = _PERCENT.match(compact(rest.lstrip(_NOTE_LEAD)).casefold())
            if m:
                value = int(m.group(1))
                return StatusSaid("done" if value == 100 else "in_progress", value, _note(after(rest.lstrip(_NOTE_LEAD), m.end())))
        return StatusSaid(status, None, _note(rest))
    return None


def _note(text: str) -> str:
    note = text.strip().lstrip(_NOTE_LEAD).strip()
    return "" if _NOTE_FILLER.match(compact(note).casefold()) else note


def verbatim(original: str, folded_tail: str) -> str:
    """Return the end of what was typed that reads as `folded_tail`, as it was typed (full-width commas kept).

    Commands are read folded (，→, and　→ space); a note goes into the official table, so it is stored as written.
    """
    if not folded_tail:
        return ""
    for start in range(len(original)):
        if fold(original[start:]) == folded_tail:
            return original[start:].strip()
    return folded_tail
