"""The `planbot` command: one click group, one module per command family, one-line errors.

Each command module (`admin`, `offices`, `plan`, `talk`, `remind`, `run`, `console`, `menus`, `leave`, `quota`, `feed`, `review`, `city`) imports only `bot.cli.common` from this
package and lists its commands in `COMMANDS`; the group is assembled here, once, at import.
"""

from __future__ import annotations

import os
import traceback

import click
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.cli import admin, city, console, feed, leave, menus, offices, plan, quota, remind, review, run, talk
from bot.cli.common import CliError
from handlers.texts import cli as C

__all__ = ["CliError", "cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="資料庫位址（預設：instance/planbot.db 的 SQLite）。")
@click.pass_context
def cli(ctx: click.Context, database_url: str | None) -> None:
    """planbot：工作計畫期程管制的 LINE 小幫手，管理用指令。"""
    ctx.ensure_object(dict)
    # Given on the command line it wins; from DATABASE_URL it is read with the rest of the environment.
    given = ctx.get_parameter_source("database_url") == click.core.ParameterSource.COMMANDLINE
    ctx.obj["database_url"] = database_url if given else None


for _module in (admin, plan, run, talk, remind, console, menus, leave, quota, feed, review, city):
    for _command in _module.COMMANDS:
        cli.add_command(_command)
for _command in feed.CALENDAR_COMMANDS:  # `planbot calendar feed …` lives beside the closures it adds
    admin.calendar.add_command(_command)
for _command in offices.OFFICE_COMMANDS:  # `planbot office add|channel|list` beside `planbot office location`
    feed.office.add_command(_command)


def main(argv: list[str] | None = None, env: dict[str, str] | None = None) -> int:
    """Run the command line (`env` adds to os.environ); errors are one line on stderr and a non-zero exit."""
    try:
        cli.main(args=argv, prog_name="planbot", standalone_mode=False, obj={"env": dict(env or {})})
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.ctx.get_help() if exc.ctx else str(exc))
        return 0
    except click.UsageError as exc:
        if exc.ctx and " " in exc.ctx.command_path:
            hint = C.USAGE_HINT_COMMAND.format(command=exc.ctx.command_path.split(" ", 1)[-1])
        else:
            hint = C.USAGE_HINT
        click.echo(C.USAGE_ERROR.format(message=exc.format_message(), hint=hint), err=True)
        return 2
    except click.ClickException as exc:
        click.echo(C.ERROR.format(message=exc.format_message()), err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.Abort:
        click.echo(C.CANCELLED, err=True)
        return 1
    except KeyboardInterrupt:
        return 130
    except (OperationalError, ProgrammingError) as exc:
        if os.environ.get("PLANBOT_DEBUG"):
            traceback.print_exc()
        reason = _first_line(str(exc.orig) if exc.orig is not None else str(exc))
        if "no such table" in reason or ("relation" in reason and "does not exist" in reason):
            click.echo(C.NO_TABLES, err=True)
        else:
            click.echo(C.NO_DATABASE.format(reason=reason), err=True)
        return 1
    except Exception as exc:  # noqa: BLE001 - the last net: one line, details only when asked for
        if os.environ.get("PLANBOT_DEBUG"):
            traceback.print_exc()
        click.echo(C.UNEXPECTED.format(kind=type(exc).__name__, reason=_first_line(str(exc))), err=True)
        return 1
    return 0


def _first_line(text: str) -> str:
    return (text.strip().splitlines() or [""])[0]
