"""TLS handshakes: the chain the server presents, and whether the client's CA setup trusts it.

The chain is read from an unverified handshake too, so an inspecting proxy's issuer is
named even when verification fails. Trust is judged twice when the user added CAs: with
the CA setup the client uses (system store plus NODE_EXTRA_CA_CERTS, or SSL_CERT_FILE in
place of the system store) and with the system store alone.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field

from .envprobe import dn, rdns, resolve_path
from .world import World

# OpenSSL 3 packed error codes for the handshake failures worth naming like curl does
_OPENSSL_ERRORS = {
    "WRONG_VERSION_NUMBER": "0A00010B",
    "SSLV3_ALERT_HANDSHAKE_FAILURE": "0A000410",
    "TLSV1_ALERT_PROTOCOL_VERSION": "0A00042E",
    "TLSV1_ALERT_INTERNAL_ERROR": "0A000438",
    "UNEXPECTED_EOF_WHILE_READING": "0A000126",
    "TLSV1_UNRECOGNIZED_NAME": "0A000458",
}


@dataclass(frozen=True)
class Cert:
    """One certificate of a presented chain, as decoded by the ssl module."""

    subject: tuple
    issuer: tuple
    not_before: str
    not_after: str
    sans: tuple[tuple[str, str], ...] = ()

    def dn(self, which: str = "subject") -> str:
        return dn(self.subject if which == "subject" else self.issuer)

    def curl_dn(self, which: str = "subject") -> str:
        """`C=US; O=Example; CN=host`, as curl -v writes names."""
        return "; ".join(f"{k}={v}" for k, v in rdns(self.subject if which == "subject" else self.issuer))

    @classmethod
    def from_info(cls, info: Mapping) -> Cert:
        return cls(
            info.get("subject", ()),
            info.get("issuer", ()),
            str(info.get("notBefore", "")),
            str(info.get("notAfter", "")),
            tuple(info.get("subjectAltName", ())),
        )


@dataclass
class TrustSetup:
    """The CA configuration a context was built from, for the transcript."""

    label: str
    cafile: str = ""
    capath: str = ""
    extra: str = ""  # NODE_EXTRA_CA_CERTS path when loaded
    notes: list[str] = field(default_factory=list)


@dataclass
class Handshake:
    """The outcome of one handshake; `kind` says how it ended."""

    kind: str  # ok | verify | timeout | reset | closed | tls
    ms: int = 0
    version: str = ""
    cipher: str = ""
    alpn: str = ""
    chain: list[Cert] = field(default_factory=list)
    verify_code: int | None = None
    verify_message: str = ""
    reason: str = ""  # OpenSSL reason (WRONG_VERSION_NUMBER) or errno text
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.kind == "ok"

    def openssl_error(self) -> str:
        """`error:0A00010B:SSL routines::wrong version number` when the code is known, else the reason."""
        text = self.reason.lower().replace("_", " ")
        code = _OPENSSL_ERRORS.get(self.reason)
        return f"error:{code}:SSL routines::{text}" if code else (text or self.message)


def system_paths(env: Mapping[str, str]) -> tuple[str, str]:
    """(cafile, capath) of the system store: SSL_CERT_FILE/SSL_CERT_DIR when set, else OpenSSL's defaults."""
    defaults = ssl.get_default_verify_paths()
    cafile = env.get("SSL_CERT_FILE", "").strip() or defaults.cafile or defaults.openssl_cafile or ""
    capath = env.get("SSL_CERT_DIR", "").strip() or defaults.capath or defaults.openssl_capath or ""
    return cafile, capath


def context(
    env: Mapping[str, str], world: World, *, extra: bool = True, verify: bool = True
) -> tuple[ssl.SSLContext, TrustSetup]:
    """A client context trusting what the client trusts (`extra=False`: the system store alone)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.set_alpn_protocols(["http/1.1"])
    if not verify:
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx, TrustSetup("none (reading the presented chain only)")
    setup = TrustSetup("system store")
    cafile, capath = system_paths(env)
    if env.get("SSL_CERT_FILE", "").strip() or env.get("SSL_CERT_DIR", "").strip():
        try:
            ctx.load_verify_locations(
                cafile=str(resolve_path(cafile, world)) if cafile else None,
                capath=str(resolve_path(capath, world)) if capath else None,
            )
            setup.cafile, setup.capath = cafile, capath
            setup.label = "the store named by SSL_CERT_FILE/SSL_CERT_DIR"
        except (OSError, ssl.SSLError) as exc:
            setup.notes.append(f"SSL_CERT_FILE/SSL_CERT_DIR could not be loaded ({_short(exc)}); using the defaults")
            ctx.load_default_certs()
    else:
        ctx.load_default_certs()
        setup.cafile, setup.capath = cafile, capath
    extra_path = env.get("NODE_EXTRA_CA_CERTS", "").strip()
    if extra and extra_path:
        try:
            ctx.load_verify_locations(cafile=str(resolve_path(extra_path, world)))
            setup.extra = extra_path
            setup.label += " + NODE_EXTRA_CA_CERTS"
        except (OSError, ssl.SSLError, ValueError) as exc:
            setup.notes.append(f"NODE_EXTRA_CA_CERTS could not be loaded ({_short(exc)})")
    return ctx, setup


def _short(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or getattr(exc, "reason", None) or str(exc)


def adds_trust(env: Mapping[str, str]) -> bool:
    """Whether the client adds CAs to its store (so a second check without them says whether they matter)."""
    return bool(env.get("NODE_EXTRA_CA_CERTS", "").strip())


def handshake(
    world: World, sock: socket.socket, server_name: str, ctx: ssl.SSLContext, timeout: float
) -> tuple[Handshake, ssl.SSLSocket | None]:
    """Run one handshake on an open connection; the socket is closed when it fails."""
    start = world.monotonic()
    sock.settimeout(timeout)
    try:
        tls = ctx.wrap_socket(sock, server_hostname=server_name.strip("[]"), do_handshake_on_connect=False)
    except (ssl.SSLError, ValueError, OSError) as exc:
        sock.close()
        return Handshake("tls", world.elapsed_ms(start), reason=type(exc).__name__, message=str(exc)), None
    try:
        tls.do_handshake()
    except ssl.SSLCertVerificationError as exc:
        tls.close()
        return Handshake(
            "verify",
            world.elapsed_ms(start),
            verify_code=exc.verify_code,
            verify_message=str(exc.verify_message or exc.reason),
            reason=str(exc.reason or ""),
            message=str(exc),
        ), None
    except TimeoutError:
        tls.close()
        return Handshake("timeout", world.elapsed_ms(start), message="no TLS answer"), None
    except ssl.SSLEOFError as exc:
        tls.close()
        return Handshake(
            "closed", world.elapsed_ms(start), reason="UNEXPECTED_EOF_WHILE_READING", message=str(exc)
        ), None
    except ssl.SSLError as exc:
        tls.close()
        return Handshake("tls", world.elapsed_ms(start), reason=str(exc.reason or ""), message=str(exc)), None
    except ConnectionResetError:
        tls.close()
        return Handshake("reset", world.elapsed_ms(start), reason="Connection reset by peer"), None
    except OSError as exc:
        tls.close()
        return Handshake("reset", world.elapsed_ms(start), reason=exc.strerror or str(exc)), None
    cipher = tls.cipher()
    result = Handshake(
        "ok",
        world.elapsed_ms(start),
        tls.version() or "",
        cipher[0] if cipher else "",
        tls.selected_alpn_protocol() or "",
        presented_chain(tls),
    )
    return result, tls


def presented_chain(tls: ssl.SSLSocket) -> list[Cert]:
    """The certificates the server sent, leaf first (the ssl module keeps this private before 3.13)."""
    getter = getattr(tls, "get_unverified_chain", None) or getattr(
        getattr(tls, "_sslobj", None), "get_unverified_chain", None
    )
    if getter is None:
        return []
    try:
        chain = getter() or []
        return [Cert.from_info(c.get_info()) for c in chain]
    except (AttributeError, ValueError, ssl.SSLError):
        return []


def san_match(host: str, cert: Cert) -> str | None:
    """The SAN entry that covers `host` (wildcards one label deep), or None."""
    host = host.lower().strip("[]")
    for kind, value in cert.sans:
        v = str(value).lower()
        if kind == "IP Address" and v == host:
            return str(value)
        if kind == "DNS" and (v == host or (v.startswith("*.") and host.split(".", 1)[-1] == v[2:] and "." in host)):
            return str(value)
    return None
