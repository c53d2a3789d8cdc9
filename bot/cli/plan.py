"""Plan commands: import, show, due dates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import click

from bot.cli.common import CliError, month_option, office_for, parse_day, runtime, section_for, year_option
from bot.text_table import table
from handlers.core.agenda import agenda, number_key
from handlers.documents.schedule_readings import cell_reading
from handlers.office.imports.plan import ImportFailed, import_plan
from handlers.texts import cli as C
from handlers.texts import cli_due as D
from schedules.dates import format_date
from schedules.status import OccurrenceStatus
from storage import queries


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", "year_text", required=True, help="計畫年度，西元或民國皆可（2024 或 113）。")
@click.option("--office", help="機關名稱（預設：資料庫中唯一的機關，或檔案標題上的機關）。")
@click.option("--dry-run", is_flag=True, help="只檢查並報告，不寫入資料庫。")
@click.option("--strict", is_flag=True, help="有任何問題（包括看不懂的時程）就整份不匯入。")
@click.option("--tracking-from", "tracking_text",
              help="追蹤起日（2024-10-01 或 113/10/1）：之前到期、沒人回報的作業不算逾期、不提醒。"
                   "預設：第一次匯入的那天（在計畫年度內時），否則年度第一天；重新匯入時保留原設定。")
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, year_text: str, office: str | None, dry_run: bool, strict: bool,
               tracking_text: str | None) -> None:
    """匯入工作計畫期程管制表（.csv、.xlsx、.xls、.ods，或 .odt、.docx 文件裡的表格）；整份在同一個交易中，有錯就完全不變動。"""
    rt = runtime(ctx)
    year = year_option(year_text)
    tracking_from = parse_day(tracking_text) if tracking_text else None
    if tracking_from is not None and tracking_from.year != year:
        raise CliError(C.TRACKING_OUTSIDE_YEAR.format(day=format_date(tracking_from), year=year, roc=year - 1911))
    with rt.sessions() as session:
        try:
            report = import_plan(session, file, year, rt.clock.now(), office, dry_run=dry_run, strict=strict,
                                 tracking_from=tracking_from)
        except ImportFailed as exc:
            session.rollback()
            click.echo(exc.report.summary())
            raise CliError(C.NOT_IMPORTED.format(file=file.name, count=len(exc.report.problems))) from exc
        if dry_run:
            session.rollback()
        else:
            session.commit()
    click.echo(report.summary())


@click.group()
def plan() -> None:
    """查看已匯入的計畫。"""


@plan.command("show")
@click.option("--section", help="只看一個課室。")
@click.option("--year", "year_text", help="年度（預設：最新的計畫）。")
@click.option("--problems", is_flag=True, help="只列出時程看不懂、需要修正的項目（含不在計畫年度的日期、星期不符）。")
@click.option("--readings", is_flag=True, help="列出每一種時程寫法、系統的讀法與下次日期，供逐項確認。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def plan_show(
    ctx: click.Context, section: str | None, year_text: str | None, problems: bool, readings: bool, office: str | None
) -> None:
    """列出計畫項目、承辦人與時程。"""
    rt = runtime(ctx)
    with rt.sessions() as session:
        off, p = _plan(session, office, year_text)
        sec = section_for(session, off.id, section)
        items = queries.items_of_plan(session, p.id, sec.id if sec else None)
        calendar = rt.calendar(session)
        if problems:
            unread = [(i, r) for i in items if (r := cell_reading(i, p.year)).error is not None]
            click.echo(C.PROBLEMS_HEAD.format(office=off.name, year=p.year, count=len(unread)))
            for i, r in unread:
                line = r.line(p.year, calendar, rt.today())
                click.echo(C.PROBLEM_ROW.format(section=i.section.name, number=i.number, title=i.title, row=i.source_row, problem=line))
            return
        if readings:
            lines = dict.fromkeys(cell_reading(i, p.year).line(p.year, calendar, rt.today()) for i in items)
            click.echo(C.READINGS_HEAD.format(office=off.name, year=p.year, count=len(lines)))
            for line in lines:
                click.echo(C.READING_ROW.format(line=line))
            return
        click.echo(C.PLAN_SHOW_HEAD.format(office=off.name, year=p.year, roc=p.year - 1911, count=len(items)))
        by_section: dict[str, list] = {}
        for i in items:
            by_section.setdefault(i.section.name, []).append(i)
        for name, section_items in by_section.items():
            click.echo(C.SECTION_HEAD.format(section=name, count=len(section_items)))
            click.echo(table(
                C.PLAN_COLUMNS,
                [[i.number, i.title, i.content, C.LIST_JOIN.join(o.name for o in i.owners) or C.NO_OWNER, _schedule_cell(i)]
                 for i in section_items],
                limits={1: 24, 2: 30, 4: 28},
            ))


def _schedule_cell(item) -> str:
    text = item.schedule_text or (C.LIST_JOIN.join(C.MONTH.format(month=m) for m in item.months) if item.months else "")
    return C.NOT_UNDERSTOOD.format(text=text) if item.schedule_problem else text


def _plan(session, office: str | None, year_text: str | None):
    off = office_for(session, office)
    p = queries.latest_plan(session, off.id, year_option(year_text) if year_text else None)
    if p is None:
        raise CliError(C.NO_PLAN_YET.format(office=off.name))
    return off, p


def _span(month_text: str | None, start: str | None, end: str | None, year: int) -> tuple[date, date]:
    """Return the days `due` lists: this year's month, or --from to --to."""
    if month_text and not (start or end):
        month = month_option(month_text)
        following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
        return date(year, month, 1), following - timedelta(days=1)
    if month_text or not (start and end):
        raise CliError(D.NEED_SPAN)
    return parse_day(start), parse_day(end)


@click.command()
@click.option("--month", "month_text", help="今年的哪個月，例如 4 或 4月（代替 --from/--to）。")
@click.option("--from", "start", help="起日（2024-04-01 或 113/4/1）。")
@click.option("--to", "end", help="迄日。")
@click.option("--section", help="只看一個課室。")
@click.option("--owner", help="只看一位承辦人。")
@click.option("--office", help="機關名稱。")
@click.option("--at", "at", help="狀態以這一天為準，例如 2024-12-02（預設：今天）。")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON 陣列（含每次作業的狀態）。")
@click.pass_context
def due(ctx: click.Context, month_text: str | None, start: str | None, end: str | None, section: str | None,
        owner: str | None, office: str | None, at: str | None, as_json: bool) -> None:
    """列出到期日落在期間內的每一次作業，依到期日、課室、編號排序。"""
    rt = runtime(ctx)
    today = parse_day(at) if at else rt.clock.now().date()
    first, last = _span(month_text, start, end, today.year)
    if last < first:
        raise CliError(C.TO_BEFORE_FROM)
    with rt.sessions() as session:
        off = office_for(session, office)
        sec = section_for(session, off.id, section)
        cal = rt.calendar(session)
        rows = []
        for year in range(first.year - 1, last.year + 1):
            p = queries.plan_for(session, off.id, year)
            if p is None:
                continue
            items = queries.items_of_plan(session, p.id, sec.id if sec else None)
            if owner:
                items = [i for i in items if owner in [o.name for o in i.owners]]
            rows.extend(agenda(session, items, p.year, cal, first, last))
        rows.sort(key=lambda d: (d.occ.due, d.item.section_id, number_key(d.item.number)))
        data = [
            {
                "item": d.item.number,
                "section": d.item.section.name,
                "title": d.item.title,
                "kind": d.occ.kind,
                "starts": d.occ.starts.isoformat() if d.occ.starts else None,
                "due": d.occ.due.isoformat(),
                "owners": [o.name for o in d.item.owners],
                **_state_json(d.state(today, cal)),
            }
            for d in rows
        ]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(C.DUE_HEAD.format(first=format_date(first), last=format_date(last), count=len(data)))
    if rows:
        click.echo(table(
            C.DUE_COLUMNS,
            [[format_date(d.occ.due), d.item.section.name, d.item.number, d.item.title, C.KIND_LABELS[d.occ.kind],
              format_date(d.occ.starts) if d.occ.starts else "", C.LIST_JOIN.join(o.name for o in d.item.owners) or "—"]
             for d in rows],
            limits={3: 36},
        ))


def _state_json(st: OccurrenceStatus) -> dict:
    """Return an occurrence's state as `due --json` gives it (schedules.status; see docs/STATUS.md)."""
    return {
        "key": st.occ.key,
        "state": st.state.value,
        "said": st.said.value,
        "percent": st.percent,
        "done_on": st.done_on.isoformat() if st.done_on else None,
        "late_days": st.late.days if st.late else None,
        "late_working_days": st.late.working_days if st.late else None,
    }


COMMANDS = (import_cmd, plan, due)
