"""What every `planbot` command module shares: the one-line error, the runtime, resolving an office, reading dates."""

from __future__ import annotations

import os
from datetime import date, datetime

import click

from bot.channels import MAKE_KEY, ChannelKeyError
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.texts import cli as C
from schedules.clock import parse_moment
from schedules.dates import parse_date, parse_year, read_month
from storage import queries, scope


class CliError(click.ClickException):
    """An error to print as one line with a non-zero exit."""


def runtime(ctx: click.Context) -> Runtime:
    """Return the process runtime, created on first use from the environment (and what `main` was given)."""
    root = ctx.find_root()
    root.ensure_object(dict)
    if "runtime" not in root.obj:
        settings = Settings.from_env({**os.environ, **root.obj.get("env", {})})
        rt = Runtime.from_settings(settings, root.obj.get("database_url"))
        # A command that leaves its engine open keeps SQLite's write-ahead log unmerged after it exits.
        root.call_on_close(rt.engine.dispose)
        root.obj["runtime"] = rt
    return root.obj["runtime"]


def secret_key_problem(exc: ChannelKeyError) -> CliError:
    """Return what to print when PLANBOT_SECRET_KEY is missing, malformed, or opens no stored channel."""
    if exc.kind == "wrong":
        return CliError(C.SECRET_KEY_WRONG.format(office=exc.office))
    words = C.SECRET_KEY_MISSING if exc.kind == "missing" else C.SECRET_KEY_MALFORMED
    return CliError(words.format(make=MAKE_KEY))


def office_for(session, name: str | None, create: bool = False):
    """Return the office named (created only when `create`), else the database's only office; CliError otherwise.

    The session is scoped to that office from then on: the command sees and writes nothing of another office.
    """
    office = _resolve_office(session, name, create)
    scope.scope_to(session, office.id)
    return office


def _resolve_office(session, name: str | None, create: bool):
    if name:
        office = queries.find_office(session, name)
        if office is None and create:
            office = queries.get_or_create_office(session, name)
        if office is None:
            known = C.LIST_JOIN.join(queries.office_names(session)) or C.NO_OFFICES_YET
            raise CliError(C.NO_SUCH_OFFICE.format(name=name, known=known))
        return office
    office = queries.only_office(session)
    if office is None:
        names = queries.office_names(session)
        if not names:
            raise CliError(C.NOTHING_IMPORTED)
        raise CliError(C.WHICH_OFFICE.format(count=len(names), names=C.LIST_JOIN.join(names)))
    return office


def section_for(session, office_id: int, name: str | None):
    """Return the section named in the office (None when no name is given); CliError listing the sections otherwise."""
    if not name:
        return None
    section = queries.find_section(session, office_id, name)
    if section is None:
        names = C.LIST_JOIN.join(s.name for s in queries.sections_of(session, office_id))
        raise CliError(C.NO_SUCH_SECTION.format(name=name, names=names))
    return section


def parse_day(text: str) -> date:
    """Parse an AD or ROC date such as 2024-07-25, 2024/7/25 or 113/7/25."""
    try:
        return parse_date(text)
    except ValueError as exc:
        raise CliError(C.BAD_DAY.format(text=text)) from exc


def year_option(text: str) -> int:
    """Parse a plan year written AD (2024) or ROC (113)."""
    try:
        return parse_year(text)
    except ValueError as exc:
        raise CliError(C.BAD_YEAR.format(text=text)) from exc


def moment_option(text: str, message: str = C.BAD_TIME) -> datetime:
    """Parse a moment such as 2024-04-08 09:00, 2024-04-08T08:30 or 113/4/8 (Asia/Taipei)."""
    try:
        return parse_moment(text)
    except ValueError as exc:
        raise CliError(message.format(text=text)) from exc


def month_option(text: str) -> int:
    """Parse a month such as 4, 04, 4月 or 四月."""
    month = read_month(text)
    if month is None:
        raise CliError(C.BAD_MONTH.format(text=text))
    return month
