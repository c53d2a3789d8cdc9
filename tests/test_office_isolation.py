"""Two offices in one database: whoever of office A asks — in the chat, the console, an export or a review
document — sees nothing of office B. B's every name (office, sections, people, item titles, closure, leave,
reasons, 研考意見) carries the mark 乙乙, so a leak is found by looking for it."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest
from flask import url_for
from sqlalchemy import select

from bot.cli import main
from handlers.chat.catalog import COMMANDS
from handlers.office.imports.plan import import_plan
from handlers.office.imports.staff import import_staff, read_roster
from storage import queries, scope
from storage.models import (
    CalendarOverride,
    ExportFile,
    Item,
    LagReason,
    Leave,
    Listing,
    OverrideKind,
    ProgressReport,
    ReviewDecision,
    Section,
    Staff,
    Status,
)
from tests.conftest import DEMO
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, DIRECTOR, MONDAY, STAFF_DATA, load_demo
from tests.test_console import Console

MARK = "乙乙"
B_OFFICE = f"{MARK}高雄市旗津區戶政事務所"
AT = datetime(2024, 4, 1, 1, 0, tzinfo=UTC)
ROLES = (DIRECTOR, COORDINATOR, CHIEF_DATA, STAFF_DATA)
# What people type besides the commands' own words: dates, months, sentences about items and people.
SENTENCES = ("12月", "4/10", "門牌 完成", "門牌 進行中 50%", "李冠緯", "李冠緯 的作業", "查 門牌", "延後", "請假 4/15",
             "停班 4/10 颱風", "確定", "更多", "?", "誰負責門牌")


def _build_b(session, tmp_path) -> int:
    """Office B: the demo plan and roster again, every name marked, with reports, reasons, decisions, a closure, leave."""
    import_plan(session, DEMO / "wenshan-113.ods", 2024, MONDAY, office_name=B_OFFICE, tracking_from=date(2024, 1, 1))
    office = queries.find_office(session, B_OFFICE)
    roster = read_roster(DEMO / "staff.csv")
    for row in roster:  # B's people have LINE accounts of their own
        row["LINE使用者ID"] = "U" + row["LINE使用者ID"][1:][::-1] if row.get("LINE使用者ID") else ""
    import_staff(session, office, roster, MONDAY, "b.csv")
    # Chosen by hand, not through a scoped session: the fixture must not lean on what is tested.
    for row in session.scalars(select(Section).where(Section.office_id == office.id)):
        row.name = MARK + row.name
    people = list(session.scalars(select(Staff).where(Staff.office_id == office.id)))
    for row in people:
        row.name = MARK + row.name
    items = list(session.scalars(select(Item).join(Section).where(Section.office_id == office.id)))
    for item in items:
        item.title = MARK + item.title
    someone = next(p for p in people if p.line_user_id)
    for item in items[:5]:
        session.add(ProgressReport(item_id=item.id, occurrence_key="2024-03", status=Status.delayed,
                                   note=f"{MARK}備註", staff_id=someone.id, reported_at=AT))
        session.add(LagReason(item_id=item.id, occurrence_key="2024-03", cause=f"{MARK}落後原因", remedy=f"{MARK}對策"))
        session.add(ReviewDecision(item_id=item.id, year=2024, month=3, decision=Listing.keep, opinion=f"{MARK}研考意見"))
    session.add(CalendarOverride(office_id=office.id, day=date(2024, 4, 9), kind=OverrideKind.closure, reason=f"{MARK}颱風"))
    session.add(Leave(staff_id=someone.id, starts=date(2024, 4, 8), ends=date(2024, 4, 12), kind="特休",
                      reason=f"{MARK}休假", created_at=AT))
    session.flush()
    return office.id


@pytest.fixture
def two_offices(db, tmp_path):
    with db.sessions() as session:
        load_demo(session, MONDAY)
        session.commit()
    with db.sessions() as session:
        b = _build_b(session, tmp_path)
        session.commit()
    return db, b


def _texts(data: bytes) -> str:
    """Return what a page or a document says (the XML of an .ods/.xlsx/.odt/.docx, the text of a page)."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist() if n.endswith(".xml"))
    return data.decode("utf-8", "replace")


def test_office_a_sees_nothing_of_office_b_in_chat_console_exports_and_review_documents(two_offices, tmp_path, monkeypatch):
    db, b = two_offices
    console = Console(db, public_url="https://planbot.example.tw")
    leaks: list[str] = []

    # The chat: every command of the catalogue in each of its spellings, and the sentence forms, from each role.
    words = [d.spellings[0] for d in COMMANDS.definitions if d.spellings] + list(SENTENCES)
    for who in ROLES:
        for text in words:
            answer = console.chat(who, text)
            if MARK in answer:
                leaks.append(f"chat {who} {text!r}: {answer[answer.find(MARK) - 40:][:120]}")

    # Every file the chat's exports made for A's people.
    with db.sessions() as session:
        for row in session.scalars(select(ExportFile)):
            if row.content and MARK in _texts(row.content):
                leaks.append(f"export file {row.filename}")

    # The console: every page, as every role, with ids of A's and of B's items and people.
    with db.sessions() as session:
        a_item = session.scalar(select(Item.id).join(Section).where(Section.office_id != b))
        a_staff = session.scalar(select(Staff.id).where(Staff.office_id != b))
        b_item = session.scalar(select(Item.id).join(Section).where(Section.office_id == b))
        b_staff = session.scalar(select(Staff.id).where(Staff.office_id == b))
    pages = 0
    for who in ROLES[:3]:  # the console is for the director, the coordinator and the chiefs
        client = console.signed_in(who)
        for ids in ((a_item, a_staff), (b_item, b_staff)):
            for fmt in ("ods", "xlsx"):
                for url in _get_urls(console.app, ids, fmt):
                    answer = client.get(url)
                    pages += 1
                    if MARK in _texts(answer.get_data()):
                        leaks.append(f"console {who} GET {url}")
    assert pages > 50

    # The review documents, as the CLI writes them for office A.
    monkeypatch.setenv("DATABASE_URL", db.url)
    for kind in ("report", "pack"):
        for ext in ("odt", "docx"):
            out = tmp_path / f"{kind}.{ext}"
            assert main(["review", kind, "--month", "3", "--at", "2024-04-08", "--office", "臺北市文山區戶政事務所",
                         "--out", str(out)]) == 0
            if MARK in _texts(out.read_bytes()):
                leaks.append(f"review {kind}.{ext}")
    assert leaks == []


def test_b_itself_is_there_to_be_leaked(two_offices):
    """The check above can fail: B's marked names are in the database and B's own people see them."""
    db, b = two_offices
    console = Console(db, public_url="https://planbot.example.tw")
    with db.sessions() as session:
        scope.scope_to(session, b)
        coordinator = session.scalar(select(Staff.name).where(Staff.name == MARK + COORDINATOR))
    assert coordinator is not None
    assert MARK in console.chat(coordinator, "逾期") + console.chat(coordinator, "本月")


def test_a_cli_command_for_one_office_refuses_to_guess_among_several(two_offices, monkeypatch, capsys):
    db, _ = two_offices
    monkeypatch.setenv("DATABASE_URL", db.url)
    assert main(["staff", "list"]) == 1
    err = capsys.readouterr().err
    assert B_OFFICE in err and "臺北市文山區戶政事務所" in err


def _get_urls(app, ids: tuple[int, int], fmt: str) -> list[str]:
    item_id, staff_id = ids
    found = []
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            if not rule.endpoint.startswith("console.") or rule.endpoint in ("console.static", "console.signin_page",
                                                                            "console.signout") or rule.endpoint.startswith("console.city"):
                continue
            if "GET" not in rule.methods:
                continue
            sample = {"token": "x", "item_id": item_id, "month": 3, "staff_id": staff_id, "fmt": fmt, "kind": "report"}
            found.append(url_for(rule.endpoint, **{n: sample[n] for n in rule.arguments}))
    return found
