"""The lines of a block holding some wordings (`RuleSet.wordings`, lower case), for the
Hyperscan scanner of a big file's first pass.

One literal database, caseless, reports each wording at most once per block (SINGLEMATCH):
a common wording costs one report a block, not one a line. Only the wordings a block holds
and its caller still wants are then found line by line in the lower-cased block, which is
what decides, so the lines are exactly those a search of `block.lower()` finds.
"""

from __future__ import annotations

from collections.abc import Sequence

from .. import hsscan
from ..textio import utf8

# Characters whose lower case holds ASCII letters (U+0130 -> "i̇", KELVIN SIGN -> "k"):
# Hyperscan's caseless matching folds ASCII only, so a block holding one is searched in full.
FOLDS_TO_ASCII = ("\u0130", "\u212a")


def hyperscan_literal(word: str) -> bytes:
    """`word` as a Hyperscan literal: letters and digits as they are (so caseless folds them),
    every other byte escaped."""
    kept = (ch if ch.isascii() and ch.isalnum() else "".join(f"\\x{b:02x}" for b in ch.encode()) for ch in word)
    return "".join(kept).encode()


class WordingSearch:
    """One caseless, single-match literal database for a fixed list of wordings."""

    def __init__(self, hs, wordings: Sequence[str]):
        from .accel import _compile, _EmptyDb  # its disk cache: a second run loads the database

        self.words = sorted(wordings)
        flags = hs.HS_FLAG_CASELESS | hs.HS_FLAG_SINGLEMATCH
        self.db, failed = _compile(hs, [(hyperscan_literal(w), i, flags) for i, w in enumerate(self.words)])
        self.always = [self.words[i] for i in sorted(failed)]  # refused: looked for in every block
        self._empty = isinstance(self.db, _EmptyDb)

    def lines(self, block: str, words: dict[str, int]) -> list[tuple[int, str]]:
        """(0-based line, wording) for the first `words[w]` lines of the block holding each
        wording w, in line order."""
        if not block.isascii() and any(ch in block for ch in FOLDS_TO_ASCII):
            held = set(words)
        else:
            held = set(self.always)
            ids: list[int] = []
            if not self._empty:
                hsscan.scan(self.db, utf8(block), lambda i, _s, _e, _f, _c: ids.append(i))
            held.update(self.words[i] for i in ids)
        wanted = [w for w in held if words.get(w, 0) > 0]
        if not wanted:
            return []
        low = block.lower()
        found: list[tuple[int, str]] = []  # (offset, wording), one per line
        for w in wanted:
            left = words[w]
            pos = low.find(w)
            while pos >= 0:
                found.append((pos, w))
                left -= 1
                end = low.find("\n", pos)
                if not left or end < 0:
                    break
                pos = low.find(w, end + 1)
        found.sort()
        out = []
        line, counted = 0, 0
        for pos, w in found:
            line += low.count("\n", counted, pos)
            counted = pos
            out.append((line, w))
        return out
