"""Hostile uploads: bombs, traversal, links, devices, giant lines, odd encodings, broken JSON,
hostile rules. Each must be refused in one line (or read safely) while the rest of the bundle
is still diagnosed, and nothing may be written outside the private temporary space."""

from __future__ import annotations

import gzip
import io
import os
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import hypothesis
import hypothesis.strategies as st
import pytest
from click.testing import CliRunner

from analyzer import bundle
from analyzer.analysis import analyze, load_ruleset
from analyzer.bundle import Limits
from analyzer.cli import cli
from tests.conftest import ROOT

GOOD = 'API Error: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}\n'
GOOD_CAUSE = "geo_restricted"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset()


def diagnose(paths, ruleset, **limits):
    return analyze([str(p) for p in paths], ruleset=ruleset, limits=Limits(**limits))


def reasons(d) -> dict[str, str]:
    return {s.path: s.reason for s in d.skipped}


def causes(d) -> list[str]:
    return [f.cause for f in d.findings]


def ccdiag(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120):
    """The real command in a subprocess: a hang fails the test instead of stalling the suite."""
    return subprocess.run(
        [sys.executable, "-m", "analyzer", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def zeros_member(zf: zipfile.ZipFile, name: str, size: int, fill: bytes = b"\0") -> None:
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zf.open(info, "w") as out:
        block = fill * MB
        for _ in range(size // MB):
            out.write(block)


# ----------------------------------------------------------------- archive bombs and limits


def test_a_zip_bomb_member_is_refused_by_its_ratio_and_the_rest_is_diagnosed(tmp_path, ruleset):
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "huge.log", 64 * MB)
        zf.writestr("terminal.txt", GOOD)
    d = diagnose([bomb], ruleset)
    assert "compression ratio" in reasons(d)[f"{bomb}!huge.log"]
    assert GOOD_CAUSE in causes(d)


def test_a_zip_that_lies_about_its_sizes_is_refused_after_what_it_declares(tmp_path, ruleset):
    liar = tmp_path / "liar.zip"
    with zipfile.ZipFile(liar, "w", zipfile.ZIP_DEFLATED) as zf:
        zeros_member(zf, "small.txt", 32 * MB, fill=b"A")
        zf.writestr("terminal.txt", GOOD)
    data = bytearray(liar.read_bytes())
    struct.pack_into("<I", data, 22, 100)  # local header: uncompressed size
    central = data.index(b"PK\x01\x02")
    struct.pack_into("<I", data, central + 24, 100)  # central directory: uncompressed size
    liar.write_bytes(bytes(data))
    d = diagnose([liar], ruleset)
    # decompression stops at the declared 100 bytes, where the checksum no longer matches
    assert "Bad CRC-32" in reasons(d)[f"{liar}!small.txt"]
    assert GOOD_CAUSE in causes(d)


def test_an_archive_that_expands_far_beyond_its_size_stops_with_one_line(tmp_path, ruleset):
    many = tmp_path / "many.zip"
    with zipfile.ZipFile(many, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("terminal.txt", GOOD)
        for i in range(40):  # each under the per-member ratio grace, together a bomb
            zf.writestr(f"part{i:02}.log", b"\0" * (MB - 1))
    d = diagnose([many], ruleset)
    lines = [r for p, r in reasons(d).items() if p == str(many)]
    assert len(lines) == 1 and "expands beyond" in lines[0]
    assert GOOD_CAUSE in causes(d)


def test_a_gzip_bomb_nested_in_a_zip_is_refused_and_its_sibling_is_read(tmp_path, ruleset):
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb") as gz:
        for _ in range(64):
            gz.write(b"\0" * MB)
    outer = tmp_path / "outer.zip"
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("logs.txt.gz", raw.getvalue())
        zf.writestr("terminal.txt", GOOD)
    d = diagnose([outer], ruleset)
    assert "compression ratio" in reasons(d)[f"{outer}!logs.txt"]
    assert GOOD_CAUSE in causes(d)


def test_archives_nested_deeper_than_the_limit_are_refused_and_shallower_files_read(tmp_path, ruleset):
    inner = GOOD.encode()
    name = "terminal.txt"
    for level in range(4, 0, -1):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            zf.writestr(name, inner)
            if level == 1:
                zf.writestr("top.txt", GOOD)
        inner, name = buf.getvalue(), f"level{level}.zip"
    top = tmp_path / "nested.zip"
    top.write_bytes(inner)
    d = diagnose([top], ruleset, max_depth=2)
    refused = [r for r in reasons(d).values() if "nested deeper than 2" in r]
    assert len(refused) == 1
    assert f"{top}!top.txt" in {i.path for i in d.inputs}
    assert GOOD_CAUSE in causes(d)


def test_the_file_count_limit_is_one_line_per_folder_or_archive(tmp_path, ruleset):
    folder = tmp_path / "many"
    folder.mkdir()
    (folder / "a-terminal.txt").write_text(GOOD)
    for i in range(30):
        (folder / f"f{i:02}.txt").write_text("nothing here\n")
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for i in range(30):
            zf.writestr(f"z{i:02}.txt", "nothing here\n")
    d = diagnose([folder, archive], ruleset, max_files=10)
    assert len(d.inputs) == 10
    assert [p for p in reasons(d)] == [str(folder), str(archive)]
    assert all("file count limit" in r for r in reasons(d).values())
    assert GOOD_CAUSE in causes(d)


def test_the_total_size_limit_refuses_what_does_not_fit_and_reads_the_rest(tmp_path, ruleset):
    first, second, big = tmp_path / "a.txt", tmp_path / "b.txt", tmp_path / "c.log"
    first.write_text(GOOD)
    big.write_text("x\n" * (400 * 1024))
    second.write_text("y\n" * (400 * 1024))
    d = diagnose([first, big, second], ruleset, max_total_bytes=MB)
    assert "bundle larger than 1 MB" in reasons(d)[str(second)]
    assert GOOD_CAUSE in causes(d)


def test_hundreds_of_refused_members_become_a_capped_list_with_a_count(tmp_path, ruleset):
    archive = tmp_path / "links.tar"
    with tarfile.open(archive, "w") as tf:
        for i in range(bundle.MAX_SKIPPED_PER_ARCHIVE + 50):
            link = tarfile.TarInfo(f"l{i}")
            link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
            tf.addfile(link)
        data = GOOD.encode()
        info = tarfile.TarInfo("terminal.txt")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
    d = diagnose([archive], ruleset)
    assert len(d.skipped) == bundle.MAX_SKIPPED_PER_ARCHIVE + 1
    assert "50 more members refused" in d.skipped[-1].reason
    assert GOOD_CAUSE in causes(d)


# ----------------------------------------------------------------- traversal, links, devices


def hostile_tar(path: Path) -> None:
    with tarfile.open(path, "w:gz") as tf:

        def add(name: str, data: bytes = b"", **attrs) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            for key, value in attrs.items():
                setattr(info, key, value)
            tf.addfile(info, io.BytesIO(data) if data else None)

        add("../../evil-dotdot.txt", b"ESCAPED\n")
        add("/tmp/ccdiag-evil-absolute.txt", b"ESCAPED\n")
        add("a/../../../evil-nested.txt", b"ESCAPED\n")
        add("passwd.txt", type=tarfile.SYMTYPE, linkname="/etc/passwd")
        add("hard.txt", type=tarfile.LNKTYPE, linkname="/etc/passwd")
        add("dev-null", type=tarfile.CHRTYPE, devmajor=1, devminor=3)
        add("disk", type=tarfile.BLKTYPE, devmajor=8, devminor=0)
        add("pipe", type=tarfile.FIFOTYPE)
        add("bundle/terminal.txt", ("x" * 20000 + "\n" + GOOD).encode())


def test_a_hostile_tar_is_read_without_writing_anything_outside_the_private_temp_space(tmp_path, monkeypatch, ruleset):
    archive = tmp_path / "upload" / "bundle.tar.gz"
    archive.parent.mkdir()
    hostile_tar(archive)
    work, spool = tmp_path / "cwd", tmp_path / "tmp"
    work.mkdir()
    spool.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    monkeypatch.setattr(bundle, "SPOOL_IN_MEMORY", 1024)  # force the spool files onto disk
    d = diagnose([archive], ruleset)
    why = reasons(d)
    assert why[f"{archive}!passwd.txt"] == "link in archive not followed"
    assert why[f"{archive}!hard.txt"] == "link in archive not followed"
    assert {why[f"{archive}!{n}"] for n in ("dev-null", "disk", "pipe")} == {"device or special file in archive"}
    shown = {i.path for i in d.inputs}
    assert {
        f"{archive}!evil-dotdot.txt",
        f"{archive}!tmp/ccdiag-evil-absolute.txt",
        f"{archive}!a/evil-nested.txt",
    } <= shown
    assert GOOD_CAUSE in causes(d)
    assert list(work.iterdir()) == [] and list(spool.iterdir()) == []
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["bundle.tar.gz", "cwd", "tmp", "upload"]
    assert not Path("/tmp/ccdiag-evil-absolute.txt").exists()


def test_traversal_names_links_and_devices_in_a_zip_are_refused_or_contained(tmp_path, ruleset):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../evil.txt", "ESCAPED\n")
        zf.writestr("C:\\evil\\win.txt", "ESCAPED\n")
        link = zipfile.ZipInfo("passwd.txt")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
        device = zipfile.ZipInfo("tty")
        device.external_attr = 0o020666 << 16
        zf.writestr(device, "")
        zf.writestr("terminal.txt", GOOD)
    d = diagnose([archive], ruleset)
    why = reasons(d)
    assert why[f"{archive}!passwd.txt"] == "symbolic link in archive not followed"
    assert why[f"{archive}!tty"] == "device or special file in archive"
    assert {f"{archive}!evil.txt", f"{archive}!C:/evil/win.txt"} <= {i.path for i in d.inputs}
    assert GOOD_CAUSE in causes(d)


def test_links_and_pipes_in_an_uploaded_folder_are_not_followed_and_do_not_hang(tmp_path, ruleset):
    folder = tmp_path / "upload"
    folder.mkdir()
    (folder / "terminal.txt").write_text(GOOD)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "etc").symlink_to("/etc", target_is_directory=True)
    os.mkfifo(folder / "pipe")
    d = diagnose([folder], ruleset)
    why = reasons(d)
    assert why[str(folder / "passwd.txt")] == "symbolic link not followed"
    assert why[str(folder / "etc")] == "symbolic link to a folder not followed"
    assert why[str(folder / "pipe")] == "not a regular file"
    assert GOOD_CAUSE in causes(d)


def test_control_characters_in_member_names_cannot_reach_the_terminal(tmp_path, ruleset):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("log\x1b]52;c;ZXZpbA==\x07\x1b[2J\u202etxt.exe", GOOD)
    d = diagnose([archive], ruleset)
    (shown,) = [i.path for i in d.inputs]
    assert not any(ord(c) < 32 or c == "\u202e" for c in shown)


# ----------------------------------------------------------------- awkward files


def test_a_100_mb_line_without_newline_neither_hangs_nor_fills_memory(tmp_path):
    big = tmp_path / "minified.txt"
    with open(big, "wb") as fh:
        block = b"Minified" * 128  # one 100 MB word: quadratic patterns show here
        for _ in range(100 * 1024):
            fh.write(block)
        fh.write(b"\n" + GOOD.encode())
    code = (
        "import resource, sys, json; from analyzer.analysis import analyze; d = analyze([sys.argv[1]]); "
        "print(json.dumps([[f.cause for f in d.findings], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(big)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    found, peak_kb = __import__("json").loads(result.stdout)
    assert GOOD_CAUSE in found
    assert peak_kb < 400 * 1024, "the giant line was held in memory"


def test_binary_and_empty_files_are_one_line_each(tmp_path, ruleset):
    (tmp_path / "core.bin").write_bytes(bytes(range(256)) * 64)
    (tmp_path / "empty.log").write_bytes(b"")
    (tmp_path / "terminal.txt").write_text(GOOD)
    d = diagnose([tmp_path], ruleset)
    assert reasons(d) == {str(tmp_path / "core.bin"): "binary file", str(tmp_path / "empty.log"): "empty file"}
    assert GOOD_CAUSE in causes(d)


TEXT = (
    "Name                           Value\n----                           -----\n"
    "HTTPS_PROXY                    http://proxy.corp.example:8080\n" + GOOD
)


@pytest.mark.parametrize(
    "encoding,data",
    [
        ("utf-16-le with BOM", b"\xff\xfe" + TEXT.encode("utf-16-le")),
        ("utf-16-le without BOM (PowerShell >)", TEXT.encode("utf-16-le")),
        ("utf-16-be with BOM", b"\xfe\xff" + TEXT.encode("utf-16-be")),
        ("utf-16-be without BOM", TEXT.encode("utf-16-be")),
        ("latin-1", ("caf\xe9 na\xefve\n" + TEXT).encode("latin-1")),
        ("utf-8 with BOM", b"\xef\xbb\xbf" + TEXT.encode()),
    ],
)
def test_every_text_encoding_is_diagnosed_like_utf8(tmp_path, ruleset, encoding, data):
    plain, odd = tmp_path / "plain.txt", tmp_path / "odd.txt"
    plain.write_text(TEXT)
    odd.write_bytes(data)
    assert causes(diagnose([odd], ruleset)) == causes(diagnose([plain], ruleset)) != []


@pytest.mark.parametrize(
    "name,text",
    [
        (
            "truncated.har",
            '{"log": {"version": "1.2", "creator": {"name": "Chrome"}, "entries": [{"request": {"url": "https://api.',
        ),
        ("deep.har", '{"log": {"entries": [' + "[" * 200_000 + "]" * 200_000 + "]}}"),
        ("deep-error.json", '{"type": "error", "error": ' * 100_000 + "{}" + "}" * 100_000),
        ("deep-body.txt", "API Error: 529 " + '{"error":' * 50_000 + "1" + "}" * 50_000),
        ("deep-list.txt", "Error: " + "[" * 300_000),
        ("unclosed.json", '{"env": {"HTTPS_PROXY": "http://p:1", "x": [' * 1000),
    ],
)
def test_truncated_or_deeply_nested_json_does_not_stop_the_analysis(tmp_path, ruleset, name, text):
    (tmp_path / name).write_text(text)
    (tmp_path / "terminal.txt").write_text(GOOD)
    d = diagnose([tmp_path], ruleset)
    assert not [r for r in reasons(d).values() if "parser stopped" in r or "Recursion" in r]
    assert GOOD_CAUSE in causes(d)


def test_a_deeply_nested_settings_file_is_read_in_linear_time(tmp_path):
    hostile = tmp_path / "settings.json"
    hostile.write_text('{"apiKeyHelper": "/bin/key", "permissions": ' + '{"a":' * 40_000 + "1" + "}" * 40_000 + "}")
    (tmp_path / "terminal.txt").write_text(GOOD)
    result = ccdiag("analyze", str(tmp_path), "--format", "json", "--fail-on", "none", timeout=15)
    assert result.returncode == 0, result.stderr[-2000:]
    assert GOOD_CAUSE in result.stdout


def test_standard_input_that_is_a_bomb_is_refused_in_one_line(tmp_path):
    raw = io.BytesIO()
    with gzip.GzipFile(fileobj=raw, mode="wb") as gz:
        for _ in range(64):
            gz.write(b"\0" * MB)
    result = CliRunner().invoke(cli, ["analyze", "-", "--format", "json"], input=raw.getvalue())
    assert result.exit_code == 3
    assert result.stderr.count("\n") == 1 and "compression ratio" in result.stderr


# ----------------------------------------------------------------- rules are data


def write_rule(folder: Path, rule_id: str, body: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{rule_id}.yaml").write_text(body)


def test_a_rule_file_cannot_run_python_while_it_is_loaded(tmp_path):
    marker = tmp_path / "pwned"
    write_rule(
        tmp_path / "rules",
        "evil",
        f"""\
id: evil
cause: !!python/object/apply:os.system ["touch {marker}"]
title: x
severity: high
confidence: 0.5
match: {{m: {{contains: [x]}}}}
fix: x
""",
    )
    (tmp_path / "terminal.txt").write_text(GOOD)
    result = ccdiag("analyze", str(tmp_path / "terminal.txt"), "--rules", str(tmp_path / "rules"))
    assert result.returncode == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "evil.yaml:2" in lines[0] and "invalid YAML" in lines[0]
    assert not marker.exists()


@pytest.mark.parametrize("pattern", [r"(a|aa)+$", r"(\w+\s?)*$"])
def test_a_catastrophic_user_regex_is_reported_and_skipped_not_waited_for(tmp_path, pattern):
    write_rule(
        tmp_path / "rules",
        "redos",
        f"""\
id: redos
cause: network_unreachable
title: a rule with a catastrophic pattern
severity: high
confidence: 0.9
match:
  evil:
    contains: [aaaa]
    pattern: '{pattern}'
fix: none
""",
    )
    (tmp_path / "terminal.txt").write_text("a" * 5000 + "!\n" + "aaaa " * 2000 + "!\n" + GOOD)
    result = ccdiag(
        "analyze",
        str(tmp_path / "terminal.txt"),
        "--rules",
        str(tmp_path / "rules"),
        "--format",
        "json",
        "--fail-on",
        "none",
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = __import__("json").loads(result.stdout)
    assert {"path": "rule:redos", "reason": "a regex of this rule exceeded its time budget; rule skipped"} in report[
        "skipped"
    ]
    assert GOOD_CAUSE in [d["cause"] for d in report["diagnoses"]]


# ----------------------------------------------------------------- ccdiag redact on the same inputs


def test_redacting_a_hostile_archive_writes_only_inside_the_output(tmp_path, monkeypatch):
    archive = tmp_path / "upload" / "bundle.tar.gz"
    archive.parent.mkdir()
    hostile_tar(archive)
    monkeypatch.chdir(tmp_path / "upload")
    result = CliRunner().invoke(cli, ["redact", str(archive), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    written = sorted(str(p.relative_to(tmp_path / "out")) for p in (tmp_path / "out").rglob("*") if p.is_file())
    assert written == ["a/evil-nested.txt", "bundle/terminal.txt", "evil-dotdot.txt", "tmp/ccdiag-evil-absolute.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "upload"]
    assert "link in archive not followed" in result.stderr and "device or special file" in result.stderr


def test_redact_takes_the_same_limit_flags_as_analyze(tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.txt", "x\n")
        zf.writestr("b.txt", "y\n")
    one = CliRunner().invoke(cli, ["redact", str(archive), "-o", str(tmp_path / "one"), "--max-files", "1"])
    flat = CliRunner().invoke(cli, ["redact", str(archive), "-o", str(tmp_path / "flat"), "--max-depth", "0"])
    assert one.exit_code == 0 and [p.name for p in (tmp_path / "one").iterdir()] == ["a.txt"]
    assert "file count limit reached (1; raise with --max-files)" in one.stderr
    assert flat.exit_code == 3 and "nested deeper than 0 levels" in flat.stderr
    assert not (tmp_path / "flat").exists()


def test_a_zip_listing_far_more_entries_than_the_file_limit_is_refused_before_its_directory_is_loaded(
    tmp_path, ruleset
):
    crowd = tmp_path / "crowd.zip"
    with zipfile.ZipFile(crowd, "w") as zf:
        for i in range(400):
            zf.writestr(f"e{i}", b"")
    (tmp_path / "terminal.txt").write_text(GOOD)
    d = diagnose([crowd, tmp_path / "terminal.txt"], ruleset, max_files=10)
    assert reasons(d) == {
        str(crowd): "archive lists 400 entries, far more than the file limit (10; raise with --max-files)"
    }
    assert GOOD_CAUSE in causes(d)


def _binary_by_definition(head: bytes) -> bool:
    """looks_binary spelled out byte by byte: what its C-level counting must agree with."""
    sample = head[:8192]
    control = sum(1 for b in sample if b < 32 and b not in (0, 9, 10, 11, 12, 13, 27))
    printable = sum(1 for b in sample if b >= 32 or b in (9, 10, 13, 0))
    nul = sample.count(0)
    return control > len(sample) * 0.05 or printable < len(sample) * 0.85 or bool(nul and nul > len(sample) * 0.3)


@hypothesis.settings(max_examples=300, deadline=None)
@hypothesis.given(
    noise=st.binary(min_size=1, max_size=9000),
    filler=st.sampled_from([b"a", b"\x00", b"\x07", b"\x1b", b"\t\n", b"\x0b\x0c\r", b"\xff"]),
    n=st.integers(0, 9000),
)
def test_looks_binary_counts_bytes_as_its_definition_does(noise, filler, n):
    from analyzer.textio import looks_binary

    head = (filler * n)[:n] + noise
    assert looks_binary(head, "utf-8") is _binary_by_definition(head)
