"""The terminal report: fits the width it is given or detects, colours only a terminal and never
with NO_COLOR, and with --verbose says why each candidate ranked where it did."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.analysis import analyze, load_ruleset
from analyzer.cli import cli
from analyzer.report import as_text
from analyzer.report.why import why_text

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "reference"
ESCAPE = "\x1b["
# Two real captures of one proxy problem, plus other real failures: several ranked candidates.
INPUTS = [str(ROOT / "samples" / "proxy-407"), str(REFERENCE / "claude-code")]


@pytest.fixture(scope="module")
def diagnosis():
    d = analyze(INPUTS, ruleset=load_ruleset(strict=False))
    assert len(d.findings) > as_text.SHOWN, "precondition: more candidates than the default listing shows"
    return d


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_verbose_report_says_why_each_candidate_ranked_where_it_did(diagnosis):
    out = as_text.render(diagnosis, verbose=True, color=False, width=400)
    blocks = re.split(r"(?m)^(?=\d+\. )", out)[1:]
    assert len(blocks) == len(diagnosis.findings)
    for index, (block, f) in enumerate(zip(blocks, diagnosis.findings, strict=True)):
        assert block.startswith(f"{index + 1}. {f.cause}")
        assert "why this rank:" in block
        neighbour = (
            f"above #2 {diagnosis.findings[1].cause}"
            if index == 0
            else f"below #{index} {diagnosis.findings[index - 1].cause}"
        )
        assert neighbour in block
        for step in f.why:
            assert why_text(step) in block


def test_default_report_lists_the_top_candidates_without_the_reasons(diagnosis):
    out = as_text.render(diagnosis, verbose=False, color=False, width=100)
    assert "why this rank" not in out
    assert len(re.findall(r"(?m)^\d+\. ", out)) == as_text.SHOWN
    assert f"+{len(diagnosis.findings) - as_text.SHOWN} lower-ranked candidates" in out


@pytest.mark.parametrize("width", [60, 100, 160])
def test_report_lines_fit_the_width(diagnosis, width):
    out = as_text.render(diagnosis, verbose=True, color=False, width=width)
    assert max(len(line) for line in out.splitlines()) <= width
    assert not [line for line in out.splitlines() if line != line.rstrip()]


def test_colour_only_when_asked_and_never_with_no_color(diagnosis, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert ESCAPE in as_text.render(diagnosis, color=True, width=100)
    assert ESCAPE not in as_text.render(diagnosis, color=False, width=100)
    monkeypatch.setenv("NO_COLOR", "1")
    assert ESCAPE not in as_text.render(diagnosis, color=True, width=100)


def test_width_and_colour_follow_the_output_stream(monkeypatch):
    monkeypatch.setenv("COLUMNS", "73")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert as_text.terminal_width(io.StringIO()) == 73
    assert as_text.terminal_width(FakeTerminal()) == 73  # rich's detection honours COLUMNS too
    assert as_text.wants_color(FakeTerminal()) and not as_text.wants_color(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "")
    assert not as_text.wants_color(FakeTerminal())
    monkeypatch.delenv("COLUMNS")
    assert as_text.terminal_width(io.StringIO()) == as_text.DEFAULT_WIDTH


def test_piped_command_output_has_no_colour_codes():
    result = CliRunner().invoke(cli, ["analyze", str(ROOT / "samples" / "proxy-407"), "--verbose"])
    assert result.exit_code in (0, 1), result.output
    assert "why this rank:" in result.stdout
    assert ESCAPE not in result.stdout
