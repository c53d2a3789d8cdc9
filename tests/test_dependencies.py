"""Every library the application imports is declared in pyproject.toml, so a fresh install can run it."""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.test_layering import LAYERS, ROOT, imports, modules, rel


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = set()
    for requirement in project["dependencies"]:
        names.add(re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0])
    return {_normal(n) for n in names}


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def undeclared() -> list[str]:
    """Return each import of an installed library that no declared dependency provides."""
    declared = _declared()
    providers = packages_distributions()
    missing = []
    for path in modules():
        for module, _names, line in imports(path):
            top = module.split(".")[0]
            if not top or top in LAYERS or top in sys.stdlib_module_names:
                continue
            dists = {_normal(d) for d in providers.get(top, [])}
            if not dists & declared:
                missing.append(f"{rel(path)}:{line} imports {module} ({', '.join(sorted(dists)) or 'not installed'})")
    return missing


def test_every_imported_library_is_a_declared_dependency():
    assert undeclared() == []
