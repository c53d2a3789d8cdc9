"""Rich menus live in one LINE channel: each office with its own account gets its own menus, made with its own token,
for its own staff (`planbot richmenu install [--office NAME]`)."""

from __future__ import annotations

import os

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot import rich_menu_images
from bot.cli import main
from handlers.chat.rich_menus import all_pages
from storage import queries
from storage.channels import save_channel
from storage.models import Office, Role, Staff
from tests.fakes import webhooks
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY

KEY = Fernet.generate_key().decode()
TOKENS = {"A": "token-of-wenshan", "B": "token-of-daan"}


@pytest.fixture
def cjk_font():
    try:
        return rich_menu_images.find_cjk_font()
    except rich_menu_images.FontError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("no CJK font (apt-get install fonts-noto-cjk)")


@pytest.fixture
def city(demo_db):
    """The demo office (A) and 大安戶所 (B, one chief), each with its own LINE account."""
    fernet = Fernet(KEY.encode())
    with demo_db.sessions() as session:
        office_a = queries.only_office(session)
        office_b = Office(name="大安戶所", settings={})
        session.add(office_b)
        session.flush()
        chief_b = Staff(office_id=office_b.id, name="林大安", role=Role.chief, line_user_id=webhooks.new_user_id())
        session.add(chief_b)
        for office, name, bot in ((office_a, "A", "U" + "a" * 32), (office_b, "B", "U" + "b" * 32)):
            save_channel(session, office.id, bot, fernet.encrypt(b"secret").decode(),
                         fernet.encrypt(TOKENS[name].encode()).decode(), MONDAY)
        staff_a = set(session.scalars(select(Staff.line_user_id).where(Staff.office_id == office_a.id,
                                                                      Staff.line_user_id.is_not(None))))
        session.commit()
        return demo_db, staff_a, chief_b.line_user_id


def test_each_office_gets_its_own_menus_with_its_own_token(city, cjk_font, monkeypatch, capsys):
    db, staff_a, chief_b = city
    with FakeLineAPI(channels={t: n for n, t in TOKENS.items()}) as fake:
        for name, value in {"DATABASE_URL": db.url, "PLANBOT_SECRET_KEY": KEY, "LINE_API_BASE": fake.base_url,
                            "LINE_API_DATA_BASE": fake.data_url}.items():
            monkeypatch.setenv(name, value)
        assert main(["richmenu", "install", "--office", "大安戶所"]) == 0
        out = capsys.readouterr().out
        assert out.startswith("大安戶所：") and "為 1 位已綁定同仁" in out
        assert {r.channel for r in fake.requests} == {"B"}
        b = fake.rich_of("B")
        assert set(b.user_menus) == {chief_b} and b.named(b.user_menus[chief_b]) == "planbot:chief-1"
        assert main(["richmenu", "install"]) == 0  # every office with its own account, each with its own token
        out = capsys.readouterr().out
        assert "大安戶所：" in out and len(out.strip().splitlines()) == 2
        a = fake.rich_of("A")
        assert set(a.user_menus) == staff_a and chief_b not in a.user_menus
        assert set(fake.rich_of("B").user_menus) == {chief_b}
        assert len(a.menus) == len(fake.rich_of("B").menus) == len(all_pages())  # B's second install replaced its first
        assert fake.rejected == []


def test_a_roster_change_switches_menus_at_the_offices_own_account(city, cjk_font, monkeypatch):
    """`planbot staff add` in 大安戶所 makes its new chief's menu the chief's, with 大安's token, at 大安's account."""
    db, _staff_a, chief_b = city
    with FakeLineAPI(channels={t: n for n, t in TOKENS.items()}) as fake:
        for name, value in {"DATABASE_URL": db.url, "PLANBOT_SECRET_KEY": KEY, "LINE_API_BASE": fake.base_url,
                            "LINE_API_DATA_BASE": fake.data_url, "LINE_CHANNEL_ACCESS_TOKEN": "token-of-nobody"}.items():
            monkeypatch.setenv(name, value)
        assert main(["richmenu", "install", "--office", "大安戶所"]) == 0
        assert fake.rich_of("B").named(fake.rich_of("B").user_menus[chief_b]) == "planbot:chief-1"
        fake.requests.clear()
        assert main(["staff", "add", "林大安", "--role", "承辦人", "--office", "大安戶所"]) == 0  # no longer the chief
        b = fake.rich_of("B")
        assert b.named(b.user_menus[chief_b]) == "planbot:staff"
        assert {r.channel for r in fake.requests} == {"B"}  # nothing went out with another office's token
