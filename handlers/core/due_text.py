"""Say one occurrence in a line: its kind, its dates and its status, as people here write them."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from handlers.core.agenda import Due, before_tracking, tracking_start
from handlers.texts import chat as M
from handlers.texts import console_admin as S
from handlers.texts import tracking as T
from handlers.texts import words as W
from schedules.dates import format_date, format_month_day
from schedules.occurrences import OccurrenceKind
from schedules.status import Said, State, state_on
from storage.models import Item, Section

TITLE_IN_LIST = 28  # characters of a title shown in a list line; the card shows it whole
BUTTON_LABEL = 20  # LINE's limit on a button label
SCHEDULE_HINT = 14  # characters of the schedule shown to tell same-named items apart
SHORT_SECTION = 3  # 戶籍登記課 → 登記課 on a button, when no other section ends the same way
# The list number a control table puts before each schedule line (1. 實地…, 2-1. 書面…).
LIST_NUMBER = re.compile(r"^\s*\d+(?:-\d+)*\s*[.．、](?!\d)\s*")


def clip(text: str, limit: int) -> str:
    """Return the text on one line, cut to `limit` characters with … when longer."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + M.ELLIPSIS


def item_name(item: Item, limit: int = TITLE_IN_LIST) -> str:
    """Return the item's title for a list; a sub-item (6-2) adds its own content, as its title is shared."""
    if "-" in item.number and item.content:
        return clip(M.SUB_ITEM.format(title=item.title, content=item.content), limit)
    return clip(item.title, limit)


def own_name(item: Item) -> str:
    """Return what tells an item apart: its title, or its own content for a sub-item (6-2) sharing a title."""
    own = item.content if "-" in item.number and item.content else item.title
    return " ".join(LIST_NUMBER.sub("", own).split()) or item.title


def schedule_hint(item: Item) -> str:
    """Return the schedule as written, on one line and without its list number (書面(7-8 月))."""
    return " ".join(LIST_NUMBER.sub("", item.schedule_text or "").split())


def told_apart(items: list[Item], names: list[str], limit: int) -> list[str]:
    """Return the names cut to `limit`; where two items would read the same, add each one's schedule."""
    counts = Counter(names)
    return [_with_hint(i, n, limit) if counts[n] > 1 else clip(n, limit) for i, n in zip(items, names, strict=True)]


def _with_hint(item: Item, name: str, limit: int) -> str:
    """Return 名稱：時程 in `limit` characters; the schedule is what differs, so the name gives way first."""
    room = min(SCHEDULE_HINT, limit - 1 - min(len(name), limit // 2))
    hint = clip(schedule_hint(item), room) if room >= 3 else ""
    if not hint:
        return clip(name, limit)
    return M.NAME_WITH_SCHEDULE.format(name=clip(name, limit - len(hint) - 1), schedule=hint)


def list_names(items: list[Item], limit: int = TITLE_IN_LIST) -> list[str]:
    """Return each item's name for a list of choices, told apart where names repeat."""
    return told_apart(items, [item_name(i, 10**6) for i in items], limit)


def section_short(section: Section) -> str:
    """Return the section's name short enough for a button (登記課), or whole when short or not unique."""
    name = section.name
    short = name[-SHORT_SECTION:]
    others = [s.name for s in section.office.sections if s.id != section.id]
    if len(name) <= SHORT_SECTION or any(o.endswith(short) for o in others):
        return name
    return short


def button_names(items: list[Item]) -> list[str]:
    """Return button labels: 編號 and own name in 20 characters, with the section where a 編號 repeats.

    The section is named in full when every label then fits whole, else shortened (登記課) for them all.
    """
    names = [own_name(i) for i in items]
    counts = Counter(names)
    wanted = [f"{n}{M.NAME_WITH_SCHEDULE.format(name='', schedule=schedule_hint(i))}" if counts[n] > 1 else n
              for i, n in zip(items, names, strict=True)]
    prefixes = _prefixes(items, short=False)
    if any(len(f"{p} {w}") > BUTTON_LABEL for p, w in zip(prefixes, wanted, strict=True)):
        prefixes = _prefixes(items, short=True)
    labels = []
    for item, prefix, name in zip(items, prefixes, names, strict=True):
        room = max(BUTTON_LABEL - len(prefix) - 1, 1)
        labels.append(f"{prefix} {_with_hint(item, name, room) if counts[name] > 1 else clip(name, room)}")
    return labels


def _prefixes(items: list[Item], short: bool) -> list[str]:
    """Return each item's 編號, after its section's name where the same 編號 shows from several sections."""
    sections_of: dict[str, set[int]] = {}
    for i in items:
        sections_of.setdefault(i.number, set()).add(i.section_id)
    return [
        f"{section_short(i.section) if short else i.section.name} {i.number}" if len(sections_of[i.number]) > 1 else i.number
        for i in items
    ]


def is_meeting(item: Item) -> bool:
    """Say whether an item's events are meetings (會議, 召開) rather than other events."""
    text = f"{item.title}{item.schedule_text}{item.content}"
    return any(word in text for word in M.MEETING_WORDS)


def rolled(due: Due) -> str:
    """Return （2/28 遇假日順延） when a rest day moved the date (（2/15 遇假日提前） when to before it), else ""."""
    moved = due.occ.rolled_from
    if not moved:
        return ""
    return M.ROLLED.format(day=format_month_day(moved), rolled=M.EARLIER_WORD if moved > due.occ.due else M.ROLLED_WORD)


def kind_label(due: Due) -> str:
    """Return the occurrence's kind: 期限, 辦理期間 3/1（五）起, 4月作業, 會議, 活動… (and whether it was moved)."""
    return _kind(due) + rolled(due)


def _kind(due: Due) -> str:
    kind = due.occ.kind
    if kind == OccurrenceKind.event:
        return M.MEETING if is_meeting(due.item) else M.KIND["event"]
    if kind == OccurrenceKind.period:
        return M.PERIOD_KIND.format(label=due.occ.label) if due.occ.label else M.KIND["period"]
    label = M.KIND.get(kind, kind)
    if due.occ.starts and due.occ.starts != due.occ.due:
        return M.WINDOW_KIND.format(kind=label, starts=format_date(due.occ.starts))
    return label


def status_label(due: Due, today: date) -> str:
    """Return the occurrence's state in words with its mark (schedules.status); overdue wins over what was said."""
    state = state_on(due.occ, due.standing, today, due.item.plan.tracking_from)
    if state is State.before_tracking:
        return T.STATUS_BEFORE_TRACKING
    if state is State.done_late:
        return M.STATUS_MARK["done"] + W.DONE_LATE
    text = said_text(due)
    if state is State.overdue:
        return M.OVERDUE_MARK + M.STATUS_OVERDUE.format(status=text)
    return M.STATUS_MARK[_said_key(due)] + text


def said_text(due: Due) -> str:
    """Return what was last said on the occurrence as the status model reads it: 進行中 50%, 延後, 未回報…"""
    text = M.STATUS[_said_key(due)]
    stood = due.standing
    if stood is not None and stood.said is Said.in_progress and stood.percent is not None:
        text = M.STATUS_PERCENT.format(status=text, percent=stood.percent)
    return text


def _said_key(due: Due) -> str:
    # 未開始 is a report; nobody reporting (or a report taken back) is 未回報.
    return due.standing.said.value if due.standing is not None else "not_reported"


def owners_text(item: Item) -> str:
    """Return the owners' names (a deactivated one marked, and 無在職承辦人 when none is active), or （未指定）."""
    if all(o.active for o in item.owners):
        return M.LIST_SEP.join(o.name for o in item.owners) or M.NOBODY
    names = M.LIST_SEP.join(o.name if o.active else S.INACTIVE_OWNER.format(name=o.name) for o in item.owners)
    return names if any(o.active for o in item.owners) else names + S.NO_ACTIVE_OWNER


def number_text(item: Item, with_section: bool) -> str:
    """Return the item's 編號, with its section when the list mixes sections."""
    return f"{item.section.name} {item.number}" if with_section else item.number


def due_line(due: Due, today: date, with_section: bool = False, with_owners: bool = False) -> str:
    """Return one list line: ・編號 名稱｜種類｜狀態 (｜承辦人)."""
    fields = {
        "number": number_text(due.item, with_section),
        "title": item_name(due.item),
        "kind": kind_label(due),
        "status": status_label(due, today),
    }
    if with_owners:
        return M.DUE_LINE_OWNERS.format(owners=owners_text(due.item), **fields)
    return M.DUE_LINE.format(**fields)


def occurrence_text(due: Due) -> str:
    """Return an occurrence as 3月：4/5（五）截止, 第1季：1/1（一）～3/29（五）, or 4/29（一）會議."""
    when = format_date(due.occ.due)
    if due.occ.starts and due.occ.starts != due.occ.due:
        when = M.OCC_WINDOW.format(starts=format_date(due.occ.starts), due=when)
    if due.occ.kind == OccurrenceKind.event:
        when += M.MEETING if is_meeting(due.item) else M.KIND["event"]
    elif due.occ.kind == OccurrenceKind.deadline:
        when += M.DEADLINE_SUFFIX
    when += rolled(due)
    label = due.occ.label
    # A window's label is its own dates (3/1-4/30), and an event's is its day: the dates say it already.
    if not label or label == format_date(due.occ.due) or due.occ.kind == OccurrenceKind.window:
        return when
    return M.OCCURRENCE.format(label=label, when=when)


def before_tracking_note(dues: list[Due]) -> str:
    """Return the one line saying how many occurrences are before tracking ("" when none are)."""
    count = before_tracking(dues)
    start = tracking_start(dues)
    if not count or start is None:
        return ""
    return T.BEFORE_TRACKING.format(count=count, day=format_date(start))
