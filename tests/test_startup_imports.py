"""A run the disk caches serve (rules, vocabulary) imports neither PyYAML nor, for JSON, rich:
both are a fair part of a small bundle's start-up."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

SCRIPT = """
import sys
from analyzer.analysis import analyze
from analyzer.report import RENDERERS
RENDERERS["json"](analyze([sys.argv[1]]))
print(sorted(m for m in ("yaml", "rich") if m in sys.modules))
"""


def test_a_cached_json_run_imports_no_yaml_and_no_rich(tmp_path):
    env = {"CCDIAG_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-c", SCRIPT, str(ROOT / "samples" / "proxy-407")]
    subprocess.run(run, env=env, check=True, capture_output=True)  # fills the caches
    second = subprocess.run(run, env=env, check=True, capture_output=True, text=True)
    assert second.stdout.strip() == "[]"
