"""`planbot console link NAME`: a sign-in link to the console, for the first coordinator and for tests."""

from __future__ import annotations

import click

from bot.cli.common import CliError, office_for, runtime
from handlers.chat.console_link import link_for
from handlers.core.incoming import Context
from handlers.texts import cli as C
from storage import queries
from storage.db import unit_of_work


@click.group()
def console() -> None:
    """管理頁（年度管制表）。"""


@console.command("link")
@click.argument("name")
@click.option("--office", help="機關名稱（資料庫只有一個機關時可省略）。")
@click.pass_context
def console_link(ctx: click.Context, name: str, office: str | None) -> None:
    """印出同仁的管理頁登入連結（10 分鐘內有效，只能用一次）。"""
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        off = office_for(session, office)
        person = queries.staff_by_name(session, off.id, name)
        if person is None or not person.active:
            raise CliError(C.NOT_ON_ROSTER.format(name=name))
        url = link_for(Context(session, rt.clock, rt.settings.handlers), person, "cli")
    click.echo(C.CONSOLE_LINK.format(name=name, url=url))


COMMANDS = [console]
