"""A new signal is one YAML file: a rule in a user rules folder, keyed on a wording that appears
nowhere in ccdiag's Python, fires on typed evidence, in a small file and in the middle of a big one."""

from pathlib import Path

import pytest

from analyzer import analyze
from analyzer.analysis import load_ruleset
from analyzer.textio import SPARSE_MIN_BYTES

ROOT = Path(__file__).resolve().parent.parent

# (a) a Claude Code API error with an error type no capture has shown, matched on error_type
API_LINE = (
    'API Error: 418 {"type":"error","error":{"type":"quokka_overflow_error",'
    '"message":"The request queue of the quokka overflowed"}}'
)
API_RULE = """\
id: user-quokka-overflow
cause: deprecated_endpoint
title: The API answered with a quokka overflow
severity: high
confidence: 0.9
match:
  quokka:
    kind: api-error
    field: error_type
    contains: [quokka_overflow_error]
fix: Ask the quokka.
"""
# (b) an SDK exception with a message no capture has shown, matched on the connect-error's message
SDK_LINES = """\
Traceback (most recent call last):
  File "/srv/app/ask.py", line 14, in <module>
    reply = client.messages.create(model="claude-sonnet-4-5", max_tokens=64, messages=messages)
anthropic.APIConnectionError: Wombat tunnel collapsed beneath the burrow
"""
SDK_RULE = """\
id: user-wombat-tunnel
cause: vpn_interference
title: A wombat tunnel collapsed
severity: high
confidence: 0.9
match:
  wombat:
    kind: connect-error
    field: message
    contains: [wombat tunnel collapsed]
fix: Dig again.
"""
# (b) again, the SDK's exception as Claude Code's debug log records it (no traceback around it)
SDK_RECORD = "2026-01-01T01:00:00.000Z [ERROR] anthropic.APIConnectionError: Wombat tunnel collapsed beneath the burrow"
# (c) a plain DEBUG record (no error level, none of the vocabulary's record words) that a `kind: log`
# rule keys on: the parsers' line gates and the record filter take the rules' wordings.
LOG_RECORD = "2026-01-01T00:00:00.000Z [DEBUG] Platypus ledger drifted past the quorum mark"
LOG_RULE = """\
id: user-platypus-ledger
cause: vpn_interference
title: The platypus ledger drifted
severity: high
confidence: 0.9
match:
  platypus:
    kind: log
    field: message
    contains: [platypus ledger drifted]
fix: Re-balance the ledger.
"""
CASES = {
    "api-error": (API_RULE, API_LINE),
    "sdk-exception": (SDK_RULE, SDK_LINES),
    "sdk-exception-record": (SDK_RULE, SDK_RECORD),
    "debug-record": (LOG_RULE, LOG_RECORD),
}


def test_the_invented_wordings_appear_nowhere_in_the_python_or_the_vocabulary():
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "analyzer").rglob("*.py"))
    code += (ROOT / "analyzer" / "vocabulary.yaml").read_text(encoding="utf-8")
    for word in ("quokka", "wombat", "burrow", "platypus", "ledger", "quorum"):
        assert word not in code.lower()


def filler(lines: int) -> str:
    """Debug-log lines of a healthy session, none of which mentions a failure."""
    out = []
    for i in range(lines):
        out.append(
            f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}.{i % 1000:03d}Z [DEBUG] Stream chunk {i}: "
            f"content_block_delta with {i % 97} tokens for message msg_{i:08d} (session 7f3a9c)"
        )
    return "\n".join(out) + "\n"


# An overload retry loop early in the session: more failure lines than a big file's parsers read
# per structural literal (fastpath.focus.INTEREST_EACH), so a later line is read for its wording or not at all.
RETRIES = "".join(
    f"2026-01-01T00:00:{i:02d}.500Z [ERROR] Error streaming, falling back to non-streaming mode: "
    f'API Error: 529 {{"type":"error","error":{{"type":"overloaded_error","message":"Overloaded"}}}}\n' + filler(30)
    for i in range(40)
)


@pytest.fixture(scope="module")
def big_filler() -> tuple[str, str]:
    """About 10 MB of a session log, in two halves: the retry loop and filler, then more filler."""
    half = filler(45_000)
    return RETRIES + half, half


def user_rules(tmp_path: Path, rule: str) -> Path:
    folder = tmp_path / "my-rules"
    folder.mkdir()
    rule_id = rule.split("\n", 1)[0].split(": ", 1)[1]
    (folder / f"{rule_id}.yaml").write_text(rule, encoding="utf-8")
    return folder


def fired(tmp_path: Path, rule: str, text: str) -> list[tuple[str, str]]:
    ruleset = load_ruleset([user_rules(tmp_path, rule)])
    log = tmp_path / "session.log"
    log.write_text(text, encoding="utf-8")
    diagnosis = analyze([str(log)], ruleset=ruleset)
    return [(f.rule, f.cause) for f in diagnosis.findings]


@pytest.mark.parametrize("case", CASES)
def test_a_yaml_only_rule_fires_on_a_new_wording_in_a_small_file(tmp_path, case):
    rule, line = CASES[case]
    rule_id, cause = rule.split("\n")[0].split(": ")[1], rule.split("\n")[1].split(": ")[1]
    found = fired(tmp_path, rule, filler(200) + line + "\n" + filler(200))
    assert (rule_id, cause) in found


@pytest.mark.parametrize("case", CASES)
def test_a_yaml_only_rule_fires_on_a_new_wording_in_the_middle_of_a_10_mb_log(tmp_path, case, big_filler):
    rule, line = CASES[case]
    rule_id, cause = rule.split("\n")[0].split(": ")[1], rule.split("\n")[1].split(": ")[1]
    head, tail = big_filler
    text = head + line + "\n" + tail
    assert len(text) > 2 * SPARSE_MIN_BYTES
    assert (rule_id, cause) in fired(tmp_path, rule, text)


def test_every_wording_a_typed_matcher_or_the_vocabulary_needs_reaches_the_big_file_gate(tmp_path):
    from analyzer.literals import MIN_WORDING, required_literals
    from analyzer.vocabulary import VOCAB

    ruleset = load_ruleset([user_rules(tmp_path, SDK_RULE)])
    needed = {lit for lit in VOCAB.wordings() if len(lit) >= MIN_WORDING}
    for rule in ruleset.rules.values():
        for m in rule.matchers.values():
            if not m.is_line and (m.contains or m.patterns):
                needed |= {lit for lit in required_literals(m.contains, m.patterns) or () if len(lit) >= MIN_WORDING}
    assert "wombat tunnel collapsed" in needed
    assert needed <= ruleset.wordings
    assert set(ruleset.python_scanner.word_anchor) == set(ruleset.wordings)


def test_every_record_word_of_the_vocabulary_reaches_the_claude_log_gates():
    """`claude_log_record_words`: a DEBUG record holding one, in any of the spellings logs use, passes
    the line gate, is kept as `log` evidence, and is a trigger of a big file's sparse view."""
    from analyzer.sources import claude_log
    from analyzer.vocabulary import VOCAB

    words = VOCAB.data["claude_log_record_words"]
    assert words
    gate = claude_log._line_gate(frozenset())
    for word in words:
        for spelling in {word, word.upper(), word.capitalize()}:
            record = f"2026-01-01T00:00:00.000Z [DEBUG] then {spelling} here"
            assert [hit for _, _, hit in gate.lines([record])] == [True], spelling
            assert claude_log._wanted(frozenset()).search(record.lower()), spelling
            assert (spelling, "[DEBUG]") in claude_log.TRIGGERS, spelling


def test_every_rule_wording_reaches_the_per_line_gates(tmp_path):
    """RuleSet.wordings, handed to the parsers: a line holding one (in any case) passes the claude-log
    line gate and makes a DEBUG record `log` evidence; without them the invented one does not."""
    from analyzer.sources import claude_log

    ruleset = load_ruleset([user_rules(tmp_path, LOG_RULE)])
    assert "platypus ledger drifted" in ruleset.wordings
    gate = claude_log._line_gate(ruleset.wordings)
    for word in sorted(ruleset.wordings):
        record = f"2026-01-01T00:00:00.000Z [DEBUG] x {word.upper()} y"
        assert [hit for _, _, hit in gate.lines([record])] == [True], word
        assert claude_log._wanted(ruleset.wordings).search(record.lower()), word
    assert [hit for _, _, hit in claude_log._line_gate(frozenset()).lines([LOG_RECORD])] == [False]


def test_parse_takes_the_rules_wordings_and_parse_doc_still_works():
    from conftest import doc_from_text

    from analyzer.sources import claude_log

    text = filler(5) + LOG_RECORD + "\n"
    assert not [e for e in claude_log.parse(doc_from_text(text)) if "Platypus" in e.text]
    wordings = frozenset({"platypus ledger drifted"})
    found = [e for e in claude_log.parse(doc_from_text(text), wordings=wordings) if "Platypus" in e.text]
    assert [(e.kind, e.fields["level"], e.where.line) for e in found] == [("log", "DEBUG", 6)]


def test_every_failure_word_of_the_vocabulary_is_a_claude_log_interest():
    """`claude_log_failure_words`: a big file's claude-log parser reads around the lines holding one."""
    from analyzer.analysis import LINE_TRIGGERS
    from analyzer.sources import claude_log
    from analyzer.vocabulary import VOCAB

    words = VOCAB.data["claude_log_failure_words"]
    assert words and all(word in claude_log.INTEREST for word in words)
    assert all(word in LINE_TRIGGERS.interest["claude-log"] for word in words)
