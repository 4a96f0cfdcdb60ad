"""Placeholder until the text source lands."""

from __future__ import annotations

from collections.abc import Iterator

from ..model import Evidence
from ..textio import Doc


def sniff(head: str) -> bool:
    return False


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    return iter(())
