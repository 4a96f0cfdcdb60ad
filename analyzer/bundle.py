"""Open the inputs of one bundle safely: files, folders, zip, tar, tar.gz, gz, and standard input.

A stranger's upload may be a zip bomb, a tar full of `../` names, links and devices, an
archive nested twenty deep, or a million empty files. So:

- archives are read in place (zip) or streamed member by member into anonymous spool
  files (tar, gz, stdin) that are unlinked the moment they are created: nothing is ever
  written under a member's own name, so `../` and absolute names cannot escape, and
  nothing is left behind even when the process is killed;
- links, devices, encrypted members, bombs (by declared sizes, by the sizes actually
  decompressed, and by the whole archive's expansion), over-deep nesting and too many
  files are refused with a one-line reason (`Skipped`), and the rest is still read;
- display names lose control characters and secrets before anyone prints them.

Every limit is a field of `Limits`, and each has a command-line flag.
"""

from __future__ import annotations

import gzip
import io
import lzma
import os
import stat
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import IO

from .model import Skipped
from .redact import redact_text

SPOOL_IN_MEMORY = 8 * 1024 * 1024
RATIO_GRACE = 1024 * 1024  # members (and archives) this small are never refused for their ratio
MAX_SKIPPED_PER_ARCHIVE = 200  # then one line says how many more were refused

# What a broken or hostile archive raises while it is read.
ARCHIVE_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    tarfile.TarError,
    gzip.BadGzipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    UnicodeDecodeError,
    OverflowError,
)


@dataclass(frozen=True)
class Limits:
    """Safety limits for one bundle; each has a command-line flag."""

    max_files: int = 10_000  # --max-files
    max_total_bytes: int = 8 * 1024**3  # --max-total-size (MB)
    max_file_bytes: int = 4 * 1024**3  # --max-file-size (MB)
    max_ratio: float = 200.0  # --max-ratio
    max_depth: int = 3  # --max-depth


@dataclass(frozen=True)
class Member:
    """One readable file of the bundle; `opener` returns a fresh binary stream each call."""

    path: str
    size: int
    opener: Callable[[], IO[bytes]]


Item = Member | Skipped

# C0/C1 controls and bidi overrides would let a file name rewrite the terminal it is printed on.
_CONTROLS = {
    c: "?" for c in [*range(0, 32), *range(127, 160), 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
}


def display_name(name: str) -> str:
    """A name safe to print: no control characters, no secrets."""
    return redact_text(name.translate(_CONTROLS))


class _Budget:
    """The bundle-wide counters behind `Limits`."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.files = 0
        self.bytes = 0

    @property
    def full(self) -> bool:
        return self.files >= self.limits.max_files

    def admit(self, size: int) -> str | None:
        """None when a file of `size` bytes fits, else the reason it is refused."""
        if self.full:
            return f"file count limit reached ({self.limits.max_files}; raise with --max-files)"
        if size > self.limits.max_file_bytes:
            return f"file larger than {_mb(self.limits.max_file_bytes)} (raise with --max-file-size)"
        if self.bytes + size > self.limits.max_total_bytes:
            return f"bundle larger than {_mb(self.limits.max_total_bytes)} uncompressed (raise with --max-total-size)"
        self.files += 1
        self.bytes += size
        return None


def _mb(n: int) -> str:
    return f"{n / 1024**2:.0f} MB"


def _full_reason(limits: Limits) -> str:
    return f"file count limit reached ({limits.max_files}; raise with --max-files): not read"


def open_inputs(paths: list[str], limits: Limits | None = None, stdin: IO[bytes] | None = None) -> Iterator[Item]:
    """Every member of every input path, in order; problems come out as `Skipped`."""
    budget = _Budget(limits or Limits())
    for raw in paths:
        shown = display_name(raw)
        if budget.full:
            yield Skipped(shown, _full_reason(budget.limits))
            continue
        if raw == "-":
            yield from _guard(
                "<stdin>", lambda: _from_stream("<stdin>", stdin if stdin is not None else _stdin(), budget, 0)
            )
            continue
        path = Path(raw)
        try:
            if path.is_symlink() and not path.exists():
                yield Skipped(shown, "broken symbolic link")
            elif path.is_dir():
                yield from _walk(path, shown, budget)
            elif path.is_file():
                yield from _guard(shown, partial(_from_file, path, shown, budget, 0))
            elif path.exists():
                yield Skipped(shown, "not a regular file")
            else:
                yield Skipped(shown, "no such file or directory")
        except PermissionError:
            yield Skipped(shown, "permission denied")
        except OSError as exc:
            yield Skipped(shown, f"cannot read: {exc.strerror or exc}")


def _guard(shown: str, produce: Callable[[], Iterator[Item]]) -> Iterator[Item]:
    """Items from `produce`; an unexpected read error ends that input with one line."""
    try:
        yield from produce()
    except PermissionError:
        yield Skipped(shown, "permission denied")
    except ARCHIVE_ERRORS as exc:
        yield Skipped(shown, f"cannot read: {describe_error(exc)}")


def describe_error(exc: BaseException) -> str:
    """One redacted line for an exception: its type and the start of its message."""
    text = getattr(exc, "strerror", None) or str(exc)
    return f"{type(exc).__name__}: {redact_text(text)[:120]}"


def _stdin() -> IO[bytes]:
    import sys

    return sys.stdin.buffer


def _walk(root: Path, shown_root: str, budget: _Budget) -> Iterator[Item]:
    errors: list[OSError] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=errors.append):
        while errors:
            exc = errors.pop()
            where = (
                Path(exc.filename).relative_to(root) if exc.filename and str(exc.filename).startswith(str(root)) else ""
            )
            yield Skipped(display_name(str(Path(shown_root) / where)), f"cannot read folder: {exc.strerror or exc}")
        here = Path(dirpath)
        for name in sorted(dirnames):
            if (here / name).is_symlink():
                yield Skipped(
                    display_name(str(Path(shown_root) / (here / name).relative_to(root))),
                    "symbolic link to a folder not followed",
                )
        dirnames.sort()
        for name in sorted(filenames):
            full = here / name
            shown = display_name(str(Path(shown_root) / full.relative_to(root)))
            if budget.full:
                yield Skipped(
                    str(Path(shown_root)),
                    f"file count limit reached ({budget.limits.max_files}; "
                    "raise with --max-files): the rest of this folder was not read",
                )
                return
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
                yield from _guard(shown, partial(_from_file, full, shown, budget, 0, follow=False))
    while errors:
        yield Skipped(shown_root, f"cannot read folder: {errors.pop().strerror}")


def _open_file(path: Path, follow: bool) -> IO[bytes]:
    """Open a regular file for reading; never a FIFO or device (no hang), never via a link when `follow` is off."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(0, "not a regular file")
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def _magic(fh: IO[bytes]) -> bytes:
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


def _from_file(path: Path, display: str, budget: _Budget, depth: int, follow: bool = True) -> Iterator[Item]:
    with _open_file(path, follow) as fh:
        size = os.fstat(fh.fileno()).st_size
        kind = _kind(_magic(fh), path.name)
    if kind == "file":
        reason = budget.admit(size)
        if reason:
            yield Skipped(display, reason)
        else:
            yield Member(display, size, partial(_open_file, path, follow))
        return
    with _open_file(path, follow) as fh:
        yield from _archive(fh, kind, display, size, budget, depth)


def _from_stream(display: str, stream: IO[bytes], budget: _Budget, depth: int) -> Iterator[Item]:
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
            reason = budget.admit(total)
            if reason:
                yield Skipped(display, reason)
            else:
                yield Member(display, total, _reopen(spool))
        else:
            yield from _archive(spool, kind, display, total, budget, depth)
    finally:
        spool.close()


def _reopen(spool) -> Callable[[], IO[bytes]]:
    """An opener over a spool file that stays open while the bundle is read."""

    def opener() -> IO[bytes]:
        return _View(spool)  # type: ignore[return-value]  # a raw stream is read as bytes

    return opener


class _View(io.RawIOBase):
    """An independent read cursor on a shared spool file; close() leaves the spool open,
    and two views read in turns do not disturb each other's position."""

    def __init__(self, inner):
        self._inner = inner
        self._pos = 0

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        self._inner.seek(self._pos)
        data = self._inner.read() if n is None or n < 0 else self._inner.read(n)
        self._pos += len(data)
        return data

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        if whence != io.SEEK_SET or pos < 0:
            raise io.UnsupportedOperation("a spool view seeks to an absolute position only")
        self._pos = pos
        return pos

    def tell(self) -> int:
        return self._pos

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _safe_name(name: str) -> str:
    """A member name for display: no leading slash, no `..` segments, nothing unprintable."""
    parts = [p for p in name.replace("\\", "/").split("/") if p not in ("", ".", "..")]
    return display_name("/".join(parts)) or "(unnamed)"


def _archive(fh: IO[bytes], kind: str, display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    if depth >= budget.limits.max_depth:
        yield Skipped(display, f"archive nested deeper than {budget.limits.max_depth} levels (raise with --max-depth)")
        return
    produced = 0
    try:
        for item in _archive_items(fh, kind, display, packed, budget, depth):
            produced += 1
            yield item
    except ARCHIVE_ERRORS as exc:
        produced += 1
        yield Skipped(display, f"corrupt or truncated archive ({describe_error(exc)})")
    if not produced:
        yield Skipped(display, "archive holds no files")


def _archive_items(fh: IO[bytes], kind: str, display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    if kind == "zip":
        yield from _zip(fh, display, packed, budget, depth)
    elif kind in ("tar", "tgz"):
        yield from _tar(fh, display, packed, budget, depth)
    elif kind == "gz":
        inner_name = display[:-3] if display.lower().endswith(".gz") else display + "!data"
        with gzip.GzipFile(fileobj=fh, mode="rb") as gz:  # a spool file says "w+b": name the mode
            yield from _nested_or_member(gz, inner_name, packed, budget, depth + 1)


class _Refusals:
    """Counts the members an archive refused; past a cap they become one summary line."""

    def __init__(self, display: str):
        self.display, self.count = display, 0

    def add(self, item: Skipped) -> Iterator[Skipped]:
        self.count += 1
        if self.count <= MAX_SKIPPED_PER_ARCHIVE:
            yield item

    def summary(self) -> Iterator[Skipped]:
        extra = self.count - MAX_SKIPPED_PER_ARCHIVE
        if extra > 0:
            yield Skipped(self.display, f"{extra} more members refused (links, devices, limits); not listed one by one")


def _nested_or_member(
    stream, name: str, packed: int, budget: _Budget, depth: int, declared: int | None = None
) -> Iterator[Item]:
    """Spool one decompressed member; recurse when it is itself an archive.

    `packed` is the compressed size the output is compared with (0: no ratio check);
    the bytes actually produced are counted, so a header that lies about sizes does not help."""
    if declared is not None and declared > budget.limits.max_file_bytes:
        yield Skipped(name, f"file larger than {_mb(budget.limits.max_file_bytes)} (raise with --max-file-size)")
        return
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY)
    try:
        total = 0
        while True:
            block = stream.read(1024 * 1024)
            if not block:
                break
            total += len(block)
            if packed and total > RATIO_GRACE and total / max(packed, 1) > budget.limits.max_ratio:
                yield Skipped(
                    name,
                    f"compression ratio above {budget.limits.max_ratio:.0f}:1 "
                    "(possible zip bomb; raise with --max-ratio)",
                )
                return
            if total > budget.limits.max_file_bytes:
                yield Skipped(
                    name, f"file larger than {_mb(budget.limits.max_file_bytes)} (raise with --max-file-size)"
                )
                return
            if budget.bytes + total > budget.limits.max_total_bytes:
                yield Skipped(
                    name,
                    f"bundle larger than {_mb(budget.limits.max_total_bytes)} uncompressed "
                    "(raise with --max-total-size)",
                )
                return
            spool.write(block)
        spool.seek(0)
        kind = _kind(_magic(spool), name)
        if kind != "file":
            yield from _archive(spool, kind, name, total, budget, depth)
            return
        reason = budget.admit(total)
        if reason:
            yield Skipped(name, reason)
        else:
            yield Member(name, total, _reopen(spool))
    finally:
        spool.close()


def _zip_entry_count(fh: IO[bytes]) -> int | None:
    """The entry count the zip's end record declares, read before the central directory is loaded."""
    try:
        end = zipfile._EndRecData(fh)  # type: ignore[attr-defined]  # the stdlib's own reader of that record
    except (AttributeError, OSError, ValueError, zipfile.BadZipFile):
        return None
    finally:
        fh.seek(0)
    return int(end[zipfile._ECD_ENTRIES_TOTAL]) if end else None  # type: ignore[attr-defined]


def _zip(fh: IO[bytes], display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    limits = budget.limits
    entries = _zip_entry_count(fh)
    if entries is not None and entries > 10 * limits.max_files + MAX_SKIPPED_PER_ARCHIVE:
        yield Skipped(
            display,
            f"archive lists {entries} entries, far more than the file limit "
            f"({limits.max_files}; raise with --max-files)",
        )
        return
    refusals = _Refusals(display)
    expanded = 0
    with zipfile.ZipFile(fh) as zf:
        infos = zf.infolist()
        for index, info in enumerate(infos):
            name = f"{display}!{_safe_name(info.filename)}"
            if info.is_dir():
                continue
            if budget.full:
                yield Skipped(
                    display,
                    f"file count limit reached ({limits.max_files}; raise with --max-files): "
                    f"{len(infos) - index} more entries not read",
                )
                break
            reason = _zip_refusal(info, limits)
            if reason:
                yield from refusals.add(Skipped(name, reason))
                continue
            expanded += info.file_size  # what is read, member by member: many small bombs add up
            if packed and expanded > RATIO_GRACE and expanded / packed > limits.max_ratio:
                yield Skipped(
                    display,
                    f"archive expands beyond {limits.max_ratio:.0f}:1 of its size "
                    f"(possible zip bomb; raise with --max-ratio): {len(infos) - index} more entries not read",
                )
                break
            try:
                with zf.open(info) as member:
                    head = member.read(512)
                kind = _kind(head, info.filename)
                if kind != "file":
                    with zf.open(info) as member:
                        yield from _nested_or_member(
                            _BoundedZip(member, info.file_size),
                            name,
                            info.compress_size,
                            budget,
                            depth + 1,
                            declared=info.file_size,
                        )
                    continue
                reason = budget.admit(info.file_size)
                if reason:
                    yield from refusals.add(Skipped(name, reason))
                    continue
                yield Member(name, info.file_size, partial(_open_zip_member, zf, info))
            except ARCHIVE_ERRORS as exc:
                yield from refusals.add(Skipped(name, f"unreadable archive member ({describe_error(exc)})"))
    yield from refusals.summary()


def _zip_refusal(info: zipfile.ZipInfo, limits: Limits) -> str | None:
    mode = (info.external_attr >> 16) & 0o170000
    if mode == stat.S_IFLNK:
        return "symbolic link in archive not followed"
    if mode and mode != stat.S_IFREG:
        return "device or special file in archive"
    if info.flag_bits & 0x1:
        return "encrypted archive member"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_GRACE and ratio > limits.max_ratio:
        return (
            f"compression ratio {ratio:.0f}:1 above {limits.max_ratio:.0f}:1 "
            "(possible zip bomb; raise with --max-ratio)"
        )
    return None


def _open_zip_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> IO[bytes]:
    return _BoundedZip(zf.open(info), info.file_size)  # type: ignore[return-value]  # a raw stream is read as bytes


class _BoundedZip(io.RawIOBase):
    """A zip member stream that never yields more than its declared size (lying headers)
    and ends quietly on corrupt data (the bytes read so far stay usable)."""

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
        except ARCHIVE_ERRORS:
            self._left = 0
            return b""
        self._left -= len(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    def close(self) -> None:
        try:
            self._inner.close()
        finally:
            super().close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _tar(fh: IO[bytes], display: str, packed: int, budget: _Budget, depth: int) -> Iterator[Item]:
    limits = budget.limits
    refusals = _Refusals(display)
    expanded = 0
    with tarfile.open(fileobj=fh, mode="r|*") as tf:
        for info in tf:
            name = f"{display}!{_safe_name(info.name)}"
            if info.isdir():
                continue
            if budget.full:
                yield Skipped(
                    display,
                    f"file count limit reached ({limits.max_files}; raise with --max-files): "
                    "the rest of the archive was not read",
                )
                break
            if info.issym() or info.islnk():
                yield from refusals.add(Skipped(name, "link in archive not followed"))
                continue
            if not info.isfile():
                yield from refusals.add(Skipped(name, "device or special file in archive"))
                continue
            expanded += info.size
            if packed and expanded > RATIO_GRACE and expanded / packed > limits.max_ratio:
                yield Skipped(
                    display,
                    f"archive expands beyond {limits.max_ratio:.0f}:1 of its size "
                    "(possible bomb; raise with --max-ratio): the rest was not read",
                )
                break
            member = tf.extractfile(info)
            if member is None:
                continue
            yield from _nested_or_member(member, name, 0, budget, depth + 1, declared=info.size)
    yield from refusals.summary()
