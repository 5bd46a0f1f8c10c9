"""The layer rules, read from the source: the core never imports Qt, nothing imports ui/, and
the app reaches the store only through `Library` (no SQLAlchemy, no models, no db.search)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imports(folder: str) -> Iterator[tuple[Path, str]]:
    """Yield (file, module) for every import in the .py files under `folder`."""
    for path in sorted((ROOT / folder).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                yield from ((path, alias.name) for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield path, node.module


def offending(folder: str, *prefixes: str) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {module}"
        for path, module in imports(folder)
        if any(module == p or module.startswith(f"{p}.") for p in prefixes)
    ]


def test_the_core_and_the_store_never_import_qt_or_the_app() -> None:
    for folder in ("briefing", "db", "templates"):
        assert offending(folder, "PySide6", "ui") == []


def test_the_app_reaches_the_store_only_through_the_library() -> None:
    assert offending("ui", "sqlalchemy", "db", "alembic") == []


def test_the_window_and_the_workspace_do_not_import_each_other() -> None:
    workspace = {m for p, m in imports("ui") if p.name == "workspace.py"}
    assert "ui.main_window" not in workspace


def test_the_checks_see_imports() -> None:
    """The walk finds real imports (else the tests above would pass on nothing)."""
    found = {m for _, m in imports("ui")}
    assert {"briefing.library", "ui.qt"} <= found
