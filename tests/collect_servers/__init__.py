"""Servers the collect tests start on 127.0.0.1, each in its own threads.

- `TlsServer`: HTTPS with a given certificate chain; answers any request with 200 and a
  Date header (which a test may set to a wrong time).
- `SilentServer`: accepts connections and never says a word.
- `ConnectProxy`: an HTTP CONNECT proxy that either demands authentication (407 with the
  given Proxy-Authenticate schemes) or tunnels, to 127.0.0.1 only.
- `closed_port()`: a port nothing listens on.
- `LocalWorld`: a collect World whose network is 127.0.0.1 only: anything else raises
  `RealNetworkTouched` (a BaseException, so no probe can swallow it).
"""

from __future__ import annotations

import re
import select
import socket
import ssl
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path

from analyzer.collect import world as world_mod
from analyzer.collect.world import CommandResult, World

LOOPBACK = "127.0.0.1"


class RealNetworkTouched(BaseException):
    """A probe tried to reach something other than 127.0.0.1 during a test."""


class Server:
    """A listening socket on 127.0.0.1 with one thread per connection; `stop()` closes everything."""

    def __init__(self) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind((LOOPBACK, 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.connections: list[socket.socket] = []
        self.requests: list[bytes] = []
        self._stopped = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self._stopped.is_set():
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self._guarded, args=(conn,), daemon=True).start()

    def _guarded(self, conn: socket.socket) -> None:
        try:
            self.handle(conn)
        except (OSError, ssl.SSLError):
            pass  # the client hung up or refused our certificate: expected here
        finally:
            conn.close()

    def handle(self, conn: socket.socket) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        self._stopped.set()
        self.listener.close()
        for conn in self.connections:
            try:
                conn.close()
            except OSError:
                pass

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def read_head(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


class TlsServer(Server):
    """HTTPS on 127.0.0.1 serving `chain_file` (key + certificates, leaf first)."""

    def __init__(
        self, chain_file: Path, date: Callable[[], datetime] | None = None, body: bytes = b'{"message":"hello"}'
    ):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(str(chain_file))
        self.date = date or (lambda: datetime.now(timezone.utc))
        self.body = body
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        tls = self.context.wrap_socket(conn, server_side=True)
        request = read_head(tls)
        head, _, body = request.partition(b"\r\n\r\n")
        length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
        while length and len(body) < int(length[1]):  # read the body, or closing would reset the connection
            chunk = tls.recv(65536)
            if not chunk:
                break
            body += chunk
        self.requests.append(request if not length else head + b"\r\n\r\n" + body)
        head = (
            f"HTTP/1.1 200 OK\r\nDate: {format_datetime(self.date(), usegmt=True)}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(self.body)}\r\nConnection: close\r\n\r\n"
        )
        tls.sendall(head.encode() + self.body)
        tls.close()


class SilentServer(Server):
    """Accepts and then says nothing, like a host behind a black-holing middlebox."""

    def handle(self, conn: socket.socket) -> None:
        self._stopped.wait(30)


class ConnectProxy(Server):
    """CONNECT proxy: `challenge` schemes -> 407 to everyone; otherwise tunnels to 127.0.0.1."""

    def __init__(self, challenge: tuple[str, ...] = ()):
        self.challenge = challenge
        self.targets: list[str] = []
        super().__init__()

    def handle(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        head = read_head(conn)
        if not head:
            return  # a bare TCP probe: connected and hung up
        self.requests.append(head)
        request_line = head.split(b"\r\n", 1)[0].decode("latin-1")
        method, _, rest = request_line.partition(" ")
        target = rest.split(" ", 1)[0]
        self.targets.append(target)
        if self.challenge:
            lines = ["HTTP/1.1 407 Proxy Authentication Required", "Server: test-proxy"]
            lines += [f"Proxy-Authenticate: {scheme}" for scheme in self.challenge]
            lines += ["Content-Length: 0", "Connection: close", "", ""]
            conn.sendall("\r\n".join(lines).encode())
            return
        host, _, port = target.rpartition(":")
        if method != "CONNECT" or host != LOOPBACK:
            conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        upstream = socket.create_connection((LOOPBACK, int(port)), timeout=5)
        conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        _pipe(conn, upstream)


def _pipe(a: socket.socket, b: socket.socket) -> None:
    try:
        while True:
            ready, _, _ = select.select([a, b], [], [], 5)
            if not ready:
                return
            for src in ready:
                data = src.recv(65536)
                if not data:
                    return
                (b if src is a else a).sendall(data)
    finally:
        b.close()


def closed_port() -> int:
    """A loopback port with nothing listening on it."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((LOOPBACK, 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _guarded_connect(address: str, port: int, timeout: float) -> socket.socket:
    if address != LOOPBACK:
        raise RealNetworkTouched(f"a probe tried to connect to {address}:{port}")
    return world_mod.connect(address, port, timeout)


def _no_dns(host: str, port: int, family: int) -> list[str]:
    raise RealNetworkTouched(f"a probe tried to resolve {host}")


def _no_commands(argv: list[str], timeout: float, env) -> CommandResult:
    raise RealNetworkTouched(f"a probe ran {argv} without the test allowing it")


def local_world(
    tmp_path: Path,
    env: dict[str, str] | None = None,
    *,
    now: Callable[[], datetime] | None = None,
    which: Callable[[str], str | None] | None = None,
    run=None,
    resolve=None,
    connect=None,
) -> World:
    """A World with a fixed environment, an empty home and project, and loopback-only networking.

    `connect`, when given, sees every connect first and may fail it without the network
    (an unreachable IPv6 address, say); anything it passes on still goes to 127.0.0.1 only.
    """
    home, project = tmp_path / "home", tmp_path / "project"
    home.mkdir(exist_ok=True)
    project.mkdir(exist_ok=True)
    return World(
        env=dict(env or {}),
        home=home,
        cwd=project,
        platform="linux",
        now=now or (lambda: datetime.now(timezone.utc)),
        run=run or _no_commands,
        which=which or (lambda name: None),
        resolve=resolve or _no_dns,
        connect=(lambda a, p, t: connect(a, p, t, _guarded_connect)) if connect else _guarded_connect,
        resolv_conf=None,
        hosts_file=None,
        managed_settings=(tmp_path / "etc" / "managed-settings.json",),
    )
