"""`ccdiag scan --engine dask` gives the same reports as a local scan (a LocalCluster on 127.0.0.1)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from analyzer.cli import cli

distributed = pytest.importorskip("distributed")


def test_dask_engine_reports_equal_the_local_engine(tmp_path: Path):
    root = tmp_path / "fleet"
    for i, name in enumerate(
        ["claude-code/api-429-rate-limit.txt", "claude-code/dns-nxdomain.txt", "claude-code/tls-expired.txt"]
    ):
        (root / f"t{i}").mkdir(parents=True)
        shutil.copy(SAMPLES / name, root / f"t{i}" / "log.txt")
    runner = CliRunner()
    local = runner.invoke(cli, ["scan", "-j", "1", str(root), "--format", "jsonl"])
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=2, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as cluster:
        remote = runner.invoke(
            cli, ["scan", str(root), "--format", "jsonl", "--engine", "dask", "--scheduler", cluster.scheduler_address]
        )
    assert remote.exit_code == local.exit_code == 1, remote.stderr
    by_name = lambda out: {json.loads(line)["bundle"]: json.loads(line) for line in out.splitlines()}  # noqa: E731
    assert by_name(remote.stdout) == by_name(local.stdout)
    assert len(by_name(remote.stdout)) == 3


def test_dask_engine_without_a_scheduler_is_a_usage_error(tmp_path: Path):
    result = CliRunner().invoke(cli, ["scan", str(tmp_path), "--engine", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.stderr
