"""`curl -v` of the same request, when curl is installed: a second, independent client's view.

curl does not read NODE_EXTRA_CA_CERTS, so when the client adds CAs that way curl gets a
temporary bundle of the system store plus those CAs; otherwise a proxy the client trusts
would look untrusted here and nowhere else.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from . import tlsprobe
from .envprobe import resolve_path
from .world import CommandResult, World


@dataclass(frozen=True)
class CurlRun:
    argv: tuple[str, ...]
    result: CommandResult
    note: str = ""

    def text(self) -> str:
        """curl's stderr (the -v trace), then its stdout (the body), as a terminal shows them."""
        err, out = self.result.stderr, self.result.stdout
        if err and out and not err.endswith("\n"):
            err += "\n"
        return err + out


def url_for(host: str, port: int, path: str) -> str:
    name = f"[{host}]" if ":" in host else host
    return f"https://{name}{'' if port == 443 else f':{port}'}{path}"


def command(exe: str, url: str, timeout: float, cacert: str | None = None) -> list[str]:
    argv = [exe, "-sS", "-v", "--connect-timeout", f"{timeout:g}", "--max-time", f"{2 * timeout:g}"]
    if cacert:
        argv += ["--cacert", cacert]
    return [*argv, url]


def run(world: World, env: Mapping[str, str], host: str, port: int, path: str, timeout: float) -> CurlRun | None:
    """None when curl is not installed."""
    exe = world.which("curl")
    if exe is None:
        return None
    bundle, note = _combined_ca(env, world)
    try:
        argv = command(exe, url_for(host, port, path), timeout, bundle)
        result = world.run(argv, 3 * timeout + 5, env)
    finally:
        if bundle:
            try:
                os.unlink(bundle)
            except OSError:
                pass
    if bundle:  # the temporary file is gone; name what it held instead
        argv = [a if a != bundle else "<system store + NODE_EXTRA_CA_CERTS>" for a in argv]
    return CurlRun(tuple(argv), result, note)


def _combined_ca(env: Mapping[str, str], world: World) -> tuple[str | None, str]:
    extra = env.get("NODE_EXTRA_CA_CERTS", "").strip()
    if not extra:
        return None, ""
    cafile, _ = tlsprobe.system_paths(env)
    try:
        system = Path(cafile).read_bytes() if cafile else b""
        added = resolve_path(extra, world).read_bytes()
    except OSError:
        return None, "curl used its own CA store (the system bundle or NODE_EXTRA_CA_CERTS could not be read)"
    fd, name = tempfile.mkstemp(prefix="ccdiag-ca-", suffix=".pem")
    with os.fdopen(fd, "wb") as fh:
        fh.write(system + b"\n" + added + b"\n")
    return name, "curl trusted the system store plus NODE_EXTRA_CA_CERTS, as the client does"
