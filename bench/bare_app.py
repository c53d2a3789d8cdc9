"""Yardsticks for the webhook benchmark: a bare Flask endpoint, and the same plus one committed INSERT.

The second is the least any webhook that keeps what it acknowledges must do on PostgreSQL: store the body
durably (one INSERT on an autocommit connection, committed before the answer), with nothing else around it.
"""

import os
import threading

from flask import Flask, request

FLOOR_TABLE = "bench_floor"


def create_app() -> Flask:
    """Return an app whose /callback does nothing but answer OK."""
    app = Flask(__name__)

    @app.post("/callback")
    def callback():
        return "OK"

    return app


def create_committing_app() -> Flask:
    """Return an app whose /callback commits the body in one INSERT (psycopg, one connection a thread), then answers OK."""
    import psycopg

    url = os.environ["BENCH_PSYCOPG_URL"]
    local = threading.local()
    app = Flask(__name__)

    @app.post("/callback")
    def callback():
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = psycopg.connect(url, autocommit=True)
        conn.execute(f"INSERT INTO {FLOOR_TABLE} (body) VALUES (%s)", (request.get_data(as_text=True),))
        return "OK"

    return app
