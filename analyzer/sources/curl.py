"""curl transcripts: `curl -v`, `curl --trace-ascii` (also with --trace-time / --trace-ids),
libcurl's default verbose output (pycurl, PHP, git), terminal copies and Windows schannel builds.

Line model: `* ` libcurl info, `> ` request header, `< ` response header, `{ [N bytes data]` /
`} [...]` data markers, `curl: (N) message` the CLI's final error. --trace-ascii writes
`== Info: text`, `=> Send header, N bytes`, `<= Recv header|data, N bytes` records, each followed
by `0000: text` lines. Anything else is stdout (the response body) or terminal noise.

Pitfalls handled (formats.md sections 0 and 1):
- the progress meter is redrawn with `\\r` and glued to the next `*`/`<` line, so a physical line
  is split on `\\r` too and a leading meter is cut off; TTY copies end header lines with `\\r\\r\\n`;
- `curl: (N)` and the body can appear anywhere (stdout and stderr interleave): a response's body
  is the stdout text after its header block, else JSON/HTML found elsewhere in the transcript;
- the proxy's answer to CONNECT is a header block too: it becomes `proxy-reply`, not `response`;
- libcurl's default verbose output prefixes only the first line of a header block with `> `;
- wording moved between 7.x, 8.14 and 8.17+ (`Connected to` / `Established connection`,
  `OpenSSL verify result`, exit 56 -> 7 for a refused CONNECT): key on small stable substrings.

Also read: pycurl/PHP error forms (`pycurl.error: (7, '...')`, `cURL error 60: ...`), and the bare
status line + headers of `curl -i` / `wget --server-response` when no `<` block exists.
Records of one transfer share `request="xfer-N"` (N counts transfers in the file); headers of a
CONNECT exchange carry `phase="connect"` so they are never mistaken for the origin's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import regex

from .. import redact
from ..lazy import lazy_sniff_regex
from ..model import Evidence, Location
from ..textio import SPARSE_MIN_BYTES, Doc
from ..vocabulary import VOCAB
from .common import RepeatBudget, error_body_fields, lazy_regex, normalize_dn, split_url

SOURCE = "curl"
BODY_LIMIT = 64 * 1024  # stdout kept per response / as orphan text
FIELD_BODY = 500  # body excerpt stored on evidence

_SNIFF = lazy_sniff_regex(
    r"""(?mx)
      (?:^|[\r\s])\*\s{1,4}Trying\s\S
    | (?:^|[\r\s\]])==\ Info:[ ]
    | ^(?:=>\ Send\ header|<=\ Recv\ header),
    | (?:^|[\r\s])>\ (?:GET|POST|PUT|HEAD|DELETE|PATCH|OPTIONS|CONNECT)\ \S+\ HTTP/
    | (?:^|[\r\s])<\ HTTP/\d
    | ^\s*curl(?:\.exe)?:\ \(\d{1,3}\)[ ]
    | \*\ (?:Connected\ to\ \S+\ \(|Uses\ proxy\ env\ variable|Established\ connection\ to|schannel:\ )
    | pycurl\.error
    | \(\d{1,2},\ ['"](?:SSL|Could\ not|Failed\ to|CONNECT|Recv\ failure|Operation\ timed|Connection\ timed
                       |Empty\ reply|schannel)
    | cURL\ error\ \d{1,3}:[ ]
    | \A\s*HTTP/\d(?:\.\d)?\ \d{3}\b
    | ^--\d{4}-\d\d-\d\d\ \d\d:\d\d:\d\d--\ \ https?://
    """
)

# Big files reach this parser through a sparse view (textio.LineGate): the lines holding one of
# these literals ("\n" = at the start of a line), each with the lines after it that belong to
# the same transfer (headers without a `<` prefix, the body after a status line, trace data).
TRIGGERS: dict[str, int] = {
    "\n*": 3,
    "\n>": 3,
    "\n<": 3,
    "\n{ [": 1,
    "\n} [": 1,
    "== Info:": 3,
    "=> Send": 20,
    "<= Recv": 20,
    "HTTP/": 40,
    "Trying ": 3,
    "curl:": 5,
    "curl.exe:": 5,
    "pycurl": 5,
    "cURL error": 5,
    "\n--20": 5,
    "schannel": 3,
    "0x80": 3,
    "trust error": 3,
    "SSL certificate": 3,
    "CONNECT": 5,
    # the progress meter is redrawn with `\r` and glues the next record to itself: `...     0* Trying`
    "\r": 3,
    **dict.fromkeys(("0*", "1*", "2*", "3*", "4*", "5*", "6*", "7*", "8*", "9*", "k*", "M*"), 3),
}
# Lines that carry a failure, with the transcript before them (connect, TLS, request) and after.
INTEREST: dict[str, tuple[int, int]] = dict.fromkeys(
    (
        "HTTP/1.1 4",
        "HTTP/1.1 5",
        "HTTP/1.0 4",
        "HTTP/1.0 5",
        "HTTP/2 4",
        "HTTP/2 5",
        "HTTP/3 4",
        "HTTP/3 5",
        "curl: (",
        "curl.exe: (",
        "cURL error",
        "SSL certificate problem",
        "CONNECT tunnel failed",
        "Received HTTP code",
        "Failed to connect",
        "Could not resolve",
        "Recv failure",
        "Send failure",
        "schannel: ",
        "SSL_connect",
        "SSL_ERROR",
        "TLS connect error",
        "Connection refused",
        "timed out",
        "Proxy CONNECT aborted",
        "Empty reply",
        "certificate verify failed",
        "self-signed",
        "self signed",
        "trust error",
    ),
    (40, 15),
)


def sniff(head: str) -> bool:
    return bool(_SNIFF.search(head))


# ---------------------------------------------------------------- physical lines -> segments

_NUM = r"\d+(?:\.\d+)?[kMGTPE]?"
_TIME = r"(?:--:--:--|\d+:\d\d:\d\d|\d+[dh]\s?\d*[hm]?)"
_METER = lazy_regex(
    rf"\s*\d{{1,3}}\s+{_NUM}\s+\d{{1,3}}\s+{_NUM}\s+\d{{1,3}}\s+{_NUM}\s+{_NUM}\s+{_NUM}"
    rf"\s+{_TIME}\s+{_TIME}\s+{_TIME}\s+{_NUM}"
)
_METER_START = frozenset(" 0123456789")
_METER_HEAD = lazy_regex(r"^\s*% Total\s+% Received|^\s+Dload\s+Upload\s+Total")
# stdout glued in front of a trace record or the final error line
_GLUE = lazy_regex(r"(?<=\S)(?===\ Info:\ |=>\ Send\ |<=\ Recv\ |curl:\ \(\d{1,3}\)\ )")


def _segments(doc: Doc) -> Iterator[tuple[int, str]]:
    """(line number, logical line): `\\r`-split, progress meter removed, glued records apart."""
    for lineno, physical in doc.numbered():
        for seg in physical.split("\r") if "\r" in physical else (physical,):
            m = _METER.match(seg) if seg[:1] in _METER_START else None
            if m:
                seg = seg[m.end() :]
            if not seg.strip() and (m or "\r" in physical):
                continue
            if seg[:1] == " " and _METER_HEAD.match(seg):
                continue
            if len(seg) > 12 and ("Info: " in seg or "=> Send" in seg or "<= Recv" in seg or "curl: (" in seg):
                yield from ((lineno, piece) for piece in _GLUE.split(seg))
            else:
                yield lineno, seg


# ---------------------------------------------------------------- line classes

_MARK = lazy_regex(
    r"""^(?:(?P<time>\d\d:\d\d:\d\d\.\d{6})\ )?(?:\[(?P<ids>(?:\d+|x)-(?:\d+|x))\]\ )?
    (?: (?P<info>==\ Info:)\ ?
      | (?P<trace>=>\ Send|<=\ Recv)\ (?P<what>[A-Za-z ]+?),\ \d+\ bytes
      | (?P<star>\*)(?:\ |$)
      | (?P<out>>)(?:\ |$)
      | (?P<inn><)(?:\ |$)
      | (?P<data>[{}])\ \[\d+\ bytes\ data\]
    )""",
    regex.X,
)
_ADDR_SEP = lazy_regex(r"[,\s]+")
_NON_WORD = lazy_regex(r"\W+")
_AFTER_MS = lazy_regex(r"after (\d+) milli")
_HEX = lazy_regex(r"^[0-9a-f]{4,8}: ?(.*)$")
_EXIT = lazy_regex(r"^\s*curl(?:\.exe)?: \((?P<code>\d{1,3})\)\s*(?P<msg>.*)$")
_PY_TUPLE = lazy_regex(r"\((?P<code>\d{1,3}),\s*(?P<q>['\"])(?P<msg>.*?)(?P=q)\)")
_PHP_EXIT = lazy_regex(r"cURL error (?P<code>\d{1,3}):\s*(?P<msg>.+)$")
_CURLISH = lazy_regex(r"SSL|Could not|Couldn't|Failed to|CONNECT|Recv failure|timed out|Empty reply|schannel|resolve")
_HELP = lazy_regex(
    r"^(?:More details here: https?://curl|curl failed to verify the legitimacy"
    r"|establish a secure connection to it|how to fix it, please visit"
    r"|curl performs SSL certificate verification|If you'd like to turn off curl's)"
)

_REQ_LINE = lazy_regex(r"^(?P<method>[A-Z]{3,10}) (?P<target>\S+) HTTP/(?P<ver>\d(?:\.\d)?)\s*$")
_STATUS_LINE = lazy_regex(r"^HTTP/(?P<ver>\d(?:\.\d)?) (?P<status>\d{3})(?:\s+(?P<reason>.*?))?\s*$")
_HEADER = lazy_regex(r"^(?P<name>[!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(?P<value>.*?)\s*$")

# ---------------------------------------------------------------- info-line vocabulary

_PROXY_ENV = lazy_regex(r"^Uses proxy env variable (?P<name>[A-Za-z_]+) == '(?P<value>.*)'\s*$")
_RESOLVED = lazy_regex(r"^Host (?P<host>\S+?):(?P<port>\d+) was resolved")
_ADDRS = lazy_regex(r"^IPv(?P<fam>[46]): (?P<addrs>.+)$")
_NO_RESOLVE = lazy_regex(r"^Could(?:n't| not) resolve(?: (?P<what>host|proxy))?:? '?(?P<host>[^\s']+)")
_TRYING = lazy_regex(r"^Trying (?P<tok>\S+?)\.\.\.?\s*$")
_CONNECTED = lazy_regex(r"^Connected to (?P<host>\S+) \((?P<addr>[^)]*)\) port (?P<port>\d+)(?: \(#(?P<conn>\d+)\))?")
_ESTABLISHED = lazy_regex(r"^Established connection to (?P<host>\S+) \((?P<addr>\S+) port (?P<port>\d+)\)")
_CONN_FAIL = lazy_regex(
    r"^(?:Immediate )?connect to (?P<addr>\S+) port (?P<port>\d+)(?: from \S+ port \d+)?"
    r" failed: (?P<msg>.+?)\s*$"
    r"|^Immediate connect fail for (?P<addr>\S+?): (?P<msg>.+?)\s*$"
)
_FAILED_TO = lazy_regex(r"Failed (?:to )?connect to (?P<host>\S+?)(?: port |:)(?P<port>\d+)")
_CONN_TIMEOUT = lazy_regex(r"^ipv(?P<fam>[46]) connect timeout after (?P<ms>\d+) ?ms")
_TUNNEL = lazy_regex(r"^Establish(?:ing)? HTTP proxy tunnel to (?P<host>\S+?):(?P<port>\d+)")
_TUNNEL_FAIL = lazy_regex(
    r"CONNECT tunnel failed, response (?P<s1>\d{3})"
    r"|Received HTTP code (?P<s2>\d{3}) from proxy after CONNECT"
)
_TUNNEL_OK = lazy_regex(r"^CONNECT tunnel established, response (?P<status>\d{3})")
_PROXY_AUTH = lazy_regex(r"^Proxy auth using (?P<scheme>\S+) with user")
_SSL_CONN = lazy_regex(
    r"^SSL connection using (?P<version>[^ /]+) / (?P<cipher>[^ /]+)"
    r"(?: / (?P<group>[^ /]+))?(?: / (?P<sig>[^ /]+))?"
)
_TLS_START = lazy_regex(
    r"^(?:ALPN(?::|,) (?:curl )?offer|TLSv[\d.]+ \(OUT\), TLS handshake, Client hello|CAfile:"
    r"|SSL Trust Anchors|schannel: SSL/TLS connection with)"
)
_ALPN = lazy_regex(r"^ALPN(?::|,) server accepted(?: to use)? (?P<alpn>\S+)")
_ALERT = lazy_regex(r"^(?P<ver>TLSv[\d.]+|SSLv\d) \((?P<dir>IN|OUT)\), TLS alert, (?P<alert>[^(]+?) \((?P<num>\d+)\)")
_CERT_PROBLEM = lazy_regex(r"SSL certificate problem: (?P<reason>.+?)(?:\s+\(see [^)]*\))?\s*$")
_ALTNAME = lazy_regex(
    r"SSL: (?:no alternative certificate subject name matches target host ?name '(?P<host>[^']*)'"
    r"|certificate subject name '[^']*' does not match target host ?name '(?P<host2>[^']*)')"
)
_VERIFY_RESULT = lazy_regex(
    r"SSL certificate (?:OpenSSL )?verify result: (?P<reason>.+?) \((?P<num>\d+)\)"
    r"(?P<cont>, continuing anyway)?"
)
_OSSL_ERR = lazy_regex(r"error:(?P<hex>[0-9A-Fa-f]{8}):[^:]*:[^:]*:(?P<reason>[^:]+)")
_SSL_CONNECT = lazy_regex(
    r"(?:OpenSSL|LibreSSL|BoringSSL)? ?SSL_connect: (?P<msg>.+?)"
    r" in connection to (?P<host>\S+?):(?P<port>\d+)"
)
_GNUTLS = lazy_regex(r"gnutls_handshake\(\) failed: (?P<msg>.+)$")
_SCHANNEL = lazy_regex(
    r"\b(?P<name>(?:SEC_E|SEC_I|CRYPT_E|CERT_E|TRUST_E)_[A-Z_]+)\s*\((?P<hex>0x[0-9A-Fa-f]{8})\)"
    r"|Unknown error \((?P<hex2>0x[0-9A-Fa-f]{8})\)|trust error (?P<trust>CERT_TRUST_[A-Z_]+)"
)
_SCHANNEL_STEP = lazy_regex(r"^schannel: (?P<step>SSL/TLS handshake complete|checking server certificate revocation)")
_CACERT = lazy_regex(r"error setting certificate (?:verify locations|file): (?P<msg>.+)$")
_CAFILE = lazy_regex(r"^CAfile: (?P<path>.+)$")
_CLOSE = lazy_regex(
    r"^(?:Connection #\d+ to host \S+ left intact|[Cc]losing connection #?\d+"
    r"|shutting down connection #\d+)"
)
_REUSE = lazy_regex(r"^Re-?using existing (?:\w+: )?connection")
_H2_OPENED = lazy_regex(r"^\[HTTP/[23]\] \[\d+\] OPENED stream for (?P<url>\S+)")
_H2_PSEUDO = lazy_regex(r"^(?:\[HTTP/[23]\] \[\d+\]|h2h3) \[:(?P<name>authority|path|method|scheme): (?P<val>[^\]]*)\]")
_REBUILT = lazy_regex(r"^Rebuilt URL to: (?P<url>\S+)")
_FATAL_INFO = lazy_regex(
    r"^(?:Empty reply from server|Recv failure: |Send failure: "
    r"|(?:Connection|Operation|Resolving) timed out after"
    r"|Failed to connect to |CONNECT tunnel failed|Received HTTP code \d{3} from proxy after CONNECT"
    r"|Could(?:n't| not) resolve)"
)

# cert block: lines that belong to `Server certificate:` (OpenSSL, 8.17+ and GnuTLS forms)
_CERT_FIELD = lazy_regex(
    r"""^(?:(?P<key>subject|issuer|start\ date|expire\ date):\s*(?P<val>.*)
      | subjectAltName:\s*(?:host\ )?"[^"]*"\ match(?:ed|es)\ cert's\ "(?P<san>[^"]*)"
      | subjectAltName\ does\ not\ match\ (?:hostname\ )?(?P<nomatch>\S+)
      | (?P<ok>SSL\ certificate\ verify\ ok\.?|SSL\ certificate\ verified\ via\ \w+\.?
             |server\ certificate\ verification\ OK)
      | OpenSSL\ verify\ result:\ (?P<vnum>\d+)
      | SSL\ certificate\ (?:OpenSSL\ )?verify\ result:\ (?P<vres>.+?)\ \(\d+\).*
      | server\ certificate\ verification\ (?P<gfail>FAILED|failed).*
      | common\ name:\ (?P<cn>\S+)\ \((?P<cnm>matched|does\ not\ match)\)
      | Certificate\ level\ \d+:.* | certificate\ (?:public\ key|version):.* | compression:.*
      | server\ certificate\ (?:status\ verification|expiration\ date|activation\ date)\ .*
    )$""",
    regex.X,
)

_UA_CLIENTS = [
    (lazy_regex(r"\bcurl/(\d[\w.\-]*)"), "curl"),
    (lazy_regex(r"\blibcurl/(\d[\w.\-]*)"), "libcurl"),
    (lazy_regex(r"\bPycURL/(\d[\w.\-]*)"), "pycurl"),
    (lazy_regex(r"\bclaude-cli/(\d[\w.\-]*)"), "claude-code"),
]


def _errno(text: str) -> str | None:
    found = VOCAB.first("curl_errno_text", text)
    return found[1]["code"] if found else None


# ---------------------------------------------------------------- state


def _new_state(path: str, budget: RepeatBudget | None = None) -> SimpleNamespace:
    st = SimpleNamespace(
        path=path,
        n=0,
        at=None,
        req=None,
        resp=None,
        last_req=None,
        pending=None,
        orphan=_holder(),
        clients=set(),
        trace=None,
        budget=budget,
    )
    _reset_transfer(st)
    return st


def _reset_transfer(st: SimpleNamespace) -> None:
    st.n += 1
    st.key = f"xfer-{st.n}"
    st.ended = False
    st.exit_seen = False
    st.fail = None  # (line, text) of a fatal info line, used when no exit line follows
    st.proxy_host = st.proxy_port = None
    st.proxy_emitted = False
    st.resolved = None  # (host, port)
    st.trying = None  # (address, port)
    st.connected_host = st.connected_port = None
    st.tunnel = None  # (host, port) of CONNECT
    st.proxy_auth = None
    st.proxy_reply_done = False
    st.resp_seen = False  # a response header block was seen in this transfer
    st.h2 = {}
    st.tls = False  # a TLS session was established
    st.tls_started = False  # a handshake began (ALPN offer, Client hello, CAfile)
    st.ca_file = None
    st.cert = None
    st.connect_detail = None
    st.tls_done = set()
    st.dns_done = set()


def _holder() -> dict[str, Any]:
    """Collected stdout lines: where they start and how much is kept."""
    return {"lines": [], "size": 0, "line": None, "wrap": False}


def _ev(
    st: SimpleNamespace, kind: str, text: str, line: int, *, at: str | None = None, **fields: Any
) -> Evidence | None:
    """Evidence of this transfer; None in a big file once REPEAT_CAP alike pieces were emitted (common.RepeatBudget)."""
    if st.budget is not None and not st.budget.evidence(kind, text, fields):
        return None
    return Evidence.make(SOURCE, kind, text, Location(st.path, line), at=at or st.at, request=st.key, **fields)


def _target_host(st: SimpleNamespace) -> str | None:
    if st.tunnel:
        return st.tunnel[0]
    if st.last_req and st.last_req.get("host"):
        return st.last_req["host"]
    if st.resolved and not st.proxy_port:
        return st.resolved[0]
    if st.connected_host:
        return st.connected_host
    return st.trying[0] if st.trying and not st.proxy_port else None


def _is_proxy_port(st: SimpleNamespace, port: int | None) -> bool | None:
    return True if (port is not None and st.proxy_port == port) else None


# ---------------------------------------------------------------- parse


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    yield from _parse(doc)


def _parse(doc: Doc) -> Iterator[Evidence]:
    st = _new_state(doc.path, RepeatBudget() if doc.size >= SPARSE_MIN_BYTES else None)
    for lineno, seg in _segments(doc):
        yield from filter(None, _line(st, lineno, seg))  # None: a repeat a big file leaves out
    yield from filter(None, _end_transfer(st))


def _line(st: SimpleNamespace, lineno: int, seg: str) -> Iterator[Evidence | None]:
    m = _MARK.match(seg)
    if m is None:
        yield from _plain(st, lineno, seg)
        return
    st.at = m["time"] or st.at
    rest = seg[m.end() :]
    if m["info"] or m["star"]:
        st.trace = None
        yield from _close_blocks(st)
        yield from _info(st, lineno, rest)
    elif m["trace"]:
        what = m["what"].lower()
        st.trace = ("send-" if m["trace"].startswith("=") else "recv-") + (
            "header" if what == "header" else "data" if what == "data" else "other"
        )
    elif m["out"] or m["inn"]:
        if st.cert is not None:
            yield from _flush_cert(st)
        yield from (_out if m["out"] else _in)(st, lineno, rest.strip())


def _plain(st: SimpleNamespace, lineno: int, seg: str) -> Iterator[Evidence | None]:
    text = seg.strip()
    if st.trace:
        hx = _HEX.match(seg)
        if hx:
            if st.trace == "send-header":
                yield from _out(st, lineno, hx[1].strip())
            elif st.trace == "recv-header":
                yield from _in(st, lineno, hx[1].strip())
            elif st.trace == "recv-data" and st.pending is not None:  # not the proxy's 407 page
                _body(st, lineno, hx[1], wrapped=True)
            return
        st.trace = None
    em = _EXIT.match(seg) if "curl" in seg else None
    if em:
        yield from _exit(st, lineno, int(em["code"]), em["msg"].strip(), seg)
        return
    lm = _PY_TUPLE.search(seg) if ("pycurl" in seg or seg.lstrip().startswith("(")) else None
    if lm is None and "cURL error" in seg:
        lm = _PHP_EXIT.search(seg)
    if lm and ("pycurl" in seg or "cURL error" in seg or _CURLISH.search(lm["msg"])):
        yield from _exit(st, lineno, int(lm["code"]), lm["msg"].strip(), seg)
        return
    # libcurl default verbose: header lines after the first `> `/`< ` line carry no prefix
    if st.req is not None and (not text or _HEADER.match(text)):
        yield from _out(st, lineno, text)
        return
    if st.resp is not None and (not text or _HEADER.match(text)):
        yield from _in(st, lineno, text)
        return
    yield from _close_blocks(st)
    # `curl -i` / `wget --server-response` print the status line and headers without `<`
    if not st.resp_seen and seg[:7] in ("HTTP/1.", "HTTP/2 ", "HTTP/3 ", "  HTTP/") and _STATUS_LINE.match(text):
        yield from _in(st, lineno, text)
        st.resp["bare"] = True  # its "body" may be wget's own log lines: JSON/HTML only
        return
    if ("0x8" in seg or "trust error" in seg) and _SCHANNEL.search(seg):
        yield from _tls_errors(st, lineno, seg, text)
        return
    if not text or (text[0] in "Mcehi" and _HELP.match(text)):
        return
    _body(st, lineno, seg, wrapped=False)


def _body(st: SimpleNamespace, lineno: int, text: str, *, wrapped: bool) -> None:
    """Keep stdout text: for the response awaiting its body, else as orphan text."""
    holder = st.pending["body"] if st.pending is not None else st.orphan
    if holder["size"] > BODY_LIMIT:
        return
    holder["size"] += len(text)
    holder["line"] = holder["line"] or lineno
    target = holder["lines"]
    # trace-ascii cuts data into 64-char rows; a shorter row ended at a newline
    if wrapped and target and holder["wrap"]:
        target[-1] = target[-1] + text
    else:
        target.append(text)
    holder["wrap"] = wrapped and len(text) == 64


# ---------------------------------------------------------------- header blocks


def _out(st: SimpleNamespace, lineno: int, text: str) -> Iterator[Evidence | None]:
    if st.resp is not None:
        yield from _close_resp(st)
    rl = _REQ_LINE.match(text)
    if rl:
        if st.req is not None:
            yield from _close_req(st)
        if st.ended or st.pending is not None or st.exit_seen:
            yield from _end_transfer(st)
            _reset_transfer(st)
        st.req = {
            "method": rl["method"],
            "target": rl["target"],
            "version": rl["ver"],
            "line": lineno,
            "at": st.at,
            "text": text,
            "headers": {},
        }
        return
    if not text:
        if st.req is not None:
            yield from _close_req(st)
        return
    hm = _HEADER.match(text)
    if hm:
        name = hm["name"].lower()
        if st.req is not None:
            st.req["headers"].setdefault(name, hm["value"])
        connect = bool(st.req and st.req["method"] == "CONNECT")
        yield _header(st, lineno, "> " + text, name, hm["value"], "out", connect=connect)


def _in(st: SimpleNamespace, lineno: int, text: str) -> Iterator[Evidence | None]:
    if st.req is not None:
        yield from _close_req(st)
    sl = _STATUS_LINE.match(text)
    if sl:
        if st.resp is not None:
            yield from _close_resp(st)
        st.resp_seen = True
        st.resp = {
            "status": int(sl["status"]),
            "reason": sl["reason"] or None,
            "version": sl["ver"],
            "at": st.at,
            "line": lineno,
            "text": text,
            "headers": [],
            "connect": bool(st.last_req and st.last_req["method"] == "CONNECT" and not st.last_req.get("answered")),
        }
        return
    if not text:
        if st.resp is not None:
            yield from _close_resp(st)
        return
    hm = _HEADER.match(text)
    if hm:
        name = hm["name"].lower()
        status = connect = None
        if st.resp is not None:
            st.resp["headers"].append((name, hm["value"]))
            status, connect = st.resp["status"], st.resp["connect"]
        yield _header(st, lineno, "< " + text, name, hm["value"], "in", status=status, connect=connect)


def _header(
    st: SimpleNamespace,
    lineno: int,
    text: str,
    name: str,
    value: str,
    direction: str,
    status: int | None = None,
    connect: bool | None = None,
) -> Evidence | None:
    if st.budget is not None and not st.budget.allow(
        ("header", direction, name, st.budget.header(name, value), status, connect)
    ):
        return None
    # the model only masks values by variable name; header credentials need their header context
    masked = redact.redact_text(f"{name}: {value}")[len(name) + 2 :]
    return Evidence.make(
        SOURCE,
        "header",
        text,
        Location(st.path, lineno),
        at=st.at,
        request=st.key,
        name=name,
        value=masked,
        direction=direction,
        status=status,
        phase="connect" if connect else None,
    )


def _close_blocks(st: SimpleNamespace) -> Iterator[Evidence | None]:
    if st.req is not None:
        yield from _close_req(st)
    if st.resp is not None:
        yield from _close_resp(st)


def _close_req(st: SimpleNamespace) -> Iterator[Evidence | None]:
    req, st.req = st.req, None
    h = req["headers"]
    ua = h.get("user-agent")
    line = req["line"]
    if req["method"] == "CONNECT":
        host, _, port = req["target"].rpartition(":")
        host = host or req["target"]
        req["host"] = host.strip("[]").lower()
        st.tunnel = (req["host"], int(port) if port.isdigit() else None)
        yield from _cli_proxy(st, line, req["text"])
        auth = h.get("proxy-authorization", "").split(" ")[0] or st.proxy_auth
        yield _ev(
            st,
            "request",
            req["text"],
            line,
            at=req["at"],
            method="CONNECT",
            host=req["host"],
            port=st.tunnel[1],
            user_agent=ua,
            http_version=req["version"],
            proxy_auth=auth or None,
        )
    else:
        target = req["target"]
        parts = split_url(target) if "://" in target else {}
        host_hdr = h.get("host") or st.h2.get("authority") or ""
        hp = split_url("http://" + host_hdr) if host_hdr else {}
        host = hp.get("host") or parts.get("host") or _target_host(st)
        if parts:  # absolute URI: a plain-HTTP request through a proxy
            url = target
            path = parts.get("path")
            yield from _cli_proxy(st, line, req["text"])
        else:
            path = target
            url = st.h2.get("url")
            if not url and host_hdr:
                tls = st.tls or st.tunnel or req["version"] == "2"  # h2 without TLS (h2c) is rare
                scheme = st.h2.get("scheme") or ("https" if tls else "http")
                url = f"{scheme}://{host_hdr}{target}"
        port = hp.get("port") if ":" in host_hdr else None
        req.update(host=host, url=url)
        yield _ev(
            st,
            "request",
            req["text"],
            line,
            at=req["at"],
            method=req["method"],
            url=url,
            host=host,
            path=path,
            port=port,
            user_agent=ua,
            http_version=req["version"],
            proxied=True if (parts or st.proxy_port) else None,
        )
    st.last_req = req
    if ua:
        for rx, name in _UA_CLIENTS:
            cm = rx.search(ua)
            if cm and (name, cm[1]) not in st.clients:
                st.clients.add((name, cm[1]))
                yield _ev(st, "client", f"User-Agent: {ua}", line, name=name, version=cm[1])


def _cli_proxy(st: SimpleNamespace, line: int, text: str) -> Iterator[Evidence | None]:
    """A CONNECT or absolute-URI request without a `Uses proxy env variable` line: -x/--proxy."""
    if st.proxy_emitted:
        return
    st.proxy_emitted = True
    port = st.trying[1] if st.trying else st.connected_port
    host = None
    if st.resolved and (port is None or st.resolved[1] == port):
        host = st.resolved[0]
    host = host or st.connected_host or (st.trying[0] if st.trying else None)
    st.proxy_host, st.proxy_port = host, port
    yield _ev(
        st,
        "proxy",
        text,
        line,
        via="cli",
        host=host,
        port=port,
        address=st.trying[0] if st.trying else None,
        scheme="http",
    )


def _close_resp(st: SimpleNamespace) -> Iterator[Evidence | None]:
    resp, st.resp = st.resp, None
    status = resp["status"]
    if 100 <= status < 200:
        return
    hdr: dict[str, str] = {}
    schemes: list[str] = []
    for name, value in resp["headers"]:
        hdr.setdefault(name, value)
        if name == "proxy-authenticate" and value.split():
            schemes.append(value.split()[0].rstrip(","))
    squid = hdr.get("x-squid-error", "").split(" ")[0] or None
    reply = dict(
        status=status,
        reason=resp["reason"],
        http_version=resp["version"],
        server=hdr.get("server"),
        authenticate=",".join(schemes) or None,
        squid_error=squid,
        via=hdr.get("via"),
        proxy_agent=hdr.get("proxy-agent"),
    )
    if resp["connect"]:
        st.last_req["answered"] = True
        st.proxy_reply_done = True
        host, port = st.tunnel or (None, None)
        yield _ev(st, "proxy-reply", resp["text"], resp["line"], at=resp["at"], host=host, port=port, **reply)
        return
    if st.pending is not None:
        yield from _flush_pending(st)
    req = st.last_req or {}
    if status == 407 or squid:  # a plain-HTTP request answered by the proxy itself
        yield _ev(
            st, "proxy-reply", resp["text"], resp["line"], at=resp["at"], host=req.get("host"), tunnel=False, **reply
        )
    st.pending = {
        "line": resp["line"],
        "text": resp["text"],
        "body": _holder(),
        "at": resp["at"],
        "bare": resp.get("bare", False),
        "fields": dict(
            status=status,
            reason=resp["reason"],
            http_version=resp["version"],
            server=hdr.get("server"),
            request_id=hdr.get("request-id") or hdr.get("x-request-id"),
            cf_ray=hdr.get("cf-ray"),
            via=hdr.get("via"),
            content_type=hdr.get("content-type"),
            retry_after=hdr.get("retry-after"),
            x_should_retry=hdr.get("x-should-retry"),
            host=req.get("host"),
            url=req.get("url"),
            method=req.get("method"),
            proxied=True if st.proxy_port else None,
        ),
    }


def _flush_pending(st: SimpleNamespace) -> Iterator[Evidence | None]:
    p, st.pending = st.pending, None
    body = "\n".join(p["body"]["lines"]).strip()
    body_line = p["body"]["line"]
    if not body and st.orphan["lines"]:
        # stdout printed away from its headers: accept only text that is clearly a body
        orphan = "\n".join(st.orphan["lines"]).strip()
        if orphan.startswith(("{", "<")) or '{"error"' in orphan or '"type":"error"' in orphan:
            body, body_line = orphan, st.orphan["line"]
            st.orphan = _holder()
    f = p["fields"]
    yield _ev(st, "response", p["text"], p["line"], at=p["at"], body=body[:FIELD_BODY] or None, **f)
    if body and f["status"] >= 400:
        info = error_body_fields(body)
        if info and not (p["bare"] and info["shape"] == "plain"):
            info["request_id"] = info.get("request_id") or f.get("request_id")
            yield _ev(
                st,
                "api-error",
                body[:300],
                body_line or p["line"],
                at=p["at"],
                status=f["status"],
                host=f.get("host"),
                url=f.get("url"),
                body=body[:FIELD_BODY],
                **info,
            )


# ---------------------------------------------------------------- info lines


def _is_start(s: str) -> bool:
    return bool(
        _PROXY_ENV.match(s)
        or _RESOLVED.match(s)
        or _TRYING.match(s)
        or _REBUILT.match(s)
        or _REUSE.match(s)
        or _CONNECTED.match(s)
        or _NO_RESOLVE.match(s)
    )


def _info(st: SimpleNamespace, lineno: int, raw: str) -> Iterator[Evidence | None]:
    s = raw.strip()
    if not s:
        return
    # the certificate block runs until the first line that is not one of its fields
    if s.startswith("Server certificate:"):
        if st.cert is not None:
            yield from _flush_cert(st)
        st.cert = {"line": lineno, "fields": {}, "at": st.at}
        return
    cf = _CERT_FIELD.match(s)
    if st.cert is None and cf and raw[:1].isspace():  # GnuTLS prints no block header
        st.cert = {"line": lineno, "fields": {}, "at": st.at}
    if st.cert is not None:
        if cf:
            _cert_field(st, cf)
            if not (cf["vres"] or cf["gfail"]):
                return
        else:
            yield from _flush_cert(st)
    if st.ended and _is_start(s):
        yield from _end_transfer(st)
        _reset_transfer(st)
    if _FATAL_INFO.match(s):
        st.fail = (lineno, s)
    if _TLS_START.match(s):
        st.tls_started = True
    if m := _PROXY_ENV.match(s):
        yield from _env_proxy(st, lineno, s, m)
    elif m := _RESOLVED.match(s):
        st.resolved = (m["host"].lower(), int(m["port"]))
    elif m := _ADDRS.match(s):
        addrs = [a for a in _ADDR_SEP.split(m["addrs"]) if a and a != "(none)"]
        if addrs and st.resolved:
            host, port = st.resolved
            yield _ev(
                st,
                "dns",
                f"Host {host}:{port} was resolved. {s}",
                lineno,
                host=host,
                port=port,
                addresses=",".join(addrs),
                family=int(m["fam"]),
                proxy=True if st.proxy_host == host else None,
            )
    elif m := _NO_RESOLVE.match(s):
        yield from _dns_error(st, lineno, s, m["host"], proxy=m["what"] == "proxy")
    elif m := _TRYING.match(s):
        addr, port = _split_addr(m["tok"])
        st.trying = (addr, port)
        yield _ev(
            st,
            "connect",
            s,
            lineno,
            address=addr,
            port=port,
            family=6 if ":" in addr else 4,
            step="trying",
            host=st.resolved[0] if st.resolved and st.resolved[1] == port else None,
            proxy=_is_proxy_port(st, port),
        )
    elif m := _CONNECTED.match(s) or _ESTABLISHED.match(s):
        port = int(m["port"])
        st.connected_host, st.connected_port = m["host"].lower(), port
        yield _ev(
            st,
            "connect",
            s,
            lineno,
            host=st.connected_host,
            address=m["addr"],
            port=port,
            ok=True,
            family=6 if ":" in m["addr"] else 4,
            proxy=_is_proxy_port(st, port),
            conn=int(m["conn"]) if "conn" in m.groupdict() and m["conn"] else None,
        )
    elif m := _CONN_FAIL.match(s):
        st.connect_detail = m["msg"]
        host = _target_host(st) if not st.proxy_port else st.proxy_host
        port = int(m["port"]) if m["port"] else None
        yield _ev(
            st,
            "connect",
            s,
            lineno,
            address=m["addr"],
            port=port,
            ok=False,
            message=m["msg"],
            errno=_errno(m["msg"]),
            host=host if host != m["addr"] else None,
            family=6 if ":" in m["addr"] else 4,
            proxy=_is_proxy_port(st, port),
        )
    elif m := _CONN_TIMEOUT.match(s):
        st.connect_detail = "connect timeout"
        tried, port = st.trying or (None, None)
        yield _ev(
            st,
            "connect",
            s,
            lineno,
            address=tried,
            port=port,
            ok=False,
            family=int(m["fam"]),
            message="connect timeout",
            errno="ETIMEDOUT",
            timeout_ms=int(m["ms"]),
            proxy=_is_proxy_port(st, port),
        )
    elif m := _TUNNEL.match(s):
        st.tunnel = (m["host"].lower(), int(m["port"]))
        yield from _cli_proxy(st, lineno, s)
    elif (m := _TUNNEL_FAIL.search(s)) and not st.proxy_reply_done:
        yield from _tunnel_reply(st, lineno, s, int(m["s1"] or m["s2"]))
    elif (m := _TUNNEL_OK.match(s)) and not st.proxy_reply_done:
        yield from _tunnel_reply(st, lineno, s, int(m["status"]))
    elif m := _PROXY_AUTH.match(s):
        st.proxy_auth = m["scheme"]
    elif m := _SSL_CONN.match(s):
        st.tls = True
        yield _ev(
            st,
            "tls",
            s,
            lineno,
            step="established",
            version=m["version"],
            cipher=m["cipher"],
            group=m["group"],
            sigalg=m["sig"],
            ca_file=st.ca_file,
            host=_target_host(st),
        )
    elif m := _ALPN.match(s):
        st.tls = True
        yield _ev(st, "tls", s, lineno, step="alpn", alpn=m["alpn"])
    elif m := _ALERT.match(s):
        if m["alert"].lower() not in {"close notify", "user canceled"}:
            alert = m["alert"].strip()
            yield _ev(
                st,
                "tls-error",
                s,
                lineno,
                code="TLS_ALERT_" + _NON_WORD.sub("_", alert.upper()),
                reason=alert,
                direction=m["dir"].lower(),
                step="alert",
                version=m["ver"],
                host=_target_host(st),
            )
    elif m := _SCHANNEL_STEP.match(s):
        st.tls = True
        step = "handshake-complete" if "complete" in m["step"] else "revocation-check"
        yield _ev(st, "tls", s, lineno, step=step, backend="schannel", host=_target_host(st))
    elif m := _CAFILE.match(s):
        st.ca_file = m["path"].strip()
    elif m := _H2_OPENED.match(s):
        st.h2["url"] = m["url"]
    elif m := _H2_PSEUDO.match(s):
        st.h2[m["name"]] = m["val"]
    elif m := _REBUILT.match(s):
        st.h2["url"] = m["url"]
    elif _CLOSE.match(s):
        st.ended = True
    elif _REUSE.match(s):
        pass  # only marks a new transfer (handled above)
    else:
        yield from _tls_errors(st, lineno, s, s)


def _split_addr(tok: str) -> tuple[str, int | None]:
    if tok.startswith("["):
        addr, _, rest = tok[1:].partition("]")
        port = rest.lstrip(":")
        return addr, int(port) if port.isdigit() else None
    if tok.count(":") == 1:
        addr, _, port = tok.partition(":")
        return addr, int(port) if port.isdigit() else None
    return tok, None


def _env_proxy(st: SimpleNamespace, lineno: int, s: str, m: re.Match[str]) -> Iterator[Evidence | None]:
    name, value = m["name"], m["value"]
    if name.lower() == "no_proxy":
        yield _ev(st, "env-var", s, lineno, name=name, value=value, origin="curl")
        return
    parts = split_url(value if "://" in value else "http://" + value)
    st.proxy_emitted = True
    st.proxy_host, st.proxy_port = parts.get("host"), parts.get("port")
    yield _ev(
        st,
        "proxy",
        s,
        lineno,
        variable=name,
        url=value,
        host=parts.get("host"),
        port=parts.get("port"),
        scheme=parts.get("scheme"),
        via="env",
    )


def _host_only(host: str) -> str:
    """`nonexistent.invalid:443` (8.23 wording) -> `nonexistent.invalid`."""
    host = host.rstrip(".").lower()
    if ":" in host and host.rsplit(":", 1)[1].isdigit():
        host = host.rsplit(":", 1)[0]
    return host


def _dns_error(st: SimpleNamespace, lineno: int, s: str, host: str, *, proxy: bool) -> Iterator[Evidence | None]:
    host = _host_only(host)
    if host in st.dns_done:
        return
    st.dns_done.add(host)
    yield _ev(st, "dns", s, lineno, host=host, error="could not resolve", proxy=proxy or None)


def _tunnel_reply(st: SimpleNamespace, lineno: int, s: str, status: int) -> Iterator[Evidence | None]:
    """`CONNECT tunnel failed, response 407` with no `<` block in the capture."""
    st.proxy_reply_done = True
    host, port = st.tunnel or (None, None)
    yield _ev(st, "proxy-reply", s, lineno, status=status, host=host, port=port)


def _cert_field(st: SimpleNamespace, cf: re.Match[str]) -> None:
    f = st.cert["fields"]
    key = cf["key"]
    if key in ("subject", "issuer"):
        f[key] = normalize_dn(cf["val"])
    elif key == "start date":
        f["start"] = cf["val"].strip()
    elif key == "expire date":
        f["expire"] = cf["val"].strip()
    elif cf["san"] is not None:
        f["san"], f["san_match"] = cf["san"], True
    elif cf["nomatch"]:
        f["san_match"] = False
        f.setdefault("verify", "hostname mismatch")
    elif cf["ok"]:
        f["verify"] = "ok"
    elif cf["vnum"]:
        f["verify_code"] = int(cf["vnum"])
        if cf["vnum"] == "0":
            f["verify"] = "ok"
    elif cf["vres"]:
        f["verify"] = cf["vres"]
    elif cf["gfail"]:
        f["verify"] = "failed"
    elif cf["cn"]:
        f.setdefault("subject", "CN=" + cf["cn"])
        f["san_match"] = cf["cnm"] == "matched"


def _flush_cert(st: SimpleNamespace) -> Iterator[Evidence | None]:
    cert, st.cert = st.cert, None
    st.tls = True
    f = cert["fields"]
    if not f:
        return
    summary = "; ".join(f"{k}={v}" for k, v in f.items() if k in ("subject", "issuer", "verify"))
    yield _ev(
        st,
        "certificate",
        f"Server certificate: {summary}",
        cert["line"],
        at=cert["at"],
        depth=0,
        host=_target_host(st),
        **f,
    )


def _tls_errors(st: SimpleNamespace, lineno: int, text: str, s: str) -> Iterator[Evidence | None]:
    """TLS failures stated in an info line, a `curl: (N)` message or a schannel line (once per code)."""
    host = _target_host(st)
    found: list[dict[str, Any]] = []
    if m := _CERT_PROBLEM.search(s):
        found.append(dict(reason=m["reason"], code=VOCAB.tls_code_for_reason(m["reason"]) or m["reason"]))
    elif m := _VERIFY_RESULT.search(s):
        found.append(
            dict(
                reason=m["reason"],
                code=VOCAB.tls_code_for_reason(m["reason"]) or m["reason"],
                x509=int(m["num"]),
                insecure=True if m["cont"] else None,
            )
        )
    elif m := _ALTNAME.search(s):
        found.append(
            dict(code="ERR_TLS_CERT_ALTNAME_INVALID", reason="hostname mismatch", host=m["host"] or m["host2"])
        )
    elif m := _SSL_CONNECT.search(s):
        msg = m["msg"]
        code = msg if msg.startswith("SSL_ERROR_") else _errno(msg)
        found.append(dict(code=code, reason=msg, host=m["host"], port=int(m["port"]), step="handshake"))
    elif m := _GNUTLS.search(s):
        found.append(dict(code="GNUTLS_HANDSHAKE_FAILED", reason=m["msg"].strip(), step="handshake"))
    elif m := _CACERT.search(s):
        found.append(dict(reason="CA file not usable", ca_file=m["msg"].split(" ")[0]))
    for m in _SCHANNEL.finditer(s):
        hexcode = (m["hex"] or m["hex2"] or "").lower()
        name = m["name"] or m["trust"] or VOCAB.schannel_codes.get(hexcode)
        found.append(
            dict(
                code=name or hexcode,
                hresult=hexcode or None,
                backend="schannel",
                reason=s.split(" - ", 1)[1].strip() if " - " in s else None,
            )
        )
    if not found and (m := _OSSL_ERR.search(s)) and m["hex"] != "00000000":
        reason = m["reason"].strip()
        found.append(dict(code=VOCAB.tls_code_for_reason(reason) or reason, reason=reason, openssl_error=m["hex"]))
    for f in found:
        key = f.get("code") or f["reason"]
        if key in st.tls_done:
            continue
        st.tls_done.add(key)
        f.setdefault("host", host)
        yield _ev(st, "tls-error", text.strip(), lineno, message=s, **f)


# ---------------------------------------------------------------- exits and transfer end


def _exit(st: SimpleNamespace, lineno: int, code: int, msg: str, text: str) -> Iterator[Evidence | None]:
    yield from _close_blocks(st)
    if st.cert is not None:
        yield from _flush_cert(st)
    if st.exit_seen:  # a second exit line: the next curl run in the same paste
        yield from _end_transfer(st)
        _reset_transfer(st)
    st.exit_seen = st.ended = True
    yield _ev(st, "curl-exit", text.strip(), lineno, code=code, message=msg, curl_error=VOCAB.curl_exit_codes.get(code))
    yield from _derived(st, lineno, code, msg, text)


def _derived(st: SimpleNamespace, lineno: int, code: int | None, msg: str, text: str) -> Iterator[Evidence | None]:
    """The connect-error (and tls-error/proxy-reply) that a final curl message implies."""
    text = text.strip()
    low = msg.lower()
    inferred = code is None
    fields: dict[str, Any] = {}
    tm = _TUNNEL_FAIL.search(msg)
    if m := _NO_RESOLVE.search(msg):
        proxy = m["what"] == "proxy" or code == 5
        code = code or (5 if proxy else 6)
        yield from _dns_error(st, lineno, text, m["host"], proxy=proxy)
        fields = dict(host=_host_only(m["host"]), errno="ENOTFOUND", proxy=True if proxy else None)
    elif tm:
        status = int(tm["s1"] or tm["s2"])
        code = code or 56
        if not st.proxy_reply_done:
            yield from _tunnel_reply(st, lineno, text, status)
        host, port = st.tunnel or (None, None)
        fields = dict(
            host=host, port=port, status=status, proxy=True, proxy_host=st.proxy_host, proxy_port=st.proxy_port
        )
    elif m := _FAILED_TO.search(msg):
        code = code or (28 if "timeout" in low or "timed out" in low else 7)
        port = int(m["port"])
        detail = st.connect_detail or msg
        fields = dict(
            host=m["host"].lower(),
            port=port,
            errno=_errno(detail) or _errno(msg),
            message=st.connect_detail,
            proxy=_is_proxy_port(st, port),
            step="connect",
        )
    elif "timed out" in low or code == 28:
        code = code or 28
        tm2 = _AFTER_MS.search(msg)
        if low.startswith("resolving"):
            step = "dns"
        elif low.startswith("connection timed out"):  # connect phase, TLS handshake included
            step = "tls" if st.tls_started and not st.tls else "connect"
        else:
            step = "transfer"
        fields = dict(
            host=_target_host(st),
            errno="ETIMEDOUT",
            timeout_ms=int(tm2[1]) if tm2 else None,
            step=step,
            proxy=True if st.proxy_port else None,
        )
    elif "empty reply" in low:
        code = code or 52
        fields = dict(host=_target_host(st), message="Empty reply from server", proxy=True if st.proxy_port else None)
    elif "reset" in low or low.startswith(("recv failure", "send failure")):
        code = code or 56
        fields = dict(
            host=_target_host(st),
            errno=_errno(msg),
            step="tls" if code == 35 else None,
            proxy=True if st.proxy_port else None,
        )
    elif code in (16, 18, 55, 56, 92, 97):
        fields = dict(host=_target_host(st), proxy=True if (code == 97 or st.proxy_port) else None)
    else:
        yield from _tls_errors(st, lineno, text, msg)
        return
    yield from _tls_errors(st, lineno, text, msg)
    yield _ev(
        st,
        "connect-error",
        text,
        lineno,
        code=f"CURL_{code}",
        curl_error=VOCAB.curl_exit_codes.get(code),
        message=fields.pop("message", None) or msg,
        inferred=True if inferred else None,
        **fields,
    )


def _end_transfer(st: SimpleNamespace) -> Iterator[Evidence | None]:
    yield from _close_blocks(st)
    if st.cert is not None:
        yield from _flush_cert(st)
    if st.pending is not None:
        yield from _flush_pending(st)
    if not st.exit_seen and st.fail:
        # libcurl logs often lack the final `curl: (N)` line: infer it from the fatal info line
        line, s = st.fail
        st.fail = None
        yield from _derived(st, line, None, s, s)
