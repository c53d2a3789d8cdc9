"""The store keeps progress as history, enforces uniqueness, and stores times as UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from storage import queries
from storage.invites import create_invite, redeem
from storage.models import Item, OverrideKind, ProgressReport, Role, Staff, Status


def _plan(session):
    office = queries.get_or_create_office(session, "文山戶所")
    section = queries.get_or_create_section(session, office, "戶籍登記課")
    plan = queries.get_or_create_plan(session, office, 2024)
    item = Item(plan_id=plan.id, section_id=section.id, number="3", title="助您好孕專案")
    person = Staff(office_id=office.id, name="林志明", section_id=section.id, role=Role.staff)
    session.add_all([item, person])
    session.flush()
    return office, section, plan, item, person


def test_reports_are_history_and_latest_wins(session, now):
    *_, item, person = _plan(session)
    for status, minutes in ((Status.in_progress, 0), (Status.done, 5)):
        session.add(ProgressReport(item_id=item.id, occurrence_key="2024-04", status=status, staff_id=person.id,
                                   reported_at=now + timedelta(minutes=minutes)))
    session.commit()
    history = queries.reports_of_item(session, item.id)
    assert [r.status for r in history] == [Status.done, Status.in_progress]
    latest = queries.latest_reports(session, [item.id])
    assert latest[(item.id, "2024-04")].status is Status.done
    assert history[0].reported_at.tzinfo is not None
    assert history[0].reported_at == now + timedelta(minutes=5)
    assert history[0].reported_at.utcoffset() == timedelta(0)


def test_item_number_is_unique_per_section(session):
    _, section, plan, *_ = _plan(session)
    session.add(Item(plan_id=plan.id, section_id=section.id, number="3", title="重複"))
    with pytest.raises(IntegrityError):
        session.flush()


def test_calendar_override_replaces_earlier_one(session):
    office = queries.get_or_create_office(session, "測試所")
    queries.set_override(session, office.id, date(2024, 7, 25), OverrideKind.closure, "凱米颱風")
    queries.set_override(session, office.id, date(2024, 7, 25), OverrideKind.workday, "改為上班")
    session.commit()
    closures, workdays = queries.calendar_overrides(session, office.id)
    assert closures == frozenset() and workdays == {date(2024, 7, 25)}


def test_invite_links_once_and_expires(session, now):
    *_, person = _plan(session)
    code, expires = create_invite(session, person, now)
    assert expires - now == timedelta(hours=72)
    assert redeem(session, code.lower(), "U" + "a" * 32, now).outcome == "linked"
    assert person.line_user_id == "U" + "a" * 32
    assert redeem(session, code, "U" + "b" * 32, now).outcome == "used"
    late_code, _ = create_invite(session, person, now)
    assert redeem(session, late_code, "U" + "c" * 32, now + timedelta(hours=73)).outcome == "expired"


def test_wrong_codes_are_rate_limited(session, now):
    *_, person = _plan(session)
    code, _ = create_invite(session, person, now)
    for _ in range(5):
        assert redeem(session, "WRONG123", "U" + "d" * 32, now).outcome == "wrong"
    assert redeem(session, code, "U" + "d" * 32, now).outcome == "limited"
    assert redeem(session, code, "U" + "d" * 32, now + timedelta(hours=1, minutes=1)).outcome == "linked"


def test_naive_datetimes_are_refused(session):
    with pytest.raises(Exception, match="naive"):
        queries.audit(session, datetime(2024, 1, 1), "cli", "x")
        session.flush()
    session.rollback()
    queries.audit(session, datetime(2024, 1, 1, tzinfo=UTC), "cli", "x")
    session.flush()
