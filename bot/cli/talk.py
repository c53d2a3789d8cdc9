"""Talk to the bot from the terminal (say), and the summary and control table without LINE."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import click

from bot.cli.common import CliError, moment_option, office_for, runtime, section_for
from bot.clock import clockwork
from handlers.chat.catalog import COMMANDS as CHAT_COMMANDS
from handlers.chat.router import handle, handle_as
from handlers.chat.summaries import period_of, summarize, summary_card
from handlers.core.incoming import Context, Incoming
from handlers.core.replies import plain_text, to_dict
from handlers.documents.exports import write_table
from handlers.texts import cli as C
from handlers.texts.imports import sheet_error
from schedules.clock import FixedClock
from schedules.dates import read_month
from storage import outbox, queries
from storage.db import unit_of_work
from storage.sheets import SheetError


def _moment(ctx: click.Context, text: str | None) -> datetime:
    if not text:
        return runtime(ctx).clock.now()
    return moment_option(text)


@click.command()
@click.argument("text", required=False, default="")
@click.option("--as", "who", required=True, help="以誰的身分傳：同仁姓名或 LINE 使用者 ID（不在名冊上就當作未綁定的帳號）。")
@click.option("--at", "at", help="假設現在是這個時間，例如 2024-04-08 09:00 或 113/4/8（預設：現在）。")
@click.option("--postback", "data", help="改成按下按鈕：postback 資料，例如 a=report&i=12&o=2024-04&s=done。")
@click.option("--group", "group_id", help="當作在這個 LINE 群組中傳送（群組 ID）。")
@click.option("--follow", is_flag=True, help="當作剛加入好友。")
@click.option("--json", "as_json", is_flag=True, help="輸出回覆物件的 JSON。")
@click.option("--office", default=None, help="寫給哪個機關的 LINE 帳號（資料庫只有一個機關時可省略）。")
@click.pass_context
def say(ctx: click.Context, text: str, who: str, at: str | None, data: str | None, group_id: str | None,
        follow: bool, as_json: bool, office: str | None) -> None:
    """以某位同仁的身分傳一則訊息給小幫手，印出回覆（回報會寫入資料庫）。"""
    if not text and not data and not follow:
        raise CliError(C.NOTHING_TO_SAY)
    rt = runtime(ctx)
    clock = FixedClock(_moment(ctx, at))
    kind = "follow" if follow else ("postback" if data else "text")
    with unit_of_work(rt.sessions) as session:
        office_for(session, office)  # the office's account is written to: its people, its plan, nothing of another's
        staff = queries.find_staff(session, who)
        if staff is not None and not staff.active:
            staff = None
        if staff is None:
            if not who.startswith("U"):  # LINE user ids start with U; anything else was meant as a name
                click.echo(C.UNKNOWN_SPEAKER.format(who=who), err=True)
            line_id = who
        else:
            line_id = staff.line_user_id or ""
        incoming = Incoming(kind, line_id, text=text, data=data or "", group_id=group_id)
        context = Context(session=session, clock=clock, settings=rt.settings.handlers)
        # Someone on the roster whose LINE account is not linked yet can still be tried out by name.
        replies = handle(incoming, context) if staff is None or staff.line_user_id else handle_as(incoming, staff, context)
        queued = outbox.unsent_notices(session)
    if queued:  # what the answer queued for others (a closure's notices) goes out now, through the outbox
        clockwork(rt, clock).notices()
    if as_json:
        click.echo(json.dumps([to_dict(r) for r in replies], ensure_ascii=False, indent=1))
        return
    click.echo("\n\n".join(plain_text(r) for r in replies) if replies else C.NO_ANSWER)


def _month(text: str | None) -> int | None:
    if not text:
        return None
    month = read_month(text)
    if month is None:
        raise CliError(C.BAD_MONTH.format(text=text))
    return month


def _plan_and_section(session, office: str | None, section: str | None, year: int):
    off = office_for(session, office)
    plan = queries.latest_plan(session, off.id, year)
    if plan is None:
        raise CliError(C.NO_PLAN_YET.format(office=off.name))
    return plan, section_for(session, off.id, section)


@click.command("summary")
@click.option("--section", help="只看一個課室（預設：全所）。")
@click.option("--month", help="哪個月，例如 3 或 3月（預設：--at 當月）。")
@click.option("--at", "at", help="統計到這一天，例如 2024-04-08（預設：今天）。")
@click.option("--office", help="機關名稱。")
@click.option("--json", "as_json", is_flag=True, help="輸出摘要卡的數字（JSON）。")
@click.pass_context
def summary_cmd(ctx: click.Context, section: str | None, month: str | None, at: str | None, office: str | None,
                as_json: bool) -> None:
    """印出進度摘要：應完成、完成、逾期、14 天內到期、完成率與逾期清單；本期沒有排定的作業就直接說明。"""
    rt = runtime(ctx)
    today = _moment(ctx, at).date()
    wanted = _month(month)
    with rt.sessions() as session:
        plan, sec = _plan_and_section(session, office, section, today.year)
        start, end = period_of(plan.year, wanted, today)
        result = summarize(session, plan, sec, start, end, today, rt.calendar(session))
        card = summary_card(result, CHAT_COMMANDS.label("overdue"))
        output = json.dumps(result.to_json(), ensure_ascii=False, indent=1) if as_json else plain_text(card)
    click.echo(output)


@click.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--section", help="只匯出一個課室（預設：全所，每課一張工作表）。")
@click.option("--month", help="只列這個月有排定的項目，例如 3 或 3月。")
@click.option("--at", "at", help="以這一天的計畫年度為準（預設：今天）。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def export_cmd(ctx: click.Context, file: Path, section: str | None, month: str | None, at: str | None,
               office: str | None) -> None:
    """把工作計畫期程管制表（含最新執行情形）寫成 .ods 或 .xlsx 檔。"""
    if file.suffix.lower() not in (".ods", ".xlsx"):
        raise CliError(C.EXPORT_SUFFIX.format(file=file.name))
    rt = runtime(ctx)
    today = _moment(ctx, at).date()
    wanted = _month(month)
    with rt.sessions() as session:
        plan, sec = _plan_and_section(session, office, section, today.year)
        try:
            written = write_table(session, plan, file, sec, wanted, rt.calendar(session), today)
        except (SheetError, OSError) as exc:
            reason = sheet_error(exc) if isinstance(exc, SheetError) else exc
            raise CliError(C.CANNOT_WRITE.format(file=file, reason=reason)) from exc
    if written is None:
        raise CliError(C.NOTHING_TO_EXPORT)
    click.echo(C.WRITTEN.format(file=written))


COMMANDS = (say, summary_cmd, export_cmd)
