"""Which inputs are bundles: each file, folder or archive given, or each entry under a folder."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Bundle:
    """One unit of work: a display name and the path analyzed as one bundle."""

    name: str
    path: str


def bundles(paths: list[str], depth: int = 1) -> Iterator[Bundle]:
    """Each path given is a bundle; a folder's entries `depth` levels down are bundles instead
    (depth 0: the folder itself). Hidden entries (.name) are ignored, order is sorted."""
    for raw in paths:
        yield from _expand(Path(raw), raw, depth)


def _expand(path: Path, name: str, depth: int) -> Iterator[Bundle]:
    if depth <= 0 or not path.is_dir() or path.is_symlink():
        yield Bundle(name, str(path))
        return
    try:
        entries = sorted(os.scandir(path), key=lambda e: e.name)
    except OSError:
        yield Bundle(name, str(path))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        yield from _expand(Path(entry.path), os.path.join(name, entry.name), depth - 1)


def content_hash(path: str) -> str:
    """A digest of what a bundle holds: file bytes, or a folder's relative names and bytes."""
    h = hashlib.blake2b(digest_size=20)
    p = Path(path)
    if p.is_dir():
        for root, dirs, files in os.walk(p, followlinks=False):
            dirs.sort()
            for fname in sorted(files):
                full = Path(root) / fname
                h.update(str(full.relative_to(p)).encode("utf-8", "surrogateescape") + b"\0")
                _feed(h, full)
    else:
        _feed(h, p)
    return h.hexdigest()


def _feed(h, path: Path) -> None:
    try:
        with open(path, "rb") as fh:
            while True:
                block = fh.read(1 << 20)
                if not block:
                    break
                h.update(block)
    except OSError as exc:  # unreadable: the hash says so, and the worker reports why
        h.update(f"<unreadable {exc.errno}>".encode())
