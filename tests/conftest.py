"""Shared test helpers: where the real reference samples live, and how to parse one file."""
from __future__ import annotations

from pathlib import Path

import pytest

from analyzer.textio import Doc

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "data" / "reference"   # a copy of ../shared/reference/samples


def doc_of(path: Path | str, display: str | None = None) -> Doc:
    path = Path(path)
    return Doc.open(display or str(path), path.stat().st_size, lambda: open(path, "rb"))


def doc_from_text(text: str, name: str = "input.txt") -> Doc:
    return Doc.from_bytes(name, text.encode("utf-8"))


@pytest.fixture
def samples() -> Path:
    return SAMPLES
