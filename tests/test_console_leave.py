"""The console's 請假與代理 page: who is away, who covers, the gaps, and recording a leave (everyone concerned told)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storage.models import Delivery, Leave, Staff
from tests.test_console import Console, csrf_of, text_of

# On the demo roster 陳怡君's deputies are 黃柏翔 then 林佩蓉; 沈志明 is the chief of 戶籍登記課.


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def staff_id(console: Console, name: str) -> int:
    with console.db.sessions() as session:
        return session.scalar(select(Staff.id).where(Staff.name == name))


def record(console: Console, client, name: str, start: str, end: str):
    form = {"csrf": csrf_of(text_of(client.get("/console/leave"))), "staff": staff_id(console, name), "start": start, "end": end}
    return client.post("/console/leave", data=form)


def test_recorded_leave_shows_who_covers_and_tells_them_and_the_chief(console):
    client = console.signed_in("簡心怡")
    assert "這一個月內沒有人請假" in text_of(client.get("/console/leave"))
    done = record(console, client, "陳怡君", "2024-04-10", "2024-04-12")
    page = text_of(done)
    assert done.status_code == 200 and "已登記 陳怡君 請假：4/10（三）～4/12（五）（3 天）" in page
    assert "已通知：" in page
    assert '<tr data-name="陳怡君"><td>戶籍登記課</td><td>陳怡君</td><td>4/10（三）～4/12（五）（3 天）</td>' in page
    assert "黃柏翔（第一代理人）" in page
    with console.db.sessions() as session:
        told = session.scalars(select(Staff.name).join(Delivery, Delivery.staff_id == Staff.id)
                               .where(Delivery.key.like("notice:leave:%"))).all()
    assert sorted(told) == ["沈志明", "黃柏翔"]


def test_a_gap_is_a_day_both_deputies_are_away(console):
    client = console.signed_in("簡心怡")
    record(console, client, "陳怡君", "2024-04-10", "2024-04-12")
    record(console, client, "黃柏翔", "2024-04-11", "2024-04-11")
    # 林佩蓉, the second deputy, covers 4/11; 黃柏翔 has no deputies set, so his chief covers him: no gap either.
    assert "代理缺口" not in text_of(client.get("/console/leave"))
    page = text_of(record(console, client, "林佩蓉", "2024-04-11", "2024-04-12"))
    assert "代理缺口（1）" in page  # 4/12 黃柏翔 is back and covers again
    assert "戶籍登記課 陳怡君：4/11（四） 代理人都不在" in page


def test_a_bad_form_or_a_past_day_records_nothing(console):
    client = console.signed_in("簡心怡")
    assert record(console, client, "陳怡君", "2024-04-12", "2024-04-10").status_code == 400
    assert record(console, client, "陳怡君", "2024-04-01", "2024-04-02").status_code == 400
    with console.db.sessions() as session:
        assert session.scalars(select(Leave)).all() == []


def test_only_the_coordinator_and_the_director_see_the_page(console):
    assert console.signed_in("游振昌").get("/console/leave").status_code == 200
    assert console.signed_in("江淑惠").get("/console/leave").status_code == 403
