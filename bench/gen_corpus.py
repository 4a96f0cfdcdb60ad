"""Build the benchmark corpus: the same bytes for ccdiag and for ripgrep, the same for a seed.

    python bench/gen_corpus.py --out /tmp/ccdiag-corpus               # ~1.8 GB: 1 GB log, 20,000 files, 200 MB HAR
    python bench/gen_corpus.py --out /tmp/ccdiag-corpus-s --big-bytes 100000000 --batch-files 2000 --har-bytes 20000000

Writes under --out (keep it outside the repository, and delete it when done):
  big.log           --big-bytes of mixed log text: Claude Code debug lines, JSONL transcripts,
                    curl -v transcripts, pretty-printed HAR fragments, Node and Python stack
                    traces, environment dumps, syslog; one diagnostic signature injected about
                    every --every lines, and near-misses (a 200 status, a verify that passed, a
                    CA file that loaded) in the background
  mid.log, small.log, tiny.log   the first 100 MB / 10 MB / 2 MB of big.log, cut after a line
                    (the whole of big.log when it is smaller)
  batch/dNN/*.log   --batch-files files of 1-50 KB of the same text, in 100 folders
  session.har       a pretty-printed HAR 1.2 file of about --har-bytes (Anthropic API calls,
                    a few of them failing)
  patterns_rg.txt   the signatures (bench/patterns.py), one a line, for `rg -c -f`
  patterns_grep.txt the same for `grep -E -c -f` (case folded by hand)
  manifest.json     what was planted: for each log, its bytes and lines, the lines that match
                    some signature (the injected ones: background text that would match one is
                    never used) and the matching lines of each signature (`per_pattern`, in the
                    order of `patterns`), and how often each signature was injected

How: a pool of background units (a few lines each, --pool-units of them) is generated once and
every unit that any signature matches is dropped; each file is then written from units drawn at
random, a few MB at a time, with the injected lines between units. Memory does not grow with the
corpus: about 135 MB of peak RSS for 1 MB as for 100 MB, most of it the 40,000-unit pool (about
40 MB) while it is built and filtered. Signatures are injected in a shuffled round-robin
order, so each one is planted once before any is planted twice.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import string
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from patterns import NEAR_MISSES, SIGNATURES

PREFIXES = {"mid.log": 100_000_000, "small.log": 10_000_000, "tiny.log": 2_000_000}
CHUNK_UNITS = 4096  # units drawn per write: a few MB
BATCH_CAP = 49_500  # background bytes of a batch file at most (injected lines may add a few hundred)
EPOCH = 1795291067.0  # 2026-11-21T19:57:47Z, the reference captures' day

VOCAB = (
    "a an the this that these it its we you they I to of in on for with from by at as into over about and or but if "
    "then else when while so not no yes now just only also still already here there which what how why file files "
    "function method class module package import export return value values type types string number list array map "
    "object key keys field fields config settings option flag path paths directory folder test tests spec fixture "
    "build compile lint format run runs running ran start stop restart error errors warning check checks fix fixed "
    "update updated change changes add added remove removed rename refactor read write edit search find grep match "
    "parse parser token tokens request response header body status stream chunk cache session context model tool "
    "command commands output input line lines branch commit merge diff patch review server client api endpoint "
    "timeout retry retries log logs debug trace user users project repo script shell terminal prompt message "
    "messages result results done ok looks good let me first next should would could will need try see look think"
).split()
HOSTS = (
    "api.anthropic.com",
    "statsig.anthropic.com",
    "console.anthropic.com",
    "registry.npmjs.org",
    "github.com",
    "objects.githubusercontent.com",
    "pypi.org",
)
MODELS = ("claude-sonnet-4-5-20250929", "claude-opus-4-1-20250805", "claude-haiku-4-5-20251001")
TOOLS = ("Bash", "Read", "Edit", "Write", "Grep", "Glob", "WebFetch", "Task", "TodoWrite", "NotebookEdit")
FILES = (
    "src/index.ts",
    "src/server/routes.ts",
    "src/lib/retry.py",
    "tests/test_client.py",
    "package.json",
    "pyproject.toml",
    "README.md",
    "docs/setup.md",
)
ISSUERS = (  # what the public API hosts present: near-misses for the interception-vendor signature
    "C=US; O=Google Trust Services; CN=WE1",
    "C=US; O=Let's Encrypt; CN=R11",
    "C=US; O=DigiCert Inc; CN=DigiCert Global G2 TLS RSA SHA256 2020 CA1",
)
ALNUM = string.ascii_letters + string.digits


class Background:
    """Random units of ordinary (healthy) log text, each a list of lines."""

    def __init__(self, rng: random.Random):
        self.r = rng
        self.clock = EPOCH

    # small helpers
    def stamp(self) -> str:
        self.clock += self.r.random() * 0.4
        whole = int(self.clock)
        return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole)) + f".{int((self.clock - whole) * 1000):03d}Z"

    def text(self, lo: int, hi: int) -> str:
        return " ".join(self.r.choices(VOCAB, k=self.r.randint(lo, hi)))

    def ident(self, n: int, alphabet: str = ALNUM) -> str:
        return "".join(self.r.choices(alphabet, k=n))

    def uuid(self) -> str:
        h = self.ident(32, "0123456789abcdef")
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # the kinds of unit
    def claude_debug(self) -> list[str]:
        r = self.r
        out = []
        for _ in range(r.randint(4, 14)):
            k = r.randrange(16)
            if k == 0:
                m = (
                    "Writing to temp file: "
                    f"/home/dev/.claude.json.tmp.{r.randint(1000, 40000)}.{self.ident(12, '0123456789abcdef')}"
                )
            elif k == 1:
                m = f"Temp file written successfully, size: {r.randint(40, 90000)} bytes"
            elif k == 2:
                m = "File /home/dev/.claude.json written atomically"
            elif k == 3:
                m = f"CA certs: Loaded {r.randint(100, 300)} {r.choice(('bundled root', 'system CA'))} certificates"
            elif k == 4:
                m = (
                    f'MCP server "{r.choice(("github", "linear", "playwright", "sentry"))}": Successfully connected '
                    f"to stdio server in {r.randint(40, 2500)}ms"
                )
            elif k == 5:
                m = f"Stream started - received first chunk after {r.randint(200, 8000)}ms"
            elif k == 6:
                m = f"[API REQUEST] /v1/messages x-client-request-id={self.uuid()} source=repl_main_thread"
            elif k == 7:
                m = f"Executing hooks for PostToolUse:{r.choice(TOOLS)}"
            elif k == 8:
                m = f"Tool {r.choice(TOOLS)} completed in {r.randint(2, 40000)}ms"
            elif k == 9:
                m = (
                    f"Permission decision for {r.choice(TOOLS)}: allow (rule: "
                    f"{r.choice(('project settings', 'session', 'user settings'))})"
                )
            elif k == 10:
                m = (
                    f"Tokens: input={r.randint(1, 180000)} output={r.randint(1, 32000)} "
                    f"cache_read={r.randint(0, 150000)}"
                )
            elif k == 11:
                m = f"Broken symlink or missing file encountered for settings.json at path: /home/dev/{r.choice(FILES)}"
            elif k == 12:
                m = (
                    f"[init] {r.choice(('configureGlobalAgents', 'configureGlobalMTLS', 'loadPlugins'))} "
                    f"{r.choice(('starting', 'complete'))}"
                )
            elif k == 13:
                m = f"Preserving file permissions: 100{r.choice('64')}00"
            elif k == 14:
                m = f"Slow operation: {self.text(2, 4)} took {r.randint(200, 9000)}ms"
            else:
                m = self.text(4, 18)
            level = "WARN" if k == 14 else "DEBUG"
            out.append(f"{self.stamp()} [{level}] {m}")
        return out

    def transcript(self) -> list[str]:
        r = self.r
        rec = {
            "parentUuid": self.uuid(),
            "isSidechain": False,
            "userType": "external",
            "cwd": "/home/dev/project",
            "sessionId": self.uuid(),
            "version": r.choice(("2.0.37", "2.1.3", "2.1.12")),
            "gitBranch": r.choice(("main", "fix/retry", "feature/cache")),
        }
        k = r.randrange(3)
        if k == 0:
            rec["type"] = "assistant"
            rec["message"] = {
                "id": "msg_01" + self.ident(22),
                "type": "message",
                "role": "assistant",
                "model": r.choice(MODELS),
                "content": [{"type": "text", "text": self.text(8, 350)}],
                "stop_reason": "end_turn",
                "usage": {
                    "input_tokens": r.randint(1, 60),
                    "cache_creation_input_tokens": r.randint(0, 12000),
                    "cache_read_input_tokens": r.randint(0, 120000),
                    "output_tokens": r.randint(1, 5000),
                },
            }
            rec["requestId"] = "req_011C" + self.ident(20)
        elif k == 1:
            rec["type"] = "assistant"
            rec["message"] = {
                "role": "assistant",
                "content": [
                    {
                        "type": "tool_use",
                        "id": "toolu_01" + self.ident(22),
                        "name": r.choice(TOOLS),
                        "input": {"file_path": "/home/dev/project/" + r.choice(FILES), "description": self.text(3, 9)},
                    }
                ],
            }
        else:
            rec["type"] = "user"
            rec["message"] = {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "toolu_01" + self.ident(22),
                        "content": self.text(5, 250),
                        "is_error": False,
                    }
                ],
            }
        rec["uuid"] = self.uuid()
        rec["timestamp"] = self.stamp()
        return [json.dumps(rec, separators=(",", ":"))]

    def curl_verbose(self) -> list[str]:
        r = self.r
        host = r.choice(HOSTS)
        addr = f"{r.randint(104, 172)}.{r.randint(16, 250)}.{r.randint(0, 255)}.{r.randint(2, 250)}"
        h2 = r.random() < 0.75
        proto = "HTTP/2" if h2 else "HTTP/1.1"
        status = (
            r.choice(("200 ", "200 ", "200 ", "201 ", "204 ", "304 ")) if h2 else r.choice(("200 OK", "204 No Content"))
        )
        lines = [
            f"*   Trying {addr}:443...",
            f"* Connected to {host} ({addr}) port 443 (#0)",
            "* ALPN: offers h2,http/1.1",
            "* TLSv1.3 (OUT), TLS handshake, Client hello (1):",
            "*  CAfile: /etc/ssl/certs/ca-certificates.crt",
            "*  CApath: /etc/ssl/certs",
            "* TLSv1.3 (IN), TLS handshake, Server hello (2):",
            "* TLSv1.3 (IN), TLS handshake, Encrypted Extensions (8):",
            "* TLSv1.3 (IN), TLS handshake, Certificate (11):",
            "* TLSv1.3 (IN), TLS handshake, CERT verify (15):",
            "* TLSv1.3 (IN), TLS handshake, Finished (20):",
            "* SSL connection using TLSv1.3 / TLS_AES_256_GCM_SHA384",
            f"* ALPN: server accepted {'h2' if h2 else 'http/1.1'}",
            "* Server certificate:",
            f"*  subject: CN={host}",
            "*  start date: Oct  2 08:14:11 2026 GMT",
            "*  expire date: Dec 31 08:14:10 2026 GMT",
            f'*  subjectAltName: host "{host}" matched cert\'s "{host}"',
            f"*  issuer: {r.choice(ISSUERS)}",
            "*  SSL certificate verify ok.",
            f"> POST /v1/messages {proto}",
            f"> Host: {host}",
            f"> User-Agent: curl/{r.choice(('7.88.1', '8.5.0', '8.14.1'))}",
            "> Accept: */*",
            "> anthropic-version: 2023-06-01",
            "> content-type: application/json",
            f"> Content-Length: {r.randint(60, 80000)}",
            ">",
            f"< {proto} {status}",
            f"< date: Sat, 21 Nov 2026 19:{r.randint(10, 59)}:{r.randint(10, 59)} GMT",
            "< content-type: application/json",
            f"< request-id: req_011C{self.ident(20)}",
            f"< anthropic-ratelimit-requests-remaining: {r.randint(1, 3999)}",
            f"< anthropic-ratelimit-input-tokens-remaining: {r.randint(1, 400000)}",
            "< x-should-retry: false",
            "< via: 1.1 google",
            "< cf-cache-status: DYNAMIC",
            "< server: cloudflare",
            "<",
            f"* Connection #0 to host {host} left intact",
        ]
        if not h2:
            lines.insert(21, "* Using HTTP/1.1")
        return lines

    def har_fragment(self) -> list[str]:
        r = self.r
        status, text = r.choice(
            ((200, "OK"), (200, "OK"), (201, "Created"), (204, "No Content"), (304, "Not Modified"))
        )
        body = json.dumps(
            {
                "id": "msg_01" + self.ident(22),
                "type": "message",
                "content": [{"type": "text", "text": self.text(4, 80)}],
            }
        )
        return [
            "    {",
            f'      "startedDateTime": "{self.stamp()}",',
            f'      "time": {r.random() * 4000:.3f},',
            '      "request": {',
            '        "method": "POST",',
            f'        "url": "https://{r.choice(HOSTS)}/v1/messages?beta=true",',
            '        "httpVersion": "http/2.0",',
            '        "headers": [',
            '          { "name": "anthropic-version", "value": "2023-06-01" },',
            '          { "name": "content-type", "value": "application/json" }',
            "        ],",
            f'        "bodySize": {r.randint(60, 80000)}',
            "      },",
            '      "response": {',
            f'        "status": {status},',
            f'        "statusText": "{text}",',
            '        "httpVersion": "http/2.0",',
            '        "content": {',
            f'          "size": {len(body)},',
            '          "mimeType": "application/json",',
            f'          "text": {json.dumps(body)}',
            "        }",
            "      },",
            '      "_error": null,',
            '      "timings": {',
            f'        "blocked": {r.random() * 8:.3f},',
            '        "dns": -1,',
            '        "connect": -1,',
            f'        "send": {r.random():.3f},',
            f'        "wait": {r.random() * 6000:.3f},',
            f'        "receive": {r.random() * 40:.3f}',
            "      }",
            "    },",
        ]

    def stack_trace(self) -> list[str]:
        r = self.r
        if r.random() < 0.5:
            lines = [f"{r.choice(('Error', 'TypeError', 'RangeError', 'SyntaxError'))}: {self.text(3, 9)}"]
            for _ in range(r.randint(3, 11)):
                fn = r.choice(
                    (
                        "Object.<anonymous>",
                        "Module._compile",
                        "async Promise.all",
                        "processTicksAndRejections",
                        "Ky.run",
                    )
                )
                where = r.choice(
                    (
                        "file:///usr/lib/node_modules/@anthropic-ai/claude-code/cli.js",
                        "node:internal/process/task_queues",
                        "node:internal/modules/cjs/loader",
                    )
                )
                lines.append(f"    at {fn} ({where}:{r.randint(1, 9999)}:{r.randint(1, 120)})")
            return lines
        lines = ["Traceback (most recent call last):"]
        for _ in range(r.randint(2, 8)):
            mod = r.choice(
                ("anthropic/_base_client.py", "httpx/_client.py", "yaml/scanner.py", "click/core.py", "app/main.py")
            )
            fn = r.choice(("_request", "send", "invoke", "scan_to_next_token", "main"))
            lines.append(f'  File "/usr/lib/python3.12/site-packages/{mod}", line {r.randint(1, 2500)}, in {fn}')
            lines.append(f"    {self.text(2, 7)}")
        lines.append(f"{r.choice(('ValueError', 'KeyError', 'AttributeError', 'AssertionError'))}: {self.text(2, 7)}")
        return lines

    def env_dump(self) -> list[str]:
        r = self.r
        return [
            "SHELL=/bin/bash",
            "HOME=/home/dev",
            f"USER=dev{r.randint(1, 40)}",
            "LANG=en_US.UTF-8",
            "TERM=xterm-256color",
            "PATH=/home/dev/.local/bin:/usr/local/bin:/usr/bin:/bin",
            "NODE_OPTIONS=--max-old-space-size=8192",
            "NODE_TLS_REJECT_UNAUTHORIZED=1",
            "CLAUDE_CODE_ENTRYPOINT=cli",
            f"ANTHROPIC_MODEL={r.choice(MODELS)}",
            "PWD=/home/dev/project",
            f"SHLVL={r.randint(1, 3)}",
            "_=/usr/bin/env",
        ]

    def syslog(self) -> list[str]:
        r = self.r
        out = []
        for _ in range(r.randint(2, 9)):
            who = r.choice(
                ("kernel", "systemd[1]", "NetworkManager[812]", "sshd[2231]", "CRON[4410]", "dbus-daemon[640]")
            )
            out.append(
                f"Nov 21 {r.randint(10, 23)}:{r.randint(10, 59)}:{r.randint(10, 59)} devbox {who}: {self.text(4, 14)}"
            )
        return out

    def near_miss(self) -> list[str]:
        return [self.r.choice(NEAR_MISSES)[0]]

    def long_json(self) -> list[str]:
        r = self.r
        rows = [
            {"id": self.ident(10), "note": self.text(4, 30), "n": r.randint(0, 10**6)}
            for _ in range(r.randint(40, 120))
        ]
        return [json.dumps({"type": "debug_dump", "rows": rows}, separators=(",", ":"))]

    KINDS = (  # (cumulative weight, unit)
        (0.30, claude_debug),
        (0.52, transcript),
        (0.62, curl_verbose),
        (0.73, har_fragment),
        (0.85, stack_trace),
        (0.88, env_dump),
        (0.985, syslog),
        (0.997, near_miss),
        (1.0, long_json),
    )

    def unit(self) -> list[str]:
        x = self.r.random()
        for edge, make in self.KINDS:
            if x < edge:
                return make(self)
        return self.syslog()


def build_pool(seed: int, n_units: int, compiled: list) -> tuple[list[bytes], list[int], int]:
    """n_units background units as bytes, minus those in which any signature matches."""
    bg = Background(random.Random(seed))
    texts = ["\n".join(bg.unit()) + "\n" for _ in range(n_units)]
    starts = list(itertools.accumulate((len(t) for t in texts), initial=0))
    text = "".join(texts)
    bad: set[int] = set()
    for rx in compiled:
        pos = 0
        while m := rx.search(text, pos):
            unit = bisect.bisect_right(starts, m.start()) - 1
            bad.add(unit)
            pos = starts[unit + 1]  # the next unit is searched from its start, whatever this match spanned
    kept = [t.encode() for i, t in enumerate(texts) if i not in bad]
    return kept, [u.count(b"\n") for u in kept], len(bad)


class Injector:
    """Where signatures go: after the unit that passes the next exponentially spaced line number;
    which one: the next of a shuffled round-robin of all signatures."""

    def __init__(self, rng: random.Random, every: int, n_signatures: int):
        self.r = rng
        self.every = every
        self.n = n_signatures
        self.order: list[int] = []
        self.next_at = self.r.expovariate(1.0 / every)
        self.count = [0] * n_signatures

    def pick(self) -> int:
        if not self.order:
            self.order = list(range(self.n))
            self.r.shuffle(self.order)
        i = self.order.pop()
        self.count[i] += 1
        return i


class Writer:
    """Draws units from the pool and writes them, with injected lines, to one file after another."""

    def __init__(self, pool: list[bytes], lines: list[int], rng: random.Random, inj: Injector, lines_of: list[bytes]):
        self.pool, self.lines, self.r, self.inj, self.lines_of = pool, lines, rng, inj, lines_of
        self.sizes = [len(u) for u in pool]
        self.line = 0  # background lines written so far, the injector's clock

    def chunks(self, target: int, max_units: int = CHUNK_UNITS, cap: int | None = None):
        """Yield (chunk bytes, [(offset in chunk, signature)]) until at least target bytes are out,
        or (with a cap) until one more unit would take the background past cap bytes."""
        out = 0
        sizes_of = self.sizes
        while out < target:
            idx = self.r.choices(range(len(self.pool)), k=max_units)
            sizes = list(itertools.accumulate((sizes_of[i] for i in idx), initial=0))
            n = bisect.bisect_left(sizes, target - out, lo=1)  # units needed to reach the target
            if cap is not None and n < len(sizes) and sizes[n] > cap - out and (n > 1 or out > 0):
                n -= 1  # stop short of the cap: this is the last chunk
                target = out
            idx = idx[: min(n, len(idx))]
            cum = list(itertools.accumulate((self.lines[i] for i in idx), initial=self.line))
            parts: list[bytes] = []
            planted: list[tuple[int, int]] = []
            pos, done = 0, 0
            while self.inj.next_at < cum[-1]:
                j = bisect.bisect_right(cum, self.inj.next_at)  # after unit j-1 the clock passes next_at
                parts.extend(self.pool[i] for i in idx[done:j])
                pos += sizes[j] - sizes[done]
                done = j
                s = self.inj.pick()
                planted.append((pos, s))
                parts.append(self.lines_of[s])
                pos += len(self.lines_of[s])
                self.inj.next_at += self.inj.r.expovariate(1.0 / self.inj.every)
            parts.extend(self.pool[i] for i in idx[done:])
            self.line = cum[-1]
            chunk = b"".join(parts)
            out += len(chunk)
            yield chunk, planted


def tally(planted: list[int], hits: list[list[int]], n: int) -> tuple[int, list[int]]:
    per = [0] * n
    for s in planted:
        for j in hits[s]:
            per[j] += 1
    return len(planted), per


def write_big(out: Path, target: int, w: Writer, hits: list[list[int]]) -> dict:
    """big.log and its prefixes, in one pass."""
    n = len(SIGNATURES)
    prefixes = {
        name: [open(out / name, "wb"), limit, 0, 0] for name, limit in PREFIXES.items()
    }  # file, limit, bytes, lines
    planted: list[tuple[int, int]] = []  # (offset in big.log, signature)
    written = lines = 0
    with open(out / "big.log", "wb") as big:
        for chunk, marks in w.chunks(target):
            big.write(chunk)
            for p in prefixes.values():
                fh, limit, size, _ = p
                if fh is None:
                    continue
                if size + len(chunk) <= limit:
                    piece = chunk
                else:  # the last piece: up to the last line end within the limit
                    piece = chunk[: chunk.rfind(b"\n", 0, limit - size) + 1]
                    p[0] = None
                fh.write(piece)
                p[2] += len(piece)
                p[3] += piece.count(b"\n")
                if p[0] is None:
                    fh.close()
            planted.extend((written + off, s) for off, s in marks)
            written += len(chunk)
            lines += chunk.count(b"\n")
    files = {"big.log": (written, lines)}
    for name, (fh, _limit, size, nlines) in prefixes.items():
        if fh is not None:
            fh.close()
        files[name] = (size, nlines)
    result = {}
    for name, (size, nlines) in files.items():
        matched, per = tally([s for off, s in planted if off < size], hits, n)
        result[name] = {"bytes": size, "lines": nlines, "matched_lines": matched, "per_pattern": per}
    return result


def write_batch(out: Path, n_files: int, w: Writer, rng: random.Random, hits: list[list[int]]) -> dict:
    total = lines = 0
    planted: list[int] = []
    for i in range(n_files):
        folder = out / "batch" / f"d{i % 100:02d}"
        if i < 100:
            folder.mkdir(parents=True, exist_ok=True)
        size = rng.randint(1_000, 50_000)
        with open(folder / f"session-{i:05d}.log", "wb") as fh:
            for chunk, marks in w.chunks(size, max_units=64, cap=BATCH_CAP):
                fh.write(chunk)
                total += len(chunk)
                lines += chunk.count(b"\n")
                planted.extend(s for _, s in marks)
    matched, per = tally(planted, hits, len(SIGNATURES))
    return {"bytes": total, "files": n_files, "lines": lines, "matched_lines": matched, "per_pattern": per}


# ---- session.har -----------------------------------------------------------------------------------
HAR_FAILURES = (  # (status, statusText, body): response bodies as the captures have them
    (
        429,
        "Too Many Requests",
        '{"type":"error","error":{"type":"rate_limit_error","message":"This request would exceed the rate limit for'
        ' your organization of 30,000 input tokens per minute."},"request_id":"req_011CMOCK0000000000000002"}',
    ),
    (
        529,
        "",
        '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_011CMOCK0000000000000003"}',
    ),
    (
        401,
        "Unauthorized",
        '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"},"request_id":'
        '"req_011CMOCK0000000000000001"}',
    ),
)


def har_entry(bg: Background) -> dict:
    r = bg.r
    model = r.choice(MODELS)
    failure = HAR_FAILURES[r.randrange(len(HAR_FAILURES))] if r.random() < 0.03 else None
    if failure:
        status, status_text, text, mime = failure[0], failure[1], failure[2], "application/json"
    elif r.random() < 0.5:
        events = [
            "event: message_start\ndata: "
            + json.dumps({"type": "message_start", "message": {"id": "msg_01" + bg.ident(22), "model": model}})
        ]
        for _ in range(r.randint(5, 220)):
            delta = {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": bg.text(1, 14)}}
            events.append("event: content_block_delta\ndata: " + json.dumps(delta))
        events.append('event: message_stop\ndata: {"type":"message_stop"}')
        status, status_text, text, mime = 200, "OK", "\n\n".join(events) + "\n\n", "text/event-stream"
    else:
        message = {
            "id": "msg_01" + bg.ident(22),
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": bg.text(20, 3000)}],
            "stop_reason": "end_turn",
        }
        status, status_text, text, mime = 200, "OK", json.dumps(message), "application/json"
    request_body = json.dumps(
        {
            "model": model,
            "max_tokens": 32000,
            "stream": mime == "text/event-stream",
            "messages": [{"role": "user", "content": bg.text(5, 500)}],
        }
    )
    return {
        "startedDateTime": bg.stamp(),
        "time": round(r.random() * 9000, 3),
        "request": {
            "method": "POST",
            "url": "https://api.anthropic.com/v1/messages?beta=true",
            "httpVersion": "http/2.0",
            "headers": [
                {"name": "content-type", "value": "application/json"},
                {"name": "anthropic-version", "value": "2023-06-01"},
                {"name": "x-api-key", "value": "[REDACTED]"},
                {"name": "user-agent", "value": "claude-cli/2.1.12 (external, cli)"},
            ],
            "queryString": [{"name": "beta", "value": "true"}],
            "cookies": [],
            "headersSize": -1,
            "bodySize": len(request_body),
            "postData": {"mimeType": "application/json", "text": request_body},
        },
        "response": {
            "status": status,
            "statusText": status_text,
            "httpVersion": "http/2.0",
            "headers": [
                {"name": "content-type", "value": mime},
                {"name": "request-id", "value": "req_011C" + bg.ident(20)},
                {"name": "anthropic-ratelimit-requests-remaining", "value": str(r.randint(0 if failure else 1, 3999))},
            ],
            "cookies": [],
            "content": {"size": len(text), "mimeType": mime, "text": text},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": len(text),
            "_transferSize": len(text) + 420,
        },
        "cache": {},
        "timings": {
            "blocked": round(r.random() * 6, 3),
            "dns": -1,
            "ssl": -1,
            "connect": -1,
            "send": round(r.random(), 3),
            "wait": round(r.random() * 8000, 3),
            "receive": round(r.random() * 60, 3),
            "_blocked_queueing": round(r.random() * 4, 3),
        },
        "serverIPAddress": "160.79.104.10",
        "_initiator": {"type": "other"},
        "_priority": "High",
        "_resourceType": "fetch",
    }


def write_har(path: Path, target: int, rng: random.Random) -> int:
    """A HAR 1.2 file as a browser exports it (two-space indent), one entry at a time."""
    bg = Background(rng)
    head = {
        "version": "1.2",
        "creator": {"name": "WebInspector", "version": "537.36"},
        "pages": [],
    }
    n = 0
    size = 0
    buf: list[str] = []
    buffered = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write('{\n  "log": {\n')
        fh.writelines(f'    "{key}": {json.dumps(value)},\n' for key, value in head.items())
        fh.write('    "entries": [\n')
        while size < target or n == 0:
            text = json.dumps(har_entry(bg), indent=2).replace("\n", "\n      ")
            piece = ("      " if n == 0 else ",\n      ") + text
            buf.append(piece)
            buffered += len(piece)
            size += len(piece)
            n += 1
            if buffered > 4 << 20:
                fh.write("".join(buf))
                buf, buffered = [], 0
        fh.write("".join(buf))
        fh.write("\n    ]\n  }\n}\n")
    return n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="/tmp/ccdiag-corpus", help="the folder to write (created if missing)")
    ap.add_argument("--big-bytes", type=int, default=1_000_000_000, help="size of big.log (default 1 GB)")
    ap.add_argument("--batch-files", type=int, default=20_000, help="number of batch/ files (default 20,000)")
    ap.add_argument("--har-bytes", type=int, default=200_000_000, help="size of session.har (default 200 MB)")
    ap.add_argument("--every", type=int, default=10_000, help="mean lines between injected signatures")
    ap.add_argument("--seed", type=int, default=20250112)
    ap.add_argument("--pool-units", type=int, default=40_000, help="background units generated and reused")
    ap.add_argument("--only", choices=("all", "big", "batch", "har"), default="all")
    a = ap.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()

    def say(what: str) -> None:
        print(f"gen_corpus: {what} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)

    compiled = [s.compile() for s in SIGNATURES]
    for s, rx in zip(SIGNATURES, compiled, strict=True):
        if not rx.search(s.example):
            raise SystemExit(f"{s.name}: the example does not match its pattern")
    for line, _ in NEAR_MISSES:
        if any(rx.search(line) for rx in compiled):
            raise SystemExit(f"near-miss matches a signature: {line!r}")
    hits = [[j for j, rx in enumerate(compiled) if rx.search(s.example)] for s in SIGNATURES]
    lines_of = [(s.example + "\n").encode() for s in SIGNATURES]
    (out / "patterns_rg.txt").write_text("".join(s.rg_line() + "\n" for s in SIGNATURES))
    (out / "patterns_grep.txt").write_text("".join(s.grep_line() + "\n" for s in SIGNATURES))

    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text()) if a.only != "all" and manifest_path.exists() else {}
    manifest.update({"seed": a.seed, "every": a.every, "patterns": [s.name for s in SIGNATURES]})
    manifest["signatures"] = {s.name: {"pattern": s.rg_line(), "source": s.source} for s in SIGNATURES}

    if a.only in ("all", "big", "batch"):
        pool, pool_lines, dropped = build_pool(a.seed, a.pool_units, compiled)
        say(
            f"pool of {len(pool)} units ({sum(map(len, pool)) / 1e6:.0f} MB), {dropped} dropped for matching a "
            "signature"
        )
    if a.only in ("all", "big"):
        inj = Injector(random.Random(a.seed + 1), a.every, len(SIGNATURES))
        w = Writer(pool, pool_lines, random.Random(a.seed + 2), inj, lines_of)
        manifest.update(write_big(out, a.big_bytes, w, hits))
        manifest["big.log"]["injected"] = inj.count
        say(f"big.log {manifest['big.log']['bytes'] / 1e6:.0f} MB, {manifest['big.log']['matched_lines']} signatures")
    if a.only in ("all", "batch"):
        inj = Injector(random.Random(a.seed + 3), a.every, len(SIGNATURES))
        w = Writer(pool, pool_lines, random.Random(a.seed + 4), inj, lines_of)
        manifest["batch"] = write_batch(out, a.batch_files, w, random.Random(a.seed + 5), hits)
        manifest["batch"]["injected"] = inj.count
        say(f"batch/ {a.batch_files} files, {manifest['batch']['bytes'] / 1e6:.0f} MB")
    if a.only in ("all", "har"):
        entries = write_har(out / "session.har", a.har_bytes, random.Random(a.seed + 6))
        manifest["har"] = {"bytes": (out / "session.har").stat().st_size, "entries": entries}
        say(f"session.har {manifest['har']['bytes'] / 1e6:.0f} MB, {entries} entries")
    manifest_path.write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
