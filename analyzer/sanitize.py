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
from collections.abc import Iterable, Iterator

from .redact import PEM_MAX, STRUCT_MAX, redact_with, unfinished_tail

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
                if cut is None:
                    break  # a private key or secret value runs past the block: read on
                yield self.text(buf[:cut], path)
                buf = buf[cut:]
        while len(buf) > BLOCK_CHARS:
            cut = safe_cut(buf, final=True)
            yield self.text(buf[:cut], path)
            buf = buf[cut:]
        if buf:
            yield self.text(buf, path)

    def summary(self) -> dict[str, dict[str, int]]:
        """path -> kind -> how many secrets were masked there (never the values)."""
        return {path: dict(sorted(kinds.items())) for path, kinds in self.counts.items() if kinds}


_UNSAFE_IN_NAMES = str.maketrans({c: "_" for c in '<>:"|?*\\'})
_LONG_LINE_CUTS = ("},{", "}, {", "},\n", "],[", ", ", ",", " ", ";")
CONSTRUCT_MAX = max(PEM_MAX, STRUCT_MAX)  # the longest multi-line secret a block waits for


def safe_cut(buf: str, final: bool = False) -> int | None:
    """Where to end the next block of `buf`: after a newline near BLOCK_CHARS, but before a
    construct that continues past it (a private key, a secret-named JSON value, a `name:` line
    whose `value:` follows). None: wait for more text, the block starts with such a construct."""
    cut = _line_cut(buf, BLOCK_CHARS)
    tail = unfinished_tail(buf[:cut])
    if tail is None:
        return cut
    if tail > 0:
        return tail  # hand the construct whole to the next block
    if len(buf) < BLOCK_CHARS + CONSTRUCT_MAX and not final:
        return None
    cut = _line_cut(buf, BLOCK_CHARS + CONSTRUCT_MAX)
    return unfinished_tail(buf[:cut]) or cut


def _line_cut(buf: str, limit: int) -> int:
    """After the last newline before `limit`; in a giant line (minified JSON) after an object boundary."""
    nl = buf.rfind("\n", 0, limit)
    if nl >= 0:
        return nl + 1
    for sep in _LONG_LINE_CUTS:
        at = buf.rfind(sep, limit // 2, limit)
        if at >= 0:
            return at + len(sep)
    return limit
