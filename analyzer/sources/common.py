"""Parsing shared by several sources: API error bodies, URLs, DNs, repeats in big files.

What codes and wordings mean is analyzer/vocabulary.yaml (analyzer.vocabulary.VOCAB)."""

from __future__ import annotations

import ast
import json
from typing import Any
from urllib.parse import urlsplit

import regex

from ..brackets import closing_index
from ..lazy import Lazy, lazy_re, lazy_regex  # noqa: F401 - the sources import them from here

ANTHROPIC_HOST = lazy_regex(r"(?i)(?:^|\.)(?:anthropic\.com|claude\.ai|claude\.com)$")


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
    return {
        "scheme": parts.scheme.lower(),
        "host": parts.hostname.lower(),
        "port": port or default,
        "path": parts.path or "/",
    }


def is_anthropic_host(host: str | None) -> bool:
    if not host:
        return False
    return bool(ANTHROPIC_HOST.search(host.strip().rstrip(".")))


_DN_EQUALS = lazy_regex(r"\s*=\s*")
_DN_SEMICOLON = lazy_regex(r"\s*;\s*")
_DN_BARE_COMMA = lazy_regex(r",(?=[A-Za-z]{1,12}=)")
_DN_COMMA = lazy_regex(r",\s+")


def normalize_dn(dn: str) -> str:
    """One DN syntax for curl (`C=US; O=x`), openssl (`C = US, O = x`) and GnuTLS (`C=US,O=x`)."""
    dn = _DN_EQUALS.sub("=", dn.strip())
    dn = _DN_SEMICOLON.sub(", ", dn)
    dn = _DN_BARE_COMMA.sub(", ", dn)
    return _DN_COMMA.sub(", ", dn).strip()


_JSON_START = lazy_regex(r"\{")
_REQ_ID = lazy_regex(r"\breq_[A-Za-z0-9]{10,}")


def _load_obj(text: str) -> dict | None:
    """Parse a JSON object or a Python dict repr; tolerate terminal wrapping inside strings."""
    for candidate in (text, regex.sub(r"\s*\n\s*", " ", text)):
        try:
            obj = json.loads(candidate)
        except (ValueError, RecursionError):
            try:
                obj = ast.literal_eval(candidate)
            except (ValueError, SyntaxError, MemoryError, RecursionError):
                continue
        if isinstance(obj, dict):
            return obj
    return None


_DECODER = json.JSONDecoder()


def balanced_object(text: str, start: int = 0) -> str | None:
    """The `{...}` starting at or after `start`, braces balanced outside strings; None if unbalanced."""
    m = _JSON_START.search(text, start)
    if not m:
        return None
    try:  # valid JSON (most bodies): the C decoder finds the same end as closing_index
        _, end = _DECODER.raw_decode(text, m.start())
        if end - m.start() <= 200_000:
            return text[m.start() : end]
    except (ValueError, RecursionError):  # invalid, or nested deeper than the decoder's stack: count braces
        pass
    close = closing_index(text, m.start(), opens="{", closes="}")
    return text[m.start() : close + 1] if close is not None else None


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
            elif (
                "code" in err
                or "param" in err
                or etype in {"invalid_request_error", "insufficient_quota"}
                and top_type is None
            ):
                shape = "openai"
            else:
                shape = "other"
            return {
                "error_type": str(etype) if etype is not None else None,
                "message": str(msg) if msg is not None else None,
                "request_id": str(rid) if rid else None,
                "shape": shape,
                "top_type": str(top_type) if top_type is not None else None,
            }
        if isinstance(err, str):
            return {
                "error_type": None,
                "message": err,
                "request_id": str(rid) if rid else None,
                "shape": "other",
                "top_type": None,
            }
        if top_type and str(top_type).endswith("_error"):  # a bare inner error object
            return {
                "error_type": str(top_type),
                "message": str(obj.get("message") or ""),
                "request_id": str(rid) if rid else None,
                "shape": "anthropic-inner",
                "top_type": None,
            }
        if "message" in obj or "detail" in obj:
            return {
                "error_type": None,
                "message": str(obj.get("message") or obj.get("detail")),
                "request_id": str(rid) if rid else None,
                "shape": "other",
                "top_type": None,
            }
        return None
    low = raw[:4000].lower()
    if "<html" in low or "<!doctype" in low or "<title" in low:
        title = regex.search(r"(?is)<title>\s*(.*?)\s*</title>", raw[:20000])
        return {
            "error_type": None,
            "message": title.group(1)[:200] if title else None,
            "request_id": None,
            "shape": "html",
            "top_type": None,
        }
    rid = _REQ_ID.search(raw)
    return {
        "error_type": None,
        "message": raw[:300],
        "request_id": rid.group(0) if rid else None,
        "shape": "plain",
        "top_type": None,
    }


# ---------------------------------------------------------------- big files: repeats
#
# A big file (textio.SPARSE_MIN_BYTES and more) is summarised by the sources that produce most
# of its evidence (har, curl, env): a piece of evidence alike to REPEAT_CAP pieces already
# emitted from the file is dropped before it is built (building, redacting and matching it is
# what costs). Alike = same kind and same fields once the values that only name one exchange
# or one moment (ids, numbers, dates, addresses) are set aside. Every distinct failure,
# status, header and value shape is kept, so the rules see the same facts; small files are
# read in full, as always.

REPEAT_CAP = 20
# Headers whose value identifies one exchange or one moment: only their presence counts.
VOLATILE_HEADERS = {
    "date",
    "request-id",
    "x-request-id",
    "cf-ray",
    "content-length",
    "etag",
    "age",
    "expires",
    "last-modified",
    "set-cookie",
    "cookie",
    "x-envoy-upstream-service-time",
    "server-timing",
    "x-amzn-requestid",
    "x-amz-cf-id",
    "x-amz-request-id",
    "traceparent",
    "x-cloud-trace-context",
    "anthropic-organization-id",
    "x-client-request-id",
    "authorization",
    "x-api-key",
    "proxy-authorization",
}
_DIGITS = lazy_regex(r"[1-9]\d*|0\d+")  # a lone 0 stays (`...-remaining: 0` matters)
_TOKEN_ID = lazy_regex(r"[A-Za-z0-9_-]{16,}")  # ids, hashes, base64


def shape(text: str, cut: int = 200) -> str:
    """`text` without its ids and numbers (the start of it)."""
    return _DIGITS.sub("#", _TOKEN_ID.sub("#", text[:cut]))


def header_shape(name: str, value: str) -> str:
    """What of a header value tells exchanges apart: nothing for ids and dates, digits collapsed otherwise."""
    if name in VOLATILE_HEADERS:
        return "*" if name not in ("authorization", "proxy-authorization") else value.split(" ", 1)[0][:20]
    return _DIGITS.sub("#", value[:200])


class RepeatBudget:
    """How many alike pieces of evidence a big file has yielded, by signature."""

    def __init__(self) -> None:
        self.seen: dict[tuple, int] = {}
        self._headers: dict[tuple[str, str], str] = {}

    def allow(self, signature: tuple) -> bool:
        n = self.seen.get(signature, 0)
        if n >= REPEAT_CAP:
            return False
        self.seen[signature] = n + 1
        return True

    def header(self, name: str, value: str) -> str:
        """header_shape, remembered (the same values come back in every exchange)."""
        key = (name, value)
        out = self._headers.get(key)
        if out is None:
            out = header_shape(name, value)
            if len(self._headers) < 100_000:
                self._headers[key] = out
        return out

    def evidence(self, kind: str, text: str, fields: dict[str, Any]) -> bool:
        """True when evidence of this kind, text and fields may still be emitted."""
        signature = (kind, shape(text)) + tuple(
            (k, v if v is None or isinstance(v, (bool, int, float)) else shape(str(v))) for k, v in fields.items()
        )
        return self.allow(signature)
