"""A digest card says what was last reported as the chat's lists say it (docs/STATUS.md, 'Morning digests')."""

from __future__ import annotations

from datetime import date, datetime

from handlers.documents.digests import digest, more_page, payload
from handlers.texts import reminders as R
from schedules.clock import TAIPEI
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import Line, plan_morning
from tests.handler_fixtures import STAFF_DATA


def _morning_of(talk, person: str, day: date):
    calendar = calendar_of(talk.session)
    planned = plan_morning(office_inputs(talk.session, calendar, day), calendar, datetime(day.year, day.month, day.day, 8, tzinfo=TAIPEI))
    return next(p for p in planned if p.to == person)


def _status_rows(planned) -> dict[str, str | None]:
    """Return each item card's 目前 row by 編號 (None when the card has none)."""
    [carousel] = digest(planned, item_cards=99)
    return {c.subtitle.split()[-1]: {r.label: r.value for r in c.rows}.get(R.ROW_STATUS)
            for c in carousel.cards[1:] if c.subtitle}


def test_a_due_line_says_the_percentage_said_and_unreported_when_nobody_reported(talk):
    assert talk.text(STAFF_DATA, "回報 12 4月 50%").startswith("已記錄")
    planned = _morning_of(talk, STAFF_DATA, date(2024, 4, 30))
    line = next(ln for ln in planned.lines if ln.number == "12")
    assert (line.reason, line.status, line.percent) == ("due", "in_progress", 50)
    rows = _status_rows(planned)
    assert rows["12"] == "進行中 50%"
    assert rows["2-6"] == "未回報"  # due that morning, nobody reported
    # The stored payload (the 更多 page, a resend) keeps the percentage.
    assert Line.from_json(line.to_json()) == line
    assert more_page(payload(planned, digest(planned)), 2) is not None


def test_an_overdue_line_says_not_started_apart_from_unreported(talk):
    talk.text(STAFF_DATA, "回報 6 4月 未開始")
    rows = _status_rows(_morning_of(talk, STAFF_DATA, date(2024, 4, 30)))
    assert rows["6"] == "未開始"  # a report, not the absence of one
