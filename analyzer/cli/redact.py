"""`ccdiag redact IN... -o OUT`: a sanitized copy of a bundle, safe to attach to an issue.

Inputs are read exactly as `ccdiag analyze` reads them (`bundle.open_inputs`, with the same
limits and flags), every text file is rewritten with each secret replaced by a typed
placeholder that is the same everywhere in the bundle (`analyzer.sanitize`), binary files
are left out, and a summary says how many secrets of which kind were masked in which file
(never the values). OUT ending in `.zip` is a zip file, anything else a folder.

The copy is written to a private temporary folder or file beside OUT and moved into place
at the end, so a failure leaves nothing half-written; names are rebuilt from display names
that have no `..`, no absolute part and no control characters, so nothing lands outside OUT.
"""

from __future__ import annotations

import codecs
import json
import os
import shutil
import sys
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import click

from ..bundle import ARCHIVE_ERRORS, Member, describe_error, display_name, open_inputs
from ..errors import AnalyzerError
from ..model import ExitStatus, Skipped
from ..sanitize import Sanitizer
from ..textio import Doc, looks_binary
from .main import fail, limit_options, limits_from

READ_BYTES = 1024 * 1024
_ARCHIVE_SUFFIXES = (".tar.gz", ".tar.bz2", ".tar.xz", ".tgz", ".tbz2", ".txz", ".zip", ".tar", ".gz")


@click.command("redact")
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="Where to write the copy: a folder, or a file ending in .zip.",
)
@click.option("--force", is_flag=True, help="Write into an existing folder, or replace an existing zip file.")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@limit_options
def redact_cmd(paths, output, force, as_json, **limits):
    """Write a copy of files, folders or archives with every secret replaced by a placeholder.

    The same secret gets the same placeholder in every file (sk-ant-api03-<ANTHROPIC_API_KEY_1>),
    so the copy still shows which files share a credential; binary files are left out.
    Analysing the copy gives the same diagnosis as analysing the original.

    \b
    ccdiag redact bundle.zip -o bundle-redacted.zip
    ccdiag redact terminal.txt env.txt ~/.claude/settings.json -o for-support/
    """
    problem = _output_problem(list(paths), output, force)
    if problem:
        fail(problem, ExitStatus.usage)
    writer = _ZipWriter(output) if output.suffix.lower() == ".zip" else _FolderWriter(output)
    try:
        report = _copy(list(paths), writer, limits_from(limits))
        if report.written:
            writer.finish()
        else:
            writer.abort()  # nothing readable: leave no empty copy behind
    except KeyboardInterrupt:
        writer.abort()
        fail("interrupted", ExitStatus.interrupted)
    except AnalyzerError as exc:
        writer.abort()
        fail(str(exc), ExitStatus.bad_input)
    except Exception as exc:  # users get one line; CCDIAG_TRACEBACK=1 for developers (re-raised)
        writer.abort()
        if os.environ.get("CCDIAG_TRACEBACK"):
            raise
        from ..redact import redact_text

        fail(
            f"internal error: {type(exc).__name__}: {redact_text(str(exc))[:200]} (nothing was written)",
            ExitStatus.bad_input,
        )
    for s in report.skipped:
        click.echo(f"ccdiag: skipped {s.path}: {s.reason}", err=True)
    click.echo(report.as_json(output) if as_json else report.as_text(output), nl=False)
    if not report.written:
        sys.exit(int(ExitStatus.bad_input))


# ----------------------------------------------------------------- where the copy goes


def _output_problem(paths: list[str], output: Path, force: bool) -> str | None:
    """Why OUT cannot be used, or None."""
    target = output.resolve()
    for raw in paths:
        if raw == "-":
            continue
        src = Path(raw).resolve()
        if src == target:
            return f"{output}: the output cannot be one of the inputs"
        if Path(raw).is_dir() and (target == src or src in target.parents):
            return f"{output}: the output cannot be inside an input folder ({raw})"
    if output.suffix.lower() == ".zip":
        if output.exists() and (output.is_dir() or not force):
            return f"{output}: already exists (use --force to replace it)"
    elif output.exists():
        if not output.is_dir():
            return f"{output}: exists and is not a folder"
        if any(output.iterdir()) and not force:
            return f"{output}: folder is not empty (use --force to write into it)"
    if not output.parent.resolve().is_dir():
        return f"{output.parent}: no such folder"
    return None


class _FolderWriter:
    """Files go to a private temporary folder beside OUT, moved into OUT at the end."""

    def __init__(self, target: Path):
        self.target = target
        self.tmp = Path(tempfile.mkdtemp(prefix=".ccdiag-redact-", dir=target.resolve().parent))

    def open(self, parts: list[str]) -> IO[bytes]:
        path = self.tmp.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        return open(path, "xb")

    def finish(self) -> None:
        if not self.target.exists():
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(self.tmp, 0o777 & ~umask)  # mkdtemp made it private while it was being filled
            os.rename(self.tmp, self.target)
            return
        for src in sorted(p for p in self.tmp.rglob("*") if p.is_file()):
            dest = self.target / src.relative_to(self.tmp)
            dest.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, dest)
        shutil.rmtree(self.tmp, ignore_errors=True)

    def abort(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)


class _ZipWriter:
    """Members go to a private temporary zip beside OUT, renamed to OUT at the end."""

    def __init__(self, target: Path):
        self.target = target
        fd, name = tempfile.mkstemp(prefix=".ccdiag-redact-", suffix=".zip", dir=target.resolve().parent)
        os.close(fd)
        self.tmp = Path(name)
        self.zip = zipfile.ZipFile(self.tmp, "w", compression=zipfile.ZIP_DEFLATED)

    def open(self, parts: list[str]) -> IO[bytes]:
        info = zipfile.ZipInfo("/".join(parts), date_time=time.localtime()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o644 << 16
        return self.zip.open(info, "w", force_zip64=True)

    def finish(self) -> None:
        self.zip.close()
        os.replace(self.tmp, self.target)

    def abort(self) -> None:
        try:
            self.zip.close()
        except Exception:  # noqa: BLE001 - the temporary file is removed either way
            pass
        self.tmp.unlink(missing_ok=True)


# ----------------------------------------------------------------- the copy


class _Report:
    """What was written, what was masked where, and what was left out."""

    def __init__(self) -> None:
        self.written: list[str] = []
        self.skipped: list[Skipped] = []
        self.counts: dict[str, dict[str, int]] = {}

    def totals(self) -> Counter[str]:
        total: Counter[str] = Counter()
        for kinds in self.counts.values():
            total.update(kinds)
        return total

    def as_text(self, output: Path) -> str:
        if not self.written:
            return f"ccdiag: nothing written to {output}: no readable text file among the inputs\n"
        lines = [
            f"ccdiag: wrote a redacted copy of {len(self.written)} file(s) to {output}"
            + (f" ({len(self.skipped)} skipped)" if self.skipped else "")
        ]
        width = max((len(p) for p in self.written), default=0)
        for path in self.written:
            kinds = self.counts.get(path, {})
            what = ", ".join(f"{kind} {n}" for kind, n in kinds.items()) if kinds else "nothing to redact"
            lines.append(f"  {path.ljust(width)}  {what}")
        if "(file names)" in self.counts:
            lines.append("  (file names)  " + ", ".join(f"{k} {n}" for k, n in self.counts["(file names)"].items()))
        total = self.totals()
        lines.append("redacted: " + (", ".join(f"{k} {n}" for k, n in sorted(total.items())) if total else "nothing"))
        return "\n".join(lines) + "\n"

    def as_json(self, output: Path) -> str:
        return (
            json.dumps(
                {
                    "output": str(output),
                    "files": [{"path": p, "redacted": self.counts.get(p, {})} for p in self.written],
                    "skipped": [{"path": s.path, "reason": s.reason} for s in self.skipped],
                    "totals": dict(sorted(self.totals().items())),
                },
                indent=2,
            )
            + "\n"
        )


def _copy(paths: list[str], writer, limits) -> _Report:
    sanitizer = Sanitizer()
    report = _Report()
    names = _Names(paths, sanitizer)
    for item in open_inputs(paths, limits):
        if isinstance(item, Skipped):
            report.skipped.append(item)
            continue
        reason = _copy_member(item, writer, names, sanitizer, report)
        if reason:
            report.skipped.append(Skipped(item.path, reason))
    report.counts = sanitizer.summary()
    return report


def _copy_member(item: Member, writer, names: _Names, sanitizer: Sanitizer, report: _Report) -> str | None:
    """Write one member's sanitized text; returns why it was left out, or None."""
    try:
        doc = Doc.open(item.path, item.size, item.opener)
        if item.size and looks_binary(doc.raw_head(8192), doc.encoding):
            return "binary file (not copied)"
    except OSError as exc:
        return f"cannot read: {exc}"
    parts = names.parts(item.path)
    shown = "/".join(parts)
    # UTF-8 round-trips byte for byte (Latin-1 bytes too); UTF-16 stays UTF-16, BOM and all.
    utf8 = doc.encoding.startswith("utf-8")
    encoder = codecs.getincrementalencoder(doc.encoding)(errors="surrogateescape" if utf8 else "strict")
    try:
        with writer.open(parts) as out:
            for piece in sanitizer.stream(
                _decoded(item, doc.encoding, "surrogateescape" if utf8 else "replace"), shown
            ):
                out.write(encoder.encode(piece))
            out.write(encoder.encode("", final=True))
    except ARCHIVE_ERRORS as exc:
        return f"cannot copy: {describe_error(exc)}"
    report.written.append(shown)
    return None


def _decoded(item: Member, encoding: str, errors: str) -> Iterator[str]:
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    with item.opener() as fh:
        while True:
            block = fh.read(READ_BYTES)
            if not block:
                break
            text = decoder.decode(block)
            if text:
                yield text
    tail = decoder.decode(b"", final=True)
    if tail:
        yield tail


class _Names:
    """Relative output paths for display paths: one input keeps its own layout at the top of
    OUT, several inputs each get a folder (or file) named after them; archives become folders."""

    def __init__(self, paths: list[str], sanitizer: Sanitizer):
        self.sanitizer = sanitizer
        self.roots: list[tuple[str, str]] = []
        single = len(paths) == 1
        for raw in paths:
            if raw == "-":
                self.roots.append(("<stdin>", "stdin.txt"))
                continue
            base = Path(raw).name or Path(raw).resolve().name or "input"
            if single and (Path(raw).is_dir() or raw.lower().endswith(_ARCHIVE_SUFFIXES)):
                base = ""  # one folder or archive: its own layout at the top of OUT
            for prefix in {display_name(raw), str(Path(display_name(raw)))}:
                self.roots.append((prefix, base))
        self.roots.sort(key=lambda r: len(r[0]), reverse=True)
        self.used: set[str] = set()

    def parts(self, display: str) -> list[str]:
        for prefix, base in self.roots:
            if display == prefix or display.startswith((prefix + "/", prefix + "!")):
                display = base + display[len(prefix) :]
                break
        segments = display.split("!")
        parts: list[str] = []
        for i, seg in enumerate(segments):
            if i < len(segments) - 1:
                seg = _strip_archive_suffix(seg)
            parts.extend(self.sanitizer.name(p) for p in seg.replace("\\", "/").split("/") if p not in ("", ".", ".."))
        parts = parts or ["input.txt"]
        return self._unique(parts)

    def _unique(self, parts: list[str]) -> list[str]:
        key = "/".join(parts).lower()
        n = 1
        while key in self.used:
            n += 1
            stem, dot, suffix = parts[-1].partition(".")
            parts = [*parts[:-1], f"{stem}-{n}{dot}{suffix}"]
            key = "/".join(parts).lower()
        self.used.add(key)
        return parts


def _strip_archive_suffix(name: str) -> str:
    low = name.lower()
    for suffix in _ARCHIVE_SUFFIXES:
        if low.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
