"""HAR 1.2 exports (Chrome/Edge DevTools, Firefox, Safari, Charles, Insomnia, mitmproxy).

A HAR is one JSON document whose bulk is `response.content.text` (often base64) and
`request.postData.text`; exports of 100-500 MB are normal. So we never build the whole
tree: a small incremental tokenizer reads `doc.chunks()`, walks down to `log.entries` and
builds ONE entry at a time, keeping at most `STRING_CAP` characters of any string (enough
to classify an error body) while the rest of a long string is skipped by a C-speed regex.

Pitfalls handled:
- UTF-8 BOM (Chrome "with-bom" exports); key order is not guaranteed (`creator` may follow
  `entries`), so `log.creator` is reported whenever it is met.
- A failed request is `status: 0` with `_error` (Chromium `net::ERR_*` names, or mitmproxy's
  own text such as "Certificate verify failed: self-signed certificate"); `-1` timings mean
  "not applicable" and are dropped.
- `net::ERR_ABORTED` / `ERR_HTTP_RESPONSE_CODE_FAILURE` are navigation noise, not
  connectivity failures: no connect-error for them.
- Truncated or malformed files: we yield the entries read so far and stop; never raise.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Any

import orjson
import regex

from .. import redact
from ..model import Evidence, Location
from ..textio import SPARSE_MIN_BYTES, Doc
from ..vocabulary import VOCAB
from .common import RepeatBudget, error_body_fields, lazy_regex, shape, split_url

SOURCE = "har"
STRING_CAP = 4096  # characters kept of any one JSON string
ARRAY_CAP = 5000  # items kept of any one array inside an entry (websocket frames...)
MAX_NESTING = 200  # a JSON value nested deeper ends the walk
DEPTH_CAP = 64
BODY_CAP = 1000  # characters of an error body carried in evidence

_WS = lazy_regex(r"[ \t\r\n]*")
_STR_BODY = lazy_regex(r'[^"\\]*(?:\\.[^"\\]*)*', regex.DOTALL)
_NUMBER = lazy_regex(r"-?(?:\d+)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_LITERAL = lazy_regex(r"true|false|null|NaN|-?Infinity")
_LITERAL_START = lazy_regex(
    r"(?:t(?:r(?:u)?)?|f(?:a(?:l(?:s)?)?)?|n(?:u(?:l)?)?|N(?:a)?|-?(?:I(?:n(?:f(?:i(?:n(?:i(?:t)?)?)?)?)?)?)?|-)\Z"
)

_TIMING_PHASES = ("blocked", "dns", "connect", "ssl", "send", "wait", "receive")
# Header values that are credentials: keep the header and auth scheme, mask the rest.
_SECRET_HEADERS = {
    "authorization",
    "proxy-authorization",
    "x-api-key",
    "api-key",
    "x-goog-api-key",
    "anthropic-api-key",
    "x-auth-token",
    "x-amz-security-token",
    "cookie",
    "set-cookie",
}
# Navigation noise in Chromium's net error list, not network failures.

# User agents of the clients we care about -> client name.
_UA_CLIENTS = [
    (lazy_regex(r"\bclaude-cli/(\d+\.\d+\.\d+[\w.\-]*)"), "claude-code"),
    (lazy_regex(r"\bAnthropic/JS\s+(\d+\.\d+\.\d+[\w.\-]*)"), "anthropic-sdk-js"),
    (lazy_regex(r"\bAnthropic/Python\s+(\d+\.\d+\.\d+[\w.\-]*)"), "anthropic-sdk-python"),
    (lazy_regex(r"\bcurl/(\d+\.\d+(?:\.\d+)?)"), "curl"),
    (lazy_regex(r"\bpython-httpx/(\d+\.\d+(?:\.\d+)?)"), "httpx"),
    (lazy_regex(r"\bpython-requests/(\d+\.\d+(?:\.\d+)?)"), "requests"),
    (lazy_regex(r"\baxios/(\d+\.\d+(?:\.\d+)?)"), "axios"),
]
_NET_ERROR = lazy_regex(r"\bnet::(ERR_[A-Z0-9_]+)")
_ADDR_PORT = lazy_regex(r"\('([0-9a-fA-F:.]+)',\s*(\d+)")
_TLS_TEXT = lazy_regex(r"(?i)certificate|\bssl\b|\btls\b|handshake")


def sniff(head: str) -> bool:
    body = head.lstrip("\ufeff \t\r\n")
    return body.startswith("{") and '"log"' in body and ('"entries"' in body or '"creator"' in body)


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    seen_clients: set = set()  # (client, version) pairs, and the user agents read already
    budget = RepeatBudget() if doc.size >= SPARSE_MIN_BYTES else None
    lexer = _Lexer(doc.chunks())
    for what, value, index in _walk(lexer):
        if what == "creator":
            yield from _creator(doc, value)
        elif what == "entry":
            yield from _entry(doc, value, index, seen_clients, budget)


# --------------------------------------------------------------------------- tokenizer


class _Stop(Exception):
    """The document ended or broke: stop walking."""


class _Lexer:
    """JSON tokens from an iterator of text chunks; long strings are kept only up to STRING_CAP."""

    def __init__(self, chunks: Iterator[str]):
        self._chunks = iter(chunks)
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._fill()
        if self.buf.startswith("\ufeff"):
            self.pos = 1

    def _fill(self) -> bool:
        """Append the next chunk (dropping what was consumed); False at the end of input."""
        if self.eof:
            return False
        for chunk in self._chunks:
            if chunk:
                self.buf = self.buf[self.pos :] + chunk
                self.pos = 0
                return True
        self.eof = True
        return False

    def peek(self) -> str:
        """The next non-blank character ('' at the end), without consuming it."""
        while True:
            ws = _WS.match(self.buf, self.pos)
            assert ws is not None  # `[ \t\r\n]*` matches anywhere, if only the empty string
            self.pos = ws.end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._fill():
                return ""

    def take(self, ch: str) -> None:
        if self.peek() != ch:
            raise _Stop
        self.pos += 1

    def string(self) -> str:
        """Read a string token (the opening quote is next); returns at most STRING_CAP chars."""
        self.take('"')
        kept: list[str] = []
        size, cut = 0, False
        while True:
            body = _STR_BODY.match(self.buf, self.pos)
            assert body is not None  # a run of zero or more: matches anywhere
            end = body.end()
            if size <= STRING_CAP:
                piece = self.buf[self.pos : end]
                kept.append(piece)
                size += len(piece)
            else:
                cut = True
            self.pos = end
            if end < len(self.buf) and self.buf[end] == '"':
                self.pos = end + 1
                return _decode("".join(kept), cut or size > STRING_CAP)
            # End of buffer, possibly on a dangling backslash: read on.
            if not self._fill():
                raise _Stop

    def scalar(self) -> Any:
        """A number or literal; re-read when the token may continue into the next chunk."""
        while True:
            self.peek()
            m = _NUMBER.match(self.buf, self.pos) or _LITERAL.match(self.buf, self.pos)
            if m is None:
                # `tr` + `ue` across a chunk boundary: read on before giving up
                if _LITERAL_START.match(self.buf, self.pos) and self._fill():
                    continue
                raise _Stop
            # `50` + `.5` across a chunk boundary: a number is whole only when a delimiter follows
            if (m.end() == len(self.buf) or self.buf[m.end()] in ".eE") and not self.eof and self._fill():
                continue
            self.pos = m.end()
            text = m.group(0)
            if text in ("true", "false"):
                return text == "true"
            if text == "null":
                return None
            try:
                return int(text) if regex.fullmatch(r"-?\d+", text) else float(text)
            except ValueError:
                return None


def _decode(raw: str, cut: bool) -> str:
    if cut:
        raw = raw[:STRING_CAP]
    if "\\" not in raw:
        return raw
    for trim in range(0, 7):  # a cut may end inside an escape sequence
        try:
            return json.loads('"' + raw[: len(raw) - trim] + '"')
        except ValueError:
            if not cut:
                break
    return raw.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def _value(lex: _Lexer, depth: int = 0) -> Any:
    """One JSON value, built with strings and arrays capped."""
    if depth > MAX_NESTING:
        raise _Stop  # no HAR nests this deep, and Python's stack would not hold the document
    ch = lex.peek()
    if ch == "{":
        lex.pos += 1
        obj: dict[str, Any] = {}
        if lex.peek() == "}":
            lex.pos += 1
            return obj
        while True:
            key = lex.string()
            lex.take(":")
            val = _value(lex, depth + 1)
            if depth < DEPTH_CAP:
                obj[key] = val
            nxt = lex.peek()
            lex.pos += 1
            if nxt == "}":
                return obj
            if nxt != ",":
                raise _Stop
    if ch == "[":
        lex.pos += 1
        arr: list[Any] = []
        if lex.peek() == "]":
            lex.pos += 1
            return arr
        while True:
            val = _value(lex, depth + 1)
            if len(arr) < ARRAY_CAP and depth < DEPTH_CAP:
                arr.append(val)
            nxt = lex.peek()
            lex.pos += 1
            if nxt == "]":
                return arr
            if nxt != ",":
                raise _Stop
    if ch == '"':
        return lex.string()
    if ch == "":
        raise _Stop
    return lex.scalar()


# --------------------------------------------------------------------------- fast entries
#
# Walking an entry token by token costs a Python step per token (hundreds per entry). Most
# entries are parsed instead by the C JSON decoder, straight from the lexer's buffer; the
# values the evidence reads are then made exactly what the tokenizer gives: a string of more
# than STRING_CAP escaped characters is cut the same way (only an error body is that long in
# practice), and an entry the decoder refuses, or one too big to hold, goes to the tokenizer.

_DECODER = json.JSONDecoder()
FAST_ENTRY_MAX = 4 * 1024 * 1024  # characters of one entry parsed in one piece
_SHORT = STRING_CAP // 6  # a decoded string this short came from at most STRING_CAP characters
_TEXT_KEY = lazy_regex(r'"text"[ \t\r\n]*:[ \t\r\n]*"')


def _entry_value(lex: _Lexer) -> Any:
    """One entry: a C decoder when it can give what `_value` would, else `_value`."""
    if lex.peek() != "{":
        return _value(lex)
    found = _pretty_entry(lex)
    if found is None:
        start = lex.pos
        while True:
            try:
                found = _DECODER.raw_decode(lex.buf, start)
                break
            except RecursionError:  # nested deeper than the decoder's stack: the tokenizer stops at MAX_NESTING
                return _value(lex)
            except ValueError:
                # Cut off by the end of the buffer (read on), or not valid JSON (the tokenizer decides).
                if len(lex.buf) - start > FAST_ENTRY_MAX or not lex._fill():
                    return _value(lex)
                start = lex.pos
    entry, end = found
    if _cut_fields(entry) or not _cut_body(entry, lex.buf, lex.pos, end):
        return _value(lex)
    lex.pos = end
    return entry


def _pretty_entry(lex: _Lexer) -> tuple[Any, int] | None:
    """(entry, end) for a pretty-printed entry: browsers put its closing brace on a line of its
    own at the indentation of the opening one, and a raw newline cannot occur inside a JSON
    string, so that line ends it; orjson (three times quicker than `json`) must then accept
    exactly that text. None when the layout or the values do not fit (`json` decides then)."""
    buf, start = lex.buf, lex.pos
    line = buf.rfind("\n", 0, start)
    indent = buf[line + 1 : start]
    if line < 0 or indent.strip(" \t"):
        return None
    closing = "\n" + indent + "}"
    at = buf.find(closing, start)
    while at < 0:
        searched = len(buf) - start
        if searched > FAST_ENTRY_MAX or not lex._fill():
            return None
        buf, start = lex.buf, lex.pos  # the entry now starts the buffer
        at = buf.find(closing, max(start, start + searched - len(closing)))
    end = at + len(closing)
    try:
        entry = orjson.loads(buf[start:end])
    except orjson.JSONDecodeError:
        return None
    resp = entry.get("response") if isinstance(entry, dict) else None
    status = resp.get("status") if isinstance(resp, dict) else None
    if isinstance(status, float) and not -(2.0**53) < status < 2.0**53:
        return None  # orjson reads a huge integer as a float; `json` keeps it whole
    return entry, end


def _long(value: Any) -> bool:
    return value.__class__ is str and len(value) > _SHORT


def _risky(value: Any) -> bool:
    """A value the tokenizer may have read differently: a long string, or a container of strings."""
    kind = value.__class__
    return (kind is str and len(value) > _SHORT) or kind is dict or kind is list


_REQ_HEADERS, _RESP_HEADERS = object(), object()  # keys no JSON document can hold: headers read once


def _cut_fields(entry: Any) -> bool:
    """True when a value the evidence reads (other than an error body) may be cut by STRING_CAP
    or ARRAY_CAP. Reads the headers on the way (as `_headers` would) and leaves them on the entry."""
    if not isinstance(entry, dict):
        return False
    get = entry.get
    if _long(get("startedDateTime")) or _long(get("_error")) or _long(get("serverIPAddress")):
        return True
    for part, slot in ((get("request"), _REQ_HEADERS), (get("response"), _RESP_HEADERS)):
        if not isinstance(part, dict):
            continue
        pget = part.get
        if (
            _risky(pget("url"))
            or _risky(pget("method"))
            or _risky(pget("httpVersion"))
            or _risky(pget("statusText"))
            or _long(pget("_error"))
        ):
            return True
        headers = pget("headers")
        found: list[tuple[str, str]] = []
        if isinstance(headers, list):
            if len(headers) > ARRAY_CAP:
                return True
            for h in headers:  # _risky inlined: this loop runs for every header of every entry
                if h.__class__ is dict:
                    name = h.get("name")
                    if name is None:
                        continue
                    value = h.get("value")
                    if name.__class__ is str and value.__class__ is str:
                        if len(name) > _SHORT or len(value) > _SHORT:
                            return True
                        found.append((name.lower(), value))
                    elif _risky(name) or _risky(value):
                        return True
                    else:
                        found.append((str(name).lower(), "" if value is None else str(value)))
        entry[slot] = found
    content = r.get("content") if isinstance(r := get("response"), dict) else None
    return isinstance(content, dict) and (_risky(content.get("encoding")) or _risky(content.get("mimeType")))


def _cut_body(entry: Any, buf: str, start: int, end: int) -> bool:
    """Cut a long error body (response.content.text of a 4xx/5xx) as the tokenizer would;
    False when its raw text cannot be found (the tokenizer then reads the entry)."""
    resp = entry.get("response") if isinstance(entry, dict) else None
    content = resp.get("content") if isinstance(resp, dict) else None
    if not isinstance(resp, dict) or not isinstance(content, dict) or not _long(content.get("text")):
        return True
    status = resp.get("status")
    if not isinstance(status, (int, float)) or isinstance(status, bool) or status < 400:
        return True  # only an error's body is read
    text = content["text"]
    at = buf.rfind('"text"', start, end)  # the response comes after the request (and its postData.text)
    while at >= 0:
        m = _TEXT_KEY.match(buf, at, end)
        if m:
            try:
                value, stop = json.decoder.scanstring(buf, m.end())  # type: ignore[attr-defined]  # not in the stub
            except ValueError:
                value, stop = None, 0
            if value == text:
                raw = buf[m.end() : stop - 1]
                content["text"] = _decode(raw, len(raw) > STRING_CAP)
                return True
        at = buf.rfind('"text"', start, at)
    return False


def _walk(lex: _Lexer) -> Iterator[tuple[str, Any, int]]:
    """Yield ("creator", obj, -1) and ("entry", obj, index) from `{"log": {...}}`."""
    try:
        lex.take("{")
        while lex.peek() == '"':
            key = lex.string()
            lex.take(":")
            if key == "log" and lex.peek() == "{":
                yield from _walk_log(lex)
            else:
                _value(lex)
            if lex.peek() != ",":
                break
            lex.pos += 1
    except _Stop:
        return


def _walk_log(lex: _Lexer) -> Iterator[tuple[str, Any, int]]:
    lex.take("{")
    while lex.peek() == '"':
        key = lex.string()
        lex.take(":")
        if key == "entries" and lex.peek() == "[":
            lex.pos += 1
            index = 0
            if lex.peek() == "]":
                lex.pos += 1
            else:
                while True:
                    yield "entry", _entry_value(lex), index
                    index += 1
                    nxt = lex.peek()
                    lex.pos += 1
                    if nxt == "]":
                        break
                    if nxt != ",":
                        raise _Stop
        else:
            value = _value(lex)
            if key == "creator":
                yield "creator", value, -1
        if lex.peek() != ",":
            break
        lex.pos += 1
    lex.take("}")


# --------------------------------------------------------------------------- evidence


def _creator(doc: Doc, creator: Any) -> Iterator[Evidence]:
    if not isinstance(creator, dict) or not creator.get("name"):
        return
    name, version = str(creator.get("name")), str(creator.get("version") or "")
    yield Evidence.make(
        SOURCE,
        "client",
        f"HAR creator: {name} {version}".strip(),
        Location(doc.path),
        name=name,
        version=version or None,
        role="har-creator",
    )


def _headers(part: dict) -> list[tuple[str, str]]:
    out = []
    for h in part.get("headers") or []:
        if isinstance(h, dict) and h.get("name") is not None:
            out.append((str(h["name"]).lower(), "" if h.get("value") is None else str(h["value"])))
    return out


def _first(headers: list[tuple[str, str]], *names: str) -> str | None:
    for want in names:
        for name, value in headers:
            if name == want:
                return value
    return None


def _masked(name: str, value: str) -> str:
    if name in _SECRET_HEADERS:
        redacted = redact.redact_text(f"{name}: {value}")
        return redacted.split(": ", 1)[1] if ": " in redacted else redact.MASK
    return value


def _entry(doc: Doc, entry: Any, i: int, seen_clients: set, budget: RepeatBudget | None = None) -> Iterator[Evidence]:
    if not isinstance(entry, dict):
        return
    fresh = budget.allow if budget is not None else _always
    header = budget.header if budget is not None else _no_shape
    where = Location(doc.path, entry=i)
    key = str(i)
    at = entry.get("startedDateTime") if isinstance(entry.get("startedDateTime"), str) else None
    req = r if isinstance(r := entry.get("request"), dict) else {}
    resp = r if isinstance(r := entry.get("response"), dict) else {}
    url = str(req.get("url") or "")
    parts = split_url(url)
    host = parts.get("host")
    method = str(req.get("method") or "")
    req_headers = entry.pop(_REQ_HEADERS, None)
    req_headers = _headers(req) if req_headers is None else req_headers
    ua = _first(req_headers, "user-agent")

    if fresh(("request", method, host, parts.get("path"), ua)):
        yield Evidence.make(
            SOURCE,
            "request",
            f"{method} {url}".strip(),
            where,
            at=at,
            request=key,
            method=method or None,
            url=url or None,
            host=host,
            path=parts.get("path"),
            port=parts.get("port"),
            user_agent=ua,
            http_version=str(req.get("httpVersion")) if req.get("httpVersion") else None,
        )
    for name, value in req_headers:
        if not fresh(("header", "out", name, header(name, value))):
            continue
        value = _masked(name, value)
        yield Evidence.make(
            SOURCE, "header", f"{name}: {value}", where, at=at, request=key, name=name, value=value, direction="out"
        )
    if ua and ua not in seen_clients:  # a user agent gives the same clients every time
        seen_clients.add(ua)
        for pattern, client in _UA_CLIENTS:
            m = pattern.search(ua)
            if m and (client, m.group(1)) not in seen_clients:
                seen_clients.add((client, m.group(1)))
                yield Evidence.make(
                    SOURCE, "client", f"user-agent: {ua}", where, at=at, request=key, name=client, version=m.group(1)
                )

    status = resp.get("status")
    status = int(status) if isinstance(status, (int, float)) and not isinstance(status, bool) else None
    error = resp.get("_error") if isinstance(resp.get("_error"), str) and resp.get("_error") else None
    if error is None and isinstance(entry.get("_error"), str) and entry.get("_error"):
        error = entry["_error"]
    server_ip = entry.get("serverIPAddress") if isinstance(entry.get("serverIPAddress"), str) else None
    server_ip = server_ip.strip("[]") or None if server_ip else None
    resp_headers = entry.pop(_RESP_HEADERS, None)
    resp_headers = _headers(resp) if resp_headers is None else resp_headers
    content = c if isinstance(c := resp.get("content"), dict) else {}

    if status:
        reason = str(resp.get("statusText") or "")
        ctype = _first(resp_headers, "content-type") or content.get("mimeType") or None
        rid, ray = _first(resp_headers, "request-id", "x-request-id"), _first(resp_headers, "cf-ray")
        if fresh(
            (
                "response",
                status,
                reason,
                host,
                parts.get("path"),
                _first(resp_headers, "server"),
                _first(resp_headers, "via"),
                ctype,
                error,
                rid is None,
                ray is None,
            )
        ):
            yield Evidence.make(
                SOURCE,
                "response",
                f"{status} {reason} {url}".replace("  ", " ").strip(),
                where,
                at=at,
                request=key,
                status=status,
                reason=reason or None,
                url=url or None,
                host=host,
                server=_first(resp_headers, "server"),
                request_id=rid,
                cf_ray=ray,
                via=_first(resp_headers, "via"),
                content_type=str(ctype) if ctype else None,
                server_ip=server_ip,
                error=error,
                http_version=str(resp.get("httpVersion")) if resp.get("httpVersion") else None,
            )
        for name, value in resp_headers:
            if not fresh(("header", "in", status, name, header(name, value))):
                continue
            value = _masked(name, value)
            yield Evidence.make(
                SOURCE,
                "header",
                f"{name}: {value}",
                where,
                at=at,
                request=key,
                name=name,
                value=value,
                direction="in",
                status=status,
            )
        if status >= 400:
            body = _body(content)
            fields = error_body_fields(body) if body else None
            if fields and fresh(
                ("api-error", status, host, fields.get("error_type"), fields.get("shape"), _message_shape(fields))
            ):
                fields = dict(fields)
                fields["request_id"] = fields.get("request_id") or _first(resp_headers, "request-id")
                yield Evidence.make(
                    SOURCE,
                    "api-error",
                    f"{status} {body[:300]}",
                    where,
                    at=at,
                    request=key,
                    status=status,
                    host=host,
                    url=url or None,
                    body=body[:BODY_CAP],
                    **fields,
                )
    elif error and fresh(("failure", host, shape(error))):
        yield from _failure(doc, where, at, key, error, host, parts.get("port"), server_ip)

    if fresh(("timing", host)):
        yield from _timing(entry, where, at, key, host)


# --------------------------------------------------------------------------- big files
#
# A HAR of SPARSE_MIN_BYTES or more is summarised (common.RepeatBudget): evidence alike to
# REPEAT_CAP pieces already emitted from the file is dropped before it is built; whether a
# request id was there still counts.


def _always(signature: tuple) -> bool:
    return True


def _no_shape(name: str, value: str) -> str:
    return ""


def _message_shape(fields: dict) -> str:
    """An error message without its ids and numbers; an unstructured body counts by its start."""
    message = str(fields.get("message"))
    cut = 200 if fields.get("shape") in ("anthropic", "openai", "edge", "other", "anthropic-inner") else 60
    return shape(message, cut)


def _body(content: dict) -> str:
    text = content.get("text")
    if not isinstance(text, str) or not text.strip():
        return ""
    if str(content.get("encoding") or "").lower() == "base64":
        raw = "".join(text.split())
        raw = raw[: len(raw) - len(raw) % 4]
        try:
            return base64.b64decode(raw, validate=False).decode("utf-8", errors="replace")
        except (binascii.Error, ValueError):
            return ""
    return text


def _failure(
    doc: Doc,
    where: Location,
    at: str | None,
    key: str,
    error: str,
    host: str | None,
    port: int | None,
    server_ip: str | None,
) -> Iterator[Evidence]:
    """status 0 with `_error`: a transport failure (and a TLS one when the text says so)."""
    net = _NET_ERROR.search(error)
    code = net.group(1) if net else None
    if code in VOCAB.har_benign_net_errors:
        return
    tls_code = VOCAB.tls_code_for_reason(error)
    if code is None:
        found = VOCAB.first("har_text_codes", error)
        code = tls_code or (found[1]["code"] if found else None)
    addr = _ADDR_PORT.search(error)
    yield Evidence.make(
        SOURCE,
        "connect-error",
        f"{error} ({host or '?'})",
        where,
        at=at,
        request=key,
        code=code,
        host=host,
        port=int(addr.group(2)) if addr else port,
        address=addr.group(1) if addr else server_ip,
        message=error[:500],
    )
    is_tls = (code or "").startswith(("ERR_CERT_", "ERR_SSL_", "ERR_BAD_SSL")) or (not net and _TLS_TEXT.search(error))
    if is_tls:
        reason = error.split(":", 1)[1].strip() if not net and ":" in error else error
        yield Evidence.make(
            SOURCE,
            "tls-error",
            error,
            where,
            at=at,
            request=key,
            code=code if net else tls_code,
            reason=reason[:300],
            message=error[:500],
            host=host,
        )


def _timing(entry: dict, where: Location, at: str | None, key: str, host: str | None) -> Iterator[Evidence]:
    timings = entry.get("timings")
    if not isinstance(timings, dict):
        return
    phases: dict[str, float] = {}
    for name in _TIMING_PHASES:
        value = timings.get(name)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and value >= 0:
            phases[name] = round(float(value), 3)
    if not phases:
        return
    total = entry.get("time")
    total = (
        round(float(total), 3)
        if isinstance(total, (int, float)) and not isinstance(total, bool) and total >= 0
        else None
    )
    text = "timings: " + ", ".join(f"{k}={v:g}" for k, v in phases.items())
    yield Evidence.make(SOURCE, "timing", text, where, at=at, request=key, host=host, total=total, **phases)
