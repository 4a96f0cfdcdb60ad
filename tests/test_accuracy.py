"""The catalog's score on the committed real reports and lab captures stays at or above the floors
in tests/accuracy_floor.yaml (`ccdiag rules eval tests/data/cases tests/data/lab` shows it)."""

from __future__ import annotations

import pytest
import yaml

from analyzer import evaluate
from analyzer.analysis import load_ruleset
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
FLOORS = yaml.safe_load((ROOT / "tests" / "accuracy_floor.yaml").read_text(encoding="utf-8"))
METRICS = {"top1", "top1_ok", "top3", "mrr"}


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def test_every_floor_names_a_committed_set_and_a_metric():
    assert FLOORS, "tests/accuracy_floor.yaml is empty"
    for name, floor in FLOORS.items():
        assert evaluate.select(DATA / name), f"no cases under tests/data/{name}"
        assert set(floor) <= METRICS and all(0 < v <= 1 for v in floor.values()), f"{name}: {floor}"


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_the_score_does_not_fall_below_its_floor(name, ruleset):
    result = evaluate.score(evaluate.select(DATA / name), ruleset)
    summary = result.summary
    below = [f"{m} {summary[m]:.3f} < floor {v:.3f}" for m, v in FLOORS[name].items() if summary[m] < v]
    misses = "\n".join(f"  {r.case}: want {r.want}, got {', '.join(r.got) or '-'}" for r in result.misses())
    assert not below, f"tests/data/{name}: {'; '.join(below)}\n{result.summary_line()}\nmisses:\n{misses}"
