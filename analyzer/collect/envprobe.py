"""The environment as the client sees it, and the CA files it names.

Only variables that change how Claude Code connects are kept (proxies in both cases,
NO_PROXY, ANTHROPIC_*, CLAUDE_*, Node/OpenSSL TLS switches, provider routing); the rest of
the environment never enters the bundle. Values are written raw here: the bundle writer
redacts every file in one place and records what it masked.
"""

from __future__ import annotations

import re
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, cast

from .world import World

_RELEVANT = re.compile(
    r"""(?x)^(?:
        (?i:(?:https?|all|no|ftp|socks)_proxy)
      | ANTHROPIC_\w+ | CLAUDE_\w+
      | NODE_EXTRA_CA_CERTS | NODE_OPTIONS | NODE_TLS_REJECT_UNAUTHORIZED | NODE_USE_ENV_PROXY
      | SSL_CERT_FILE | SSL_CERT_DIR | REQUESTS_CA_BUNDLE | CURL_CA_BUNDLE
      | BUN_CA_BUNDLE | BUN_TLS_REFUSE_DISTRUSTED_KEYS
      | API_TIMEOUT_MS | API_FORCE_IDLE_TIMEOUT | DISABLE_\w+ | DEBUG | DEBUG_SDK
      | (?i:npm_config_(?:https?_)?proxy | npm_config_no_?proxy | npm_config_strict_ssl | npm_config_cafile)
      | YARN_HTTPS?_PROXY | GLOBAL_AGENT_\w+ | DOCKER_HTTPS?_PROXY
      | AWS_REGION | AWS_DEFAULT_REGION | AWS_PROFILE | AWS_BEARER_TOKEN_BEDROCK
      | CLOUD_ML_REGION | VERTEX_REGION_\w+ | GOOGLE_CLOUD_PROJECT | GCLOUD_PROJECT
      | GOOGLE_APPLICATION_CREDENTIALS | BEDROCK_BASE_URL | VERTEX_BASE_URL
    )$"""
)

# Variables naming a PEM file the TLS stack reads, in the order a reader cares about.
CA_FILE_VARS = (
    "NODE_EXTRA_CA_CERTS",
    "SSL_CERT_FILE",
    "BUN_CA_BUNDLE",
    "REQUESTS_CA_BUNDLE",
    "CURL_CA_BUNDLE",
    "CLAUDE_CODE_CLIENT_CERT",
)
CA_DIR_VARS = ("SSL_CERT_DIR",)
MAX_CA_BYTES = 8 * 1024 * 1024
_PEM_BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----.+?-----END CERTIFICATE-----", re.S)


def relevant_env(env: Mapping[str, str]) -> dict[str, str]:
    """The variables ccdiag records, sorted by name."""
    return {name: env[name] for name in sorted(env) if _RELEVANT.match(name)}


def render_env(variables: Mapping[str, str]) -> str:
    """`env`-style dump: NAME=value, one a line."""
    return "".join(f"{name}={value}\n" for name, value in variables.items())


@dataclass
class CertSummary:
    subject: str = ""
    issuer: str = ""
    not_after: str = ""
    is_ca: bool = True
    expired: bool = False


@dataclass
class CaFileCheck:
    """What one CA variable points at, and whether a TLS stack could use it."""

    variable: str
    path: str
    status: str  # ok | missing | unreadable | a directory | empty | not PEM | unparsable | not a directory
    detail: str = ""
    certificates: list[CertSummary] = field(default_factory=list)
    files: int | None = None  # for directories

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def check_ca_files(env: Mapping[str, str], world: World) -> list[CaFileCheck]:
    checks = [_check_file(var, env[var], world) for var in CA_FILE_VARS if env.get(var, "").strip()]
    checks += [_check_dir(var, env[var], world) for var in CA_DIR_VARS if env.get(var, "").strip()]
    return checks


def resolve_path(value: str, world: World) -> Path:
    path = Path(value.strip().strip("'\"")).expanduser()
    return path if path.is_absolute() else world.cwd / path


def _check_file(variable: str, value: str, world: World) -> CaFileCheck:
    path = resolve_path(value, world)
    shown = value.strip()
    try:
        if not path.exists():
            return CaFileCheck(variable, shown, "missing", "no such file")
        if path.is_dir():
            return CaFileCheck(variable, shown, "a directory", "the variable must name a file")
        with path.open("rb") as fh:
            data = fh.read(MAX_CA_BYTES)
    except PermissionError:
        return CaFileCheck(variable, shown, "unreadable", "permission denied")
    except OSError as exc:
        return CaFileCheck(variable, shown, "unreadable", exc.strerror or str(exc))
    if not data.strip():
        return CaFileCheck(variable, shown, "empty")
    text = data.decode("latin-1")
    blocks = _PEM_BLOCK.findall(text)
    if not blocks:
        kind = "DER or other binary data" if data[:1] == b"\x30" else "no -----BEGIN CERTIFICATE----- block"
        return CaFileCheck(variable, shown, "not PEM", kind)
    certs: list[CertSummary] = []
    for block in blocks:
        summary = _summarize(block, world.now())
        if summary is None:
            return CaFileCheck(variable, shown, "unparsable", f"certificate {len(certs) + 1} cannot be decoded")
        certs.append(summary)
    return CaFileCheck(variable, shown, "ok", "PEM", certs)


def _summarize(pem: str, now: datetime) -> CertSummary | None:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    try:
        ctx.load_verify_locations(cadata=pem)
    except (ssl.SSLError, ValueError):
        return None
    infos = ctx.get_ca_certs()
    if not infos:  # OpenSSL lists CA certificates only
        return CertSummary(is_ca=False)
    info = infos[0]
    not_after = str(info.get("notAfter", ""))
    expired = False
    if not_after:
        try:
            expired = datetime.fromtimestamp(ssl.cert_time_to_seconds(not_after), timezone.utc) < now
        except ValueError:
            pass
    subject, issuer = cast(tuple[Any, ...], info.get("subject", ())), cast(tuple[Any, ...], info.get("issuer", ()))
    return CertSummary(dn(subject), dn(issuer), not_after, True, expired)


def _check_dir(variable: str, value: str, world: World) -> CaFileCheck:
    path = resolve_path(value, world)
    shown = value.strip()
    try:
        if not path.exists():
            return CaFileCheck(variable, shown, "missing", "no such directory")
        if not path.is_dir():
            return CaFileCheck(variable, shown, "not a directory")
        count = sum(1 for p in path.iterdir() if p.is_file())
    except OSError as exc:
        return CaFileCheck(variable, shown, "unreadable", exc.strerror or str(exc))
    return CaFileCheck(variable, shown, "ok" if count else "empty", files=count)


# OpenSSL's short names for the attributes certificates use.
SHORT_NAMES = {
    "countryName": "C",
    "stateOrProvinceName": "ST",
    "localityName": "L",
    "organizationName": "O",
    "organizationalUnitName": "OU",
    "commonName": "CN",
    "domainComponent": "DC",
    "emailAddress": "emailAddress",
    "serialNumber": "serialNumber",
    "streetAddress": "street",
    "givenName": "GN",
    "surname": "SN",
}


def rdns(name: tuple) -> list[tuple[str, str]]:
    """(short attribute, value) pairs of a decoded name, in certificate order."""
    return [(SHORT_NAMES.get(key, key), str(value)) for rdn in name for key, value in rdn]


def dn(name: tuple, sep: str = ", ", eq: str = " = ") -> str:
    """A name as `openssl x509 -noout -subject` prints it: `C = US, O = Example, CN = host`."""
    return sep.join(f"{k}{eq}{v}" for k, v in rdns(name))


MAX_LISTED = 10  # a CA variable often names the whole system bundle: list a few, count the rest


def render_ca_checks(checks: list[CaFileCheck]) -> str:
    """`CA file from VAR: PATH: STATUS[, details]` lines, certificates indented below."""
    out: list[str] = []
    listed: dict[str, str] = {}
    for c in checks:
        noun = "CA directory" if c.variable in CA_DIR_VARS else "CA file"
        if c.variable == "CLAUDE_CODE_CLIENT_CERT":
            noun = "client certificate file"
        head = f"{noun} from {c.variable}: {c.path}: {c.status}"
        if c.ok and c.files is not None:
            head += f", {c.files} files"
        elif c.ok:
            expired = sum(1 for s in c.certificates if s.expired)
            non_ca = sum(1 for s in c.certificates if not s.is_ca)
            head += f", PEM, {len(c.certificates)} certificate{'s' if len(c.certificates) != 1 else ''}"
            extras = [f"{expired} expired"] * bool(expired) + [f"{non_ca} not a CA"] * bool(non_ca)
            if extras:
                head += f" ({', '.join(extras)})"
        elif c.detail:
            head += f" ({c.detail})"
        if c.path in listed:
            out.append(f"{head} (same file as {listed[c.path]})")
            continue
        listed[c.path] = c.variable
        out.append(head)
        for i, s in enumerate(c.certificates[:MAX_LISTED], 1):
            if not s.is_ca:
                out.append(f"  certificate {i}: not a CA certificate (cannot anchor trust)")
                continue
            flag = ", EXPIRED" if s.expired else ""
            out.append(f"  certificate {i}: subject={s.subject}; issuer={s.issuer}; notAfter={s.not_after}{flag}")
        if len(c.certificates) > MAX_LISTED:
            out.append(f"  ... {len(c.certificates) - MAX_LISTED} more certificates not listed")
    return "\n".join(out) + "\n" if out else ""
