"""回報 3 1-10月 完成 / 回報 3 全部 完成: one report on each named occurrence, in one message.

An office that starts tracking mid-year says what was already done before, without one message per month.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from handlers.core.agenda import item_occurrences
from handlers.core.commands import StatusSaid
from handlers.core.due_text import clip
from handlers.core.incoming import Context
from handlers.core.replies import Reply, Text
from handlers.core.request import Request
from handlers.texts import chat as M
from handlers.texts import tracking as T
from schedules.dates import MONTH_NUMBER, format_month_day, month_number
from schedules.occurrences import Occurrence
from storage import queries
from storage.models import Item, ProgressReport, Status, Via

# 1-10月, 1月-10月, 1~10月, 一至十月 (a span of months), or 全部 (every occurrence opened so far).
MANY = re.compile(
    rf"^(?:(?P<all>全部|所有)|(?P<first>{MONTH_NUMBER})\s*月?\s*[-~～－—至到]\s*(?P<last>{MONTH_NUMBER})\s*月份?)"
)


@dataclass(frozen=True)
class Many:
    """Several occurrences named at once: a span of months of the plan year, or all opened so far."""

    first: int | None
    last: int | None
    rest: str

    @property
    def written(self) -> str:
        if self.first is None:
            return T.MANY_ALL
        return T.MANY_MONTHS.format(first=self.first, last=self.last)


def read_many(text: str) -> Many | None:
    """Return the span of occurrences the text after the 編號 starts with, or None when it names one or none."""
    text = text.strip()
    m = MANY.match(text)
    if m is None:
        return None
    rest = text[m.end() :].strip()
    if m.group("all"):
        return Many(None, None, rest)
    first, last = sorted((month_number(m.group("first")), month_number(m.group("last"))))
    return Many(first, last, rest)


def chosen(ctx: Context, item: Item, many: Many) -> list[Occurrence]:
    """Return the occurrences named: those of the months (by their 月 label, else their due month), or all opened by today."""
    year = item.plan.year
    occs = item_occurrences(item, year, ctx.calendar)
    if many.first is None:
        return [o for o in occs if (o.starts or o.due) <= ctx.today]
    months = range(many.first, many.last + 1)
    by_label = {o.key: m for o in occs for m in range(1, 13) if o.label == f"{m}月" or o.key == f"{year}-{m:02d}"}
    if by_label:
        # A monthly item's 3月 occurrence may be due 4/5; the month people name is the label's.
        return [o for o in occs if by_label.get(o.key) in months]
    return [o for o in occs if o.due.year == year and o.due.month in months]


def report_many(req: Request, ctx: Context, item: Item, many: Many, said: StatusSaid | None) -> list[Reply]:
    """Record the status on each named occurrence not already at it; the reply lists what was recorded."""
    title = clip(item.title, 30)
    if said is None:
        return [Text(T.MANY_NEEDS_STATUS.format(number=item.number, when=many.written))]
    occs = chosen(ctx, item, many)
    if not occs:
        return [Text(T.MANY_NONE.format(number=item.number, title=title, when=many.written))]
    status = Status(said.status)
    latest = queries.latest_reports(ctx.session, [item.id])
    fresh, already = [], []
    for occ in occs:
        before = latest.get((item.id, occ.key))
        same = before is not None and before.status is status and before.percent == said.percent and not said.note
        (already if same else fresh).append(occ)
    status_text = M.STATUS[status.value]
    if status is Status.in_progress and said.percent is not None:
        status_text = M.STATUS_PERCENT.format(status=status_text, percent=said.percent)
    if not fresh:
        text = T.MANY_NOTHING_NEW.format(number=item.number, title=title, occurrences=_names(already, item), status=status_text)
        return [Text(text, req.buttons(AFTER_REPORT))]
    staff = req.who.staff
    for occ in fresh:
        ctx.session.add(
            ProgressReport(
                item_id=item.id, occurrence_key=occ.key, status=status, percent=said.percent, note=said.note,
                staff_id=staff.id if staff else None, reported_at=ctx.now, via=Via.line.value,
            )
        )
    queries.audit(
        ctx.session, ctx.now, req.who.actor, "progress.report_many",
        item_id=item.id, section=item.section.name, number=item.number,
        occurrences=[o.key for o in fresh], status=status.value, percent=said.percent,
    )
    ctx.session.flush()
    text = T.MANY_RECORDED.format(
        section=item.section.name, number=item.number, title=title, status=status_text,
        count=len(fresh), occurrences=_names(fresh, item),
    )
    if said.note:
        text += M.REPORT_NOTE.format(note=clip(said.note, 200))
    if already:
        text += "\n" + T.MANY_ALREADY.format(occurrences=_names(already, item), status=status_text)
    text += T.MANY_BY.format(name=staff.name if staff else "—", time=ctx.now.strftime("%H:%M"))
    return [Text(text, req.buttons(AFTER_REPORT))]


def pick_section(items: list[Item], number: str, many: Many) -> list[Reply]:
    """Ask for the section when several items share the 編號 (a button could record only one occurrence)."""
    return [Text(T.MANY_PICK_SECTION.format(number=number, section=items[0].section.name, when=many.written))]


SHOWN = 12  # a weekly item back-filled for a year would make a wall of dates


def _names(occs: list[Occurrence], item: Item) -> str:
    names = [o.label or format_month_day(o.due, item.plan.year) for o in occs]
    if len(names) > SHOWN:
        names = [*names[: SHOWN - 2], M.ELLIPSIS, names[-1]]
    return M.LIST_SEP.join(names)


AFTER_REPORT = ("mine", "overdue", "this_week")  # the buttons under a confirmation, as after one report
