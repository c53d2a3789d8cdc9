"""列管 and 決議: the section's suggestion, the coordinator's decision and 研考意見, the meeting's resolutions.

Each write checks who asks (never the form or the button that carried it) and that the item was behind in
the month; a refusal is a word from `handlers/texts/review.py` and nothing is written. A 決議 may name the item it
was about: only an item of the plan under review; any other (last year's plan, another office's, one that is gone) is
refused rather than recorded without it, and the confirmation names the item, or says plainly that none was linked.

A 決議 with an owner and a due date becomes an item of the plan in the owner's section (titled 【會議決議】…, one
occurrence on its date), so it is reminded, reported and shown as every plan item is; its KPI cell says it is a
meeting's decision. Its 編號 is chosen so that 回報 N finds it alone and a later import of the plan leaves it alone:

- no item of the plan has that number, in any section: it is the highest head of the plan's numeric 編號 (6-2 counts
  as 6) plus one, never below 91. 回報 N looks for N in every section, then narrows to the asker's own items, then to
  their section's; a number two sections share (each section's follow-ups counted from 91 on their own, or a
  follow-up beside another section's own 91) leaves the coordinator, or anyone owning neither, asked which one.
- 回報 reads at most four digits, so past 9999 it takes the smallest free number from 91 up instead.
- a follow-up is known by its 決議 (`Resolution.followup_id`), never by its 編號 or title: a re-import matches the
  file's rows only to the plan's own items, so it never changes, renumbers or lists a follow-up as missing. A row
  numbered as a follow-up of its own section cannot stand beside it (one 編號 per section), and renumbering either
  would silently move what people report under that number, so that import is refused, naming the 決議 that holds
  it. A row taking a follow-up's number in another section is imported with a warning, and the pack and the
  console then name the follow-up with its section (「戶籍資料課 91」), which 回報 reads as that one item
  (`handlers/office/imports/followups.py`, `handlers.core.item_lookup.reported_as`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import count

from sqlalchemy import func, select

from handlers.core.incoming import Context
from handlers.core.item_lookup import reported_as
from handlers.core.request import Asker
from handlers.documents.review import month_review
from handlers.texts import review as V
from schedules.dates import format_date, roc_year
from schedules.phrases import Day, OneDay, Schedule
from storage import queries
from storage.models import Item, Listing, Plan, Resolution, ReviewDecision, Role, Staff
from storage.text import compact

OPINION_LIMIT = 300
RESOLUTION_LIMIT = 300
MAY_DECIDE = (Role.coordinator, Role.director)
FOLLOWUP_FROM = 91  # the lowest 編號 a meeting's follow-up takes
REPORTED_DIGITS = 4  # the longest 編號 回報 reads (handlers.core.item_lookup.NUMBERED)


@dataclass(frozen=True)
class Outcome:
    """What a write did: the refusal to show (nothing written), else the confirmation."""

    ok: bool
    text: str


def may_suggest(who: Asker, item: Item) -> bool:
    """The chief of the item's section proposes 解除 / 繼續列管."""
    staff = who.staff
    return staff is not None and staff.role is Role.chief and staff.section_id == item.section_id and staff.office_id == item.plan.office_id


def may_decide(who: Asker, plan: Plan) -> bool:
    staff = who.staff
    return staff is not None and staff.role in MAY_DECIDE and staff.office_id == plan.office_id


def listed_in(ctx: Context, item: Item, month: int) -> bool:
    """Say whether the item is in the month's review (behind, or carried from last month's 繼續列管)."""
    review = month_review(ctx.session, item.plan, month, ctx.today, ctx.calendar, item.section_id)
    return any(r.item.id == item.id for r in review.rows)


def _decision(ctx: Context, item: Item, month: int) -> ReviewDecision:
    row = ctx.session.scalar(select(ReviewDecision).where(
        ReviewDecision.item_id == item.id, ReviewDecision.year == item.plan.year, ReviewDecision.month == month))
    if row is None:
        row = ReviewDecision(item_id=item.id, year=item.plan.year, month=month, opinion="")
        ctx.session.add(row)
    return row


def _listing(text: str) -> Listing | None:
    try:
        return Listing(text)
    except ValueError:
        return None


def suggest(ctx: Context, who: Asker, item: Item, month: int, listing: str) -> Outcome:
    """Record the section's suggestion (the chief's) for the item in the month's review."""
    if not may_suggest(who, item):
        return Outcome(False, V.SUGGEST_REFUSED)
    chosen = _listing(listing)
    if chosen is None:
        return Outcome(False, V.BAD_LISTING)
    if not 1 <= month <= 12 or not listed_in(ctx, item, month):
        return Outcome(False, V.NOT_BEHIND_MONTH.format(number=item.number, title=item.title, month=month))
    row = _decision(ctx, item, month)
    row.suggestion, row.suggested_by, row.suggested_at = chosen, who.staff.id, ctx.now
    queries.audit(ctx.session, ctx.now, who.actor, "review.suggest", item_id=item.id, month=month, listing=chosen.value)
    ctx.session.flush()
    return Outcome(True, V.SUGGEST_KEPT.format(number=item.number, title=item.title, month=month, listing=V.LISTING[chosen.value]))


def decide(ctx: Context, who: Asker, item: Item, month: int, listing: str, opinion: str) -> Outcome:
    """Record the coordinator's decision and 研考意見 for the item in the month's review."""
    if not may_decide(who, item.plan):
        return Outcome(False, V.DECIDE_REFUSED)
    chosen = _listing(listing)
    if chosen is None:
        return Outcome(False, V.BAD_LISTING)
    opinion = opinion.strip()
    if len(opinion) > OPINION_LIMIT:
        return Outcome(False, V.OPINION_TOO_LONG.format(count=len(opinion), limit=OPINION_LIMIT))
    if not 1 <= month <= 12 or not listed_in(ctx, item, month):
        return Outcome(False, V.NOT_BEHIND_MONTH.format(number=item.number, title=item.title, month=month))
    row = _decision(ctx, item, month)
    row.decision, row.opinion, row.decided_by, row.decided_at = chosen, opinion, who.staff.id, ctx.now
    queries.audit(ctx.session, ctx.now, who.actor, "review.decide", item_id=item.id, month=month, listing=chosen.value,
                  opinion=opinion)
    ctx.session.flush()
    return Outcome(True, V.DECIDE_KEPT.format(number=item.number, title=item.title, month=month, listing=V.LISTING[chosen.value]))


def add_resolution(
    ctx: Context, who: Asker, plan: Plan, month: int, text: str, owner_name: str = "", due: date | None = None,
    item: Item | None = None,
) -> Outcome:
    """Record a 決議 of the meeting that reviewed `month`; with an owner and a date it becomes a tracked follow-up."""
    if not may_decide(who, plan) or who.staff.role is not Role.coordinator:
        return Outcome(False, V.RESOLUTION_REFUSED)
    text = " ".join(text.split())
    if not text:
        return Outcome(False, V.RESOLUTION_EMPTY)
    if len(text) > RESOLUTION_LIMIT:
        return Outcome(False, V.RESOLUTION_TOO_LONG.format(count=len(text), limit=RESOLUTION_LIMIT))
    owner_name = owner_name.strip()
    if bool(owner_name) != (due is not None):
        return Outcome(False, V.RESOLUTION_HALF)
    owner = None
    if owner_name:
        owner = queries.staff_by_name(ctx.session, plan.office_id, owner_name)
        if owner is None or not owner.active:
            return Outcome(False, V.RESOLUTION_NO_OWNER.format(name=owner_name))
    if due is not None and due.year != plan.year:
        return Outcome(False, V.RESOLUTION_BAD_DATE.format(
            day=f"{roc_year(due.year)}/{due.month}/{due.day}", roc=roc_year(plan.year),
            first=format_date(date(plan.year, 1, 1)), last=format_date(date(plan.year, 12, 31))))
    if item is not None and item.plan_id != plan.id:
        return Outcome(False, _not_in_plan(item, plan))
    row = Resolution(plan_id=plan.id, year=plan.year, month=month, item_id=item.id if item else None, text=text,
                     owner_id=owner.id if owner else None, due=due, created_by=who.staff.id, created_at=ctx.now)
    ctx.session.add(row)
    ctx.session.flush()
    said = V.RESOLUTION_KEPT.format(text=text)
    said += V.RESOLUTION_ON_ITEM.format(item=_named(item)) if item is not None else V.RESOLUTION_ON_NO_ITEM
    if owner is not None and due is not None:
        followup = _followup(ctx, plan, month, text, owner, due)
        row.followup_id = followup.id
        said += V.RESOLUTION_TRACKED.format(owner=owner.name, due=format_date(due), number=reported_as(ctx.session, followup))
    queries.audit(ctx.session, ctx.now, who.actor, "review.resolution", resolution=row.id, month=month, text=text,
                  owner=owner.name if owner else None, due=due.isoformat() if due else None)
    ctx.session.flush()
    return Outcome(True, said)


def _named(item: Item) -> str:
    return f"{item.section.name} {item.number} {item.title}"


def _not_in_plan(item: Item, plan: Plan) -> str:
    """Say that the item named is not the plan's (another office's item is not named)."""
    if item.plan.office_id != plan.office_id:
        return V.RESOLUTION_ITEM_UNKNOWN
    return V.RESOLUTION_ITEM_OTHER_PLAN.format(item=_named(item), item_roc=roc_year(item.plan.year), roc=roc_year(plan.year))


def followup_number(numbers: Iterable[str]) -> str:
    """Return the 編號 of a new follow-up: past every numeric 編號 given (6-2 counts as 6), never below 91, and short
    enough for 回報 to read (else the smallest free one from 91 up)."""
    heads = (compact(n).split("-")[0] for n in numbers)
    taken = {int(h) for h in heads if h.isdigit()}
    after = max(taken | {FOLLOWUP_FROM - 1}) + 1
    if after < 10**REPORTED_DIGITS:
        return str(after)
    return str(next(n for n in count(FOLLOWUP_FROM) if n not in taken))


def _followup(ctx: Context, plan: Plan, month: int, text: str, owner: Staff, due: date) -> Item:
    """Make the 決議 an item of the plan in the owner's section: one deadline on its date, the owner its owner.

    Its 編號 is no item's of the plan in any section (the module's docstring says why), and its title says it is a 決議.
    """
    section_id = owner.section_id or queries.sections_of(ctx.session, plan.office_id)[0].id
    numbers = ctx.session.scalars(select(Item.number).where(Item.plan_id == plan.id)).all()
    last = ctx.session.scalar(select(func.max(Item.position)).where(Item.plan_id == plan.id)) or 0
    phrase = f"{roc_year(due.year)}.{due.month}.{due.day}前"
    schedule = Schedule((OneDay(Day(due.month, due.day)),), phrase, plan.year)
    item = Item(
        plan_id=plan.id, section_id=section_id, number=followup_number(numbers), position=last + 1,
        title=V.FOLLOWUP_TITLE.format(text=text)[:200], content=text, schedule_text=phrase, months=[due.month],
        schedule=schedule.to_json(), kpi=V.FOLLOWUP_KPI.format(roc=roc_year(plan.year), month=month),
    )
    ctx.session.add(item)
    ctx.session.flush()
    queries.set_owners(ctx.session, item, [owner])
    return item
