"""README's examples hold on the demo database: each chat example answers (not refused, not misunderstood) for
the roles README names, and each `planbot` example of its administration block runs on a demo set up as
`make demo` does. `PORT=5101 make demo` gives links on port 5101."""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo import environment
from bot.settings import Settings
from handlers.texts import chat as M
from handlers.texts import console as K
from schedules.clock import SystemClock
from tests.conftest import ROOT
from tests.console_signin import proof_of
from tests.handler_fixtures import STRANGER, read

README = (ROOT / "README.md").read_text(encoding="utf-8")
STAFF, STAFF_REG = "李冠緯", "張書維"
CHIEF_DATA, CHIEF_REG, COORDINATOR, DIRECTOR = "江淑惠", "沈志明", "簡心怡", "游振昌"
LEADS = [CHIEF_REG, COORDINATOR, DIRECTOR]
OFFICE = [COORDINATOR, DIRECTOR]
# Who tries each example, as README's notes say (anything else: the staff member 李冠緯).
SPEAKERS = {
    "本月": [STAFF, COORDINATOR, DIRECTOR], "本月 戶籍登記課": OFFICE,
    "逾期": [STAFF, *LEADS], "逾期 戶籍登記課": LEADS, "逾期 全所": OFFICE,
    "逾期 張書維": [STAFF_REG, *LEADS], "查 張書維": [STAFF_REG, *LEADS],
    "未回報": LEADS, "誰還沒回報": LEADS, "未回報 戶籍登記課": LEADS, "未回報 全所": OFFICE,
    "摘要": [CHIEF_DATA, *LEADS], "摘要 戶籍資料課 3月": [CHIEF_DATA, *OFFICE], "摘要 全所": OFFICE,
    "匯出": [CHIEF_DATA, *LEADS], "管理": [CHIEF_DATA, *LEADS], "綁定碼 張書維": [COORDINATOR],
    "我是 陳怡君": [STRANGER],
    "停班 明天 颱風停止上班": [COORDINATOR], "停班 7/24-7/25 凱米颱風": [COORDINATOR], "取消停班 7/25": [COORDINATOR],  # an account not linked yet, naming someone whose account is not linked either
}
NOT_MESSAGES = {"1月-10月", "一至十月", "綁定 CODE", "113/12/3"}  # parts of an example, or a code nobody has
REFUSALS = [
    re.compile(".*?".join(re.escape(part) for part in re.split(r"\{[^}]*\}", text)[:2]), re.S)
    for module in (M, K)
    for name, text in vars(module).items()
    if isinstance(text, str) and (name.startswith(("REFUSE", "NOT_UNDERSTOOD", "UNKNOWN_SECTION", "SEARCH_NONE"))
                                  or name.endswith("REFUSED"))
]


def refused(answer: str) -> bool:
    """Say whether the answer is a refusal or a misunderstanding (it starts as one of those texts does)."""
    return any(pattern.match(answer) for pattern in REFUSALS)


def chat_examples() -> list[str]:
    """Return the messages of README's chat table (the first column's code spans), in order."""
    table = README.split("## What people can say")[1].split("\n## ")[0]
    rows = [line.split("|")[1] for line in table.splitlines() if line.startswith("| `")]
    return [m for row in rows for m in re.findall(r"`([^`]+)`", row) if m not in NOT_MESSAGES]


def cli_examples() -> list[list[str]]:
    """Return the `planbot` lines of README's administration block, optional parts and comments left out."""
    block = README.split("Administration is the `planbot` command")[1].split("```sh\n")[1].split("```")[0]
    out = []
    for line in block.splitlines():
        line = re.sub(r"\s+#.*$", "", line)
        line = re.sub(r"\s*\[[^\]]*\]", "", line)
        if ("|" in line or " import plan.ods" in line or " import leave.csv" in line or " richmenu install" in line
                or " feed check" in line):
            continue  # the long-running processes; a plan file of the reader's own; LINE's and the DGPA's own servers
        out.append([str(ROOT / a) if a.startswith("demo/") else a for a in shlex.split(line)[1:]])
    return out


def test_every_chat_example_answers_for_the_roles_readme_names(talk):
    talk.staff("陳怡君").line_user_id = None  # a newcomer on the roster, as 我是 is for
    examples = chat_examples()
    assert {"逾期 全所", "回報 11 1-10月 完成", "綁定碼 張書維", "12/5"} <= set(examples)
    for text in examples:
        for who in SPEAKERS.get(text, [STAFF]):
            answer = read(talk.send(who, text))
            assert answer and not refused(answer), (who, text, answer)
            assert "請洽研考" not in answer, (who, text, answer)


@pytest.fixture
def demo_now(tmp_path, monkeypatch) -> dict[str, str]:
    """A database set up as `make demo` does (the demo plan as this year's), with a working directory of its own."""
    env = environment({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}"}) | {
        "PLANBOT_EXPORT_DIR": str(tmp_path / "exports")}
    year = SystemClock().now().year
    plan = ["import", str(ROOT / "demo" / "wenshan-113.ods"), "--year", str(year), "--tracking-from", f"{year}-01-01"]
    for args in (["db", "upgrade"], plan, ["staff", "import", str(ROOT / "demo" / "staff.csv")]):
        assert main(args, env) == 0
    monkeypatch.chdir(tmp_path)
    return env


def test_every_planbot_example_runs_on_the_demo(demo_now, capsys):
    examples = cli_examples()
    assert ["say", "--as", "張書維", "本週"] in examples and ["due", "--month", "12"] in examples
    for args in examples:
        capsys.readouterr()
        code = main(args, demo_now)
        out, err = capsys.readouterr()
        assert code == 0, (args, err)
        assert out.strip(), args
        assert not refused(out) and M.NO_PLAN not in out, (args, out)
        assert "：0 項作業到期" not in out, (args, out)  # dates of the demo's year
    assert Path("table.xlsx").exists()


def test_the_demo_links_to_the_port_it_serves_on():
    assert Settings.from_env(environment({"PORT": "5101"})).handlers.public_url == "http://127.0.0.1:5101"
    assert Settings.from_env(environment({})).handlers.public_url == "http://127.0.0.1:5000"
    chosen = environment({"PORT": "5101", "PUBLIC_URL": "https://planbot.example.gov.tw"})
    assert Settings.from_env(chosen).handlers.public_url == "https://planbot.example.gov.tw"


def test_a_command_run_beside_a_demo_on_another_port_writes_links_to_that_port(tmp_path, monkeypatch):
    """`PORT=5101 make demo`, then `planbot remind --at …` in another terminal: its links point at 5101."""
    import bot.demo
    import bot.settings

    monkeypatch.setattr(bot.settings, "DEMO_ADDRESS", tmp_path / "demo-address")
    monkeypatch.setattr(bot.demo, "DEMO_ADDRESS", tmp_path / "demo-address")
    assert Settings.from_env({}).handlers.public_url == "http://127.0.0.1:5000"  # no demo running
    bot.demo.remember_address(environment({"PORT": "5101"})["PUBLIC_URL"])
    assert Settings.from_env({}).handlers.public_url == "http://127.0.0.1:5101"
    assert Settings.from_env({"DATABASE_URL": "sqlite:///instance/planbot.db"}).handlers.public_url == "http://127.0.0.1:5101"
    # Another database, or an address chosen on purpose, is none of the demo's business.
    assert Settings.from_env({"DATABASE_URL": "postgresql://x/y"}).handlers.public_url == "http://127.0.0.1:5000"
    chosen = {"PUBLIC_URL": "https://planbot.example.gov.tw"}
    assert Settings.from_env(chosen).handlers.public_url == "https://planbot.example.gov.tw"


def test_the_demo_prints_the_coordinators_console_sign_in_link(demo_now, monkeypatch):
    import bot.demo
    from bot.app import create_app
    from bot.runtime import Runtime

    monkeypatch.setattr(os, "environ", {**os.environ, **demo_now, "PUBLIC_URL": "http://127.0.0.1:5101"})
    name, url = bot.demo.console_signin(bot.demo.OFFICES[0].name)
    assert name == COORDINATOR and url.startswith("http://127.0.0.1:5101/console/signin/")
    line = bot.demo.C.DEMO_CONSOLE.format(name=name, url=url, office="")
    assert url in line and "管理" in line
    app = create_app(Runtime.from_settings(Settings.from_env({**demo_now, "PUBLIC_URL": "http://127.0.0.1:5101"})), testing=True)
    client = app.test_client()
    path = url.removeprefix("http://127.0.0.1:5101")
    shown = client.get(path)  # opening the link shows whose it is and a 登入 button; only that POST signs in
    assert shown.status_code == 200 and COORDINATOR in shown.get_data(as_text=True)
    response = client.post(path, data={"proof": proof_of(shown)})
    assert response.status_code == 303  # the link signs the coordinator in
