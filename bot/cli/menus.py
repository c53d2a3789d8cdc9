"""`planbot richmenu install|sync|images`: the role menus under the chat, at LINE."""

from __future__ import annotations

from pathlib import Path

import click

from bot.channels import ChannelKeyError, Channels
from bot.cli.common import CliError, office_for, runtime, secret_key_problem
from bot.line_api import LineApiError, LineSender
from bot.rich_menu_images import FontError
from bot.rich_menus import install, sync, write_images
from handlers.texts import menus as T


@click.group()
def richmenu() -> None:
    """聊天室下方的角色選單（LINE 圖文選單）。"""


def _accounts(rt, office_name: str | None) -> list[tuple[str, int | None, LineSender]]:
    """Return (what to call it, office id or None, client) of each LINE account to work on.

    --office: that office's own account. Without: the environment's account (if a token is set), then every office
    that has an account of its own, each with its own token; with one office and no channels, as before.
    """
    channels = Channels(rt.sessions, rt.settings.secret_key)
    try:
        channels.check()
    except ChannelKeyError as exc:
        raise secret_key_problem(exc) from exc
    stored = channels.all()
    if office_name is not None:
        with rt.sessions() as session:
            office = office_for(session, office_name)
            name, office_id = office.name, office.id
        channel = channels.of_office(office_id)
        if channel is None:
            raise CliError(T.OFFICE_HAS_NO_CHANNEL.format(office=name))
        return [(T.FOR_OFFICE.format(office=name), office_id, rt.line_client(token=channel.token))]
    out = []
    client = rt.line_client()
    if client is not None:
        out.append((T.ENVIRONMENT_CHANNEL if stored else "", None, client))
    out.extend((T.FOR_OFFICE.format(office=c.office_name), c.office_id, rt.line_client(token=c.token)) for c in stored)
    if not out:
        raise CliError(T.NO_LINE_TOKEN)
    return out


@richmenu.command("install")
@click.option("--font", help="中文字型檔（預設：用 fontconfig 找 Noto CJK）。")
@click.option("--office", "office_name", default=None,
              help="只建立這個機關自己的 LINE 官方帳號的選單（預設：每個帳號各建一套）。")
@click.pass_context
def richmenu_install(ctx: click.Context, font: str | None, office_name: str | None) -> None:
    """畫好各角色的選單並建立在 LINE（重跑會換新選單、刪掉本程式建立的舊選單）。"""
    rt = runtime(ctx)
    for label, office_id, client in _accounts(rt, office_name):
        try:
            with client:
                report = install(client, rt.sessions, rt.clock.now(), font, office_id)
        except FontError as exc:
            raise CliError(str(exc)) from exc
        except LineApiError as exc:
            raise CliError(label + T.LINE_FAILED.format(error=exc.result.error)) from exc
        click.echo(label + T.INSTALLED.format(count=len(report.created), pages="、".join(report.created),
                                              default=report.default, deleted=report.deleted, linked=report.linked))


@richmenu.command("sync")
@click.option("--office", "office_name", default=None, help="只處理這個機關自己的 LINE 官方帳號（預設：每個帳號）。")
@click.pass_context
def richmenu_sync(ctx: click.Context, office_name: str | None) -> None:
    """讓每個已綁定帳號的選單符合角色（未綁定的改回預設選單）。"""
    rt = runtime(ctx)
    for label, office_id, client in _accounts(rt, office_name):
        with client:
            report = sync(client, rt.sessions, rt.clock.now(), office_id)
        if report.errors:
            raise CliError(label + T.LINE_FAILED.format(error=report.errors[0]))
        click.echo(label + T.SYNCED.format(linked=report.linked, unlinked=report.unlinked))


@richmenu.command("images")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--font", help="中文字型檔（預設：用 fontconfig 找 Noto CJK）。")
def richmenu_images(folder: Path, font: str | None) -> None:
    """只畫選單圖片到資料夾（先看看樣子，不動 LINE）。"""
    try:
        files = write_images(folder, font)
    except FontError as exc:
        raise CliError(str(exc)) from exc
    click.echo(T.IMAGES_WRITTEN.format(count=len(files), folder=folder))


COMMANDS = [richmenu]
