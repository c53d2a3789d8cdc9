"""Every surface counts the same occurrences the same way, over random report histories (docs/STATUS.md).

Histories are drawn per occurrence: done on time, done late, partly done, 延後, done then taken back (撤銷),
taken back then done again, 完成 said twice, an undo back to an earlier report, and reports on occurrences due
before the tracking start. The expected state of each occurrence is worked out from the pattern drawn; then
摘要 (the card and `summary --json`), `due --json`, 逾期, 未回報, the console's year table, the exported
table and the compiled monthly round must all give the same numbers for a random day, section and month.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.cli import main
from handlers.chat.summaries import period_of, summarize
from handlers.core.agenda import UNDO, UNDONE_TO_NOTHING, agenda
from handlers.core.request import Asker
from handlers.documents.control_table import Filters, control_table
from handlers.documents.exports import table_sheets
from schedules.clock import TAIPEI
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import round_lines
from storage import queries
from storage.models import Plan, ProgressReport, Status
from tests.handler_fixtures import COORDINATOR
from tests.sizes import size

SECTIONS = ["戶籍資料課", "戶籍登記課", "行政庶務課"]
PATTERNS = ["none", "on_time", "late", "partial", "delayed", "undone", "redone", "twice", "undo_back", "not_started"]
YEAR = 2024


def _day(d: date, hour: int = 10) -> datetime:
    return datetime(d.year, d.month, d.day, hour, tzinfo=TAIPEI)


def _between(data, first: date, last: date) -> date:
    if last < first:
        return first
    return data.draw(st.dates(first, last))


def _history(data, pattern: str, occ, today: date) -> tuple[list[tuple], str, date | None]:
    """Return the reports of a pattern (status, percent, day, via), what it last says, and the day it was done."""
    jan1 = date(YEAR, 1, 1)
    due = occ.due
    if pattern == "late" and due >= today:
        pattern = "on_time"
    if pattern == "on_time":
        d = _between(data, jan1, min(due, today))
        return [(Status.done, None, d, "line")], "done", d
    if pattern == "late":
        d = _between(data, due + timedelta(days=1), today)
        return [(Status.done, None, d, "line")], "done", d
    if pattern in ("partial", "delayed", "not_started"):
        d = _between(data, jan1, today)
        status = {"partial": Status.in_progress, "delayed": Status.delayed, "not_started": Status.not_started}[pattern]
        pct = data.draw(st.sampled_from([None, 30, 50])) if pattern == "partial" else None
        return [(status, pct, d, "line")], status.value, None
    if pattern == "undone":
        d1 = _between(data, jan1, today)
        d2 = _between(data, d1, today)
        return [(Status.done, None, d1, "line"), (Status.not_started, None, d2, UNDONE_TO_NOTHING)], "none", None
    if pattern == "redone":
        d1 = _between(data, jan1, today)
        d2 = _between(data, d1, today)
        d3 = _between(data, d2, today)
        return ([(Status.done, None, d1, "line"), (Status.not_started, None, d2, UNDONE_TO_NOTHING),
                 (Status.done, None, d3, "line")], "done", d3)
    if pattern == "twice":
        d1 = _between(data, jan1, today)
        d2 = _between(data, d1, today)
        return [(Status.done, None, d1, "line"), (Status.done, None, d2, "line")], "done", d1
    if pattern == "undo_back":  # 進行中, then 完成 by mistake, then 撤銷 back to 進行中
        d1 = _between(data, jan1, today)
        d2 = _between(data, d1, today)
        return ([(Status.in_progress, 40, d1, "line"), (Status.done, None, d2, "line"),
                 (Status.in_progress, 40, d2, UNDO)], "in_progress", None)
    return [], "none", None


def _expected(occ, said: str, done_on: date | None, today: date, tracking: date) -> tuple[str, str]:
    """Return the state and what was last said, from the pattern alone (the rules of docs/STATUS.md)."""
    if said == "done":
        return ("done_on_time" if done_on <= occ.due else "done_late"), said
    if said == "none" and occ.due < tracking:
        return "before_tracking", said
    if occ.due < today:
        return "overdue", said
    return "not_due", said


def _tally(states: list[tuple[str, str]]) -> Counter:
    c = Counter(state for state, _ in states)
    c["due"] = c["done_on_time"] + c["done_late"] + c["overdue"]
    c["not_reported"] = sum(1 for state, said in states if state == "overdue" and said == "none")
    c["in_progress"] = sum(1 for state, said in states if state == "overdue" and said == "in_progress")
    return c


FIELDS = ("due", "done_on_time", "done_late", "overdue", "not_reported", "in_progress", "not_due", "before_tracking")


@pytest.mark.slow
@settings(max_examples=size(60, 12), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_every_surface_counts_the_same(talk, monkeypatch, capsys, data):
    session = talk.session
    monkeypatch.setenv("DATABASE_URL", talk.session.get_bind().url.render_as_string(hide_password=False))
    monkeypatch.setenv("PUBLIC_URL", "https://planbot.example.tw/")
    today = data.draw(st.dates(date(YEAR, 2, 1), date(YEAR, 12, 31)), label="today")
    section_name = data.draw(st.sampled_from(SECTIONS), label="section")
    month = data.draw(st.integers(1, today.month), label="month")
    tracking = data.draw(st.one_of(st.just(date(YEAR, 1, 1)), st.dates(date(YEAR, 1, 1), today)), label="tracking")

    plan = session.scalar(select(Plan))
    plan.tracking_from = tracking
    session.execute(delete(ProgressReport))
    calendar = calendar_of(session)
    section = queries.find_section(session, plan.office_id, section_name)
    items = queries.items_of_plan(session, plan.id, section.id)
    expected: dict[tuple[int, str], tuple[str, str]] = {}
    dues = agenda(session, items, plan.year, calendar)
    for d in dues:
        pattern = data.draw(st.sampled_from(PATTERNS)) if d.occ.due <= today + timedelta(days=40) else "none"
        reports, said, done_on = _history(data, pattern, d.occ, today)
        for status, pct, day, via in reports:
            session.add(ProgressReport(item_id=d.item.id, occurrence_key=d.occ.key, status=status, percent=pct,
                                       reported_at=_day(day), via=via, staff_id=d.item.owners[0].id if d.item.owners else None))
        expected[(d.item.id, d.occ.key)] = _expected(d.occ, said, done_on, today, tracking)
    session.commit()
    occs = {(d.item.id, d.occ.key): d.occ for d in dues}
    start, end = period_of(YEAR, month, today)
    in_month = _tally([s for k, s in expected.items() if start <= occs[k].due <= end])
    whole_year = _tally(list(expected.values()))
    so_far = _tally([s for k, s in expected.items() if occs[k].due <= today])

    # 摘要: the numbers, and the card people read.
    summary = summarize(session, plan, section, start, end, today, calendar)
    got = summary.counts.to_json()
    assert {f: got[f] for f in FIELDS} == {f: in_month[f] for f in FIELDS}
    talk.at(_day(today, 9).strftime("%Y-%m-%d %H:%M"))
    [card] = talk.send(COORDINATOR, f"摘要 {section_name} {month}月")
    rows = {r.label: r.value for r in card.rows}
    assert rows["應完成"] == f"{in_month['due']} 次"
    assert rows["如期完成"] == f"{in_month['done_on_time']} 次" and rows["逾期完成"] == f"{in_month['done_late']} 次"
    assert rows["逾期"].startswith(f"{in_month['overdue']} 次") and rows["未回報"] == f"{in_month['not_reported']} 次"

    # planbot summary --json and due --json
    assert main(["summary", "--section", section_name, "--month", str(month), "--at", today.isoformat(), "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    assert {f: cli[f] for f in FIELDS} == {f: in_month[f] for f in FIELDS}
    assert main(["due", "--from", start.isoformat(), "--to", end.isoformat(), "--section", section_name,
                 "--at", today.isoformat(), "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert Counter(r["state"] for r in listed) == Counter({k: v for k, v in in_month.items()
                                                          if k in ("done_on_time", "done_late", "overdue", "not_due", "before_tracking") and v})

    # 逾期 for the section: every overdue occurrence so far.
    text = talk.text(COORDINATOR, f"逾期 {section_name}")
    shown = re.match(rf"{section_name}有 (\d+) 項作業逾期未完成", text)
    assert (int(shown.group(1)) if shown else 0) == so_far["overdue"]

    # 未回報: nobody reported, overdue since the 1st of last month, or due today, or a window open today.
    since = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    unreported = sum(
        1 for k, (state, said) in expected.items() if said == "none" and occs[k].due >= since and (
            state == "overdue" or state == "not_due" and (
                occs[k].due == today or occs[k].kind == "window" and occs[k].starts <= today)))
    text = talk.text(COORDINATOR, f"未回報 {section_name}")
    shown = re.match(rf"{section_name}有 (\d+) 次作業還沒有人回報", text)
    assert (int(shown.group(1)) if shown else 0) == unreported

    # The console's year table: its counts for the section, and 執行情形 line by line as in the export.
    who = Asker("", talk.staff(COORDINATOR), via="console")
    table = control_table(session, who, calendar, today, Filters(section_id=section.id))
    for state in ("done_on_time", "done_late", "overdue", "not_due", "before_tracking"):
        assert table.counts[state] == whole_year[state], state
    console_lines = [ln for s in table.sections for r in s.rows for ln in r.status_text.splitlines()]
    [sheet] = table_sheets(session, plan, section, None, calendar, today)
    export_lines = [ln for r in sheet.rows if len(r) > 17 for ln in r[17].splitlines()]
    assert sorted(console_lines) == sorted(export_lines)
    assert sum("：逾期未回報" in ln for ln in export_lines) == whole_year["not_reported"]
    assert sum("：逾期完成" in ln for ln in export_lines) == whole_year["done_late"]
    assert sum("：已完成" in ln for ln in export_lines) == whole_year["done_on_time"]
    assert sum(bool(re.search(r"：逾期 \d+ 天", ln)) for ln in export_lines) == whole_year["overdue"] - whole_year["not_reported"]

    # The compiled round of the month, on the 5th working day after it, counts as 摘要 of that month then.
    if month < 12:
        fifth = calendar.nth_working_day(YEAR, month + 1, 5)
        [office] = office_inputs(session, calendar, fifth, plan.office_id)
        lines = [ln for _, ln in round_lines(office, calendar, fifth) if ln.reason == "compiled" and ln.section == section_name]
        then = summarize(session, plan, section, start, end, fifth, calendar).counts
        counts = dict(lines[0].counts) if lines else dict.fromkeys(("done_on_time", "done_late", "missing"), 0)
        assert (counts["done_on_time"], counts["done_late"], counts["missing"]) == (
            then.done_on_time, then.done_late, then.not_reported)
        assert sum(counts.values()) == then.due
