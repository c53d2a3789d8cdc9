"""Leave commands: record, list, remove and import leave (請假); who covers is said each time."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import click

from bot.cli.common import CliError, office_for, parse_day, runtime
from handlers.core.leave import save_leave, span_text, who_covers
from handlers.office.imports.leave import LeaveImportError, import_leave
from handlers.texts import cli as C
from handlers.texts import leave as L
from schedules.dates import format_date
from storage import leave as stored
from storage import queries
from storage.db import unit_of_work


@click.group()
def leave() -> None:
    """請假：登記、列出、刪除、從請假系統匯出的 CSV 匯入；期間提醒由職務代理人接手。"""


def _person(session, office: str | None, name: str):
    off = office_for(session, office)
    person = queries.staff_by_name(session, off.id, name)
    if person is None:
        raise CliError(C.NOT_ON_ROSTER.format(name=name))
    return off, person


def _kind(kind: str) -> str:
    return f"（{kind}）" if kind else ""


@leave.command("add")
@click.argument("name")
@click.argument("start")
@click.argument("end")
@click.option("--reason", default="", help="原因或假別，例如 特休。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def leave_add(ctx: click.Context, name: str, start: str, end: str, reason: str, office: str | None) -> None:
    """登記請假（日期可寫 2024-12-03 或 113/12/3；半天假也算整天）。"""
    rt = runtime(ctx)
    first, last = parse_day(start), parse_day(end)
    if last < first:
        raise CliError(L.LEAVE_BACKWARDS.format(start=format_date(first), end=format_date(last)))
    with unit_of_work(rt.sessions) as session:
        _off, person = _person(session, office, name)
        _row, cover = save_leave(session, person, first, last, rt.clock.now(), "cli", reason=reason[:200])
        deputy = cover.deputy.name if cover.deputy else None
    span = span_text(first, last)
    if deputy is None:
        click.echo(L.CLI_LEAVE_ADDED_NOBODY.format(name=name, span=span, kind=_kind(reason)))
    else:
        click.echo(L.CLI_LEAVE_ADDED.format(name=name, span=span, kind=_kind(reason), deputy=deputy))
    if cover.told:
        click.echo(L.LEAVE_TOLD.format(names=L.NAMES_SEP.join(cover.told)))


@leave.command("list")
@click.option("--at", "at", help="列出這一天請假中的同仁（預設：今天起的所有請假）。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def leave_list(ctx: click.Context, at: str | None, office: str | None) -> None:
    """列出請假與代理人。"""
    rt = runtime(ctx)
    day = parse_day(at) if at else rt.clock.now().date()
    with rt.sessions() as session:
        off = office_for(session, office)
        end = day if at else day + timedelta(days=3660)
        rows = stored.leaves_of_office(session, off.id, day, end)
        head = L.CLI_LEAVE_HEAD if at else L.CLI_LEAVE_HEAD_ALL
        click.echo(head.format(day=format_date(day), start=format_date(day), count=len(rows)))
        for row in rows:
            cover = who_covers(session, row.staff, max(day, row.starts))
            click.echo(L.CLI_LEAVE_ROW.format(name=row.staff.name, span=span_text(row.starts, row.ends), kind=_kind(row.kind or row.reason),
                                              deputy=cover.deputy.name if cover.deputy else L.CLI_NONE))


@leave.command("remove")
@click.argument("name")
@click.argument("start")
@click.option("--office", help="機關名稱。")
@click.pass_context
def leave_remove(ctx: click.Context, name: str, start: str, office: str | None) -> None:
    """刪除某人從某天起的請假。"""
    rt = runtime(ctx)
    first = parse_day(start)
    with unit_of_work(rt.sessions) as session:
        _off, person = _person(session, office, name)
        row = stored.leave_starting(session, person.id, first)
        if row is None:
            raise CliError(L.CLI_LEAVE_NOT_FOUND.format(name=name, start=format_date(first)))
        stored.remove_leave(session, row)
        queries.audit(session, rt.clock.now(), "cli", "leave.remove", staff=name, starts=first.isoformat())
    click.echo(L.CLI_LEAVE_REMOVED.format(name=name, start=format_date(first)))


@leave.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", help="機關名稱。")
@click.pass_context
def leave_import(ctx: click.Context, file: Path, office: str | None) -> None:
    """從請假系統匯出的 CSV（姓名,假別,起,迄）匯入請假；有任何問題就整個檔案都不匯入。"""
    rt = runtime(ctx)
    try:
        with unit_of_work(rt.sessions) as session:
            off = office_for(session, office)
            count = import_leave(session, off, file, rt.clock.now())
    except LeaveImportError as exc:
        raise CliError(str(exc)) from exc
    click.echo(L.CLI_LEAVE_IMPORTED.format(file=file.name, count=count))


COMMANDS = (leave,)
