"""`planbot richmenu install|sync|images`: the role menus under the chat, at LINE."""

from __future__ import annotations

from pathlib import Path

import click

from bot.cli.common import CliError, runtime
from bot.line_api import LineApiError
from bot.rich_menu_images import FontError
from bot.rich_menus import install, sync, write_images
from handlers.texts import menus as T


@click.group()
def richmenu() -> None:
    """聊天室下方的角色選單（LINE 圖文選單）。"""


@richmenu.command("install")
@click.option("--font", help="中文字型檔（預設：用 fontconfig 找 Noto CJK）。")
@click.pass_context
def richmenu_install(ctx: click.Context, font: str | None) -> None:
    """畫好各角色的選單並建立在 LINE（重跑會換新選單、刪掉本程式建立的舊選單）。"""
    rt = runtime(ctx)
    client = rt.line_client()
    if client is None:
        raise CliError(T.NO_LINE_TOKEN)
    try:
        with client:
            report = install(client, rt.sessions, rt.clock.now(), font)
    except FontError as exc:
        raise CliError(str(exc)) from exc
    except LineApiError as exc:
        raise CliError(T.LINE_FAILED.format(error=exc.result.error)) from exc
    click.echo(T.INSTALLED.format(count=len(report.created), pages="、".join(report.created), default=report.default,
                                  deleted=report.deleted, linked=report.linked))


@richmenu.command("sync")
@click.pass_context
def richmenu_sync(ctx: click.Context) -> None:
    """讓每個已綁定帳號的選單符合角色（未綁定的改回預設選單）。"""
    rt = runtime(ctx)
    client = rt.line_client()
    if client is None:
        raise CliError(T.NO_LINE_TOKEN)
    with client:
        report = sync(client, rt.sessions, rt.clock.now())
    if report.errors:
        raise CliError(T.LINE_FAILED.format(error=report.errors[0]))
    click.echo(T.SYNCED.format(linked=report.linked, unlinked=report.unlinked))


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
