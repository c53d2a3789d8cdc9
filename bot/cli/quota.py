"""Quota commands: the month's pushes forecast against the channel's LINE quota."""

from __future__ import annotations

import json
from datetime import date

import click

from bot.cli.common import CliError, office_for, runtime
from bot.push_budget import ChannelQuota, forecast_for, month_of
from handlers.texts import quota as Q
from schedules.dates import read_month
from schedules.planner import MonthForecast
from storage import queries


@click.group()
def quota() -> None:
    """LINE 推播額度：預估每月推播數與額度。"""


@quota.command()
@click.option("--month", "month_text", help="只看這個月：4（今年）、2024-04 或 113/4；預設：本月到年底。")
@click.option("--json", "as_json", is_flag=True,
              help="輸出 JSON：[{month, quota, used, normal, pushes, budget_days, held, late, others}]（others：共用帳號的其他機關）。")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def forecast(ctx: click.Context, month_text: str | None, as_json: bool, office: str | None) -> None:
    """預估每月的推播數（照提醒規則，額度不夠時自動改用節約模式）對照頻道的額度。"""
    rt = runtime(ctx)
    today = rt.clock.now().date()
    if month_text:
        first, last = month_of(_month(month_text, today.year))
        start = max(first, today) if first <= today <= last else first
        end = last
    else:
        start, end = today, date(today.year, 12, 31)
    found = forecast_for(rt, start, end, lambda session: office_for(session, office) if office or
                         len(queries.office_names(session)) > 1 else None)
    if as_json:
        click.echo(json.dumps([month_json(m) for m in found.months], ensure_ascii=False, indent=1))
        return
    print_forecast(found.quota, found.months, found.shared_with)


def month_json(m: MonthForecast) -> dict:
    """Return one month of the forecast as plain data."""
    return {
        "month": f"{m.month:%Y-%m}", "quota": m.quota, "used": m.used_before, "normal": m.normal, "pushes": m.total,
        "budget_days": m.budget_days, "held": m.held_lines, "late": m.late, "others": m.others,
    }


def print_forecast(found: ChannelQuota, months: list[MonthForecast], shared_with: tuple[str, ...] = ()) -> None:
    """Print the forecast month by month, in the office's words (an account shared with other offices says so)."""
    source = {"line": Q.SOURCE_LINE, "setting": Q.SOURCE_SETTING}.get(found.source, Q.SOURCE_NONE)
    click.echo(Q.FORECAST_HEAD.format(source=source))
    if shared_with:
        click.echo(Q.FORECAST_SHARED.format(offices=Q.NAME_JOIN.join(shared_with)))
    for m in months:
        label = f"{m.month.year - 1911}年{m.month.month}"
        if m.quota is None:
            click.echo(Q.FORECAST_NO_QUOTA.format(month=label, pushes=m.total))
            continue
        mode = Q.MODE_BUDGET.format(days=m.budget_days, held=m.held_lines) if m.budget_days else Q.MODE_NORMAL
        text = Q.FORECAST_MONTH.format(month=label, pushes=m.total, quota=m.quota,
                                       normal=m.used_before + m.normal + m.others, mode=mode)
        if m.others:
            text += Q.FORECAST_OTHERS.format(others=m.others)
        if m.late:
            text += Q.FORECAST_LATE.format(late=m.late)
        if m.used_before:
            text += Q.FORECAST_USED.format(used=m.used_before)
        if m.total > m.quota:
            text += Q.OVER
        click.echo(text)


def _month(text: str, this_year: int) -> date:
    """Read 4, 4月, 2024-04, 2024/4 or 113/4 (ROC) as the first of that month."""
    year_text, dash, month_text = text.strip().replace("/", "-").rpartition("-")
    month = read_month(month_text)
    if month is None or dash and not year_text.isdigit():
        raise CliError(Q.BAD_MONTH.format(text=text))
    year = int(year_text) if dash else this_year
    year = year + 1911 if year < 1911 else year
    if not 1912 <= year <= 9999:
        raise CliError(Q.BAD_MONTH.format(text=text))
    return date(year, month, 1)


COMMANDS = (quota,)
