"""TCP connects with timings, one address at a time, and errors named the way errno names them."""

from __future__ import annotations

import errno
import os
import socket
from dataclasses import dataclass, field

from .world import World

# curl's words for the errors a connect can end with
_CURL_TEXT = {
    "ECONNREFUSED": "Connection refused",
    "ETIMEDOUT": "Connection timed out",
    "EHOSTUNREACH": "No route to host",
    "ENETUNREACH": "Network is unreachable",
}


@dataclass
class Attempt:
    """One connect to one address; `sock` is the open connection when it worked."""

    address: str
    port: int
    ok: bool
    ms: int
    code: str = ""  # ECONNREFUSED, ETIMEDOUT, EHOSTUNREACH, ...
    message: str = ""
    sock: socket.socket | None = field(default=None, repr=False)

    @property
    def family(self) -> int:
        return 6 if ":" in self.address else 4

    @property
    def timed_out(self) -> bool:
        return self.code == "ETIMEDOUT"

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None


def error_code(exc: OSError) -> tuple[str, str]:
    """(errno name, human text) for a failed connect."""
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "ETIMEDOUT", "Connection timed out"
    if isinstance(exc, ConnectionRefusedError):
        return "ECONNREFUSED", "Connection refused"
    num = exc.errno
    name = errno.errorcode.get(num, f"E{num}") if num else type(exc).__name__
    name = name.replace("WSAE", "E")  # Windows socket errors: WSAECONNREFUSED -> ECONNREFUSED
    text = _CURL_TEXT.get(name) or (os.strerror(num) if num else str(exc))
    return name, text


def attempt(world: World, address: str, port: int, timeout: float) -> Attempt:
    start = world.monotonic()
    try:
        sock = world.connect(address, port, timeout)
    except OSError as exc:
        code, text = error_code(exc)
        return Attempt(address, port, False, world.elapsed_ms(start), code, text)
    return Attempt(address, port, True, world.elapsed_ms(start), sock=sock)
