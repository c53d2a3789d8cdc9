"""Leave in the morning run, with the database and the outbox (SQLite and PostgreSQL).

門牌整編 (陳怡君) is due 每月15日前: Wednesday 5/15/2024 `due`, Thursday 5/16 `overdue` (1st working day),
Monday 5/20 the 3rd. 陳怡君's deputies: 黃柏翔, then 林佩蓉; 沈志明 is the chief.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from test_deliveries import Recorder, at, clockwork

from handlers.chat.router import handle
from handlers.core.incoming import Context, Incoming
from handlers.core.replies import plain_text
from handlers.documents.digests import replies_from_payload
from schedules.clock import FixedClock
from schedules.phrases import parse_schedule
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import plan_morning
from storage import leave
from storage.models import Delivery, Item, ItemOwner, Office, Plan, Role, Section, Staff

IDS = {"陳怡君": "U" + "1" * 32, "黃柏翔": "U" + "2" * 32, "林佩蓉": "U" + "3" * 32, "沈志明": "U" + "4" * 32}
COORDINATOR = "U" + "5" * 32


def seed(sessions) -> None:
    with sessions() as session:
        office = Office(name="文山戶所", settings={})
        session.add(office)
        session.flush()
        section = Section(office_id=office.id, name="戶籍登記課")
        plan = Plan(office_id=office.id, year=2024)
        session.add_all([section, plan])
        session.flush()
        people = {
            name: Staff(office_id=office.id, name=name, section_id=section.id,
                        role=Role.chief if name == "沈志明" else Role.staff, line_user_id=line_id)
            for name, line_id in IDS.items()
        }
        session.add_all(people.values())
        session.add(Staff(office_id=office.id, name="簡心怡", section_id=section.id, role=Role.coordinator, line_user_id=COORDINATOR))
        session.flush()
        item = Item(plan_id=plan.id, section_id=section.id, number="1", position=1, title="門牌整編",
                    schedule_text="每月15日前", schedule=parse_schedule("每月15日前", None, 2024).to_json())
        session.add(item)
        session.flush()
        session.add(ItemOwner(item_id=item.id, staff_id=people["陳怡君"].id, position=0))
        leave.set_deputies(session, people["陳怡君"], people["黃柏翔"], people["林佩蓉"])
        session.commit()


def add_leave(sessions, name: str, starts: date, ends: date, now: datetime) -> None:
    with sessions() as session:
        person = session.scalar(select(Staff).where(Staff.name == name))
        leave.add_leave(session, person, starts, ends, now, "test")
        session.commit()


def digests(db, morning: date) -> dict[str, str]:
    """Return, per recipient name, what the morning's digest reads."""
    names = {v: k for k, v in IDS.items()}
    with db.sessions() as session:
        rows = session.scalars(select(Delivery).where(Delivery.morning == morning, Delivery.key.startswith("digest:")))
        return {names[r.recipient]: "\n".join(plain_text(x) for x in replies_from_payload(r.payload)) for r in rows}


def test_leave_added_after_the_mornings_digest_sends_nothing_twice(db):
    seed(db.sessions)
    send = Recorder()
    clockwork(db, FixedClock(at(date(2024, 5, 15))), send).morning()
    assert [to for to, _ in send.pushes] == [IDS["陳怡君"]]
    # At ten she goes home ill: her leave from today is recorded after her digest went out.
    ten = at(date(2024, 5, 15), 10, 0)
    add_leave(db.sessions, "陳怡君", date(2024, 5, 15), date(2024, 5, 16), ten)
    work = clockwork(db, FixedClock(ten), send)
    work.tend()
    work.morning()
    assert [to for to, _ in send.pushes] == [IDS["陳怡君"]], "nobody hears the same lines twice that morning"
    assert list(digests(db, date(2024, 5, 15))) == ["陳怡君"]
    # The next morning her overdue line goes to her first deputy, saying for whom; she gets nothing.
    clockwork(db, FixedClock(at(date(2024, 5, 16))), send).morning()
    assert [to for to, _ in send.pushes] == [IDS["陳怡君"], IDS["黃柏翔"]]
    read = digests(db, date(2024, 5, 16))
    assert list(read) == ["黃柏翔"]
    assert "門牌整編" in read["黃柏翔"] and "代理 陳怡君" in read["黃柏翔"] and "已逾期" in read["黃柏翔"]


def test_return_digest_lists_the_deputys_report_made_in_the_chat(db):
    seed(db.sessions)
    add_leave(db.sessions, "陳怡君", date(2024, 5, 14), date(2024, 5, 17), at(date(2024, 5, 13), 17, 0))
    with db.sessions() as session:
        ctx = Context(session=session, clock=FixedClock(at(date(2024, 5, 16), 9, 0)))
        replies = handle(Incoming("text", IDS["黃柏翔"], text="回報 1 5月 進行中 已會勘"), ctx)
        session.commit()
    assert "代理 陳怡君 回報" in plain_text(replies[0])
    send = Recorder()
    clockwork(db, FixedClock(at(date(2024, 5, 20))), send).morning()
    read = digests(db, date(2024, 5, 20))
    # Monday 5/20, her first working morning back: the report her deputy made, and the item still overdue.
    assert "代理期間回報" in read["陳怡君"] and "黃柏翔 代為回報" in read["陳怡君"]
    assert "已逾期" in read["陳怡君"] and "進行中" in read["陳怡君"]
    # 黃柏翔 covers nobody any more; the chief's escalation is about an owner who is back.
    assert "黃柏翔" not in read
    assert "由 黃柏翔 代理" not in read["沈志明"]


def test_both_deputies_away_the_chief_covers_and_the_escalation_says_who(db):
    seed(db.sessions)
    monday = at(date(2024, 5, 13), 17, 0)
    add_leave(db.sessions, "陳怡君", date(2024, 5, 14), date(2024, 5, 20), monday)
    add_leave(db.sessions, "黃柏翔", date(2024, 5, 15), date(2024, 5, 15), monday)
    add_leave(db.sessions, "林佩蓉", date(2024, 5, 15), date(2024, 5, 15), monday)
    with db.sessions() as session:
        calendar = calendar_of(session)
        due = plan_morning(office_inputs(session, calendar, date(2024, 5, 15)), calendar, at(date(2024, 5, 15)))
        third = plan_morning(office_inputs(session, calendar, date(2024, 5, 20)), calendar, at(date(2024, 5, 20)))
    assert [(p.to, [(ln.reason, ln.on_behalf) for ln in p.lines]) for p in due] == [("沈志明", [("due", "陳怡君")])]
    # 5/20: 黃柏翔 is back and covers; the chief's escalation names him.
    got = {p.to: [(ln.reason, ln.on_behalf, ln.covered_by) for ln in p.lines] for p in third}
    assert got == {"黃柏翔": [("overdue", "陳怡君", "")], "沈志明": [("escalation", "", "黃柏翔")]}


def close_from_chat(db, day: str, moment: datetime) -> None:
    with db.sessions() as session:
        ctx = Context(session=session, clock=FixedClock(moment))
        handle(Incoming("postback", COORDINATOR, data=f"a=closure&op=close&f={day}&t={day}"), ctx)
        session.commit()


def test_a_closure_confirmed_in_the_evening_is_pushed_by_the_clocks_next_round_once(db):
    seed(db.sessions)
    evening = at(date(2024, 5, 14), 20, 0)
    close_from_chat(db, "2024-05-15", evening)  # typhoon: 門牌整編 moves from 5/15 to 5/16
    send = Recorder()
    clockwork(db, FixedClock(at(date(2024, 5, 14), 20, 5)), send).tend()  # outside push hours: notices still go
    assert [to for to, _ in send.pushes] == [IDS["陳怡君"]]
    clockwork(db, FixedClock(at(date(2024, 5, 14), 20, 10)), send).tend()
    assert len(send.pushes) == 1, "a notice is pushed once"
    with db.sessions() as session:
        row = session.scalar(select(Delivery).where(Delivery.key.startswith("notice:")))
        text = plain_text(replies_from_payload(row.payload)[0])
    assert text == "📅 5/15（三） 停止上班，你的期限順延：\n・門牌整編（5月）：5/15（三） → 5/16（四）"


def test_closure_notices_wait_when_the_quota_would_be_exceeded(db):
    seed(db.sessions)
    close_from_chat(db, "2024-05-15", at(date(2024, 5, 14), 20, 0))
    send = Recorder()
    work = clockwork(db, FixedClock(at(date(2024, 5, 14), 20, 5)), send)
    work.quota = lambda n: False
    report = work.notices()
    assert send.pushes == [] and report.left == 1 and report.errors == ["quota"]
    work.quota = lambda n: True
    assert work.notices().sent == 1 and [to for to, _ in send.pushes] == [IDS["陳怡君"]]
