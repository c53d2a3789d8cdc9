"""The answer to one event, with no web server or LINE: account and group changes, the answer, held reminders."""

from __future__ import annotations

from sqlalchemy import select

from handlers.chat.held_reminders import hold
from handlers.chat.pipeline import answer
from handlers.core.incoming import Incoming
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import plan_morning
from storage.models import HeldLine, Section
from tests.handler_fixtures import STAFF_DATA, read


def test_unfollow_stops_pushes_silently_and_follow_brings_them_back(talk):
    person = talk.staff(STAFF_DATA)
    assert answer(Incoming("unfollow", person.line_user_id), talk.context()) == ("unfollow", [])
    assert person.following is False and person.line_user_id  # the link is kept
    outcome, replies = answer(Incoming("follow", person.line_user_id), talk.context())
    assert outcome == "handled:follow" and replies and person.following is True


def test_leaving_a_group_unlinks_only_that_groups_section(talk):
    sections = talk.session.scalars(select(Section).order_by(Section.id)).all()
    sections[0].line_group_id, sections[1].line_group_id = "C" + "1" * 32, "C" + "2" * 32
    assert answer(Incoming("leave", "", group_id="C" + "1" * 32), talk.context()) == ("leave", [])
    assert sections[0].line_group_id is None and sections[1].line_group_id == "C" + "2" * 32


def test_held_reminders_ride_along_with_the_next_one_to_one_answer_once(talk):
    session, now = talk.session, talk.clock.now()
    person = talk.staff(STAFF_DATA)
    calendar = calendar_of(session)
    planned = plan_morning(office_inputs(session, calendar, now.date()), calendar, now)
    lines = next(p.lines for p in planned if p.staff_id == person.id)
    assert hold(session, {person.id: lines}, now.date(), now) == len(lines)
    untold = select(HeldLine).where(HeldLine.told_at.is_(None))
    in_group = answer(Incoming("text", person.line_user_id, text="本週", group_id="C" + "3" * 32), talk.context())
    assert "沒有推播" not in read(in_group[1])  # a group never sees one person's held lines
    assert len(session.scalars(untold).all()) == len(lines)
    first = answer(Incoming("text", person.line_user_id, text="本週"), talk.context())
    again = answer(Incoming("text", person.line_user_id, text="本週"), talk.context())
    assert "沒有推播" in read(first[1]) and "沒有推播" not in read(again[1])
    assert session.scalars(untold).all() == []
