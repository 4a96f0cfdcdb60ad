"""Which proxy the client would use for a host, and what that proxy answers to CONNECT.

The choice follows Claude Code: the first non-empty of https_proxy, HTTPS_PROXY,
http_proxy, HTTP_PROXY, unless NO_PROXY/no_proxy exempts the host (`*`, exact names,
`.domain` suffixes, `host:port` entries). A 407 is read to the end of its headers so every
Proxy-Authenticate scheme (Basic, NTLM, Negotiate, ...) is reported.
"""

from __future__ import annotations

import base64
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

PROXY_VARS = ("https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY")
NO_PROXY_VARS = ("no_proxy", "NO_PROXY")
MAX_REPLY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Proxy:
    """A proxy from the environment; `problem` is set when the URL cannot be used as given."""

    variable: str
    url: str
    scheme: str = "http"
    host: str = ""
    port: int = 0
    username: str = ""
    password: str = field(default="", repr=False)
    problem: str = ""

    @property
    def usable(self) -> bool:
        """An HTTP(S) proxy with a host: what the CONNECT probe can talk to (`problem` may still note a repair)."""
        return self.scheme in ("http", "https") and bool(self.host)

    def authorization(self) -> str | None:
        """The Proxy-Authorization value the client sends for credentials in the URL."""
        if not self.username:
            return None
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"


def choose(env: Mapping[str, str], host: str, port: int) -> Proxy | None:
    """The proxy for https://host:port, or None when there is none or NO_PROXY exempts the host."""
    for var in PROXY_VARS:
        value = env.get(var, "").strip()
        if value:
            break
    else:
        return None
    if bypassed(no_proxy(env), host, port):
        return None
    return parse(var, value)


def no_proxy(env: Mapping[str, str]) -> str:
    values = [env.get(v, "").strip() for v in NO_PROXY_VARS]
    return ",".join(v for v in dict.fromkeys(values) if v)


def parse(variable: str, value: str) -> Proxy:
    raw = value if "://" in value else "http://" + value
    problem = "" if "://" in value else "no scheme (probed as http://)"
    try:
        parts = urlsplit(raw)
        port = parts.port
    except ValueError as exc:
        return Proxy(variable, value, problem=f"cannot be parsed as a URL ({exc})")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        return Proxy(
            variable,
            value,
            scheme=scheme,
            host=parts.hostname or "",
            port=port or 0,
            problem=f"scheme {scheme}:// is not probed (HTTP CONNECT proxies only)",
        )
    if not parts.hostname:
        return Proxy(variable, value, problem="no host in the proxy URL")
    return Proxy(
        variable,
        value,
        scheme,
        parts.hostname,
        port or (443 if scheme == "https" else 80),
        unquote(parts.username or ""),
        unquote(parts.password or ""),
        problem,
    )


def bypassed(rules: str, host: str, port: int) -> bool:
    host = host.lower().strip("[]").rstrip(".")
    for entry in re.split(r"[,\s]+", rules.lower()):
        entry = entry.strip()
        if not entry:
            continue
        if entry == "*":
            return True
        if ":" in entry and entry.rsplit(":", 1)[1].isdigit() and not entry.startswith("["):
            name, _, p = entry.rpartition(":")
            if int(p) == port and (host == name.lstrip(".") or host.endswith("." + name.lstrip("."))):
                return True
            continue
        name = entry.lstrip("*").strip("[]")
        if name.startswith("."):
            if host == name[1:] or host.endswith(name):
                return True
        elif host == name:
            return True
    return False


@dataclass
class Reply:
    """The proxy's answer to CONNECT; `error` says why there is no complete answer."""

    status: int = 0
    reason: str = ""
    version: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""  # timeout | reset | closed | garbage
    detail: str = ""

    @property
    def schemes(self) -> list[str]:
        return [v.split()[0].rstrip(",") for n, v in self.headers if n.lower() == "proxy-authenticate" and v.split()]

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def connect_request(host: str, port: int, proxy: Proxy, user_agent: str) -> list[str]:
    """Request lines of CONNECT (without the final blank line)."""
    target = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"CONNECT {target} HTTP/1.1", f"Host: {target}"]
    auth = proxy.authorization()
    if auth:
        lines.append(f"Proxy-Authorization: {auth}")
    lines += [f"User-Agent: {user_agent}", "Proxy-Connection: Keep-Alive"]
    return lines


def send_connect(sock: socket.socket, lines: list[str], timeout: float) -> Reply:
    sock.settimeout(timeout)
    try:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        data = b""
        while b"\r\n\r\n" not in data and len(data) < MAX_REPLY_BYTES:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except TimeoutError:
        return Reply(error="timeout", detail=f"no answer to CONNECT within {timeout:g} s")
    except ConnectionResetError:
        return Reply(error="reset", detail="Connection reset by peer")
    except OSError as exc:
        return Reply(error="reset", detail=exc.strerror or str(exc))
    return parse_reply(data)


def parse_reply(data: bytes) -> Reply:
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    if not head:
        return Reply(error="closed", detail="the proxy closed the connection without an answer")
    lines = head.split("\r\n")
    m = re.match(r"HTTP/(\d(?:\.\d)?) (\d{3})(?: (.*))?$", lines[0])
    if not m:
        return Reply(error="garbage", detail=f"not an HTTP answer: {lines[0][:80]!r}")
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if sep:
            headers.append((name.strip(), value.strip()))
    return Reply(int(m[2]), (m[3] or "").strip(), m[1], headers)
