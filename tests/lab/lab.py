"""Reproduce one lab capture: a client run under a controlled fault, in a loopback-only namespace.

  python tests/lab/lab.py run CLIENT MODE FAULT [--out DIR]
  python tests/lab/lab.py evidence CAPTURE_DIR...   (recompute the terminal evidence line)
  python tests/lab/lab.py table DIR...              (markdown: each capture's key line, by fault)
      CLIENT  claude-2.1.5 | claude-2.0.76 | claude-1.0.44 | claude-2.1.332 | ts-sdk-1.17.0 | py-anthropic-2.17.0
      MODE    p | debug | interactive (Claude Code); sdk (the SDKs)
      FAULT   a key of faults.yaml (= the folder-name suffixes of shared/lab)

Needs root, util-linux unshare, iptables, tmux, tinyproxy, squid, faketime, openssl, and the clients installed under
$LAB_CLIENTS (default /work/labclients; see README.md). The run re-executes itself under `unshare -n -m`, where
only loopback exists: /etc/hosts and /etc/resolv.conf are bind-mounted, the fault's servers start, the client runs
under `env -i` as the unprivileged user `dev` with a fresh HOME, and the capture folder is written with machine paths
rewritten to /home/dev (see SOURCE.txt of the captures).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
CLIENTS_DIR = Path(os.environ.get("LAB_CLIENTS", "/work/labclients"))
WORK = Path(os.environ.get("LAB_WORK", "/work/labruns"))
PKI = WORK / "pki"
USER = "dev"
API_KEY = "sk-ant-api03-PLACEHOLDER"
DATE = time.strftime("%Y-%m-%d")
LAB_NAMES = [
    "api.anthropic.com",
    "console.anthropic.com",
    "platform.claude.com",
    "claude.ai",
    "statsig.anthropic.com",
    "proxy.corp.example",
    "llm-gateway.corp.example",
]
FAKETIME_LIB = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1"


# ---------------------------------------------------------------- clients


def client_info(client: str) -> dict:
    """kind, version, label, how to run it, and the install paths to rewrite."""
    name, version = client.rsplit("-", 1)
    if name == "claude":
        root = CLIENTS_DIR / f"cc-{version}"
        native = version == "2.1.332"
        return {
            "kind": "claude",
            "version": version,
            "label": f"Claude Code {version}",
            "bin": root / "bin",
            "rewrite": [
                (str(root / "node_modules"), "/home/dev/.npm-global/lib/node_modules"),
                (str(root / "bin"), "/home/dev/.npm-global/bin"),
            ],
            "native": native,
        }
    if name == "ts-sdk":
        root = CLIENTS_DIR / f"ts-{version}"
        return {
            "kind": "ts",
            "version": version,
            "label": f"@anthropic-ai/sdk TypeScript SDK {version}",
            "root": root,
            "rewrite": [(str(root / "node_modules"), "/home/dev/project/node_modules")],
        }
    if name == "py-anthropic":
        root = CLIENTS_DIR / f"py-{version}"
        return {
            "kind": "py",
            "version": version,
            "label": f"anthropic Python SDK {version}",
            "bin": root / ".venv" / "bin",
            "rewrite": [(str(root / ".venv"), "/home/dev/project/.venv")],
        }
    raise SystemExit(f"unknown client {client}")


def case_name(client: str, mode: str, fault: str) -> str:
    return f"{client}-{fault}" if mode == "sdk" else f"{client}-{mode}-{fault}"


def load_fault(fault: str, kind: str) -> dict:
    spec = yaml.safe_load((HERE / "faults.yaml").read_text())
    f = dict(spec["faults"][fault])
    for override in ("sdk", kind if kind == "py" else None):
        if override and kind in ("ts", "py") and override in f:
            f.update(f[override])
    f["_common"] = spec
    return f


# ---------------------------------------------------------------- outer: prepare, then re-exec in a namespace


def prepare_pki() -> None:
    subprocess.run(["sh", str(HERE / "pki.sh"), str(PKI)], check=True)


def cmd_run(args: argparse.Namespace) -> int:
    if os.geteuid() != 0:
        raise SystemExit("the lab needs root (namespaces, iptables, bind mounts)")
    prepare_pki()
    name = case_name(args.client, args.mode, args.fault)
    rundir = WORK / "runs" / name
    shutil.rmtree(rundir, ignore_errors=True)
    (rundir / "logs").mkdir(parents=True)
    os.chmod(rundir / "logs", 0o777)
    spec = {**vars(args), "name": name, "rundir": str(rundir)}
    (rundir / "spec.json").write_text(json.dumps(spec))
    inner = [sys.executable, str(Path(__file__).resolve()), "_inner", str(rundir / "spec.json")]
    return subprocess.run(["unshare", "-n", "-m", *inner]).returncode


# ---------------------------------------------------------------- inner: servers, client, capture


def wait_port(port: int, host: str = "127.0.0.1", secs: float = 10) -> None:
    end = time.time() + secs
    while time.time() < end:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server on {host}:{port} did not come up")


def start_servers(f: dict, rundir: Path, procs: list[subprocess.Popen]) -> None:
    logs = rundir / "logs"
    py = sys.executable

    def spawn(cmd: list[str], name: str) -> None:
        out = open(logs / f"{name}.out", "w")  # stays open as long as the server runs
        procs.append(subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT))

    def wait_ready(name: str) -> None:
        end = time.time() + 10
        while "ready" not in (logs / f"{name}.out").read_text():
            if time.time() > end:
                raise SystemExit(f"{name} did not come up")
            time.sleep(0.1)

    if f.get("api"):
        port = f.get("api_port", 443)
        spawn(
            [
                py,
                str(HERE / "srv/mock_api.py"),
                "--mode",
                str(f["api"]),
                "--port",
                str(port),
                "--cert",
                str(PKI / "api-chain.pem"),
                "--key",
                str(PKI / "api.key"),
                "--log",
                str(logs / "api.jsonl"),
            ],
            "api",
        )
        wait_port(port)
    if f.get("gateway"):
        mode, port = f["gateway"]
        spawn(
            [
                py,
                str(HERE / "srv/mock_api.py"),
                "--mode",
                mode,
                "--port",
                str(port),
                "--log",
                str(logs / "gateway.jsonl"),
            ],
            "gateway",
        )
        wait_port(port)
    if f.get("mitm"):
        spawn(
            [
                py,
                str(HERE / "srv/mitm_proxy.py"),
                "--transparent",
                "--port",
                "443",
                "--cert",
                str(PKI / f"{f['mitm']}.pem"),
                "--key",
                str(PKI / "contoso-leaf.key"),
                "--upstream-port",
                str(f.get("api_port", 8443)),
                "--upstream-ca",
                str(PKI / "root.crt"),
                "--log",
                str(logs / "mitm.jsonl"),
            ],
            "mitm",
        )
        wait_ready("mitm")
    proxy = f.get("proxy")
    if proxy == "mitm":
        spawn(
            [
                py,
                str(HERE / "srv/mitm_proxy.py"),
                "--port",
                "8080",
                "--cert",
                str(PKI / "contoso-chain-with-root.pem"),
                "--key",
                str(PKI / "contoso-leaf.key"),
                "--upstream-ca",
                str(PKI / "root.crt"),
                "--log",
                str(logs / "mitm.jsonl"),
            ],
            "mitm",
        )
        wait_ready("mitm")
    elif proxy in ("tinyproxy-auth", "tinyproxy-open"):
        conf = logs / "tinyproxy.conf"
        auth = "BasicAuth diaguser diagpass\n" if proxy == "tinyproxy-auth" else ""
        conf.write_text(
            "User tinyproxy\nGroup tinyproxy\nPort 3128\nListen 127.0.0.1\nTimeout 60\n"
            f'LogFile "{logs}/tinyproxy.log"\nLogLevel Info\nMaxClients 50\nAllow 127.0.0.1\n'
            f"ConnectPort 443\n{auth}"
        )
        spawn(["tinyproxy", "-d", "-c", str(conf)], "tinyproxy")
        wait_port(3128)
    elif proxy == "squid-deny":
        conf = logs / "squid.conf"
        conf.write_text(
            "http_port 127.0.0.1:3128\nvisible_hostname proxy.corp.example\ncache deny all\n"
            "acl ai_blocked dstdomain .anthropic.com .claude.ai .claude.com\n"
            "acl SSL_ports port 443\nacl CONNECT method CONNECT\n"
            "http_access deny ai_blocked\nhttp_access deny CONNECT !SSL_ports\nhttp_access allow localhost\n"
            "http_access deny all\n"
            f"access_log {logs}/squid-access.log\ncache_log {logs}/squid-cache.log\npid_filename {logs}/squid.pid\n"
            "cache_effective_user proxy\ncoredump_dir /tmp\ndns_nameservers 127.0.0.1\n"
        )
        spawn(["squid", "-N", "-f", str(conf)], "squid")
        wait_port(3128, secs=20)
    if f.get("dns"):
        spawn([py, str(HERE / "srv/dns_stub.py"), "--mode", f["dns"], "--log", str(logs / "dns.jsonl")], "dns")
        time.sleep(0.5)


def jsonl(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def server_check(f: dict, logs: Path) -> tuple[str, dict]:
    """The notes' server-side sentence and the counts it is made of."""
    parts, counts = [], {}
    for who, label in (("api", "the API mock"), ("gateway", "the gateway mock")):
        if not (f.get(who) or (who == "api" and f.get("mitm"))):
            continue
        recs = jsonl(logs / f"{who}.jsonl")
        msgs = [r for r in recs if r["path"].split("?")[0].endswith("/messages")]
        counts[who] = len(recs)
        counts[f"{who}_messages"] = len(msgs)
        counts[f"{who}_statuses"] = sorted({r["status"] for r in msgs})
        counts[f"{who}_all_statuses"] = sorted({r["status"] for r in recs})
        text = f"{label} answered {len(recs)} requests"
        if msgs:
            text += f" ({len(msgs)} to .../messages, status {'/'.join(map(str, counts[f'{who}_statuses']))})"
        parts.append(text)
    proxy = f.get("proxy")
    if proxy in ("tinyproxy-auth", "tinyproxy-open"):
        log = (logs / "tinyproxy.log").read_text(errors="replace") if (logs / "tinyproxy.log").exists() else ""
        n = len(re.findall(r"Request \(file descriptor \d+\): CONNECT ", log))
        counts["proxy"] = n
        parts.insert(0, f"tinyproxy received {n} CONNECT requests")
    elif proxy == "squid-deny":
        log = (logs / "squid-access.log").read_text() if (logs / "squid-access.log").exists() else ""
        n = len(re.findall(r"TCP_DENIED/403 \d+ CONNECT", log))
        counts["proxy"] = n
        parts.insert(0, f"squid logged {n} TCP_DENIED/403 CONNECTs")
    if proxy == "mitm" or f.get("mitm"):
        recs = jsonl(logs / "mitm.jsonl")
        kind = "request" if proxy == "mitm" else "tls-connection"
        n = sum(1 for r in recs if r["kind"] == kind)
        counts["mitm"] = n
        what = "CONNECT requests" if proxy == "mitm" else "TLS connections"
        parts.insert(0, f"the intercepting proxy saw {n} {what}")
    if f.get("dns"):
        recs = jsonl(logs / "dns.jsonl")
        api = sum(1 for r in recs if r["name"].rstrip(".") == "api.anthropic.com")
        counts["dns"], counts["dns_api"] = len(recs), api
        if f["dns"] == "nxdomain":
            parts.insert(0, f"the DNS responder answered NXDOMAIN to {len(recs)} queries ({api} for api.anthropic.com)")
        else:
            parts.insert(0, f"the DNS responder dropped {len(recs)} queries ({api} for api.anthropic.com)")
    return "; ".join(parts), counts


def fault_reached(fault: str, f: dict, counts: dict, exit_code: int) -> str:
    """'' when the servers saw what this fault should make them see, else why not (step 3 of the lab)."""
    msgs = counts.get("api_messages", 0)
    statuses = counts.get("api_statuses", [])
    expect_status = {"401": 401, "429": 429, "529": 529, "credit": 400, "model404": 404, "edge403": 403}
    if fault in expect_status:
        # an interactive first start only reaches the start-up check, so any path with the status will do
        seen = statuses if msgs else counts.get("api_all_statuses", [])
        return "" if expect_status[fault] in seen else f"the API mock answered no {expect_status[fault]}"
    if fault == "healthy" and exit_code == -1:  # an interactive first start waiting at the theme picker
        return "" if 200 in counts.get("api_all_statuses", []) else "the start-up check got no answer"
    if fault == "healthy" or fault == "healthy-via-proxy":
        return "" if 200 in statuses and exit_code == 0 else "no successful /v1/messages"
    if f.get("proxy") in ("tinyproxy-auth", "squid-deny", "mitm") or f.get("mitm"):
        key = "mitm" if (f.get("proxy") == "mitm" or f.get("mitm")) else "proxy"
        if not counts.get(key):
            return "the proxy/middlebox saw nothing"
        return "" if msgs == 0 else "the API mock got a message request"
    if f.get("dns"):
        return "" if counts.get("dns_api") else "no DNS query for api.anthropic.com"
    if f.get("gateway") and fault.startswith("baseurl"):
        return "" if counts.get("gateway_messages") else "the gateway saw no message request"
    if fault in (
        "connect-timeout",
        "tcp-reset",
        "clock-behind",
        "clock-skew",
        "proxy-unreachable",
        "preflight-blocked",
    ):
        return "" if counts.get("api", 0) == 0 else "the API mock was reached"
    if fault == "local-gateway-down" or f.get("env", {}).get("ANTHROPIC_BASE_URL", "").startswith("https://api."):
        return "" if msgs == 0 or 404 in statuses else "the API mock answered a message"
    return ""


def wait_secs(spec: dict, f: dict) -> int:
    return int(spec.get("wait") or f.get("wait") or (30 if f.get("iptables") else 25))


def build_env(f: dict, ci: dict, home: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(full env for env -i, the case-specific part in /home/dev terms)."""
    case: dict[str, str] = {"ANTHROPIC_API_KEY": API_KEY}
    if ci["kind"] == "claude":
        case.update(DISABLE_AUTOUPDATER="1", CLAUDE_CODE_MAX_RETRIES="2")
    if f.get("ca"):
        if ci["kind"] == "py":
            case["SSL_CERT_FILE"] = "/home/dev/certs/bundle.pem"
        else:
            case["NODE_EXTRA_CA_CERTS"] = "/home/dev/certs/root.crt"
    case.update({k: str(v) for k, v in (f.get("env") or {}).items()})
    path = ["/usr/local/bin", "/usr/bin", "/bin"]
    if ci.get("bin"):
        path.insert(0, str(ci["bin"]))
    full = {"HOME": str(home), "USER": USER, "PATH": ":".join(path), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    full.update({k: v.replace("/home/dev/certs", str(PKI)) for k, v in case.items()})
    if f.get("faketime"):
        full.update(LD_PRELOAD=FAKETIME_LIB, FAKETIME=str(f["faketime"]), DONT_FAKE_MONOTONIC="1")
    return full, case


def client_argv(ci: dict, mode: str, f: dict) -> tuple[list[str], str]:
    """argv and the command as the notes show it."""
    model = f.get("model")
    if ci["kind"] == "claude":
        argv = ["claude"]
        if model:
            argv += ["--model", model]
        if mode == "debug":
            argv.append("--debug")
        if mode != "interactive":
            argv += ["-p", "say hi"]
        shown = " ".join(a if " " not in a else f'"{a}"' for a in argv)
        return argv, shown
    if ci["kind"] == "ts":
        argv = ["node", "call.mjs", *([model] if model else [])]
    else:
        argv = ["python", "call.py", *([model] if model else [])]
    return argv, " ".join(argv)


def run_client(
    argv: list[str], env: dict[str, str], cwd: Path, mode: str, rundir: Path, wait: int
) -> tuple[str, int, float]:
    drop = [
        "setpriv",
        f"--reuid={USER}",
        f"--regid={USER}",
        "--clear-groups",
        "--",
        "env",
        "-i",
        *[f"{k}={v}" for k, v in env.items()],
    ]
    start = time.time()
    if mode != "interactive":
        with open(rundir / "terminal.raw", "wb") as out:
            p = subprocess.run(
                ["timeout", "-k", "5", "150", *drop, *argv],
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return (rundir / "terminal.raw").read_text(errors="replace"), p.returncode, time.time() - start
    sock = f"lab-{os.getpid()}"
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    inner = " ".join(_sh(a) for a in [*drop, *argv])
    status_file = rundir / "exit-status"
    # After the client exits the shell records its status and sleeps silently, so the pane keeps the client's last
    # screen untouched (tmux's remain-on-exit would add a 'Pane is dead' row and scroll it).
    script = f"cd {_sh(str(cwd))}; {inner}; echo $? > {_sh(str(status_file))}; exec sleep 3600"
    subprocess.run([*tmux, "new-session", "-d", "-x", "120", "-y", "40", "-c", str(cwd), script], check=True)
    time.sleep(wait)
    pane = subprocess.run([*tmux, "capture-pane", "-p"], capture_output=True, text=True).stdout
    subprocess.run([*tmux, "kill-server"], check=False)
    code = status_file.read_text().strip() if status_file.exists() else ""
    exit_code = int(code) if code.isdigit() else -1  # -1: still running when captured
    lines = pane.rstrip("\n").split("\n")
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(lines) + "\n", exit_code, time.time() - start


def _sh(s: str) -> str:
    return "'" + s.replace("'", "'\\''") + "'"


def rewrite(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in sorted(pairs, key=lambda p: -len(p[0])):
        text = text.replace(old, new)
    return text


KEY_LINE = re.compile(
    r"error|Error|ERROR|Unable|Failed|failed|timed out|refused|[Ii]nvalid|Credit|issue with|blocked|Warning|⚠|"
    r"Can't|Couldn't|not yet valid|CERT|certificate"
)


# The headline of an uncaught error: Node's 'APIConnectionError: ...', Python's 'anthropic.NotFoundError: ...',
# Claude Code's 'API Error: ...' (at column 0; the indented fields and stack frames below it are not headlines).
HEADLINE = re.compile(r"^(API Error\b|[A-Za-z_][\w.]*(Error|Exception)\b.*?: )")


STARTUP_CHECK = re.compile(r"^\s*(Failed to connect to |Connection to \S+ timed out|Let's get started)")


def key_line(text: str) -> tuple[int, str]:
    """(1-based line, text) of the line a reader would quote: an error headline, else the last error-looking line,
    else the last line."""
    lines = text.splitlines()
    # Python's 'Exception ignored in: ... __del__' tail (a destructor failing at exit) is not the error.
    cut = next((i for i, ln in enumerate(lines) if ln.startswith("Exception ignored in")), len(lines))
    heads = [(i + 1, ln.strip()) for i, ln in enumerate(lines[:cut]) if HEADLINE.match(ln)]
    # A first-start screen: the start-up check's own line says what failed.
    checks = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if STARTUP_CHECK.match(ln)]
    if checks and not heads:
        return checks[0]
    if heads:
        # Python prints the chained cause first and the SDK's own exception last; Node prints the SDK's first.
        return heads[-1] if any(ln.startswith("Traceback") for ln in lines) else heads[0]
    hits = [
        (i + 1, ln.strip()) for i, ln in enumerate(lines) if KEY_LINE.search(ln) and not ln.lstrip().startswith("File ")
    ]
    if hits:
        return hits[-1]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i + 1, lines[i].strip()
    return 0, ""


def inner(spec_path: str) -> int:
    spec = json.loads(Path(spec_path).read_text())
    rundir = Path(spec["rundir"])
    logs = rundir / "logs"
    ci = client_info(spec["client"])
    mode, fault = spec["mode"], spec["fault"]
    f = load_fault(fault, ci["kind"])
    # namespace plumbing
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    names = [n for n in LAB_NAMES if not (f.get("dns") and n == "api.anthropic.com")]
    (rundir / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n" + "".join(f"127.0.0.1 {n}\n" for n in names))
    (rundir / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    for src, dst in (("hosts", "/etc/hosts"), ("resolv.conf", "/etc/resolv.conf")):
        os.chmod(rundir / src, 0o644)
        subprocess.run(["mount", "--bind", str(rundir / src), dst], check=True)
    # a fresh HOME per run, owned by the unprivileged user
    home = rundir / "home"
    project = home / "project"
    project.mkdir(parents=True)
    if ci["kind"] == "ts":
        shutil.copy(HERE / "call.mjs", project / "call.mjs")
        (project / "node_modules").symlink_to(ci["root"] / "node_modules")
    if ci["kind"] == "py":
        shutil.copy(HERE / "call.py", project / "call.py")
    subprocess.run(["chown", "-R", f"{USER}:{USER}", str(home)], check=True)
    for p in (rundir, WORK / "runs", WORK):
        os.chmod(p, 0o755)

    procs: list[subprocess.Popen] = []
    try:
        start_servers(f, rundir, procs)
        for rule in f.get("iptables") or []:
            subprocess.run(["iptables", *rule.split()], check=True)
        env, case_env = build_env(f, ci, home)
        argv, shown = client_argv(ci, mode, f)
        wait = wait_secs(spec, f)
        text, code, secs = run_client(argv, env, project, mode, rundir, wait)
        time.sleep(0.5)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
    check, counts = server_check(f, logs)
    problem = fault_reached(fault, f, counts, code)
    pairs = [
        (str(project), "/home/dev/project"),
        (str(home), "/home/dev"),
        (str(PKI), "/home/dev/certs"),
        *ci["rewrite"],
    ]
    write_capture(spec, ci, f, rewrite(text, pairs), code, secs, shown, case_env, check, home, pairs)
    (logs / "result.json").write_text(json.dumps({"counts": counts, "problem": problem, "exit": code}))
    print(f"{spec['name']}: exit {code}, {secs:.0f}s; {check}" + (f"; CHECK FAILED: {problem}" if problem else ""))
    return 0


def write_capture(
    spec: dict,
    ci: dict,
    f: dict,
    text: str,
    code: int,
    secs: float,
    shown: str,
    case_env: dict[str, str],
    check: str,
    home: Path,
    pairs: list[tuple[str, str]],
) -> None:
    out = Path(spec["out"]) / spec["name"]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    mode = spec["mode"]
    (out / "terminal.txt").write_text(text)
    evidence = []
    n, line = key_line(text)
    evidence.append(f"terminal.txt:{n} — {line[:200]}")
    debug_text = ""
    if ci["kind"] == "claude" and mode == "debug":
        logs = sorted((home / ".claude" / "debug").glob("*.txt"), key=lambda p: p.stat().st_mtime)
        if logs:
            debug_text = rewrite(logs[-1].read_text(errors="replace"), pairs)
            (out / "claude-debug.log").write_text(debug_text)
            dn, dline = debug_key_line(debug_text)
            if dn:
                evidence.append(f"claude-debug.log:{dn} — {dline[:200]}")
    # env.txt in about half the cases whose fault sets proxy / base-URL / CA variables (not the lab CA every
    # reachable-mock run gets: shared/lab gives no env.txt to those), picked by a stable hash of the name
    fault_vars = list(f.get("env") or {})
    with_env = bool(fault_vars) and int(hashlib.sha256(spec["name"].encode()).hexdigest(), 16) % 2 == 0
    if with_env:
        env_lines = [f"{k}={v}" for k, v in case_env.items()]
        (out / "env.txt").write_text("\n".join(env_lines) + "\n")
        k = fault_vars[0]
        evidence.append(f"env.txt:{list(case_env).index(k) + 1} — {k}={case_env[k]}")
    truth = f["truth"]
    by_mode = truth.get("by_mode") or {}
    also = list(by_mode.get("sdk" if mode == "sdk" else mode, truth.get("also_plausible") or []))
    generic = truth.get("generic")
    if generic and not re.search(generic["unless"], text + debug_text):
        also = list(generic["also_plausible"])
    common = f["_common"]
    setup_bits = []
    if f.get("api"):
        behaviour = common["ok_behaviour"] if f["api"] == "ok" else ""
        setup_bits.append(common["mock_setup"].format(mode=f["api"], port=f.get("api_port", 443)).strip())
        if behaviour:
            setup_bits[-1] += f": {behaviour}"
    hosts_note = "; api.anthropic.com removed from hosts" if f.get("dns") else ""
    server = "; ".join([*setup_bits, *([f["setup"].strip()] if f.get("setup") else [])])
    if f.get("api") and f["api"] != "ok" and f.get("setup"):
        server = setup_bits[0] + ": " + f["setup"].strip()
    ipt = " ".join(f"iptables: {r}." for r in f.get("iptables") or [])
    env_str = " ".join(f"{k}={v}" for k, v in case_env.items())
    if mode == "interactive":
        how = (
            f"Command: {shown}, started interactively in a tmux pane (120x40) with a fresh HOME and no onboarding; "
            f"pane captured with capture-pane -p after {wait_secs(spec, f)} s"
        )
        state = f"exit code {code}" if code >= 0 else "still running when captured"
        tail = "Machine paths rewritten to /home/dev; trailing empty pane rows dropped."
    else:
        how = f"Command: {shown}"
        state = f"exit code {code}"
        tail = "Machine paths rewritten to /home/dev."
    notes = (
        f"{how} (bounded by timeout; {state}, {secs:.0f} s). Env as set for the run (beyond HOME/USER/PATH/TERM/LANG): "
        f"{env_str}. Server setup ({common['common_setup'].strip()}"
        f"{hosts_note}): {server}. {ipt + ' ' if ipt else ''}Server-side check: {check}. {tail}"
    )
    mode_text = {
        "p": "claude -p",
        "debug": "claude --debug -p",
        "interactive": "interactive claude under tmux",
        "sdk": "script calling messages.create",
    }[mode]
    doc = {
        "source": f"lab capture ({ci['label']}, {mode_text}), {DATE}",
        "root_cause": truth["root_cause"],
        "also_plausible": also,
        "evidence": evidence,
        "fix": truth["fix"],
        "confidence": "high",
        "notes": notes,
    }
    with open(out / "truth.yaml", "w", encoding="utf-8") as fh:
        for key, val in doc.items():
            if key == "also_plausible":
                fh.write(f"also_plausible: [{', '.join(val)}]\n")
            elif key == "evidence":
                fh.write("evidence:\n" + "".join(f"  - {json.dumps(e, ensure_ascii=False)}\n" for e in val))
            elif key in ("root_cause", "confidence"):
                fh.write(f"{key}: {val}\n")
            elif key == "source":
                fh.write(f"source: {val}\n")
            else:
                fh.write(f"{key}: {json.dumps(val, ensure_ascii=False)}\n")


# Claude Code's own telemetry failing to export is noise in every offline run, not the cause.
DEBUG_NOISE = re.compile(r"event logging|events failed to export|Failed to export|\{\"stack\"")


def debug_key_line(text: str) -> tuple[int, str]:
    """(line, text) of the debug log's most telling [ERROR]: the connection-error details, else the last one."""
    errs = [(i + 1, ln.split("] ", 1)[-1]) for i, ln in enumerate(text.splitlines()) if "[ERROR]" in ln]
    errs = [e for e in errs if not DEBUG_NOISE.search(e[1])]
    details = [e for e in errs if "details:" in e[1] or "code=" in e[1]]
    return (details or errs or [(0, "")])[-1]


def cmd_evidence(dirs: list[str]) -> int:
    """Recompute the terminal.txt evidence line of existing captures (after a change of key_line)."""
    for d in map(Path, dirs):
        truth = d / "truth.yaml"
        if not truth.exists():
            continue
        n, line = key_line((d / "terminal.txt").read_text())
        new = json.dumps(f"terminal.txt:{n} — {line[:200]}", ensure_ascii=False)
        text = re.sub(
            r'(?m)^  - "terminal\.txt:\d+ — .*"$', lambda _m, new=new: f"  - {new}", truth.read_text(), count=1
        )
        if (d / "claude-debug.log").exists():
            dn, dline = debug_key_line((d / "claude-debug.log").read_text())
            dnew = json.dumps(f"claude-debug.log:{dn} — {dline[:200]}", ensure_ascii=False)
            text = re.sub(r'(?m)^  - "claude-debug\.log:\d+ — .*"$', lambda _m, dnew=dnew: f"  - {dnew}", text, count=1)
        truth.write_text(text)
    return 0


def cmd_table(dirs: list[str]) -> int:
    """Markdown table of what each client/version/mode prints for each fault: the key line of each capture."""
    faults = list(yaml.safe_load((HERE / "faults.yaml").read_text())["faults"])
    rows = []
    for top in map(Path, dirs):
        for d in sorted(p for p in top.iterdir() if (p / "terminal.txt").exists()):
            fault = next((f for f in sorted(faults, key=len, reverse=True) if d.name.endswith("-" + f)), "?")
            who = d.name[: -len(fault) - 1]
            text = (d / "terminal.txt").read_text()
            if (d / "claude-debug.log").exists() and not text.strip().startswith("[DEBUG]"):
                extra = debug_key_line((d / "claude-debug.log").read_text())[1]
            else:
                extra = ""
            line = key_line(text)[1] + (f" ⟨debug log: {extra}⟩" if extra else "")
            rows.append((faults.index(fault) if fault in faults else 99, fault, who, line))
    print("| fault | client-version-mode | key line |\n| --- | --- | --- |")
    for _, fault, who, line in sorted(rows):
        cell = line.replace("|", "\\|")
        print(f"| {fault} | {who} | {cell[:160]}{'…' if len(cell) > 160 else ''} |")
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "table":
        return cmd_table(sys.argv[2:])
    if len(sys.argv) > 2 and sys.argv[1] == "_inner":
        return inner(sys.argv[2])
    if len(sys.argv) > 2 and sys.argv[1] == "evidence":
        return cmd_evidence(sys.argv[2:])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="one capture")
    run.add_argument("client")
    run.add_argument("mode", choices=["p", "debug", "interactive", "sdk"])
    run.add_argument("fault")
    run.add_argument("--out", default=str(HERE.parent / "data" / "lab-versions"))
    run.add_argument("--wait", type=int, help="seconds before the pane is captured (interactive)")
    args = ap.parse_args()
    return cmd_run(args)


if __name__ == "__main__":
    sys.exit(main())
