"""The demo office's last monthly review (管考): reasons from owners, the chiefs' suggestions, the coordinator's
decisions and one 決議 tracked as a follow-up, written through the same handlers as the chat and the console.

Deterministic for a day, like `bot.demo_history`; nothing is written when the month's review already has decisions.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from handlers.chat import lag_reasons
from handlers.core.incoming import Context, Settings
from handlers.core.request import Asker
from handlers.documents.review import month_review, previous_month
from handlers.office import review_decisions
from handlers.texts import review as V
from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI, FixedClock
from storage import queries
from storage.models import Plan, ReviewDecision, Role, Via

# (落後原因, 因應對策) as owners write them; some are left unwritten, so the demo shows a red light for that too.
REASONS = (
    ("等待區公所提供新門牌資料", "已函催區公所，預計下週補齊"),
    ("承辦人請假，案件累積", "由職務代理人協助，本週內辦畢"),
    ("民眾補件未齊", "已電話通知補件，補齊後即辦理"),
    ("系統維護暫停作業", "系統恢復後優先處理"),
    ("配合上級機關來函調整作業方式", "依新規定修正流程後續辦"),
)
# A late 完成 asks its owner too: what they answer once the work is done.
DONE_LATE_REASONS = (
    ("承辦人請假，案件累積", "已辦畢，後續由職務代理人提前排程"),
    ("系統維護暫停作業", "已補辦完成，下次提前三日作業"),
    ("民眾補件未齊", "已補件辦畢，改以簡訊提醒補件期限"),
)
WRITTEN = 0.7
RESOLUTION = "請{section}於期限前補齊「{title}」進度，並於下次會議報告"


@dataclass
class ReviewHistory:
    reasons: int = 0
    decisions: int = 0
    resolutions: int = 0
    month: int | None = None


def make_review(session: Session, plan: Plan, calendar: WorkCalendar, now: datetime) -> ReviewHistory:
    """Write last month's review as the office would have done it by `now` (nothing in January or when done)."""
    done = ReviewHistory()
    today = now.astimezone(TAIPEI).date()
    year, month = previous_month(today.year, today.month)
    if year != plan.year:
        return done
    ids = [i.id for i in queries.items_of_plan(session, plan.id)]
    if ids and session.scalar(select(func.count(ReviewDecision.id)).where(ReviewDecision.item_id.in_(ids))):
        return done
    rng = random.Random(f"planbot-review-{today.isoformat()}")
    ctx = Context(session, FixedClock(now), Settings())
    staff = queries.staff_of_office(session, plan.office_id)
    coordinator = next((s for s in staff if s.role is Role.coordinator and s.active), None)
    chiefs = {s.section_id: s for s in staff if s.role is Role.chief and s.active}
    found = month_review(session, plan, month, today, calendar)
    done.month = month
    for row in found.rows:
        owner = row.item.owners[0] if row.item.owners else None
        for behind in row.behind:
            if owner is None or rng.random() > WRITTEN:
                continue
            cause, remedy = rng.choice(DONE_LATE_REASONS if behind.done_on is not None else REASONS)
            written = now - timedelta(days=rng.randint(1, 5), minutes=rng.randint(0, 300))
            lag_reasons.save(ctx, f"demo:staff:{owner.id}", owner.id, row.item, behind.due.occ.key, cause, remedy, written)
            done.reasons += 1
    found = month_review(session, plan, month, today, calendar)  # the lights with the reasons just written
    for row in found.rows:
        open_now = any(b.done_on is None for b in row.behind)
        listing = "keep" if open_now else "release"
        chief = chiefs.get(row.item.section_id)
        if chief is not None:
            review_decisions.suggest(ctx, Asker("", chief, via=Via.demo), row.item, month, listing)
        if coordinator is not None:
            opinion = "請持續追蹤，下月會議報告" if open_now and rng.random() < 0.5 else ""
            if review_decisions.decide(ctx, Asker("", coordinator, via=Via.demo), row.item, month, listing, opinion).ok:
                done.decisions += 1
    red = next((r for r in found.rows if r.light.value == "red" and r.item.owners), None)
    due = today + timedelta(days=14)
    if red is not None and coordinator is not None and due.year == plan.year:
        text = RESOLUTION.format(section=red.item.section.name, title=red.item.title)
        outcome = review_decisions.add_resolution(ctx, Asker("", coordinator, via=Via.demo), plan, month, text,
                                                  red.item.owners[0].name, calendar.next_working_day(due), red.item)
        done.resolutions += int(outcome.ok)
    session.flush()
    return done


def summary(done: ReviewHistory) -> str:
    return V.DEMO_REVIEW.format(month=done.month, reasons=done.reasons, decisions=done.decisions, resolutions=done.resolutions)
