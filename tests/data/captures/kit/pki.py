#!/usr/bin/env python3
"""Lab PKI: a trusted root + issuing CA for the mock API, and the certificates of the TLS faults.

python3 pki.py OUTDIR  (needs python3-cryptography). Writes PEM files:
  root.crt                    'Diag Test Root CA' (the one CA the clients trust)
  api.pem / api.key           leaf for api.anthropic.com + lab names, chain leaf + 'Diag Test Issuing CA 1'
  expired.pem / expired.key   same names and issuer, validity ended 35 days ago
  mismatch.pem / mismatch.key valid leaf from the trusted issuer, but only for portal.corp.example
  contoso.pem / contoso.key   leaf for api.anthropic.com from 'Contoso SSL Inspection Issuing CA' (untrusted),
                              chain leaf + intermediate, as an inspecting middlebox presents it
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

NOW = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
LAB_NAMES = [
    "api.anthropic.com",
    "console.anthropic.com",
    "platform.claude.com",
    "claude.ai",
    "statsig.anthropic.com",
    "proxy.corp.example",
    "llm-gateway.corp.example",
]


def name(cn: str, org: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.ORGANIZATION_NAME, org), x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def ca(cn, org, signer=None, signer_key=None, path_len=None):
    k = key()
    subject = name(cn, org)
    b = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(signer.subject if signer else subject)
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(NOW - dt.timedelta(days=3650))
        .not_valid_after(NOW + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=path_len), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(k.public_key()), critical=False)
    )
    cert = b.sign(signer_key or k, hashes.SHA256())
    return cert, k


def leaf(names, signer, signer_key, before, after):
    k = key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, names[0])]))
        .issuer_name(signer.subject)
        .public_key(k.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(before)
        .not_valid_after(after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(signer_key.public_key()), critical=False)
        .sign(signer_key, hashes.SHA256())
    )
    return cert, k


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write(out: Path, stem: str, chain, k) -> None:
    (out / f"{stem}.pem").write_bytes(b"".join(pem(c) for c in chain))
    (out / f"{stem}.key").write_bytes(
        k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    root, root_k = ca("Diag Test Root CA", "Diag Test")
    issuing, issuing_k = ca("Diag Test Issuing CA 1", "Diag Test", root, root_k, 0)
    (out / "root.crt").write_bytes(pem(root))
    year = dt.timedelta(days=365)
    c, k = leaf(LAB_NAMES, issuing, issuing_k, NOW - dt.timedelta(days=1), NOW + year)
    write(out, "api", [c, issuing], k)
    c, k = leaf(LAB_NAMES, issuing, issuing_k, NOW - dt.timedelta(days=400), NOW - dt.timedelta(days=35))
    write(out, "expired", [c, issuing], k)
    c, k = leaf(["portal.corp.example"], issuing, issuing_k, NOW - dt.timedelta(days=1), NOW + year)
    write(out, "mismatch", [c, issuing], k)
    c_root, c_root_k = ca("Contoso SSL Inspection Root CA", "Contoso Ltd")
    c_iss, c_iss_k = ca("Contoso SSL Inspection Issuing CA", "Contoso Ltd", c_root, c_root_k, 0)
    (out / "contoso-root.crt").write_bytes(pem(c_root))
    c, k = leaf(["api.anthropic.com"], c_iss, c_iss_k, NOW - dt.timedelta(days=1), NOW + year)
    write(out, "contoso", [c, c_iss], k)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
