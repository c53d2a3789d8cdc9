"""決議 follow-ups: the numbers they take, what a re-import of the plan does to them, and how 回報 and the pack name them.

A small plan of two sections on SQLite and PostgreSQL: 戶籍登記課 and 戶籍資料課, a coordinator in 行政課.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from handlers.core.incoming import Settings
from handlers.core.request import Asker
from handlers.documents import review_documents
from handlers.documents.review import month_review
from handlers.office import review_decisions
from handlers.office.imports.plan import ImportFailed, import_plan
from handlers.office.imports.staff import import_staff, read_roster
from schedules.clock import FixedClock
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.models import Item, ProgressReport, Resolution, Via
from storage.text import compact
from tests.handler_fixtures import MONDAY, Talk, write_plan_csv

OFFICE = "測試區戶政事務所"
REG, DATA = "戶籍登記課", "戶籍資料課"
COORDINATOR, CHIEF_REG, STAFF_REG, STAFF_DATA = "林研考", "沈課長", "陳登記", "李資料"
ROSTER = [("游主任", "", "主任"), (COORDINATOR, "行政課", "研考"), (CHIEF_REG, REG, "課長"), (STAFF_REG, REG, "承辦人"),
          ("江課長", DATA, "課長"), (STAFF_DATA, DATA, "承辦人")]
MONTH = 3


def _rows(numbers: dict[str, list[str]]) -> list[tuple]:
    owners = {REG: STAFF_REG, DATA: STAFF_DATA}
    return [(section, n, f"{section}工作{n}", "依限辦理", owners[section], "每月5日前")
            for section, ns in numbers.items() for n in ns]


def _import(session, tmp_path: Path, numbers: dict[str, list[str]], name: str = "plan.csv"):
    return import_plan(session, write_plan_csv(tmp_path / name, _rows(numbers)), 2024, MONDAY, office_name=OFFICE,
                       tracking_from=date(2024, 1, 1))


@pytest.fixture
def talk(session, tmp_path) -> Talk:
    roster = tmp_path / "staff.csv"
    with roster.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["姓名", "課室", "角色", "LINE使用者ID"])
        writer.writerows([name, section, role, f"U{n:032x}"] for n, (name, section, role) in enumerate(ROSTER, start=1))
    _import(session, tmp_path, {REG: ["1", "2", "3"], DATA: ["1", "2", "3"]})
    import_staff(session, queries.only_office(session), read_roster(roster), MONDAY, "staff.csv")
    session.commit()
    return Talk(session, FixedClock(MONDAY), Settings(public_url="https://planbot.example.tw"))


def _plan(talk: Talk):
    return queries.plan_for(talk.session, queries.only_office(talk.session).id, 2024)


def _resolve(talk: Talk, text: str, owner: str, due: date | None = date(2024, 4, 30), item: Item | None = None):
    asker = Asker("", talk.staff(COORDINATOR), via=Via.console)
    done = review_decisions.add_resolution(talk.context(), asker, _plan(talk), MONTH, text, owner, due, item)
    talk.session.commit()
    return done


def _followup(talk: Talk, text: str) -> Item:
    return talk.session.scalars(select(Resolution).where(Resolution.text == text)).one().followup


def _numbers(talk: Talk) -> Counter:
    return Counter(compact(i.number) for i in queries.items_of_plan(talk.session, _plan(talk).id))


def _pack(talk: Talk, month: int) -> str:
    import docx

    found = month_review(talk.session, _plan(talk), month, talk.clock.now().date(), calendar_of(talk.session))
    data = review_documents.document_bytes(found, ".docx", calendar_of(talk.session), pack=True)
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


# -- the numbers new follow-ups take ------------------------------------------------------------------------


def test_two_sections_follow_ups_never_share_a_number(talk):
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    assert _resolve(talk, "補齊登記資料", STAFF_REG).ok
    data, reg = _followup(talk, "門牌巡查每週回報"), _followup(talk, "補齊登記資料")
    assert (data.section.name, reg.section.name) == (DATA, REG)
    assert data.number != reg.number
    # the coordinator, who may report on every item, reaches the one follow-up 回報 names without a question
    said = talk.text(COORDINATOR, f"回報 {reg.number} 完成")
    assert "已記錄" in said and "補齊登記資料" in said


def test_a_follow_up_takes_no_number_any_item_of_the_plan_has_in_any_section(talk, tmp_path):
    # 戶籍登記課 numbers its own items 91 and 92; 戶籍資料課 stops at 3
    _import(talk.session, tmp_path, {REG: ["1", "2", "3", "91", "92-1"], DATA: ["1", "2", "3"]})
    talk.session.commit()
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    assert _resolve(talk, "補齊登記資料", STAFF_REG).ok
    numbers = _numbers(talk)
    for text in ("門牌巡查每週回報", "補齊登記資料"):
        followup = _followup(talk, text)
        top = int(compact(followup.number))
        assert top >= 91 and numbers[str(top)] == 1
        assert not any(n.split("-")[0] == str(top) for n in numbers if n != str(top))  # nor the head of a 92-1
    said = talk.text(COORDINATOR, f"回報 {_followup(talk, '門牌巡查每週回報').number} 完成")
    assert "已記錄" in said and "門牌巡查每週回報" in said


def test_a_plan_numbered_past_four_digits_still_gives_a_follow_up_number_reported_on(talk, tmp_path):
    # 回報 reads a 編號 of up to four digits: 10000 could never be reported on
    _import(talk.session, tmp_path, {REG: ["1", "2", "3"], DATA: ["1", "2", "3", "9999"]})
    talk.session.commit()
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    number = _followup(talk, "門牌巡查每週回報").number
    assert len(number) <= 4 and _numbers(talk)[number] == 1
    said = talk.text(STAFF_DATA, f"回報 {number} 完成")
    assert "已記錄" in said and "門牌巡查每週回報" in said


# -- a re-import of the plan ----------------------------------------------------------------------------------


def test_a_reimport_never_touches_a_follow_up(talk, tmp_path):
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    followup = _followup(talk, "門牌巡查每週回報")
    assert "已記錄" in talk.text(STAFF_DATA, f"回報 {followup.number} 完成")
    before = (followup.id, followup.number, followup.title, followup.schedule, [o.name for o in followup.owners])
    report = _import(talk.session, tmp_path, {REG: ["1", "2", "3", "4"], DATA: ["1", "2", "3", "4"]}, "more.csv")
    talk.session.commit()
    talk.session.expire_all()
    followup = _followup(talk, "門牌巡查每週回報")
    assert (followup.id, followup.number, followup.title, followup.schedule, [o.name for o in followup.owners]) == before
    assert talk.session.scalar(select(func.count()).select_from(ProgressReport).where(ProgressReport.item_id == followup.id)) == 1
    # the import says only what the file lacks of the plan's own items, never the meeting's follow-ups
    assert not any("門牌巡查每週回報" in m for m in report.missing)
    assert report.created == 2


def test_a_reimport_numbering_a_row_as_a_follow_up_of_its_section_is_refused(talk, tmp_path):
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    followup = _followup(talk, "門牌巡查每週回報")
    number, title = followup.number, followup.title
    items = talk.session.scalar(select(func.count()).select_from(Item))
    with pytest.raises(ImportFailed) as failed:
        _import(talk.session, tmp_path, {REG: ["1", "2", "3"], DATA: ["1", "2", "3", number]}, "more.csv")
    talk.session.rollback()
    problem = next(p for p in failed.value.report.fatal if p.value == number)
    assert problem.row == 8 and "會議決議" in problem.message and "門牌巡查每週回報" in problem.message
    talk.session.expire_all()
    followup = _followup(talk, "門牌巡查每週回報")
    assert (followup.number, followup.title) == (number, title)
    assert talk.session.scalar(select(func.count()).select_from(Item)) == items


def test_a_reimport_numbering_another_sections_item_as_a_follow_up_warns_and_the_pack_says_how_to_report(talk, tmp_path):
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    number = _followup(talk, "門牌巡查每週回報").number
    report = _import(talk.session, tmp_path, {REG: ["1", "2", "3", number], DATA: ["1", "2", "3"]}, "more.csv")
    talk.session.commit()
    warning = next(p for p in report.warnings if p.value == number)
    assert "門牌巡查每週回報" in warning.message and f"回報 {DATA} {number}" in warning.message
    assert _followup(talk, "門牌巡查每週回報").title == "【會議決議】門牌巡查每週回報"
    # the pack names the follow-up as 回報 reads it now that two items share the number, and that works
    key = re.search(r"門牌巡查每週回報（追蹤項目 ([^，]+)，", _pack(talk, MONTH + 1)).group(1)
    assert key == f"{DATA} {number}"
    said = talk.text(COORDINATOR, f"回報 {key} 完成")
    assert "已記錄" in said and "門牌巡查每週回報" in said


# -- the pack names each follow-up as 回報 accepts it -------------------------------------------------------------


def test_the_pack_lists_each_follow_up_with_the_number_reported_on(talk):
    assert _resolve(talk, "門牌巡查每週回報", STAFF_DATA).ok
    assert _resolve(talk, "各課室下次會議前檢視進度", "", None).ok
    text = _pack(talk, MONTH + 1)
    key = re.search(r"門牌巡查每週回報（追蹤項目 ([^，]+)，李資料，4/30（二） 前）：", text).group(1)
    assert key == _followup(talk, "門牌巡查每週回報").number
    assert "各課室下次會議前檢視進度（只記錄，不追蹤）" in text
    said = talk.text(STAFF_DATA, f"回報 {key} 完成")
    assert "已記錄" in said and "門牌巡查每週回報" in said


# -- a 決議 that names an item the plan does not have ---------------------------------------------------------------


def test_a_resolution_naming_an_item_of_another_plan_is_refused_and_nothing_is_recorded(talk, tmp_path):
    import_plan(talk.session, write_plan_csv(tmp_path / "112.csv", _rows({DATA: ["1", "2"]})), 2023, MONDAY, office_name=OFFICE)
    talk.session.commit()
    old = next(i for i in queries.items_of_plan(talk.session, queries.plan_for(talk.session, _plan(talk).office_id, 2023).id))
    items = talk.session.scalar(select(func.count()).select_from(Item))
    done = _resolve(talk, "門牌巡查每週回報", STAFF_DATA, item=old)
    assert not done.ok and "112 年度" in done.text and "決議沒有記錄" in done.text and old.title in done.text
    assert talk.session.scalars(select(Resolution)).all() == []
    assert talk.session.scalar(select(func.count()).select_from(Item)) == items


def test_the_confirmation_says_which_item_the_resolution_is_on_or_that_it_is_on_none(talk):
    item = next(i for i in queries.items_of_plan(talk.session, _plan(talk).id) if i.section.name == DATA)
    on_item = _resolve(talk, "請加派人力", STAFF_DATA, item=item)
    assert on_item.ok and f"{DATA} {item.number} {item.title}" in on_item.text
    general = _resolve(talk, "各課室下次會議前檢視進度", "", None)
    assert general.ok and "未連結工作項目" in general.text
