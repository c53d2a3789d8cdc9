"""A session scoped to an office sees and writes only that office's rows; an unscoped one sees every office."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select, update

from schedules.plan_inputs import calendar_of
from storage import queries, scope
from storage.models import (
    Base,
    CalendarOverride,
    Item,
    ItemOwner,
    LagReason,
    Leave,
    Office,
    OverrideKind,
    Plan,
    ProgressReport,
    Section,
    Staff,
    Status,
)

AT = datetime(2024, 4, 8, 1, 0, tzinfo=UTC)


def _office(session, name: str, person: str, title: str, closed: date) -> int:
    office = queries.get_or_create_office(session, name)
    section = Section(office_id=office.id, name=f"{name}課")
    plan = Plan(office_id=office.id, year=2024)
    session.add_all([section, plan])
    session.flush()
    staff = Staff(office_id=office.id, name=person, section_id=section.id)
    item = Item(plan_id=plan.id, section_id=section.id, number="1", title=title)
    session.add_all([staff, item])
    session.flush()
    session.add_all([
        ItemOwner(item_id=item.id, staff_id=staff.id),
        ProgressReport(item_id=item.id, occurrence_key="2024-04", status=Status.done, staff_id=staff.id, reported_at=AT),
        LagReason(item_id=item.id, occurrence_key="2024-03", cause=f"{title}的原因"),
        Leave(staff_id=staff.id, starts=closed, ends=closed, created_at=AT),
        CalendarOverride(office_id=office.id, day=closed, kind=OverrideKind.closure, reason=f"{name}颱風"),
    ])
    session.flush()
    return office.id


@pytest.fixture
def two(db):
    """Offices A and B, each with a plan, a person, an item, a report, a reason, a leave and a closure."""
    with db.sessions() as session:
        a = _office(session, "甲區公所", "甲先生", "甲項目", date(2024, 7, 24))
        b = _office(session, "乙區公所", "乙小姐", "乙項目", date(2024, 7, 25))
        session.commit()
    return db, a, b


def test_every_mapped_class_is_owned_by_an_office_or_shared_on_purpose():
    mapped = {m.class_ for m in Base.registry.mappers}
    assert mapped == set(scope.OWNED) | set(scope.SHARED)
    assert not set(scope.OWNED) & set(scope.SHARED)
    assert all(why.strip() for why in scope.SHARED.values())


def test_a_scoped_session_sees_only_its_office_in_entities_columns_and_counts(two):
    db, a, b = two
    with db.sessions() as session:
        scope.scope_to(session, a)
        assert session.scalars(select(Office.name)).all() == ["甲區公所"]
        assert session.scalars(select(Item.title)).all() == ["甲項目"]
        assert session.scalars(select(Staff.name)).all() == ["甲先生"]
        assert session.scalar(select(func.count()).select_from(ProgressReport)) == 1
        assert [r.cause for r in session.scalars(select(LagReason))] == ["甲項目的原因"]
        assert session.scalars(select(Leave.starts)).all() == [date(2024, 7, 24)]
        assert session.scalars(select(ItemOwner.staff_id)).all() == session.scalars(select(Staff.id)).all()
        # The office's calendar is its own: B's typhoon is not A's closure.
        assert calendar_of(session).closures == {date(2024, 7, 24)}
        # Reaching into B by its ids finds nothing.
        b_item = session.get(Item, _ids(db, Item, b)[0])
        assert b_item is None
    with db.sessions() as session:
        assert sorted(session.scalars(select(Item.title))) == ["乙項目", "甲項目"]
        assert calendar_of(session, b).closures == {date(2024, 7, 25)}
        with pytest.raises(ValueError):
            calendar_of(session)  # several offices and no scope: whose calendar is not guessed


def test_lazy_loads_of_a_scoped_session_stay_in_the_office(two):
    db, a, _ = two
    with db.sessions() as session:
        scope.scope_to(session, a)
        office = session.scalars(select(Office)).one()
        assert [s.name for s in office.sections] == ["甲區公所課"]
        (plan,) = office.plans
        assert [i.title for i in plan.items] == ["甲項目"]


def test_orm_updates_and_deletes_of_a_scoped_session_touch_only_its_office(two):
    db, a, b = two
    with db.sessions() as session:
        scope.scope_to(session, a)
        session.execute(update(Item).values(title="改過").execution_options(synchronize_session=False))
        session.execute(delete(CalendarOverride))
        session.commit()
    with db.sessions() as session:
        assert sorted(session.scalars(select(Item.title))) == ["乙項目", "改過"]
        assert session.scalars(select(CalendarOverride.office_id)).all() == [b]


def test_a_scoped_session_refuses_to_write_a_row_of_another_office(two):
    db, a, b = two
    b_staff, b_item = _ids(db, Staff, b)[0], _ids(db, Item, b)[0]
    for row in (
        CalendarOverride(office_id=b, day=date(2024, 8, 1), kind=OverrideKind.closure, reason="寫錯機關"),
        ProgressReport(item_id=b_item, occurrence_key="2024-05", status=Status.done, reported_at=AT),
        Leave(staff_id=b_staff, starts=date(2024, 8, 1), ends=date(2024, 8, 1), created_at=AT),
    ):
        with db.sessions() as session:
            scope.scope_to(session, a)
            session.add(row)
            with pytest.raises(scope.CrossOfficeWrite):
                session.flush()
    with db.sessions() as session:
        scope.scope_to(session, a)
        mine = session.scalars(select(Staff)).one()
        mine.office_id = b  # moving a person to another office through A's session
        with pytest.raises(scope.CrossOfficeWrite):
            session.flush()
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Leave)) == 2
        assert session.scalar(select(func.count()).select_from(CalendarOverride)) == 2


def test_a_scoped_session_writes_its_own_office_as_before(two):
    db, a, _ = two
    with db.sessions() as session:
        scope.scope_to(session, a)
        item = session.scalars(select(Item)).one()
        session.add(ProgressReport(item_id=item.id, occurrence_key="2024-05", status=Status.done, reported_at=AT))
        queries.set_override(session, a, date(2024, 8, 1), OverrideKind.closure, "甲區颱風")
        session.commit()
    with db.sessions() as session:
        assert calendar_of(session, a).closures == {date(2024, 7, 24), date(2024, 8, 1)}


def test_a_session_is_scoped_once(two):
    db, a, b = two
    with db.sessions() as session:
        scope.scope_to(session, a)
        scope.scope_to(session, a)
        with pytest.raises(scope.CrossOfficeWrite):
            scope.scope_to(session, b)


def _ids(db, model, office_id: int) -> list[int]:
    with db.sessions() as session:
        scope.scope_to(session, office_id)
        return list(session.scalars(select(model.id)))


def test_the_one_calendar_before_0016_becomes_every_office_calendar(tmp_path):
    from sqlalchemy import text

    from storage.db import make_engine
    from storage.migrate import downgrade, upgrade

    url = f"sqlite:///{tmp_path / 'calendars.db'}"
    upgrade(url, "0014")
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO offices (name, settings) VALUES ('甲所', '{}'), ('乙所', '{}')"))
        conn.execute(text("INSERT INTO calendar_overrides (day, kind, reason) VALUES ('2024-07-25', 'closure', '凱米')"))
    upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT office_id, day, reason FROM calendar_overrides ORDER BY office_id")).all()
    assert [(o, str(d), r) for o, d, r in rows] == [(1, "2024-07-25", "凱米"), (2, "2024-07-25", "凱米")]
    downgrade(url, "0014")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT day, reason FROM calendar_overrides")).all() == [("2024-07-25", "凱米")]
    engine.dispose()
