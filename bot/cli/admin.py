"""Administration commands: database, staff, calendar overrides."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import click

from bot.cli.common import CliError, office_for, parse_day, runtime
from bot.rich_menus import follow_roster
from handlers.office import calendar_changes, closures, onboarding_sheet, staff_changes
from handlers.office.imports.staff import ROLE_LABELS, StaffImportError, import_staff, read_roster, role_named
from handlers.texts import cli as C
from handlers.texts import console_admin as A
from handlers.texts import leave as LT
from handlers.texts import onboarding as O
from schedules.dates import format_date, parse_year
from storage import leave, queries
from storage.db import unit_of_work
from storage.invites import create_invite
from storage.migrate import upgrade
from storage.models import OverrideKind, Role, Staff
from storage.sheets import SheetError, find_cjk_font


def parse_role(text: str) -> Role:
    """Return the role named in Chinese or English."""
    try:
        return role_named(text)
    except StaffImportError as exc:
        raise CliError(str(exc)) from exc



@click.group()
def db() -> None:
    """資料庫維護。"""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """把資料庫結構升級到最新版本（Alembic 遷移）。"""
    rt = runtime(ctx)
    upgrade(rt.url)
    click.echo(C.DB_UPGRADED.format(url=rt.engine.url.render_as_string(hide_password=True)))


@click.group()
def staff() -> None:
    """同仁名冊：新增、列出、發綁定碼（或列印 QR code 綁定單）、停用與重新啟用、從檔案匯入。"""


@staff.command("add")
@click.argument("name")
@click.option("--section", "section_name", help="所屬課室，例如 戶籍登記課。")
@click.option("--role", "role_text", default="承辦人", show_default=True, help="承辦人、課長、研考或主任。")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.option("--new-section", is_flag=True, help="課室是新的（名冊裡還沒有）：確定要新增。")
@click.pass_context
def staff_add(ctx: click.Context, name: str, section_name: str | None, role_text: str, office: str | None, new_section: bool) -> None:
    """新增一位同仁（已有同名者則更新課室與角色）。"""
    rt = runtime(ctx)
    role = parse_role(role_text)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office, create=True)
        try:
            section = staff_changes.section_for(session, off, section_name or "", new_section)
        except staff_changes.NewSectionError as exc:
            near = C.STAFF_SECTION_NEAREST.format(name=exc.nearest) if exc.nearest else ""
            raise CliError(C.STAFF_NEW_SECTION.format(name=exc.section, near=near)) from exc
        person = queries.staff_by_name(session, off.id, name)
        verb = C.STAFF_UPDATED if person else C.STAFF_ADDED
        if person is None:
            person = Staff(office_id=off.id, name=name)
            session.add(person)
        person.role = role
        person.section_id = section.id if section else person.section_id
        queries.audit(session, rt.clock.now(), "cli", "staff.add", staff=name, role=role.value)
    _switch_menus(rt, off.id)
    shown = section.name if section else C.NO_SECTION
    click.echo(C.STAFF_SAVED.format(verb=verb, name=name, section=shown, role=ROLE_LABELS[role]))


def _switch_menus(rt, office_id: int | None) -> None:
    """Give each linked account of the office its role's menu after a change (only where LINE is configured)."""
    follow_roster(rt, office_id)


@staff.command("unlink")
@click.argument("name")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_unlink(ctx: click.Context, name: str, office: str | None) -> None:
    """解除同仁的 LINE 綁定（換手機、離職時；之後可再發綁定碼）。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        person = queries.staff_by_name(session, off.id, name)
        if person is None:
            raise CliError(C.NOT_ON_ROSTER.format(name=name))
        was = person.line_user_id
        person.line_user_id = None
        queries.audit(session, rt.clock.now(), "cli", "staff.unlink", staff=name)
    _switch_menus(rt, off.id)
    click.echo((O.STAFF_UNLINKED if was else O.STAFF_NOT_LINKED).format(name=name))


@staff.command("list")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_list(ctx: click.Context, office: str | None) -> None:
    """列出同仁、角色與 LINE 綁定狀態。"""
    rt = runtime(ctx)
    with rt.sessions() as session:
        off = office_for(session, office)
        people = queries.staff_of_office(session, off.id)
        click.echo(C.STAFF_COUNT.format(office=off.name, count=len(people)))
        for p in people:
            linked = (C.LINKED if p.line_user_id else C.NOT_LINKED) if p.active else A.CLI_INACTIVE
            section = p.section.name if p.section else "—"
            click.echo(C.STAFF_ROW.format(name=p.name, section=section, role=ROLE_LABELS[p.role], linked=linked))


@staff.command("invite")
@click.argument("name", required=False)
@click.option("--all", "everyone", is_flag=True, help="發給所有尚未綁定 LINE 的在職同仁。")
@click.option("--sheet", type=click.Path(dir_okay=False, path_type=Path), help="和 --all 一起用：寫出可列印的 QR code 綁定單（PDF）。")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_invite(ctx: click.Context, name: str | None, everyone: bool, sheet: Path | None, office: str | None) -> None:
    """發給同仁一次性綁定碼（72 小時內有效，只能用一次）；--all --sheet 綁定單.pdf 印出每人一個 QR code。"""
    if sheet is not None and not everyone:
        raise CliError(A.CLI_SHEET_NEEDS_ALL)
    if everyone:
        _invite_everyone(ctx, sheet, office)
        return
    if not name:
        raise CliError(A.CLI_NEED_NAME_OR_ALL)
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        person = queries.staff_by_name(session, off.id, name)
        if person is None:
            raise CliError(C.NOT_ON_ROSTER.format(name=name))
        if not person.active:
            raise CliError(A.CLI_INACTIVE_NO_CODE.format(name=name))
        code, expires = create_invite(session, person, rt.clock.now())
    click.echo(C.INVITE_CODE.format(name=name, code=code))
    click.echo(C.INVITE_HOW.format(code=code))
    until = expires.astimezone(rt.clock.now().tzinfo)
    click.echo(C.INVITE_EXPIRES.format(day=format_date(expires.date()), time=f"{until:%H:%M}"))


def _invite_everyone(ctx: click.Context, sheet: Path | None, office: str | None) -> None:
    rt = runtime(ctx)
    if sheet is not None:
        if sheet.suffix.lower() != ".pdf":
            raise CliError(A.CLI_SHEET_NOT_PDF.format(path=sheet))
        try:
            find_cjk_font()  # before any code is issued: no font, no new codes
        except SheetError as exc:
            raise CliError(A.CLI_NO_FONT) from exc
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        invitations = onboarding_sheet.invite_unlinked(session, off, rt.clock.now(), "cli")
        if not invitations:
            click.echo(A.SHEET_NONE)
            return
        if sheet is not None:
            onboarding_sheet.write_sheet(sheet, off, invitations, rt.settings.handlers.line_bot_basic_id)
    if sheet is not None:
        click.echo(A.CLI_SHEET_WRITTEN.format(count=len(invitations), path=sheet))
        return
    click.echo(A.CLI_ALL_CODES.format(count=len(invitations)))
    for inv in invitations:
        click.echo(A.CLI_CODE_ROW.format(name=inv.name, section=inv.section or "—", code=inv.code))


def _person(session, office: str | None, name: str) -> Staff:
    off = office_for(session, office)
    person = queries.staff_by_name(session, off.id, name)
    if person is None:
        raise CliError(C.NOT_ON_ROSTER.format(name=name))
    return person


@staff.command("deactivate")
@click.argument("name")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_deactivate(ctx: click.Context, name: str, office: str | None) -> None:
    """停用同仁（離職、調職）：解除 LINE 綁定、不再提醒、不能登入管理頁；回報紀錄保留。"""
    _set_active(ctx, name, office, staff_changes.deactivate, A.CLI_DEACTIVATED, A.CLI_ALREADY_INACTIVE)


@staff.command("reactivate")
@click.argument("name")
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_reactivate(ctx: click.Context, name: str, office: str | None) -> None:
    """重新啟用停用的同仁（之後要再發綁定碼）。"""
    _set_active(ctx, name, office, staff_changes.reactivate, A.CLI_REACTIVATED, A.CLI_ALREADY_ACTIVE)


def _set_active(ctx: click.Context, name: str, office: str | None, change, done: str, already: str) -> None:
    """Deactivate or reactivate a person, let the menus follow, and say which it was."""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        person = _person(session, office, name)
        office_id = person.office_id
        changed = change(session, person, rt.clock.now(), "cli")
    _switch_menus(rt, office_id)
    click.echo((done if changed else already).format(name=name))


@staff.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_import(ctx: click.Context, file: Path, office: str | None) -> None:
    """從 CSV（姓名,課室,角色[,LINE使用者ID,第一代理人,第二代理人]）匯入同仁名冊。"""
    rt = runtime(ctx)
    try:
        rows = read_roster(file)
        with unit_of_work(rt.sessions) as session:
            off = office_for(session, office, create=True)
            import_staff(session, off, rows, rt.clock.now(), file.name)
    except StaffImportError as exc:
        raise CliError(str(exc)) from exc
    _switch_menus(rt, off.id)
    click.echo(C.STAFF_IMPORTED.format(count=len(rows), office=off.name))


@staff.command("deputies")
@click.argument("name")
@click.argument("first")
@click.argument("second", required=False)
@click.option("--office", help="機關名稱。")
@click.pass_context
def staff_deputies(ctx: click.Context, name: str, first: str, second: str | None, office: str | None) -> None:
    """設定同仁的職務代理人（第一代理人、第二代理人）；請假期間的提醒由他們接手。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        found = []
        for who in (name, first, second):
            person = queries.staff_by_name(session, off.id, who) if who else None
            if who and person is None:
                raise CliError(C.NOT_ON_ROSTER.format(name=who))
            found.append(person)
        person, one, two = found
        if any(d is not None and d.id == person.id for d in (one, two)):
            raise CliError(LT.CLI_DEPUTY_SELF.format(name=name))
        leave.set_deputies(session, person, one, two)
        queries.audit(session, rt.clock.now(), "cli", "staff.deputies", staff=name, first=first, second=second)
    click.echo(LT.CLI_DEPUTIES_SET.format(name=name, first=first, second=second or LT.CLI_NONE))


@click.group()
def calendar() -> None:
    """辦公日曆：停班日（颱風假）、補行上班日，以及查看整年。"""


def _override(ctx: click.Context, day_text: str, reason: str, kind: OverrideKind, office: str | None) -> None:
    rt = runtime(ctx)
    day = parse_day(day_text)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        before = rt.calendar(session)
        after = calendar_changes.with_change(before, day, kind)
        moved = closures.moves(session, off.id, before, after, {day.year})
        queries.set_override(session, off.id, day, kind, reason)
        queries.audit(session, rt.clock.now(), "cli", f"calendar.{kind.value}", day=day.isoformat(), reason=reason)
        lines = closures.moved_lines(moved)
    label = C.OVERRIDE_CLOSED if kind is OverrideKind.closure else C.OVERRIDE_OPEN
    click.echo(C.OVERRIDE_SET.format(day=format_date(day), label=label, reason=reason))
    click.echo("\n".join(lines))


@calendar.group("closure")
def closure() -> None:
    """停止上班日（例如颱風假）。"""


@closure.command("add")
@click.argument("day")
@click.option("--reason", required=True, help="原因，例如：凱米颱風停止上班。")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def closure_add(ctx: click.Context, day: str, reason: str, office: str | None) -> None:
    """把某天設為停止上班（該天不算工作日；只影響該機關）。"""
    _override(ctx, day, reason, OverrideKind.closure, office)


@calendar.group("workday")
def workday() -> None:
    """額外上班日。"""


@workday.command("add")
@click.argument("day")
@click.option("--reason", required=True, help="原因。")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def workday_add(ctx: click.Context, day: str, reason: str, office: str | None) -> None:
    """把某天設為上班日（即使是週末或假日；只影響該機關）。"""
    _override(ctx, day, reason, OverrideKind.workday, office)


@calendar.command("show")
@click.argument("year")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def calendar_show(ctx: click.Context, year: str, office: str | None) -> None:
    """列出一年中的放假日、補行上班日與管理者設定（年份可寫 2024 或 113）。"""
    rt = runtime(ctx)
    try:
        y = parse_year(year)
    except ValueError as exc:
        raise CliError(C.BAD_YEAR_SHORT.format(text=year)) from exc
    with rt.sessions() as session:
        off = office_for(session, office) if office or queries.office_names(session) else None
        cal = rt.calendar(session)
        overrides = {o.day: o for o in queries.list_overrides(session, off.id, y)} if off is not None else {}
    if not cal.is_known_year(y):
        click.echo(C.YEAR_NOT_BUILT_IN.format(year=y))
    click.echo(C.YEAR_HEAD.format(year=y, roc=y - 1911, count=cal.working_days_between(date(y, 1, 1), date(y, 12, 31))))
    day = date(y, 1, 1)
    while day.year == y:
        weekend = day.weekday() >= 5
        working = cal.is_working_day(day)
        note = overrides[day].reason if day in overrides else (cal.holiday_name(day) or "")
        if day in overrides or (weekend and working) or (not weekend and not working):
            label = C.DAY_WORKING if working else C.DAY_OFF
            click.echo(C.DAY_ROW.format(day=format_date(day), label=label, note=note))
        day += timedelta(days=1)


COMMANDS = (db, staff, calendar)
