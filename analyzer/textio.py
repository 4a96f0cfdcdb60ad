"""Turn the bytes of one input into text a parser can read, without holding big files whole.

A `Doc` is what every source's `parse` receives: its display path, a decoded head for
sniffing, a line iterator that streams (`lines()`, `numbered()`, built on `blocks()` of about
a megabyte), and `text()` for the small structured formats (JSON, YAML) that must be read
whole. A big file reaches each line parser as a sparse view (`fastpath.gate.LineView`).
"""

from __future__ import annotations

import codecs
import io
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING

from .lazy import LastOf
from .pastes import Unwrap

if TYPE_CHECKING:  # a sparse view of a Doc is the fast path's
    from .fastpath.gate import LineView

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


_CONTROL = bytes(b for b in range(32) if b not in (0, 9, 10, 11, 12, 13, 27))
_UNPRINTABLE = bytes(b for b in range(256) if not (b >= 32 or b in (9, 10, 13, 0)))


def looks_binary(head: bytes, encoding: str) -> bool:
    """Binary when NULs or control bytes dominate a UTF-8 head (env -0 dumps are NUL-separated text)."""
    if encoding.startswith("utf-16") or not head:
        return False
    sample = head[:8192]
    nul = sample.count(0)
    # Control bytes other than tab, newlines, form feed and ESC (colour codes) do not occur in text.
    control = len(sample) - len(sample.translate(None, _CONTROL))
    if control > len(sample) * 0.05:
        return True
    printable = len(sample.translate(None, _UNPRINTABLE))
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
    opener: Callable[[], IO[bytes]]
    encoding: str = "utf-8"
    head: str = ""
    _text: str | None = field(default=None, repr=False)
    view: LineView | None = field(default=None, repr=False)
    # (line number, byte offset) of line starts met on a whole pass of `blocks()`, about one a
    # block: a second pass that wants a few windows of lines (`window_lines`) starts near each.
    _marks: list[tuple[int, int]] | None = field(default=None, repr=False)
    # A part of the file, (first byte, end byte), both line starts where a whole pass cuts a
    # block: `blocks()` then reads just that part, cut into the same blocks (`firstpass`).
    span: tuple[int, int] | None = field(default=None, repr=False)
    # The wrapping an issue body put around the paste (quotes, fences, entities), taken off every
    # line the parsers and the rules read (`pastes.Unwrap`); None for a file without any.
    unwrap: Unwrap | None = field(default=None, repr=False)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> Doc:
        return cls.open(path, len(data), lambda: io.BytesIO(data))

    @classmethod
    def open(cls, path: str, size: int, opener: Callable[[], IO[bytes]]) -> Doc:
        with opener() as fh:
            raw_head = fh.read(HEAD_BYTES)
        encoding = sniff_encoding(raw_head)
        head = raw_head.decode(encoding, errors="replace")
        unwrap = Unwrap.detect(head)
        if unwrap is not None:
            head = unwrap.lines(head)
        return cls(path=path, size=size, opener=opener, encoding=encoding, head=head, unwrap=unwrap)

    def _unwrapped(self, text: str) -> str:
        return self.unwrap.lines(text) if self.unwrap is not None else text

    def raw_head(self, n: int = HEAD_BYTES) -> bytes:
        with self.opener() as fh:
            return fh.read(n)

    def chunks(
        self,
        offset: int = 0,
        consumed: list[int] | None = None,
        decoder=None,
        end: int | None = None,
        step: int | None = None,
    ) -> Iterator[str]:
        """Decoded text in ~1 MiB pieces, from byte `offset` to `end` (default: the file's end);
        a multi-byte character is never split. Reads end at multiples of CHUNK_BYTES wherever
        they start, so any part of a file is cut into the blocks a whole pass makes of it.
        `consumed[0]` follows the bytes read (less `decoder`'s pending ones, the offset). `step`:
        a smaller read size, for a few lines here and there."""
        if decoder is None:
            decoder = _decoder(self.encoding, offset)
        step = step or CHUNK_BYTES
        pos = offset
        with self.opener() as fh:
            _skip(fh, offset)
            while end is None or pos < end:
                size = step - pos % step
                block = fh.read(size if end is None else min(size, end - pos))
                if not block:
                    break
                pos += len(block)
                if consumed is not None:
                    consumed[0] += len(block)
                piece = decoder.decode(block)
                if piece:
                    yield piece
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail

    def blocks(self, start: tuple[int, int] = (1, 0), step: int | None = None) -> Iterator[tuple[int, str]]:
        """(number of the first line, block): the lines of `lines()` joined by `\\n`, about a chunk each,
        from `start`, a (line number, byte offset) of `_marks` (default: the beginning); `step`
        reads less at a time (`window_lines`).

        One C-level split per block instead of one Python step per line; `lines()` is built on
        it, so both always agree. A whole pass of a UTF-8 file records its marks."""
        begin, end = self.span or (0, None)
        first, offset = start if start != (1, 0) else (1, begin)
        whole = offset == begin and self._marks is None and self.encoding in LINE_BYTE_ENCODINGS
        marks = [(1, offset)] if whole else None
        at: int | None = offset  # the byte offset of the next block, when known
        consumed = [offset]
        decoder = _decoder(self.encoding, offset)
        rest = ""
        for chunk in self.chunks(offset, consumed, decoder, end, step):
            if "\0" in chunk:
                chunk = chunk.replace("\0", "\n")
            buf = rest + chunk
            cut = buf.rfind("\n")
            if cut >= 0:
                raw = buf[:cut]
                block = _normalize(raw)
                if self.unwrap is not None:
                    block = self.unwrap.lines(block)
                rest = buf[cut + 1 :]
                yield first, block
                if marks is not None and at is not None and block is raw and block.isascii():
                    first = _marks_inside(block, first, at, marks)
                else:
                    first += block.count("\n") + 1
                # The carry starts a line; where it starts in bytes is known when it is ASCII
                # and the decoder holds back nothing.
                at = None
                if marks is not None and rest.isascii() and not decoder.getstate()[0]:
                    at = consumed[0] - len(rest)
                    marks.append((first, at))
            else:
                rest = buf
            if len(rest) > MAX_LINE_CHARS:  # an unfinished line this long: its full pieces go now, as they are
                keep = (len(rest) - 1) // MAX_LINE_CHARS * MAX_LINE_CHARS
                pieces = [rest[i : i + MAX_LINE_CHARS] for i in range(0, keep, MAX_LINE_CHARS)]
                rest = rest[keep:]
                at = None
                yield first, self._unwrapped("\n".join(pieces))
                first += len(pieces)
        if rest:
            yield first, self._unwrapped(_normalize(rest))
        if marks is not None:
            self._marks = marks

    def window_lines(self, windows: list[tuple[int, int]]) -> Iterator[tuple[int, str]]:
        """(line number, line) for every line in `windows` (sorted, disjoint, inclusive), read from
        the mark nearest before each window that lies past what was read: a second pass over a
        big file reads the blocks its windows are in, not the whole file."""
        marks = self._marks if self._marks and self._seekable() else [(1, 0)]  # else: one read, in order
        w = 0
        while w < len(windows):
            mark = marks[bisect_right(marks, (windows[w][0], float("inf"))) - 1]
            jumped = False
            for first, block in self.blocks(mark, WINDOW_STEP):
                last = first + block.count("\n")
                if windows[w][0] <= last:
                    lines = block.split("\n")
                    while w < len(windows) and windows[w][0] <= last:
                        start, end = windows[w]
                        for no in range(max(start, first), min(end, last) + 1):
                            yield no, lines[no - first]
                        if end > last:
                            break  # the window goes on in the next block
                        w += 1
                    if w == len(windows):
                        return
                if windows[w][0] > last + 1:
                    ahead = marks[bisect_right(marks, (windows[w][0], float("inf"))) - 1]
                    if ahead[0] > last + 1:  # a mark between here and the next window: go there
                        jumped = True
                        break
            if not jumped:
                return  # the file ends before the next window

    def _seekable(self) -> bool:
        """Whether a fresh stream of this file seeks (a member of a compressed archive does not:
        reaching a mark would mean reading everything before it again)."""
        try:
            with self.opener() as fh:
                return fh.seekable()
        except (OSError, ValueError):
            return False

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

    def sparse(self, view: LineView) -> Doc:
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
            text = self._unwrapped("".join(out))
            if text.startswith("\ufeff"):
                text = text[1:]
            if limit is not None:
                return text[:limit]
            self._text = text
        return self._text


# The block as UTF-8, encoded once for the several Hyperscan scans of one block.
utf8 = LastOf(lambda block: block.encode("utf-8", errors="surrogatepass"))
LINE_BYTE_ENCODINGS = ("utf-8", "utf-8-sig")  # encodings where a line starts right after a `\n` byte
MARK_EVERY = 16 * 1024  # characters between the marks inside a block (a 100 MB file: 6,400 marks)
WINDOW_STEP = 32 * 1024  # bytes read at a time for windows of lines


def _marks_inside(block: str, first: int, at: int, marks: list[tuple[int, int]]) -> int:
    """Add a mark every MARK_EVERY characters of an ASCII block that starts at byte `at` with
    line `first` (its characters are its bytes); returns the number of the line after it."""
    line, counted = first, 0
    pos = MARK_EVERY
    while pos < len(block):
        nl = block.find("\n", pos)
        if nl < 0:
            break
        line += block.count("\n", counted, nl + 1)
        counted = nl + 1
        marks.append((line, at + counted))
        pos = counted + MARK_EVERY
    return line + block.count("\n", counted) + 1


def _decoder(encoding: str, offset: int):
    """An incremental decoder for text read from byte `offset` (a BOM is only at offset 0)."""
    if offset and encoding == "utf-8-sig":
        encoding = "utf-8"
    return codecs.getincrementaldecoder(encoding)(errors="replace")


def _skip(fh: IO[bytes], offset: int) -> None:
    """Move a fresh file object to `offset`: a seek where it can, else reading past the bytes."""
    if not offset:
        return
    try:
        if fh.seekable():
            fh.seek(offset)
            return
    except (OSError, ValueError):
        pass
    while offset > 0:
        got = fh.read(min(offset, CHUNK_BYTES))
        if not got:
            return
        offset -= len(got)


_CR_AT_END = re.compile(r"\r+(?=\n|\Z)")


def _normalize(text: str) -> str:
    """Complete lines as `lines()` yields them: trailing carriage returns off, over-long lines cut."""
    # A curl meter's `\r` inside a line stays. Most logs hold no `\r` at all: one memchr says so.
    if "\r" in text and ("\r\n" in text or text.endswith("\r")):
        text = _CR_AT_END.sub("", text)
    if len(text) > MAX_LINE_CHARS and _has_long_line(text):
        pieces: list[str] = []
        for line in text.split("\n"):
            if len(line) <= MAX_LINE_CHARS:
                pieces.append(line)
            else:
                pieces.extend(line[i : i + MAX_LINE_CHARS] for i in range(0, len(line), MAX_LINE_CHARS))
        text = "\n".join(pieces)
    return text


def _has_long_line(text: str) -> bool:
    """A line longer than MAX_LINE_CHARS covers a whole aligned half-length window: only a
    window without a newline can hold one (a few C-level finds per megabyte), and the line
    around such a window is measured (a 50,000-character JSON line is not too long)."""
    step = MAX_LINE_CHARS // 2
    start = 0
    while start + step <= len(text):
        if text.find("\n", start, start + step) < 0:
            begin = text.rfind("\n", 0, start) + 1
            end = text.find("\n", start + step)
            if (len(text) if end < 0 else end) - begin > MAX_LINE_CHARS:
                return True
            if end < 0:
                return False
            start = end + 1
        else:
            start += step
    return False


# From this size on, a file's parsers read it through views of windows of lines (`analyzer.fastpath`).
SPARSE_MIN_BYTES = 4 * 1024 * 1024
