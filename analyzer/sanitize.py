"""Consistent typed placeholders for `ccdiag redact`: one secret, one token, everywhere.

`redact_text` masks every secret as `***`. A copy meant for sharing is more useful when the
same secret gets the same token in every file of the bundle (`sk-ant-api03-<ANTHROPIC_API_KEY_1>`
in the env dump and in the curl header shows they are the same key) and different secrets
get different tokens. A `Sanitizer` is that masker, plus a count of what it masked per file.

Secrets are remembered by their SHA-256 only, and only for the life of the Sanitizer.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from typing import Iterable, Iterator

from .redact import redact_with, unfinished_tail

BLOCK_CHARS = 1024 * 1024  # text is sanitized in blocks of about this size, cut at line ends


class Sanitizer:
    """Hands out `<KIND_N>` tokens and counts what was masked in which file."""

    def __init__(self) -> None:
        self._tokens: dict[bytes, str] = {}
        self._numbers: Counter[str] = Counter()
        self.counts: dict[str, Counter[str]] = defaultdict(Counter)
        self._current = ""

    def token(self, kind: str, secret: str) -> str:
        """The placeholder of `secret`; the first kind it was seen as names it."""
        key = hashlib.sha256(secret.strip().encode("utf-8", "surrogatepass")).digest()
        token = self._tokens.get(key)
        if token is None:
            self._numbers[kind] += 1
            token = f"<{kind.upper().replace('-', '_')}_{self._numbers[kind]}>"
            self._tokens[key] = token
        self.counts[self._current][kind] += 1
        return token

    def text(self, text: str, path: str) -> str:
        """`text` with every secret replaced by its token; counted under `path`."""
        self._current = path
        return redact_with(text, self.token)

    def name(self, name: str) -> str:
        """A file or folder name with secrets replaced, safe on every file system."""
        self._current = "(file names)"
        clean = redact_with(name, self.token)
        return clean.translate(_UNSAFE_IN_NAMES) if clean != name else clean

    def stream(self, chunks: Iterable[str], path: str) -> Iterator[str]:
        """Sanitize decoded text chunk by chunk, never cutting through a multi-line secret."""
        buf = ""
        for chunk in chunks:
            buf += chunk
            while len(buf) >= BLOCK_CHARS:
                cut = safe_cut(buf)
                yield self.text(buf[:cut], path)
                buf = buf[cut:]
        if buf:
            yield self.text(buf, path)

    def summary(self) -> dict[str, dict[str, int]]:
        """path -> kind -> how many secrets were masked there (never the values)."""
        return {path: dict(sorted(kinds.items())) for path, kinds in self.counts.items() if kinds}


_UNSAFE_IN_NAMES = str.maketrans({c: "_" for c in '<>:"|?*\\'})
_LONG_LINE_CUTS = ("},{", "}, {", "},\n", "],[", ", ", ",", " ", ";")


def safe_cut(buf: str) -> int:
    """Where to end the next block of `buf`: after a newline near BLOCK_CHARS, but before a
    construct that continues past it; in a giant line (minified JSON), after an object boundary."""
    nl = buf.rfind("\n", 0, BLOCK_CHARS)
    if nl >= 0:
        cut = nl + 1
    else:
        cut = BLOCK_CHARS
        for sep in _LONG_LINE_CUTS:
            at = buf.rfind(sep, BLOCK_CHARS // 2, BLOCK_CHARS)
            if at >= 0:
                cut = at + len(sep)
                break
    tail = unfinished_tail(buf[:cut])
    if tail is not None and tail >= BLOCK_CHARS // 4:
        cut = tail  # the construct starts late in the block: hand it whole to the next one
    return cut
