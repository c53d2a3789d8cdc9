"""Read the section, 全所 and month that people add after a command (逾期 戶籍資料課, 摘要 全所 3月)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.core import access, audience
from handlers.core.audience import ANYONE, OFFICE, Audience
from handlers.core.incoming import Context
from handlers.core.replies import Reply, Text
from handlers.core.request import Asker, Request
from handlers.texts import chat as M
from schedules.dates import MONTH_NUMBER, month_number
from storage import queries
from storage.models import Plan, Role, Section
from storage.text import compact

WHOLE_OFFICE = re.compile(r"^(?:全所|全部|所有|全體|全機關|整個所|all)", re.IGNORECASE)
MONTH = re.compile(rf"^(?P<n>{MONTH_NUMBER})月份?")
SECTION_WORD = re.compile(r"^(?P<name>[^\d\s]{1,12}?[課室])")


@dataclass(frozen=True)
class Scope:
    """What the arguments name: a section, the whole office, a month, and whatever was left over."""

    section: Section | None = None
    whole_office: bool = False
    month: int | None = None
    unknown_section: str | None = None
    rest: str = ""

    @property
    def names_sections(self) -> bool:
        return self.section is not None or self.whole_office


def read_scope(sections: list[Section], args: str) -> Scope:
    """Read a section name, 全所 and a month, in any order, from the start of the arguments."""
    rest = compact(args)
    section, whole, month, unknown = None, False, None, None
    while rest:
        if m := WHOLE_OFFICE.match(rest):
            whole, rest = True, rest[m.end() :]
        elif m := MONTH.match(rest):
            month, rest = month_number(m.group("n")), rest[m.end() :]
        elif (found := match_section(sections, rest)) is not None:
            section, rest = found[0], rest[found[1] :]
        elif m := SECTION_WORD.match(rest):
            unknown, rest = m.group("name"), rest[m.end() :]
        else:
            break
    return Scope(section, whole and section is None, month, unknown, rest)


def match_section(sections: list[Section], text: str) -> tuple[Section, int] | None:
    """Return the section the text starts with (全名, or without 課/室, or a unique ending) and its length."""
    for section in sorted(sections, key=lambda s: -len(s.name)):
        name = compact(section.name)
        if text.startswith(name):
            return section, len(name)
    for section in sorted(sections, key=lambda s: -len(s.name)):
        core = compact(section.name)[:-1]
        if len(core) >= 2 and text.startswith(core):
            return section, len(core)
    m = SECTION_WORD.match(text)
    if m and len(m.group("name")) >= 2:
        matches = [s for s in sections if compact(s.name).endswith(m.group("name"))]
        if len(matches) == 1:
            return matches[0], m.end()
    return None


def spoken_names(sections: list[Section]) -> dict[str, str]:
    """Return how each section may be written in a sentence (戶籍登記課, 戶籍登記, 登記課) with its full name."""
    names: dict[str, str] = {}
    for section in sections:
        name = compact(section.name)
        names[name] = section.name
        for short in (name[:-1], name[2:]):
            if len(short) >= 2 and match_section(sections, short) == (section, len(short)):
                names.setdefault(short, section.name)
    return names


def sections_list(sections: list[Section]) -> str:
    """Return the section names joined for a message."""
    return M.LIST_SEP.join(s.name for s in sections)


def refusal(who: Asker, scope: Scope, sections: list[Section]) -> str | None:
    """Return why the person may not see what the scope names, or None when they may."""
    if scope.unknown_section:
        return M.UNKNOWN_SECTION.format(name=scope.unknown_section, sections=sections_list(sections))
    if scope.whole_office and not access.sees_every_section(who):
        return M.REFUSE_WHOLE_OFFICE
    if scope.section is not None and not access.sees_section(who, scope.section.id):
        own = who.staff.section if who.staff else None
        if who.role is Role.chief and own is not None:
            return M.REFUSE_SECTION_ONLY_OWN.format(section=own.name)
        return M.REFUSE_SECTION.format(section=scope.section.name)
    return None


def scope_audience(scope: Scope) -> Audience:
    """Return who may read what a scope the asker may see names: the office's, a section's, or the asker's own."""
    if scope.whole_office:
        return OFFICE
    return audience.section(scope.section.id) if scope.section is not None else ANYONE


def scope_name(scope: Scope) -> str:
    """Return 全所, the section's name, or "" for the asker's own items."""
    if scope.whole_office:
        return M.WHOLE_OFFICE
    return scope.section.name if scope.section else ""


def scope_args(scope: Scope) -> str:
    """Return the scope written back as arguments (for a 更多 button), month included."""
    month = M.MONTH_WORD.format(month=scope.month) if scope.month else ""
    return f"{scope_name(scope)}{month}"


@dataclass(frozen=True)
class Scoped:
    """The plan, its sections and the scope a section-level command (摘要, 匯出) works on."""

    plan: Plan
    sections: list[Section]
    scope: Scope


def open_scope(req: Request, ctx: Context) -> Scoped | list[Reply]:
    """Find the plan and read the arguments; a list of replies means answer that and stop.

    Who may ask at all is checked before the handler runs (the command's `roles` in handlers/chat/catalog.py).
    """
    plan = access.current_plan(ctx, req.who)
    if plan is None:
        return [Text(M.NO_PLAN)]
    sections = queries.sections_of(ctx.session, plan.office_id)
    return Scoped(plan, sections, read_scope(sections, req.args))
