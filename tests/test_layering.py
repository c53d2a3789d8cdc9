"""The layers import only downward (storage < schedules < handlers < bot), and no module takes another's _private name.

Every import counts, at the top of a module or inside a function: an import delayed to dodge a cycle is
still an arrow back.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = {"storage": 0, "schedules": 1, "handlers": 2, "bot": 3}
EDGE_LIBRARIES = ("flask", "linebot", "werkzeug", "gunicorn")  # only bot/ meets LINE and the web



def modules() -> list[Path]:
    return sorted(p for layer in LAYERS for p in (ROOT / layer).rglob("*.py") if "migrations" not in p.parts)


def imports(path: Path, root: Path = ROOT) -> list[tuple[str, list[str], int]]:
    """Return (module imported, names taken from it, line) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = path.relative_to(root).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, [], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: resolve against the importing package
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.append((base, [alias.name for alias in node.names], node.lineno))
    return found


def rel(path: Path, root: Path = ROOT) -> str:
    return path.relative_to(root).as_posix()


def arrows_back(path: Path, root: Path = ROOT) -> list[str]:
    """Return each import of a higher layer (or of Flask/LINE outside bot/) in the file."""
    name = rel(path, root)
    own = LAYERS[name.split("/")[0]]
    wrong = []
    for module, _names, line in imports(path, root):
        top = module.split(".")[0]
        if top in LAYERS and LAYERS[top] > own:
            wrong.append(f"{name}:{line} imports {module}")
        if top in EDGE_LIBRARIES and own < LAYERS["bot"]:
            wrong.append(f"{name}:{line} imports {module} (only bot/ knows Flask and LINE)")
    return wrong


def private_names(path: Path, root: Path = ROOT) -> list[str]:
    """Return each _private name the file takes from another module of the project."""
    return [
        f"{rel(path, root)}:{line} takes {name} from {module}"
        for module, names, line in imports(path, root)
        if module.split(".")[0] in LAYERS
        for name in names
        if name.startswith("_") and not name.startswith("__")
    ]


def test_every_layer_is_scanned():
    names = {rel(p) for p in modules()}
    assert {"storage/models.py", "schedules/calendar.py", "handlers/chat/router.py", "bot/app.py", "bot/cli/common.py"} <= names


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_imports_go_only_downward(path: Path):
    wrong = arrows_back(path)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("path", modules(), ids=rel)
def test_no_private_names_taken_from_another_module(path: Path):
    wrong = private_names(path)
    assert not wrong, "\n".join(wrong)


def test_the_checks_see_a_delayed_arrow_back_and_a_private_name(tmp_path):
    (tmp_path / "schedules").mkdir()
    sample = tmp_path / "schedules" / "sample.py"
    sample.write_text("import flask\n\n\ndef f():\n    from handlers.core.replies import _hidden\n", encoding="utf-8")
    assert arrows_back(sample, tmp_path) == [
        "schedules/sample.py:1 imports flask (only bot/ knows Flask and LINE)",
        "schedules/sample.py:5 imports handlers.core.replies",
    ]
    assert private_names(sample, tmp_path) == ["schedules/sample.py:5 takes _hidden from handlers.core.replies"]
