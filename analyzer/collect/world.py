"""The world the probes see: environment, clock, files, commands, name lookups and sockets.

Every probe takes a `World` instead of reaching for `os.environ`, `time` or `socket`
directly (design habit 9), so tests can hand it a fixed environment, a fixed clock and
a connector that refuses anything but 127.0.0.1. `World.real()` is the user's machine.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path


@dataclass(frozen=True)
class CommandResult:
    """What one local command printed; `error` says why it did not run or did not finish."""

    argv: tuple[str, ...]
    status: int | None
    stdout: str = ""
    stderr: str = ""
    error: str = ""

    @property
    def ran(self) -> bool:
        return self.status is not None


def run_command(argv: list[str], timeout: float, env: Mapping[str, str]) -> CommandResult:
    """Run a command without a shell; never raises."""
    try:
        done = subprocess.run(
            argv, capture_output=True, timeout=timeout, env=dict(env), stdin=subprocess.DEVNULL, check=False
        )
    except FileNotFoundError:
        return CommandResult(tuple(argv), None, error="not installed")
    except subprocess.TimeoutExpired:
        return CommandResult(tuple(argv), None, error=f"did not finish within {timeout:g} s")
    except OSError as exc:
        return CommandResult(tuple(argv), None, error=f"could not run: {exc.strerror or exc}")
    return CommandResult(
        tuple(argv), done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")
    )


def resolve(host: str, port: int, family: int) -> list[str]:
    """Addresses of `host` for one family (socket.AF_INET / AF_INET6), in resolver order."""
    infos = socket.getaddrinfo(host, port, family, socket.SOCK_STREAM)
    seen: list[str] = []
    for info in infos:
        addr = str(info[4][0])
        if addr not in seen:
            seen.append(addr)
    return seen


def connect(address: str, port: int, timeout: float) -> socket.socket:
    """A TCP connection to one address (no name lookup here: the DNS probe did that)."""
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect((address, port))
    except BaseException:
        sock.close()
        raise
    return sock


def _default_hosts_file(platform: str) -> Path:
    if platform.startswith("win"):
        return Path(os.environ.get("SystemRoot", r"C:\Windows")) / "System32" / "drivers" / "etc" / "hosts"
    return Path("/etc/hosts")


@dataclass(frozen=True)
class World:
    """Everything outside the process that a probe may look at."""

    env: Mapping[str, str]
    home: Path
    cwd: Path
    platform: str = sys.platform
    now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)
    monotonic: Callable[[], float] = time.monotonic
    run: Callable[[list[str], float, Mapping[str, str]], CommandResult] = run_command
    which: Callable[[str], str | None] = shutil.which
    resolve: Callable[[str, int, int], list[str]] = resolve
    connect: Callable[[str, int, float], socket.socket] = connect
    resolv_conf: Path | None = Path("/etc/resolv.conf")
    hosts_file: Path | None = Path("/etc/hosts")
    managed_settings: tuple[Path, ...] = field(default_factory=tuple)

    @classmethod
    def real(cls) -> World:
        platform = sys.platform
        return cls(
            env=dict(os.environ),
            home=Path.home(),
            cwd=Path.cwd(),
            platform=platform,
            resolv_conf=None if platform.startswith("win") else Path("/etc/resolv.conf"),
            hosts_file=_default_hosts_file(platform),
            managed_settings=managed_settings_paths(platform),
        )

    def elapsed_ms(self, start: float) -> int:
        return max(0, round((self.monotonic() - start) * 1000))


def managed_settings_paths(platform: str) -> tuple[Path, ...]:
    """Where Claude Code looks for administrator-managed settings on this platform."""
    if platform == "darwin":
        return (Path("/Library/Application Support/ClaudeCode/managed-settings.json"),)
    if platform.startswith("win"):
        return (
            Path(r"C:\ProgramData\ClaudeCode\managed-settings.json"),
            Path(r"C:\Program Files\ClaudeCode\managed-settings.json"),
        )
    return (Path("/etc/claude-code/managed-settings.json"),)
