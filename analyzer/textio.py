"""Turn the bytes of one input into text a parser can read, without holding big files whole.

A `Doc` is what every source's `parse` receives: its display path, a decoded head for
sniffing, a line iterator that streams, and `text()` for the small structured formats
(JSON, YAML) that must be read whole.
"""
from __future__ import annotations

import codecs
import io
import re
from dataclasses import dataclass, field, replace
from typing import BinaryIO, Callable, Iterator

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
MAX_LINE_CHARS = 64 * 1024  # longer physical lines are cut into pieces of this size


def sniff_encoding(head: bytes) -> str:
    """Pick a decoder from the BOM or the NUL-byte pattern (PowerShell `>` writes UTF-16LE)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    sample = head[:4096]
    if len(sample) >= 4:
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        half = len(sample) // 2
        if odd_nuls > half * 0.6 and even_nuls < half * 0.1:
            return "utf-16-le"
        if even_nuls > half * 0.6 and odd_nuls < half * 0.1:
            return "utf-16-be"
    return "utf-8"


def looks_binary(head: bytes, encoding: str) -> bool:
    """Binary when NULs or control bytes dominate a UTF-8 head (env -0 dumps are NUL-separated text)."""
    if encoding.startswith("utf-16") or not head:
        return False
    sample = head[:8192]
    nul = sample.count(0)
    # Control bytes other than tab, newlines, form feed and ESC (colour codes) do not occur in text.
    control = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 11, 12, 13, 27))
    if control > len(sample) * 0.05:
        return True
    printable = sum(1 for b in sample if b >= 32 or b in (9, 10, 13, 0))
    if printable < len(sample) * 0.85:
        return True
    if nul and nul > len(sample) * 0.3:
        return True
    return False


@dataclass
class Doc:
    """One input file as the parsers see it."""

    path: str
    size: int
    opener: Callable[[], BinaryIO]
    encoding: str = "utf-8"
    head: str = ""
    _text: str | None = field(default=None, repr=False)
    view: "LineView | None" = field(default=None, repr=False)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> "Doc":
        return cls.open(path, len(data), lambda: io.BytesIO(data))

    @classmethod
    def open(cls, path: str, size: int, opener: Callable[[], BinaryIO]) -> "Doc":
        with opener() as fh:
            raw_head = fh.read(HEAD_BYTES)
        encoding = sniff_encoding(raw_head)
        head = raw_head.decode(encoding, errors="replace")
        return cls(path=path, size=size, opener=opener, encoding=encoding, head=head)

    def raw_head(self, n: int = HEAD_BYTES) -> bytes:
        with self.opener() as fh:
            return fh.read(n)

    def chunks(self) -> Iterator[str]:
        """Decoded text in ~1 MiB pieces; a multi-byte character is never split."""
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="replace")
        with self.opener() as fh:
            while True:
                block = fh.read(CHUNK_BYTES)
                if not block:
                    break
                piece = decoder.decode(block)
                if piece:
                    yield piece
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail

    def blocks(self) -> Iterator[tuple[int, str]]:
        """(number of the first line, block): the lines of `lines()` joined by `\\n`, about a chunk each.

        One C-level split per block instead of one Python step per line; `lines()` is built on
        it, so both always agree."""
        first = 1
        rest = ""
        for chunk in self.chunks():
            if "\0" in chunk:
                chunk = chunk.replace("\0", "\n")
            buf = rest + chunk
            cut = buf.rfind("\n")
            if cut >= 0:
                block = _normalize(buf[:cut])
                rest = buf[cut + 1:]
                yield first, block
                first += block.count("\n") + 1
            else:
                rest = buf
            if len(rest) > MAX_LINE_CHARS:  # an unfinished line this long: its full pieces go now, as they are
                keep = (len(rest) - 1) // MAX_LINE_CHARS * MAX_LINE_CHARS
                pieces = [rest[i:i + MAX_LINE_CHARS] for i in range(0, keep, MAX_LINE_CHARS)]
                rest = rest[keep:]
                yield first, "\n".join(pieces)
                first += len(pieces)
        if rest:
            yield first, _normalize(rest)

    def lines(self) -> Iterator[str]:
        """Physical lines, `\\n`-split, trailing `\\r` stripped (curl's inner `\\r` kept); NULs act as newlines."""
        for _, block in self.blocks():
            yield from block.split("\n")

    def numbered(self) -> Iterator[tuple[int, str]]:
        """(line number, line): every line, or for a sparse view (`sparse`) only the lines near
        its triggers, with one "" at the first line of each gap so open constructs end there."""
        if self.view is None:
            return enumerate(self.lines(), 1)
        return self.view.numbered(self)

    def sparse(self, view: "LineView") -> "Doc":
        """This document as a line source sees it through `view` (same path, head and bytes)."""
        return replace(self, view=view)

    def text(self, limit: int | None = None) -> str:
        """The whole decoded text (for JSON/YAML documents); `limit` caps the characters read."""
        if self._text is None or limit is not None:
            out, total = [], 0
            for chunk in self.chunks():
                out.append(chunk)
                total += len(chunk)
                if limit is not None and total >= limit:
                    break
            text = "".join(out)
            if text.startswith("\ufeff"):
                text = text[1:]
            if limit is not None:
                return text[:limit]
            self._text = text
        return self._text


_CR_AT_END = re.compile(r"\r+(?=\n|\Z)")


def _normalize(text: str) -> str:
    """Complete lines as `lines()` yields them: trailing carriage returns off, over-long lines cut."""
    if "\r" in text:
        text = _CR_AT_END.sub("", text)
    if len(text) > MAX_LINE_CHARS and _has_long_line(text):
        pieces: list[str] = []
        for line in text.split("\n"):
            if len(line) <= MAX_LINE_CHARS:
                pieces.append(line)
            else:
                pieces.extend(line[i:i + MAX_LINE_CHARS] for i in range(0, len(line), MAX_LINE_CHARS))
        text = "\n".join(pieces)
    return text


def _has_long_line(text: str) -> bool:
    """A line longer than MAX_LINE_CHARS covers a whole aligned half-length window: only a
    window without a newline can hold one (a few C-level finds per megabyte)."""
    step = MAX_LINE_CHARS // 2
    for start in range(0, len(text) - step + 1, step):
        if text.find("\n", start, start + step) < 0:
            return True
    return False
