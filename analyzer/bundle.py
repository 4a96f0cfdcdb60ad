"""Open the inputs of one bundle safely: files, folders, zip, tar, tar.gz, gz, and standard input.

Archives are read in place (zip) or streamed member by member into anonymous spool files
(tar), so nothing is ever written under a member's own name: `../` and absolute paths
cannot escape. Links, devices, bombs and over-deep nesting are refused with a reason, and
the rest of the bundle is still read.
"""
from __future__ import annotations

import gzip
import io
import os
import stat
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable, Iterator, Union

from .model import Skipped

SPOOL_IN_MEMORY = 8 * 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """Safety limits for one bundle; each has a command-line flag."""

    max_files: int = 10_000
    max_total_bytes: int = 8 * 1024 ** 3
    max_file_bytes: int = 4 * 1024 ** 3
    max_ratio: float = 200.0
    max_depth: int = 3


@dataclass(frozen=True)
class Member:
    """One readable file of the bundle; `opener` returns a fresh binary stream each call."""

    path: str
    size: int
    opener: Callable[[], BinaryIO]


Item = Union[Member, Skipped]

_ARCHIVE_SUFFIXES = (".zip", ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".gz")


class _Budget:
    def __init__(self, limits: Limits):
        self.limits = limits
        self.files = 0
        self.bytes = 0

    def admit(self, path: str, size: int) -> str | None:
        """None when the file fits, else the reason it is refused."""
        if self.files >= self.limits.max_files:
            return f"file count limit reached ({self.limits.max_files}; raise with --max-files)"
        if size > self.limits.max_file_bytes:
            return f"file larger than {_mb(self.limits.max_file_bytes)} (raise with --max-file-size)"
        if self.bytes + size > self.limits.max_total_bytes:
            return f"bundle larger than {_mb(self.limits.max_total_bytes)} uncompressed (raise with --max-total-size)"
        self.files += 1
        self.bytes += size
        return None


def _mb(n: int) -> str:
    return f"{n / 1024 ** 2:.0f} MB"


def open_inputs(paths: list[str], limits: Limits | None = None, stdin: BinaryIO | None = None) -> Iterator[Item]:
    """Every member of every input path, in order; problems come out as `Skipped`."""
    budget = _Budget(limits or Limits())
    for raw in paths:
        if raw == "-":
            yield from _from_stream("<stdin>", stdin if stdin is not None else _stdin(), budget, 0)
            continue
        path = Path(raw)
        try:
            if path.is_symlink() and not path.exists():
                yield Skipped(raw, "broken symbolic link")
            elif path.is_dir():
                yield from _walk(path, raw, budget)
            elif path.is_file():
                yield from _from_file(path, raw, budget, 0)
            elif path.exists():
                yield Skipped(raw, "not a regular file")
            else:
                yield Skipped(raw, "no such file or directory")
        except PermissionError:
            yield Skipped(raw, "permission denied")
        except OSError as exc:
            yield Skipped(raw, f"cannot read: {exc.strerror or exc}")


def _stdin() -> BinaryIO:
    import sys
    return sys.stdin.buffer


def _walk(root: Path, display: str, budget: _Budget) -> Iterator[Item]:
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            shown = str(Path(display) / full.relative_to(root))
            try:
                st = full.lstat()
            except OSError as exc:
                yield Skipped(shown, f"cannot read: {exc.strerror or exc}")
                continue
            if stat.S_ISLNK(st.st_mode):
                yield Skipped(shown, "symbolic link not followed")
            elif not stat.S_ISREG(st.st_mode):
                yield Skipped(shown, "not a regular file")
            else:
                try:
                    yield from _from_file(full, shown, budget, 0)
                except PermissionError:
                    yield Skipped(shown, "permission denied")
                except OSError as exc:
                    yield Skipped(shown, f"cannot read: {exc.strerror or exc}")


def _magic(fh: BinaryIO) -> bytes:
    pos = fh.tell()
    head = fh.read(512)
    fh.seek(pos)
    return head


def _kind(head: bytes, name: str) -> str:
    low = name.lower()
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if len(head) >= 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"\x1f\x8b"):
        return "tgz" if low.endswith((".tar.gz", ".tgz")) else "gz"
    if head.startswith(b"BZh") and low.endswith((".tar.bz2", ".tbz2")):
        return "tgz"
    if head.startswith(b"\xfd7zXZ\x00") and low.endswith((".tar.xz", ".txz")):
        return "tgz"
    return "file"


def _from_file(path: Path, display: str, budget: _Budget, depth: int) -> Iterator[Item]:
    size = path.stat().st_size
    with open(path, "rb") as fh:
        kind = _kind(_magic(fh), path.name)
    if kind == "file":
        reason = budget.admit(display, size)
        if reason:
            yield Skipped(display, reason)
        else:
            yield Member(display, size, lambda p=path: open(p, "rb"))
        return
    with open(path, "rb") as fh:
        yield from _archive(fh, kind, display, size, budget, depth)


def _from_stream(display: str, stream: BinaryIO, budget: _Budget, depth: int) -> Iterator[Item]:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        total = 0
        limit = budget.limits.max_file_bytes
        while True:
            block = stream.read(1024 * 1024)
            if not block:
                break
            total += len(block)
            if total > limit:
                yield Skipped(display, f"input larger than {_mb(limit)} (raise with --max-file-size)")
                return
            spool.write(block)
        spool.seek(0)
        kind = _kind(_magic(spool), display)
        if kind == "file":
            reason = budget.admit(display, total)
            if reason:
                yield Skipped(display, reason)
            else:
                yield Member(display, total, _reopen(spool))
        else:
            yield from _archive(spool, kind, display, total, budget, depth)
    finally:
        spool.close()


def _reopen(spool) -> Callable[[], BinaryIO]:
    """An opener over a spool file that stays open while the bundle is read."""
    def opener() -> BinaryIO:
        spool.seek(0)
        return _Unclosable(spool)
    return opener


class _Unclosable(io.RawIOBase):
    """A view of a shared stream whose close() does not close the stream."""

    def __init__(self, inner):
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        data = self._inner.read(len(b))
        b[:len(data)] = data
        return len(data)

    def read(self, n: int = -1) -> bytes:
        return self._inner.read(n)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        pass


def _safe_name(name: str) -> str:
    """A member name for display: no leading slash, no `..` segments."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return "/".join(parts) or "(unnamed)"


def _archive(fh: BinaryIO, kind: str, display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    if depth >= budget.limits.max_depth:
        yield Skipped(display, f"archive nested deeper than {budget.limits.max_depth} levels (raise with --max-depth)")
        return
    try:
        if kind == "zip":
            yield from _zip(fh, display, budget, depth)
        elif kind in ("tar", "tgz"):
            yield from _tar(fh, display, packed, budget, depth)
        elif kind == "gz":
            inner_name = display[:-3] if display.lower().endswith(".gz") else display + "!data"
            with gzip.GzipFile(fileobj=fh) as gz:
                yield from _nested_or_member(_Limited(gz, budget.limits.max_file_bytes), inner_name, packed, budget, depth + 1)
    except (zipfile.BadZipFile, tarfile.TarError, gzip.BadGzipFile, EOFError, OSError, ValueError) as exc:
        yield Skipped(display, f"corrupt or truncated archive ({type(exc).__name__}: {str(exc)[:120]})")


class _Limited:
    """Reads at most `limit` bytes; raises when the stream has more (a bomb in a .gz)."""

    def __init__(self, inner, limit: int):
        self.inner, self.left = inner, limit

    def read(self, n: int = -1) -> bytes:
        data = self.inner.read(n if n >= 0 else 1024 * 1024)
        self.left -= len(data)
        if self.left < 0:
            raise ValueError("decompressed size exceeds the file size limit")
        return data


def _nested_or_member(stream, name: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    """Spool one decompressed member; recurse when it is itself an archive."""
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        total = 0
        while True:
            block = stream.read(1024 * 1024)
            if not block:
                break
            total += len(block)
            if packed and total > 1024 * 1024 and total / max(packed, 1) > budget.limits.max_ratio:
                yield Skipped(name, f"compression ratio above {budget.limits.max_ratio:.0f}:1 (possible zip bomb; raise with --max-ratio)")
                return
            if total > budget.limits.max_file_bytes:
                yield Skipped(name, f"file larger than {_mb(budget.limits.max_file_bytes)} (raise with --max-file-size)")
                return
            spool.write(block)
        spool.seek(0)
        kind = _kind(_magic(spool), name)
        if kind != "file":
            yield from _archive(spool, kind, name, total, budget, depth)
            return
        reason = budget.admit(name, total)
        if reason:
            yield Skipped(name, reason)
        else:
            yield Member(name, total, _reopen(spool))
    except ValueError as exc:
        yield Skipped(name, str(exc))
    finally:
        spool.close()


def _zip(fh: BinaryIO, display: str, budget: _Budget, depth: int) -> Iterator[Item]:
    with zipfile.ZipFile(fh) as zf:
        for info in zf.infolist():
            name = f"{display}!{_safe_name(info.filename)}"
            if info.is_dir():
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if mode == stat.S_IFLNK:
                yield Skipped(name, "symbolic link in archive not followed")
                continue
            if mode and mode != stat.S_IFREG:
                yield Skipped(name, "not a regular file in archive")
                continue
            if info.flag_bits & 0x1:
                yield Skipped(name, "encrypted archive member")
                continue
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > 1024 * 1024 and ratio > budget.limits.max_ratio:
                yield Skipped(name, f"compression ratio {ratio:.0f}:1 above {budget.limits.max_ratio:.0f}:1 (possible zip bomb; raise with --max-ratio)")
                continue
            try:
                with zf.open(info) as member:
                    head = member.read(512)
                kind = _kind(head, info.filename)
                if kind != "file":
                    with zf.open(info) as member:
                        yield from _nested_or_member(_Limited(member, budget.limits.max_file_bytes), name, info.compress_size, budget, depth + 1)
                    continue
                reason = budget.admit(name, info.file_size)
                if reason:
                    yield Skipped(name, reason)
                    continue
                yield Member(name, info.file_size, lambda i=info: _BoundedZip(zf.open(i), i.file_size))
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError, OSError) as exc:
                yield Skipped(name, f"unreadable archive member ({type(exc).__name__}: {str(exc)[:120]})")


class _BoundedZip(io.RawIOBase):
    """A zip member stream that never yields more than its declared size (lying headers)."""

    def __init__(self, inner, size: int):
        self._inner, self._left = inner, size

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        if self._left <= 0:
            return b""
        n = self._left if n is None or n < 0 else min(n, self._left)
        try:
            data = self._inner.read(n)
        except (zipfile.BadZipFile, EOFError, OSError):
            return b""
        self._left -= len(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _tar(fh: BinaryIO, display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    unpacked = 0
    with tarfile.open(fileobj=fh, mode="r|*") as tf:
        for info in tf:
            name = f"{display}!{_safe_name(info.name)}"
            if info.isdir():
                continue
            if info.issym() or info.islnk():
                yield Skipped(name, "link in archive not followed")
                continue
            if not info.isfile():
                yield Skipped(name, "device or special file in archive")
                continue
            unpacked += info.size
            if unpacked > 1024 * 1024 and packed and unpacked / packed > budget.limits.max_ratio:
                yield Skipped(name, f"compression ratio above {budget.limits.max_ratio:.0f}:1 (possible bomb; raise with --max-ratio)")
                return
            member = tf.extractfile(info)
            if member is None:
                continue
            yield from _nested_or_member(member, name, 0, budget, depth + 1)
