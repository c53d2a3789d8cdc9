"""Every surface counts the same occurrences the same way, over random report histories (docs/STATUS.md).

Histories are drawn per occurrence: done on time, done late, partly done, 延後, done then taken back (撤銷),
taken back then done again, 完成 said twice, an undo back to an earlier report, and reports on occurrences due
before the tracking start. The expected state of each occurrence is worked out from the pattern drawn; then
摘要 (the card and `summary --json`), `due --json`, 逾期, 未回報, the console's year table, the exported
table and the compiled monthly round must all give the same numbers for a random day, section and month;
and the chat's lists (12月, 逾期, 我的: what each lists, its counts and state words), the item cards (本次作業
and 最新狀況) and the morning's digests (the planner's lines and the cards built from them) must say the same
state of every occurrence they show.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from bot.cli import main
from handlers.chat.summaries import period_of, summarize
from handlers.core.agenda import UNDO, UNDONE_TO_NOTHING, agenda
from handlers.core.replies import Card, Carousel
from handlers.core.request import Asker
from handlers.documents.control_table import Filters, control_table
from handlers.documents.digests import digest, more_page, payload
from handlers.documents.exports import table_sheets
from handlers.documents.item_cards import item_card, occurrence_label
from handlers.texts import chat as M
from handlers.texts import reminders as R
from handlers.texts import tracking as T
from handlers.texts import words as W
from schedules.clock import TAIPEI
from schedules.dates import format_date
from schedules.plan_inputs import calendar_of, office_inputs
from schedules.planner import plan_morning, round_lines
from schedules.status import lateness
from storage import queries
from storage.models import Plan, ProgressReport, Status
from tests.handler_fixtures import COORDINATOR, buttons, read
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


def _words(state: str, said: str, percent: int | None) -> str:
    """Return how a chat list or card says an occurrence's state (docs/STATUS.md, 'Chat lists and item cards')."""
    if state == "before_tracking":
        return T.STATUS_BEFORE_TRACKING
    if state == "done_late":
        return W.STATUS_MARK["done"] + W.DONE_LATE
    key = "not_reported" if said == "none" else said
    text = W.STATUS[key] if percent is None else M.STATUS_PERCENT.format(status=W.STATUS[key], percent=percent)
    if state == "overdue":
        return W.OVERDUE_MARK + M.STATUS_OVERDUE.format(status=text)
    return W.STATUS_MARK[key] + text


def _said_words(said: str, percent: int | None) -> str:
    """Return how 逾期 and a digest card say what was last reported (未回報 when nobody has; 未開始 is a report)."""
    key = "not_reported" if said == "none" else said
    return W.STATUS[key] if percent is None else M.STATUS_PERCENT.format(status=W.STATUS[key], percent=percent)


def _pages(talk, who: str, text: str) -> list[str]:
    """Return what a person reads asking `text`, page after page (following 更多)."""
    replies = talk.send(who, text)
    out = [read(replies)]
    for _ in range(50):
        more = next((b for r in replies for b in buttons(r) if b.label == M.BUTTON_MORE and b.data), None)
        if more is None:
            break
        replies = talk.tap(who, more.data)
        out.append(read(replies))
    return out


def _list_lines(pages: list[str]) -> list[list[str]]:
    """Return the list lines (・…) of every page, split into their ｜ fields."""
    return [ln[1:].split("｜") for page in pages for ln in page.splitlines() if ln.startswith("・")]


def _digest_cards(planned) -> list[Card]:
    """Return the item cards of a planned delivery, every page of it, in the order of its lines."""
    first = digest(planned, item_cards=99)
    stored = payload(planned, first)
    pages = [first]
    while isinstance(pages[-1][-1], Carousel) and any(
            b.label == R.BUTTON_MORE for b in pages[-1][-1].cards[-1].buttons):
        pages.append(more_page(stored, len(pages) + 1, item_cards=99))
    cards = []
    for n, replies in enumerate(pages):
        shown = list(replies[-1].cards)
        if n == 0:
            shown = shown[1 + any(ln.reason == "compiled" for ln in planned.lines):]
        if shown and any(b.label == R.BUTTON_MORE for b in shown[-1].buttons):
            shown = shown[:-1]
        cards += shown
    return cards


FIELDS = ("due", "done_on_time", "done_late", "overdue", "not_reported", "in_progress", "not_due", "before_tracking")


@pytest.mark.slow
# No shrinking: a history is hundreds of draws and one example asks a dozen surfaces, so shrinking a failure
# ran past five minutes; the failing day, section, month and tracking start are printed as drawn.
@settings(max_examples=size(60, 12), deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
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
    percent: dict[tuple[int, str], int | None] = {}
    dues = agenda(session, items, plan.year, calendar)
    for d in dues:
        pattern = data.draw(st.sampled_from(PATTERNS)) if d.occ.due <= today + timedelta(days=40) else "none"
        reports, said, done_on = _history(data, pattern, d.occ, today)
        for status, pct, day, via in reports:
            session.add(ProgressReport(item_id=d.item.id, occurrence_key=d.occ.key, status=status, percent=pct,
                                       reported_at=_day(day), via=via, staff_id=d.item.owners[0].id if d.item.owners else None))
        expected[(d.item.id, d.occ.key)] = _expected(d.occ, said, done_on, today, tracking)
        percent[(d.item.id, d.occ.key)] = reports[-1][1] if said == "in_progress" else None
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

    _chat_lists_agree(talk, session, plan, section_name, month, today, tracking, calendar, dues, expected, percent)
    _cards_agree(talk, session, items, today, calendar, dues, expected, percent)
    _digests_agree(session, plan, today, calendar, dues, expected, percent)


def _chat_lists_agree(talk, session, plan, section_name, month, today, tracking, calendar, dues, expected, percent):
    """12月, 逾期 and 我的 list the occurrences the rules say, each in the state the rules give it."""
    words = {k: _words(*expected[k], percent[k]) for k in expected}
    # 12月 for the section: every occurrence due in the month, each with its state.
    in_month = [(d.item.id, d.occ.key) for d in dues if (d.occ.due.year, d.occ.due.month) == (YEAR, month)]
    pages = _pages(talk, COORDINATOR, f"{month}月 {section_name}")
    listed = _list_lines(pages)
    if in_month:
        assert f"有 {len(in_month)} 項作業到期" in pages[0]
    assert Counter(f[2] for f in listed) == Counter(words[k] for k in in_month)

    # 本週 for the section: the same, for the week of today (Monday to Sunday).
    monday = today - timedelta(days=today.weekday())
    in_week = [(d.item.id, d.occ.key) for d in dues if monday <= d.occ.due <= monday + timedelta(days=6)]
    listed = _list_lines(_pages(talk, COORDINATOR, f"本週 {section_name}"))
    assert Counter(f[2] for f in listed) == Counter(words[k] for k in in_week)

    # 本月 of the coordinator, who owns nothing: what each section still has to hand in this month, how many overdue.
    first, last = today.replace(day=1), (today.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    left = [expected[(d.item.id, d.occ.key)][0] for d in dues if first <= d.occ.due <= last]
    left = [state for state in left if state in ("not_due", "overdue")]
    text = talk.text(COORDINATOR, "本月")
    shown = re.search(rf"【{section_name}】(\d+) 次（已逾期 (\d+)）", text)
    assert ((int(shown.group(1)), int(shown.group(2))) if shown else (0, 0)) == (len(left), left.count("overdue"))

    # 逾期 for the section: each overdue occurrence under each of its owners, with how late and what was said.
    late = [d for d in dues if expected[(d.item.id, d.occ.key)][0] == "overdue"]
    listed = _list_lines(_pages(talk, COORDINATOR, f"逾期 {section_name}"))
    assert Counter((f[2], f[3]) for f in listed) == Counter(
        (f"逾 {(today - d.occ.due).days} 天", _said_words(expected[(d.item.id, d.occ.key)][1], percent[(d.item.id, d.occ.key)]))
        for d in late for _ in range(max(1, len(d.item.owners))))

    # 我的 of one owner in the section: each item with work left, its next occurrence's state, what is left, how many overdue.
    owners = sorted({o.id: o for d in dues for o in d.item.owners if o.line_user_id and o.active}.values(), key=lambda o: o.id)
    if not owners:
        return
    owner = owners[today.toordinal() % len(owners)]
    own_items = [i for i in queries.items_owned_by(session, owner.id, plan.id) if i.schedule]
    states: dict[int, list] = {}
    for d in agenda(session, own_items, plan.year, calendar):
        k = (d.item.id, d.occ.key)
        state, said = expected.get(k) or _expected(d.occ, "none", None, today, tracking)
        states.setdefault(d.item.id, []).append((d.occ, state, _words(state, said, percent.get(k))))
    want = Counter()
    for occs in states.values():
        ahead = [(o, w) for o, state, w in occs if state == "not_due"]
        overdue = sum(state == "overdue" for _, state, _ in occs)
        if ahead:
            want[(format_date(ahead[0][0].due), ahead[0][1], len(ahead), overdue)] += 1
        elif overdue:
            want[(None, None, None, overdue)] += 1
    got = Counter()
    pages = _pages(talk, owner.line_user_id, "我的")
    for fields in _list_lines(pages):
        if M.MINE_NO_SCHEDULE.split("｜")[1].split("（")[0] in fields[1]:
            continue
        late_n = int(re.search(r"(\d+) 次逾期", fields[-1]).group(1)) if "次逾期" in fields[-1] else 0
        if fields[1].startswith("下次 "):
            left = int(re.search(r"還有 (\d+) 次", fields[3]).group(1))
            got[(fields[1].split()[1], fields[2], left, late_n)] += 1
        else:
            got[(None, None, None, late_n)] += 1
    assert got == want


def _cards_agree(talk, session, items, today, calendar, dues, expected, percent):
    """An item's card: 本次作業 is the open (or overdue) occurrence a bare 回報 would name, in its state, and
    最新狀況 is what was last said on it (or on the one before it), never an older month's."""
    who = Asker("", talk.staff(COORDINATOR))
    for item in items:
        own = [d for d in dues if d.item.id == item.id]
        if not own:
            continue
        undone = [d for d in own if expected[(item.id, d.occ.key)][0] not in ("done_on_time", "done_late")]
        current = (min((d for d in undone if (d.occ.starts or d.occ.due) <= today <= d.occ.due),
                       key=lambda d: d.occ.due, default=None)
                   or next((d for d in undone if d.occ.due >= today), None)
                   or (undone[-1] if undone else None))
        card = item_card(talk.context(), who, item)
        rows = {r.label: r.value for r in card.rows}
        if current is None:  # every occurrence done: the one whose window holds today, else the next, else the last
            current = (min((d for d in own if (d.occ.starts or d.occ.due) <= today <= d.occ.due),
                           key=lambda d: d.occ.due, default=None)
                       or next((d for d in own if d.occ.due >= today), None) or own[-1])
        k = (item.id, current.occ.key)
        assert rows[M.CARD_CURRENT].endswith("｜" + _words(*expected[k], percent[k])), (item.number, rows[M.CARD_CURRENT])
        at = own.index(current)
        said_on = next((d for d in (current, own[at - 1] if at else None)
                        if d is not None and expected[(item.id, d.occ.key)][1] != "none"), None)
        if said_on is None:
            assert rows[M.CARD_LATEST] == M.CARD_NO_REPORT
            continue
        said = expected[(item.id, said_on.occ.key)][1]
        words = W.STATUS[said]
        if percent[(item.id, said_on.occ.key)] is not None:
            words = M.STATUS_PERCENT.format(status=words, percent=percent[(item.id, said_on.occ.key)])
        assert rows[M.CARD_LATEST].startswith(f"{occurrence_label(said_on.occ)}：{words}（"), rows[M.CARD_LATEST]


def _digests_agree(session, plan, today, calendar, dues, expected, percent):
    """The morning's digests: every line about the section's occurrences names one that is not done and is
    tracked, overdue lines name overdue ones, and each says (and its card shows) what was last reported."""
    if not calendar.is_working_day(today):
        return
    [office] = office_inputs(session, calendar, today, plan.office_id)
    ours = {k for k in expected}
    occs = {(d.item.id, d.occ.key): d.occ for d in dues}
    seen_due = set()
    for planned in plan_morning([office], calendar, _day(today, 7)):
        lines = [ln for ln in planned.lines if ln.reason != "compiled"]
        for line, card in zip(lines, _digest_cards(planned), strict=True):
            k = (line.item_id, line.occurrence_key)
            if k not in ours or line.reason == "covered":
                continue
            state, said = expected[k]
            assert state not in ("done_on_time", "done_late", "before_tracking"), (line.reason, state)
            if line.reason in ("overdue", "escalation"):  # as late as the status model says, in working days
                assert state == "overdue" and line.days == lateness(occs[k].due, today, calendar).working_days
            if line.reason == "due":
                seen_due.add(k)
            assert line.status == ("not_reported" if said == "none" else said)
            shown = {r.label: r.value for r in card.rows}.get(R.ROW_STATUS)
            if said != "none" or line.reason in ("due", "overdue", "escalation"):
                assert shown == _said_words(said, percent[k]), (line.reason, shown)
            else:
                assert shown is None
    # Everything of the section due this morning (since the last working day) and not done is in a digest.
    since = calendar.add_working_days(today, -1)
    owned = {(d.item.id, d.occ.key) for d in dues if any(o.active for o in d.item.owners)}
    assert seen_due == {k for k in owned if since < occs[k].due <= today
                        and expected[k][0] in ("not_due", "overdue")}
