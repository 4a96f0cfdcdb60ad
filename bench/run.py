"""Benchmark ccdiag against ripgrep on the same bytes, in one run.

    python bench/run.py                      # builds a small corpus in /tmp (about 2 min)
    python bench/run.py --full               # the 1 GB corpus of ../shared/bench (about 3 min to build)
    python bench/run.py --corpus DIR         # an existing corpus from gen_corpus.py

Measures (median of --repeat runs, warm cache):
  big.log      MB/s of `ccdiag analyze big.log --format json` (auto engine and CCDIAG_ENGINE=python)
               vs `rg -c -f patterns_rg.txt big.log`, and peak RSS
  batch/       files/s of `ccdiag scan batch --depth 2 --jobs 2 --format jsonl` vs `rg -j2 -c -f ...`
  session.har  seconds and peak RSS of `ccdiag analyze session.har --format json`
  small        wall time of `ccdiag analyze` on a 2 KB sample (start-up included)
Prints a Markdown table; the corpus is deleted afterwards unless --keep or --corpus.
"""
from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_corpus.py"
SMALL_SAMPLE = ROOT / "tests" / "data" / "reference" / "node" / "api-429.sdk.txt"
SMALL = ["--big-bytes", "100000000", "--batch-files", "2000", "--har-bytes", "20000000"]


def timed(cmd: list[str], env: dict | None = None) -> tuple[float, int]:
    """(wall seconds, peak RSS in MB) of one run, via /usr/bin/time when present."""
    full_env = {**os.environ, **(env or {})}
    if Path("/usr/bin/time").exists():
        with tempfile.NamedTemporaryFile("r") as tf:
            t0 = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", tf.name, *cmd], stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, env=full_env, check=False)
            wall = time.perf_counter() - t0
            rss = int(tf.read().strip().splitlines()[-1] or 0) // 1024
        return wall, rss
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=full_env, check=False)
    return time.perf_counter() - t0, 0


def median_run(cmd: list[str], repeat: int, env: dict | None = None) -> tuple[float, int]:
    runs = [timed(cmd, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="use this corpus folder (made by gen_corpus.py)")
    ap.add_argument("--full", action="store_true", help="build the full 1 GB corpus instead of the small one")
    ap.add_argument("--keep", action="store_true", help="keep the corpus this run built")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--ccdiag", default=shutil.which("ccdiag") or "ccdiag")
    ap.add_argument("--big", default="big.log", help="the large log to time (tiny.log / small.log / mid.log / big.log)")
    a = ap.parse_args()
    rg = shutil.which("rg")
    if rg is None:
        print("ripgrep (rg) is needed: apt-get install ripgrep", file=sys.stderr)
        return 2
    built = a.corpus is None
    corpus = Path(a.corpus or tempfile.mkdtemp(prefix="ccdiag-corpus-"))
    try:
        if built:
            print(f"building the corpus in {corpus} ...", file=sys.stderr)
            subprocess.run([sys.executable, str(GEN), "--out", str(corpus), *([] if a.full else SMALL)], check=True)
        rows = measure(corpus, a.ccdiag, rg, a.repeat, a.big)
    finally:
        if built and not a.keep:
            shutil.rmtree(corpus, ignore_errors=True)
    print(report(rows, corpus, a.big))
    return 0


def measure(corpus: Path, ccdiag: str, rg: str, repeat: int, big_name: str) -> dict:
    pats = str(corpus / "patterns_rg.txt")
    big = corpus / big_name
    mb = big.stat().st_size / 1e6
    out: dict = {"big_mb": mb}
    out["rg_big"] = median_run([rg, "-c", "-f", pats, str(big)], repeat)
    out["cc_big"] = median_run([ccdiag, "analyze", str(big), "--format", "json"], repeat)
    out["cc_big_py"] = median_run([ccdiag, "analyze", str(big), "--format", "json"], 1, {"CCDIAG_ENGINE": "python"})
    out["small_mb"] = mb
    files = sum(1 for _ in (corpus / "batch").rglob("*.log"))
    out["files"] = files
    out["rg_batch"] = median_run([rg, "-j2", "-c", "-f", pats, str(corpus / "batch")], repeat)
    out["cc_batch"] = median_run([ccdiag, "scan", str(corpus / "batch"), "--depth", "2", "--jobs", "2",
                                  "--format", "jsonl", "--no-progress", "--fail-on", "none"], repeat)
    out["cc_batch_py"] = median_run([ccdiag, "scan", str(corpus / "batch"), "--depth", "2", "--jobs", "2",
                                     "--format", "jsonl", "--no-progress", "--fail-on", "none"], 1,
                                    {"CCDIAG_ENGINE": "python"})
    out["har_mb"] = (corpus / "session.har").stat().st_size / 1e6
    out["cc_har"] = median_run([ccdiag, "analyze", str(corpus / "session.har"), "--format", "json"], repeat)
    out["cc_small"] = median_run([ccdiag, "analyze", str(SMALL_SAMPLE), "--format", "json"], max(repeat, 5))
    return out


def report(r: dict, corpus: Path, big_name: str) -> str:
    rg_mbs = r["big_mb"] / r["rg_big"][0]
    cc_mbs = r["big_mb"] / r["cc_big"][0]
    py_mbs = r["small_mb"] / r["cc_big_py"][0]
    rg_fps = r["files"] / r["rg_batch"][0]
    cc_fps = r["files"] / r["cc_batch"][0]
    py_fps = r["files"] / r["cc_batch_py"][0]
    lines = [
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        f"corpus {corpus.name}: {big_name} {r['big_mb']:.1f} MB, {r['files']} batch files, session.har {r['har_mb']:.0f} MB",
        "",
        "| measure | ccdiag | ripgrep | ratio to rg | peak RSS |",
        "| --- | --- | --- | --- | --- |",
        f"| {big_name} end to end (auto engine) | {cc_mbs:.1f} MB/s ({r['cc_big'][0]:.1f} s) | {rg_mbs:.0f} MB/s | "
        f"{cc_mbs / rg_mbs:.3f}x | {r['cc_big'][1]} MB |",
        f"| {big_name} end to end (CCDIAG_ENGINE=python) | {py_mbs:.2f} MB/s | {rg_mbs:.0f} MB/s | {py_mbs / rg_mbs:.4f}x | "
        f"{r['cc_big_py'][1]} MB |",
        f"| batch/ --jobs 2 (auto engine) | {cc_fps:.0f} files/s | {rg_fps:.0f} files/s (-j2) | {cc_fps / rg_fps:.3f}x | "
        f"{r['cc_batch'][1]} MB per process |",
        f"| batch/ --jobs 2 (python) | {py_fps:.0f} files/s | {rg_fps:.0f} files/s (-j2) | {py_fps / rg_fps:.3f}x | |",
        f"| session.har | {r['cc_har'][0]:.1f} s ({r['har_mb'] / r['cc_har'][0]:.1f} MB/s) | | | {r['cc_har'][1]} MB |",
        f"| 2 KB bundle (start-up included) | {r['cc_small'][0]:.2f} s | | | {r['cc_small'][1]} MB |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
