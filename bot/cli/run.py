"""Commands that run the web process."""

from __future__ import annotations

import signal

import click

from bot.app import create_app, make_dispatcher, start_answering
from bot.cli.common import runtime
from handlers.texts import cli as C


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="監聽位址。")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535), help="連接埠。")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """啟動網頁程序（LINE webhook）；正式環境請用 Procfile 的 gunicorn。"""
    app = create_app(runtime(ctx))
    start_answering(app)
    click.echo(C.SERVING.format(host=host, port=port))
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@click.command()
@click.option("--poll", default=0.2, show_default=True, type=click.FloatRange(0.05, 10), help="查看新事件的間隔秒數。")
@click.pass_context
def events(ctx: click.Context, poll: float) -> None:
    """回覆 LINE 訊息的背景程序（網頁程序設 PLANBOT_EVENT_WORKER=separate 時使用）。"""
    dispatcher = make_dispatcher(runtime(ctx), poll=poll)
    signal.signal(signal.SIGTERM, lambda *_: dispatcher.stop())
    click.echo(C.EVENTS_POLLING.format(poll=poll))
    try:
        dispatcher.run_forever()
    except KeyboardInterrupt:
        dispatcher.stop()


COMMANDS = (serve, events)
