"""One composition root: settings read once, an app factory that starts nothing, no invented channel secret."""

from __future__ import annotations

import threading

import pytest

from bot.app import create_app, start_answering
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError
from bot.simulator_sender import SimulatorSender
from handlers.core.incoming import Settings as HandlerSettings
from schedules.clock import FixedClock

HTTPS = HandlerSettings(public_url="https://planbot.example.gov.tw")


def runtime_for(db, now, settings: Settings) -> Runtime:
    return Runtime(db.url, db.engine, db.sessions, FixedClock(now), settings)


def answering_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "planbot-events"]


def test_settings_come_from_the_environment_once():
    env = {
        "DATABASE_URL": "sqlite:///x.db", "LINE_CHANNEL_SECRET": "s", "LINE_CHANNEL_ACCESS_TOKEN": "t",
        "LINE_API_BASE": "http://127.0.0.1:9", "PLANBOT_PUSH_TIMEOUT": "5", "PLANBOT_QUOTA_RESERVE": "7",
        "PLANBOT_EVENT_WORKER": "separate", "PUBLIC_URL": "https://bot.example/",
    }
    s = Settings.from_env(env)
    assert (s.database_url, s.channel_secret, s.access_token, s.line_api_base) == ("sqlite:///x.db", "s", "t", "http://127.0.0.1:9")
    assert (s.push_timeout, s.quota_reserve, s.separate_worker, s.simulator, s.sync_events) == (5.0, 7, True, False, False)
    assert s.handlers.public_url == "https://bot.example"


def test_a_missing_channel_secret_stops_the_web_process(sqlite_db, now):
    with pytest.raises(SettingsError, match="LINE_CHANNEL_SECRET"):
        create_app(runtime_for(sqlite_db, now, Settings()), SimulatorSender())


def test_the_simulator_and_tests_run_without_a_channel_secret(sqlite_db, now):
    assert create_app(runtime_for(sqlite_db, now, Settings(simulator=True)), SimulatorSender()).extensions["planbot"].channel_secret
    assert create_app(runtime_for(sqlite_db, now, Settings()), SimulatorSender(), testing=True).extensions["planbot"].channel_secret


def test_the_factory_starts_no_thread_and_the_process_starts_the_dispatcher(sqlite_db, now):
    # Threads of other tests' dispatchers may still be ending: only new ones count.
    before = set(answering_threads())
    app = create_app(runtime_for(sqlite_db, now, Settings(channel_secret="s", handlers=HTTPS)), SimulatorSender())
    assert set(answering_threads()) - before == set()
    start_answering(app)
    try:
        assert len(set(answering_threads()) - before) == 1
    finally:
        app.extensions["planbot"].dispatcher.stop()


def test_a_web_process_with_a_separate_events_worker_starts_no_dispatcher(sqlite_db, now):
    before = set(answering_threads())
    app = create_app(runtime_for(sqlite_db, now, Settings(channel_secret="s", separate_worker=True, handlers=HTTPS)), SimulatorSender())
    start_answering(app)
    assert set(answering_threads()) - before == set()


def test_the_line_client_is_built_from_the_one_set_of_settings(sqlite_db, now):
    assert runtime_for(sqlite_db, now, Settings()).line_client() is None
    client = runtime_for(sqlite_db, now, Settings(access_token="t", line_api_base="http://127.0.0.1:9", push_timeout=3)).line_client()
    assert client is not None
