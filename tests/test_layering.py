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
# Inside handlers/, the packages stack the same way: each __init__ docstring says what it may import.
HANDLER_PACKAGES = {"texts": 0, "core": 1, "documents": 2, "office": 3, "chat": 4}



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


def arrows_up_inside_handlers(path: Path, root: Path = ROOT) -> list[str]:
    """Return each import, in a handlers/ package, of a package above it (texts < core < documents < office < chat)."""
    name = rel(path, root)
    parts = name.split("/")
    if parts[0] != "handlers" or len(parts) < 3:
        return []
    own = HANDLER_PACKAGES[parts[1]]
    wrong = []
    for module, names, line in imports(path, root):
        dotted = module.split(".")
        if dotted[0] != "handlers":
            continue
        # `from handlers import chat` names the package in the imported names, not in the module
        packages = dotted[1:2] or [n for n in names if n in HANDLER_PACKAGES]
        wrong.extend(f"{name}:{line} imports handlers.{p}" for p in packages if HANDLER_PACKAGES.get(p, -1) > own)
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


def test_every_handlers_package_is_ranked_and_says_what_it_may_import():
    packages = {p.parent.name for p in (ROOT / "handlers").glob("*/__init__.py")}
    assert packages == set(HANDLER_PACKAGES)
    for package in packages:
        assert (ROOT / "handlers" / package / "__init__.py").read_text(encoding="utf-8").startswith('"""')


@pytest.mark.parametrize("path", sorted((ROOT / "handlers").rglob("*.py")), ids=rel)
def test_handlers_packages_import_only_downward(path: Path):
    wrong = arrows_up_inside_handlers(path)
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


def test_the_check_sees_a_handlers_package_importing_one_above_it(tmp_path):
    (tmp_path / "handlers" / "core").mkdir(parents=True)
    sample = tmp_path / "handlers" / "core" / "sample.py"
    sample.write_text(
        "from handlers.texts import chat\nfrom handlers.chat.router import answer\n\n\ndef f():\n    from handlers import office\n",
        encoding="utf-8",
    )
    assert arrows_up_inside_handlers(sample, tmp_path) == [
        "handlers/core/sample.py:2 imports handlers.chat",
        "handlers/core/sample.py:6 imports handlers.office",
    ]
