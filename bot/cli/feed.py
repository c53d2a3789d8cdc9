"""Where the office is, and the DGPA's closure feed: `planbot office location`, `planbot calendar feed check|replay`."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.cli.common import CliError, moment_option, office_for, parse_day, runtime
from bot.closure_feed import FeedClient, check_offices, placed_office_ids, read_recording
from handlers.office.feed_closures import Check, check_lines, place_of, read_place, set_place
from handlers.texts import closure_feed as F
from storage.db import unit_of_work


@click.group()
def office() -> None:
    """機關資料：所在地（停班停課公告看這裡的消息）。"""


@office.command("location")
@click.option("--county", default=None, help="縣市，例如：臺北市（台北市亦可）。")
@click.option("--district", default=None, help="鄉鎮市區，例如：文山區；不寫則只看全縣市的公告。")
@click.option("--office", "office_name", default=None, help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def location(ctx: click.Context, county: str | None, district: str | None, office_name: str | None) -> None:
    """設定（或不帶參數時顯示）機關所在地；停班停課公告依（縣市, 鄉鎮市區）比對。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office_name)
        if county is None:
            if district is not None:
                raise CliError(F.DISTRICT_NEEDS_COUNTY)
            shown = place_of(off)
            click.echo(F.PLACE_SHOWN.format(office=off.name, place=shown) if shown else F.PLACE_NONE.format(office=off.name))
            return
        problem = read_place(county, district)
        if isinstance(problem, str):
            raise CliError(problem)
        click.echo(set_place(session, off, county, district, "cli", rt.clock.now()))


@click.group("feed")
def feed() -> None:
    """停班停課公告（行政院人事行政總處，經國家災害防救科技中心發布）。"""


@feed.command("check")
@click.option("--at", "at_text", default=None, help="當作在這個時間查詢，例如 2026-08-22 21:05（預設：現在）。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 輸出讀到與決定的內容。")
@click.pass_context
def feed_check(ctx: click.Context, at_text: str | None, as_json: bool) -> None:
    """查詢一次公告，套用本機關的停班，並印出讀到與決定的內容。"""
    rt = runtime(ctx)
    url = rt.settings.closure_feed_url
    if not url:
        raise CliError(F.FEED_OFF)
    ids = placed_office_ids(rt.sessions)
    if not ids:
        raise CliError(F.FEED_NO_PLACES)
    now = moment_option(at_text) if at_text else rt.clock.now()
    fetched = FeedClient(url, rt.settings.closure_feed_key).fetch()
    _show(check_offices(rt.sessions, ids, fetched, now), as_json)


@feed.command("replay")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--on", "on_text", default=None, help="把錄下的那一夜移到這一天傍晚開始，例如 2026-12-06。")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 輸出每次查詢。")
@click.pass_context
def feed_replay(ctx: click.Context, path: Path, on_text: str | None, as_json: bool) -> None:
    """重播錄下的颱風夜：依序當作在每個時間讀到那時的公告，看停班怎麼進來（會真的套用，請在示範資料庫上用）。"""
    rt = runtime(ctx)
    try:
        steps = read_recording(path.read_text(encoding="utf-8"), parse_day(on_text) if on_text else None)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise CliError(F.REPLAY_BAD_FILE.format(path=path, reason=exc)) from exc
    ids = placed_office_ids(rt.sessions)
    if not ids:
        raise CliError(F.FEED_NO_PLACES)
    done = []
    for step in steps:
        checks = check_offices(rt.sessions, ids, step.fetched, step.at)
        done.extend(checks)
        if not as_json:
            click.echo(F.REPLAY_STEP.format(time=step.at.strftime("%Y-%m-%d %H:%M")))
            _show(checks, False)
    if as_json:
        _show(done, True)
    else:
        click.echo(F.REPLAY_DONE.format(count=len(steps)))


def _show(checks: list[Check], as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps([{**c.to_json(), "source": F.ATTRIBUTION} for c in checks], ensure_ascii=False, indent=1))
        return
    for check in checks:
        if check.ok:
            ours = len(check.decisions) + len(check.unreadable)
            click.echo(F.FEED_READ.format(entries=check.entries, place=check.place, ours=ours))
            if check.ignored:
                parts = "、".join(F.IGNORED.get(k, k).format(n=n) for k, n in sorted(check.ignored.items()))
                click.echo(F.FEED_IGNORED.format(parts=parts))
        for line in check_lines(check):
            click.echo(line)
    if any(c.decisions for c in checks):
        click.echo(F.ATTRIBUTION)


COMMANDS = (office,)
CALENDAR_COMMANDS = (feed,)
