"""Export files live in the database: a link made by any process is served by the web app, and nothing stays behind."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import select

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from handlers.core.incoming import Settings as HandlerSettings
from handlers.documents import exports
from schedules.clock import FixedClock
from storage.models import ExportFile
from storage.sheets import read_sheets
from tests.conftest import ROOT
from tests.handler_fixtures import CHIEF_DATA, COORDINATOR, MONDAY

BIN = Path(sys.executable).parent
PUBLIC = "https://planbot.example.tw"


def web_app(db, clock: FixedClock):
    settings = Settings(channel_secret="s", handlers=HandlerSettings(public_url=PUBLIC))
    return create_app(Runtime(db.url, db.engine, db.sessions, clock, settings), testing=True)


def test_a_link_made_by_another_process_is_served_by_the_web_app(demo_db, tmp_path):
    """`planbot say … 匯出` runs in its own process and folder (a container of its own), gone before the download.

    On SQLite only, to keep the suite fast: storing and reading the bytes is tested on both databases below.
    """
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "DATABASE_URL": demo_db.url, "PUBLIC_URL": PUBLIC, "PYTHONPATH": str(ROOT),
           "PLANBOT_EXPORT_DIR": str(elsewhere / "exports")}  # what an earlier version wrote to
    done = subprocess.run([str(BIN / "planbot"), "say", "--as", COORDINATOR, "--at", "2024-04-08 09:00", "匯出 戶籍資料課"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    urls = re.findall(r"https://\S+/files/[\w-]+", done.stdout)
    assert len(urls) == 3, done.stdout  # .ods, .xlsx and PDF
    left_on_disk = [p for p in elsewhere.rglob("*") if p.is_file()]
    shutil.rmtree(elsewhere)

    client = web_app(demo_db, FixedClock(MONDAY + timedelta(hours=1))).test_client()
    for url in urls[:2]:
        got = client.get(urlsplit(url).path)
        assert got.status_code == 200
        name = re.search(r"filename\*=UTF-8''\S+\.(ods|xlsx)", got.headers["Content-Disposition"]).group(1)
        table = tmp_path / f"table.{name}"
        table.write_bytes(got.data)
        [(sheet, rows)] = read_sheets(table)
        assert sheet == "戶籍資料課" and rows[1][:2] == ["編號", "計畫項目"]
        assert client.get(urlsplit(url).path).status_code == 410  # once
    with demo_db.sessions() as session:  # sent whole: the bytes are gone at once
        contents = session.scalars(select(ExportFile.content).order_by(ExportFile.id)).all()
        assert contents[:2] == [None, None] and contents[2].startswith(b"%PDF")  # the PDF was not downloaded
    assert left_on_disk == []


def test_a_downloaded_file_is_gone_at_once_and_an_expired_one_at_expiry(talk_any):
    """The bytes go when the whole file went out, and the row (with any unused file) when the link expires."""
    talk = talk_any
    replies = talk.send(CHIEF_DATA, "匯出")
    ods, xlsx = (urlsplit(r.url).path for r in replies[1:3])
    sessions = talk.session
    rows = {r.filename[-4:]: r for r in sessions.scalars(select(ExportFile))}
    assert all(r.content for r in rows.values())

    assert exports.take(sessions, ods.rsplit("/", 1)[1], MONDAY + timedelta(hours=1)) is not None
    sessions.expire_all()
    assert sessions.scalar(select(ExportFile.content).where(ExportFile.filename.endswith(".ods"))) is None

    assert exports.prune(sessions, MONDAY + timedelta(hours=23)) == 1  # the used one; the unused waits
    assert [r.filename[-5:] for r in sessions.scalars(select(ExportFile))] == [".xlsx", "8.pdf"]
    assert exports.prune(sessions, MONDAY + timedelta(hours=24)) == 2
    assert sessions.scalars(select(ExportFile)).all() == []
    assert exports.take(sessions, xlsx.rsplit("/", 1)[1], MONDAY + timedelta(hours=1)) is None


def test_links_open_at_the_upgrade_keep_working_from_the_database(tmp_path):
    """The upgrade reads the files of unused links into the database; used ones and unreadable files lapse."""
    from sqlalchemy import text

    from storage.db import make_engine, session_factory
    from storage.migrate import upgrade

    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0005")
    made, expires = "2024-04-08 01:00:00.000000", "2024-04-09 01:00:00.000000"
    (tmp_path / "a.ods").write_bytes(b"PK old table")
    rows = [("open-token", str(tmp_path / "a.ods"), "表.ods", None), ("used-token", str(tmp_path / "a.ods"), "舊.ods", made),
            ("lost-token", str(tmp_path / "gone.xlsx"), "遺失.xlsx", None)]
    engine = make_engine(url)
    with engine.begin() as conn:
        for token, path, name, used in rows:
            conn.execute(text("INSERT INTO export_files (token, path, filename, created_at, expires_at, used_at) "
                              "VALUES (:t, :p, :n, :c, :e, :u)"), {"t": token, "p": path, "n": name, "c": made, "e": expires, "u": used})
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with session_factory(engine)() as session:
        download = exports.usable(session, "open-token", MONDAY)
        assert (download.filename, download.mime_type, download.content) == (
            "表.ods", "application/vnd.oasis.opendocument.spreadsheet", b"PK old table")
        assert exports.usable(session, "used-token", MONDAY) is None and exports.usable(session, "lost-token", MONDAY) is None
        assert exports.usable(session, "open-token", MONDAY + timedelta(days=1)) is None  # expires as before
    engine.dispose()
