"""Role menus under the chat: their design, `planbot richmenu install` against the fake LINE API, and switching."""

from __future__ import annotations

import io
import os

import pytest
import requests
from PIL import Image

from bot import rich_menu_images
from bot.cli import main
from bot.line_api import LineSender
from bot.rich_menus import install, sync, write_images
from handlers.chat.catalog import COMMANDS
from handlers.chat.rich_menus import MENUS, all_pages, first_page, pages_of, words_of
from storage import queries
from storage.models import Role
from tests.fakes.line_api import FakeLineAPI
from tests.handler_fixtures import MONDAY, STRANGER

TOKEN = "menu-access-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
STAFF = ["今天", "本週", "逾期", "回報", "我的", "說明"]


def test_each_role_is_offered_its_words():
    assert words_of(Role.staff) == STAFF
    assert words_of(Role.chief) == [*STAFF, "摘要", "未回報"]
    assert words_of(Role.coordinator) == words_of(Role.director) == [*STAFF, "摘要", "未回報", "全所", "匯出", "管理"]
    assert words_of(None) == STAFF  # strangers see LINE's default: the staff menu


def test_more_than_six_actions_get_tabs_that_switch_through_aliases():
    assert len(pages_of("staff")) == 1 and not pages_of("staff")[0].tabs
    for menu in ("chief", "office"):
        pages = pages_of(menu)
        assert len(pages) == 2
        aliases = {p.alias for p in pages}
        for page in pages:
            assert len(page.buttons) <= 6
            assert [t.action.alias for t in page.tabs] == [p.alias for p in pages]
            assert [t.selected for t in page.tabs] == [p.alias == page.alias for p in pages]
            assert all(t.action.kind == "switch" and t.action.alias in aliases for t in page.tabs)


def test_every_button_is_a_command_people_could_type_and_fits_the_page():
    for page in all_pages():
        assert (page.width, page.height) in ((2500, 1686), (2500, 843))
        assert len(page.areas) <= 20 and len(page.chat_bar_text) <= 14 and len(page.alias) <= 32
        for area in page.areas:
            assert area.x + area.width <= page.width and area.y + area.height <= page.height
            if not area.tab:
                assert COMMANDS.parse(area.action.text).name, area.action.text
    assert COMMANDS.parse(next(a for a in pages_of("office")[1].buttons if a.action.label == "全所").action.text).args == "全所"


def test_a_stranger_tapping_the_default_menu_is_told_how_to_link(talk):
    for word in STAFF:
        answer = talk.text(STRANGER, word)
        assert "綁定" in answer and "我是" in answer, (word, answer)


def test_a_tab_tap_is_answered_with_nothing(talk):
    tab = pages_of("chief")[0].tabs[1]
    assert talk.tap("江淑惠", tab.action.data) == []


@pytest.fixture
def cjk_font():
    """The CJK font the menus are drawn in; without one the drawing tests skip (CI must have it: .ci/run installs it)."""
    try:
        return rich_menu_images.find_cjk_font()
    except rich_menu_images.FontError:
        if os.environ.get("CI", "").lower() == "true":
            raise
        pytest.skip("no CJK font (apt-get install fonts-noto-cjk)")


@pytest.fixture
def fake():
    with FakeLineAPI(access_token=TOKEN) as api:
        yield api
    assert api.rejected == [], api.rejected


@pytest.fixture
def client(fake, cjk_font):
    with LineSender(TOKEN, base_url=fake.base_url, data_url=fake.data_url, sleep=lambda _s: None) as sender:
        yield sender


def _menu_name(fake: FakeLineAPI, user: str) -> str | None:
    return fake.rich.named(fake.rich.menu_of(user))


def test_install_creates_one_menu_per_page_with_its_image_aliases_and_the_staff_default(fake, client, demo_db):
    report = install(client, demo_db.sessions, MONDAY)
    assert report.created == [p.alias for p in all_pages()]
    assert len(fake.rich.menus) == len(all_pages())
    for menu in fake.rich.menus.values():
        image = Image.open(io.BytesIO(menu.image))
        assert image.format == "PNG" and image.size == (menu.body["size"]["width"], menu.body["size"]["height"])
        assert len(menu.image) < 1_000_000 and menu.content_type == "image/png"
    assert sorted(fake.rich.aliases) == sorted(p.alias for p in all_pages())
    assert fake.rich.named(fake.rich.default) == "planbot:staff"
    # Every image went to the data host, everything else to the API host.
    uploads = fake.requests_to("/content")
    assert uploads and all(r.data_host for r in uploads)
    assert not any(r.data_host for r in fake.requests if "/content" not in r.path)
    with demo_db.sessions() as session:
        chief = queries.find_staff(session, "江淑惠").line_user_id
        coordinator = queries.find_staff(session, "簡心怡").line_user_id
        staff = queries.find_staff(session, "李冠緯").line_user_id
    assert _menu_name(fake, chief) == "planbot:chief-1"
    assert _menu_name(fake, coordinator) == "planbot:office-1"
    assert _menu_name(fake, staff) == "planbot:staff"
    assert _menu_name(fake, STRANGER) == "planbot:staff"  # the default


def test_install_again_replaces_its_menus_and_leaves_others_alone(fake, client, demo_db):
    theirs = requests.post(f"{fake.base_url}/v2/bot/richmenu", headers=AUTH, timeout=30, json={
        "size": {"width": 2500, "height": 843}, "selected": False, "name": "季節活動", "chatBarText": "活動",
        "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843}, "action": {"type": "message", "text": "hi"}}],
    }).json()["richMenuId"]
    install(client, demo_db.sessions, MONDAY)
    first = set(fake.rich.menus) - {theirs}
    report = install(client, demo_db.sessions, MONDAY.replace(hour=10))
    second = set(fake.rich.menus) - {theirs}
    assert theirs in fake.rich.menus
    assert report.deleted == len(all_pages()) and not first & second and len(second) == len(all_pages())
    assert set(fake.rich.aliases.values()) == second
    # Everyone linked moved to the new menus: nobody points at a deleted one.
    assert set(fake.rich.user_menus.values()) <= second and len(fake.rich.user_menus) == 22


def test_a_role_change_and_an_unlink_switch_the_menu(fake, client, demo_db, monkeypatch, capsys):
    install(client, demo_db.sessions, MONDAY)
    with demo_db.sessions() as session:
        user = queries.find_staff(session, "陳怡君").line_user_id
    assert _menu_name(fake, user) == "planbot:staff"
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_BASE", fake.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE", fake.data_url)
    assert main(["staff", "add", "陳怡君", "--section", "戶籍登記課", "--role", "課長"]) == 0
    assert _menu_name(fake, user) == "planbot:chief-1"
    assert main(["staff", "unlink", "陳怡君"]) == 0
    assert "已解除 陳怡君 的 LINE 綁定" in capsys.readouterr().out
    assert user not in fake.rich.user_menus and _menu_name(fake, user) == "planbot:staff"
    assert sync(client, demo_db.sessions, MONDAY).linked == 0  # nothing left to switch


def test_the_cli_installs_and_says_what_it_did(fake, cjk_font, demo_db, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_BASE", fake.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE", fake.data_url)
    assert main(["richmenu", "install"]) == 0
    out = capsys.readouterr().out
    assert "已建立 5 個選單" in out and "預設選單：planbot-staff" in out and "22 位" in out


def test_without_a_cjk_font_the_command_says_what_to_install(fake, demo_db, monkeypatch, capsys):
    monkeypatch.setattr(rich_menu_images, "KNOWN_FONTS", ())
    monkeypatch.setattr(rich_menu_images.shutil, "which", lambda _name: None)
    monkeypatch.setenv("DATABASE_URL", demo_db.url)
    monkeypatch.setenv("LINE_CHANNEL_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("LINE_API_BASE", fake.base_url)
    monkeypatch.setenv("LINE_API_DATA_BASE", fake.data_url)
    assert main(["richmenu", "install"]) == 1
    err = capsys.readouterr().err
    assert "找不到中文字型" in err and "fonts-noto-cjk" in err
    assert fake.requests == []  # nothing changed at LINE


def test_the_images_are_drawn_in_a_traditional_chinese_font(cjk_font, tmp_path):
    assert cjk_font.is_file()
    (written,) = [p for p in write_images(tmp_path) if p.name == "planbot-staff.png"]
    image = Image.open(written)
    assert image.size == (2500, 1686)
    # The word cells are not blank: some dark ink was drawn in each of the six buttons.
    for area in first_page(Role.staff).buttons:
        crop = image.convert("L").crop((area.x, area.y, area.x + area.width, area.y + area.height))
        assert crop.getextrema()[0] < 80, area.action.label


def test_menus_cover_every_role():
    assert set(MENUS) == {"staff", "chief", "office"}
    assert {first_page(r).menu for r in Role} == set(MENUS)


# -- the fake LINE API holds LINE's rules -------------------------------------------------------------


def _menu(fake: FakeLineAPI, **change) -> requests.Response:
    body = {"size": {"width": 2500, "height": 843}, "selected": False, "name": "t", "chatBarText": "選單",
            "areas": [{"bounds": {"x": 0, "y": 0, "width": 2500, "height": 843},
                       "action": {"type": "message", "label": "今天", "text": "今天"}}]}
    body.update(change)
    return requests.post(f"{fake.base_url}/v2/bot/richmenu", headers=AUTH, json=body, timeout=30)


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (255, 255, 255)).save(out, "PNG")
    return out.getvalue()


def test_the_fake_refuses_what_line_refuses(fake):
    assert _menu(fake, chatBarText="這是一個超過十四個字的選單列文字喔").status_code == 400
    assert _menu(fake, size={"width": 2500, "height": 2000}).status_code == 400
    menu_id = _menu(fake).json()["richMenuId"]
    upload = f"{fake.data_url}/v2/bot/richmenu/{menu_id}/content"
    # An alias, a default or a link needs the image first.
    alias = requests.post(f"{fake.base_url}/v2/bot/richmenu/alias", headers=AUTH, timeout=30,
                          json={"richMenuAliasId": "planbot-t", "richMenuId": menu_id})
    assert alias.status_code == 400
    assert requests.post(f"{fake.base_url}/v2/bot/user/all/richmenu/{menu_id}", headers=AUTH, timeout=30).status_code == 400
    # Images: on the data host only, PNG or JPEG, the menu's size, under 1 MB, once.
    api_host = requests.post(f"{fake.base_url}/v2/bot/richmenu/{menu_id}/content", data=_png(2500, 843), timeout=30,
                             headers={**AUTH, "Content-Type": "image/png"})
    assert api_host.status_code == 404
    gif = requests.post(upload, data=b"GIF89a", headers={**AUTH, "Content-Type": "image/gif"}, timeout=30)
    assert gif.status_code == 415
    wrong_size = requests.post(upload, data=_png(2500, 1686), headers={**AUTH, "Content-Type": "image/png"}, timeout=30)
    assert wrong_size.status_code == 400
    big = requests.post(upload, data=b"\x89PNG" + b"0" * 1_000_001, headers={**AUTH, "Content-Type": "image/png"}, timeout=30)
    assert big.status_code == 400
    ok = requests.post(upload, data=_png(2500, 843), headers={**AUTH, "Content-Type": "image/png"}, timeout=30)
    assert ok.status_code == 200
    again = requests.post(upload, data=_png(2500, 843), headers={**AUTH, "Content-Type": "image/png"}, timeout=30)
    assert again.status_code == 400
    bad_alias = requests.post(f"{fake.base_url}/v2/bot/richmenu/alias", headers=AUTH, timeout=30,
                              json={"richMenuAliasId": "Not Allowed!", "richMenuId": menu_id})
    assert bad_alias.status_code == 400
    fake.rejected.clear()  # the refusals above were the point


def test_loading_animation_is_for_one_to_one_chats_in_steps_of_five(fake):
    url = f"{fake.base_url}/v2/bot/chat/loading/start"
    assert requests.post(url, headers=AUTH, json={"chatId": "U" + "1" * 32, "loadingSeconds": 20}, timeout=30).status_code == 202
    assert requests.post(url, headers=AUTH, json={"chatId": "U" + "1" * 32, "loadingSeconds": 7}, timeout=30).status_code == 400
    assert requests.post(url, headers=AUTH, json={"chatId": "C" + "1" * 32}, timeout=30).status_code == 400
    fake.rejected.clear()
