"""`planbot city viewer add|link|deactivate|list`: the city's viewers (民政局, 研考會) and their sign-in links."""

from __future__ import annotations

import click

from bot.cli.common import CliError, runtime
from handlers.office import city_viewers
from handlers.office.city_viewers import ViewerError
from handlers.texts import city as C
from storage.db import unit_of_work


@click.group()
def city() -> None:
    """市府（民政局、研考會）的各所進度頁。"""


@city.group("viewer", help=C.CLI_VIEWER)
def viewer() -> None:
    pass


def _signin_link(session, rt, found) -> str:
    return city_viewers.link(session, found, rt.settings.handlers.public_url, rt.clock.now(), "cli")


@viewer.command("add", help=C.CLI_ADD)
@click.argument("name")
@click.option("--unit", required=True, help=C.CLI_UNIT_HELP)
@click.pass_context
def viewer_add(ctx: click.Context, name: str, unit: str) -> None:
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        try:
            added = city_viewers.add(session, name, unit, rt.clock.now(), "cli")
        except ViewerError as exc:
            raise CliError(str(exc)) from exc
        url = _signin_link(session, rt, added.viewer)
        done = (C.REACTIVATED if added.reactivated else C.ADDED).format(name=added.viewer.name, unit=added.viewer.unit)
    click.echo(done)
    click.echo(C.LINK.format(name=name.strip(), url=url))


@viewer.command("link", help=C.CLI_LINK)
@click.argument("name")
@click.pass_context
def viewer_link(ctx: click.Context, name: str) -> None:
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        try:
            found = city_viewers.active_viewer(session, name)
        except ViewerError as exc:
            raise CliError(str(exc)) from exc
        line = C.LINK.format(name=found.name, url=_signin_link(session, rt, found))
    click.echo(line)


@viewer.command("deactivate", help=C.CLI_DEACTIVATE)
@click.argument("name")
@click.pass_context
def viewer_deactivate(ctx: click.Context, name: str) -> None:
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        try:
            ended = city_viewers.deactivate(session, name, rt.clock.now(), "cli")
        except ViewerError as exc:
            raise CliError(str(exc)) from exc
    if ended is None:
        click.echo(C.ALREADY_INACTIVE.format(name=name))
    else:
        click.echo(C.DEACTIVATED.format(name=name, count=ended))


@viewer.command("list", help=C.CLI_LIST)
@click.pass_context
def viewer_list(ctx: click.Context) -> None:
    rt = runtime(ctx)
    with rt.sessions() as session:
        found = city_viewers.viewers(session)
        lines = [C.LIST_ROW.format(name=v.name, unit=v.unit, state="" if v.active else C.LIST_INACTIVE) for v in found]
    click.echo(C.LIST_HEAD.format(count=len(lines)))
    for line in lines:
        click.echo(line)


COMMANDS = [city]
