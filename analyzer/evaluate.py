"""Score ranked diagnoses against labelled cases, in process (`ccdiag rules eval`). Prints nothing.

A case is a folder of artifacts plus a truth.yaml naming the root cause (a taxonomy id, or
`none` for a healthy capture). The scoring is the team's scorer's (score.py, a copy in
tests/data/eval/), so the two give the same numbers:

  top1      the first diagnosis names the root cause
  top1_ok   the first diagnosis names the root cause or one of also_plausible
  top3      the root cause is among the first three distinct causes
  mrr       mean reciprocal rank of the root cause (0 when absent)

A healthy case passes when no diagnosis reaches confidence 0.5. A case's fold comes from its
source (the thread it was taken from), so `--fold 4/4` holds the same cases in both.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import time
from collections import defaultdict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .engine import RuleSet
from .errors import AnalyzerError
from .model import Diagnosis

QUIET = 0.5  # a healthy capture passes when nothing reaches this confidence
TRUTH = "truth.yaml"


@dataclass(frozen=True)
class CaseResult:
    case: str
    want: str
    got: list[str]  # the first three distinct causes
    top1: bool
    top1_ok: bool
    top3: bool
    rr: float
    seconds: float
    error: str


@dataclass(frozen=True)
class CauseScore:
    cause: str
    cases: int
    top1: int
    top3: int


@dataclass(frozen=True)
class SetScore:
    """The score of one folder of cases: score.py's summary and rows."""

    rows: list[CaseResult]

    @property
    def summary(self) -> dict[str, Any]:
        n = len(self.rows) or 1
        out: dict[str, Any] = {
            k: round(sum(getattr(r, k) for r in self.rows) / n, 3) for k in ("top1", "top1_ok", "top3")
        }
        out["mrr"] = round(sum(r.rr for r in self.rows) / n, 3)
        out["cases"] = len(self.rows)
        out["errors"] = sum(1 for r in self.rows if r.error)
        return out

    def summary_line(self) -> str:
        s = self.summary
        return (
            f"cases={s['cases']} top1={s['top1']:.3f} top1_ok={s['top1_ok']:.3f} "
            f"top3={s['top3']:.3f} mrr={s['mrr']:.3f} errors={s['errors']}"
        )

    def by_cause(self) -> list[CauseScore]:
        """One entry per wanted cause, the most top-1 misses first."""
        groups: dict[str, list[CaseResult]] = defaultdict(list)
        for r in self.rows:
            groups[r.want].append(r)
        scores = [
            CauseScore(cause, len(rs), sum(r.top1 for r in rs), sum(r.top3 for r in rs)) for cause, rs in groups.items()
        ]
        return sorted(scores, key=lambda c: (c.top1 - c.cases, c.cause))

    def misses(self) -> list[CaseResult]:
        return [r for r in self.rows if not r.top1]

    def as_dict(self) -> dict[str, Any]:
        """score.py's --json shape, plus the per-cause table."""
        return {
            "summary": self.summary,
            "cases": [asdict(r) for r in self.rows],
            "by_cause": [asdict(c) for c in self.by_cause()],
        }


def load_truth(case: Path) -> dict[str, Any]:
    import yaml

    with open(case / TRUTH, encoding="utf-8") as fh:
        try:
            truth = yaml.safe_load(fh)
        except yaml.YAMLError as exc:
            raise AnalyzerError(f"not YAML: {str(exc).splitlines()[0]}", str(case / TRUTH)) from exc
    if not isinstance(truth, dict) or not truth.get("root_cause"):
        raise AnalyzerError("no root_cause", str(case / TRUTH))
    return truth


def fold_of(case: Path, k: int) -> int:
    """1..k, stable: from the case's source thread (its folder name when it names none)."""
    key = str(load_truth(case).get("source") or case.name).split("#")[0].rstrip("/")
    return int(hashlib.sha256(key.encode()).hexdigest(), 16) % k + 1


def parse_fold(text: str) -> tuple[int, int]:
    try:
        i, k = (int(x) for x in text.split("/"))
    except ValueError:
        i = k = 0
    if not (k >= 2 and 1 <= i <= k):
        raise ValueError(f"fold {text!r}: give I/K with 2 <= K and 1 <= I <= K, e.g. 2/4")
    return i, k


def select(cases_dir: Path, fold: str | None = None, not_fold: str | None = None) -> list[Path]:
    """The case folders (those with a truth.yaml) of `cases_dir`, by name, within the fold asked."""
    cases = sorted(p for p in cases_dir.iterdir() if (p / TRUTH).is_file())
    if fold:
        i, k = parse_fold(fold)
        cases = [c for c in cases if fold_of(c, k) == i]
    if not_fold:
        i, k = parse_fold(not_fold)
        cases = [c for c in cases if fold_of(c, k) != i]
    return cases


def ranked_causes(d: Diagnosis) -> list[tuple[str, float]]:
    """Distinct causes in rank order with the confidence of each one's first diagnosis."""
    seen: set[str] = set()
    out = []
    for f in d.findings:
        if f.cause and f.cause not in seen:
            seen.add(f.cause)
            out.append((f.cause, float(f.confidence)))
    return out


def diagnose(case: Path, ruleset: RuleSet) -> Diagnosis:
    """The case's files but truth.yaml, analysed as one bundle."""
    from .analysis import analyze

    with tempfile.TemporaryDirectory(prefix="ccdiag-case-") as tmp:
        # A neutral folder name, as score.py uses: the case's name must not hint at the answer.
        bundle = Path(tmp) / "bundle"
        shutil.copytree(case, bundle, ignore=shutil.ignore_patterns(TRUTH))
        return analyze([str(bundle)], ruleset)


def score_case(case: Path, ruleset: RuleSet) -> CaseResult:
    truth = load_truth(case)
    want = str(truth["root_cause"])
    ok_set = {want, *(truth.get("also_plausible") or [])}
    start = time.perf_counter()
    error = ""
    try:
        causes = ranked_causes(diagnose(case, ruleset))
    except AnalyzerError as exc:  # score.py's "the command failed": the case counts as missed
        causes, error = [], str(exc)
    secs = round(time.perf_counter() - start, 3)
    names = [c for c, _ in causes]
    if want == "none":
        passed = not error and all(conf < QUIET for _, conf in causes)
        return CaseResult(
            case.name,
            want,
            names[:3],
            top1=passed,
            top1_ok=passed,
            top3=passed,
            rr=float(passed),
            seconds=secs,
            error=error,
        )
    rank = names.index(want) + 1 if want in names else 0
    return CaseResult(
        case.name,
        want,
        names[:3],
        top1=rank == 1,
        top1_ok=bool(names) and names[0] in ok_set,
        top3=0 < rank <= 3,
        rr=1.0 / rank if rank else 0.0,
        seconds=secs,
        error=error,
    )


def score(cases: list[Path], ruleset: RuleSet) -> SetScore:
    return SetScore([score_case(case, ruleset) for case in cases])
