"""Plan commands: import, show, due dates."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli import CliError, office_for, runtime
from bot.cli_admin import parse_day
from bot.text_table import table
from handlers.agenda import agenda, number_key
from handlers.imports.plan import ImportFailed, import_plan
from schedules.dates import format_date, parse_year
from storage import queries

KIND_LABELS = {"deadline": "期限", "window": "期間", "period": "月份", "event": "活動"}


def register(cli: click.Group) -> None:
    """Add the plan commands to the group."""
    cli.add_command(import_cmd)
    cli.add_command(plan)
    cli.add_command(due)


def year_option(text: str) -> int:
    """Parse a plan year written AD (2024) or ROC (113)."""
    try:
        return parse_year(text)
    except ValueError as exc:
        raise CliError(f"看不懂的年份「{text}」（例：2024 或 113）") from exc


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", "year_text", required=True, help="計畫年度，西元或民國皆可（2024 或 113）。")
@click.option("--office", help="機關名稱（預設：資料庫中唯一的機關，或檔案標題上的機關）。")
@click.option("--dry-run", is_flag=True, help="只檢查並報告，不寫入資料庫。")
@click.option("--strict", is_flag=True, help="有任何問題（包括看不懂的時程）就整份不匯入。")
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, year_text: str, office: str | None, dry_run: bool, strict: bool) -> None:
    """匯入工作計畫期程管制表（.csv、.xlsx、.ods）；整份在同一個交易中，有錯就完全不變動。"""
    rt = runtime(ctx)
    year = year_option(year_text)
    with rt.sessions() as session:
        try:
            report = import_plan(session, file, year, rt.clock.now(), office, dry_run=dry_run, strict=strict)
        except ImportFailed as exc:
            session.rollback()
            click.echo(exc.report.summary())
            raise CliError(f"{file.name} 沒有匯入（{len(exc.report.problems)} 個問題，見上方報告）") from exc
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
@click.option("--problems", is_flag=True, help="只列出時程看不懂、需要修正的項目。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def plan_show(ctx: click.Context, section: str | None, year_text: str | None, problems: bool, office: str | None) -> None:
    """列出計畫項目、承辦人與時程。"""
    rt = runtime(ctx)
    with rt.sessions() as session:
        off, p = _plan(session, office, year_text)
        sec = _section(session, off.id, section)
        items = queries.items_of_plan(session, p.id, sec.id if sec else None)
        if problems:
            items = [i for i in items if i.schedule_problem]
            click.echo(f"{off.name} {p.year} 年：{len(items)} 個項目的時程需要修正")
            for i in items:
                click.echo(f"  {i.section.name} {i.number} {i.title}（第 {i.source_row} 列）：{i.schedule_problem}")
            return
        click.echo(f"{off.name} {p.year} 年（民國 {p.year - 1911} 年）工作計畫：{len(items)} 個項目")
        by_section: dict[str, list] = {}
        for i in items:
            by_section.setdefault(i.section.name, []).append(i)
        for name, section_items in by_section.items():
            click.echo(f"\n【{name}】{len(section_items)} 項")
            click.echo(table(
                ["編號", "計畫項目", "工作內容", "承辦人", "預定作業時程"],
                [[i.number, i.title, i.content, "、".join(o.name for o in i.owners) or "（未指定）", _schedule_cell(i)]
                 for i in section_items],
                limits={1: 24, 2: 30, 4: 28},
            ))


def _schedule_cell(item) -> str:
    text = item.schedule_text or ("、".join(f"{m}月" for m in item.months) if item.months else "")
    return f"⚠ 看不懂：{text}" if item.schedule_problem else text


def _plan(session, office: str | None, year_text: str | None):
    off = office_for(session, office)
    p = queries.latest_plan(session, off.id, year_option(year_text) if year_text else None)
    if p is None:
        raise CliError(f"{off.name} 還沒有匯入任何計畫")
    return off, p


def _section(session, office_id: int, name: str | None):
    if not name:
        return None
    sec = queries.find_section(session, office_id, name)
    if sec is None:
        names = "、".join(s.name for s in queries.sections_of(session, office_id))
        raise CliError(f"沒有「{name}」這個課室（有：{names}）")
    return sec


@click.command()
@click.option("--from", "start", required=True, help="起日（2024-04-01 或 113/4/1）。")
@click.option("--to", "end", required=True, help="迄日。")
@click.option("--section", help="只看一個課室。")
@click.option("--owner", help="只看一位承辦人。")
@click.option("--office", help="機關名稱。")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON 陣列。")
@click.pass_context
def due(ctx: click.Context, start: str, end: str, section: str | None, owner: str | None, office: str | None, as_json: bool) -> None:
    """列出到期日落在期間內的每一次作業，依到期日、課室、編號排序。"""
    rt = runtime(ctx)
    first, last = parse_day(start), parse_day(end)
    if last < first:
        raise CliError("迄日早於起日")
    with rt.sessions() as session:
        off = office_for(session, office)
        sec = _section(session, off.id, section)
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
            }
            for d in rows
        ]
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    click.echo(f"{format_date(first)} 至 {format_date(last)}：{len(data)} 項作業到期\n")
    if rows:
        click.echo(table(
            ["到期日", "課室", "編號", "計畫項目", "類型", "起始", "承辦人"],
            [[format_date(d.occ.due), d.item.section.name, d.item.number, d.item.title, KIND_LABELS[d.occ.kind],
              format_date(d.occ.starts) if d.occ.starts else "", "、".join(o.name for o in d.item.owners) or "—"]
             for d in rows],
            limits={3: 36},
        ))
