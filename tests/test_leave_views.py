"""「請假中，由 X 代理」 beside an owner's items in the summary and the console's year table; deputies on 同仁."""

from __future__ import annotations

import re

import pytest

from storage import leave, queries
from tests.handler_fixtures import COORDINATOR, MONDAY
from tests.test_console import Console, text_of


@pytest.fixture
def console(demo_db) -> Console:
    c = Console(demo_db)
    with demo_db.sessions() as session:
        chen, huang, lin = (queries.find_staff(session, n) for n in ("陳怡君", "黃柏翔", "林佩蓉"))
        leave.set_deputies(session, chen, huang, lin)
        leave.add_leave(session, chen, MONDAY.date(), MONDAY.date(), MONDAY, "test")
        session.commit()
    return c


def test_year_table_marks_the_owner_on_leave_and_who_covers(console):
    page = text_of(console.signed_in(COORDINATOR).get("/console/"))
    assert "陳怡君（請假中，由 黃柏翔 代理）" in page
    assert "黃柏翔（請假中" not in page


def test_summary_says_who_is_on_leave_and_who_covers(console):
    card = console.chat("沈志明", "摘要")
    assert "陳怡君　請假中，由 黃柏翔 代理" in card


def test_staff_page_lists_each_persons_deputies(console):
    page = text_of(console.signed_in(COORDINATOR).get("/console/staff"))
    row = re.search(r'<tr data-staff="陳怡君">(.*?)</tr>', page, re.S).group(1)
    assert "黃柏翔、林佩蓉" in row
    assert "代理人" in page
