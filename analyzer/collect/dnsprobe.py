"""DNS for the API host: A and AAAA separately, which resolver answered, and hosts-file overrides.

getaddrinfo has no timeout of its own, so each lookup runs in a worker thread and is
abandoned (not killed) when it takes longer than the probe's limit.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .world import World

T = TypeVar("T")


class ProbeTimeout(Exception):
    pass


def within(timeout: float, fn: Callable[..., T], *args) -> T:
    """Call fn(*args) in a daemon thread; raise ProbeTimeout when it does not return in time."""
    box: dict[str, object] = {}

    def work() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            box["error"] = exc

    worker = threading.Thread(target=work, daemon=True, name="ccdiag-dns")
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        raise ProbeTimeout(f"no answer within {timeout:g} s")
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["value"]  # type: ignore[return-value]


@dataclass(frozen=True)
class Answer:
    """One lookup: record type, addresses, or the resolver's error code and text."""

    rtype: str  # A | AAAA
    addresses: tuple[str, ...] = ()
    error_code: str = ""  # EAI_NONAME, EAI_AGAIN, ..., TIMEOUT
    error: str = ""
    ms: int = 0

    @property
    def ok(self) -> bool:
        return bool(self.addresses)


@dataclass
class DnsResult:
    host: str
    port: int
    literal: bool = False
    answers: list[Answer] = field(default_factory=list)
    nameservers: list[str] = field(default_factory=list)
    hosts_entries: list[str] = field(default_factory=list)

    def addresses(self, rtype: str | None = None) -> list[str]:
        return [a for ans in self.answers if rtype in (None, ans.rtype) for a in ans.addresses]

    @property
    def ok(self) -> bool:
        return bool(self.addresses())

    @property
    def not_found(self) -> bool:
        """Every lookup failed: the name does not resolve at all."""
        return not self.ok


def is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def gai_code(code: int) -> str:
    for name in dir(socket):
        if name.startswith("EAI_") and getattr(socket, name) == code:
            return name
    return f"EAI_{code}"


def lookup(world: World, host: str, port: int, timeout: float) -> DnsResult:
    result = DnsResult(host, port, nameservers=nameservers(world), hosts_entries=hosts_entries(world, host))
    bare = host.strip("[]")
    if is_address(bare):
        result.literal = True
        rtype = "AAAA" if ":" in bare else "A"
        result.answers.append(Answer(rtype, (bare,)))
        return result
    for rtype, family in (("A", socket.AF_INET), ("AAAA", socket.AF_INET6)):
        start = world.monotonic()
        try:
            addrs = within(timeout, world.resolve, host, port, family)
            result.answers.append(Answer(rtype, tuple(addrs), ms=world.elapsed_ms(start)))
        except ProbeTimeout as exc:
            result.answers.append(Answer(rtype, error_code="TIMEOUT", error=str(exc), ms=world.elapsed_ms(start)))
        except socket.gaierror as exc:
            code = gai_code(exc.args[0]) if exc.args and isinstance(exc.args[0], int) else "EAI_FAIL"
            text = exc.args[1] if len(exc.args) > 1 else str(exc)
            result.answers.append(Answer(rtype, error_code=code, error=str(text), ms=world.elapsed_ms(start)))
        except OSError as exc:
            result.answers.append(
                Answer(rtype, error_code="OSERROR", error=exc.strerror or str(exc), ms=world.elapsed_ms(start))
            )
    return result


def nameservers(world: World) -> list[str]:
    """The `nameserver` lines of resolv.conf (none on Windows, where the system resolver is used)."""
    text = _read(world.resolv_conf)
    return [
        parts[1]
        for parts in (line.split() for line in text.splitlines())
        if len(parts) >= 2 and parts[0] == "nameserver"
    ]


def hosts_entries(world: World, host: str) -> list[str]:
    """Hosts-file lines that pin `host` to an address: a classic stale override."""
    found = []
    for line in _read(world.hosts_file).splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and host.lower() in (p.lower() for p in parts[1:]):
            found.append(" ".join(parts))
    return found


def _read(path) -> str:
    if path is None:
        return ""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
