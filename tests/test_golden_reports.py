"""Every sample and reference capture still gets its reviewed diagnosis (tests/golden/).

A difference fails with both reports side by side; after review, `python tests/golden_reports.py`
rewrites the files and the diff shows what moved.
"""

from __future__ import annotations

import pytest
import yaml

from analyzer.analysis import load_ruleset
from tests.golden_reports import GOLDEN, inputs, summary

CASES = inputs()


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


@pytest.mark.parametrize("name", list(CASES))
def test_the_diagnosis_is_the_reviewed_one(name, ruleset):
    target = GOLDEN / f"{name}.yaml"
    assert target.exists(), f"no golden report for {name}: run python tests/golden_reports.py and review it"
    expected = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert summary(CASES[name], ruleset) == expected


def test_no_golden_report_outlives_its_input():
    names = {p.relative_to(GOLDEN).with_suffix("").as_posix() for p in GOLDEN.rglob("*.yaml")}
    assert names == set(CASES)
