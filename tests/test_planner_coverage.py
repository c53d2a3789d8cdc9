"""Leave coverage in the planner, on hand-checked 2024 mornings.

Item 1 (陳怡君) is due Wednesday 5/15: `upcoming` on Friday 5/10 (5/14, 5/13, 5/10 are the three working
days before), `due` on 5/15, `overdue` on 5/16 (1st), 5/20 (3rd, with the chief's escalation) and 5/22 (5th).
Item 9 (陳怡君) is due Friday 2/16; its first overdue morning is the make-up Saturday 2/17.
陳怡君's deputies: first 黃柏翔, second 林佩蓉; the chief of 戶籍登記課 is 沈志明.
"""

from __future__ import annotations

from datetime import date, datetime

from schedules.calendar import WorkCalendar
from schedules.clock import TAIPEI
from schedules.occurrences import Occurrence
from schedules.planner import (
    Absence,
    CoverReport,
    OfficeData,
    Person,
    PlanItem,
    ReminderPolicy,
    SectionInfo,
    plan_morning,
)

CAL = WorkCalendar()
SECTIONS = (SectionInfo(1, "戶籍登記課"), SectionInfo(2, "行政庶務課"))
CHEN, HUANG, LIN, SHEN, JIAN = 1, 2, 3, 4, 5
PEOPLE = (
    Person(CHEN, "陳怡君", 1, "staff", "U1", (HUANG, LIN)),
    Person(HUANG, "黃柏翔", 1, "staff", "U2"),
    Person(LIN, "林佩蓉", 1, "staff", "U3"),
    Person(SHEN, "沈志明", 1, "chief", "U4"),
    Person(JIAN, "簡心怡", 2, "coordinator", "U5"),
)


def deadline(due: date) -> Occurrence:
    return Occurrence("deadline", None, due, due.isoformat(), "")


ITEMS = (
    PlanItem(1, "1", "門牌整編", 1, (CHEN,), (deadline(date(2024, 5, 15)),)),
    PlanItem(2, "2", "戶籍登記抽查", 1, (HUANG,), (deadline(date(2024, 5, 15)),)),
    PlanItem(9, "9", "補班日測試", 1, (CHEN,), (deadline(date(2024, 2, 16)),)),
)


def office(absences=(), covered=(), served=frozenset()) -> OfficeData:
    return OfficeData(1, "文山戶所", SECTIONS, PEOPLE, ITEMS, {}, ReminderPolicy(), tuple(absences), tuple(covered), served)


def morning(day: date, data: OfficeData) -> dict[str, list[tuple]]:
    """Return, per recipient, (reason, 編號, for, covered_by) of each line that morning."""
    planned = plan_morning([data], CAL, datetime(day.year, day.month, day.day, 8, 30, tzinfo=TAIPEI))
    out: dict[str, list[tuple]] = {}
    for p in planned:
        assert p.to not in out, f"{p.to} got two digests"
        out[p.to] = [(ln.reason, ln.number, ln.on_behalf, ln.covered_by) for ln in p.lines]
    return out


def test_without_leave_the_owner_hears_and_the_deputy_does_not():
    assert morning(date(2024, 5, 10), office()) == {
        "陳怡君": [("upcoming", "1", "", "")],
        "黃柏翔": [("upcoming", "2", "", "")],
    }


AWAY = [Absence(CHEN, date(2024, 5, 10), date(2024, 5, 17))]


def test_owner_on_leave_over_a_deadline_the_first_deputy_gets_upcoming_and_due():
    friday = morning(date(2024, 5, 10), office(AWAY))
    assert "陳怡君" not in friday
    # One digest for the deputy: his own line and the covered one together.
    assert friday == {"黃柏翔": [("upcoming", "1", "陳怡君", ""), ("upcoming", "2", "", "")]}
    due = morning(date(2024, 5, 15), office(AWAY))
    assert due == {"黃柏翔": [("due", "1", "陳怡君", ""), ("due", "2", "", "")]}
    late = morning(date(2024, 5, 16), office(AWAY))
    assert late == {"黃柏翔": [("overdue", "1", "陳怡君", ""), ("overdue", "2", "", "")]}


def test_return_digest_lists_the_deputys_report_and_what_is_now_overdue():
    report = CoverReport(CHEN, "黃柏翔", 1, "2024-05-15", "in_progress", date(2024, 5, 16))
    back = morning(date(2024, 5, 20), office(AWAY, [report]))
    # Monday 5/20 is her first working morning back: the deputy's report first, then the overdue item
    # (3rd working day late), and the chief's escalation names nobody covering: she is back.
    assert back["陳怡君"] == [("covered", "1", "", "黃柏翔"), ("overdue", "1", "", "")]
    assert back["沈志明"] == [("escalation", "1", "", ""), ("escalation", "2", "", "")]
    assert ("overdue", "1", "陳怡君", "") not in back.get("黃柏翔", [])
    # The morning after, she is an ordinary owner again: no second return digest.
    assert morning(date(2024, 5, 21), office(AWAY, [report])) == {}


def test_escalation_names_who_covers_while_the_owner_is_still_away():
    away = [Absence(CHEN, date(2024, 5, 10), date(2024, 5, 20))]
    day = morning(date(2024, 5, 20), office(away))
    assert day["沈志明"] == [("escalation", "1", "", "黃柏翔"), ("escalation", "2", "", "")]
    assert day["黃柏翔"] == [("overdue", "1", "陳怡君", ""), ("overdue", "2", "", "")]
    assert "陳怡君" not in day


def test_first_deputy_also_on_leave_the_second_covers():
    away = AWAY + [Absence(HUANG, date(2024, 5, 15), date(2024, 5, 15))]
    day = morning(date(2024, 5, 15), office(away))
    # 黃柏翔's own item goes to the chief (he has no deputies); 陳怡君's to her second deputy.
    assert day == {"林佩蓉": [("due", "1", "陳怡君", "")], "沈志明": [("due", "2", "黃柏翔", "")]}


def test_both_deputies_away_the_chief_covers():
    away = AWAY + [Absence(HUANG, date(2024, 5, 13), date(2024, 5, 17)), Absence(LIN, date(2024, 5, 15), date(2024, 5, 15))]
    day = morning(date(2024, 5, 15), office(away))
    assert day == {"沈志明": [("due", "1", "陳怡君", ""), ("due", "2", "黃柏翔", "")]}


def test_leave_on_a_make_up_saturday():
    # 2/17 (Sat) is a make-up working day: item 9 (due 2/16) is first overdue that morning.
    away = [Absence(CHEN, date(2024, 2, 17), date(2024, 2, 17))]
    assert morning(date(2024, 2, 17), office())["陳怡君"] == [("overdue", "9", "", "")]
    saturday = morning(date(2024, 2, 17), office(away))
    assert saturday == {"黃柏翔": [("overdue", "9", "陳怡君", "")]}
    # Monday 2/19 is her first working morning back: item 9 is still open, 2 working days late.
    back = plan_morning([office(away)], CAL, datetime(2024, 2, 19, 8, 30, tzinfo=TAIPEI))
    assert [(p.to, [(ln.reason, ln.number, ln.days) for ln in p.lines]) for p in back] == [("陳怡君", [("overdue", "9", 2)])]


def test_leave_recorded_after_the_owners_digest_was_written_changes_nothing_that_morning():
    served = morning(date(2024, 5, 15), office(AWAY, served=frozenset({CHEN})))
    assert served == {"陳怡君": [("due", "1", "", "")], "黃柏翔": [("due", "2", "", "")]}


def test_dry_run_json_adds_for_on_deputy_lines_only():
    planned = plan_morning([office(AWAY)], CAL, datetime(2024, 5, 15, 8, 30, tzinfo=TAIPEI))
    assert [p.brief_json() for p in planned] == [
        {"to": "黃柏翔", "items": [
            {"item": "1", "title": "門牌整編", "reason": "due", "due": "2024-05-15", "for": "陳怡君"},
            {"item": "2", "title": "戶籍登記抽查", "reason": "due", "due": "2024-05-15"},
        ]},
    ]
