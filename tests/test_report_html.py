"""The HTML report and the fleet page, rendered by a real headless Chromium: the diagnoses and
the request timeline are in the DOM, the sort/filter script runs, a hostile log line does
not execute, and nothing is loaded from outside the file. Screenshots are kept under
test-artifacts/ for a human to look at."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analyzer.analysis import analyze, load_ruleset
from analyzer.report import RENDERERS, as_html
from analyzer.report.as_json import report_dict

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "tests" / "data" / "reference"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
]

# A log line written to run script if it were ever pasted into the page as HTML.
HOSTILE_SCRIPT = (
    "API Error: 403 Request not allowed <script>document.title='pwned';"
    "document.body.appendChild(document.createElement('aside')).id='pwned'</script>"
)
HOSTILE_ATTR = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\"> proxy said no"
PAGE_TITLE = re.compile(r"ccdiag: \w+ \(\d\.\d\d\)")


def chromium_available() -> None:
    if CHROMIUM is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is missing in CI: .ci/system-deps should have installed it")
        pytest.skip("chromium is not installed (apt-get install chromium); CI always runs these tests")


def chromium(url: str, tmp: Path, *args: str) -> subprocess.CompletedProcess:
    chromium_available()
    return subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, f"--user-data-dir={tmp / 'profile'}", *args, url],
        capture_output=True,
        text=True,
        timeout=180,
        check=True,
    )


def dump_dom(page: Path, tmp: Path, query: str = "") -> Dom:
    return Dom(chromium(page.as_uri() + query, tmp, "--dump-dom").stdout)


def screenshot(page: Path, tmp: Path, name: str, height: int = 2400) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    target = ARTIFACTS / name
    chromium(page.as_uri(), tmp, f"--screenshot={target}", f"--window-size=1280,{height}")
    return target


class Dom(HTMLParser):
    """Elements (tag, attributes) and text of a DOM that Chromium serialized."""

    def __init__(self, markup: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self.rows: list[tuple[dict[str, str], list[dict[str, str]]]] = []  # (tr attributes, its cells)
        self.title = ""
        self._in_title = False
        self.feed(markup)

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        self.elements.append((tag, a))
        self._in_title = tag == "title"
        if tag == "tr":
            self.rows.append((a, []))
        elif tag == "td" and self.rows:
            self.rows[-1][1].append(a)

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        self.texts.append(data)
        if self._in_title:
            self.title += data

    def find(self, tag: str = "", cls: str = "", **attrs: str) -> list[dict[str, str]]:
        out = []
        for name, a in self.elements:
            if tag and name != tag:
                continue
            if cls and cls not in a.get("class", "").split():
                continue
            if all(a.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(a)
        return out

    @property
    def text(self) -> str:
        return "".join(self.texts)


@pytest.fixture(scope="module")
def ruleset():
    return load_ruleset(strict=False)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    """Real captures (a Claude Code 403, two HAR exports with failures) plus a hostile log."""
    root = tmp_path_factory.mktemp("bundle")
    shutil.copy(REFERENCE / "claude-code" / "api-403-request-not-allowed.txt", root / "terminal.txt")
    shutil.copy(REFERENCE / "har" / "generated" / "mitmproxy-12.2.3-hardump-loopback.har", root / "session.har")
    shutil.copy(REFERENCE / "har" / "public" / "mitmproxy-export-error_log.har", root / "errors.har")
    (root / "hostile.txt").write_text(f"starting\n{HOSTILE_ATTR}\n{HOSTILE_SCRIPT}\ndone\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def diagnosis(bundle, ruleset):
    d = analyze([str(bundle)], ruleset=ruleset)
    assert d.findings and d.timeline, "precondition: the bundle yields diagnoses and a timeline"
    assert any("<script>" in ev.text for f in d.findings for ev in f.evidence), (
        "precondition: the hostile line is evidence"
    )
    return d


@pytest.fixture(scope="module")
def page(diagnosis, ruleset, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(
        RENDERERS["html"](diagnosis, verbose=False, color=False, width=None, rules=ruleset.rules), encoding="utf-8"
    )
    return path


@pytest.fixture(scope="module")
def dom(page, tmp_path_factory) -> Dom:
    return dump_dom(page, tmp_path_factory.mktemp("chromium"))


def test_chromium_shows_every_diagnosis_in_rank_order(dom, diagnosis):
    shown = [a for a in dom.elements if a[1].get("data-rank")]
    assert [a["data-cause"] for _, a in shown] == [f.cause for f in diagnosis.findings]
    assert [a["data-confidence"] for _, a in shown] == [f"{f.confidence:.2f}" for f in diagnosis.findings]
    assert shown[0][0] == "article" and all(tag == "details" for tag, _ in shown[1:])
    assert PAGE_TITLE.fullmatch(dom.title) and diagnosis.findings[0].cause in dom.title


def test_chromium_shows_a_timeline_row_for_every_captured_request(dom, diagnosis):
    rows = dom.find("tr", "exchange")
    assert len(rows) == len(diagnosis.timeline)
    failed = [x for x in diagnosis.timeline if (x.status or 0) >= 400 or x.error]
    assert len(dom.find("tr", "failed")) == len(failed) > 0
    timed = [x for x in diagnosis.timeline if any(v > 0 for v in x.phases.values())]
    segments = dom.find("span", "ph")
    assert len(segments) == sum(sum(1 for v in x.phases.values() if v > 0) for x in timed)
    assert {s["data-phase"] for s in segments} >= {"connect", "ssl", "wait"}


def test_evidence_is_shown_in_context_with_the_matched_text_marked(dom, diagnosis):
    top = diagnosis.findings[0]
    hit_lines = dom.find("span", "hit")
    assert len(hit_lines) >= min(len(top.evidence), as_html.TOP_EVIDENCE)
    assert dom.find("mark"), "the rule's matchers mark what they matched"
    first = next(ev for ev in top.evidence if ev.where.line)
    assert [
        a
        for a in dom.find("div", "ev")
        if a["data-path"] == first.where.path and str(first.where.line) in a["data-lines"].split()
    ]


def test_a_hostile_log_line_does_not_execute_in_chromium(dom):
    assert "pwned" not in dom.title
    assert not dom.find(id="pwned")
    assert not [a for _, a in dom.elements if "data-pwned" in a]
    assert not dom.find("img") and not dom.find("aside")
    assert "<script>document.title='pwned'" in dom.text  # shown to the reader as text
    assert "onerror=" in dom.text


def test_evidence_inside_an_archive_is_shown_in_context_too(bundle, ruleset, tmp_path):
    archive = shutil.make_archive(str(tmp_path / "bundle"), "zip", bundle)
    d = analyze([archive], ruleset=ruleset)
    lines = [
        (ev.where.path, ev.where.line)
        for f in d.findings
        for ev in f.evidence[: as_html.OTHER_EVIDENCE]
        if ev.where.line
    ]
    assert lines and all("!" in path for path, _ in lines)
    page = Dom(as_html.render(d, rules=ruleset.rules))
    numbered = [a for a in page.find("span", "n")]
    assert len(numbered) > len(page.find("span", "hit")), "context lines around the evidence"


def test_the_report_page_is_self_contained(page):
    markup = page.read_text(encoding="utf-8")
    parsed = Dom(markup)
    csp = [a for a in parsed.find("meta") if a.get("http-equiv") == "Content-Security-Policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]
    assert not [a for _, a in parsed.elements if "src" in a]
    assert all(a["href"].startswith(("#", "?")) for a in parsed.find() if "href" in a)
    assert not parsed.find("link") and not parsed.find("iframe")
    assert not re.search(r"url\(|@import", markup)
    assert len(re.findall(r"<script\b", markup)) == 0


def test_chromium_screenshot_of_the_report_is_kept_as_an_artifact(page, tmp_path):
    shot = screenshot(page, tmp_path, "html-report.png")
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


# ---------------------------------------------------------------- fleet page


@pytest.fixture(scope="module")
def fleet(ruleset, tmp_path_factory):
    bundles = []
    for folder in sorted(p for p in (ROOT / "samples").iterdir() if p.is_dir()):
        bundles.append((folder.name, report_dict(analyze([str(folder)], ruleset=ruleset))))
    for path in sorted((REFERENCE / "claude-code").glob("*.txt"))[:8]:
        bundles.append((path.name, report_dict(analyze([str(path)], ruleset=ruleset))))
    page = tmp_path_factory.mktemp("fleet") / "fleet.html"
    page.write_text(
        as_html.render_fleet(bundles, title="ccdiag scan of the samples", rules=ruleset.rules), encoding="utf-8"
    )
    return bundles, page


def _top(report: dict) -> str:
    return report["diagnoses"][0]["cause"] if report["diagnoses"] else as_html.NO_DIAGNOSIS


def test_fleet_page_charts_bundles_per_top_cause_and_links_each_report(fleet, tmp_path):
    bundles, page = fleet
    dom = dump_dom(page, tmp_path)
    assert dom.find("html", data_js="ready"), "the sort/filter script ran"
    bars = {a["data-cause"] for a in dom.find("a") if "data-cause" in a}
    assert bars == {_top(r) for _, r in bundles}
    counts = [int(t) for t in re.findall(r"<text class=\"count\"[^>]*>(\d+)</text>", page.read_text(encoding="utf-8"))]
    assert sum(counts) == len(bundles)
    links = [a["href"] for a in dom.find("a") if a.get("href", "").startswith("#bundle-")]
    assert links == [f"#bundle-{i}" for i in range(1, len(bundles) + 1)]
    assert [a["data-bundle"] for a in dom.find("section", "bundle")] == [name for name, _ in bundles]


def test_fleet_table_sorts_and_filters_in_chromium(fleet, tmp_path):
    bundles, page = fleet
    cause = _top(bundles[0][1])
    dom = dump_dom(page, tmp_path, f"?sort=-confidence&cause={cause}")
    table = [(tr, cells) for tr, cells in dom.rows if "data-cause" in tr]
    visible = [tr for tr, _ in table if "hidden" not in tr]
    assert {tr["data-cause"] for tr in visible} == {cause}
    assert len(visible) == sum(1 for _, r in bundles if _top(r) == cause)
    shown_order = [float(cells[2]["data-v"]) for _, cells in table]
    confidences = [float(r["diagnoses"][0]["confidence"]) if r["diagnoses"] else 0.0 for _, r in bundles]
    assert shown_order == sorted(confidences, reverse=True) and shown_order != confidences
    screenshot(page, tmp_path, "html-fleet.png", height=1400)


# ---------------------------------------------------------------- redaction in every format


SECRET_BODY = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789"


def test_secrets_around_evidence_stay_masked_in_every_format(tmp_path, ruleset):
    real = (REFERENCE / "claude-code" / "api-403-request-not-allowed.txt").read_text(encoding="utf-8").strip()
    (tmp_path / "terminal.txt").write_text(
        "\n".join(
            [
                "Proxy-Authorization: Basic dXNlcjpodW50ZXIyaHVudGVyMg==",
                f"export ANTHROPIC_API_KEY=sk-ant-api03-{SECRET_BODY}",
                f"export GITHUB_PAT={SECRET_BODY}",
                real,  # line 4: the evidence; lines 2-6 are its context
                "-----BEGIN PRIVATE KEY-----",
                f"MIIEv{SECRET_BODY}",
                "-----END PRIVATE KEY-----",
                f"curl -x http://alice:{SECRET_BODY}@proxy.example:8080 https://api.anthropic.com/",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    diagnosis = analyze([str(tmp_path / "terminal.txt")], ruleset=ruleset)
    assert diagnosis.findings and any(ev.where.line == 4 for f in diagnosis.findings for ev in f.evidence)
    for fmt, render in RENDERERS.items():
        out = render(diagnosis, verbose=True, color=False, width=120, rules=ruleset.rules)
        assert SECRET_BODY not in out, fmt
        assert "dXNlcjpodW50ZXIyaHVudGVyMg" not in out, fmt
    html = RENDERERS["html"](diagnosis, rules=ruleset.rules)
    for masked in ("export ANTHROPIC_API_KEY=sk-ant-api03-***", "export GITHUB_PAT=***", "-----BEGIN PRIVATE KEY-----"):
        assert masked in html  # the context is shown, with its secrets masked
