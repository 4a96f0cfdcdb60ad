"""`ccdiag scan`: bundles found, one report each, the fleet summary, and the resumable database."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SAMPLES

from analyzer.cli import cli
from analyzer.scan.db import ScanDB
from analyzer.scan.discover import bundles, content_hash

RATE_LIMIT = SAMPLES / "claude-code" / "api-429-rate-limit.txt"
DNS = SAMPLES / "claude-code" / "dns-nxdomain.txt"


@pytest.fixture
def fleet(tmp_path: Path) -> Path:
    root = tmp_path / "attachments"
    (root / "ticket-1").mkdir(parents=True)
    shutil.copy(RATE_LIMIT, root / "ticket-1" / "terminal.txt")
    (root / "ticket-2").mkdir()
    shutil.copy(DNS, root / "ticket-2" / "output.txt")
    (root / "ticket-3.txt").write_text("all good, nothing to see\n")
    (root / "ticket-4.bin").write_bytes(b"\0\1\2\3" * 600)
    return root


def _scan(*args: str):
    return CliRunner().invoke(cli, ["scan", "--jobs", "1", *args])


def test_each_entry_of_a_folder_is_one_bundle_and_depth_zero_keeps_the_folder_whole(fleet):
    names = [b.name for b in bundles([str(fleet)], depth=1)]
    assert [Path(n).name for n in names] == ["ticket-1", "ticket-2", "ticket-3.txt", "ticket-4.bin"]
    assert [b.name for b in bundles([str(fleet)], depth=0)] == [str(fleet)]


def test_jsonl_has_one_analyze_report_per_bundle_with_its_name(fleet):
    result = _scan(str(fleet), "--format", "jsonl")
    records = [json.loads(line) for line in result.stdout.splitlines()]
    by_name = {Path(r["bundle"]).name: r for r in records}
    assert set(by_name) == {"ticket-1", "ticket-2", "ticket-3.txt", "ticket-4.bin"}
    assert by_name["ticket-1"].get("diagnoses"), by_name["ticket-1"]
    assert by_name["ticket-1"]["diagnoses"][0]["cause"] == "rate_limited"
    assert by_name["ticket-1"]["schema"] == "ccdiag.report/1"
    assert by_name["ticket-4.bin"]["status"] == "unreadable"
    assert "Fleet summary: 4 bundles" in result.stderr
    assert result.exit_code == 1  # a bundle has a finding, as `ccdiag analyze` would say


def test_the_summary_counts_causes_names_examples_and_lists_undiagnosed_and_skipped(fleet):
    result = _scan(str(fleet))
    out = result.stdout
    assert "rate_limited" in out and "ticket-1" in out
    assert "No diagnosis (1)" in out and "ticket-3.txt" in out
    assert "Skipped (1)" in out and "ticket-4.bin: nothing readable (binary file)" in out


def test_csv_has_a_header_and_a_row_per_bundle(fleet):
    rows = _scan(str(fleet), "--format", "csv").stdout.splitlines()
    assert rows[0].startswith("bundle,status,top_cause")
    assert len(rows) == 5


def test_a_rerun_with_db_skips_unchanged_bundles_and_rescans_changed_ones(fleet, tmp_path):
    db = str(tmp_path / "scan.sqlite")
    first = _scan(str(fleet), "--db", db, "--format", "jsonl")
    assert all("cached" not in json.loads(line) for line in first.stdout.splitlines())
    (fleet / "ticket-3.txt").write_text("Error: getaddrinfo ENOTFOUND api.anthropic.com\n")
    second = [json.loads(line) for line in _scan(str(fleet), "--db", db, "--format", "jsonl").stdout.splitlines()]
    cached = {Path(r["bundle"]).name for r in second if r.get("cached")}
    assert cached == {"ticket-1", "ticket-2", "ticket-4.bin"}
    rows = sqlite3.connect(db).execute("SELECT count(*), count(DISTINCT bundle) FROM bundles").fetchone()
    assert rows == (4, 4)


def test_rows_made_before_the_report_gained_keys_are_made_again(fleet, tmp_path, monkeypatch):
    db = str(tmp_path / "scan.sqlite")
    _scan(str(fleet), "--db", db)
    monkeypatch.setattr("analyzer.report.as_json.REVISION", -1)  # as if the rows came from an older report
    again = [json.loads(line) for line in _scan(str(fleet), "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert len(again) == 4 and not any(r.get("cached") for r in again)
    assert all("why_steps" in d for r in again for d in r.get("diagnoses") or ())


def test_an_interrupted_scan_resumes_without_losing_or_repeating_bundles(fleet, tmp_path, monkeypatch):
    db = str(tmp_path / "scan.sqlite")
    import analyzer.scan.work as work

    real = work.run_bundle
    calls = []

    def dies_on_third(name, *args, **kw):
        calls.append(name)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(name, *args, **kw)

    monkeypatch.setattr("analyzer.scan.engines.run_bundle", dies_on_third)
    interrupted = _scan(str(fleet), "--db", db)
    assert interrupted.exit_code == 130
    assert len(ScanDB(db).known(next(iter(_versions(db))))) == 2
    monkeypatch.setattr("analyzer.scan.engines.run_bundle", real)
    resumed = [json.loads(line) for line in _scan(str(fleet), "--db", db, "--format", "jsonl").stdout.splitlines()]
    assert sum(1 for r in resumed if r.get("cached")) == 2
    assert len({r["bundle"] for r in resumed}) == 4
    assert sqlite3.connect(db).execute("SELECT count(*) FROM bundles").fetchone() == (4,)


def _versions(db: str) -> set[str]:
    return {v for (v,) in sqlite3.connect(db).execute("SELECT DISTINCT ruleset FROM bundles")}


def test_summary_from_the_db_matches_the_summary_of_the_scan(fleet, tmp_path):
    db = str(tmp_path / "scan.sqlite")
    scanned = _scan(str(fleet), "--db", db, "--format", "jsonl")
    again = _scan("--db", db, "--summary")
    assert again.stdout.strip() == scanned.stderr.strip()
    assert again.exit_code == scanned.exit_code == 1


def test_summary_without_db_is_a_usage_error():
    result = _scan("--summary")
    assert result.exit_code == 2 and "--summary needs --db" in result.stderr


def test_a_file_that_is_not_a_database_is_reported_in_one_line(tmp_path, fleet):
    bad = tmp_path / "x.sqlite"
    bad.write_text("not sqlite" * 200)
    result = _scan(str(fleet), "--db", str(bad))
    assert result.exit_code == 3 and result.stderr.count("\n") == 1 and "x.sqlite" in result.stderr


def test_two_worker_processes_give_the_same_reports_as_one(fleet):
    one = sorted(_scan(str(fleet), "--format", "jsonl").stdout.splitlines())
    two = sorted(CliRunner().invoke(cli, ["scan", "-j", "2", str(fleet), "--format", "jsonl"]).stdout.splitlines())
    assert one == two


def test_content_hash_changes_with_a_file_inside_a_folder(fleet):
    before = content_hash(str(fleet / "ticket-1"))
    (fleet / "ticket-1" / "more.txt").write_text("x")
    assert content_hash(str(fleet / "ticket-1")) != before


def test_nothing_to_scan_is_bad_input(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert _scan(str(empty)).exit_code == 3


def test_html_is_one_fleet_page_with_every_bundle_and_its_report(fleet, tmp_path):
    from html.parser import HTMLParser

    page = tmp_path / "fleet.html"
    result = _scan(str(fleet), "--format", "html", "-o", str(page))
    assert result.exit_code == 1, result.output  # rate limit found: --fail-on low
    text = page.read_text(encoding="utf-8")

    class Ids(HTMLParser):
        def __init__(self):
            super().__init__()
            self.ids: list[str] = []

        def handle_starttag(self, tag, attrs):
            self.ids += [v for k, v in attrs if k == "id" and v and v.startswith("bundle-")]

    parser = Ids()
    parser.feed(text)
    names = sorted(b.name for b in bundles([str(fleet)], depth=1))
    assert text.startswith("<!DOCTYPE html>") and sorted(parser.ids) == [
        f"bundle-{i}" for i in range(1, len(names) + 1)
    ]
    assert all(name in text for name in names)
    assert "rate_limited" in text and "dns_failure" in text
