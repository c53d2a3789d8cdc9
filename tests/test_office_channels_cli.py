"""`planbot office add|channel|list`: offices and their own LINE accounts, the secret and token kept encrypted."""

from __future__ import annotations

import logging

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.channels import ChannelKeyError, Channels
from bot.cli import main
from storage.models import OfficeChannel

BOT_A = "U" + "a1" * 16
BOT_B = "U" + "b2" * 16
SECRET_A = "secret-of-daan-0123456789abcdef"
TOKEN_A = "token-of-daan-" + "x" * 40


@pytest.fixture
def key() -> str:
    return Fernet.generate_key().decode()


@pytest.fixture
def run(sqlite_db, monkeypatch, capsys, key):
    """Run `planbot ARGS` against a fresh SQLite database with PLANBOT_SECRET_KEY set; return (code, out, err)."""
    monkeypatch.setenv("DATABASE_URL", sqlite_db.url)
    monkeypatch.setenv("PLANBOT_SECRET_KEY", key)

    def _run(*args: str):
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return _run


@pytest.fixture
def files(tmp_path):
    secret, token = tmp_path / "secret.txt", tmp_path / "token.txt"
    secret.write_text(SECRET_A + "\n", encoding="utf-8")
    token.write_text(TOKEN_A + "\n", encoding="utf-8")
    return str(secret), str(token)


def test_offices_get_their_channel_stored_encrypted_and_listed_without_secrets(run, files, sqlite_db, key, caplog):
    caplog.set_level(logging.DEBUG)
    assert run("office", "add", "大安戶所")[0] == 0
    assert run("office", "add", "信義戶所")[0] == 0
    code, out, err = run("office", "add", "大安戶所")
    assert code != 0 and "已經有「大安戶所」" in err
    code, out, err = run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])
    assert code == 0, err
    assert "已設定「大安戶所」" in out and SECRET_A not in out + err and TOKEN_A not in out + err
    code, out, _ = run("office", "list")
    assert code == 0
    daan = next(line for line in out.splitlines() if line.startswith("大安戶所"))
    xinyi = next(line for line in out.splitlines() if line.startswith("信義戶所"))
    assert BOT_A in daan and "已設定" in daan and "未設定" in xinyi
    assert SECRET_A not in out and TOKEN_A not in out
    assert SECRET_A not in caplog.text and TOKEN_A not in caplog.text
    with sqlite_db.sessions() as session:
        row = session.scalar(select(OfficeChannel))
        stored = row.secret_enc + row.token_enc
    assert SECRET_A not in stored and TOKEN_A not in stored  # a dump of the database alone does not reveal them
    found = Channels(sqlite_db.sessions, key).by_destination(BOT_A)
    assert (found.office_name, found.secret, found.token) == ("大安戶所", SECRET_A, TOKEN_A)
    assert SECRET_A not in repr(found) and TOKEN_A not in repr(found)


def test_a_bot_id_is_one_offices_and_must_look_like_lines(run, files):
    run("office", "add", "大安戶所")
    run("office", "add", "信義戶所")
    code, _, err = run("office", "channel", "大安戶所", "--bot-id", "U123", "--secret-file", files[0], "--token-file", files[1])
    assert code != 0 and "Bot user ID" in err
    assert run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])[0] == 0
    code, _, err = run("office", "channel", "信義戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])
    assert code != 0 and "已經是「大安戶所」的 LINE 官方帳號" in err
    code, _, err = run("office", "channel", "沒有這個所", "--bot-id", BOT_B, "--secret-file", files[0], "--token-file", files[1])
    assert code != 0 and "沒有「沒有這個所」" in err


def test_the_secret_and_token_come_from_files_only(run, files, tmp_path):
    run("office", "add", "大安戶所")
    code, _, err = run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret", SECRET_A, "--token-file", files[1])
    assert code != 0 and SECRET_A not in err
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", encoding="utf-8")
    code, _, err = run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", str(empty), "--token-file", files[1])
    assert code != 0 and "是空的" in err
    code, out, _ = run("office", "list")
    assert "未設定" in out


def test_without_the_key_a_channel_is_refused_with_how_to_make_one(run, files, monkeypatch):
    run("office", "add", "大安戶所")
    monkeypatch.delenv("PLANBOT_SECRET_KEY")
    code, _, err = run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])
    assert code != 0 and "沒有設定 PLANBOT_SECRET_KEY" in err and "Fernet.generate_key()" in err
    monkeypatch.setenv("PLANBOT_SECRET_KEY", "not-a-key")
    code, _, err = run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])
    assert code != 0 and "PLANBOT_SECRET_KEY" in err and "Traceback" not in err


def test_a_wrong_key_is_a_clear_error_when_a_process_starts(run, files, sqlite_db, monkeypatch):
    run("office", "add", "大安戶所")
    run("office", "channel", "大安戶所", "--bot-id", BOT_A, "--secret-file", files[0], "--token-file", files[1])
    monkeypatch.setenv("PLANBOT_SECRET_KEY", Fernet.generate_key().decode())
    code, _, err = run("richmenu", "sync")
    assert code != 0 and "打不開「大安戶所」的 LINE 設定" in err and "Traceback" not in err
    with pytest.raises(ChannelKeyError, match="does not open the LINE channel of 大安戶所"):
        Channels(sqlite_db.sessions, Fernet.generate_key().decode()).check()
    with pytest.raises(ChannelKeyError, match="PLANBOT_SECRET_KEY is not set"):
        Channels(sqlite_db.sessions, "").check()
