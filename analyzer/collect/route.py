"""The path to the API host, step by step: proxy choice, DNS, TCP, and the CONNECT tunnel.

Each step writes what curl -v would print into the transcript, and the first step that
fails ends the route with the curl exit code curl would give for it.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import dnsprobe, proxyprobe, tcpprobe
from .transcript import Failure, Transcript, bracket
from .world import World


@dataclass
class Route:
    """An open connection to the API host (direct or tunnelled), or the failure that stopped it."""

    host: str
    port: int
    sock: socket.socket | None = field(default=None, repr=False)
    failure: Failure | None = None
    proxy: proxyprobe.Proxy | None = None
    address: str = ""
    reply: proxyprobe.Reply | None = None

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None


def open_route(
    world: World, env: Mapping[str, str], host: str, port: int, timeout: float, out: Transcript, user_agent: str
) -> Route:
    proxy = proxyprobe.choose(env, host, port)
    route = Route(host, port, proxy=proxy)
    if proxy is not None:
        out.info(f"Uses proxy env variable {proxy.variable} == '{proxy.url}'")
        if proxy.problem:
            out.ccdiag(f"{proxy.variable}: {proxy.problem}")
        if not proxy.usable:
            route.failure = Failure(0, f"{proxy.variable} cannot be probed: {proxy.problem}", "skipped")
            return route
        hop_host, hop_port = proxy.host, proxy.port
    else:
        hop_host, hop_port = host, port
    if not _connect(world, route, hop_host, hop_port, timeout, out):
        return route
    if proxy is not None:
        _tunnel(route, proxy, timeout, out, user_agent)
    return route


def _connect(world: World, route: Route, hop_host: str, hop_port: int, timeout: float, out: Transcript) -> bool:
    is_proxy = route.proxy is not None
    dns = dnsprobe.lookup(world, hop_host, hop_port, timeout)
    if not dns.literal and dns.ok:
        out.info(f"Host {hop_host}:{hop_port} was resolved.")
        out.info(f"IPv6: {', '.join(dns.addresses('AAAA')) or '(none)'}")
        out.info(f"IPv4: {', '.join(dns.addresses('A')) or '(none)'}")
    if not dns.ok:
        errors = "; ".join(f"{a.rtype} {a.error_code} ({a.error})" for a in dns.answers)
        out.ccdiag(f"lookup of {hop_host} failed: {errors}")
        if all(a.error_code == "TIMEOUT" for a in dns.answers):
            ms = sum(a.ms for a in dns.answers)
            route.failure = out.fail(Failure(28, f"Resolving timed out after {ms} milliseconds", "dns"))
        else:
            what = "proxy" if is_proxy else "host"
            route.failure = out.fail(
                Failure(5 if is_proxy else 6, f"Could not resolve {what}: {hop_host}", "dns"), info_first=False
            )
        return False
    attempts: list[tcpprobe.Attempt] = []
    for address in dns.addresses("A") + dns.addresses("AAAA"):
        out.info(f"  Trying {bracket(address)}:{hop_port}...")
        a = tcpprobe.attempt(world, address, hop_port, timeout)
        attempts.append(a)
        if a.ok:
            out.info(f"Connected to {hop_host} ({address}) port {hop_port} (#0)")
            route.sock, route.address = a.sock, address
            return True
        out.info(f"connect to {address} port {hop_port} failed: {a.message}")
    ms = sum(a.ms for a in attempts)
    if attempts and all(a.timed_out for a in attempts):
        route.failure = out.fail(Failure(28, f"Connection timed out after {ms} milliseconds", "timeout"))
    else:
        route.failure = out.fail(
            Failure(
                7,
                f"Failed to connect to {hop_host} port {hop_port} after {ms} ms: Could not connect to server",
                "connect",
            )
        )
    return False


def _tunnel(route: Route, proxy: proxyprobe.Proxy, timeout: float, out: Transcript, user_agent: str) -> None:
    sock = route.sock
    assert sock is not None
    if proxy.scheme == "https":
        out.ccdiag(f"TLS to the proxy itself ({proxy.host}:{proxy.port}), as an https:// proxy URL asks")
        try:
            ctx = ssl.create_default_context()
            sock.settimeout(timeout)
            sock = ctx.wrap_socket(sock, server_hostname=proxy.host)
            route.sock = sock
        except (OSError, ssl.SSLError) as exc:
            route.close()
            route.failure = out.fail(Failure(35, f"TLS connect error to the proxy: {exc}", "proxy"))
            return
    out.info("CONNECT tunnel: HTTP/1.1 negotiated")
    if proxy.username:
        out.info(f"Proxy auth using Basic with user '{proxy.username}'")
    out.info(f"Establish HTTP proxy tunnel to {route.host}:{route.port}")
    lines = proxyprobe.connect_request(route.host, route.port, proxy, user_agent)
    for line in lines:
        out.sent(line)
    out.sent("")
    reply = proxyprobe.send_connect(sock, lines, timeout)
    route.reply = reply
    if reply.error:
        route.close()
        if reply.error == "timeout":
            route.failure = out.fail(Failure(28, "Proxy CONNECT aborted due to timeout", "proxy"))
        elif reply.error == "reset":
            route.failure = out.fail(Failure(56, f"Recv failure: {reply.detail}", "proxy"))
        else:
            out.ccdiag(reply.detail)
            route.failure = out.fail(Failure(56, "Proxy CONNECT aborted", "proxy"))
        return
    out.received(f"HTTP/{reply.version} {reply.status} {reply.reason}".rstrip())
    for name, value in reply.headers:
        out.received(f"{name}: {value}")
    out.received("")
    if reply.ok:
        out.info("CONNECT phase completed")
        out.info(f"CONNECT tunnel established, response {reply.status}")
        return
    route.close()
    if reply.schemes:
        out.ccdiag(f"the proxy asks for authentication: {', '.join(reply.schemes)}")
    route.failure = out.fail(Failure(56, f"CONNECT tunnel failed, response {reply.status}", "proxy"))
