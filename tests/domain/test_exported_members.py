"""Each package's `__all__` is its public surface: no name missing from it, none stale in it."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOP_PACKAGES = ("bot", "scheduler")


def _package_name(init: Path) -> str:
    return ".".join(init.parent.relative_to(ROOT).parts)


def _declared_all(tree: ast.Module) -> list[str] | None:
    """The names of a top-level `__all__ = [...]`, or None when the package declares none."""
    for statement in tree.body:
        if not isinstance(statement, ast.Assign):
            continue
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in statement.targets):
            return list(ast.literal_eval(statement.value))
    return None


def _guarded_packages() -> list[tuple[str, ast.Module]]:
    """Every package under the top packages whose `__init__.py` declares `__all__`."""
    found: list[tuple[str, ast.Module]] = []
    for top in TOP_PACKAGES:
        for init in sorted((ROOT / top).rglob("__init__.py")):
            tree = ast.parse(init.read_text(encoding="utf-8"))
            if _declared_all(tree) is not None:
                found.append((_package_name(init), tree))
    return found


def _own_import(package: str, statement: ast.ImportFrom) -> bool:
    """A relative import, or one from the package's own modules: a re-export."""
    module = statement.module or ""
    return statement.level > 0 or module == package or module.startswith(f"{package}.")


def _public_names(package: str, tree: ast.Module) -> set[str]:
    """Names the package defines or brings in from its own modules, not starting with `_`."""
    names: set[str] = set()
    for statement in tree.body:
        if isinstance(statement, ast.ImportFrom) and _own_import(package, statement):
            names.update(alias.asname or alias.name for alias in statement.names)
        elif isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(statement.name)
        elif isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return {name for name in names if not name.startswith("_")}


GUARDED = _guarded_packages()
IDS = [package for package, _tree in GUARDED]


def test_the_packages_that_declare_all_are_found() -> None:
    assert "bot.storage" in IDS


@pytest.mark.parametrize(("package", "tree"), GUARDED, ids=IDS)
def test_all_lists_exactly_the_public_names_a_package_defines_or_reexports(
    package: str, tree: ast.Module
) -> None:
    declared = _declared_all(tree) or []
    assert len(declared) == len(set(declared)), f"{package}.__all__ repeats a name"
    assert set(declared) == _public_names(package, tree)


@pytest.mark.parametrize(("package", "tree"), GUARDED, ids=IDS)
def test_every_name_in_all_can_be_imported_from_its_package(package: str, tree: ast.Module) -> None:
    module = importlib.import_module(package)
    missing = [name for name in _declared_all(tree) or [] if not hasattr(module, name)]
    assert missing == []
