"""One HTTPS request the way the client makes it, written down as `curl -v` would show it.

route (proxy, DNS, TCP, CONNECT) -> TLS with the client's CA setup -> HTTP/1.1 request.
When verification fails, a second, unverified connection reads the presented certificate
and the server's Date header, so the transcript still names the issuer and can compare
the local clock with the server's. That connection sends no credentials.
"""

from __future__ import annotations

import http.client
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timezone
from email.utils import parsedate_to_datetime

from .. import __version__
from . import tlsprobe
from .route import Route, open_route
from .transcript import Failure, Transcript
from .world import World

USER_AGENT = f"ccdiag/{__version__} (collect)"
BODY_LIMIT = 4096
# Certificates are valid for days around their dates; a few minutes of drift is harmless,
# more than this is worth a line the clock_skew rule can match.
CLOCK_TOLERANCE_S = 300


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""


@dataclass
class Outcome:
    """Everything one probe learned; `transcript` is the curl-like text for the bundle."""

    transcript: Transcript
    route: Route
    trust: tlsprobe.TrustSetup | None = None
    handshake: tlsprobe.Handshake | None = None
    peek: tlsprobe.Handshake | None = None
    status: int | None = None
    failure: Failure | None = None
    server_date: str | None = None
    skew_s: int | None = None
    headers: list[tuple[str, str]] = field(default_factory=list)

    @property
    def reached_tls(self) -> bool:
        return self.handshake is not None

    @property
    def chain(self) -> list[tlsprobe.Cert]:
        if self.handshake is not None and self.handshake.chain:
            return self.handshake.chain
        return self.peek.chain if self.peek is not None else []


def fetch(world: World, env: Mapping[str, str], host: str, port: int, request: Request, timeout: float) -> Outcome:
    out = Transcript()
    route = open_route(world, env, host, port, timeout, out, USER_AGENT)
    outcome = Outcome(out, route, failure=route.failure)
    if route.failure is not None:
        return outcome
    ctx, trust = tlsprobe.context(env, world)
    outcome.trust = trust
    out.info("ALPN: ccdiag offers http/1.1")
    out.info("TLSv1.3 (OUT), TLS handshake, Client hello (1):")
    if trust.cafile:
        out.info(f" CAfile: {trust.cafile}")
    if trust.capath:
        out.info(f" CApath: {trust.capath}")
    if trust.extra:
        out.ccdiag(f"also trusting the certificates in NODE_EXTRA_CA_CERTS={trust.extra}")
    for note in trust.notes:
        out.ccdiag(note)
    sock, route.sock = route.sock, None
    assert sock is not None  # a route without a failure has its socket
    hs, tls = tlsprobe.handshake(world, sock, host, ctx, timeout)
    outcome.handshake = hs
    if tls is None:
        outcome.failure = _tls_failure(world, env, outcome, timeout)
        return outcome
    out.info(f"SSL connection using {hs.version} / {hs.cipher}")
    if hs.alpn:
        out.info(f"ALPN: server accepted {hs.alpn}")
    if hs.chain:
        cert_block(out, host, hs.chain[0], verified=True)
    try:
        exchange(world, tls, host, port, request, timeout, outcome)
    finally:
        tls.close()
    if outcome.failure is None:
        out.info(f"Connection #0 to host {route.proxy.host if route.proxy else host} left intact")
    return outcome


def cert_block(out: Transcript, host: str, leaf: tlsprobe.Cert, *, verified: bool, mismatch: bool = False) -> None:
    out.info("Server certificate:")
    out.info(f" subject: {leaf.curl_dn('subject')}")
    out.info(f" start date: {leaf.not_before}")
    out.info(f" expire date: {leaf.not_after}")
    matched = tlsprobe.san_match(host, leaf)
    if mismatch or (verified and matched is None):
        out.info(f" subjectAltName does not match hostname {host}")
    elif matched is not None:
        out.info(f' subjectAltName: host "{host}" matched cert\'s "{matched}"')
    out.info(f" issuer: {leaf.curl_dn('issuer')}")
    if verified:
        out.info(" SSL certificate verify ok.")


def _tls_failure(world: World, env: Mapping[str, str], outcome: Outcome, timeout: float) -> Failure:
    out, hs, route = outcome.transcript, outcome.handshake, outcome.route
    assert hs is not None
    host, port = route.host, route.port
    if hs.kind == "verify":
        outcome.peek = peek(world, env, host, port, timeout, outcome)
        mismatch = hs.verify_code == 62
        if outcome.peek is not None and outcome.peek.chain:
            cert_block(out, host, outcome.peek.chain[0], verified=False, mismatch=mismatch)
        if mismatch:
            msg = f"SSL: no alternative certificate subject name matches target hostname '{host}'"
            out.info(msg)
        else:
            msg = f"SSL certificate problem: {hs.verify_message}"
            out.info(msg)
        clock_lines(world, out, outcome, note="read over an unverified connection")
        return out.fail(Failure(60, msg, "tls-verify"), info_first=False)
    if hs.kind == "timeout":
        out.ccdiag(f"TCP connected, but the TLS handshake got no answer within {hs.ms} ms")
        return out.fail(Failure(28, f"Connection timed out after {hs.ms} milliseconds", "timeout"))
    if hs.kind == "reset":
        out.info(f"Recv failure: {hs.reason}")
        out.info(f"OpenSSL SSL_connect: {hs.reason} in connection to {host}:{port} ")
        return out.fail(Failure(35, f"Recv failure: {hs.reason}", "tls"), info_first=False)
    if hs.kind == "closed":
        msg = f"OpenSSL SSL_connect: SSL_ERROR_SYSCALL in connection to {host}:{port} "
        out.ccdiag("the server closed the connection during the TLS handshake")
        return out.fail(Failure(35, msg, "tls"))
    return out.fail(Failure(35, f"TLS connect error: {hs.openssl_error()}", "tls"))


def peek(
    world: World, env: Mapping[str, str], host: str, port: int, timeout: float, outcome: Outcome | None = None
) -> tlsprobe.Handshake | None:
    """An unverified handshake on a fresh route: the presented chain, and the server's Date."""
    quiet = Transcript(silent=True)
    route = open_route(world, env, host, port, timeout, quiet, USER_AGENT)
    if route.failure is not None or route.sock is None:
        return None
    ctx, _ = tlsprobe.context(env, world, verify=False)
    hs, tls = tlsprobe.handshake(world, route.sock, host, ctx, timeout)
    if tls is None:
        return hs
    try:
        if outcome is not None:
            probe = Outcome(quiet, route)
            exchange(world, tls, host, port, Request("GET", "/api/hello"), timeout, probe)
            outcome.server_date = probe.server_date
    finally:
        tls.close()
    return hs


def exchange(
    world: World, tls: ssl.SSLSocket, host: str, port: int, request: Request, timeout: float, outcome: Outcome
) -> None:
    """Send one HTTP/1.1 request on an open TLS connection and record the response."""
    out = outcome.transcript
    name = f"[{host}]" if ":" in host else host
    headers = [
        ("Host", name if port == 443 else f"{name}:{port}"),
        ("User-Agent", USER_AGENT),
        ("Accept", "*/*"),
        *request.headers,
    ]
    if request.body:
        headers.append(("Content-Length", str(len(request.body))))
    conn = http.client.HTTPConnection(host.strip("[]"), port, timeout=timeout)
    conn.sock = tls
    out.sent(f"{request.method} {request.path} HTTP/1.1")
    for key, value in headers:
        out.sent(f"{key}: {value}")
    out.sent("")
    start = world.monotonic()
    try:
        conn.putrequest(request.method, request.path, skip_host=True, skip_accept_encoding=True)
        for key, value in headers:
            conn.putheader(key, value)
        conn.endheaders(request.body or None)
        out.info(
            "Request completely sent off"
            if not request.body
            else f"upload completely sent off: {len(request.body)} bytes"
        )
        resp = conn.getresponse()
        outcome.status = resp.status
        outcome.headers = list(resp.getheaders())
        out.received(f"HTTP/{'1.1' if resp.version == 11 else '1.0'} {resp.status} {resp.reason}".rstrip())
        for key, value in outcome.headers:
            out.received(f"{key}: {value}")
        out.received("")
        body = resp.read(BODY_LIMIT)
    except TimeoutError:
        ms = world.elapsed_ms(start)
        outcome.failure = out.fail(
            Failure(28, f"Operation timed out after {ms} milliseconds with 0 bytes received", "timeout")
        )
        return
    except http.client.RemoteDisconnected:
        outcome.failure = out.fail(Failure(52, "Empty reply from server", "http"))
        return
    except ConnectionResetError:
        outcome.failure = out.fail(Failure(56, "Recv failure: Connection reset by peer", "http"))
        return
    except (http.client.HTTPException, OSError) as exc:
        out.ccdiag(f"{type(exc).__name__}: {exc}")
        outcome.failure = out.fail(Failure(8, "Weird server reply", "http"))
        return
    finally:
        conn.sock = None  # the caller closes the TLS socket
    if body:
        out.body(body.decode("utf-8", "replace"))
    outcome.server_date = next((v for k, v in outcome.headers if k.lower() == "date"), None)
    clock_lines(world, out, outcome)


def clock_lines(world: World, out: Transcript, outcome: Outcome, note: str = "") -> None:
    """The local clock against the server's Date header, on a line a clock_skew rule can match."""
    date = outcome.server_date
    if not date:
        out.ccdiag("no server Date header to compare the local clock with")
        return
    try:
        server = parsedate_to_datetime(date)
    except (TypeError, ValueError):
        out.ccdiag(f"server Date header cannot be read: {date}")
        return
    if server.tzinfo is None:
        server = server.replace(tzinfo=timezone.utc)
    local = world.now()
    skew = round((local - server).total_seconds())
    outcome.skew_s = skew
    if note:
        out.ccdiag(f"server Date ({note}): {date}")
    if abs(skew) > CLOCK_TOLERANCE_S:
        # "clock is ahead/behind" is the wording the clock_skew rules already listen for
        out.ccdiag(
            f"local clock is {'ahead of' if skew > 0 else 'behind'} server Date by {abs(skew)} s "
            f"(local {local.astimezone(timezone.utc):%Y-%m-%dT%H:%M:%SZ}, server {date})"
        )
    else:
        out.ccdiag(f"local clock agrees with server Date (offset {skew:+d} s)")
