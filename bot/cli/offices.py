"""The offices of one deployment and their own LINE accounts: `planbot office add|channel|list`.

The channel's secret and token are read from files (never from the command line, where `ps` and the shell's
history would keep them) and stored encrypted with PLANBOT_SECRET_KEY.
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.channels import BOT_USER_ID, ChannelKeyError, cipher
from bot.cli.common import CliError, runtime, secret_key_problem
from handlers.texts import cli as C
from storage import queries
from storage.channels import holder_of, office_rows, save_channel
from storage.db import unit_of_work
from storage.models import Office


@click.command("add")
@click.argument("name")
@click.pass_context
def office_add(ctx: click.Context, name: str) -> None:
    """新增一個機關（例如 臺北市大安區戶政事務所）。"""
    name = name.strip()
    if not name:
        raise CliError(C.OFFICE_NAME_EMPTY)
    rt = runtime(ctx)
    with unit_of_work(rt.sessions) as session:
        if queries.find_office(session, name) is not None:
            raise CliError(C.OFFICE_EXISTS.format(name=name))
        session.add(Office(name=name, settings={}))
    click.echo(C.OFFICE_ADDED.format(name=name))


def _read_secret_file(path: Path, what: str) -> str:
    try:
        value = path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise CliError(C.CHANNEL_FILE_UNREADABLE.format(what=C.CHANNEL_WHAT[what], path=path,
                                                        reason=type(exc).__name__)) from exc
    if not value:
        raise CliError(C.CHANNEL_FILE_EMPTY.format(what=C.CHANNEL_WHAT[what], path=path))
    return value


@click.command("channel")
@click.argument("name")
@click.option("--bot-id", required=True, help="LINE 官方帳號的 Bot user ID（U 開頭，LINE Developers 的 Basic settings）。")
@click.option("--secret-file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="內容為 Channel secret 的檔案（不在命令列上給，免得留在歷史紀錄）。")
@click.option("--token-file", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="內容為 Channel access token（長期）的檔案。")
@click.pass_context
def office_channel(ctx: click.Context, name: str, bot_id: str, secret_file: Path, token_file: Path) -> None:
    """設定機關自己的 LINE 官方帳號（密鑰與權杖以 PLANBOT_SECRET_KEY 加密存放）。"""
    bot_id = bot_id.strip()
    if not BOT_USER_ID.match(bot_id):
        raise CliError(C.BAD_BOT_ID.format(text=bot_id))
    rt = runtime(ctx)
    try:
        fernet = cipher(rt.settings.secret_key)
    except ChannelKeyError as exc:
        raise secret_key_problem(exc) from exc
    secret, token = _read_secret_file(secret_file, "secret"), _read_secret_file(token_file, "token")
    with unit_of_work(rt.sessions) as session:
        office = queries.find_office(session, name)
        if office is None:
            known = C.LIST_JOIN.join(queries.office_names(session)) or C.NO_OFFICES_YET
            raise CliError(C.NO_SUCH_OFFICE.format(name=name, known=known))
        holder = holder_of(session, bot_id)
        if holder is not None and holder.office_id != office.id:
            raise CliError(C.BOT_ID_TAKEN.format(office=session.get(Office, holder.office_id).name, name=office.name))
        new = save_channel(session, office.id, bot_id, fernet.encrypt(secret.encode()).decode(),
                           fernet.encrypt(token.encode()).decode(), rt.clock.now())
        queries.audit(session, rt.clock.now(), "cli", "office.channel", office=office.name, bot_user_id=bot_id)
    click.echo((C.CHANNEL_SET if new else C.CHANNEL_REPLACED).format(name=name, bot_id=bot_id))


@click.command("list")
@click.pass_context
def office_list(ctx: click.Context) -> None:
    """列出機關：所在地、LINE 官方帳號（只列 Bot user ID）、同仁與計畫數。"""
    rt = runtime(ctx)
    with rt.sessions() as session:
        rows = office_rows(session)
    if not rows:
        click.echo(C.NO_OFFICES)
        return
    click.echo(C.OFFICE_LIST_HEAD)
    for row in rows:
        place = "".join(p for p in (row.county, row.district) if p) or C.OFFICE_NO_PLACE
        channel = C.OFFICE_CHANNEL.format(bot_id=row.bot_user_id) if row.bot_user_id else C.OFFICE_NO_CHANNEL
        click.echo(C.OFFICE_LIST_ROW.format(name=row.name, place=place, channel=channel, staff=row.staff, plans=row.plans))


# Added to `planbot office` (bot/cli/feed.py's group, beside `location`).
OFFICE_COMMANDS = [office_add, office_channel, office_list]
COMMANDS: list = []
