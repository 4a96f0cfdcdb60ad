"""Golden reports: the reviewed diagnosis of every bundled sample and reference capture.

    python tests/golden_reports.py            # rewrite tests/golden/ from the current code
    python tests/golden_reports.py --check    # list the inputs whose diagnosis differs

Each input gets one small YAML file under tests/golden/ (samples/<name>.yaml,
reference/<dir>/<file>.yaml) holding its formats and ranked causes with rule and confidence
(rounded to 0.01), so a change that moves a diagnosis shows up as a diff someone reviews.
tests/test_golden_reports.py compares every input with its file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden"
SAMPLES = ROOT / "samples"
REFERENCE = ROOT / "tests" / "data" / "reference"


def inputs() -> dict[str, Path]:
    """Golden file name (relative to GOLDEN, without .yaml) -> the input it describes."""
    out: dict[str, Path] = {}
    for sample in sorted(p for p in SAMPLES.iterdir() if p.is_dir()):
        out[f"samples/{sample.name}"] = sample
    for capture in sorted(p for p in REFERENCE.rglob("*") if p.is_file() and p.name != "SOURCE.txt"):
        out[f"reference/{capture.relative_to(REFERENCE).as_posix()}"] = capture
    return out


def summary(path: Path, ruleset: Any) -> dict[str, Any]:
    """What a golden file keeps of one input's report: formats, ranked causes, skipped files."""
    from analyzer.analysis import analyze

    result = analyze([str(path)], ruleset)
    return {
        "formats": sorted({i.format for i in result.inputs}),
        "diagnoses": [
            {"rank": n, "cause": f.cause, "rule": f.rule, "confidence": round(f.confidence, 2)}
            for n, f in enumerate(result.findings, 1)
        ],
        "skipped": sorted(s.reason for s in result.skipped),
    }


def dump(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=200)


def main(argv: list[str]) -> int:
    from analyzer.analysis import load_ruleset

    ruleset = load_ruleset()
    check = "--check" in argv
    differ = []
    for name, path in inputs().items():
        text = dump(summary(path, ruleset))
        target = GOLDEN / f"{name}.yaml"
        if target.exists() and target.read_text(encoding="utf-8") == text:
            continue
        differ.append(name)
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    stale = {p for p in GOLDEN.rglob("*.yaml")} - {GOLDEN / f"{n}.yaml" for n in inputs()}
    for path in sorted(stale):
        differ.append(f"{path.relative_to(GOLDEN)} (no such input)")
        if not check:
            path.unlink()
    print("\n".join(differ) if differ else "all golden reports match")
    return 1 if check and differ else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
