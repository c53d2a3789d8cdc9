"""Reminder commands: plan a morning (dry run), run one now, or run the clock process."""

from __future__ import annotations

import json
from datetime import datetime

import click
from sqlalchemy import select

from bot import morning
from bot.cli.common import CliError, moment_option, parse_day, runtime
from bot.clock import clockwork, report_json, serve
from bot.push_budget import forecast_for
from handlers.texts import cli as C
from handlers.texts import leave as L
from handlers.texts import quota as Q
from handlers.texts import reminders as T
from schedules.clock import TAIPEI, FixedClock
from schedules.dates import format_date
from schedules.plan_inputs import calendar_of
from schedules.planner import Morning, PlannedDelivery, Reach
from storage import scope
from storage.models import Office


@click.command()
@click.option("--at", "at_text", help="以這個時間規劃（例：2024-04-08T08:30 或 113/4/8 08:30）。")
@click.option("--now", "use_now", is_flag=True, help="現在就執行一次早上的提醒（已送過的不會重送）。")
@click.option("--dry-run", is_flag=True, help="只列出會送給誰、什麼內容，不寫入也不推播。")
@click.option("--json", "as_json", is_flag=True, help="輸出 JSON：[{to, items: [{item, title, reason, due[, for]}]}]（for：代理的承辦人）。")
@click.option("--details", is_flag=True, help="JSON 另附每一行的課室、種類、狀態等細節。")
@click.option("--office", help="只看一個機關（僅 --dry-run）。")
@click.option("--from", "from_text", help="規劃一段期間的每個早上（和 --to、--dry-run 一起用；照額度自動節約）。")
@click.option("--to", "to_text", help="期間的最後一天。")
@click.pass_context
def remind(
    ctx: click.Context, at_text: str | None, use_now: bool, dry_run: bool, as_json: bool, details: bool, office: str | None,
    from_text: str | None, to_text: str | None,
) -> None:
    """規劃或執行某天早上的提醒摘要：每人每天早上最多一則。"""
    if from_text or to_text:
        _plan_range(runtime(ctx), from_text, to_text, dry_run, at_text or use_now, as_json)
        return
    if bool(at_text) == use_now:
        raise CliError(C.NEED_ONE)
    rt = runtime(ctx)
    moment = _moment(at_text) if at_text else rt.clock.now()
    if dry_run:
        planned = _plan(rt, moment, office)
        _print_plan(planned, moment, as_json, details)
        return
    work = clockwork(rt, FixedClock(moment) if at_text else None)
    report = work.morning(wait=60)
    if as_json:
        click.echo(json.dumps(report_json(report), ensure_ascii=False, indent=1))
        return
    day = format_date(report.morning)
    if report.skipped:
        click.echo(C.RUN_SKIPPED.format(day=day, why=C.SKIP_REASONS.get(report.skipped, report.skipped)))
        return
    if report.missed:
        click.echo(C.RUN_MISSED.format(days=C.LIST_JOIN.join(format_date(d) for d in report.missed)))
    s = report.sent
    click.echo(C.RUN_DONE.format(day=day, planned=report.planned, written=report.written, sent=s.sent, failed=s.failed, left=s.left))


@click.command()
@click.option("--once", is_flag=True, help="只執行一次早上的提醒後結束。")
@click.option("--at", "at_text", help="假裝現在是這個時間（測試與示範用）。")
@click.pass_context
def clock(ctx: click.Context, once: bool, at_text: str | None) -> None:
    """啟動提醒排程程序（每個上班日 08:30 推播；Procfile 的 clock）。"""
    code = serve(runtime(ctx), once=once, at=_moment(at_text) if at_text else None)
    if code:
        raise click.exceptions.Exit(code)


def _plan_range(rt, from_text: str | None, to_text: str | None, dry_run: bool, one_morning: bool, as_json: bool) -> None:
    """Print every morning of a range as the clock would plan it (the push budget included); nothing is written."""
    if not (from_text and to_text):
        raise CliError(Q.RANGE_NEEDS_BOTH)
    if not dry_run or one_morning:
        raise CliError(Q.RANGE_NEEDS_DRY_RUN)
    start, end = parse_day(from_text), parse_day(to_text)
    if start > end:
        raise CliError(Q.RANGE_BACKWARDS.format(start=format_date(start), end=format_date(end)))
    months = forecast_for(rt, start, end).months
    mornings = [m for month in months for m in month.mornings]
    if as_json:
        click.echo(json.dumps([morning_json(m) for m in mornings], ensure_ascii=False, indent=1))
        return
    for m in mornings:
        moment = datetime(m.day.year, m.day.month, m.day.day, 8, 30, tzinfo=TAIPEI)
        _print_plan([*m.pushed, *m.unreachable], moment, False)


def morning_json(m: Morning) -> dict:
    """Return one planned morning of a range: its mode, pushes (group pushes count per member), digests and held lines."""
    return {
        "morning": m.day.isoformat(),
        "mode": m.mode,
        "pushes": m.cost,
        "deliveries": [p.brief_json() for p in m.pushed],
        "held": sum(len(lines) for lines in m.held.values()),
        "warnings": len(m.warn),
    }


def _moment(text: str) -> datetime:
    return moment_option(text, C.BAD_MOMENT)


def _plan(rt, moment: datetime, office: str | None) -> list[PlannedDelivery]:
    with rt.sessions() as session:
        if office:
            found = session.scalar(select(Office).where(Office.name == office))
            if found is None:
                raise CliError(C.NO_OFFICE.format(name=office))
            office_ids = [found.id]
        else:
            office_ids = list(session.scalars(select(Office.id).order_by(Office.id)))
    planned = []
    # The clock's own plan (without LINE's quota, which a dry run does not read): each office on its own calendar.
    for office_id in office_ids or [None]:
        with rt.sessions() as session:
            if office_id is not None:
                scope.scope_to(session, office_id)
            planned += morning.plan(session, calendar_of(session), moment.date(), office_id=office_id).planned
    return sorted(planned, key=lambda p: (p.office_id, p.via, p.to))


def _print_plan(planned: list[PlannedDelivery], moment: datetime, as_json: bool, details: bool = False) -> None:
    if as_json:
        data = [p.to_json() if details else p.brief_json() for p in planned]
        click.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    day = format_date(moment.date())
    if not planned:
        click.echo(C.PLAN_HEAD.format(day=day, count=0))
        return
    click.echo(C.PLAN_HEAD.format(day=day, count=len(planned)))
    unreachable = sum(1 for p in planned if p.via == Reach.none)
    if unreachable:
        click.echo(C.UNREACHABLE.format(count=unreachable))
    for p in planned:
        click.echo(C.PLAN_TO.format(to=p.to, via=C.VIA[p.via]))
        for line in p.lines:
            text = C.PLAN_LINE.format(reason=T.REASON_LABELS[line.reason], number=line.number or "—", title=line.title, due=format_date(line.due))
            click.echo(f"{text}　{L.ON_BEHALF.format(name=line.on_behalf)}" if line.on_behalf else text)


COMMANDS = (remind, clock)
