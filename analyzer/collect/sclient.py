"""The TLS result as `openssl s_client -connect host:port -servername host` would print it.

Chain lines (` 0 s:CN = ...` / `   i:...` / `   v:NotBefore: ...`), the per-depth verify
callback lines (`depth=N ...`, `verify error:num=N:reason`), and the summary
(`Verification error: ...`, `Verify return code: N (reason)`), so the openssl source reads
it. What s_client cannot say (which CA setup was used, whether added CAs made the
difference) follows the last `---` on `ccdiag:` lines.
"""

from __future__ import annotations

import ssl
from datetime import datetime, timezone

from .tlsprobe import Cert, Handshake

# which certificate of the chain OpenSSL blames for a verify error
_AT_TOP = {2, 19, 20}  # unable to get issuer / self-signed in chain / unable to get local issuer


def _failing_depth(code: int | None, chain: list[Cert], now: datetime) -> int:
    if code in _AT_TOP:
        return len(chain) - 1
    if code in (9, 10):  # not yet valid / expired: the first certificate out of its dates
        for depth, cert in enumerate(chain):
            try:
                start = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert.not_before), timezone.utc)
                end = datetime.fromtimestamp(ssl.cert_time_to_seconds(cert.not_after), timezone.utc)
            except ValueError:
                continue
            if (code == 10 and end < now) or (code == 9 and start > now):
                return depth
    return 0


def render(
    host: str,
    port: int,
    chain: list[Cert],
    verdict: Handshake,
    session: Handshake | None,
    now: datetime,
    notes: list[str],
) -> str:
    """`verdict` holds the verify result; `session` the negotiated version and cipher."""
    code = 0 if verdict.ok else verdict.verify_code
    message = "ok" if verdict.ok else verdict.verify_message
    lines: list[str] = []
    bad_depth = _failing_depth(code, chain, now) if code else -1
    for depth in range(len(chain) - 1, -1, -1):
        lines.append(f"depth={depth} {chain[depth].dn('subject')}")
        if depth == bad_depth:
            lines.append(f"verify error:num={code}:{message}")
            if code == 10:
                lines.append(f"notAfter={chain[depth].not_after}")
            if code == 9:
                lines.append(f"notBefore={chain[depth].not_before}")
        lines.append("verify return:1")
    lines += ["CONNECTED(00000003)", "---"]
    if chain:
        lines.append("Certificate chain")
        for depth, cert in enumerate(chain):
            lines.append(f" {depth} s:{cert.dn('subject')}")
            lines.append(f"   i:{cert.dn('issuer')}")
            lines.append(f"   v:NotBefore: {cert.not_before}; NotAfter: {cert.not_after}")
        lines += ["---", "Server certificate", f"subject={chain[0].dn('subject')}", f"issuer={chain[0].dn('issuer')}"]
    else:
        lines.append("no peer certificate available")
    lines += ["---", "Verification: OK" if code == 0 else f"Verification error: {message}", "---"]
    if session is not None and session.version:
        lines.append(f"New, {session.version}, Cipher is {session.cipher}")
    else:
        lines.append("New, (NONE), Cipher is (NONE)")
    lines.append(f"ALPN protocol: {session.alpn}" if session is not None and session.alpn else "No ALPN negotiated")
    lines += [f"Verify return code: {code} ({message})", "---"]
    sans = ", ".join(f"{k}:{v}" for k, v in chain[0].sans) if chain else ""
    if sans:
        notes = [*notes, f"leaf subjectAltName: {sans}"]
    lines += [f"ccdiag: {n}" for n in notes]
    return "\n".join(lines) + "\n"
