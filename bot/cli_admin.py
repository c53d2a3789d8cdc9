"""Administration commands: database, staff, calendar overrides."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from bot.cli import CliError, office_for, runtime
from handlers.imports.staff import ROLE_LABELS, StaffImportError, import_staff, read_roster, role_named
from schedules.dates import format_date
from storage import queries
from storage.db import unit_of_work
from storage.invites import create_invite
from storage.migrate import upgrade
from storage.models import OverrideKind, Role, Staff


def parse_role(text: str) -> Role:
    """Return the role named in Chinese or English."""
    try:
        return role_named(text)
    except StaffImportError as exc:
        raise CliError(str(exc)) from exc


def parse_day(text: str) -> date:
    """Parse an AD or ROC date such as 2024-07-25, 2024/7/25 or 113/7/25."""
    from schedules.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as exc:
        raise CliError(f"看不懂的日期「{text}」（例：2024-07-25 或 113/7/25）") from exc



def register(cli: click.Group) -> None:
    """Add the administration commands to the group."""
    cli.add_command(db)
    cli.add_command(staff)
    cli.add_command(calendar)


@click.group()
def db() -> None:
    """資料庫維護。"""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """把資料庫結構升級到最新版本（Alembic 遷移）。"""
    rt = runtime(ctx)
    upgrade(rt.url)
    click.echo(f"資料庫已是最新版本：{rt.engine.url.render_as_string(hide_password=True)}")


@click.group()
def staff() -> None:
    """同仁名冊：新增、列出、發綁定碼、從檔案匯入。"""


@staff.command("add")
@click.argument("name")
@click.option("--section", "section_name", help="所屬課室，例如 戶籍登記課。")
@click.option("--role", "role_text", default="承辦人", show_default=True, help="承辦人、課長、研考或主任。")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def staff_add(ctx: click.Context, name: str, section_name: str | None, role_text: str, office: str | None) -> None:
    """新增一位同仁（已有同名者則更新課室與角色）。"""
    rt = runtime(ctx)
    role = parse_role(role_text)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office, create=True)
        section = queries.get_or_create_section(session, off, section_name) if section_name else None
        person = queries.staff_by_name(session, off.id, name)
        verb = "已更新" if person else "已新增"
        if person is None:
            person = Staff(office_id=off.id, name=name)
            session.add(person)
        person.role = role
        person.section_id = section.id if section else person.section_id
        queries.audit(session, rt.clock.now(), "cli", "staff.add", staff=name, role=role.value)
    click.echo(f"{verb}：{name}（{section_name or '未分課室'}，{ROLE_LABELS[role]}）")


@staff.command("list")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_list(ctx: click.Context, office: str | None) -> None:
    """列出同仁、角色與 LINE 綁定狀態。"""
    rt = runtime(ctx)
    with rt.sessions() as session:
        off = office_for(session, office)
        people = queries.staff_of_office(session, off.id)
        click.echo(f"{off.name}：{len(people)} 位同仁")
        for p in people:
            linked = "已綁定" if p.line_user_id else "未綁定"
            click.echo(f"  {p.name}\t{p.section.name if p.section else '—'}\t{ROLE_LABELS[p.role]}\t{linked}")


@staff.command("invite")
@click.argument("name")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_invite(ctx: click.Context, name: str, office: str | None) -> None:
    """發給同仁一次性綁定碼（72 小時內有效，只能用一次）。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        person = queries.staff_by_name(session, off.id, name)
        if person is None:
            raise CliError(f"名冊中沒有「{name}」（先用 planbot staff add 新增）")
        code, expires = create_invite(session, person, rt.clock.now())
    click.echo(f"{name} 的綁定碼：{code}")
    click.echo(f"請他在 LINE 對 planbot 傳：綁定 {code}")
    click.echo(f"有效期限：{format_date(expires.date())} {expires.astimezone(rt.clock.now().tzinfo):%H:%M} 前，只能使用一次。")


@staff.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_import(ctx: click.Context, file: Path, office: str | None) -> None:
    """從 CSV（姓名,課室,角色[,LINE使用者ID]）匯入同仁名冊。"""
    rt = runtime(ctx)
    try:
        rows = read_roster(file)
        with unit_of_work(rt.sessions) as session:
            off = office_for(session, office, create=True)
            import_staff(session, off, rows, rt.clock.now(), file.name)
    except StaffImportError as exc:
        raise CliError(str(exc)) from exc
    click.echo(f"已匯入 {len(rows)} 位同仁到 {off.name}")


@click.group()
def calendar() -> None:
    """辦公日曆：停班日（颱風假）、補行上班日，以及查看整年。"""


def _override(ctx: click.Context, day_text: str, reason: str, kind: OverrideKind) -> None:
    rt = runtime(ctx)
    day = parse_day(day_text)
    with unit_of_work(rt.sessions) as session:
        queries.set_override(session, day, kind, reason)
        queries.audit(session, rt.clock.now(), "cli", f"calendar.{kind.value}", day=day.isoformat(), reason=reason)
    label = "停止上班" if kind is OverrideKind.closure else "上班"
    click.echo(f"已設定 {format_date(day)} {label}：{reason}（之後計算的日期都會依此調整）")


@calendar.group("closure")
def closure() -> None:
    """停止上班日（例如颱風假）。"""


@closure.command("add")
@click.argument("day")
@click.option("--reason", required=True, help="原因，例如：凱米颱風停止上班。")
@click.pass_context
def closure_add(ctx: click.Context, day: str, reason: str) -> None:
    """把某天設為停止上班（該天不算工作日）。"""
    _override(ctx, day, reason, OverrideKind.closure)


@calendar.group("workday")
def workday() -> None:
    """額外上班日。"""


@workday.command("add")
@click.argument("day")
@click.option("--reason", required=True, help="原因。")
@click.pass_context
def workday_add(ctx: click.Context, day: str, reason: str) -> None:
    """把某天設為上班日（即使是週末或假日）。"""
    _override(ctx, day, reason, OverrideKind.workday)


@calendar.command("show")
@click.argument("year")
@click.pass_context
def calendar_show(ctx: click.Context, year: str) -> None:
    """列出一年中的放假日、補行上班日與管理者設定（年份可寫 2024 或 113）。"""
    from schedules.dates import parse_year

    rt = runtime(ctx)
    try:
        y = parse_year(year)
    except ValueError as exc:
        raise CliError(f"看不懂的年份「{year}」") from exc
    with rt.sessions() as session:
        cal = rt.calendar(session)
        overrides = {o.day: o for o in queries.list_overrides(session, y)}
    if not cal.is_known_year(y):
        click.echo(f"注意：{y} 年的政府行政機關辦公日曆尚未內建，只以週末計算。")
    click.echo(f"{y} 年（民國 {y - 1911} 年）：全年 {cal.working_days_between(date(y, 1, 1), date(y, 12, 31))} 個工作日")
    day = date(y, 1, 1)
    from datetime import timedelta

    while day.year == y:
        weekend = day.weekday() >= 5
        working = cal.is_working_day(day)
        note = overrides[day].reason if day in overrides else (cal.holiday_name(day) or "")
        if day in overrides or (weekend and working) or (not weekend and not working):
            label = "上班" if working else "放假"
            click.echo(f"  {format_date(day)}\t{label}\t{note}")
        day += timedelta(days=1)
