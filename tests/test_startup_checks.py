"""The web process refuses settings that would expose LINE users or download links."""

from __future__ import annotations

import logging

import pytest

from bot.app import create_app
from bot.runtime import Runtime
from bot.settings import Settings
from bot.startup_checks import ConfigurationError


def app_with(db, **env):
    settings = Settings.from_env({"LINE_CHANNEL_SECRET": "s", "PLANBOT_EVENT_WORKER": "separate", **env})
    return create_app(Runtime(db.url, db.engine, db.sessions, settings=settings))


@pytest.mark.parametrize("base", [None, "https://api.line.me", "https://api-data.line.me/", "https://api.line.me.",
                                  "https://API.LINE.ME./", "https://147.92.128.1", "https://[2001:b400:e000::1]",
                                  "https://line-fake.example.com"])
def test_the_simulator_refuses_to_run_with_a_real_line_channel(sqlite_db, base):
    env = {"PLANBOT_SIMULATOR": "1", "LINE_CHANNEL_ACCESS_TOKEN": "real-token"}
    if base:
        env["LINE_API_BASE"] = base
    with pytest.raises(ConfigurationError, match="PLANBOT_SIMULATOR"):
        app_with(sqlite_db, **env)


def test_the_simulator_runs_without_a_token_or_against_a_fake_line(sqlite_db):
    assert app_with(sqlite_db, PLANBOT_SIMULATOR="1").test_client().get("/simulator").status_code == 200
    fake = app_with(sqlite_db, PLANBOT_SIMULATOR="1", LINE_CHANNEL_ACCESS_TOKEN="t", LINE_API_BASE="http://127.0.0.1:9")
    assert fake.test_client().get("/simulator").status_code == 200
    for local in ("http://localhost:9", "http://[::1]:9", "http://127.0.0.2:9"):
        assert app_with(sqlite_db, PLANBOT_SIMULATOR="1", LINE_CHANNEL_ACCESS_TOKEN="t", LINE_API_BASE=local)


@pytest.mark.parametrize("public_url", [None, "", "http://planbot.example.gov.tw", "planbot.example.gov.tw"])
def test_outside_the_demo_the_web_process_needs_an_https_public_url(sqlite_db, public_url):
    env = {} if public_url is None else {"PUBLIC_URL": public_url}
    with pytest.raises(ConfigurationError, match="PUBLIC_URL"):
        app_with(sqlite_db, **env)


def test_http_chosen_on_purpose_starts_with_a_loud_warning(sqlite_db, caplog):
    with caplog.at_level(logging.WARNING):
        app = app_with(sqlite_db, PUBLIC_URL="http://10.0.0.5:5000", PLANBOT_ALLOW_HTTP="1")
    assert app.test_client().get("/healthz").status_code == 200
    assert "unencrypted" in caplog.text
    assert app_with(sqlite_db, PUBLIC_URL="https://planbot.example.gov.tw").test_client().get("/healthz").status_code == 200
