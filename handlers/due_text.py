"""Say one occurrence in a line: its kind, its dates and its status, as people here write them."""

from __future__ import annotations

from datetime import date

from handlers import messages as M
from handlers.agenda import Due
from schedules.dates import format_date
from storage.models import Item, Status

TITLE_IN_LIST = 28  # characters of a title shown in a list line; the card shows it whole


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
    return " ".join((item.content if "-" in item.number and item.content else item.title).split())


def button_name(item: Item) -> str:
    """Return what a button says about an item: 編號 and its own name."""
    return f"{item.number} {own_name(item)}"


def is_meeting(item: Item) -> bool:
    """Say whether an item's events are meetings (會議, 召開) rather than other events."""
    text = f"{item.title}{item.schedule_text}{item.content}"
    return any(word in text for word in M.MEETING_WORDS)


def kind_label(due: Due) -> str:
    """Return the occurrence's kind: 期限, 辦理期間 3/1（五）起, 4月作業, 會議, 活動…."""
    kind = due.occ.kind
    if kind == "event":
        return M.MEETING if is_meeting(due.item) else M.KIND["event"]
    if kind == "period":
        return M.PERIOD_KIND.format(label=due.occ.label) if due.occ.label else M.KIND["period"]
    label = M.KIND.get(kind, kind)
    if due.occ.starts and due.occ.starts != due.occ.due:
        return M.WINDOW_KIND.format(kind=label, starts=format_date(due.occ.starts))
    return label


def status_label(due: Due, today: date) -> str:
    """Return the status with its mark; overdue wins over what was last reported."""
    status = due.status
    text = M.STATUS[status.value]
    if status is Status.in_progress and due.report is not None and due.report.percent is not None:
        text = M.STATUS_PERCENT.format(status=text, percent=due.report.percent)
    if due.is_overdue(today):
        return M.OVERDUE_MARK + M.STATUS_OVERDUE.format(status=text)
    return M.STATUS_MARK[status.value] + text


def owners_text(item: Item) -> str:
    """Return the owners' names, or （未指定）."""
    return M.LIST_SEP.join(o.name for o in item.owners) or M.NOBODY


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
    if due.occ.kind == "event":
        when += M.MEETING if is_meeting(due.item) else M.KIND["event"]
    elif due.occ.kind == "deadline":
        when += M.DEADLINE_SUFFIX
    label = due.occ.label
    # A window's label is its own dates (3/1-4/30), and an event's is its day: the dates say it already.
    if not label or label == format_date(due.occ.due) or due.occ.kind == "window":
        return when
    return M.OCCURRENCE.format(label=label, when=when)
