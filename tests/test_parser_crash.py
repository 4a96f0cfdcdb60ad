"""A parser that stops on an internal error is reported, not hidden: the report's `skipped`
names the file, the format and the error (redacted), the rest of the bundle is still
diagnosed, and the traceback shows only with --traceback. The crash is injected by replacing
a source's `parse`, so these tests hold whether or not the sources catch their own errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer import sources
from analyzer.analysis import analyze, load_ruleset
from analyzer.cli import cli
from tests.conftest import ROOT

GOOD = 'API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}\n'
SECRET = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH"
CURL = ROOT / "samples" / "proxy-407" / "curl-v.txt"


def _crashing_parse(doc, wordings=frozenset()):
    raise ValueError(f"cannot read x-api-key: {SECRET}")
    yield  # a generator, as a parser is


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "terminal.txt").write_text(GOOD)
    shutil.copy(CURL, folder / "curl-v.txt")
    return folder


def test_a_parser_crash_is_in_skipped_and_the_rest_of_the_bundle_is_diagnosed(bundle, monkeypatch):
    monkeypatch.setattr(sources.SOURCES["curl"], "parse", _crashing_parse)
    d = analyze([str(bundle)], ruleset=load_ruleset())
    crashes = [s for s in d.skipped if s.format]
    assert len(crashes) == 1
    crash = crashes[0]
    assert crash.path == str(bundle / "curl-v.txt") and crash.format == "curl"
    assert crash.error.startswith("ValueError: cannot read x-api-key: sk-ant-api03-")
    assert SECRET not in crash.error and SECRET not in crash.reason and SECRET not in crash.traceback
    assert "the curl parser stopped" in crash.reason
    assert "geo_restricted" in [f.cause for f in d.findings]  # the other file's parser ran


def test_what_a_parser_yielded_before_it_stopped_still_counts(bundle, monkeypatch):
    parse = sources.SOURCES["curl"].parse

    def stops_at_the_end(doc, wordings=frozenset()):
        yield from parse(doc, wordings=wordings)
        raise RuntimeError("stopped late")

    monkeypatch.setattr(sources.SOURCES["curl"], "parse", stops_at_the_end)
    d = analyze([str(bundle / "curl-v.txt")], ruleset=load_ruleset())
    assert [(s.format, s.error) for s in d.skipped] == [("curl", "RuntimeError: stopped late")]
    assert "proxy_auth_required" in [f.cause for f in d.findings]


def test_the_json_report_lists_the_crash_and_no_traceback_without_the_flag(bundle, monkeypatch):
    monkeypatch.setattr(sources.SOURCES["curl"], "parse", _crashing_parse)
    result = CliRunner().invoke(cli, ["analyze", str(bundle), "--format", "json", "--fail-on", "none"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    crash = [s for s in report["skipped"] if s.get("format") == "curl"]
    assert len(crash) == 1 and set(crash[0]) == {"path", "reason", "format", "error"}
    assert crash[0]["error"].startswith("ValueError: ")
    assert "geo_restricted" in [d["cause"] for d in report["diagnoses"]]
    assert "the curl parser stopped" in result.stderr
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    assert SECRET not in result.stdout + result.stderr


def test_with_traceback_the_cli_prints_the_parser_traceback_to_stderr(bundle, monkeypatch):
    monkeypatch.setattr(sources.SOURCES["curl"], "parse", _crashing_parse)
    result = CliRunner().invoke(cli, ["analyze", str(bundle), "--format", "json", "--fail-on", "none", "--traceback"])
    assert result.exit_code == 0, result.output
    assert "Traceback (most recent call last)" in result.stderr
    assert "_crashing_parse" in result.stderr
    assert "Traceback" not in result.stdout and SECRET not in result.stderr


def test_a_crash_inside_a_real_parser_reaches_the_report(bundle, monkeypatch):
    """The crash is raised deep in the curl parser's own code (its end-of-transfer step), where
    the source used to catch everything and return: the report must now say so."""
    from analyzer.sources import curl

    def broken_end(st):
        raise KeyError("a parser bug")
        yield

    monkeypatch.setattr(curl, "_end_transfer", broken_end)
    d = analyze([str(bundle)], ruleset=load_ruleset())
    crash = [s for s in d.skipped if s.format == "curl"]
    assert len(crash) == 1 and crash[0].error == "KeyError: 'a parser bug'"
    assert "proxy_auth_required" in [f.cause for f in d.findings]  # what the parser yielded first still counts
