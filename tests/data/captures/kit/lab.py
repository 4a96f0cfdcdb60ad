#!/usr/bin/python3
"""Capture real clients under network faults, on loopback only (run as root after setup.sh).

  lab.py capture STAGE [FAULT ...]   one private network+mount namespace per fault (unshare -n -m): the fault's
                                     servers start inside it, every client runs once as user dev with env -i;
                                     STAGE/<client>-<fault>/ gets terminal.txt, env.txt (proxy faults) and run.json
  lab.py truth STAGE DEST            DEST/<client>-<fault>/ gets terminal.txt, env.txt and truth.yaml (from
                                     faults.yaml and run.json); run.json stays in STAGE (it is not user input);
                                     DEST/INDEX.tsv lists capture, client, fault, root cause, exit code, key line

Faults and their truth: faults.yaml. Servers: srv/. Clients: clients/ (copied to /home/dev/project by setup.sh).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

KIT = Path(__file__).resolve().parent
PROJECT = Path("/home/dev/project")
CERTS = Path("/home/dev/certs")
RUN_ROOT = Path("/tmp/langs-run")
LAB_NAMES = [
    "api.anthropic.com",
    "console.anthropic.com",
    "platform.claude.com",
    "claude.ai",
    "statsig.anthropic.com",
    "proxy.corp.example",
    "llm-gateway.corp.example",
]
API_KEY = "sk-ant-api03-PLACEHOLDER"
BASE_ENV = {
    "HOME": "/home/dev",
    "USER": "dev",
    "LOGNAME": "dev",
    "PATH": f"{PROJECT}/.venv/bin:/usr/bin:/bin",
    "LANG": "C.UTF-8",
    "TERM": "xterm-256color",
}
CURL_CMD = (
    'curl -v https://api.anthropic.com/v1/messages -H "x-api-key: $ANTHROPIC_API_KEY" '
    '-H "anthropic-version: 2023-06-01" -H "content-type: application/json" '
    '-d \'{"model":"claude-sonnet-4-5","max_tokens":64,"messages":[{"role":"user","content":"say hi"}]}\''
)
CLIENT_TIMEOUT = 240


def sh(*args: str, check: bool = True) -> str:
    return subprocess.run(args, check=check, capture_output=True, text=True).stdout


def versions() -> dict[str, str]:
    py = str(PROJECT / ".venv/bin/python")
    return {
        "go": re.search(r"go(\d+\.\d+(?:\.\d+)?)", sh("go", "version"))[1],
        "java": re.search(
            r'version "([^"]+)"', subprocess.run(["java", "-version"], capture_output=True, text=True).stderr
        )[1],
        "requests": sh(py, "-c", "import requests; print(requests.__version__)").strip(),
        "httpx": sh(py, "-c", "import httpx; print(httpx.__version__)").strip(),
        "python": sh(py, "-c", "import platform; print(platform.python_version())").strip(),
        "node": sh("node", "-p", "process.versions.node").strip(),
        "undici": sh("node", "-p", "process.versions.undici").strip(),
        "axios": json.loads((PROJECT / "node_modules/axios/package.json").read_text())["version"],
        "undici_npm": json.loads((PROJECT / "node_modules/undici/package.json").read_text())["version"],
        "curl": sh("curl", "--version").split()[1],
    }


def clients(v: dict[str, str]) -> list[dict]:
    node_env = {"NODE_EXTRA_CA_CERTS": str(CERTS / "root.crt")}
    return [
        {
            "name": f"go-nethttp-{v['go']}",
            "cmd": ["./call"],
            "label": f"Go {v['go']} net/http, ./call built from call.go",
        },
        {
            "name": f"java-httpclient-{v['java']}",
            "cmd": ["java", "Call.java"],
            "java_props": True,
            "label": f"Java {v['java']} java.net.http.HttpClient, java Call.java",
        },
        {
            "name": f"java-proxyselector-{v['java']}",
            "cmd": ["java", "CallProxySelector.java"],
            "proxy_only": True,
            "label": f"Java {v['java']} java.net.http.HttpClient with ProxySelector.of(HTTPS_PROXY host:port)",
        },
        {
            "name": f"py-requests-{v['requests']}",
            "cmd": ["python", "call_requests.py"],
            "label": f"requests {v['requests']} on CPython {v['python']}, python call_requests.py",
        },
        {
            "name": f"py-httpx-{v['httpx']}",
            "cmd": ["python", "call_httpx.py"],
            "label": f"httpx {v['httpx']} on CPython {v['python']}, python call_httpx.py",
        },
        {
            "name": f"node-fetch-{v['node']}",
            "cmd": ["node", "call_fetch.mjs"],
            "env": node_env,
            "label": f"Node {v['node']} fetch (undici {v['undici']}; EnvHttpProxyAgent from undici {v['undici_npm']} "
            "when HTTPS_PROXY is set), node call_fetch.mjs",
        },
        {
            "name": f"node-fetch-noagent-{v['node']}",
            "cmd": ["node", "call_fetch_plain.mjs"],
            "env": node_env,
            "only_faults": ["proxy-env-ignored"],
            "label": f"Node {v['node']} fetch (undici {v['undici']}) with no dispatcher, node call_fetch_plain.mjs",
        },
        {
            "name": f"node-axios-{v['axios']}",
            "cmd": ["node", "call_axios.mjs"],
            "env": node_env,
            "label": f"axios {v['axios']} on Node {v['node']}, node call_axios.mjs",
        },
        {
            "name": f"curl-{v['curl']}",
            "cmd": ["sh", "call_curl.sh"],
            "shown": CURL_CMD,
            "label": f"curl {v['curl']} -v",
        },
    ]


def load_faults() -> dict[str, dict]:
    return yaml.safe_load((KIT / "faults.yaml").read_text())


# ---------------------------------------------------------------- inside the namespace


def bind(src: Path, dst: str) -> None:
    subprocess.run(["mount", "--bind", str(src), dst], check=True)


def iptables(rule: str) -> None:
    subprocess.run(["iptables", *rule.split()], check=True)


def syn_counts() -> dict[str, int]:
    out, counts = sh("iptables", "-nvx", "-L", "OUTPUT"), {}
    for line in out.splitlines():
        m = re.search(r"/\* (syn\d+) \*/", line)
        if m:
            counts[m[1]] = int(line.split()[0])
    return counts


def listening(port: int) -> bool:
    return f":{port} " in sh("ss", "-Hltn", f"sport = :{port}")


def wait_listen(port: int, proc: subprocess.Popen, what: str) -> None:
    for _ in range(100):
        if listening(port):
            return
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before listening on {port}")
        time.sleep(0.1)
    raise SystemExit(f"{what} does not listen on {port}")


def log_lines(path: Path) -> list[str]:
    return path.read_text(errors="replace").splitlines() if path.exists() else []


def start_servers(fault: dict, run: Path) -> list[subprocess.Popen]:
    procs: list[subprocess.Popen] = []
    api = fault.get("api")
    if api:
        args = [sys.executable, str(KIT / "srv/mock_api.py"), "--mode", str(api["mode"]), "--log", str(run / "api.log")]
        if api.get("cert"):
            args += ["--cert", str(CERTS / f"{api['cert']}.pem"), "--key", str(CERTS / f"{api['cert']}.key")]
        procs.append(subprocess.Popen(args))
        wait_listen(443, procs[-1], "mock API")
    if fault.get("dns"):
        args = [sys.executable, str(KIT / "srv/dns_server.py"), "--mode", fault["dns"], "--log", str(run / "dns.log")]
        procs.append(subprocess.Popen(args))
        time.sleep(0.5)
    proxy = (fault.get("proxy") or {}).get("server")
    if proxy in ("tinyproxy-407", "tinyproxy-open", "squid-deny"):
        conf = run / f"{proxy}.conf"
        conf.write_text((KIT / f"srv/{proxy}.conf").read_text().replace("@RUN@", str(run)))
        if proxy == "squid-deny":
            cmd = ["squid", "-N", "-f", str(conf)]
        else:
            cmd = ["tinyproxy", "-d", "-c", str(conf)]
        procs.append(subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=open(run / f"{proxy}.out", "w")))
        wait_listen(fault["proxy"]["port"], procs[-1], proxy)
    elif proxy == "microsocks":
        out = open(run / "microsocks.log", "w")
        procs.append(subprocess.Popen(["microsocks", "-i", "127.0.0.1", "-p", "1080"], stdout=out, stderr=out))
        wait_listen(1080, procs[-1], "microsocks")
    return procs


def server_check(fault: dict, run: Path, before: dict, after: dict) -> str:
    """What the servers saw during one client's run (deltas of their logs and of the SYN counters)."""
    parts = []
    proxy = fault.get("proxy") or {}
    if proxy:
        n = after["syn"].get(f"syn{proxy['port']}", 0) - before["syn"].get(f"syn{proxy['port']}", 0)
        parts.append(f"{n} SYN packets to the proxy port {proxy['port']}")
    n = after["syn"].get("syn443", 0) - before["syn"].get("syn443", 0)
    parts.append(f"{n} SYN packets to port 443 (retransmissions included)")
    new = {k: after[k][len(before[k]) :] for k in ("api", "dns", "tinyproxy", "squid", "socks")}
    if fault.get("dns"):
        names = [json.loads(x)["name"] for x in new["dns"]]
        verb = "answered NXDOMAIN to" if fault["dns"] == "nxdomain" else "dropped"
        parts.append(f"the DNS responder {verb} {names.count('api.anthropic.com')} queries for api.anthropic.com")
    if proxy.get("server", "").startswith("tinyproxy"):
        reqs = sorted({x.split("): ", 1)[1] for x in new["tinyproxy"] if "Request (file descriptor" in x})
        n = sum("Request (file descriptor" in x for x in new["tinyproxy"])
        parts.append(f"tinyproxy logged {n} requests ({'; '.join(reqs) or 'none'})")
    if proxy.get("server") == "squid-deny":
        denied = [x for x in new["squid"] if "TCP_DENIED/403" in x]
        parts.append(f"squid logged {len(new['squid'])} requests, {len(denied)} TCP_DENIED/403")
    if proxy.get("server") == "microsocks":
        parts.append(
            f"microsocks logged {len(new['socks'])} lines" + (f" ({new['socks'][-1].strip()})" if new["socks"] else "")
        )
    events = [json.loads(x) for x in new["api"]]
    reqs = [e for e in events if e["event"] == "request"]
    statuses = sorted({str(e["status"]) for e in reqs})
    msg = f"the API mock answered {len(reqs)} requests" + (f" (status {', '.join(statuses)})" if reqs else "")
    hs = [e["error"] for e in events if e["event"] == "handshake_failed"]
    if hs:
        msg += f"; {len(hs)} TLS handshakes failed on the server side ({hs[0]})"
    resets = [e for e in events if e["event"] == "reset_after_clienthello"]
    if resets:
        msg = f"the endpoint reset {len(resets)} connections after reading the ClientHello"
    if fault.get("api"):
        parts.append(msg)
    return "; ".join(parts) + "."


def snapshot(run: Path) -> dict:
    return {
        "syn": syn_counts(),
        "api": log_lines(run / "api.log"),
        "dns": log_lines(run / "dns.log"),
        "tinyproxy": log_lines(run / "tinyproxy.log"),
        "squid": log_lines(run / "squid-access.log"),
        "socks": log_lines(run / "microsocks.log"),
    }


def run_fault(name: str, stage: Path) -> None:
    fault = load_faults()[name]
    run = RUN_ROOT / name
    shutil.rmtree(run, ignore_errors=True)
    run.mkdir(parents=True)
    run.chmod(0o777)  # tinyproxy and squid drop privileges and log here
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    names = [n for n in LAB_NAMES if fault.get("hosts_api", True) or n != "api.anthropic.com"]
    (run / "hosts").write_text("127.0.0.1\tlocalhost\n::1\tlocalhost\n" + "".join(f"127.0.0.1\t{n}\n" for n in names))
    (run / "resolv.conf").write_text("nameserver 127.0.0.1\n")
    (run / "nsswitch.conf").write_text("passwd: files\ngroup: files\nshadow: files\nhosts: files dns\n")
    bind(run / "hosts", "/etc/hosts")
    bind(run / "resolv.conf", "/etc/resolv.conf")
    bind(run / "nsswitch.conf", "/etc/nsswitch.conf")
    bind(CERTS / "system-bundle.crt", "/etc/ssl/certs/ca-certificates.crt")
    bind(CERTS / "java-cacerts", "/etc/ssl/certs/java/cacerts")
    certifi = sh(str(PROJECT / ".venv/bin/python"), "-c", "import certifi; print(certifi.where())").strip()
    bind(CERTS / "certifi-bundle.pem", certifi)
    proxy = fault.get("proxy") or {}
    # rules without a target only count: SYNs to 443 and to the proxy port, before the fault's own rules
    for port in {443, proxy.get("port", 443)}:
        iptables(f"-A OUTPUT -o lo -p tcp --syn --dport {port} -m comment --comment syn{port}")
    for rule in fault.get("iptables", []):
        iptables(rule)
    procs = start_servers(fault, run)
    try:
        for client in clients(versions()):
            if client.get("proxy_only") and fault.get("clients") != "proxy":
                continue
            if name not in client.get("only_faults", [name]):
                continue
            run_client(name, fault, client, run, stage)
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def run_client(fault_name: str, fault: dict, client: dict, run: Path, stage: Path) -> None:
    proxy = fault.get("proxy") or {}
    case_env = {"ANTHROPIC_API_KEY": API_KEY}
    cmd = list(client["cmd"])
    if proxy and client.get("java_props") and fault.get("java_props", True):
        host_port = proxy["url"].split("://", 1)[1]
        host, port = host_port.rsplit(":", 1)
        cmd[1:1] = [f"-Dhttps.proxyHost={host}", f"-Dhttps.proxyPort={port}"]
    elif proxy:
        case_env["HTTPS_PROXY"] = proxy["url"]
    plumbing = dict(client.get("env", {}))
    env = {**BASE_ENV, **case_env, **plumbing}
    out_dir = stage / f"{client['name']}-{fault_name}"
    shutil.rmtree(out_dir, ignore_errors=True)
    out_dir.mkdir(parents=True)
    before = snapshot(run)
    start = time.monotonic()
    with open(out_dir / "terminal.txt", "wb") as fh:
        argv = [
            "runuser",
            "-u",
            "dev",
            "--",
            "env",
            "-i",
            *(f"{k}={v}" for k, v in env.items()),
            "timeout",
            str(CLIENT_TIMEOUT),
            *cmd,
        ]
        rc = subprocess.run(argv, cwd=PROJECT, stdout=fh, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL).returncode
    seconds = time.monotonic() - start
    time.sleep(0.5)  # let the servers write their log lines
    after = snapshot(run)
    if "HTTPS_PROXY" in case_env:
        (out_dir / "env.txt").write_text("".join(f"{k}={v}\n" for k, v in case_env.items()))
    shown = client.get("shown") or " ".join(cmd)
    meta = {
        "client": client["name"],
        "label": client["label"],
        "fault": fault_name,
        "command": shown,
        "case_env": case_env,
        "plumbing_env": plumbing,
        "exit_code": rc,
        "seconds": round(seconds),
        "server_check": server_check(fault, run, before, after),
        "date": dt.date.today().isoformat(),
    }
    (out_dir / "run.json").write_text(json.dumps(meta, indent=1) + "\n")
    print(f"{out_dir.name}: exit {rc}, {seconds:.0f} s", flush=True)


def capture(stage: Path, faults: list[str]) -> None:
    stage.mkdir(parents=True, exist_ok=True)
    for name in faults or list(load_faults()):
        # a fresh private network and mount namespace per fault: loopback only, nothing leaks between faults
        subprocess.run(
            ["unshare", "-n", "-m", "--propagation", "private", sys.executable, __file__, "_fault", name, str(stage)],
            check=True,
        )


# ---------------------------------------------------------------- labels


def key_line(text: str, pattern: str, client: str) -> int | None:
    lines = text.splitlines()
    if client.startswith("curl-"):
        # curl's own one-line verdict, "curl: (N) ...", where it gave up
        verdict = [i for i, line in enumerate(lines, 1) if re.match(r"curl: \(\d+\)", line)]
        if verdict:
            return verdict[-1]
    hits = [i for i, line in enumerate(lines, 1) if re.search(pattern, line)]
    if not hits:
        return None
    # a Python traceback ends with the exception that was raised; elsewhere the first mention is the error
    return hits[-1] if client.startswith("py-") else hits[0]


def truth(stage: Path, dest: Path) -> None:
    faults = load_faults()
    taxonomy = yaml.safe_load((KIT.parents[3] / "analyzer/taxonomy.yaml").read_text())
    fixes = {cause: entry["fix"] for family in taxonomy.values() for cause, entry in family.items()}
    index = ["capture\tclient\tfault\troot_cause\texit\tkey line (terminal.txt)"]
    for src in sorted(p for p in stage.iterdir() if (p / "run.json").is_file()):
        meta = json.loads((src / "run.json").read_text())
        fault = faults[meta["fault"]]
        out = dest / src.name
        out.mkdir(parents=True, exist_ok=True)
        text = (src / "terminal.txt").read_text(errors="replace")
        shutil.copy(src / "terminal.txt", out / "terminal.txt")
        if (src / "env.txt").exists():
            shutil.copy(src / "env.txt", out / "env.txt")
        elif (out / "env.txt").exists():
            (out / "env.txt").unlink()
        root, also = fault["root_cause"], list(fault["also_plausible"])
        family = meta["client"].rsplit("-", 1)[0]  # the client without its version
        healthy_via = family in fault.get("supported", [])
        if healthy_via:
            root, also = "none", []
        overrides = (fault.get("overrides") or {}).get(family, {})
        evidence = []
        line = overrides.get("line") or key_line(text, overrides.get("key", fault["key"]), meta["client"])
        what = overrides.get("evidence") or fault["evidence"]
        if healthy_via:
            line, what = key_line(text, faults["healthy"]["key"], meta["client"]), fault["supported_evidence"]
        if line:
            evidence.append(f"terminal.txt:{line} — {what}")
        if (out / "env.txt").exists():
            env_lines = (out / "env.txt").read_text().splitlines()
            n = next(i for i, x in enumerate(env_lines, 1) if x.startswith("HTTPS_PROXY="))
            evidence.append(f"env.txt:{n} — HTTPS_PROXY points at {env_lines[n - 1].split('=', 1)[1]}")
        env_all = " ".join(f"{k}={v}" for k, v in {**meta["case_env"], **meta["plumbing_env"]}.items())
        hosts = (
            ", ".join(LAB_NAMES)
            + " to 127.0.0.1"
            + ("" if fault.get("hosts_api", True) else "; api.anthropic.com removed from hosts")
        )
        notes = (
            f"Command: {meta['command']} (run as user dev in /home/dev/project with env -i, bounded by timeout "
            f"{CLIENT_TIMEOUT}; exit code {meta['exit_code']}, {meta['seconds']} s). Env as set for the run (beyond "
            f"HOME/USER/PATH/TERM/LANG): {env_all}. Server setup (loopback-only network namespace; /etc/hosts maps "
            f"{hosts}; nsswitch hosts: files dns; the lab root 'Diag Test Root CA' is in the system bundle, Java's "
            f"cacerts and the venv's certifi bundle, Node gets it by NODE_EXTRA_CA_CERTS): {fault['setup']} "
            f"Server-side check: {meta['server_check']} Label from: {fault['truth_from']}."
        )
        if not text.strip():
            notes += f" The program printed nothing (exit code {meta['exit_code']})."
        if overrides.get("note"):
            notes += " " + overrides["note"]
        doc = {
            "source": f"real capture ({meta['label']}), {meta['date']}",
            "root_cause": root,
            "also_plausible": also,
            "evidence": evidence,
            "fix": fixes.get(root, "Nothing to fix: the request succeeded."),
            "confidence": "high",
            "notes": notes,
        }
        (out / "truth.yaml").write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=100000))
        shown = text.splitlines()[line - 1].strip().replace("\t", " ") if line else "(nothing printed)"
        index.append(f"{src.name}\t{meta['client']}\t{meta['fault']}\t{root}\t{meta['exit_code']}\t{shown}")
    (dest / "INDEX.tsv").write_text("\n".join(index) + "\n")


def main() -> None:
    cmd, *args = sys.argv[1:]
    if cmd == "capture":
        capture(Path(args[0]), args[1:])
    elif cmd == "_fault":
        run_fault(args[0], Path(args[1]))
    elif cmd == "truth":
        truth(Path(args[0]), Path(args[1]))
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
