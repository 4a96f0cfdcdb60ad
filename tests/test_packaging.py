"""The wheel must carry every subpackage and the rule catalog."""

from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parent.parent


def test_every_analyzer_package_is_listed_in_pyproject():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "analyzer").rglob("__init__.py")}
    assert found - listed == set()
    assert "analyzer.rules" in listed


def test_the_vocabulary_ships_as_package_data():
    from fnmatch import fnmatch

    globs = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["analyzer"]
    assert (ROOT / "analyzer" / "vocabulary.yaml").is_file()
    assert any(fnmatch("vocabulary.yaml", g) for g in globs)
