"""Turn the bytes of one input into text a parser can read, without holding big files whole.

A `Doc` is what every source's `parse` receives: its display path, a decoded head for
sniffing, a line iterator that streams, and `text()` for the small structured formats
(JSON, YAML) that must be read whole.
"""
from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
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

    def lines(self) -> Iterator[str]:
        """Physical lines, `\\n`-split, trailing `\\r` stripped (curl's inner `\\r` kept); NULs act as newlines."""
        rest = ""
        for chunk in self.chunks():
            if "\0" in chunk:
                chunk = chunk.replace("\0", "\n")
            buf = rest + chunk
            parts = buf.split("\n")
            rest = parts.pop()
            for part in parts:
                yield from _cut(part.rstrip("\r"))
            while len(rest) > MAX_LINE_CHARS:
                yield rest[:MAX_LINE_CHARS]
                rest = rest[MAX_LINE_CHARS:]
        if rest:
            yield from _cut(rest.rstrip("\r"))

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


def _cut(line: str) -> Iterator[str]:
    if len(line) <= MAX_LINE_CHARS:
        yield line
        return
    for i in range(0, len(line), MAX_LINE_CHARS):
        yield line[i:i + MAX_LINE_CHARS]
