"""Review commands (管考): the office's light thresholds, the monthly report filed upward, the meeting pack."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import CliError, office_for, parse_day, runtime, section_for
from handlers.documents import review_documents
from handlers.documents.review import month_review, set_thresholds
from handlers.texts import review as V
from schedules.dates import read_month
from schedules.lights import MAX_DAYS, Thresholds
from schedules.plan_inputs import calendar_of
from storage import queries
from storage.db import unit_of_work
from storage.sheets import DOCUMENT_TYPES, SheetError


@click.group()
def review() -> None:
    """每月管考：燈號門檻、執行情形彙整表、檢討會議資料。"""


@review.command("lights")
@click.option("--yellow-days", type=int, help="逾期超過幾個工作天轉黃燈（planbot 預設 0：逾期即黃燈）。")
@click.option("--red-days", type=int, help="逾期超過幾個工作天轉紅燈（planbot 預設 5）。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def lights(ctx: click.Context, yellow_days: int | None, red_days: int | None, office: str | None) -> None:
    """顯示或設定本所的燈號門檻（不給選項就只顯示）。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        now = Thresholds.from_settings(off.settings)
        if yellow_days is None and red_days is None:
            click.echo(V.CLI_LIGHTS_NOW.format(office=off.name, yellow=now.yellow_days, red=now.red_days))
            return
        wanted = Thresholds(now.yellow_days if yellow_days is None else yellow_days, now.red_days if red_days is None else red_days)
        problem = wanted.problem()
        if problem == "range":
            raise CliError(V.CLI_LIGHTS_RANGE.format(most=MAX_DAYS))
        if problem == "order":
            raise CliError(V.CLI_LIGHTS_ORDER.format(yellow=wanted.yellow_days, red=wanted.red_days))
        set_thresholds(session, off, wanted)
        queries.audit(session, rt.clock.now(), "cli", "review.lights", **wanted.to_json())
    click.echo(V.CLI_LIGHTS_SET.format(office=off.name, yellow=wanted.yellow_days, red=wanted.red_days))


def _month(text: str) -> int:
    month = read_month(text)
    if month is None:
        raise CliError(V.CLI_BAD_MONTH.format(text=text))
    return month


def _write(ctx: click.Context, month_text: str, at_text: str | None, out: Path, office: str | None, section: str | None, pack: bool) -> None:
    rt = runtime(ctx)
    month = _month(month_text)
    if out.suffix.lower() not in DOCUMENT_TYPES:
        raise CliError(V.CLI_BAD_OUT.format(name=out.name))
    at = parse_day(at_text) if at_text else rt.clock.now().date()
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        sec = section_for(session, off.id, section)
        plan = queries.plan_for(session, off.id, at.year)
        if plan is None:
            raise CliError(V.NO_PLAN_YEAR.format(year=at.year, month=month))
        calendar = calendar_of(session)
        found = month_review(session, plan, month, at, calendar, sec.id if sec else None)
        try:
            review_documents.write(found, out, calendar, pack=pack)
        except SheetError as exc:
            if exc.code == "no_cjk_font":
                raise CliError(V.CLI_NO_FONT) from exc
            raise
        document = review_documents.pack_document(found, calendar) if pack else review_documents.report_document(found)
        if not found.rows and not pack:
            click.echo(V.CLI_WRITTEN_EMPTY.format(path=out, nothing=review_documents.nothing_behind(found)))
            return
        click.echo(V.CLI_WRITTEN.format(path=out, title=document.title, count=len(found.rows)))


@review.command("report")
@click.option("--month", "month_text", required=True, help="管考的月份，例如 3。")
@click.option("--at", "at_text", help="統計至哪一天（預設今天；年份即計畫年度）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="輸出檔：.odt、.docx 或 .pdf。")
@click.option("--office", help="機關名稱。")
@click.option("--section", help="只看一個課室。")
@click.pass_context
def report(ctx: click.Context, month_text: str, at_text: str | None, out: Path, office: str | None, section: str | None) -> None:
    """產生「○○年○月工作計畫執行情形彙整表」（本月落後的每一項）。"""
    _write(ctx, month_text, at_text, out, office, section, pack=False)


@review.command("pack")
@click.option("--month", "month_text", required=True, help="檢討的月份，例如 3。")
@click.option("--at", "at_text", help="統計至哪一天（預設今天）。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="輸出檔：.odt、.docx 或 .pdf。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def pack(ctx: click.Context, month_text: str, at_text: str | None, out: Path, office: str | None) -> None:
    """產生每月執行進度檢討會議資料：各課室燈號、紅黃燈項目、上月繼續列管、上次決議追蹤。"""
    _write(ctx, month_text, at_text, out, office, None, pack=True)


COMMANDS = [review]
