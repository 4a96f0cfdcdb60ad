"""Vocabulary shared by several sources: API error bodies, URLs, error-code families, DNs."""
from __future__ import annotations

import ast
import json
from typing import Any
from urllib.parse import urlsplit

import regex

ANTHROPIC_HOST = regex.compile(r"(?i)(?:^|\.)(?:anthropic\.com|claude\.ai|claude\.com)$")

# Node/OpenSSL certificate codes, by what they usually mean.
TLS_UNTRUSTED_CODES = {
    "SELF_SIGNED_CERT_IN_CHAIN", "DEPTH_ZERO_SELF_SIGNED_CERT", "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "UNABLE_TO_GET_ISSUER_CERT", "CERT_UNTRUSTED", "CERT_REJECTED",
    "CERT_SIGNATURE_FAILURE", "CERT_CHAIN_TOO_LONG", "PATH_LENGTH_EXCEEDED",
}
TLS_CODES = TLS_UNTRUSTED_CODES | {
    "CERT_HAS_EXPIRED", "CERT_NOT_YET_VALID", "CERT_REVOKED", "ERR_TLS_CERT_ALTNAME_INVALID",
    "HOSTNAME_MISMATCH", "ERR_TLS_HANDSHAKE_TIMEOUT", "ERR_SSL_WRONG_VERSION_NUMBER",
    "ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC", "EPROTO",
}
DNS_CODES = {"ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NONAME", "ETIMEOUT", "ESERVFAIL", "EREFUSED",
             "ENODATA", "ECONNREFUSED_DNS", "FailedToOpenSocket"}
NET_CODES = {"ECONNREFUSED", "ConnectionRefused", "ECONNRESET", "ConnectionClosed", "ETIMEDOUT", "EHOSTUNREACH",
             "ENETUNREACH", "ENETDOWN", "EHOSTDOWN", "EPIPE", "ECONNABORTED", "UND_ERR_SOCKET",
             "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "ERR_SOCKET_CLOSED", "ERR_PROXY_TUNNEL",
             "ERR_BAD_REQUEST", "ERR_BAD_RESPONSE", "ERR_NETWORK", "ERR_CANCELED"}

# OpenSSL reason text -> the Node code a Node client would print for the same chain.
REASON_TO_CODE = {
    "self-signed certificate in certificate chain": "SELF_SIGNED_CERT_IN_CHAIN",
    "self signed certificate in certificate chain": "SELF_SIGNED_CERT_IN_CHAIN",
    "self-signed certificate": "DEPTH_ZERO_SELF_SIGNED_CERT",
    "self signed certificate": "DEPTH_ZERO_SELF_SIGNED_CERT",
    "unable to get local issuer certificate": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
    "unable to verify the first certificate": "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
    "unable to get issuer certificate": "UNABLE_TO_GET_ISSUER_CERT",
    "certificate has expired": "CERT_HAS_EXPIRED",
    "certificate is not yet valid": "CERT_NOT_YET_VALID",
    "certificate revoked": "CERT_REVOKED",
    "hostname mismatch": "ERR_TLS_CERT_ALTNAME_INVALID",
    "wrong version number": "ERR_SSL_WRONG_VERSION_NUMBER",
}


def tls_code_for_reason(reason: str) -> str | None:
    low = reason.lower()
    for text, code in REASON_TO_CODE.items():
        if text in low:
            return code
    return None


def split_url(url: str) -> dict[str, Any]:
    """scheme, host, port, path of a URL; {} when it is not one."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return {}
    if not parts.scheme or not parts.hostname:
        return {}
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    return {"scheme": parts.scheme.lower(), "host": parts.hostname.lower(),
            "port": port or default, "path": parts.path or "/"}


def is_anthropic_host(host: str | None) -> bool:
    return bool(host) and bool(ANTHROPIC_HOST.search(host.strip().rstrip(".")))


def normalize_dn(dn: str) -> str:
    """One DN syntax for curl (`C=US; O=x`), openssl (`C = US, O = x`) and GnuTLS (`C=US,O=x`)."""
    dn = regex.sub(r"\s*=\s*", "=", dn.strip())
    dn = regex.sub(r"\s*;\s*", ", ", dn)
    dn = regex.sub(r",(?=[A-Za-z]{1,12}=)", ", ", dn)
    return regex.sub(r",\s+", ", ", dn).strip()


_JSON_START = regex.compile(r"\{")
_REQ_ID = regex.compile(r"\breq_[A-Za-z0-9]{10,}")


def _load_obj(text: str) -> dict | None:
    """Parse a JSON object or a Python dict repr; tolerate terminal wrapping inside strings."""
    for candidate in (text, regex.sub(r"\s*\n\s*", " ", text)):
        try:
            obj = json.loads(candidate)
        except ValueError:
            try:
                obj = ast.literal_eval(candidate)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
        if isinstance(obj, dict):
            return obj
    return None


def balanced_object(text: str, start: int = 0) -> str | None:
    """The `{...}` starting at or after `start`, braces balanced outside strings; None if unbalanced."""
    m = _JSON_START.search(text, start)
    if not m:
        return None
    depth, quote, esc = 0, "", False
    for i in range(m.start(), min(len(text), m.start() + 200_000)):
        ch = text[i]
        if quote:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return text[m.start():i + 1]
    return None


def error_body_fields(body: str) -> dict[str, Any] | None:
    """Classify an error body: Anthropic's, the edge's region block, an OpenAI-style one, HTML, or plain.

    Returns error_type, message, request_id, shape, top_type; None when `body` holds no error.
    """
    if not body or not body.strip():
        return None
    raw = body.strip()
    obj_text = balanced_object(raw)
    obj = _load_obj(obj_text) if obj_text else None
    if obj is not None:
        err = obj.get("error")
        top_type = obj.get("type")
        rid = obj.get("request_id") or obj.get("requestId")
        if isinstance(err, dict):
            etype = err.get("type") or err.get("code")
            msg = err.get("message")
            if top_type == "error":
                shape = "anthropic"
            elif etype == "forbidden" and top_type is None:
                shape = "edge"
            elif "code" in err or "param" in err or etype in {"invalid_request_error", "insufficient_quota"} and top_type is None:
                shape = "openai"
            else:
                shape = "other"
            return {"error_type": str(etype) if etype is not None else None,
                    "message": str(msg) if msg is not None else None,
                    "request_id": str(rid) if rid else None, "shape": shape,
                    "top_type": str(top_type) if top_type is not None else None}
        if isinstance(err, str):
            return {"error_type": None, "message": err, "request_id": str(rid) if rid else None,
                    "shape": "other", "top_type": None}
        if top_type and str(top_type).endswith("_error"):  # a bare inner error object
            return {"error_type": str(top_type), "message": str(obj.get("message") or ""),
                    "request_id": str(rid) if rid else None, "shape": "anthropic-inner", "top_type": None}
        if "message" in obj or "detail" in obj:
            return {"error_type": None, "message": str(obj.get("message") or obj.get("detail")),
                    "request_id": str(rid) if rid else None, "shape": "other", "top_type": None}
        return None
    low = raw[:4000].lower()
    if "<html" in low or "<!doctype" in low or "<title" in low:
        title = regex.search(r"(?is)<title>\s*(.*?)\s*</title>", raw[:20000])
        return {"error_type": None, "message": title.group(1)[:200] if title else None,
                "request_id": None, "shape": "html", "top_type": None}
    rid = _REQ_ID.search(raw)
    return {"error_type": None, "message": raw[:300], "request_id": rid.group(0) if rid else None,
            "shape": "plain", "top_type": None}
