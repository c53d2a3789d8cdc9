"""The console's 同仁 page: the roster with LINE link state, and binding codes issued one at a time."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storage import queries
from storage.invites import redeem
from storage.models import AuditLog, InviteCode
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, STAFF_DATA
from tests.test_console import Console, csrf_of, text_of


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def staff_id(console, name: str) -> int:
    with console.db.sessions() as session:
        return queries.find_staff(session, name).id


def test_the_coordinator_sees_every_colleague_and_whether_they_are_linked(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/staff"))
    assert page.count("<tr data-staff=") >= 10
    row = re.search(r'<tr data-staff="李冠緯">(.*?)</tr>', page, re.S).group(1)
    assert "戶籍資料課" in row and "承辦人" in row and "已綁定" in row


def test_a_binding_code_is_shown_once_and_links_the_colleague(console):
    client = console.signed_in(COORDINATOR)
    page = text_of(client.get("/console/staff"))
    target = staff_id(console, STAFF_DATA)
    issued = client.post(f"/console/staff/{target}/invite", data={"csrf": csrf_of(page)})
    assert issued.status_code == 200
    code = re.search(r'data-testid="invite-code"[^>]*>([A-Z0-9]{8})<', text_of(issued)).group(1)
    assert f"綁定 {code}" in text_of(issued)
    with console.db.sessions() as session:
        assert session.scalar(select(InviteCode.code_hash)) != code  # kept hashed
        actors = [a.actor for a in session.scalars(select(AuditLog).where(AuditLog.action == "staff.invite"))]
        assert actors[-1].startswith("console:staff:")
        assert redeem(session, code, "U" + "f" * 32, console.clock.now()).outcome == "linked"


def test_a_chief_or_a_forged_form_gets_no_code(console):
    chief = console.signed_in(CHIEF_DATA)
    assert chief.get("/console/staff").status_code == 403
    target = staff_id(console, STAFF_DATA)
    token = csrf_of(text_of(chief.get("/console/")))
    assert chief.post(f"/console/staff/{target}/invite", data={"csrf": token}).status_code == 403
    coordinator = console.signed_in(COORDINATOR)
    assert coordinator.post(f"/console/staff/{target}/invite", data={"csrf": "forged"}).status_code == 403
    assert console.app.test_client().post(f"/console/staff/{target}/invite", data={"csrf": token}).status_code == 401
    with console.db.sessions() as session:
        assert session.scalar(select(InviteCode)) is None
