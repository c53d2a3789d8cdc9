"""The `planbot` command: one group, commands registered from small modules, one-line errors."""

from __future__ import annotations

import os
import sys
import traceback

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.runtime import Runtime


class CliError(click.ClickException):
    """An error to print as one line with a non-zero exit."""


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="資料庫位址（預設：instance/planbot.db 的 SQLite）。")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """planbot：工作計畫期程管制的 LINE 小幫手，管理用指令。"""
    ctx.ensure_object(dict)
    # Given on the command line it wins; from DATABASE_URL it is read with the rest of the environment.
    given = ctx.get_parameter_source("database_url") == click.core.ParameterSource.COMMANDLINE
    ctx.obj["database_url"] = database_url if given else None


def runtime(ctx: click.Context) -> Runtime:
    """Return the process runtime, created on first use from the environment (and what `main` was given)."""
    root = ctx.find_root()
    if "runtime" not in root.obj:
        env = {**os.environ, **root.obj.get("env", {})}
        root.obj["runtime"] = Runtime.from_env(root.obj.get("database_url"), env=env)
    return root.obj["runtime"]


def office_for(session, name: str | None, create: bool = False):
    """Return the office named (created only when `create`), else the database's only office; CliError otherwise."""
    from storage import queries

    if name:
        office = queries.find_office(session, name)
        if office is None and create:
            office = queries.get_or_create_office(session, name)
        if office is None:
            known = "、".join(queries.office_names(session)) or "（還沒有任何機關）"
            raise CliError(f"沒有「{name}」這個機關（有：{known}）")
        return office
    office = queries.only_office(session)
    if office is None:
        names = queries.office_names(session)
        if not names:
            raise CliError("資料庫中還沒有計畫，請先用 planbot import 匯入")
        raise CliError(f"資料庫中有 {len(names)} 個機關，請用 --office 指定（{'、'.join(names)}）")
    return office


def _register() -> None:
    from bot import cli_admin, cli_plan, cli_remind, cli_run, cli_talk

    for module in (cli_admin, cli_plan, cli_run, cli_talk, cli_remind):
        module.register(cli)


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Run the command line (`env` adds to os.environ); errors are one line on stderr and a non-zero exit."""
    _register()
    try:
        cli.main(args=argv, prog_name="planbot", standalone_mode=False, obj={"env": dict(env or {})})
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 0
    except click.UsageError as exc:
        hint = f"（請看 planbot {exc.ctx.command_path.split(' ', 1)[-1]} --help）" if exc.ctx and " " in exc.ctx.command_path else "（請看 planbot --help）"
        click.echo(f"planbot: 錯誤：{exc.format_message()} {hint}", err=True)
        return 2
    except click.ClickException as exc:
        click.echo(f"planbot: 錯誤：{exc.format_message()}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo("planbot: 已取消", err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except (OperationalError, ProgrammingError) as exc:
        if os.environ.get("PLANBOT_DEBUG"):
            traceback.print_exc()
        reason = _first_line(str(exc.orig) if exc.orig is not None else str(exc))
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            click.echo("planbot: 錯誤：資料庫還沒有建立資料表，請先執行：planbot db upgrade", err=True)
        else:
            click.echo(f"planbot: 錯誤：無法使用資料庫（請檢查 DATABASE_URL）：{reason}", err=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last net: one line, details only when asked for
        if os.environ.get("PLANBOT_DEBUG"):
            traceback.print_exc()
        click.echo(f"planbot: 錯誤：{type(exc).__name__}: {_first_line(str(exc))}（PLANBOT_DEBUG=1 可看詳細資訊）", err=True)
        return 1
    return 0


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]


if __name__ == "__main__":
    sys.exit(main())
