"""One gateway capture: a real gateway (LiteLLM, claude-code-router) between a real client and a local upstream mock,
under one fault, in a loopback-only namespace.

  python gw.py run GATEWAY CLIENT FAULT [--out DIR]     GATEWAY litellm | ccr
      CLIENT  claude-2.1.5 | claude-2.0.76 (node cli.js -p hi) | curl (curl -sv POST /v1/messages)
              | ccrcode-2.1.5 (ccr code -p hi, which launches Claude Code 2.1.5 itself)
      FAULT   a key of faults.yaml
  python gw.py table DIR                                 markdown: gateway x fault -> key line, body shape

Needs root (unshare -n -m, bind mounts), the user `dev` (uid 1500) the clients run as, and the programs installed
by install.sh under $GW_CLIENTS (default /work/gwclients). Nothing leaves loopback: the namespace has only `lo`,
/etc/hosts knows only localhost and /etc/resolv.conf points at 127.0.0.1, where no DNS server runs.
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
CLIENTS = Path(os.environ.get("GW_CLIENTS", "/work/gwclients"))
WORK = Path(os.environ.get("GW_WORK", "/work/gwruns"))
USER = "dev"
UPSTREAM_PORT = 9100
UPSTREAM_KEY = "sk-upstream-PLACEHOLDER"
# The model ids Claude Code 2.1.5 / 2.0.76 send by default (main loop and the small fast model).
CLIENT_MODELS = ["claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001", "claude-opus-4-5-20251101"]
DATE = time.strftime("%Y-%m-%d")


def spec() -> dict:
    return yaml.safe_load((HERE / "faults.yaml").read_text())


def fault_of(name: str, gateway: str) -> dict:
    f = dict(spec()["faults"][name])
    f.update(f.pop("ccr", {}) if gateway == "ccr" else {})
    f.pop("ccr", None)
    return f


def version(gateway: str) -> str:
    if gateway == "litellm":
        out = subprocess.run(
            [str(CLIENTS / "litellm-venv/bin/pip"), "show", "litellm"], capture_output=True, text=True
        ).stdout
        return re.search(r"Version: (\S+)", out).group(1)  # type: ignore[union-attr]
    pkg = CLIENTS / "ccr/node_modules/@musistudio/claude-code-router/package.json"
    return json.loads(pkg.read_text())["version"]


def cc_cli(v: str) -> Path:
    return CLIENTS / f"cc-{v}/node_modules/@anthropic-ai/claude-code/cli.js"


# ---------------------------------------------------------------- outer


def cmd_run(a: argparse.Namespace) -> int:
    if os.geteuid() != 0:
        raise SystemExit("needs root (namespaces, bind mounts)")
    name = f"{a.gateway}-{a.client}-{a.fault}"
    rundir = WORK / name
    shutil.rmtree(rundir, ignore_errors=True)
    (rundir / "logs").mkdir(parents=True)
    for p in (WORK, rundir, rundir / "logs"):
        os.chmod(p, 0o777 if p.name == "logs" else 0o755)
    (rundir / "spec.json").write_text(json.dumps({**vars(a), "name": name, "rundir": str(rundir)}))
    inner = [sys.executable, str(Path(__file__).resolve()), "_inner", str(rundir / "spec.json")]
    return subprocess.run(["unshare", "-n", "-m", *inner]).returncode


# ---------------------------------------------------------------- inner


def wait_port(port: int, secs: float, path: str | None = None) -> bool:
    end = time.time() + secs
    while time.time() < end:
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=0.5)
            if path is None:
                s.close()
                return True
            s.sendall(f"GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".encode())
            ok = s.recv(64).startswith(b"HTTP/1.1 200")
            s.close()
            if ok:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def as_dev(env: dict[str, str]) -> list[str]:
    return ["setpriv", f"--reuid={USER}", f"--regid={USER}", "--clear-groups", "--", "env", "-i"] + [
        f"{k}={v}" for k, v in env.items()
    ]


def litellm_config(f: dict, rundir: Path, gw: dict) -> Path:
    aliases = f.get("aliases") or CLIENT_MODELS
    up_shape = (
        (f.get("upstream") or ["anthropic"])[0] if f.get("upstream") != "none" else f.get("provider", "anthropic")
    )
    provider = f.get("provider", up_shape)
    models = []
    for alias in aliases:
        if provider == "anthropic":
            params = {"model": f"anthropic/{alias}", "api_base": f"http://127.0.0.1:{UPSTREAM_PORT}"}
        else:
            params = {"model": "openai/gpt-4o", "api_base": f"http://127.0.0.1:{UPSTREAM_PORT}/v1"}
        params.update(api_key=UPSTREAM_KEY, timeout=f.get("timeout", 30))
        models.append({"model_name": alias, "litellm_params": params})
    cfg = {"model_list": models, "general_settings": {"master_key": gw["key"]}}
    path = rundir / "gwhome" / "litellm_config.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    return path


def ccr_config(f: dict, home: Path, gw: dict) -> None:
    up_shape = f["upstream"][0] if f.get("upstream") not in (None, "none") else f.get("provider", "openai")
    provider = f.get("provider", up_shape)
    models = f.get("aliases") or ["gpt-4o"]
    if provider == "anthropic":
        entry = {
            "name": "mock",
            "api_base_url": f"http://127.0.0.1:{UPSTREAM_PORT}/v1/messages",
            "api_key": UPSTREAM_KEY,
            "models": models,
            "transformer": {"use": ["Anthropic"]},
        }
    else:
        entry = {
            "name": "mock",
            "api_base_url": f"http://127.0.0.1:{UPSTREAM_PORT}/v1/chat/completions",
            "api_key": UPSTREAM_KEY,
            "models": models,
        }
    # model-alias: the router's default names a provider,model pair the config does not have (the README's
    # openrouter route kept after its provider entry was removed)
    default = "openrouter,anthropic/claude-sonnet-4" if f.get("aliases") else "mock,gpt-4o"
    cfg = {
        "APIKEY": gw["key"],
        "LOG": True,
        "API_TIMEOUT_MS": int(f.get("timeout", 30)) * 1000,
        "Providers": [entry],
        "Router": {"default": default},
    }
    d = home / ".claude-code-router"
    d.mkdir(parents=True, exist_ok=True)
    text = json.dumps(cfg, indent=2)
    if f.get("config") == "invalid":
        # a hand edit that lost its closing lines (the file ends inside the Providers array)
        text = text[: text.index('"Router"')].rstrip().rstrip(",") + ",\n"
    (d / "config.json").write_text(text)


def client_cmd(client: str, gw_name: str, gw: dict, f: dict, home: Path, rundir: Path) -> tuple[list[str], dict, str]:
    """(argv, env, command as shown in the notes)."""
    base = f"http://127.0.0.1:{gw['port']}{f.get('path', '')}"
    key = {"ok": gw["key"], "wrong": gw["wrong_key"], "none": ""}[f.get("key", "ok")]
    env = {
        "HOME": str(home),
        "USER": USER,
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
    }
    case: dict[str, str] = {}
    if client.startswith("claude-"):
        v = client.split("-", 1)[1]
        case = {"DISABLE_AUTOUPDATER": "1", "CLAUDE_CODE_MAX_RETRIES": "2", "ANTHROPIC_BASE_URL": base}
        if key:
            case["ANTHROPIC_AUTH_TOKEN"] = key
        case.update({k: str(v) for k, v in (f.get("client_env") or {}).items()})
        return ["node", str(cc_cli(v)), "-p", "hi"], {**env, **case}, "claude -p hi (node cli.js -p hi)"
    if client.startswith("ccrcode-"):
        v = client.split("-", 1)[1]
        bindir = rundir / "bin"
        bindir.mkdir(exist_ok=True)
        (bindir / "claude").symlink_to(cc_cli(v))
        case = {"DISABLE_AUTOUPDATER": "1", "CLAUDE_CODE_MAX_RETRIES": "2"}
        env["PATH"] = f"{CLIENTS / 'ccr/node_modules/.bin'}:{bindir}:" + env["PATH"]
        return ["ccr", "code", "-p", "hi"], {**env, **case}, "ccr code -p hi"
    body = json.dumps({"model": CLIENT_MODELS[0], "max_tokens": 64, "messages": [{"role": "user", "content": "hi"}]})
    argv = ["curl", "-sv", f"{base}/v1/messages"]
    shown = f"curl -sv {base}/v1/messages"
    if key:
        argv += ["-H", f"x-api-key: {key}"]
        shown += f" -H 'x-api-key: {key}'"
    argv += ["-H", "anthropic-version: 2023-06-01", "-H", "content-type: application/json", "-d", body]
    shown += f" -H 'anthropic-version: 2023-06-01' -H 'content-type: application/json' -d '{body}'"
    return argv, env, shown


def start_gateway(gw_name: str, f: dict, gw: dict, home: Path, rundir: Path, procs: list, logs: Path) -> str:
    """Start the gateway unless the fault says it is not running; returns a note on how it was started."""
    if gw_name == "litellm":
        cfg = litellm_config(f, rundir, gw)
        if f.get("running") is False:
            return "LiteLLM configured but never started"
        out = open(logs / "gateway.out", "w")
        env = {**os.environ, "LITELLM_LOCAL_MODEL_COST_MAP": "True", "HOME": str(rundir / "gwhome")}
        procs.append(
            subprocess.Popen(
                [str(CLIENTS / "litellm-venv/bin/litellm"), "--config", str(cfg), "--port", str(gw["port"])],
                stdout=out,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=rundir / "gwhome",
            )
        )
        if not wait_port(gw["port"], 90, "/health/liveliness"):
            raise SystemExit("litellm did not come up")
        return f"litellm --config litellm_config.yaml --port {gw['port']}"
    ccr_config(f, home, gw)
    subprocess.run(["chown", "-R", f"{USER}:{USER}", str(home)], check=True)
    if f.get("port_taken"):
        holder = (
            "import socket,time\ns=socket.socket();s.setsockopt(socket.SOL_SOCKET,socket.SO_REUSEADDR,1)\n"
            f"s.bind(('127.0.0.1',{gw['port']}));s.listen(50)\nprint('ready',flush=True)\ntime.sleep(900)\n"
        )
        procs.append(subprocess.Popen([sys.executable, "-c", holder], stdout=open(logs / "holder.out", "w")))
        wait_port(gw["port"], 10)
    if f.get("running") is False or f.get("port_taken") or f.get("config") == "invalid" or f.get("_client_starts"):
        return "ccr not started before the client"
    env = {"HOME": str(home), "USER": USER, "PATH": f"{CLIENTS / 'ccr/node_modules/.bin'}:/usr/local/bin:/usr/bin:/bin"}
    out = open(logs / "ccr-start.out", "w")
    procs.append(subprocess.Popen(as_dev(env) + ["ccr", "start"], stdout=out, stderr=subprocess.STDOUT, cwd=home))
    if not wait_port(gw["port"], 30):
        raise SystemExit("ccr did not come up")
    return "ccr start (as the client's user, same HOME)"


def inner(spec_path: str) -> int:
    s = json.loads(Path(spec_path).read_text())
    rundir, gw_name, client, fault = Path(s["rundir"]), s["gateway"], s["client"], s["fault"]
    logs = rundir / "logs"
    sp = spec()
    gw = dict(sp["gateways"][gw_name])
    f = fault_of(fault, gw_name)
    if client.startswith("ccrcode-"):
        f["_client_starts"] = True
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    (rundir / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
    (rundir / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    for src, dst in (("hosts", "/etc/hosts"), ("resolv.conf", "/etc/resolv.conf")):
        os.chmod(rundir / src, 0o644)
        subprocess.run(["mount", "--bind", str(rundir / src), dst], check=True)
    home = rundir / "home"
    (home / "project").mkdir(parents=True)
    procs: list[subprocess.Popen] = []
    try:
        if f.get("upstream") not in (None, "none"):
            shape, mode = f["upstream"]
            procs.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        str(HERE / "upstream.py"),
                        "--shape",
                        shape,
                        "--mode",
                        str(mode),
                        "--port",
                        str(UPSTREAM_PORT),
                        "--log",
                        str(logs / "upstream.jsonl"),
                    ],
                    stdout=open(logs / "upstream.out", "w"),
                    stderr=subprocess.STDOUT,
                )
            )
            wait_port(UPSTREAM_PORT, 10)
        how = start_gateway(gw_name, f, gw, home, rundir, procs, logs)
        subprocess.run(["chown", "-R", f"{USER}:{USER}", str(home)], check=True)
        argv, env, shown = client_cmd(client, gw_name, gw, f, home, rundir)
        start = time.time()
        with open(rundir / "terminal.raw", "wb") as out:
            p = subprocess.run(
                ["timeout", "-k", "5", "170", *as_dev(env), *argv],
                cwd=home / "project",
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        secs, code = time.time() - start, p.returncode
        time.sleep(1)
        if gw_name == "ccr" and f.get("config") == "invalid":
            # what `ccr start` says about the config: the output a user pastes next to ccr code's
            cenv = {"HOME": str(home), "USER": USER, "PATH": f"{CLIENTS / 'ccr/node_modules/.bin'}:/usr/bin:/bin"}
            r = subprocess.run(as_dev(cenv) + ["ccr", "start"], capture_output=True, text=True, timeout=60, cwd=home)
            (logs / "ccr-start-after.out").write_text("$ ccr start\n" + r.stdout + r.stderr)
        if gw_name == "ccr":  # ccr start / ccr code leave a daemon behind: stop it the way a user would
            cenv = {"HOME": str(home), "USER": USER, "PATH": f"{CLIENTS / 'ccr/node_modules/.bin'}:/usr/bin:/bin"}
            subprocess.run(as_dev(cenv) + ["ccr", "stop"], capture_output=True, timeout=30)
    finally:
        for pr in procs:
            pr.terminate()
        for pr in procs:
            try:
                pr.wait(5)
            except subprocess.TimeoutExpired:
                pr.kill()
    write_capture(s, gw_name, gw, client, fault, f, env, argv, shown, how, code, secs, home, rundir)
    return 0


# ---------------------------------------------------------------- capture


def rewrites(home: Path, rundir: Path) -> list[tuple[str, str]]:
    pairs = [
        (str(home / "project"), "/home/dev/project"),
        (str(home), "/home/dev"),
        (str(rundir / "gwhome"), "/home/dev/litellm"),
        (str(rundir / "bin"), "/home/dev/.npm-global/bin"),
        (str(CLIENTS / "litellm-venv"), "/home/dev/litellm/.venv"),
        (str(CLIENTS / "ccr/node_modules/.bin"), "/home/dev/.npm-global/bin"),
        (str(CLIENTS / "ccr/node_modules"), "/home/dev/.npm-global/lib/node_modules"),
    ]
    for v in ("2.1.5", "2.0.76"):
        pairs.append((str(CLIENTS / f"cc-{v}/node_modules"), "/home/dev/.npm-global/lib/node_modules"))
    return sorted(pairs, key=lambda p: -len(p[0]))


def rewrite(text: str, pairs: list[tuple[str, str]]) -> str:
    for old, new in pairs:
        text = text.replace(old, new)
    return text


LONG = 4000


def cut_long_lines(text: str) -> str:
    """ccr's debug records carry whole request bodies (Claude Code's system prompt and tool list, ~100 KB a line):
    keep the first 300 characters of such a line and say how much was cut."""
    out = []
    for ln in text.split("\n"):
        out.append(ln if len(ln) <= LONG else f"{ln[:300]} …[{len(ln) - 300} characters cut]")
    return "\n".join(out)


def gateway_log(gw_name: str, home: Path, logs: Path) -> str:
    if gw_name == "ccr" and (logs / "ccr-start-after.out").exists():
        return (logs / "ccr-start-after.out").read_text()
    if gw_name == "litellm":
        p = logs / "gateway.out"
        return p.read_text(errors="replace") if p.exists() else ""
    files = sorted((home / ".claude-code-router" / "logs").glob("ccr-*.log"))
    return "".join(p.read_text(errors="replace") for p in files)


def upstream_check(logs: Path) -> tuple[str, list]:
    p = logs / "upstream.jsonl"
    recs = [json.loads(x) for x in p.read_text().splitlines()] if p.exists() else []
    if not recs:
        return "the upstream mock received no request", recs
    paths = sorted({r["path"] for r in recs})
    sts = sorted({str(r["status"]) for r in recs})
    return f"the upstream mock received {len(recs)} requests ({', '.join(paths)}; answered {'/'.join(sts)})", recs


KEY_LINE = re.compile(
    r"error|Error|ERROR|Unable|Failed|failed|timed out|refused|[Ii]nvalid|issue with|not found|missing|timeout|"
    r"< HTTP/"
)
HEADLINE = re.compile(r"^(API Error\b|[A-Za-z_][\w.]*(Error|Exception)\b.*?: )")


def key_line(text: str) -> tuple[int, str]:
    """(1-based line, text) a reader would quote: Claude Code's 'API Error' headline; for curl the body after the
    status (the last line), else the last error-looking line."""
    lines = text.splitlines()
    heads = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if HEADLINE.match(ln)]
    if heads:
        return heads[0]
    if any(ln.startswith("* ") or ln.startswith("> ") for ln in lines):  # curl -v
        body = [
            (i + 1, ln.strip())
            for i, ln in enumerate(lines)
            if ln.strip() and ln[:2] not in ("* ", "> ", "< ", "{ ", "} ")
        ]
        fails = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.startswith("* ") and KEY_LINE.search(ln)]
        status = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if ln.startswith("< HTTP/")]
        if body and status:
            return body[-1]
        if fails:
            return fails[-1]
    hits = [(i + 1, ln.strip()) for i, ln in enumerate(lines) if KEY_LINE.search(ln)]
    if hits:
        return hits[-1]
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].strip():
            return i + 1, lines[i].strip()
    return 0, ""


def status_line(text: str) -> tuple[int, str]:
    for i, ln in enumerate(text.splitlines()):
        if ln.startswith("< HTTP/"):
            return i + 1, ln.strip()
    return 0, ""


# gateway.log goes with the captures where a user asking for help would paste the gateway's own output: where the
# client's line does not tell what the gateway met (upstream faults, the alias, the protocol mismatch, the config).
LOG_FAULTS = {
    "model-alias",
    "openai-upstream",
    "upstream-unreachable",
    "upstream-timeout",
    "wrong-key",
    "config-invalid",
}
LOG_FAULTS |= {
    k for k in ("upstream-401", "upstream-429", "upstream-429-openai", "upstream-529", "upstream-500", "upstream-503")
}


def write_capture(s, gw_name, gw, client, fault, f, env, argv, shown, how, code, secs, home, rundir) -> None:
    logs = rundir / "logs"
    pairs = rewrites(home, rundir)
    out = Path(s["out"]) / s["name"]
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    text = rewrite((rundir / "terminal.raw").read_text(errors="replace"), pairs)
    (out / "terminal.txt").write_text(text)
    evidence = []
    n, line = key_line(text)
    if client == "curl":
        sn, sline = status_line(text)
        if sn:
            evidence.append(f"terminal.txt:{sn} — {sline}")
    evidence.append(f"terminal.txt:{n} — {line[:200]}")
    glog = cut_long_lines(rewrite(gateway_log(gw_name, home, logs), pairs))
    with_log = fault in LOG_FAULTS and bool(glog.strip()) and (client != "curl" or fault == "config-invalid")
    if with_log:
        (out / "gateway.log").write_text(glog)
        gl = glog.splitlines()
        # the gateway's own error record: LiteLLM's 'Exception occured' / ':ERROR:' lines, ccr's pino level>=40
        # records, the config parser's message
        errs = [(i + 1, ln) for i, ln in enumerate(gl) if "Exception occured" in ln]
        errs = errs or [(i + 1, ln) for i, ln in enumerate(gl) if re.search(r":ERROR:|\"level\":[45]0|^Failed to", ln)]
        if errs:
            evidence.append(f"gateway.log:{errs[0][0]} — {errs[0][1].strip()[:200]}")
    case_env = {k: v for k, v in env.items() if k not in ("HOME", "USER", "PATH", "TERM", "LANG")}
    case_env = {k: rewrite(v, pairs) for k, v in case_env.items()}
    shown_env = {k: v for k, v in case_env.items()}
    with_env = "ANTHROPIC_BASE_URL" in case_env and int(hashlib.sha256(s["name"].encode()).hexdigest(), 16) % 2 == 0
    if with_env:
        (out / "env.txt").write_text("".join(f"{k}={v}\n" for k, v in shown_env.items()))
        base_line = list(shown_env).index("ANTHROPIC_BASE_URL") + 1
        evidence.append(f"env.txt:{base_line} — ANTHROPIC_BASE_URL={shown_env['ANTHROPIC_BASE_URL']}")
    up_note, recs = upstream_check(logs)
    gw_seen = gateway_seen(gw_name, glog)
    problem = fault_reached(fault, f, recs, glog, code, gw_name, text)
    ver = version(gw_name)
    label = gw["label"].format(version=ver)
    cl = {"curl": "curl 7.88.1 (curl -sv)"}.get(client) or (
        f"ccr code launching Claude Code {client.split('-', 1)[1]}"
        if client.startswith("ccrcode-")
        else f"Claude Code {client.split('-', 1)[1]} (node cli.js -p)"
    )
    t = dict(f["truth"])
    if "All deployments for selected model are in cooldown" in text:
        # LiteLLM benches a deployment after failures; Claude Code's parallel calls then meet its 429 instead
        t["why"] += (
            " The client's last line is LiteLLM's own 429 'No deployments available ... in cooldown': the earlier"
            " calls failed with the fault above (gateway.log), so LiteLLM put the deployment in cooldown; the 429 is"
            " a consequence, not the provider's rate limit."
        )
        if t["root_cause"] != "rate_limited":
            t["also_plausible"] = [*t.get("also_plausible", []), "rate_limited"]
    up = f.get("upstream")
    up_text = (
        "nothing listening on 127.0.0.1:9100"
        if up in (None, "none")
        else (f"upstream.py --shape {up[0]} --mode {up[1]} on 127.0.0.1:9100")
    )
    env_text = " ".join(f"{k}={v}" for k, v in shown_env.items()) or "none"
    if f.get("provider"):
        proto = f["provider"]
    elif up not in (None, "none"):
        proto = up[0]
    else:
        proto = "openai" if gw_name == "ccr" else "anthropic"
    notes = (
        f"Why this root cause: {' '.join(t['why'].split())} "
        f"Command: {rewrite(shown, pairs)} (bounded by timeout 170 s; exit code {code}, {secs:.0f} s). "
        f"Env as set for the run (beyond HOME/USER/PATH/TERM/LANG): {env_text}. "
        f"Setup (loopback-only network namespace, /etc/hosts knows only localhost, no DNS server): {label} on "
        f"127.0.0.1:{gw['port']} ({how}); its provider: {proto}-protocol, "
        f"base 127.0.0.1:{UPSTREAM_PORT}, key {UPSTREAM_KEY}; upstream: {up_text}. "
        f"Gateway config: see kit/faults.yaml fault '{fault}' and kit/gw.py. "
        f"Server-side check: {up_note}; {gw_seen}."
        + (f" CHECK FAILED: {problem}." if problem else "")
        + " Machine paths rewritten to /home/dev."
    )
    doc = {
        "source": f"gateway capture ({label}; client {cl}), {DATE}",
        "root_cause": t["root_cause"],
        "also_plausible": t.get("also_plausible") or [],
        "evidence": evidence,
        "fix": " ".join(t["fix"].split()),
        "confidence": "high",
        "notes": notes,
    }
    with open(out / "truth.yaml", "w", encoding="utf-8") as fh:
        fh.write(f"source: {doc['source']}\n")
        fh.write(f"root_cause: {doc['root_cause']}\n")
        fh.write(f"also_plausible: [{', '.join(doc['also_plausible'])}]\n")
        fh.write("evidence:\n" + "".join(f"  - {json.dumps(e, ensure_ascii=False)}\n" for e in evidence))
        fh.write(f"fix: {json.dumps(doc['fix'], ensure_ascii=False)}\n")
        fh.write("confidence: high\n")
        fh.write(f"notes: {json.dumps(notes, ensure_ascii=False)}\n")
    (logs / "result.json").write_text(json.dumps({"exit": code, "problem": problem}))
    print(
        f"{s['name']}: exit {code}, {secs:.0f}s; {up_note}; {gw_seen}"
        + (f"; CHECK FAILED: {problem}" if problem else "")
    )


def gateway_seen(gw_name: str, glog: str) -> str:
    if gw_name == "litellm":
        reqs = re.findall(r'"(POST|GET) (/[^ ]*) HTTP/1.1" (\d+)', glog)
        msgs = [r for r in reqs if "/messages" in r[1]]
        sts = sorted({r[2] for r in msgs})
        return f"LiteLLM logged {len(msgs)} requests to .../messages (status {'/'.join(sts) or '-'})"
    n = len(re.findall(r'"msg":"incoming request"', glog))
    codes = sorted(set(re.findall(r'"res":\{"statusCode":(\d+)', glog)))
    return f"ccr logged {n} incoming requests (status {'/'.join(codes) or '-'})"


def fault_reached(fault: str, f: dict, recs: list, glog: str, code: int, gw_name: str, text: str) -> str:
    """'' when the servers saw what the fault should make them see, else why not."""
    sts = {str(r["status"]) for r in recs}
    up = f.get("upstream")
    if fault == "healthy":
        return "" if code == 0 and "200" in sts else "no successful upstream answer"
    if fault in ("wrong-key", "missing-key", "model-alias", "base-url-v1"):
        return "" if not recs else "the upstream was reached"
    if fault.startswith("upstream-") and fault not in ("upstream-unreachable", "upstream-timeout"):
        return "" if str(up[1]) in sts else f"the upstream answered no {up[1]}"
    if fault == "upstream-timeout":
        return "" if "hang" in sts else "the upstream saw no request"
    if fault == "openai-upstream":
        return "" if "404" in sts else "the upstream answered no 404"
    if fault in ("not-running", "port-taken", "config-invalid", "upstream-unreachable"):
        return "" if not recs else "the upstream was reached"
    return ""


# ---------------------------------------------------------------- table


def shape_of(d: Path) -> str:
    """The body shape the gateway answered, read from curl's body or Claude Code's 'API Error: <status> <body>'."""
    text = (d / "terminal.txt").read_text(errors="replace")
    m = re.search(r"API Error: (\d{3}) (.*)", text)
    if m:
        status, body = m.group(1), m.group(2).strip()
    elif status_line(text)[0]:  # curl -v: the status line, then the body curl printed last
        status, body = status_line(text)[1].split()[2], key_line(text)[1]
    else:
        return "no HTTP answer" if "refused" in text.lower() or "connect to server" in text else "-"
    body = re.sub(r" · Please run /login$", "", body)  # Claude Code's hint after a 401 body
    try:
        obj = json.loads(body)
    except ValueError:
        return f"{status} text/plain"
    if isinstance(obj, dict):
        if obj.get("type") == "error" and isinstance(obj.get("error"), dict):
            return f"{status} Anthropic {{type:error,error:{{type:{obj['error'].get('type')}}}}}"
        if isinstance(obj.get("error"), dict):
            err = obj["error"]
            return f"{status} OpenAI {{error:{{message,type:{err.get('type')},code:{err.get('code')}}}}}"
        return f"{status} {{{','.join(obj)}}}"
    return f"{status} json"


def cmd_table(top: str) -> int:
    print("| gateway | fault | client | key line the client printed | body shape |\n| --- | --- | --- | --- | --- |")
    faults = list(spec()["faults"])
    rows = []
    for d in sorted(p for p in Path(top).iterdir() if (p / "truth.yaml").exists()):
        gwn = d.name.split("-", 1)[0]
        fault = next((x for x in sorted(faults, key=len, reverse=True) if d.name.endswith("-" + x)), "?")
        client = d.name[len(gwn) + 1 : -len(fault) - 1]
        line = key_line((d / "terminal.txt").read_text(errors="replace"))[1].replace("|", "\\|")
        rows.append((gwn, faults.index(fault) if fault in faults else 99, fault, client, line, shape_of(d)))
    for gwn, _, fault, client, line, shape in sorted(rows):
        print(f"| {gwn} | {fault} | {client} | {line[:150]}{'…' if len(line) > 150 else ''} | {shape} |")
    return 0


def main() -> int:
    if len(sys.argv) > 2 and sys.argv[1] == "_inner":
        return inner(sys.argv[2])
    if len(sys.argv) > 2 and sys.argv[1] == "table":
        return cmd_table(sys.argv[2])
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("gateway", choices=["litellm", "ccr"])
    r.add_argument("client")
    r.add_argument("fault")
    r.add_argument("--out", default=str(HERE.parent))
    return cmd_run(ap.parse_args())


if __name__ == "__main__":
    sys.exit(main())
