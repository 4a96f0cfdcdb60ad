"""Benchmark ccdiag against ripgrep on the same bytes, in one run.

    python bench/run.py                      # builds a small corpus in /tmp (about 15 s), measures, deletes it
    python bench/run.py --full               # the full corpus of bench/gen_corpus.py: 1 GB big.log, 1.8 GB in all
    python bench/run.py --corpus DIR         # an existing corpus from bench/gen_corpus.py
    python bench/run.py --corpus DIR --big mid.log --repeat 1

Measures (median of --repeat runs, warm page cache, bytecode cache on as in an installed copy):
  big.log      MB/s of `ccdiag analyze BIG --format json` with CCDIAG_ENGINE=hyperscan and =python
               (every core: a file of 64 MB or more is read in parts; and hyperscan with --jobs 1)
               vs `rg -c -f patterns_rg.txt BIG` (one thread on one file), and peak RSS (the biggest
               process: `/usr/bin/time` reports the largest of the process tree)
  batch/       files/s of `ccdiag scan batch --depth 2 --jobs 2 --format jsonl` (both engines)
               vs `rg -j2 -c -f patterns_rg.txt batch`
  session.har  seconds and peak RSS of `ccdiag analyze session.har --format json`
  small        wall time of `ccdiag analyze samples/proxy-407` (start-up included)
Wall times on a shared machine drift: the load average before and after is printed, and CPU
seconds (user + system) are given next to wall seconds. Prints a Markdown table.
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
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = ROOT / "bench" / "gen_corpus.py"
SMALL_BUNDLE = ROOT / "samples" / "proxy-407"
SMALL = ["--big-bytes", "100000000", "--batch-files", "2000", "--har-bytes", "20000000"]


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds
    rss_mb: int  # peak resident set size


def timed(cmd: list[str], env: dict[str, str]) -> Run:
    """One run, via /usr/bin/time for the peak RSS and CPU seconds when it is there.
    Exit status 0 or 1 (ccdiag: findings; rg: no match) is a run; anything else stops the benchmark."""
    wrap = Path("/usr/bin/time").exists()
    with tempfile.NamedTemporaryFile("r") as tf:
        t0 = time.perf_counter()
        proc = subprocess.run(
            (["/usr/bin/time", "-f", "%M %U %S", "-o", tf.name] if wrap else []) + cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )
        wall = time.perf_counter() - t0
        if proc.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(cmd)}: exit status {proc.returncode}\n{proc.stderr.decode()[-2000:]}")
        if not wrap:
            return Run(wall, 0.0, 0)
        rss, user, system = tf.read().strip().splitlines()[-1].split()
    return Run(wall, float(user) + float(system), int(rss) // 1024)


def find_ccdiag() -> str:
    """The `ccdiag` of the interpreter running this script (a venv), else the one on PATH."""
    beside = Path(sys.executable).parent / "ccdiag"
    return str(beside) if beside.exists() else (shutil.which("ccdiag") or "ccdiag")


def median_run(cmd: list[str], repeat: int, env: dict[str, str]) -> Run:
    runs = [timed(cmd, env) for _ in range(repeat)]
    return Run(
        statistics.median(r.wall for r in runs), statistics.median(r.cpu for r in runs), max(r.rss_mb for r in runs)
    )


def ccdiag_env(cache: Path, engine: str | None = None) -> dict[str, str]:
    """The environment of an installed copy: compiled bytecode kept (in a scratch folder)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "CCDIAG_ENGINE")}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    if engine:
        env["CCDIAG_ENGINE"] = engine
    return env


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--corpus", help="use this corpus folder (made by bench/gen_corpus.py)")
    ap.add_argument("--full", action="store_true", help="build the full 1 GB corpus instead of the small one")
    ap.add_argument("--keep", action="store_true", help="keep the corpus this run built")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--python-repeat", type=int, default=1, help="runs of the (slow) pure-Python engine")
    ap.add_argument("--ccdiag", default=find_ccdiag())
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
        with tempfile.TemporaryDirectory(prefix="ccdiag-pycache-") as cache:
            rows = measure(corpus, a.ccdiag, rg, a.repeat, a.python_repeat, a.big, Path(cache))
    finally:
        if built and not a.keep:
            shutil.rmtree(corpus, ignore_errors=True)
    print(report(rows, corpus, a.big))
    return 0


def measure(corpus: Path, ccdiag: str, rg: str, repeat: int, py_repeat: int, big_name: str, cache: Path) -> dict:
    pats = str(corpus / "patterns_rg.txt")
    big, batch, har = corpus / big_name, corpus / "batch", corpus / "session.har"
    hs, py, auto = ccdiag_env(cache, "hyperscan"), ccdiag_env(cache, "python"), ccdiag_env(cache)
    plain = dict(os.environ)
    out: dict = {
        "load_before": os.getloadavg(),
        "calib_before": calibrate(),
        "big_mb": big.stat().st_size / 1e6,
        "har_mb": har.stat().st_size / 1e6,
        "files": sum(1 for _ in batch.rglob("*.log")),
    }
    timed([ccdiag, "analyze", str(SMALL_BUNDLE), "--format", "json"], auto)  # writes the bytecode cache
    log = lambda what: print(f"  {time.strftime('%H:%M:%S')} {what}", file=sys.stderr)  # noqa: E731
    scan = [
        ccdiag,
        "scan",
        str(batch),
        "--depth",
        "2",
        "--jobs",
        "2",
        "--format",
        "jsonl",
        "--no-progress",
        "--fail-on",
        "none",
    ]
    log("rg big")
    out["rg_big"] = median_run([rg, "-c", "-f", pats, str(big)], repeat, plain)
    log("ccdiag big (hyperscan)")
    out["cc_big"] = median_run([ccdiag, "analyze", str(big), "--format", "json"], repeat, hs)
    log("ccdiag big (hyperscan, one process)")
    out["cc_big_1"] = median_run([ccdiag, "analyze", str(big), "--format", "json", "--jobs", "1"], repeat, hs)
    log("ccdiag big (python)")
    out["cc_big_py"] = median_run([ccdiag, "analyze", str(big), "--format", "json"], py_repeat, py)
    log("rg batch")
    out["rg_batch"] = median_run([rg, "-j2", "-c", "-f", pats, str(batch)], repeat, plain)
    log("ccdiag batch (hyperscan)")
    out["cc_batch"] = median_run(scan, repeat, hs)
    log("ccdiag batch (python)")
    out["cc_batch_py"] = median_run(scan, py_repeat, py)
    log("ccdiag har")
    out["cc_har"] = median_run([ccdiag, "analyze", str(har), "--format", "json"], repeat, auto)
    log("ccdiag small")
    out["cc_small"] = median_run([ccdiag, "analyze", str(SMALL_BUNDLE), "--format", "json"], max(repeat, 5), auto)
    out["load_after"] = os.getloadavg()
    out["calib_after"] = calibrate()
    return out


def calibrate() -> float:
    """Seconds for 10 million Python additions: shared VMs change speed by 2x and more, and
    this says how fast the machine was while it ran."""
    t0 = time.perf_counter()
    total = 0
    for i in range(10_000_000):
        total += i
    return time.perf_counter() - t0


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import hyperscan

        hs = f"hyperscan {getattr(hyperscan, '__version__', '?')}"
    except ImportError:
        hs = "no hyperscan"
    return f"{cpu}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {hs}"


def report(r: dict, corpus: Path, big_name: str) -> str:
    def rate(mb: float, run: Run) -> str:
        return f"{mb / run.wall:.1f} MB/s ({run.wall:.1f} s wall, {run.cpu:.1f} s CPU)"

    rg_mbs = r["big_mb"] / r["rg_big"].wall
    rg_fps = r["files"] / r["rg_batch"].wall
    cc, cc1, py = r["cc_big"], r["cc_big_1"], r["cc_big_py"]
    b, bp, h, s = r["cc_batch"], r["cc_batch_py"], r["cc_har"], r["cc_small"]
    lines = [
        f"Machine: {machine()}. Load average before/after: "
        f"{' '.join(f'{x:.2f}' for x in r['load_before'])} / {' '.join(f'{x:.2f}' for x in r['load_after'])}; "
        f"10M Python additions took {r['calib_before']:.2f} s before and {r['calib_after']:.2f} s after. "
        f"Corpus {corpus.name}: {big_name} {r['big_mb']:.0f} MB, {r['files']} batch files, "
        f"session.har {r['har_mb']:.0f} MB.",
        "",
        "| measure | ccdiag | ripgrep (same run) | ratio to rg | peak RSS |",
        "| --- | --- | --- | --- | --- |",
        f"| {big_name} end to end, CCDIAG_ENGINE=hyperscan | {rate(r['big_mb'], cc)} | {rg_mbs:.0f} MB/s | "
        f"{r['big_mb'] / cc.wall / rg_mbs:.3f}x | {cc.rss_mb} MB per process |",
        f"| {big_name} end to end, hyperscan, --jobs 1 | {rate(r['big_mb'], cc1)} | {rg_mbs:.0f} MB/s | "
        f"{r['big_mb'] / cc1.wall / rg_mbs:.3f}x | {cc1.rss_mb} MB |",
        f"| {big_name} end to end, CCDIAG_ENGINE=python | {rate(r['big_mb'], py)} | {rg_mbs:.0f} MB/s | "
        f"{r['big_mb'] / py.wall / rg_mbs:.3f}x | {py.rss_mb} MB per process |",
        f"| batch/ scan --jobs 2, hyperscan | {r['files'] / b.wall:.0f} files/s ({b.wall:.1f} s) | "
        f"{rg_fps:.0f} files/s (-j2) | {r['files'] / b.wall / rg_fps:.3f}x | {b.rss_mb} MB per process |",
        f"| batch/ scan --jobs 2, python | {r['files'] / bp.wall:.0f} files/s ({bp.wall:.1f} s) | "
        f"{rg_fps:.0f} files/s (-j2) | {r['files'] / bp.wall / rg_fps:.3f}x | {bp.rss_mb} MB per process |",
        f"| session.har | {h.wall:.2f} s wall, {h.cpu:.2f} s CPU ({r['har_mb'] / h.wall:.0f} MB/s) | | | {h.rss_mb} "
        "MB |",
        f"| small bundle ({SMALL_BUNDLE.name}, start-up included) | {s.wall:.2f} s wall, {s.cpu:.2f} s CPU | | | "
        f"{s.rss_mb} MB |",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
