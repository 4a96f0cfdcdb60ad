"""The lines a big file's parsers read for the wordings (`RuleSet.wordings`) are found by the
rules' own line scan: the first WORDING_EACH lines holding each wording, in any case, the same
with the Python scanner, with Hyperscan and with the file read in parts, and the same as a plain
search of the lower-cased lines finds. Sizes are scaled down as in test_firstpass; nothing is timed."""

from __future__ import annotations

import random
import sys

import pytest

from analyzer.analysis import LINE_TRIGGERS, load_ruleset
from analyzer.engine import RuleSet, Run
from analyzer.engine.wordscan import FOLDS_TO_ASCII
from analyzer.fastpath import firstpass
from analyzer.fastpath.focus import AROUND_DECIDING, WORDING_EACH
from analyzer.fastpath.gate import merge_windows
from tests.test_big_inputs import filler
from tests.test_firstpass import doc_at, small_parts  # noqa: F401 - a fixture

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="parts are forked on Linux only")

# Wordings in other cases, one many times (past WORDING_EACH), one on a line of other
# characters, and two spelt with characters whose lower case holds an ASCII letter.
PLANTED = [
    "2026-01-01T00:00:00.000Z [ERROR] Zscaler blocked the request",
    "2026-01-01T00:00:00.000Z [ERROR] ECONNRESET: SOCKET HANG UP — retrying",
    "2026-01-01T00:00:00.000Z [WARN] proxy said: «Netskope» денied",
    "2026-01-01T00:00:00.000Z [WARN] \u212aaspersky web filter",
    "2026-01-01T00:00:00.000Z [WARN] \u0130nvalid api key",
]


@pytest.fixture(scope="module")
def worded_log(tmp_path_factory):
    rng = random.Random(7)
    lines = filler(rng, 60_000)
    for i in range(300):
        lines.insert(rng.randrange(len(lines)), PLANTED[i % len(PLANTED)] if i % 4 else PLANTED[0])
    path = tmp_path_factory.mktemp("worded") / "big.log"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    assert path.stat().st_size > 4 * 1024 * 1024
    return path


def expected(path, wordings) -> list[tuple[int, int]]:
    """What a plain search finds: the first WORDING_EACH lines of each wording, lower-cased."""
    seen = dict.fromkeys(wordings, 0)
    spans = []
    before, after = AROUND_DECIDING
    for no, line in enumerate(path.read_text("utf-8").split("\n"), 1):
        low = line.lower()
        for w in wordings:
            if seen[w] < WORDING_EACH and w in low:
                seen[w] += 1
                spans.append((max(1, no - before), no + after))
    return merge_windows(spans)


@pytest.mark.parametrize("engine", ["python", "hyperscan"])
def test_the_scan_finds_the_wording_lines_a_plain_search_finds_in_one_pass_and_in_parts(
    small_parts,  # noqa: F811 - the fixture imported above
    worded_log,
    engine,
):
    if engine == "hyperscan":
        pytest.importorskip("hyperscan")
    ruleset = RuleSet(load_ruleset().rules)
    assert {"zscaler", "socket hang up", "netskope", "kaspersky", "invalid api key"} <= ruleset.wordings
    formats = ["claude-log"]
    want = expected(worded_log, sorted(ruleset.wordings))
    for jobs in (1, 3):
        doc = doc_at(worded_log)
        _, focus = firstpass.first_pass(doc, ruleset, Run(engine), str(worded_log), formats, LINE_TRIGGERS, jobs)
        assert focus.words.windows() == want, (engine, jobs)


def test_the_characters_whose_lower_case_holds_ascii_letters_are_all_known():
    folds = [chr(c) for c in range(128, 0x110000) if any(x.isascii() for x in chr(c).lower())]
    assert sorted(folds) == sorted(FOLDS_TO_ASCII)
