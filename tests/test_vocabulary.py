"""Sources normalise, the vocabulary and the rules classify: analyzer/vocabulary.yaml holds what a
message or code means, and the sources' Python holds none of it."""

import re
from pathlib import Path

import pytest

from analyzer.engine.cache import _key
from analyzer.engine.loader import taxonomy
from analyzer.vocabulary import PATTERN_TABLES, VOCAB, Vocabulary

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "analyzer" / "sources").glob("*.py"))
VOCAB_TEXT = (ROOT / "analyzer" / "vocabulary.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_source_names_a_taxonomy_cause(path):
    text = path.read_text(encoding="utf-8")
    found = [cause for cause in taxonomy() if re.search(rf"(?<!\w){re.escape(cause)}(?!\w)", text)]
    assert found == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.name)
def test_no_source_keeps_a_catch_all_except(path):
    assert not re.search(r"except\s+(?:Exception|BaseException)\b|except\s*:", path.read_text(encoding="utf-8"))


def test_every_vocabulary_entry_says_where_its_wording_comes_from():
    entries = [ln for ln in VOCAB_TEXT.splitlines() if re.match(r"\s+(?:- |\"?[\w.-]+\"?: )", ln)]
    assert len(entries) > 150
    assert [ln for ln in entries if "  # " not in ln] == []


@pytest.mark.parametrize("table", PATTERN_TABLES)
def test_every_pattern_compiles_and_has_literals_for_the_gates(table):
    for rx, entry in VOCAB.patterns(table):
        assert rx.pattern == entry["match"]
        rx.search("")  # compiles
    assert VOCAB.wordings(table)


def test_a_claude_code_message_gets_its_message_code_and_implied_status():
    m, entry = VOCAB.first("claude_code_messages", "Invalid API key · Fix external API key")
    assert (entry["message_code"], entry["status"], entry.get("keep_message")) == (
        "invalid_api_key_external",
        401,
        True,
    )
    m, entry = VOCAB.first("claude_code_messages", "There's an issue with the selected model (claude-x)")
    assert (entry["message_code"], m.group("model")) == ("model_not_found", "claude-x")


def test_codes_and_reasons_mean_what_the_tables_say():
    assert "SELF_SIGNED_CERT_IN_CHAIN" in VOCAB.tls_codes and "ECONNRESET" not in VOCAB.tls_codes
    assert VOCAB.tls_code_for_reason("SSL: self signed certificate in certificate chain") == "SELF_SIGNED_CERT_IN_CHAIN"
    assert VOCAB.tls_code_for_reason("Hostname/IP does not match certificate's altnames") == (
        "ERR_TLS_CERT_ALTNAME_INVALID"
    )
    assert VOCAB.errno_codes["10061"] == "ECONNREFUSED"
    assert VOCAB.curl_exit_codes[60] == "CURLE_PEER_FAILED_VERIFICATION"
    assert VOCAB.status_for_error_type["overloaded_error"] == 529


def test_a_changed_vocabulary_is_a_new_rule_set_cache_key(tmp_path, monkeypatch):
    import analyzer.engine.cache as cache

    copy = tmp_path / "vocabulary.yaml"
    copy.write_text(VOCAB_TEXT, encoding="utf-8")
    monkeypatch.setattr(cache, "VOCABULARY", copy)
    before = _key([], [])
    copy.write_text(VOCAB_TEXT + "\n# changed\n", encoding="utf-8")
    assert _key([], []) != before


def test_a_vocabulary_file_is_read_once_and_only_when_used(tmp_path):
    path = tmp_path / "v.yaml"
    path.write_text(VOCAB_TEXT, encoding="utf-8")
    vocab = Vocabulary(path)
    path.unlink()  # nothing read yet
    with pytest.raises(FileNotFoundError):
        vocab.tls_codes  # noqa: B018 - the first use reads the file


def test_claude_code_message_wordings_reach_the_claude_log_line_gate():
    from analyzer.sources import claude_log

    gate = claude_log._line_gate(frozenset())
    words = VOCAB.wordings("claude_code_messages") + VOCAB.wordings("claude_code_connection_messages")
    assert all(any(f in w for f in gate.folded) for w in words)  # the word, or a part of it the gate keeps
    lines = [f"  ⎿  {w.upper()}" for w in words]
    assert all(hit for _, _, hit in gate.lines(lines))
    assert all(claude_log._terminal().search(line) for line in lines)


@pytest.mark.parametrize("fast", [True, False])
def test_the_line_gate_matches_words_as_written_and_folded_words_in_any_case(fast, monkeypatch):
    from analyzer.sources import sdk

    if not fast:
        monkeypatch.setattr(sdk, "ahocorasick", None)
    elif sdk.ahocorasick is None:
        pytest.skip("pyahocorasick not installed")
    gate = sdk.Gate(("Error",), folded=("credit balance is too low",))
    lines = ["Your Credit balance is too low", "error", "TypeError: x", "nothing here"]
    assert [hit for _, _, hit in gate.lines(lines)] == [True, False, True, False]
