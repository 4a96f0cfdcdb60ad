"""Run every probe in order and gather the bundle's files; `plan` says the same without running.

Order: local facts first (environment, CA files, settings, tools), then the network path
(DNS and TCP per family, the HTTPS request with its TLS handshake, the OAuth host, the
optional authenticated request, and curl). Every probe leaves a record, also when it
fails or is skipped, so the manifest accounts for everything.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from . import (
    curlprobe,
    dnsprobe,
    envprobe,
    httpprobe,
    proxyprobe,
    sclient,
    settingsprobe,
    tcpprobe,
    tlsprobe,
    toolprobe,
)
from .route import open_route
from .transcript import Transcript, bracket
from .world import World

API_HOST = "api.anthropic.com"
OAUTH_HOST = "platform.claude.com"
DEFAULT_MODEL = "claude-haiku-4-5"
MODEL_VARS = ("ANTHROPIC_SMALL_FAST_MODEL", "ANTHROPIC_DEFAULT_HAIKU_MODEL")

# connect errors meaning "this machine has no IPv6 at all", as opposed to a broken IPv6 path
NO_IPV6_CODES = ("ENETUNREACH", "EADDRNOTAVAIL", "EAFNOSUPPORT")

ENV_FILE = "env.txt"
CA_FILE = "ca-files.txt"
NETWORK_FILE = "network.txt"
API_FILE = "probe-api-hello.txt"
TLS_FILE = "tls-api.txt"
OAUTH_FILE = "probe-oauth-hello.txt"
MESSAGES_FILE = "probe-messages.txt"
CURL_FILE = "curl-api-hello.txt"


@dataclass(frozen=True)
class Options:
    """What to probe. `oauth_host` is None when --host points the probes at one other host."""

    host: str = API_HOST
    port: int = 443
    oauth_host: str | None = OAUTH_HOST
    timeout: float = 5.0
    authenticated: bool = False
    model: str | None = None
    run_curl: bool = True
    run_tools: bool = True


@dataclass(frozen=True)
class BundleFile:
    name: str
    text: str
    probe: str
    about: str
    command: str = ""


@dataclass(frozen=True)
class Record:
    """One probe's outcome: ok, failed, skipped or not available; `detail` stays neutral."""

    probe: str
    outcome: str
    file: str | None = None
    seconds: float = 0.0
    detail: str = ""


@dataclass
class Collected:
    options: Options
    started: datetime
    files: list[BundleFile] = field(default_factory=list)
    records: list[Record] = field(default_factory=list)
    settings_env: dict[str, tuple[str, str]] = field(default_factory=dict)


Progress = Callable[[str], None]


def effective_env(world: World, settings: list[settingsprobe.SettingsFile]) -> tuple[dict[str, str], dict]:
    """The process environment with the settings files' `env` blocks applied, as Claude Code does."""
    from_settings = settingsprobe.settings_env(settings)
    env = dict(world.env)
    env.update({name: value for name, (value, _) in from_settings.items()})
    return env, from_settings


def api_key(env: Mapping[str, str]) -> tuple[str, tuple[str, str]] | None:
    """(variable, header) for the authenticated request: x-api-key, else a bearer token."""
    if env.get("ANTHROPIC_API_KEY", "").strip():
        return "ANTHROPIC_API_KEY", ("x-api-key", env["ANTHROPIC_API_KEY"].strip())
    if env.get("ANTHROPIC_AUTH_TOKEN", "").strip():
        return "ANTHROPIC_AUTH_TOKEN", ("Authorization", f"Bearer {env['ANTHROPIC_AUTH_TOKEN'].strip()}")
    return None


def model_for(options: Options, env: Mapping[str, str]) -> str:
    return options.model or next((env[v] for v in MODEL_VARS if env.get(v, "").strip()), DEFAULT_MODEL)


def collect(world: World, options: Options, progress: Progress = lambda _: None) -> Collected:
    done = Collected(options, world.now())
    settings = settingsprobe.read_settings(world)
    env, done.settings_env = effective_env(world, settings)
    _environment(world, env, done)
    _settings(settings, done)
    if options.run_tools:
        progress("running local commands (claude, node, npm, git)")
        _tools(world, done, options.timeout)
    progress(f"resolving and connecting to {options.host}:{options.port}")
    _timed(world, done, "dns+tcp", lambda: _network(world, env, options, done))
    progress(f"GET https://{options.host}:{options.port}/api/hello")
    api = _timed(
        world,
        done,
        "https /api/hello",
        lambda: _http(
            world,
            env,
            options.host,
            options.port,
            httpprobe.Request("GET", "/api/hello"),
            options.timeout,
            API_FILE,
            "the start-up check's request to the API host",
            done,
        ),
    )
    _tls(world, env, options, api, done)
    oauth_host = options.oauth_host
    if oauth_host:
        progress(f"GET https://{oauth_host}/v1/oauth/hello")
        _timed(
            world,
            done,
            "https /v1/oauth/hello",
            lambda: _http(
                world,
                env,
                oauth_host,
                443,
                httpprobe.Request("GET", "/v1/oauth/hello"),
                options.timeout,
                OAUTH_FILE,
                "the start-up check's request to the OAuth host",
                done,
            ),
        )
    if options.authenticated:
        progress("POST /v1/messages with the key from the environment")
        _authenticated(world, env, options, done)
    if options.run_curl:
        progress("curl -v of the same request")
        _curl(world, env, options, done)
    return done


def _timed(world: World, done: Collected, name: str, fn: Callable):
    """Run one probe; its record gets the elapsed time. A probe bug becomes a record, not a crash."""
    start = world.monotonic()
    before = len(done.records)
    try:
        return fn()
    except Exception as exc:  # noqa: BLE001 - one broken probe must not cost the rest of the bundle
        done.records.append(Record(name, "failed", detail=f"probe error: {type(exc).__name__}"))
        return None
    finally:
        seconds = round(world.monotonic() - start, 3)
        for i in range(before, len(done.records)):
            r = done.records[i]
            if r.seconds == 0.0:
                done.records[i] = Record(r.probe, r.outcome, r.file, seconds, r.detail)


def _environment(world: World, env: Mapping[str, str], done: Collected) -> None:
    variables = envprobe.relevant_env(world.env)
    text = envprobe.render_env(variables) or "# none of the variables ccdiag records is set\n"
    done.files.append(BundleFile(ENV_FILE, text, "environment", "proxy, TLS and Claude Code variables (NAME=value)"))
    done.records.append(Record("environment", "ok", ENV_FILE, detail=f"{len(variables)} variables"))
    checks = envprobe.check_ca_files(env, world)
    if checks:
        done.files.append(
            BundleFile(
                CA_FILE,
                envprobe.render_ca_checks(checks),
                "ca-files",
                "the files named by the CA variables: exists, readable, PEM, certificates",
            )
        )
        bad = sum(1 for c in checks if not c.ok)
        done.records.append(
            Record("ca-files", "ok" if not bad else "failed", CA_FILE, detail=f"{len(checks)} checked, {bad} unusable")
        )
    else:
        done.records.append(Record("ca-files", "skipped", detail="no CA variable is set"))


def _settings(settings: list[settingsprobe.SettingsFile], done: Collected) -> None:
    for f in settings:
        probe = f"settings ({f.scope})"
        if f.text is None:
            outcome = "skipped" if f.problem == "not present" else "failed"
            done.records.append(Record(probe, outcome, detail=f"{f.path}: {f.problem}"))
            continue
        done.files.append(BundleFile(f.bundle_name, f.text, probe, f"copy of {f.path}"))
        done.records.append(Record(probe, "ok", f.bundle_name))


def _tools(world: World, done: Collected, timeout: float) -> None:
    for out in toolprobe.run_tools(world, timeout):
        cmd = " ".join(out.tool.argv)
        if out.result.ran:
            text = out.text()
            if text.strip():
                done.files.append(BundleFile(out.tool.bundle_name, text, cmd, out.tool.why, cmd))
            done.records.append(
                Record(
                    cmd,
                    out.outcome,
                    out.tool.bundle_name if text.strip() else None,
                    out.seconds,
                    detail=f"exit status {out.result.status}" + ("" if text.strip() else ", no output"),
                )
            )
        else:
            done.records.append(Record(cmd, out.outcome, detail=out.result.error))


def _network(world: World, env: Mapping[str, str], options: Options, done: Collected) -> None:
    host, port, timeout = options.host, options.port, options.timeout
    out = Transcript()
    proxy = proxyprobe.choose(env, host, port)
    dns = dnsprobe.lookup(world, host, port, timeout)
    if dns.nameservers:
        out.ccdiag(f"resolver: nameservers {', '.join(dns.nameservers)} (from {world.resolv_conf})")
    else:
        out.ccdiag("resolver: the system resolver")
    for entry in dns.hosts_entries:
        out.ccdiag(f"hosts file {world.hosts_file} pins {host}: {entry}")
    if dns.literal:
        out.ccdiag(f"{host} is an address: no DNS lookup")
    via_proxy = proxy is not None and proxy.usable
    for ans in dns.answers if not dns.literal else ():
        # The resolver's own wording is what DNS rules match, so it is kept only when the name
        # really does not resolve for the client: not for a missing AAAA next to a working A
        # ("No address associated with hostname"), and not behind a proxy, which resolves itself.
        why = f"{ans.error_code}: {ans.error}" if not (via_proxy or dns.ok) else ans.error_code
        found = ", ".join(ans.addresses) or f"no address ({why})"
        out.ccdiag(f"DNS {ans.rtype} {host}: {found} in {ans.ms} ms")
    if via_proxy and proxy is not None:
        out.ccdiag(f"the client reaches {host} through the proxy in {proxy.variable}; the direct path is not tested")
        hop, hop_port = proxy.host, proxy.port
        hop_dns = dnsprobe.lookup(world, hop, hop_port, timeout)
        if not hop_dns.ok:
            out.info(f"Could not resolve proxy: {hop}")
    else:
        hop, hop_port, hop_dns = host, port, dns
        if not dns.literal and not dns.ok:
            out.info(f"Could not resolve host: {host}")
    if not hop_dns.literal and hop_dns.ok:
        out.info(f"Host {hop}:{hop_port} was resolved.")
        out.info(f"IPv6: {', '.join(hop_dns.addresses('AAAA')) or '(none)'}")
        out.info(f"IPv4: {', '.join(hop_dns.addresses('A')) or '(none)'}")
    results = []
    for conn, (rtype, family) in enumerate((("A", 4), ("AAAA", 6))):
        addresses = hop_dns.addresses(rtype)
        if not addresses:
            out.ccdiag(f"TCP over IPv{family}: no address to try")
            continue
        a = tcpprobe.attempt(world, addresses[0], hop_port, timeout)
        a.close()
        results.append(a)
        if family == 6 and a.code in NO_IPV6_CODES:
            # an IPv4-only machine: clients never get AAAA answers (Node asks with ADDRCONFIG), so
            # this is not a broken IPv6 path, and it is written without the words rules read as one
            out.ccdiag("TCP over IPv6: this machine has no IPv6 route, so clients connect over IPv4")
            continue
        out.info(f"  Trying {bracket(a.address)}:{hop_port}...")
        if a.ok:
            out.info(f"Connected to {hop} ({a.address}) port {hop_port} (#{conn})")
            out.ccdiag(f"TCP over IPv{family} to {a.address} port {hop_port}: connected in {a.ms} ms")
            out.info(f"Closing connection #{conn}")
        else:
            out.info(f"connect to {a.address} port {hop_port} failed: {a.message}")
            # curl's word order (address, then "port N"): "ADDR:PORT ... refused" reads as a local service down
            out.ccdiag(f"TCP over IPv{family} to {a.address} port {hop_port}: failed after {a.ms} ms ({a.code})")
    done.files.append(
        BundleFile(
            NETWORK_FILE,
            out.text(),
            "dns+tcp",
            "DNS A/AAAA of the API host and TCP connects over IPv4 and IPv6 with timings",
        )
    )
    ok = any(r.ok for r in results)
    # the manifest is read by the analysis too: its details stay in plain words, no error codes
    done.records.append(
        Record(
            "dns+tcp",
            "ok" if ok else "failed",
            NETWORK_FILE,
            detail=", ".join(f"IPv{r.family} {'ok' if r.ok else 'failed'}" for r in results),
        )
    )


def _http(
    world: World,
    env: Mapping[str, str],
    host: str,
    port: int,
    request: httpprobe.Request,
    timeout: float,
    name: str,
    about: str,
    done: Collected,
) -> httpprobe.Outcome:
    outcome = httpprobe.fetch(world, env, host, port, request, timeout)
    probe = f"https {request.path}"
    done.files.append(BundleFile(name, outcome.transcript.text(), probe, about))
    if outcome.failure is None:
        done.records.append(Record(probe, "ok", name, detail=f"status {outcome.status}"))
    elif outcome.failure.kind == "skipped":
        done.records.append(Record(probe, "skipped", name, detail=outcome.failure.message))
    else:
        done.records.append(Record(probe, "failed", name, detail=f"curl exit {outcome.failure.code}"))
    return outcome


def _tls(
    world: World, env: Mapping[str, str], options: Options, api: httpprobe.Outcome | None, done: Collected
) -> None:
    if api is None or api.handshake is None or api.handshake.kind not in ("ok", "verify"):
        done.records.append(Record("tls chain", "skipped", detail="the HTTPS probe did not complete a TLS handshake"))
        return
    chain = api.chain
    notes = [f"verified with: {api.trust.label if api.trust else 'system store'}"]
    if api.route.proxy is not None:
        notes.append(f"through the proxy from {api.route.proxy.variable}")
    if tlsprobe.adds_trust(env):
        notes.append(_system_only(world, env, options))
    text = sclient.render(
        options.host,
        options.port,
        chain,
        api.handshake,
        api.handshake if api.handshake.ok else api.peek,
        world.now(),
        notes,
    )
    done.files.append(
        BundleFile(
            TLS_FILE,
            text,
            "tls chain",
            "the presented certificate chain and its verification, laid out as s_client prints it",
        )
    )
    code = 0 if api.handshake.ok else api.handshake.verify_code
    done.records.append(Record("tls chain", "ok", TLS_FILE, detail=f"verify code {code}, {len(chain)} certificates"))


def _system_only(world: World, env: Mapping[str, str], options: Options) -> str:
    """Verify once more with the system store alone, to tell whether the added CAs matter."""
    quiet = Transcript(silent=True)
    route = open_route(world, env, options.host, options.port, options.timeout, quiet, httpprobe.USER_AGENT)
    if route.sock is None:
        return "system store alone: not tested (no second connection)"
    ctx, _ = tlsprobe.context(env, world, extra=False)
    hs, tls = tlsprobe.handshake(world, route.sock, options.host, ctx, options.timeout)
    if tls is not None:
        tls.close()
        return "system store alone: trusted as well (the added CAs are not needed for this host)"
    if hs.kind == "verify":
        return f"system store alone: not trusted (code {hs.verify_code}); the added CAs are what make it trusted"
    return f"system store alone: not tested (handshake ended: {hs.kind})"


def _authenticated(world: World, env: Mapping[str, str], options: Options, done: Collected) -> None:
    key = api_key(env)
    if key is None:
        done.records.append(
            Record(
                "https /v1/messages",
                "skipped",
                detail="no ANTHROPIC_API_KEY or ANTHROPIC_AUTH_TOKEN in the environment",
            )
        )
        return
    variable, header = key
    body = json.dumps(
        {"model": model_for(options, env), "max_tokens": 1, "messages": [{"role": "user", "content": "ping"}]}
    ).encode()
    request = httpprobe.Request(
        "POST",
        "/v1/messages",
        (header, ("anthropic-version", "2023-06-01"), ("content-type", "application/json")),
        body,
    )
    _timed(
        world,
        done,
        "https /v1/messages",
        lambda: _http(
            world,
            env,
            options.host,
            options.port,
            request,
            options.timeout,
            MESSAGES_FILE,
            f"one minimal authenticated request with the key from {variable}",
            done,
        ),
    )


def _curl(world: World, env: Mapping[str, str], options: Options, done: Collected) -> None:
    start = world.monotonic()
    run = curlprobe.run(world, env, options.host, options.port, "/api/hello", options.timeout)
    seconds = round(world.monotonic() - start, 3)
    if run is None:
        done.records.append(Record("curl -v", "not available", detail="curl is not installed"))
        return
    cmd = " ".join(run.argv)
    if not run.result.ran:
        done.records.append(Record("curl -v", "failed", seconds=seconds, detail=run.result.error))
        return
    about = "curl -v of the start-up check's request" + (f"; {run.note}" if run.note else "")
    done.files.append(BundleFile(CURL_FILE, run.text(), "curl -v", about, cmd))
    done.records.append(
        Record(
            "curl -v",
            "ok" if run.result.status == 0 else "failed",
            CURL_FILE,
            seconds,
            detail=f"curl exit {run.result.status}",
        )
    )


def plan(world: World, options: Options) -> list[tuple[str, str]]:
    """(file, what it will hold) for --dry-run, from the same inputs `collect` uses, without the network."""
    settings = settingsprobe.read_settings(world)
    env, _ = effective_env(world, settings)
    names = list(envprobe.relevant_env(world.env))
    items = [(ENV_FILE, f"NAME=value of {len(names)} variables (values redacted): {', '.join(names) or 'none'}")]
    checks = [v for v in (*envprobe.CA_FILE_VARS, *envprobe.CA_DIR_VARS) if env.get(v, "").strip()]
    if checks:
        items.append((CA_FILE, f"checks of the files named by {', '.join(checks)}"))
    items += [(f.bundle_name, f"copy of {f.path} (redacted)") for f in settings if f.text is not None]
    if options.run_tools:
        items += [
            (t.bundle_name, f"output of `{' '.join(t.argv)}`: {t.why}")
            for t in toolprobe.applicable(world)
            if world.which(t.argv[0])
        ]
    proxy = proxyprobe.choose(env, options.host, options.port)
    via = f" through the proxy in {proxy.variable} ({proxy.url})" if proxy is not None else ""
    hop = f"{proxy.host}:{proxy.port}" if proxy is not None and proxy.usable else f"{options.host}:{options.port}"
    items.append((NETWORK_FILE, f"DNS A/AAAA of {options.host}; TCP over IPv4 and IPv6 to {hop}"))
    items.append((API_FILE, f"GET {curlprobe.url_for(options.host, options.port, '/api/hello')}{via}"))
    items.append((TLS_FILE, f"the certificate chain of {options.host}:{options.port} and whether it is trusted"))
    if options.oauth_host:
        items.append((OAUTH_FILE, f"GET https://{options.oauth_host}/v1/oauth/hello"))
    if options.authenticated:
        key = api_key(env)
        items.append(
            (
                MESSAGES_FILE,
                f"POST /v1/messages (max_tokens 1, model {model_for(options, env)}) with the key from {key[0]}"
                if key
                else "skipped: no key in the environment",
            )
        )
    if options.run_curl and world.which("curl"):
        items.append((CURL_FILE, "curl -v of the same request"))
    items += [
        ("manifest.json", "every file, the probe that wrote it, and what was redacted where"),
        ("README.txt", "what this bundle is and how to read it"),
    ]
    return items
