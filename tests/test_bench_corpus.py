"""bench/gen_corpus.py: a small corpus has every file, the sizes asked for, the same bytes for the
same seed, a valid HAR, and exactly the signature lines its manifest says."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bench import patterns as P

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "bench" / "gen_corpus.py"
REFERENCE = ROOT / "tests" / "data" / "reference"
# 2.2 MB: tiny.log (2 MB) is a real prefix; a signature every ~20 lines plants each one at least once
ARGS = [
    "--big-bytes",
    "2200000",
    "--batch-files",
    "5",
    "--har-bytes",
    "200000",
    "--every",
    "20",
    "--pool-units",
    "3000",
]
LOGS = ("big.log", "mid.log", "small.log", "tiny.log")


def generate(out: Path, *extra: str) -> Path:
    subprocess.run([sys.executable, str(GEN), "--out", str(out), *ARGS, *extra], check=True, capture_output=True)
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    return generate(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="module")
def manifest(corpus) -> dict:
    return json.loads((corpus / "manifest.json").read_text())


def files_of(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_files_and_sizes(corpus, manifest):
    for name in (*LOGS, "session.har", "patterns_rg.txt", "patterns_grep.txt", "manifest.json"):
        assert (corpus / name).is_file(), name
    big = (corpus / "big.log").read_bytes()
    assert 2_200_000 <= len(big) < 2_200_000 + 100_000
    assert big.endswith(b"\n")
    assert (corpus / "mid.log").read_bytes() == big  # smaller than 100 MB / 10 MB: the whole of big.log
    assert (corpus / "small.log").read_bytes() == big
    tiny = (corpus / "tiny.log").read_bytes()
    assert 1_900_000 < len(tiny) <= 2_000_000 and tiny.endswith(b"\n") and big.startswith(tiny)
    for name in LOGS:
        data = (corpus / name).read_bytes()
        assert manifest[name]["bytes"] == len(data) and manifest[name]["lines"] == data.count(b"\n"), name
    batch = sorted((corpus / "batch").rglob("*.log"))
    assert [p.relative_to(corpus / "batch").as_posix() for p in batch] == [
        f"d{i:02d}/session-{i:05d}.log" for i in range(5)
    ]
    pats = [re.compile(line) for line in (corpus / "patterns_rg.txt").read_text().splitlines()]
    for p in batch:  # 1-50 KB of background, plus the injected lines (many here: one every ~20 lines)
        background = [ln for ln in p.read_text().splitlines(True) if not any(rx.search(ln) for rx in pats)]
        assert 1_000 <= p.stat().st_size and sum(map(len, background)) <= 50_000, p
    assert manifest["batch"]["files"] == 5 and manifest["batch"]["bytes"] == sum(p.stat().st_size for p in batch)
    assert 200_000 <= (corpus / "session.har").stat().st_size < 400_000


def test_same_seed_same_bytes(corpus, tmp_path):
    assert files_of(generate(tmp_path / "again")) == files_of(corpus)
    other = generate(tmp_path / "other", "--seed", "7")
    assert (other / "big.log").read_bytes() != (corpus / "big.log").read_bytes()


def test_har_is_har_1_2(corpus, manifest):
    text = (corpus / "session.har").read_text()
    har = json.loads(text)
    assert har["log"]["version"] == "1.2" and har["log"]["creator"]["name"]
    entries = har["log"]["entries"]
    assert len(entries) == manifest["har"]["entries"] > 0
    for e in entries:
        assert {"startedDateTime", "time", "request", "response", "cache", "timings"} <= e.keys()
        assert e["request"]["method"] == "POST" and e["request"]["url"].startswith("https://")
        assert isinstance(e["response"]["status"], int) and "text" in e["response"]["content"]
    assert text.count("\n") > 50 * len(entries)  # pretty-printed, as a browser exports it


def count_lines(path: Path, pats: list[re.Pattern]) -> tuple[int, list[int]]:
    per, matched = [0] * len(pats), 0
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            hit = [i for i, p in enumerate(pats) if p.search(line)]
            matched += bool(hit)
            for i in hit:
                per[i] += 1
    return matched, per


def test_every_pattern_matches_what_the_manifest_says(corpus, manifest):
    lines = (corpus / "patterns_rg.txt").read_text().splitlines()
    assert len(lines) == len(manifest["patterns"]) == len(P.SIGNATURES)
    pats = [re.compile(line) for line in lines]
    for name in ("big.log", "tiny.log"):
        matched, per = count_lines(corpus / name, pats)
        assert matched == manifest[name]["matched_lines"] > 0, name
        assert per == manifest[name]["per_pattern"], name
    assert all(n >= 1 for n in manifest["big.log"]["per_pattern"]), "a signature never planted"
    assert sum(manifest["big.log"]["injected"]) == manifest["big.log"]["matched_lines"]


@pytest.mark.parametrize("tool", ["grep", "rg"])
def test_grep_and_ripgrep_count_the_same(corpus, manifest, tool):
    exe = shutil.which(tool)
    if exe is None:
        pytest.skip(f"{tool} is not installed")
    pats = corpus / ("patterns_grep.txt" if tool == "grep" else "patterns_rg.txt")
    cmd = [exe, "-E", "-c", "-f", str(pats)] if tool == "grep" else [exe, "-c", "-f", str(pats)]
    for name in ("big.log", "tiny.log"):
        out = subprocess.run([*cmd, str(corpus / name)], capture_output=True, text=True, check=True).stdout
        assert int(out) == manifest[name]["matched_lines"], name


def test_signatures_are_real_wordings():
    compiled = [s.compile() for s in P.SIGNATURES]
    for s, rx in zip(P.SIGNATURES, compiled, strict=True):
        capture = REFERENCE / s.source
        assert s.example in capture.read_text(encoding="utf-8").splitlines(), (s.name, s.source)
        assert rx.search(s.example), s.name
        assert re.search(s.rg_line(), s.example), s.name
    for line, source in P.NEAR_MISSES:
        assert line in (REFERENCE / source).read_text(encoding="utf-8").splitlines(), source
        assert not any(rx.search(line) for rx in compiled), line


def test_grep_form_folds_case_by_hand():
    assert P._fold_letters(r"no_proxy\s*=\s*[0-9]{2,}") == r"[nN][oO]_[pP][rR][oO][xX][yY]\s*=\s*[0-9]{2,}"
    with pytest.raises(ValueError):
        P._fold_letters("[a-z]+")
