"""Managing the roster: add, edit, move, deactivate and reactivate (console and CLI), and the QR onboarding sheet."""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import unquote

import pytest
from sqlalchemy import func, select

from bot.cli import main
from bot.line_api import LineSender
from bot.rich_menus import install
from handlers.core.request import Asker
from handlers.documents.control_table import control_table
from handlers.office.onboarding_sheet import chat_link
from schedules.clock import TAIPEI
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import plan_morning
from storage import queries
from storage.leave import deputies_of
from storage.models import InviteCode, ProgressReport, Staff
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, MONDAY, STAFF_DATA, STAFF_REG
from tests.test_console import Console, csrf_of, text_of
from tests.test_rich_menus import TOKEN


@pytest.fixture
def console(demo_db) -> Console:
    return Console(demo_db)


def person(console, name: str) -> Staff:
    with console.db.sessions() as session:
        found = queries.find_staff(session, name)
        session.expunge(found)
        return found


def test_the_coordinator_adds_a_colleague_and_moves_them_to_another_section(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/staff")))
    added = client.post("/console/staff", data={"csrf": token, "name": "王新人", "section": "戶籍登記課", "role": "staff"})
    assert added.status_code == 200 and "已新增 王新人" in text_of(added)
    again = client.post("/console/staff", data={"csrf": token, "name": "王新人", "section": "戶籍登記課", "role": "staff"})
    assert again.status_code == 400 and "已經有「王新人」" in text_of(again)
    new = person(console, "王新人")
    form = text_of(client.get(f"/console/staff/{new.id}"))
    assert 'value="王新人"' in form and 'value="戶籍登記課"' in form and '<option value="staff" selected>' in form
    moved = client.post(f"/console/staff/{new.id}", data={"csrf": token, "name": "王新人", "section": "戶籍資料課", "role": "chief"})
    assert moved.status_code == 200 and "已儲存 王新人" in text_of(moved)
    with console.db.sessions() as session:
        again = queries.find_staff(session, "王新人")
        assert (again.section.name, again.role.value) == ("戶籍資料課", "chief")


def test_deactivating_unlinks_stops_reminders_keeps_reports_and_shows_the_items_unowned(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/staff")))
    target = person(console, STAFF_DATA)
    assert target.line_user_id
    with console.db.sessions() as session:
        reports = session.scalar(select(func.count()).select_from(ProgressReport).where(ProgressReport.staff_id == target.id))
    done = client.post(f"/console/staff/{target.id}/deactivate", data={"csrf": token})
    assert done.status_code == 200 and "已停用 李冠緯" in text_of(done)
    row = re.search(r'<tr data-staff="李冠緯" class="inactive">(.*?)</tr>', text_of(done), re.S).group(1)
    assert "已停用" in row and "發綁定碼" not in row
    with console.db.sessions() as session:
        gone = queries.find_staff(session, STAFF_DATA)
        assert gone.active is False and gone.line_user_id is None
        assert session.scalar(select(func.count()).select_from(ProgressReport).where(ProgressReport.staff_id == gone.id)) == reports
        cal = calendar_of(session)
        for day in (8, 9, 10, 11, 12):
            planned = plan_morning(office_inputs(session, cal, datetime(2024, 4, day).date()), cal,
                                   datetime(2024, 4, day, 8, 30, tzinfo=TAIPEI))
            assert all(p.staff_id != gone.id for p in planned)
            assert all(STAFF_DATA not in (ln.owners or ()) for p in planned for ln in p.lines)
        chief = queries.find_staff(session, CHIEF_DATA)
        table = control_table(session, Asker(chief.line_user_id, chief), cal, datetime(2024, 4, 8).date())
        door = next(r for s in table.sections for r in s.rows if r.number == "11")
        assert door.no_active_owner and door.inactive_owners == [STAFF_DATA]
    page = text_of(console.signed_in(CHIEF_DATA).get("/console/"))
    assert "李冠緯（已停用）" in page and "（無在職承辦人）" in page
    with console.db.sessions() as session:  # the chat no longer knows the account
        assert queries.staff_by_line_id(session, target.line_user_id) is None
    back = client.post(f"/console/staff/{target.id}/reactivate", data={"csrf": token})
    assert back.status_code == 200 and "已重新啟用 李冠緯" in text_of(back)
    assert person(console, STAFF_DATA).active is True


def test_roster_changes_need_the_coordinator_and_the_form_token(console):
    target = person(console, STAFF_DATA)
    chief = console.signed_in(CHIEF_DATA)
    chief_token = csrf_of(text_of(chief.get("/console/")))
    coordinator = console.signed_in(COORDINATOR)
    form = {"name": "冒名", "section": "戶籍資料課", "role": "director"}
    attempts = [
        (chief, chief_token), (coordinator, "forged"), (console.app.test_client(), chief_token),
    ]
    for client, token in attempts:
        assert client.post("/console/staff", data={**form, "csrf": token}).status_code in (401, 403)
        assert client.post(f"/console/staff/{target.id}", data={**form, "csrf": token}).status_code in (401, 403)
        assert client.post(f"/console/staff/{target.id}/deactivate", data={"csrf": token}).status_code in (401, 403)
        assert client.post(f"/console/staff/{target.id}/reactivate", data={"csrf": token}).status_code in (401, 403)
        assert client.post(f"/console/staff/{target.id}/invite", data={"csrf": token}).status_code in (401, 403)
        assert client.post("/console/staff/sheet", data={"csrf": token}).status_code in (401, 403)
    assert chief.get(f"/console/staff/{target.id}").status_code == 403
    after = person(console, STAFF_DATA)
    assert (after.name, after.active, after.role, after.section_id) == (target.name, True, target.role, target.section_id)
    with console.db.sessions() as session:
        assert queries.find_staff(session, "冒名") is None
        assert session.scalar(select(InviteCode)) is None


def newcomers(console, *names: str) -> None:
    with console.db.sessions() as session:
        office = queries.only_office(session)
        section = queries.find_section(session, office.id, "戶籍登記課")
        session.add_all(Staff(office_id=office.id, name=n, section_id=section.id) for n in names)
        session.commit()


def test_the_qr_sheet_gives_a_new_code_to_everyone_not_yet_linked(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/staff")))
    none = client.post("/console/staff/sheet", data={"csrf": token})
    assert "都已綁定" in text_of(none)
    newcomers(console, "王新人", "林新人")
    got = client.post("/console/staff/sheet", data={"csrf": token})
    assert got.status_code == 200 and got.data.startswith(b"%PDF")
    assert got.headers["Content-Type"] == "application/pdf"
    with console.db.sessions() as session:
        unlinked = {s.id for s in queries.staff_of_office(session, queries.only_office(session).id) if s.active and not s.line_user_id}
        invited = set(session.scalars(select(InviteCode.staff_id)))
    assert unlinked and invited == unlinked


def test_the_qr_code_opens_the_bots_chat_with_the_binding_typed():
    link = chat_link("ABCD2345", "@123abcde")
    assert link.startswith("https://line.me/R/oaMessage/@123abcde/?")
    assert unquote(link.split("?", 1)[1]) == "綁定 ABCD2345"
    assert chat_link("ABCD2345", "") == "綁定 ABCD2345"


def test_planbot_staff_deactivate_and_reactivate(console, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    assert main(["staff", "deactivate", STAFF_DATA]) == 0
    assert "已停用 李冠緯" in capsys.readouterr().out
    assert person(console, STAFF_DATA).active is False
    assert main(["staff", "invite", STAFF_DATA]) == 1
    assert "已停用" in capsys.readouterr().err
    assert main(["staff", "deactivate", STAFF_DATA]) == 0
    assert "已經停用" in capsys.readouterr().out
    assert main(["staff", "reactivate", STAFF_DATA]) == 0
    assert "已重新啟用" in capsys.readouterr().out
    assert person(console, STAFF_DATA).active is True and person(console, STAFF_DATA).line_user_id is None


def test_planbot_staff_invite_all_writes_the_sheet(console, monkeypatch, capsys, tmp_path):
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    monkeypatch.setenv("LINE_BOT_BASIC_ID", "@123abcde")
    sheet = tmp_path / "sheet.pdf"
    newcomers(console, "王新人")
    assert main(["staff", "invite", "--all", "--sheet", str(sheet)]) == 0
    assert "綁定單" in capsys.readouterr().out
    assert sheet.read_bytes().startswith(b"%PDF")
    assert main(["staff", "invite", "--sheet", str(sheet)]) == 1
    assert "--all" in capsys.readouterr().err
    assert main(["staff", "invite", "--all"]) == 0
    assert re.search(r"：綁定 [A-Z0-9]{8}", capsys.readouterr().out)


def test_a_deactivated_chief_is_signed_out_of_the_console_and_gets_no_new_link(console, monkeypatch, capsys):
    chief = console.signed_in(CHIEF_DATA)
    assert chief.get("/console/").status_code == 200
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    assert main(["staff", "deactivate", CHIEF_DATA]) == 0
    assert chief.get("/console/").status_code == 401
    assert main(["console", "link", CHIEF_DATA]) == 1


def test_reactivation_does_not_revive_the_sessions_and_links_deactivation_ended(console, monkeypatch, capsys):
    chief = console.signed_in(CHIEF_DATA)
    unused = console.link(CHIEF_DATA)
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    assert main(["staff", "deactivate", CHIEF_DATA]) == 0
    assert main(["staff", "reactivate", CHIEF_DATA]) == 0
    assert chief.get("/console/").status_code == 401
    assert console.app.test_client().post(unused).status_code == 410


def test_the_chat_shows_a_deactivated_owners_items_as_having_no_active_owner(console, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", console.db.url)
    assert main(["staff", "deactivate", STAFF_DATA]) == 0
    card = console.chat(COORDINATOR, "查 門牌指標")
    assert "李冠緯（已停用）（無在職承辦人）" in card
    assert "李冠緯（已停用）" in console.chat(CHIEF_DATA, "查 門牌指標")


@pytest.fixture
def line_api():
    """The fake LINE API with the role menus installed on it is left for the test; nothing it refused."""
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api
    assert api.rejected == [], api.rejected


def test_deactivating_takes_the_role_menu_away_and_reactivating_leaves_it_to_the_next_link(line_api, demo_db, monkeypatch):
    fake = line_api
    with LineSender(TOKEN, base_url=fake.base_url, data_url=fake.data_url, sleep=lambda _s: None) as sender:
        install(sender, demo_db.sessions, MONDAY)
    with demo_db.sessions() as session:
        user = queries.find_staff(session, STAFF_REG).line_user_id
    assert user in fake.rich.user_menus
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_BASE", fake.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE", fake.data_url)
    assert main(["staff", "deactivate", STAFF_REG]) == 0
    assert user not in fake.rich.user_menus  # back to the default menu, whose buttons explain linking
    assert main(["staff", "reactivate", STAFF_REG]) == 0
    assert user not in fake.rich.user_menus  # unlinked until a new binding code is used


def test_the_coordinator_sets_a_colleagues_deputies_on_the_staff_page(console):
    client = console.signed_in(COORDINATOR)
    owner, first, second = person(console, STAFF_DATA), person(console, STAFF_REG), person(console, CHIEF_DATA)
    page = text_of(client.get(f"/console/staff/{owner.id}"))
    token = csrf_of(page)
    assert "職務代理人" in page and 'name="first"' in page and 'name="second"' in page
    saved = client.post(f"/console/staff/{owner.id}/deputies", data={"csrf": token, "first": first.id, "second": second.id})
    assert saved.status_code == 200 and f"已設定 {owner.name} 的職務代理人" in text_of(saved)
    with console.db.sessions() as session:
        assert [d.name if d else None for d in deputies_of(session, owner.id)] == [first.name, second.name]
    # The staff list shows them, and the form shows what is set.
    assert f'<td data-testid="deputies">{first.name}、{second.name}</td>' in text_of(client.get("/console/staff"))
    assert f'<option value="{first.id}" selected>' in text_of(client.get(f"/console/staff/{owner.id}"))


@pytest.mark.parametrize(
    ("first", "second", "message"),
    [("same", "same", "不能是同一人"), ("", "other", "請先選第一代理人"), ("self", "", "不在本機關的在職名冊上"),
     ("x1", "", "不在本機關的在職名冊上")],
)
def test_deputies_that_cannot_be_are_refused_and_nothing_changes(console, first, second, message):
    client = console.signed_in(COORDINATOR)
    owner, other = person(console, STAFF_DATA), person(console, STAFF_REG)
    before = named_deputies(console, owner.id)  # the demo roster's
    token = csrf_of(text_of(client.get(f"/console/staff/{owner.id}")))
    value = {"same": other.id, "other": other.id, "self": owner.id, "": "", "x1": "x1"}
    refused = client.post(f"/console/staff/{owner.id}/deputies", data={"csrf": token, "first": value[first], "second": value[second]})
    assert refused.status_code == 400 and message in text_of(refused)
    assert named_deputies(console, owner.id) == before


def named_deputies(console, staff_id: int) -> list[str | None]:
    with console.db.sessions() as session:
        return [d.name if d else None for d in deputies_of(session, staff_id)]


def test_deputies_need_the_coordinator_and_the_form_token(console):
    owner, other = person(console, STAFF_DATA), person(console, STAFF_REG)
    before = named_deputies(console, owner.id)
    chief = console.signed_in(CHIEF_DATA)
    chief_token = csrf_of(text_of(chief.get("/console/")))
    coordinator = console.signed_in(COORDINATOR)
    for client, token in [(chief, chief_token), (coordinator, "forged"), (console.app.test_client(), chief_token)]:
        answer = client.post(f"/console/staff/{owner.id}/deputies", data={"csrf": token, "first": other.id})
        assert answer.status_code in (401, 403)
    assert named_deputies(console, owner.id) == before


def test_a_new_section_typed_in_the_console_is_asked_for_first(console):
    client = console.signed_in(COORDINATOR)
    token = csrf_of(text_of(client.get("/console/staff")))
    typo = {"csrf": token, "name": "王新人", "section": "戶籍登紀課", "role": "staff"}
    asked = client.post("/console/staff", data=typo)
    shown = text_of(asked)
    assert asked.status_code == 400
    assert "名冊裡還沒有「戶籍登紀課」這個課室（最接近的是「戶籍登記課」）" in shown
    assert 'name="new_section"' in shown and 'value="戶籍登紀課"' in shown
    with console.db.sessions() as session:
        assert queries.find_staff(session, "王新人") is None
    confirmed = client.post("/console/staff", data={**typo, "new_section": "1"})
    assert confirmed.status_code == 200 and "已新增 王新人" in text_of(confirmed)
    with console.db.sessions() as session:
        assert queries.find_staff(session, "王新人").section.name == "戶籍登紀課"
