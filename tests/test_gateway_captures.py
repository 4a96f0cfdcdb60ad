"""The gateway captures (tests/data/gateways, SOURCE.txt there) are well-formed labelled cases.

Each folder is one real run of a gateway between a client and a local upstream: its truth must name taxonomy ids,
its evidence must quote the lines it points at, and the only keys in it are the kit's placeholders. The scores
themselves are `ccdiag rules eval tests/data/gateways`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from analyzer.engine.loader import taxonomy

ROOT = Path(__file__).resolve().parent.parent
GATEWAYS = ROOT / "tests" / "data" / "gateways"
CAPTURES = sorted(p for p in GATEWAYS.iterdir() if p.is_dir() and p.name != "kit")
EVIDENCE = re.compile(r"^(?P<file>[\w.-]+):(?P<line>\d+) — (?P<text>.*)$", re.S)
# An sk- token: the kit's placeholders end in PLACEHOLDER; the upstream mock's masked one has asterisks.
KEY = re.compile(r"sk-[A-Za-z0-9_*-]{6,}")


def test_there_are_captures_of_both_gateways() -> None:
    names = [p.name for p in CAPTURES]
    assert any(n.startswith("litellm-") for n in names)
    assert any(n.startswith("ccr-") for n in names)


@pytest.mark.parametrize("case", CAPTURES, ids=lambda p: p.name)
def test_capture_is_a_labelled_case(case: Path) -> None:
    truth = yaml.safe_load((case / "truth.yaml").read_text(encoding="utf-8"))
    assert (case / "terminal.txt").exists()
    ids = set(taxonomy()) | {"none"}
    assert truth["root_cause"] in ids
    assert set(truth["also_plausible"]) <= ids - {"none"}
    assert truth["root_cause"] not in truth["also_plausible"]
    assert truth["source"].startswith("gateway capture (")
    assert truth["notes"].startswith("Why this root cause: ")
    assert "CHECK FAILED" not in truth["notes"]
    for item in truth["evidence"]:
        m = EVIDENCE.match(item)
        assert m, item
        lines = (case / m["file"]).read_text(encoding="utf-8").splitlines()
        n = int(m["line"])
        assert 1 <= n <= len(lines), item
        assert lines[n - 1].strip().startswith(m["text"]), item


@pytest.mark.parametrize("case", CAPTURES, ids=lambda p: p.name)
def test_only_placeholder_keys(case: Path) -> None:
    for f in case.iterdir():
        for key in KEY.findall(f.read_text(encoding="utf-8")):
            assert key.endswith("PLACEHOLDER") or "*" in key, f"{f.name}: {key}"


def test_kit_faults_name_taxonomy_ids() -> None:
    faults = yaml.safe_load((GATEWAYS / "kit" / "faults.yaml").read_text(encoding="utf-8"))["faults"]
    ids = set(taxonomy()) | {"none"}
    for name, fault in faults.items():
        assert fault["truth"]["root_cause"] in ids, name
        assert set(fault["truth"]["also_plausible"]) <= ids, name
