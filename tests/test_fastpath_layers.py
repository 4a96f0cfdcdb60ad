"""The fast path is one package with a small interface: it does not import the sources (their
structural triggers come in as data) and nothing outside it reads CCDIAG_ENGINE but the entry."""

from __future__ import annotations

import ast
from pathlib import Path

import analyzer

PACKAGE = Path(analyzer.__file__).parent


def _imports(path: Path) -> set[str]:
    """Every module and name a file imports, dotted (`..sources`, `..textio.Doc`)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            names.update(f"{node.module or ''}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
    return names


def test_the_fast_path_does_not_import_the_sources():
    files = sorted((PACKAGE / "fastpath").glob("*.py"))
    assert files
    for path in files:
        bad = {n for n in _imports(path) if "sources" in n.split(".")}
        assert not bad, f"{path.name} imports {bad}"


def test_the_engine_variable_is_read_in_one_place():
    readers = [p for p in PACKAGE.rglob("*.py") if '"CCDIAG_ENGINE"' in p.read_text("utf-8")]
    assert [p.relative_to(PACKAGE).as_posix() for p in readers] == ["analysis.py"]
