"""SDK and runtime errors: Python tracebacks, Node/Bun error dumps, Go/Java TLS errors, bare API error JSON.

What it reads (source="sdk"):
- Python: `Traceback (most recent call last):` blocks and their final `pkg.Class: message` lines,
  chained causes (`During handling ...`, `cause[N] ...`), requests/urllib3/httpx/urllib/anthropic
  messages (formats.md 4.4). `anthropic.XError: Error code: 401 - {dict repr}` is an API error
  whose body is a Python dict repr, not JSON; machine-translated pastes garble it
  (`Anthropic AuthenticationError: Error code: 401- {type ':' error ...}`), so type and message
  fall back to regexes.
- Node: `util.inspect` dumps (`Error: connect ECONNREFUSED 127.0.0.1:443` + `{ code: 'X', syscall:
  'connect', address, port }` property lines), undici `TypeError: fetch failed` + `[cause]:`,
  axios `AxiosError` (HTTP status -> `response`), @anthropic-ai/sdk classes and its
  `ANTHROPIC_LOG=debug` lines (`[log_x] post URL failed with status 429 ...`), Bun's codes
  (`ConnectionRefused`, `FailedToOpenSocket`) and `key=value` summary lines.
- Go `x509: ...` / `dial tcp ...` and Java `PKIX path building failed` TLS errors.
- A whole file that is one Anthropic error JSON (`{"type":"rate_limit_error",...}` or
  `{"type":"error","error":{...}}`): one `api-error`, status inferred from the error type.
- Application log lines that state an HTTP status in an error context (`Handshake failed with
  status: 400`) -> `response`.

Evidence: `exception` (type, message, code) for each exception line; derived `connect-error`
(code, host, port, address, syscall, message, proxy), `tls-error` (code, reason, message),
`proxy-reply` (status, reason), `api-error` (status, error_type, message, request_id, shape, body,
client, status_inferred), `response` (status, url, host, method, request_id), `retry`, `client`.

Codes: Node/OpenSSL names (`ECONNREFUSED`, `SELF_SIGNED_CERT_IN_CHAIN` ...) are used for every
runtime so rules match one vocabulary: Python `[Errno 111]` -> ECONNREFUSED, `[Errno -2]` -> ENOTFOUND,
`certificate verify failed: <reason>` -> the code Node would print for that reason; Python 3.13
strict-X.509 rejections -> `X509_STRICT`; an SDK-level failure with no system code ->
`CONNECTION_ERROR` or `TIMEOUT` (read timeouts too; connect timeouts are `ETIMEDOUT`).

Pitfalls: one failure is printed several times (cause chains, axios `toJSON` repeating the message
and stack), so derived evidence with the same kind and code is emitted once per 200-line window
unless it names a new host. Node property lines belong to the last error header above them.
"""

from __future__ import annotations

import functools
import json
import re
from bisect import bisect_left
from collections.abc import Generator, Iterator
from itertools import islice
from typing import Any

try:  # optional accelerator (`pip install ccdiag[fast]`); the plain path gives the same answers
    import ahocorasick
except ImportError:  # pragma: no cover - depends on the environment
    ahocorasick = None

from ..model import Evidence, Location
from ..textio import Doc
from ..vocabulary import VOCAB
from .common import balanced_object, error_body_fields, lazy_re, normalize_dn, split_url

SOURCE = "sdk"

# What an SDK error or traceback prints, each with a literal it cannot match without: the
# literal (a C-level `in` test) decides whether the regex runs at all.
_SNIFF = [
    (literal, lazy_re(pattern))
    for literal, pattern in (
        ("Traceback (most recent call last)", r"Traceback \(most recent call last\)"),
        ("getaddrinfo", r"getaddrinfo"),
        ("code: ", r"\bcode: ['\"]"),
        ("[cause]:", r"\[cause\]:"),
        ("AxiosError", r"AxiosError"),
        ("fetch failed", r"fetch failed"),
        ("anthropic.", r"\banthropic\.[A-Z]"),
        ("anthropic==", r"anthropic==\d"),
        ("APIConnection", r"APIConnection\w*Error"),
        ("requests.exceptions.", r"requests\.exceptions\."),
        ("httpx.", r"\bhttpx\.[A-Z]"),
        ("urllib.error", r"urllib\.error"),
        ("<urlopen error", r"<urlopen error"),
        ("Error code:", r"Error code: ?\d{3}"),
        ("failed with status", r"failed with status"),
        ("x509: ", r"\bx509: "),
        ("PKIX path", r"PKIX path"),
        ("CERTIFICATE_VERIFY_FAILED", r"CERTIFICATE_VERIFY_FAILED"),
        ("[Errno ", r"\[Errno -?\d+\]"),
        (".", r"\b(?:builtins|socket|ssl|httpcore|urllib3)\.\w+:"),
        ("UND_ERR_", r"\bUND_ERR_"),
        ("ConnectionRefused", r"ConnectionRefused"),
        ("FailedToOpenSocket", r"FailedToOpenSocket"),
        ("Anthropic/JS", r"Anthropic/JS"),
        ("Anthropic/Python", r"Anthropic/Python"),
        ("TimeoutError", r"\b\w+TimeoutError\b"),
        ("DOMException [", r"DOMException \["),  # \b: no quadratic backtracking
        ("Tunnel connection failed", r"Tunnel connection failed"),
        ("Error: ", r"Error: connect E[A-Z]|\b[A-Z]\w*Error: .*\b(?:ECONN[A-Z]+|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)\b"),
    )
]
_JSON_HEAD = lazy_re(r'^\s*\{[\s\S]{0,2000}?"type"\s*:')

# --- cheap gates -------------------------------------------------------------------------------
# Logs can be gigabytes. A line that holds none of GATE_WORDS yields nothing (they are the
# triggers of every rule below; see Gate); each derivation has its own smaller gate before its regexes.

# Client and version banners: a line holding one names the client (`_CLIENT_GATE`).
_CLIENT_WORDS = (
    "anthropic==",
    "Anthropic/",
    "@anthropic-ai/sdk@",
    "axios/",
    "python-requests/",
    "python-httpx/",
    "Node.js v",
    "Bun v",
    "ython 3",
    "stainless",
)
GATE_WORDS = (
    "Error",
    "Exception",
    "Timeout",
    "Refused",
    "Failure",
    "Exceeded",
    "gaierror",
    "herror",
    "timeout of",
    "error:",
    "ECONN",
    "ENOTFOUND",
    "ETIMEDOUT",
    "ETIMEOUT",
    "EAI_",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "ENETDOWN",
    "EHOSTDOWN",
    "EPIPE",
    "UND_ERR",
    "ERR_",
    "EPROTO",
    "CERT",
    "SIGNATURE",
    "x509",
    "PKIX",
    "[SSL:",
    "Errno",
    "WinError",
    "Tunnel connection",
    "ConnectionRefused",
    "FailedToOpenSocket",
    "ConnectionClosed",
    "typo in the url",
    "Unable to connect",
    "hang up",
    "other side closed",
    "timed out",
    "refused",
    "reset by peer",
    "certificat",
    "dial tcp",
    "no such host",
    "getaddrinfo",
    "Name or service",
    "name resolution",
    "with status",
    "status code",
    "status:",
    "status=",
    "HTTP 4",
    "HTTP 5",
    "HTTP/1.1 4",
    "HTTP/1.1 5",
    "HTTP/2 4",
    "HTTP/2 5",
    '"type":"error"',
    '"type": "error"',
    '_error","message"',
    '_error", "message"',
    '{"error":{',
    '{"error": {',
    "[log_",
    *_CLIENT_WORDS,
    "== python",
)
_BATCH = 256
_NEWLINE = re.compile("\n")
_NEWLINE_BYTES = re.compile(b"\n")
_HS_AFTER = 16  # batches (4096 lines) a gate reads before its words get a Hyperscan database


class Gate:
    """Says which lines hold one of a set of literals, as cheaply as Python allows.

    `words` are matched as written, `folded` (lower case: wordings derived from the vocabulary)
    in the lower-cased line. With pyahocorasick (the optional `fast` extra) one Aho-Corasick
    automaton scans each batch of lines and then each line of a batch that has a hit. Without it,
    one substring scan per word runs over the joined batch (C speed) and only the words found are
    looked for per line."""

    def __init__(self, words: tuple[str, ...], folded: tuple[str, ...] = ()):
        self.words, self.folded = words, folded
        self.automaton = self.folded_automaton = None
        if ahocorasick is not None:
            self.automaton = _automaton(words)
            self.folded_automaton = _automaton(folded) if folded else None
        # Without pyahocorasick, both word lists (the rules' wordings are a hundred and more) get a
        # Hyperscan database when it is installed, once the gate has read enough to repay its
        # compile: one long file, or the many small files of a scan (gates live as long as their
        # process).
        self.db: Any = None
        self.folded_db: Any = None
        self.batches = 0

    def lines(self, lines: Iterator[str]) -> Iterator[tuple[int, str, bool]]:
        """(line number, line, hit) for every line."""
        return self.numbered(enumerate(lines, 1))

    def numbered(self, numbered: Iterator[tuple[int, str]]) -> Iterator[tuple[int, str, bool]]:
        """(line number, line, hit) for every (line number, line) pair (`Doc.numbered()`)."""
        it = iter(numbered)
        while True:
            batch = list(islice(it, _BATCH))
            if not batch:
                return
            self.batches += 1
            if self.batches >= _HS_AFTER and self.automaton is None and self.db is None:
                self.db = _literal_db(self.words)
                self.folded_db = _literal_db(self.folded) if self.folded else False
            joined = "\n".join(line for _, line in batch)
            plain = self._db_finder(self.db, joined) if self.db else self._finder(self.words, self.automaton, joined)
            if not self.folded:
                folded = None
            elif self.folded_db:
                folded = self._db_finder(self.folded_db, joined.lower())
            else:
                folded = self._finder(self.folded, self.folded_automaton, joined.lower(), True)
            if plain is None and folded is None:
                yield from ((no, line, False) for no, line in batch)
                continue
            for i, (no, line) in enumerate(batch):
                yield no, line, (plain is not None and plain(i, line)) or (folded is not None and folded(i, line))

    @staticmethod
    def _db_finder(db: Any, joined: str):
        """`_finder` with a Hyperscan database of the words."""
        hits = _db_hit_lines(db, joined)
        return (lambda i, _: i in hits) if hits else None

    @staticmethod
    def _finder(words: tuple[str, ...], automaton, joined: str, fold: bool = False):
        """A test `(index in the batch, line) -> bool` for the lines of the batch `joined` (lower-cased
        when `fold`), or None when no line of it holds a word."""
        if automaton is not None:
            if next(automaton.iter(joined), None) is None:
                return None
            return lambda _, line: next(automaton.iter(line.lower() if fold else line), None) is not None
        hits = _hit_lines(words, joined)
        return (lambda i, _: i in hits) if hits else None


def _hit_lines(words: tuple[str, ...], joined: str) -> set[int]:
    """The indexes of the lines of `joined` that hold a word: each word found in the batch is searched
    from line to line (C-level finds), not each line for each word."""
    found = [w for w in words if w in joined]
    if not found:
        return set()
    ends = [m.start() for m in _NEWLINE.finditer(joined)]
    ends.append(len(joined))
    hits: set[int] = set()
    for w in found:
        pos = joined.find(w)
        while pos >= 0:
            i = bisect_left(ends, pos)
            hits.add(i)
            pos = joined.find(w, ends[i] + 1)
    return hits


def _literal_db(words: tuple[str, ...]) -> Any:
    """A Hyperscan database of these literals, or False when Hyperscan is not installed."""
    try:
        import hyperscan
    except ImportError:
        return False
    db = hyperscan.Database()
    db.compile(expressions=[w.encode("utf-8") for w in words], ids=list(range(len(words))), literal=True)
    return db


def _db_hit_lines(db: Any, joined: str) -> set[int]:
    """The indexes of the lines of `joined` holding a literal of `db` (UTF-8: a word's bytes are found
    exactly where the word is)."""
    from ..hsscan import scan

    data = joined.encode("utf-8")
    ends: list[int] = []
    scan(db, data, lambda _id, _start, end, _flags, _ctx: ends.append(end))
    if not ends:
        return set()
    newlines = [m.start() for m in _NEWLINE_BYTES.finditer(data)]
    return {bisect_left(newlines, end - 1) for end in ends}


def _automaton(words: tuple[str, ...]):
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _literals(*words: str) -> re.Pattern:
    return lazy_re("|".join(map(re.escape, words)))


_CLIENT_GATE = _literals(*_CLIENT_WORDS)
_MAX_LINE = 16 * 1024  # error lines are short; only the head of a huge line is read


_LINE_GATE = Gate(GATE_WORDS)


def fewest(words) -> tuple[str, ...]:
    """The words a substring gate needs: one that holds another adds nothing (each costs a scan)."""
    kept: list[str] = []
    for w in sorted(set(words), key=lambda w: (len(w), w)):
        if not any(k in w for k in kept):
            kept.append(w)
    return tuple(kept)


# Big files reach this parser through a sparse view (textio.LineGate): the lines holding one of
# these literals, each with the lines after it that may continue its error (stack frames, the
# `{ code: 'X', port: 443 }` properties, a certificate dump, the fields of a debug request).
TRIGGERS: dict[str, int] = {
    **dict.fromkeys((w for w in GATE_WORDS if w != "Node.js v"), 25),
    "\nNode.js v": 0,
    "code: '": 15,
    'code: "': 15,
    "errno: ": 15,
    "syscall: ": 15,
    "cert: {": 60,
}
# Exceptions and error bodies that carry a failure, with the cause chain before and the stack after.
INTEREST: dict[str, tuple[int, int]] = dict.fromkeys(
    (
        "ECONN",
        "ENOTFOUND",
        "ETIMEDOUT",
        "EAI_AGAIN",
        "EHOSTUNREACH",
        "ENETUNREACH",
        "EPROTO",
        "UND_ERR",
        "CERT_",
        "SELF_SIGNED",
        "UNABLE_TO_",
        "x509",
        "[SSL:",
        "SSLError",
        "ProxyError",
        "APIConnectionError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "PermissionDeniedError",
        "RateLimitError",
        "InternalServerError",
        "BadRequestError",
        "NotFoundError",
        "OverloadedError",
        "status code 4",
        "status code 5",
        '"type":"error"',
        '"type": "error"',
        "'type': 'error'",
        "FailedToOpenSocket",
        "ConnectionRefused",
        "getaddrinfo",
        "reset by peer",
        "hang up",
        "other side closed",
        "dial tcp",
        "no such host",
        "timed out",
        "Tunnel connection",
    ),
    (10, 25),
)

# --- line vocabulary ---------------------------------------------------------------------------
_EXC = lazy_re(
    r"""^\s*(?:cause\[\d+\]\s+|\[cause\]:\s*|Caused\ by:\s*|E\s{2,}|Uncaught\s+|raise\s+)?
    (?P<type>(?:[a-z_][\w]*\.)+
         (?:[A-Z]\w*(?:Error|Exception|Timeout|Failure|Warning|Exceeded|Refused)|gaierror|herror|timeout|error)
       |Anthropic\ [A-Z]\w*Error
       |[A-Z]\w*(?:Error|Exception|Timeout|Failure|Exceeded|Refused)|Error|DOMException)
    (?:\s\[(?P<code>[^\]]{1,60})\])?
    :\s*(?P<msg>.*)$""",
    re.X,
)
# Summary lines of the form `AxiosError code=X message=Y status=N` / `cause[2] Error code=X message=Y`.
_KV_EXC = lazy_re(r"^\s*(?:cause\[\d+\]\s+)?(?P<type>[A-Z]\w*(?:Error|Exception)|Error)\s+(?:code|status|name)=")
_KV_MSG = lazy_re(r"\bmessage=(?P<msg>.*?)(?=\s+(?:status|requestID|cause\.code|cause\.message|code)=|$)")
_URLOPEN_EXC = lazy_re(r"^\s*(?P<type>\w*Error) <urlopen error (?P<msg>.*)>\s*$")
# Bun prints `error: <message>` and then `code: "ConnectionRefused"`, `path: "https://..."` lines.
_BUN_EXC = lazy_re(
    r"^\s*(?P<type>error): (?P<msg>(?:Unable to connect|Was there a typo|The socket connection"
    r"|.*\b(?:ConnectionRefused|FailedToOpenSocket|ConnectionClosed)\b).*)$"
)
# Lines the claude-log source owns; parsing them here too would double-count one fact.
_CLAUDE_OWNED = (
    "API Error",
    "Unable to connect to API",
    "Unable to connect to Anthropic",
    "Failed to connect to ",
    "Connection error details:",
    "API error (attempt",
    "Policy limits:",
    "Error in API request",
    "Retrying in ",
    "⎿",
)
# Node's util.inspect of a TLS error includes the certificate: `subject: [Object: null prototype] { CN: 'x' }`.
_CERT_START = lazy_re(r"^(?P<ind>\s+)cert:\s*\{\s*$")
_CERT_DN = lazy_re(r"^(?P<ind>\s+)(?P<key>subject|issuer):\s*\[Object: null prototype\]\s*\{(?P<dn>.*)\},?\s*$")
_DN_PAIR = lazy_re(r"(?P<k>\w+):\s*'(?P<v>[^']*)'")
_STACK = lazy_re(r"^\s+(?:at |File \")")
_PROP = lazy_re(
    r"""^(?P<ind>\s+)['"]?(?P<key>code|errno|syscall|address|port|hostname|host|reason|path|status)['"]?\s*:\s*"""
    r"""(?P<val>'[^']*'|"[^"]*"|[-\w.:]+)\s*,?\s*$"""
)
_CLOSE = lazy_re(r"^(?P<ind>\s*)[}\]]\s*[,)]?\s*$")
# Column-0 text that is not an object opener (`toJSON: {`) ends an error dump.
_OUTSIDE = lazy_re(r"^[^\s\"'{}\[\]](?!.*[{\[]\s*$)")

# Node system-call messages: `connect ECONNREFUSED 127.0.0.1:443`, `getaddrinfo ENOTFOUND host`.
_SYSCALL = lazy_re(
    r"\b(?P<syscall>connect|read|write|getaddrinfo|queryA|queryAaaa|lookup|open)\s+"
    r"(?P<code>E[A-Z][A-Z0-9_]+)(?:\s+(?P<arg>[\w.\-:\[\]]+))?"
)
_CODE_TOKEN = lazy_re(
    r"""(?:\bcode|\bcause\.code|"code")\s*[:=]\s*['"]?"""
    r"(?P<code>[A-Z][A-Z0-9_]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)+)\b"
)
_ERR_BRACKET = lazy_re(r"\bError \[(?P<code>ERR_[A-Z0-9_]+)\]")
_NET_CODE_WORD = lazy_re(
    r"\b(?P<code>ECONNREFUSED|ECONNRESET|ETIMEDOUT|ETIMEOUT|ENOTFOUND|EAI_AGAIN|EAI_FAIL|EHOSTUNREACH|ENETUNREACH"
    r"|ENETDOWN|EHOSTDOWN|EPIPE|ECONNABORTED|UND_ERR_[A-Z_]+|ERR_SOCKET_CLOSED|ERR_PROXY_TUNNEL"
    r"|ConnectionRefused|FailedToOpenSocket|ConnectionClosed)\b"
)
_PY_SSL = lazy_re(r"\[SSL: (?P<name>[A-Z0-9_]+)\]\s*(?P<text>.*)")
_SSL_C = lazy_re(r"\s*\(_ssl\.c:\d+\).*$")
_ERRNO = lazy_re(
    r"\[(?:Errno|WinError) (?P<num>-?\d+)\]\s*(?P<text>[^'\")\]>]*)"
    r"|(?P<cls>ConnectionRefusedError|ConnectionResetError|TimeoutError)\((?P<num2>-?\d+)"
)
_DISCONNECT = lazy_re(
    r"Server disconnected without sending a response|RemoteDisconnected"
    r"|Remote end closed connection"
)
_HOST_PORT = lazy_re(r"host='(?P<host>[^']+)',\s*port=(?P<port>\d+)")
_RESOLVE_HOST = lazy_re(
    r"Failed to resolve '(?P<host>[^']+)'|Connection to (?P<host2>[\w.\-]+) timed out"
    r"|lookup (?P<host3>[\w.\-]+)(?: on [\w.:\[\]]+)?: no such host"
    r"|UnknownHostException: (?P<host4>[\w.\-]+)"
)
_DIAL = lazy_re(r"dial tcp (?P<addr>\[?[\w.:]+?\]?):(?P<port>\d+): connect: ")
_URL = lazy_re(r"https?://[^\s'\"<>)\]},]+")
_REQ_URL = lazy_re(
    r"""(?i)(?:fetching|url[:=]|request to|connect to|for url:?|\b(?:Get|Post|Put|Delete|Patch|Head))"""
    r"""\s*['"]?(https?://[^\s'"<>)\]},]+)"""
)
_PROXY_TUNNEL = lazy_re(r"Tunnel connection failed: (?P<status>\d{3})\s*(?P<reason>[^'\")>]*)")
_PROXY_ERR = lazy_re(r"ProxyError: (?P<status>\d{3})\s+(?P<reason>[^'\")>]*)")
_PROXY_CONNECT = lazy_re(r"(?i)Unable to connect to proxy|Cannot connect to proxy")
_GO_X509 = lazy_re(r"\bx509: (?P<reason>[^\"'\n]+)")


@functools.cache
def _tls_words(code: str) -> re.Pattern:
    """The vocabulary's pattern of the words that state a TLS failure of this code (`tls_messages`)."""
    return re.compile(VOCAB.data["tls_messages"][code])


# API errors: Python `Error code: 401 - {...}`; TypeScript `RateLimitError: 429 {...}` or
# `RateLimitError status=429 message=429 {...}`.
_PY_API = lazy_re(r"Error code:\s*(?P<status>\d{3})\s*-?\s*(?P<body>.*)$")
_TS_API = lazy_re(r"\b(?P<cls>[A-Z]\w*Error)(?::\s*|\s+status=)(?P<status>\d{3})\b(?P<rest>.*)$")
_GARBLED_MSG = lazy_re(r"""['"]?message['"]?\s*['"]?\s*:\s*['"](?P<m>[^'"]+)['"]""")
_REQ_ID = lazy_re(r"\breq_[A-Za-z0-9]{10,}")
_JSON_LINE = lazy_re(r'^\s*\{\s*"(?:type"\s*:\s*"(?:error|[a-z_]+_error)"|error"\s*:\s*\{)')
# @anthropic-ai/sdk ANTHROPIC_LOG=debug.
_SDK_LOG_ID = lazy_re(r"^\[(?P<id>log_[0-9a-f]+)")
_SDK_FAILED = lazy_re(
    r"\]\s+(?P<method>get|post|put|patch|delete)\s+(?P<url>https?://\S+)\s+failed with status\s+"
    r"(?P<status>\d{3})(?:\s+in\s+\d+ms)?(?:\s+-\s+(?P<what>retrying|error)[^,]*"
    r"(?:,\s*(?P<left>\d+) attempts? remaining)?)?"
)
_SDK_CONN = lazy_re(r"\]\s+connection (?P<what>failed|timed out)\s+-\s+(?P<next>retrying|error)")
_SDK_SENDING = lazy_re(r"^\[(?P<id>log_[0-9a-f]+)[^\]]*\]\s+sending request")
_SDK_REQ_FIELD = lazy_re(r"^\s+(?P<key>method|url):\s*'(?P<val>[^']*)'")
_REQUEST_ID = lazy_re(r'request-id:\s*"?(?P<rid>req_[A-Za-z0-9]+)')
# A status stated in an error context by application code.
_FAILED_STATUS = lazy_re(
    r"(?i)\b(?:failed|error|errored|rejected|denied|refused)\b[^\n]{0,60}?\bstatus(?:[ _]code)?"
    r"\s*(?:[:=]\s*|is\s+)?(?P<status>[1-5]\d\d)\b"
)
_HTTP_STATUS = lazy_re(r"(?i)\bHTTP(?:/\d(?:\.\d)?)?\s+(?P<status>[1-5]\d\d)\b")
_ERROR_CONTEXT = lazy_re(r"(?i)error|fail|denied|refused|forbidden|unauthori[sz]ed|too many|blocked|rejected")
_CURLISH = lazy_re(r"^\s*[<>*] ")
# Client versions.
_CLIENTS = [
    (lazy_re(r"\banthropic==(?P<v>\d+\.\d+\.\d+)"), "anthropic-sdk-python"),
    (lazy_re(r"Anthropic/Python (?P<v>\d+\.\d+\.\d+)"), "anthropic-sdk-python"),
    (lazy_re(r"Anthropic/JS (?P<v>\d+\.\d+\.\d+)"), "anthropic-sdk-js"),
    (lazy_re(r"@anthropic-ai/sdk@(?P<v>\d+\.\d+\.\d+)"), "anthropic-sdk-js"),
    (lazy_re(r"\baxios/(?P<v>\d+\.\d+\.\d+)"), "axios"),
    (lazy_re(r"python-requests/(?P<v>\d+\.\d+\.\d+)"), "requests"),
    (lazy_re(r"python-httpx/(?P<v>\d+\.\d+\.\d+)"), "httpx"),
    (lazy_re(r"^\s*Node\.js v(?P<v>\d+\.\d+\.\d+)"), "node"),
    (lazy_re(r"\bBun v(?P<v>\d+\.\d+\.\d+)"), "bun"),
    (lazy_re(r"(?i)^\s*(?:==\s*)?python (?P<v>3\.\d+\.\d+)\b"), "python"),
    (lazy_re(r"""x-stainless-runtime-version['"]?\s*:\s*['"]v(?P<v>\d+\.\d+\.\d+)"""), "node"),
]

_DEDUPE_WINDOW = 200
_GENERIC_TLS_CODES = {"X509_STRICT", "X509", "CERTIFICATE_VERIFY_FAILED"}
_BLOCK_IDLE = 12


def sniff(head: str) -> bool:
    if any(literal in head and pattern.search(head) for literal, pattern in _SNIFF):
        return True
    return bool(_JSON_HEAD.match(head)) and ('"error"' in head[:4000] or '_error"' in head[:4000])


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:
    """`wordings` (the rules' wordings, which widen other sources' gates) is not used: what an SDK
    line yields is decided by its structure (exception classes, codes, statuses), which GATE_WORDS
    hold, so a line let in only by a rule's wording would yield nothing more here. The generic line
    scan and the typed evidence of its exception carry a new wording to the rules."""
    if doc.head.lstrip()[:1] == "{" and doc.size <= 8 * 1024 * 1024:
        found = list(_json_document(doc))
        if found:
            yield from found
            return
    yield from _Parser(doc.path).run(doc.numbered())


# --- whole-document JSON ---------------------------------------------------------------------


def _json_document(doc: Doc) -> Iterator[Evidence]:
    try:
        obj = json.loads(doc.text())
    except (ValueError, RecursionError):  # deeply nested JSON is not an error document
        return
    if not isinstance(obj, dict):
        return
    top = obj.get("type")
    if not (isinstance(obj.get("error"), (dict, str)) or (isinstance(top, str) and top.endswith("_error"))):
        return
    fields = api_error_fields(None, json.dumps(obj, ensure_ascii=False))
    if fields:
        yield Evidence.make(SOURCE, "api-error", doc.text().strip()[:500], Location(doc.path, 1), **fields)


def api_error_fields(status: int | None, body: str, **extra: Any) -> dict[str, Any] | None:
    """api-error fields from a status and an error body; infers the status from the error type."""
    info = error_body_fields(body) or {}
    fields: dict[str, Any] = {
        "status": status,
        "error_type": info.get("error_type"),
        "message": info.get("message"),
        "request_id": info.get("request_id"),
        "shape": info.get("shape"),
    }
    if "{" in body and info.get("shape") in (None, "plain"):
        _garbled(body, fields)
    if fields["status"] is None and fields["error_type"] in VOCAB.status_for_error_type:
        fields["status"] = VOCAB.status_for_error_type[fields["error_type"]]
        fields["status_inferred"] = True
    if "{" in body:
        fields["body"] = (balanced_object(body) or body)[:1000]
    fields.update(extra)
    if fields["status"] is None and not fields["error_type"] and not fields["message"]:
        return None
    return fields


@functools.cache
def _garbled_type() -> re.Pattern:
    """An error type in a mangled body: `*_error`, or a documented snake_case type without that suffix."""
    other = sorted(t for t in VOCAB.status_for_error_type if "_" in t and not t.endswith("_error"))
    return re.compile(r"\b(?P<t>[a-z]+(?:_[a-z]+)*_error" + "".join("|" + re.escape(t) for t in other) + r")\b")


def _garbled(body: str, fields: dict[str, Any]) -> None:
    """Regex fallback for dict reprs mangled by translation or wrapping."""
    t = [m.group("t") for m in _garbled_type().finditer(body) if m.group("t") != "error"]
    if t:
        fields["error_type"] = t[0]
        fields["shape"] = "anthropic" if t[0] in VOCAB.status_for_error_type else "other"
    m = _GARBLED_MSG.search(body)
    if m:
        fields["message"] = m.group("m").strip()
    rid = _REQ_ID.search(body)
    if rid:
        fields["request_id"] = rid.group(0)


# --- line parser -----------------------------------------------------------------------------


class _Block:
    """An error header and the Node property lines (`code: 'X'`, `port: 443`) that follow it."""

    __slots__ = ("line", "text", "items", "props", "indent", "idle", "gap")

    def __init__(self, line: int, text: str, items: list[tuple[str, dict[str, Any]]]):
        self.line, self.text, self.items = line, text, items
        self.props: dict[str, str] = {}
        self.indent: int | None = None
        self.idle = 0
        self.gap = False

    def absorb(self, items: list[tuple[str, dict[str, Any]]]) -> None:
        for kind, fields in items:
            mine = next((f for k, f in self.items if k == kind), None)
            if mine is None:
                self.items.append((kind, fields))
                continue
            for key, value in fields.items():
                if key != "message":
                    mine.setdefault(key, value)


class _Parser:
    def __init__(self, path: str):
        self.path = path
        self.block: _Block | None = None
        self.recent: dict[tuple, tuple[int, set]] = {}
        self.clients: set[tuple[str, str]] = set()
        self.sdk_req: tuple[int, str, dict[str, str]] | None = None
        self.stainless_runtime = ""
        self.cert_depth = -1
        self.cert_subject = ""

    def run(self, numbered: Iterator[tuple[int, str]]) -> Iterator[Evidence]:
        no = 0
        for no, line, hit in _LINE_GATE.numbered(numbered):
            if not hit and self.block is None and self.sdk_req is None and self.cert_depth < 0:
                continue
            yield from self.line(no, line, hit)
        yield from self.close_block(no + 1)

    # one physical line
    def line(self, no: int, line: str, hit: bool = True) -> Iterator[Evidence]:
        if self.block is not None:
            m = _CLOSE.match(line)
            if m and self.block.indent is not None and len(m.group("ind")) < self.block.indent:
                yield from self.close_block(no)
                return
            if not line.strip():
                self.block.gap = True
                return
            # Property lines may follow a blank line (a message ending in a newline); anything else
            # after a gap, or any new text at column 0, is no longer part of the error dump.
            if (self.block.gap and not _PROP.match(line)) or _OUTSIDE.match(line):
                yield from self.close_block(no)
        line = line[:_MAX_LINE]
        if self.sdk_req is not None or hit:
            yield from self.sdk_debug(no, line)
        if self.block is not None and self.prop(no, line):
            return
        if (self.cert_depth >= 0 or (self.block is not None and _CERT_START.match(line))) and (
            yield from self.cert_line(no, line)
        ):
            return
        if not hit:
            if self.block is not None and line.strip():
                yield from self.idle(no)
            return
        if _CLIENT_GATE.search(line):
            yield from self.clients_in(no, line)
        if line.startswith("[log_") or any(w in line for w in _CLAUDE_OWNED):
            return
        head = _EXC.match(line) or _URLOPEN_EXC.match(line) or _BUN_EXC.match(line)
        kv = None if head else _KV_EXC.match(line)
        if head or kv:
            yield from self.close_block(no)
            yield from self.header(no, line, head, kv)
            return
        if _STACK.match(line):
            return
        items = derive(line)
        if self.block is not None:
            # Inside an error dump (axios toJSON, inspect output) lines restate the header's error.
            self.block.absorb(items)
            yield from self.idle(no)
            return
        yield from self.emit(no, line, items)

    def cert_line(self, no: int, line: str) -> Generator[Evidence, None, bool]:
        """Subject/issuer pairs of a Node certificate dump; returns True when the line was one.

        `cert_depth` holds the indentation of the `cert: {` line (-1 outside a dump)."""
        m = _CERT_START.match(line)
        if m:
            self.cert_depth = len(m.group("ind"))
            return True
        if line.strip() and len(line) - len(line.lstrip()) <= self.cert_depth:
            self.cert_depth = -1  # back at the level of `cert:` or above: the dump is over
            return False
        m = _CERT_DN.match(line)
        if not m:
            return False
        depth = max(0, (len(m.group("ind")) - self.cert_depth - 2) // 2)  # issuerCertificate nests 2 deeper
        dn = normalize_dn(", ".join(f"{p.group('k')}={p.group('v')}" for p in _DN_PAIR.finditer(m.group("dn"))))
        if m.group("key") == "subject":
            self.cert_subject = dn
        else:
            yield Evidence.make(
                SOURCE,
                "certificate",
                line.strip(),
                Location(self.path, no),
                subject=self.cert_subject or None,
                issuer=dn,
                depth=depth,
            )
            self.cert_subject = ""
        return True

    def idle(self, no: int) -> Iterator[Evidence]:
        assert self.block is not None
        self.block.idle += 1
        if self.block.idle > _BLOCK_IDLE:
            yield from self.close_block(no)

    def header(self, no: int, line: str, head: re.Match | None, kv: re.Match | None) -> Iterator[Evidence]:
        if head:
            etype, msg, code = head.group("type"), head.group("msg").strip(), head.groupdict().get("code")
        else:
            assert kv is not None
            etype, code = kv.group("type"), None
            m = _KV_MSG.search(line)
            msg = m.group("msg").strip() if m else ""
        etype = etype.replace("Anthropic ", "anthropic.")
        yield Evidence.make(
            SOURCE, "exception", line.strip(), Location(self.path, no), type=etype, message=msg[:500] or None, code=code
        )
        items = derive(line, etype)
        self.block = _Block(no, line.strip(), items)
        self.cert_depth = -1
        if code and re.fullmatch(r"E[A-Z0-9_]+|(?:UND_)?ERR_[A-Z0-9_]+", code):
            self.block.props["code"] = code

    def prop(self, no: int, line: str) -> bool:
        """Collect a Node property line into the open block; True when consumed."""
        assert self.block is not None
        m = _PROP.match(line)
        if not m:
            return False
        indent = len(m.group("ind"))
        if self.block.indent is None:
            self.block.indent = indent
        if indent != self.block.indent:
            return True  # a nested object's field (cert.subject ...)
        self.block.props.setdefault(m.group("key"), m.group("val").strip("'\""))
        self.block.idle = 0
        return True

    def close_block(self, no: int) -> Iterator[Evidence]:
        block, self.block = self.block, None
        if block is None:
            return
        items = _merge_props(block.items, block.props)
        yield from self.emit(block.line, block.text, items)

    def emit(
        self, no: int, text: str, items: list[tuple[str, dict[str, Any]]], request: str | None = None
    ) -> Iterator[Evidence]:
        for kind, fields in items:
            if self.seen(no, kind, fields):
                continue
            yield Evidence.make(SOURCE, kind, text.strip(), Location(self.path, no), request=request, **fields)

    def seen(self, no: int, kind: str, fields: dict[str, Any]) -> bool:
        """True when the same failure was emitted within the window (cause chains repeat it)."""
        key: tuple[Any, ...] = (kind, fields.get("code"), fields.get("status"), fields.get("error_type"))
        if fields.get("code") in _GENERIC_TLS_CODES:
            key += (fields.get("reason"),)  # told apart only by their reason
        host = fields.get("host") or fields.get("address")
        last = self.recent.get(key)
        if last and no - last[0] <= _DEDUPE_WINDOW and (host is None or host in last[1]):
            return True
        hosts = last[1] if last and no - last[0] <= _DEDUPE_WINDOW else set()
        if host:
            hosts.add(host)
        self.recent[key] = (no, hosts)
        return False

    def clients_in(self, no: int, line: str) -> Iterator[Evidence]:
        m = re.search(r"""x-stainless-runtime['"]?\s*:\s*['"](?P<rt>\w+)""", line)
        if m:
            self.stainless_runtime = m.group("rt")
        for rx, name in _CLIENTS:
            m = rx.search(line)
            if not m:
                continue
            if name == "node" and "stainless" in line and self.stainless_runtime not in ("", "node"):
                continue
            key = (name, m.group("v"))
            if key in self.clients:
                continue
            self.clients.add(key)
            yield Evidence.make(
                SOURCE, "client", line.strip(), Location(self.path, no), name=name, version=m.group("v")
            )

    def sdk_debug(self, no: int, line: str) -> Iterator[Evidence]:
        """@anthropic-ai/sdk ANTHROPIC_LOG=debug lines: sending request, failed with status, retries."""
        if self.sdk_req is not None:
            start, rid, fields = self.sdk_req
            m = _SDK_REQ_FIELD.match(line)
            if m:
                fields[m.group("key")] = m.group("val")
            if (m and "url" in fields and "method" in fields) or no - start > 6:
                self.sdk_req = None
                if "url" in fields:
                    url = fields["url"]
                    yield Evidence.make(
                        SOURCE,
                        "request",
                        f"{fields.get('method', '')} {url}".strip(),
                        Location(self.path, start),
                        request=rid,
                        method=fields.get("method"),
                        url=url,
                        host=split_url(url).get("host"),
                        path=split_url(url).get("path"),
                    )
        if not line.startswith("[log_"):
            return
        m = _SDK_SENDING.match(line)
        if m:
            self.sdk_req = (no, m.group("id"), {})
            return
        lid = _SDK_LOG_ID.match(line)
        req = lid.group("id") if lid else None
        m = _SDK_FAILED.search(line)
        if m:
            url = m.group("url")
            rq = _REQUEST_ID.search(line)
            yield Evidence.make(
                SOURCE,
                "response",
                line,
                Location(self.path, no),
                request=req,
                status=int(m.group("status")),
                url=url,
                host=split_url(url).get("host"),
                method=m.group("method").upper(),
                request_id=rq.group("rid") if rq else None,
            )
            if m.group("what") == "retrying":
                left = m.group("left")
                yield Evidence.make(
                    SOURCE,
                    "retry",
                    line,
                    Location(self.path, no),
                    request=req,
                    reason=f"status {m.group('status')}",
                    remaining=int(left) if left else None,
                )
            return
        m = _SDK_CONN.search(line)
        if m:
            code = "TIMEOUT" if m.group("what") == "timed out" else "CONNECTION_ERROR"
            fields = {"code": code, "message": f"connection {m.group('what')}"}
            yield from self.emit(no, line, [("connect-error", fields)], req)
            if m.group("next") == "retrying":
                yield Evidence.make(SOURCE, "retry", line, Location(self.path, no), request=req, reason=code)


def _merge_props(items: list[tuple[str, dict[str, Any]]], props: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """Fold Node property lines into the header's derived evidence."""
    if not props:
        return items
    code = props.get("code")
    if code in (None, "undefined"):
        code = None
    extra: dict[str, Any] = {}
    for key in ("syscall", "address", "reason"):
        if props.get(key) not in (None, "undefined"):
            extra[key] = props[key]
    host = props.get("hostname") or props.get("host")
    if not host and props.get("path"):
        host = split_url(props["path"]).get("host")
    if host and host != "undefined":
        extra["host"] = host
    if props.get("port", "").isdigit():
        extra["port"] = int(props["port"])
    status = props.get("status", "")
    out: list[tuple[str, dict[str, Any]]] = []
    if status.isdigit() and 400 <= int(status) <= 599 and not any(k in ("response", "api-error") for k, _ in items):
        out.append(("response", {"status": int(status)}))
    merged = False
    for kind, fields in items:
        if kind in ("connect-error", "tls-error"):
            fields = dict(fields)
            if code and code not in ("ERR_BAD_REQUEST", "ERR_BAD_RESPONSE"):
                kind = "tls-error" if code in VOCAB.tls_codes else "connect-error"
                fields["code"] = code
            for key, value in extra.items():
                if key == "reason" and kind != "tls-error":
                    continue
                fields.setdefault(key, value)
            merged = True
        out.append((kind, fields))
    if not merged and code and code not in ("ERR_BAD_REQUEST", "ERR_BAD_RESPONSE"):
        kind = "tls-error" if code in VOCAB.tls_codes else "connect-error"
        fields = {"code": code, **{k: v for k, v in extra.items() if kind == "tls-error" or k != "reason"}}
        out.append((kind, fields))
    return out


# --- derivation: one line of text -> typed facts ---------------------------------------------


def derive(text: str, etype: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """The typed facts one error line states: connect/TLS failures, proxy replies, API errors, statuses."""
    out: list[tuple[str, dict[str, Any]]] = []
    if _CURLISH.match(text):
        return out
    api = _api_error(text, etype) if "Error" in text or text.lstrip().startswith("{") else None
    if api:
        out.append(api)
    proxy = _proxy_reply(text) if "Tunnel connection failed" in text or "ProxyError" in text else None
    if proxy:
        out.append(proxy)
    tls = _tls_error(text) if _tls_gate().search(text.lower()) else None
    if tls:
        for key, value in _where(text).items():
            tls[1].setdefault(key, value)
        out.append(tls)
    elif not proxy and (_conn_gate().search(text.lower()) or (etype and _conn_gate().search(etype.lower()))):
        conn = _connect_error(text, etype, bool(api))
        if conn:
            out.append(conn)
    if not api and not proxy and ("status" in text or "HTTP" in text):
        resp = _response(text)
        if resp:
            out.append(resp)
    return out


def _api_error(text: str, etype: str | None) -> tuple[str, dict[str, Any]] | None:
    m = _PY_API.search(text) if "Error code" in text else None
    if m:
        client = "anthropic-sdk-python" if re.search(r"(?i)\banthropic[. ]", text) else None
        fields = api_error_fields(int(m.group("status")), m.group("body"), client=client)
        return ("api-error", fields) if fields else None
    m = _TS_API.search(text) if "Error:" in text or "Error status=" in text else None
    if m and (m.group("cls") in VOCAB.api_status_classes or "{" in m.group("rest")) and m.group("cls") != "AxiosError":
        rest = m.group("rest")
        body = rest[rest.index("{") :] if "{" in rest else ""
        if not body:
            mm = _KV_MSG.search(rest)
            body = mm.group("msg") if mm else rest
        body = re.sub(r"^\s*message=\d{3}\s*", "", body)
        # The Python SDK 2.x prints the TypeScript shape too; its class is module-qualified.
        client = "anthropic-sdk-python" if re.search(r"\banthropic\.\w*Error\b", text) else "anthropic-sdk-js"
        fields = api_error_fields(int(m.group("status")), body, client=client)
        return ("api-error", fields) if fields else None
    if _JSON_LINE.match(text):
        fields = api_error_fields(None, text.strip())
        return ("api-error", fields) if fields else None
    return None


def _proxy_reply(text: str) -> tuple[str, dict[str, Any]] | None:
    m = _PROXY_TUNNEL.search(text) or _PROXY_ERR.search(text)
    if not m:
        return None
    return ("proxy-reply", {"status": int(m.group("status")), "reason": m.group("reason").strip() or None})


def _tls_error(text: str) -> tuple[str, dict[str, Any]] | None:
    m = _PY_SSL.search(text)
    if m:
        name = m.group("name")
        detail = _SSL_C.sub("", m.group("text")).strip().rstrip("'\")>").strip()
        reason = detail.split("certificate verify failed:", 1)[-1].strip() if "verify failed" in detail else detail
        if name == "CERTIFICATE_VERIFY_FAILED":
            code = (
                "X509_STRICT"
                if _tls_words("X509_STRICT").search(reason)
                else (VOCAB.tls_code_for_reason(reason) or name)
            )
        else:
            code = VOCAB.tls_code_for_reason(detail) or name
        return "tls-error", {"code": code, "reason": reason or None, "message": detail or None}
    m = _GO_X509.search(text)
    if m:
        reason = m.group("reason").strip()
        found = VOCAB.first("go_x509_reasons", reason)
        code = found[1]["code"] if found else (VOCAB.tls_code_for_reason(reason) or "X509")
        return "tls-error", {"code": code, "reason": reason}
    m = _tls_words("UNABLE_TO_GET_ISSUER_CERT_LOCALLY").search(text)
    if m:
        return "tls-error", {"code": "UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "reason": m.group(0)}
    code = _explicit_code(text)
    if code in VOCAB.tls_codes and code != "EPROTO":
        return "tls-error", {"code": code, "reason": _reason_text(text)}
    m = _tls_words("EPROTO").search(text)
    if m:
        reason = m.group("reason").rstrip(":./ ")
        return "tls-error", {"code": "EPROTO", "reason": reason}
    if _tls_words("ERR_TLS_CERT_ALTNAME_INVALID").search(text):
        return "tls-error", {"code": "ERR_TLS_CERT_ALTNAME_INVALID", "reason": _reason_text(text)}
    if code is None and re.search(r"(?i)certificate|self.signed", text):
        tls_code = VOCAB.tls_code_for_reason(text)
        if tls_code:
            return "tls-error", {"code": tls_code, "reason": _reason_text(text)}
    return None


@functools.cache
def _tls_gate() -> re.Pattern:
    """A text that may name a TLS failure: one holding a literal of the patterns `_tls_error` reads,
    a TLS code or a TLS reason of the vocabulary. Lower case: searched in the lower-cased text."""
    from ..literals import guard_literals

    words = {code.lower() for code in VOCAB.tls_codes} | {text for text, _ in VOCAB._tls_reasons}
    stated = ("UNABLE_TO_GET_ISSUER_CERT_LOCALLY", "EPROTO", "ERR_TLS_CERT_ALTNAME_INVALID")  # X509_STRICT: under [SSL:
    for pattern in (_PY_SSL.pattern, _GO_X509.pattern, *(VOCAB.data["tls_messages"][code] for code in stated)):
        literals = guard_literals(pattern)
        assert literals is not None, pattern  # a gated pattern holds a literal, or the gate would miss it
        words |= literals
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _reason_text(text: str) -> str | None:
    for phrase in (
        "self-signed certificate in certificate chain",
        "self signed certificate in certificate chain",
        "unable to get local issuer certificate",
        "unable to verify the first certificate",
        "certificate has expired",
        "self-signed certificate",
        "self signed certificate",
    ):
        if phrase in text.lower():
            return phrase
    m = re.search(r"Hostname/IP does not match certificate's altnames: (.*)", text)
    return m.group(1).strip()[:300] if m else None


@functools.cache
def _tls_code_word() -> re.Pattern:
    """A TLS code of the vocabulary printed as a word (EPROTO is read with its reason: `tls_messages`)."""
    return re.compile(r"\b(?P<code>" + "|".join(sorted(c for c in VOCAB.tls_codes if c != "EPROTO")) + r")\b")


def _explicit_code(text: str) -> str | None:
    """A code the line prints as such: `code: 'X'`, `code=X`, `Error [X]:`, or a known code word."""
    for rx in (_CODE_TOKEN, _ERR_BRACKET):
        for t in rx.finditer(text):
            if t.group("code") not in ("ERR_BAD_REQUEST", "ERR_BAD_RESPONSE"):
                return t.group("code")
    m = _tls_code_word().search(text)
    if m:
        return m.group("code")
    m = _NET_CODE_WORD.search(text)
    return m.group("code") if m else None


@functools.cache
def _conn_gate() -> re.Pattern:
    """A text that may name a connection failure: one holding a literal of the patterns that
    `_connect_error` finds a code with, or of the vocabulary's wordings. Lower case: searched in the
    lower-cased text (an IGNORECASE search is some five times slower)."""
    from ..literals import guard_literals

    words = set(VOCAB.wordings("text_codes", "bun_text_codes"))
    for rx in (_SYSCALL, _CODE_TOKEN, _ERR_BRACKET, _NET_CODE_WORD, _ERRNO, _DISCONNECT):
        literals = guard_literals(rx.pattern)
        assert literals is not None, rx.pattern  # a gated pattern holds a literal, or the gate would miss it
        words |= literals
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def _connect_error(text: str, etype: str | None, has_api: bool) -> tuple[str, dict[str, Any]] | None:
    if has_api:
        return None
    fields: dict[str, Any] = {}
    m = _SYSCALL.search(text)
    if m:
        fields["code"], fields["syscall"] = m.group("code"), m.group("syscall")
        arg = m.group("arg")
        if arg:
            if m.group("syscall") in ("getaddrinfo", "queryA", "queryAaaa", "lookup"):
                fields["host"] = arg
            else:
                addr, _, port = arg.rpartition(":")
                if port.isdigit() and addr:
                    fields["address"], fields["port"] = addr.strip("[]"), int(port)
    if "code" not in fields:
        code = _explicit_code(text)
        if code and code not in VOCAB.tls_codes:
            fields["code"] = code
    if "code" not in fields:
        found = VOCAB.first("bun_text_codes", text)
        if found:
            fields["code"] = found[1]["code"]
    if "code" not in fields:
        em = _ERRNO.search(text)
        num = (em.group("num") or em.group("num2")) if em else None
        if num in VOCAB.errno_codes:
            fields["code"] = VOCAB.errno_codes[num]
    if "code" not in fields:
        found = VOCAB.first("text_codes", text) or (VOCAB.first("text_codes", etype) if etype else None)
        if found:
            fields["code"] = found[1]["code"]
    if "code" not in fields and not _DISCONNECT.search(text):
        return None
    for key, value in _where(text).items():
        fields.setdefault(key, value)
    if _PROXY_CONNECT.search(text):
        fields["proxy"] = True
    fields["message"] = _short_message(text)
    return "connect-error", fields


def _where(text: str) -> dict[str, Any]:
    """host, port, address a failure message names (urllib3 `host='x', port=443`, Go `dial tcp`, URLs)."""
    fields: dict[str, Any] = {}
    m = _HOST_PORT.search(text)
    if m:
        fields["host"], fields["port"] = m.group("host"), int(m.group("port"))
    m = _RESOLVE_HOST.search(text)
    if m:
        fields.setdefault("host", next(h for h in m.groups() if h))
    m = _DIAL.search(text)
    if m:
        fields["address"] = m.group("addr").strip("[]")
        fields.setdefault("port", int(m.group("port")))
    if "host" not in fields:
        u = _REQ_URL.search(text)
        parts = split_url(u.group(1)) if u else {}
        if parts:
            fields["host"] = parts["host"]
            fields.setdefault("port", parts["port"])
    return fields


def _short_message(text: str) -> str:
    text = text.strip()
    m = _EXC.match(text) or _KV_MSG.search(text)
    if m:
        text = m.group("msg")
    return text[:300]


def _response(text: str) -> tuple[str, dict[str, Any]] | None:
    m = _FAILED_STATUS.search(text)
    if not m:
        m = _HTTP_STATUS.search(text)
        if not m or not _ERROR_CONTEXT.search(text):
            m = re.search(r"(?i)\bstatus\s*[:=]\s*(?P<status>[1-5]\d\d)\b", text)
            if not m or not _ERROR_CONTEXT.search(text):
                return None
    status = int(m.group("status"))
    if status < 300:
        return None
    fields: dict[str, Any] = {"status": status}
    u = _URL.search(text)
    if u:
        fields["url"] = u.group(0)
        fields["host"] = split_url(u.group(0)).get("host")
    return "response", fields
