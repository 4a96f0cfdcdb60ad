"""Claude Code terminal output, `--debug` logs, `/status` and `claude doctor` screens (source="claude-log").

What it reads:
- the start-up connectivity screen: `Unable to connect to Anthropic services`, `Failed to connect
  to <host>: <CODE | message | Status NNN>`, the country note (with `Note:` up to 2.1.325), the
  proxy note (`A proxy is configured via HTTPS_PROXY`) and the SSL hint -> ONE `startup-check`
  at the `Failed to connect` line (host, code, status, message, country_note,
  country_note_prefixed, proxy_note, ssl_hint), plus the `connect-error`/`tls-error` its code means.
- `API Error` lines in every form (`API Error: 403 {...}`, `API Error (529 {...}) · Retrying in 4
  seconds… (attempt 4/10)`, `API Error: Unable to connect to API (ECONNRESET)`, `Failed to
  authenticate. API Error: ...`, `Please run /login · API Error: ...`), nested cause lines
  (`⎿  Error (self signed certificate in certificate chain) (SELF_SIGNED_CERT_IN_CHAIN)`),
  retry lines and the connection messages (`Connection dropped (CODE)` ...).
- debug-log records `2026-11-21T19:54:11.806Z [ERROR] message` (1.0.x: `[DEBUG] message`, no
  timestamp), continuation lines without a timestamp belong to the record above.
- `/status`, `claude doctor` and welcome-box fields, auth-conflict notices, versions.

Evidence scheme:
- API failures are `api-error` (status, error_type, message, request_id, shape, body, client=
  "claude-code"); Claude Code's own auth/billing/model messages (`Invalid API key · Fix external
  API key`, `OAuth token revoked`, `Credit balance is too low`, `There's an issue with the selected
  model (m)` ...) are `api-error` too, with `message_code` naming the message (the
  `claude_code_messages` of analyzer/vocabulary.yaml),
  `shape="claude-code"`, and the status Claude Code implies where the facts document one.
  A body with an error type but no status (streamed errors) gets the documented status with
  `status_inferred=True`; an error type is never guessed from a status. A 407 also yields a
  `proxy-reply` (status 407): it is the proxy's answer replayed as the API's.
- transport failures are `connect-error` (code, host, port, message); an SDK-level failure with no
  system code gets code `CONNECTION_ERROR` (`Connection error.`, `Unable to connect to API due to
  poor internet connection`) or `TIMEOUT` (`Request timed out`); `... Check your internet connection
  and proxy settings` is ETIMEDOUT. TLS failures are `tls-error` (code, reason); Claude Code's
  worded SSL messages map to the code family they stand for with `code_inferred=True`.
- auth conflicts are `status` with key "auth_conflict": token_source + key_source (`Both ... set`), or
  overriding + overrides (subscription|console_key|profile) for `X overriding ...` / `Using X instead of ...`.
- `/status` and doctor fields are `status` (key lower_snake, value); `api_base_url` (welcome box)
  is reported as `anthropic_base_url` and `currently_running` as `running`. A `/status` proxy URL
  and the start-up screen's proxy note also give `proxy` evidence (url/host/port/scheme or variable).
- debug records become `log` (level as printed, tag, message, at) only when they are errors,
  warnings or hold one of the vocabulary's `claude_log_record_words` or a wording the rules need
  (`parse(doc, wordings)`); the same message is logged at most three times. Known records also
  give typed evidence: `API error (attempt N/M)` -> retry + api-error or connect-error,
  `Connection error details: code=X` -> connect/tls-error, `CA certs:` -> log
  tag "ca-certs" with extra_certs_path/loaded/store/failed, `[API REQUEST]` -> request,
  `Policy limits: fetch failed (http) — <reason>` -> tls-error/connect-error with via="policy-limits",
  other ERROR/WARN records are read like SDK output (sdk.derive). Records after
  `[API REQUEST] ... x-client-request-id=<id>` carry `request=<id>`. Derived evidence says where it
  came from in `via` (startup-check, policy-limits, remote-settings, api-error).
- `client`: claude-code version (`claude-cli/2.1.197`, `Claude Code v2.0.42`, `2.1.197 (Claude
  Code)`, doctor `Currently running: npm-global (1.0.128)`, `cc_version=`), runtime node (npm
  `cli.js`) or bun (native binary), install type when shown.

Pitfalls: pastes carry box-drawing prefixes, quotes and markdown; Ink wraps long lines, splitting
JSON bodies over indented lines (joined with one space until the braces balance); machine
translation changes words, so matching keys on stable fragments. Debug logs are big and mostly
noise: lines without any trigger literal are skipped unread (sdk.Gate).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Generator, Iterator
from typing import Any

from ..brackets import closing_index
from ..model import Evidence, Location
from ..textio import Doc
from ..vocabulary import VOCAB
from .common import balanced_object, lazy_re, split_url
from .sdk import Gate, api_error_fields, derive, fewest

SOURCE = "claude-log"

_SNIFF = lazy_re(
    r"Unable to connect to (?:Anthropic services|API)|API Error|claude-cli/|Welcome to Claude Code|⎿|Auth conflict"
    r"|Invalid API key ·|run /login|claude doctor|Retrying in \d|Connection error details:|API error \(attempt"
    r"|cc_version=|\(Claude Code\)|@anthropic-ai/claude-code|(?m:^\W{0,4}Request timed out\b)"
    r"|Failed to connect to [\w.-]+: |Claude Code v\d"
    r"|(?m:^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z \[(?:DEBUG|ERROR|WARN|INFO|VERBOSE)\])"
    r"|(?m:^\[(?:DEBUG|ERROR|WARN)\] )"
    r"|(?m:^\s*[L└⎿•]\s+(?:Auth Token|API Key|Anthropic Base URL|API Provider|Additional CA cert)s?:)"
    r"|(?m:^Claude Code doctor\s*$)|Currently running: "  # `claude doctor` 2.1.330 / 1.0.x (facts 4.3)
    r"|(?m:^- Platform: \S+\s*\n- Terminal: )"  # the Environment Info of a /bug report (case 077)
)

# A debug-log record: ISO timestamp (absent in 1.0.x), level, message.
_RECORD = lazy_re(
    r"^(?:(?P<ts>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z?)\s+)?"
    r"\[(?P<level>DEBUG|ERROR|WARN|WARNING|INFO|VERBOSE|Anthropic SDK (?:ERROR|WARN|INFO|DEBUG))\]\s?(?P<msg>.*)$"
)
# Literals that must appear for each family of terminal messages to apply (cheap `in` tests
# before the regexes; logs can be gigabytes).
_STARTUP_WORDS = (
    "Anthropic services",
    "Failed to connect to",
    "Connectivity check error",
    "timed out after",
    "might not be available",
    "proxy is configured",
    "SSL certificate error",
)


@functools.cache
def _conn_words() -> tuple[str, ...]:
    """Literals of Claude Code's connection messages (vocabulary), lower case."""
    return VOCAB.wordings("claude_code_connection_messages")


@functools.cache
def _message_words() -> tuple[str, ...]:
    """Literals of Claude Code's auth, billing and model messages (vocabulary), lower case."""
    return VOCAB.wordings("claude_code_messages")


_CONFLICT_WORDS = ("Auth conflict", "overriding", "Both ", "instead of your Anthropic")
_STATUS_WORDS = (
    "Auth Token:",
    "unning:",
    "API Key:",
    "ase URL:",
    "API Provider:",
    "API provider:",
    "CA cert",
    "mTLS client",
    "Region:",
    "region:",
    "GCP Project:",
    "auth skipped",
    "Proxy:",
    "Path:",
    "Invoked:",
    "install method:",
    "Package manager:",
    "Auto-update",
    "API timeout:",
    "Prompt caching:",
    "Organization:",
    "Platform:",
    "Terminal:",
    "Version:",
    "Commit:",
    "Search:",
    "Update permissions:",
    "Model:",
    "Gateway:",
    "sign-in:",
    "Login method:",
    "Auth method:",
)
_VERSION_WORDS = ("laude", "cc_version", "@anthropic-ai", "bunfs", "~BUN", "unning:")
# With the vocabulary's message wordings (lower case, matched case-insensitively: `_terminal`).
TERMINAL_WORDS = (
    _STARTUP_WORDS + _CONFLICT_WORDS + _STATUS_WORDS + _VERSION_WORDS + ("API Error", "Error (", "Retrying in")
)
# Records Claude Code writes about requests and connections (record_typed): read at any level.
# Structure, not meaning: the words that make any other record matter are the vocabulary's
# `claude_log_record_words` and the rules' wordings (`parse(doc, wordings)`).
_RECORD_TYPED = (
    "[ERROR]",
    "[WARN",
    "[Anthropic SDK",
    "API error",
    "Error in API request",
    "Connection error",
    "Policy limits",
    "Remote settings",
    "[API REQUEST]",
    "CA cert",
    "mTLS",
    "NODE_EXTRA_CA_CERTS",
)
GATE_WORDS = tuple(dict.fromkeys(TERMINAL_WORDS + _RECORD_TYPED))


@functools.cache
def _record_words() -> tuple[str, ...]:
    """Network, TLS, proxy and auth words that make a DEBUG/INFO record matter (vocabulary), lower case."""
    return tuple(w.lower() for w in VOCAB.data["claude_log_record_words"])


def _spellings(word: str) -> tuple[str, ...]:
    """The ways a lower-case vocabulary word is written in logs, for the case-sensitive sparse-view
    triggers: as is, UPPER, Capitalised, and with its first word upper (`API key`, `SSL error`)."""
    head, sep, tail = word.partition(" ")
    return tuple(dict.fromkeys((word, word.upper(), word.capitalize(), head.upper() + sep + tail)))


class _Terminal:
    """A line in terminal vocabulary: TERMINAL_WORDS as written, or a wording of Claude Code's
    messages in any case. The wordings are searched in the lower-cased line: a case-insensitive
    alternation makes the standard library try every branch at every position."""

    def __init__(self, words: tuple[str, ...], folded: tuple[str, ...]):
        self._words = re.compile("|".join(map(re.escape, words)))
        self._folded = re.compile("|".join(map(re.escape, sorted({w.lower() for w in folded}))))

    def search(self, text: str) -> re.Match[str] | None:
        return self._words.search(text) or self._folded.search(text.lower())


@functools.cache
def _terminal() -> _Terminal:
    return _Terminal(TERMINAL_WORDS, _conn_words() + _message_words())


@functools.cache
def _record_spellings() -> tuple[str, ...]:
    """The record words as logs write them. Matched as written: a case-insensitive `tls` would let
    every `getLSPDiagnostics` record in."""
    return tuple(sp for word in _record_words() for sp in _spellings(word))


@functools.lru_cache(maxsize=8)
def _line_gate(wordings: frozenset[str]) -> Gate:
    """The lines worth parsing: structure (GATE_WORDS), the record words, or a wording of Claude Code's
    messages or of the rules (lower case, matched case-insensitively as rules match). Built once per
    distinct rule set."""
    folded = fewest(_conn_words() + _message_words() + tuple(wordings))
    return Gate(tuple(dict.fromkeys(GATE_WORDS + _record_spellings())), folded=folded)


@functools.lru_cache(maxsize=8)
def _wanted(wordings: frozenset[str]) -> re.Pattern:
    """A DEBUG/INFO record kept as `log` evidence: it holds a record word of the vocabulary or a rule's
    wording (searched in the lower-cased text)."""
    words = fewest(_record_words() + tuple(wordings))
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


# Big files reach this parser through a sparse view (textio.LineGate): the lines holding one of
# these literals, each with the lines after it that may continue it (a record's continuation
# lines, a wrapped JSON body, the rest of a start-up screen). Narrower than GATE_WORDS where the
# gate is cheap but loose: versions need their exact markers (not every "claude-sonnet"), and a
# DEBUG/INFO record counts for its network words only when it is a record.
_VERSION_MARKS = ("claude-cli/", "claude-code", "Claude Code", "cc_version=", "claude/versions/", "bunfs", "~BUN")
TRIGGERS: dict[str | tuple[str, ...], int] = {
    **dict.fromkeys((w for w in TERMINAL_WORDS if w not in _VERSION_WORDS), 20),
    **dict.fromkeys(_VERSION_MARKS + ("unning:",), 20),
    **dict.fromkeys(_RECORD_TYPED, 20),
    **{(spelling, level): 20 for spelling in _record_spellings() for level in ("[DEBUG]", "[INFO]", "[VERBOSE]")},
    "API Error": 25,
    "Unable to connect to Anthropic": 15,
}
# Records and screens that carry a failure (a retry loop's error record comes after its request):
# their structure here, the codes and wordings that mark one in the vocabulary
# (`claude_log_failure_words`). The rules' wordings reach a big file's parser through
# RuleSet.wordings (fastpath.Focus).
INTEREST: dict[str, tuple[int, int]] = dict.fromkeys(
    (
        "[ERROR]",
        "API Error",
        "API error",
        "Unable to connect to Anthropic",
        "Error in API request",
        "Connection error",
        "Retrying in",
        "status 4",
        "status 5",
        "status code 4",
        "status code 5",
        "Failed to connect",
        *VOCAB.data["claude_log_failure_words"],
    ),
    (5, 20),
)


def _has(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


_DECOR = lazy_re(r"^[\s\"'`>*⎿│├└╰╭╮╯─━┃┌┐┘┼▐▛▜▌▝▘✻✶✳✢·•●○◯⚠❯›»$#\u00a0]+")
_DECOR_END = lazy_re(r"[\s\"'*│╮╯\u00a0]+$")

# --- start-up screen ---------------------------------------------------------------------------
_STARTUP_HEAD = lazy_re(r"^Unable to connect to Anthropic services[.!]?$")
# Lines of the screen itself, which a wrapped error message never continues into.
_SCREEN_PART = lazy_re(
    r"Unable to connect to Anthropic|Failed to connect to|Please check your internet|Check your internet"
    r"|might not be available|proxy is configured|SSL certificate error|API Error|^\s*https?://|^\s*-{3}"
)
_FAILED = lazy_re(r"Failed to connect to (?P<host>[\w.\-]+):\s*(?P<rest>.*)$")
_CONN_TIMEOUT = lazy_re(r"Connection to (?P<host>[\w.\-]+) timed out after (?P<secs>\d+(?:\.\d+)?) seconds")
_CHECK_ERROR = lazy_re(r"Connectivity check error:\s*(?P<rest>.+)$")
_COUNTRY = lazy_re(r"(?P<note>Note:\s*)?Claude Code might not be available in your country")
_PROXY_NOTE = lazy_re(r"A proxy is configured via (?P<var>[A-Za-z_]+)")
_SSL_HINT = lazy_re(r"SSL certificate error \((?P<code>[A-Za-z_0-9]+)\)")
_STATUS_WORD = lazy_re(r"^(?:Status|Request failed with status code)\s+(?P<status>\d{3})\b")
_CODE_ONLY = lazy_re(r"^(?P<code>[A-Z][A-Z0-9_]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)+)\.?$")
_STARTUP_WINDOW = 12

# --- API errors --------------------------------------------------------------------------------
_API = lazy_re(r"API Error(?P<sep>:\s*|\s*\()")
_RETRY = lazy_re(
    r"Retrying in (?P<delay>\d+(?:\.\d+)?)\s*(?:s|secs?|seconds?)\b[^(\n]*\(?\s*"
    r"attempt\s+(?P<a>\d+)\s*/\s*(?P<m>\d+)"
)
_TIMEOUT_MS = lazy_re(r"API_TIMEOUT_MS=(?P<ms>\d+)")
_STATUS_LEAD = lazy_re(r"^(?P<status>\d{3})(?:\s+|$)(?P<rest>.*)$", re.S)
_NESTED = lazy_re(r"^Error \((?P<msg>.*)\)\s*\((?P<code>[A-Za-z][A-Za-z0-9_]+)\)\s*$")
_CODE_IN_PARENS = lazy_re(r"\((?P<code>[A-Z][A-Z0-9_]{2,}|[A-Z][a-z]+(?:[A-Z][a-z]+)+)\)")

# Auth conflicts (1.0.x/2.0.x and 2.1.330 wordings).
_CONFLICT_BOTH = lazy_re(r"Both a token \((?P<token>[^)]+)\) and an API key \((?P<key>[^)]+)\) are set")
_CONFLICT_BOTH_NEW = lazy_re(r"\bBoth (?P<token>\S+(?: \S+)?) and (?P<key>\S+(?: \S+)?) set · auth may not work")
_CONFLICT_USING = lazy_re(
    r"Auth conflict: Using (?P<src>\S+) instead of "
    r"(?:(?P<sub>Claude account subscription token)|Anthropic Console key)"
)
_CONFLICT_OVERRIDE = lazy_re(r"(?P<src>\S+) overriding (?:(?P<sub>Claude subscription login)|saved Console key)")
_CONFLICT_PROFILE = lazy_re(r"Using (?P<src>\S+) instead of your Anthropic profile")

# /status, doctor and welcome-box fields. Strong labels are recognised anywhere; weak ones need a
# tree prefix (`L`, `└`, `⎿`, `•`) or a strong label shortly before.
_TREE = lazy_re(r"^[\s│]*[L└⎿•·├]\s")
_STATUS_LINE = lazy_re(r"^(?:[L└⎿•·├]\s+)?(?P<label>[A-Za-z][A-Za-z0-9 ()\-]{1,40}?)\s*:\s+(?P<value>\S.*?)\s*│?\s*$")
_STRONG = {
    "auth token",
    "api key",
    "anthropic base url",
    "api base url",
    "bedrock base url",
    "vertex base url",
    "api provider",
    "additional ca cert(s)",
    "mtls client cert",
    "mtls client key",
    "currently running",
    "anthropic sign-in",
    "login method",
    "auth method",
}
_WEAK = {
    "proxy",
    "aws region",
    "gcp project",
    "default region",
    "running",
    "path",
    "invoked",
    "config install method",
    "package manager",
    "auto-updates",
    "auto-updates enabled",
    "auto-update channel",
    "api timeout",
    "prompt caching",
    "organization",
    "platform",
    "commit",
    "search",
    "update permissions",
    "api key helper",
    "model",
    "foundry base url",
    "gateway",
}
_STATUS_ALIASES = {"api_base_url": "anthropic_base_url", "currently_running": "running"}
_SKIPPED = lazy_re(r"^\s*(?:[L└⎿•]\s+)?(?P<what>AWS|GCP) auth skipped\s*$")
# A /bug report's "Environment Info" list: `- Platform: darwin`, `- Terminal: vscode`, `- Version: 2.1.144`.
_BUG_FIELD = lazy_re(r"^[-*] (?P<label>Platform|Terminal|Version): (?P<value>\S+)\s*$")

# Versions and runtime.
_VERSIONS = [  # (literal that must be present, pattern)
    ("claude-cli/", lazy_re(r"claude-cli/(?P<v>\d+\.\d+\.\d+)")),
    ("claude-code/", lazy_re(r"claude-code/(?P<v>\d+\.\d+\.\d+)")),
    ("claude-code@", lazy_re(r"@anthropic-ai/claude-code@(?P<v>\d+\.\d+\.\d+)")),
    ("Claude Code v", lazy_re(r"Claude Code v(?P<v>\d+\.\d+\.\d+)")),
    ("(Claude Code)", lazy_re(r"(?:^|\s)(?P<v>\d+\.\d+\.\d+) \(Claude Code\)")),
    ("cc_version=", lazy_re(r"cc_version=(?P<v>\d+\.\d+\.\d+)")),
    ("claude/versions/", lazy_re(r"claude/versions/(?P<v>\d+\.\d+\.\d+)")),
    ("unning:", lazy_re(r"(?:Currently running|Running):\s*(?P<install>[\w-]+)\s+\((?P<v>\d+\.\d+\.\d+)\)")),
]
_SEMVER = lazy_re(r"^\d+\.\d+\.\d+$")
_RT_BUN = lazy_re(r"@anthropic-ai/claude-code-(?:darwin|linux|win32)-[\w-]+|\$bunfs|~BUN[/\\]")

# --- debug-log records -------------------------------------------------------------------------
_TAG = lazy_re(r"^\[(?P<tag>[^\]]{1,40})\]\s*")
_NOISE = lazy_re(
    r"configureGlobal\w+ (?:starting|complete)|^Cleared (?:CA certificates|mTLS configuration|proxy agent)"
    r" cache$|OAuth token check (?:starting|complete)|Creating client, ANTHROPIC_CUSTOM_HEADERS"
    r"|auth precedence active"
)
_ATTEMPT = lazy_re(r"^API error \(attempt (?P<a>\d+)/(?P<m>\d+)\):\s*(?P<status>\d{3}|undefined)\s*(?P<rest>.*)$", re.S)
_IN_REQUEST = lazy_re(r"^Error in API request:\s*(?P<rest>.*)$", re.S)
_CONN_DETAILS = lazy_re(
    r"Connection error details: code=(?P<code>[^,\s]+)(?P<ssl> \(SSL error\))?,\s*message=(?P<msg>.*)$"
)
_API_NAMED = lazy_re(r"^API (?P<name>[a-z_]+)(?P<after> after retries)?:\s*(?P<msg>.*)$")
_API_REQUEST = lazy_re(r"^\[API REQUEST\]\s+(?P<path>\S+)(?:.*?x-client-request-id=(?P<rid>[\w-]+))?")
_CA_EXTRA = lazy_re(
    r"extraCertsPath=(?P<path>\S+)|NODE_EXTRA_CA_CERTS(?: file)? \((?P<path2>[^)]+)\)"
    r"|NODE_EXTRA_CA_CERTS in config/settings:\s*(?P<path3>\S+)"
)
_CA_LOADED = lazy_re(r"Loaded (?P<n>\d+) (?P<store>bundled|system)\b")
_CA_STORES = lazy_re(r"stores=(?P<stores>[\w,]+)")
_POLICY_FAIL = lazy_re(
    r"^(?P<what>Policy limits|Remote settings): fetch failed \((?P<via>\w+)\)\s*[—-]\s*(?P<reason>.+)$"
)
_SIDE_RETRY = lazy_re(
    r"^(?P<what>Policy limits|Remote settings): Retry (?P<a>\d+)/(?P<m>\d+) after (?P<ms>\d+(?:\.\d+)?)ms"
)
_FETCHING = lazy_re(r'fetching "(?P<url>https?://[^"]+)"')
_MAX_CONT_LINES = 200
_MAX_CONT_CHARS = 64 * 1024
_MAX_JOIN = 20


def sniff(head: str) -> bool:
    return bool(_SNIFF.search(head))


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:
    """`wordings`: the lower-case literals the rules' typed matchers need (RuleSet.wordings); a
    record or line holding one is read and kept like one holding the vocabulary's words."""
    yield from _Parser(doc.path, wordings).run(doc.numbered())


def clean(line: str) -> str:
    """A pasted line without box-drawing prefixes, prompts, quotes and markdown around it."""
    line = _DECOR_END.sub("", _DECOR.sub("", line))
    if line.endswith("`") and line.count("`") % 2:  # a closing backtick whose opener was stripped
        line = _DECOR_END.sub("", line[:-1])
    return line


class _Reader:
    """Numbered lines `(no, line, ...)` with one-line lookahead and push-back (to join wrapped bodies).

    `peek` sees only the line right after the last one read: a sparse view of a big file
    (textio.LineView) skips lines, and a record or a wrapped body never continues over a gap."""

    def __init__(self, lines: Iterator[tuple]):
        self._it = lines
        self._back: list[tuple] = []
        self._last: int | None = None

    def __iter__(self) -> _Reader:
        return self

    def __next__(self) -> tuple:
        item = self._back.pop() if self._back else next(self._it)
        self._last = item[0]
        return item

    def peek(self) -> tuple | None:
        if not self._back:
            try:
                self._back.append(next(self._it))
            except StopIteration:
                return None
        nxt = self._back[-1]
        if self._last is not None and nxt[0] != self._last + 1:
            return None
        return nxt

    def push(self, items: list[tuple]) -> None:
        if items:
            self._last = items[0][0] - 1
        self._back.extend(reversed(items))


class _Startup:
    """The start-up screen being read; emitted when the next screen starts or the window ends."""

    def __init__(self, line: int):
        self.head_line = line
        self.line: int | None = None
        self.text = "Unable to connect to Anthropic services"
        self.fields: dict[str, Any] = {"country_note": False}
        self.last = line


class _Parser:
    def __init__(self, path: str, wordings: frozenset[str] = frozenset()):
        self.path = path
        self.wordings = wordings
        self.startup: _Startup | None = None
        self.request: str | None = None
        self.clients: set[tuple] = set()
        self.logged: dict[tuple, int] = {}
        self.status_seen = -100
        self.bug_seen = -100

    def run(self, numbered: Iterator[tuple[int, str]]) -> Iterator[Evidence]:
        src = _Reader(_line_gate(self.wordings).numbered(numbered))
        for no, raw, hit in src:
            if not hit:
                if self.startup is not None and no - self.startup.last > _STARTUP_WINDOW:
                    yield from self.flush_startup()
                continue
            m = _RECORD.match(raw)
            if m:
                yield from self.record(no, m, self.continuation(src))
            elif _terminal().search(raw):
                yield from self.line(no, raw, src)
        yield from self.flush_startup()

    def ev(
        self, kind: str, text: str, no: int, at: str | None = None, *, joined: bool = True, **fields: Any
    ) -> Evidence:
        """Evidence at line `no`; `joined` ties it to the API request in flight (debug logs)."""
        return Evidence.make(
            SOURCE,
            kind,
            text.strip(),
            Location(self.path, no),
            at=at,
            request=self.request if joined else None,
            **fields,
        )

    # --- debug-log records ---------------------------------------------------------------------

    def continuation(self, src: _Reader) -> list[tuple]:
        out: list[tuple[int, str]] = []
        size = 0
        while len(out) < _MAX_CONT_LINES and size < _MAX_CONT_CHARS:
            nxt = src.peek()
            if nxt is None or _RECORD.match(nxt[1]) or "API Error" in nxt[1]:
                break
            out.append(next(src)[:2])
            size += len(nxt[1])
        # Trailing blank lines separate records from whatever follows; give them back.
        while out and not out[-1][1].strip():
            no, line = out.pop()
            src.push([(no, line, False)])
        return out

    def record(self, no: int, m: re.Match, cont: list[tuple[int, str]]) -> Iterator[Evidence]:
        at, level, msg = m.group("ts"), m.group("level"), m.group("msg")
        if level.startswith("Anthropic SDK"):
            level, tag0 = level.split()[-1], "sdk"
        else:
            tag0 = None
        level = "WARN" if level == "WARNING" else level
        body = msg if not cont else msg + "\n" + "\n".join(line for _, line in cont)
        tm = _TAG.match(msg)
        tag = tag0 or (tm.group("tag") if tm else None)
        text = msg[tm.end() :] if tm else msg
        typed = list(self.record_typed(no, at, level, msg, text, body, cont))
        tag = tag or _derived_tag(text)
        if level in ("ERROR", "WARN") or (
            _wanted(self.wordings).search(text[:4000].lower()) and not _NOISE.search(text)
        ):
            key = (level, tag, re.sub(r"\d+", "#", text[:200]))
            count = self.logged.get(key, 0)
            if count < 3:
                self.logged[key] = count + 1
                named = _API_NAMED.match(text)
                extra = (
                    {"error_name": named.group("name"), "after_retries": bool(named.group("after"))} if named else {}
                )
                yield self.ev(
                    "log",
                    body[:1000],
                    no,
                    at,
                    joined=tag == "api",
                    level=level,
                    tag=tag,
                    message=body[:1000],
                    **extra,
                    **_ca_fields(text),
                )
        yield from typed

    def record_typed(
        self, no: int, at: str | None, level: str, msg: str, text: str, body: str, cont: list[tuple[int, str]]
    ) -> Iterator[Evidence]:
        """Typed evidence from the records Claude Code writes about requests and connections."""
        m = _API_REQUEST.match(msg)
        if m:
            self.request = m.group("rid") or None
            yield self.ev("request", text, no, at, path=m.group("path"), client_request_id=m.group("rid"))
            return
        m = _ATTEMPT.match(body)
        if m:
            attempt, most = int(m.group("a")), int(m.group("m"))
            rest = m.group("rest").strip()
            if m.group("status") == "undefined":
                yield self.ev(
                    "retry",
                    text,
                    no,
                    at,
                    attempt=attempt,
                    max=most,
                    reason=rest.splitlines()[0][:200] if rest else None,
                )
                yield from self.api_message(no, text, rest, at=at)
            else:
                status = int(m.group("status"))
                rest = re.sub(rf"^{status}\s+", "", rest)  # the SDK message repeats the status
                yield self.ev("retry", text, no, at, attempt=attempt, max=most, reason=f"status {status}")
                yield from self.api_status(no, text, status, rest, at=at)
            return
        m = _IN_REQUEST.match(body)
        if m:
            yield from self.api_message(no, text, m.group("rest").strip(), at=at)
            return
        m = _CONN_DETAILS.search(text)
        if m:
            code, detail = m.group("code"), m.group("msg").strip()
            fields: dict[str, Any] = {"code": code, "message": detail[:300]}
            u = _FETCHING.search(detail)
            if u:
                parts = split_url(u.group("url"))
                fields["host"], fields["port"] = parts.get("host"), parts.get("port")
            if m.group("ssl") or code in VOCAB.tls_codes:
                yield self.ev(
                    "tls-error",
                    text,
                    no,
                    at,
                    code=code,
                    reason=detail[:300],
                    host=fields.get("host"),
                    port=fields.get("port"),
                )
            else:
                yield self.ev("connect-error", text, no, at, **fields)
            return
        m = _POLICY_FAIL.match(text)
        if m:
            reason = m.group("reason").strip()
            code = VOCAB.tls_code_for_reason(reason)
            via = "policy-limits" if m.group("what") == "Policy limits" else "remote-settings"
            if code:
                yield self.ev("tls-error", text, no, at, joined=False, code=code, reason=reason, via=via)
            else:
                yield self.ev("connect-error", text, no, at, joined=False, message=reason, via=via)
            return
        m = _SIDE_RETRY.match(text)
        if m:  # side fetches (settings, policy limits) are not the API request in flight
            yield self.ev(
                "retry",
                text,
                no,
                at,
                joined=False,
                attempt=int(m.group("a")),
                max=int(m.group("m")),
                delay=round(float(m.group("ms")) / 1000, 3),
                reason=m.group("what").lower().replace(" ", "-"),
            )
            return
        # Anything else a record says in terminal vocabulary (older logs print the same texts).
        if _API_NAMED.match(text) or text.startswith("API error x-client-request-id"):
            return  # summaries of the attempts above
        found = []
        if _terminal().search(text):
            found = list(self.line(no, text, _Reader(iter(cont)), at=at))
            yield from found
        # Runtime errors logged as records (`[ERROR] Error: connect ECONNREFUSED ...`) read like SDK output.
        if not found and level in ("ERROR", "WARN"):
            for kind, fields in derive(text):
                yield self.ev(kind, text, no, at, **fields)
        if _has(text, _VERSION_WORDS):
            yield from self.versions(no, text)

    # --- terminal lines ------------------------------------------------------------------------

    def line(self, no: int, raw: str, src: _Reader, at: str | None = None) -> Iterator[Evidence]:
        if self.startup is not None and no - self.startup.last > _STARTUP_WINDOW:
            yield from self.flush_startup()
        text = clean(raw)
        if not text:
            return
        if raw.startswith(("- ", "* ")) and ": " in raw:
            yield from self.bug_field(no, raw)
        if text == "Claude Code doctor":  # 2.1.330's doctor: plain `Label: value` lines follow (facts 4.3)
            self.status_seen = no
            return
        if _has(raw, _VERSION_WORDS):
            yield from self.versions(no, raw)
        if (self.startup is not None or _has(text, _STARTUP_WORDS)) and (yield from self.startup_line(no, text, src)):
            return
        api = _API.search(text) if "API Error" in text else None
        if api:
            yield from self.api_error(no, text, api, src, at)
            return
        m = _NESTED.match(text)
        if m:
            yield from self.code_evidence(no, text, m.group("code"), m.group("msg"), at)
            return
        m = _RETRY.search(text) if "Retrying in" in text else None
        if m:
            yield self.retry(no, text, m, None, at)
        low = text.lower()
        conn = _connection(text) if _has(low, _conn_words()) else None
        if conn:
            kind, fields = conn
            yield self.ev(kind, text, no, at, **fields)
            return
        meaning = _message_code(text) if _has(low, _message_words()) else None
        if meaning:
            yield self.ev("api-error", text, no, at, client="claude-code", shape="claude-code", **meaning)
            return
        if _has(text, _CONFLICT_WORDS):
            yield from self.conflict(no, text)
        if _has(raw, _STATUS_WORDS):
            yield from self.status_field(no, raw)

    def bug_field(self, no: int, raw: str) -> Iterator[Evidence]:
        """A line of a /bug report's Environment Info; its `Version` is Claude Code's once a
        `Platform` or `Terminal` line of the same list came just before."""
        m = _BUG_FIELD.match(raw.strip())
        if not m:
            return
        label, value = m.group("label"), m.group("value")
        if label != "Version":
            self.bug_seen = no
        elif no - self.bug_seen > 3 or not _SEMVER.match(value):
            return
        else:
            yield self.ev("client", raw, no, name="claude-code", version=value)
        yield self.ev("status", f"{label} is {value}", no, key=label.lower(), value=value)

    def startup_line(self, no: int, text: str, src: _Reader) -> Generator[Evidence, None, bool]:
        """The start-up screen's lines; returns True when the line belonged to it."""
        if _STARTUP_HEAD.search(text):
            yield from self.flush_startup()
            self.startup = _Startup(no)
            return True
        m = _FAILED.search(text) or _CHECK_ERROR.search(text) or _CONN_TIMEOUT.search(text)
        if m:
            st = self.startup
            if st is None or st.line is not None:
                yield from self.flush_startup()
                st = self.startup = _Startup(no)
                st.text = ""
            st.line, st.last = no, no
            st.text = text
            groups = m.groupdict()
            st.fields["host"] = groups.get("host")
            if groups.get("secs"):
                st.fields.update(code="TIMEOUT", timeout_s=float(groups["secs"]), message=text)
            else:
                rest = groups["rest"].strip()
                nxt = src.peek()
                # A message (not a code) may wrap onto the next line.
                if (
                    nxt
                    and not _CODE_ONLY.match(rest)
                    and len(rest) > 40
                    and nxt[1].strip()
                    and not _SCREEN_PART.search(nxt[1])
                ):
                    rest = rest + " " + clean(next(src)[1])
                _startup_value(rest, st.fields)
            return True
        if self.startup is None:
            m = _SSL_HINT.search(text)
            if m:
                yield from self.code_evidence(no, text, m.group("code"), None, None)
                return True
            return False
        st = self.startup
        hit = False
        m = _COUNTRY.search(text)
        if m:
            st.fields["country_note"] = True
            st.fields["country_note_prefixed"] = bool(m.group("note"))
            hit = True
        m = _PROXY_NOTE.search(text)
        if m:
            st.fields["proxy_note"] = m.group("var")
            hit = True
        m = _SSL_HINT.search(text)
        if m:
            st.fields["ssl_hint"] = m.group("code")
            hit = True
        if hit:
            st.last = no
        return hit

    def flush_startup(self) -> Iterator[Evidence]:
        st, self.startup = self.startup, None
        if st is None:
            return
        no = st.line or st.head_line
        fields = {k: v for k, v in st.fields.items() if v is not None}
        yield Evidence.make(SOURCE, "startup-check", st.text, Location(self.path, no), **fields)
        code = fields.get("code")
        if code and code not in ("ERR_BAD_REQUEST", "ERR_BAD_RESPONSE"):
            kind = "tls-error" if code in VOCAB.tls_codes else "connect-error"
            extra = {"reason": fields.get("message")} if kind == "tls-error" else {"message": fields.get("message")}
            yield Evidence.make(
                SOURCE,
                kind,
                st.text,
                Location(self.path, no),
                code=code,
                host=fields.get("host"),
                via="startup-check",
                **extra,
            )
        if fields.get("proxy_note"):
            yield Evidence.make(
                SOURCE, "proxy", st.text, Location(self.path, no), variable=fields["proxy_note"], via="startup-check"
            )

    def api_error(self, no: int, text: str, api: re.Match, src: _Reader, at: str | None) -> Iterator[Evidence]:
        rest = text[api.end() :]
        meaning = _message_code(text[: api.start()] + " " + _after_dot(rest))
        if api.group("sep").strip() == "(":
            close = closing_index(rest, 0, opens="(", closes=")", quotes='"', limit=20000, depth=1)
            inner, after = (rest[:close], rest[close + 1 :]) if close is not None else (rest, "")
            if after.lstrip().startswith(":"):  # `API Error (<model>): <message>` (Bedrock)
                yield from self.api_message(no, text, after.lstrip()[1:].strip(), at, meaning, model=inner)
            else:
                yield from self.api_message(no, text, inner, at, meaning)
            m = _RETRY.search(after)
            if m:
                yield self.retry(no, text, m, inner, at)
            return
        message = rest
        if "{" in message and len(message) < 20000 and balanced_object(message) is None:
            message = self.join_wrapped(message, src)
        elif len(text) >= 60 and "{" not in message:
            message = self.join_plain(message, src)
        m = _RETRY.search(message)
        if m:
            yield self.retry(no, text, m, message[: m.start()].rstrip(" ·"), at)
        yield from self.api_message(no, text, message, at, meaning)

    def join_wrapped(self, message: str, src: _Reader) -> str:
        """Join terminal-wrapped continuation lines until the JSON body's braces balance."""
        taken: list[tuple[int, str]] = []
        joined = message
        for _ in range(_MAX_JOIN):
            nxt = src.peek()
            if nxt is None or _RECORD.match(nxt[1]):
                break
            taken.append(next(src))
            joined = joined.rstrip() + " " + clean(nxt[1])
            if balanced_object(joined) is not None:
                return joined
        src.push(taken)
        return message

    def join_plain(self, message: str, src: _Reader) -> str:
        """A long plain message may continue on one indented line (Ink wraps at the terminal width)."""
        nxt = src.peek()
        if nxt and re.match(r"^\s{3,}\S", nxt[1]) and not _SCREEN_PART.search(nxt[1]) and not _RECORD.match(nxt[1]):
            next(src)
            return message.rstrip() + " " + clean(nxt[1])
        return message

    def api_message(
        self, no: int, text: str, message: str, at: str | None, meaning: dict[str, Any] | None = None, **extra: Any
    ) -> Iterator[Evidence]:
        """Evidence for what follows `API Error:` (or an SDK error message in a debug record)."""
        message = message.strip()
        meaning = dict(meaning or {})
        m = _STATUS_LEAD.match(message)
        if m:
            yield from self.api_status(no, text, int(m.group("status")), m.group("rest"), at, meaning, **extra)
            return
        first = _before_dot(message)
        m = re.match(r"Request rejected \((?P<s>\d{3})\)", first)
        if m:
            msg = _after_dot(message) or None
            yield self.api_ev(no, text, at, meaning, status=int(m.group("s")), message=msg, **extra)
            return
        m = re.match(r"Repeated (?P<s>\d{3}) Overloaded errors", message)
        if m:
            yield self.api_ev(
                no,
                text,
                at,
                meaning,
                status=int(m.group("s")),
                error_type="overloaded_error",
                message=message[:300],
                repeated=True,
                **extra,
            )
            return
        m = re.match(r"Request blocked before it reached Anthropic's API \(HTTP (?P<s>\d{3})\)", message)
        if m:
            meaning = {**(_message_code(m.group(0), "claude_code_api_error_messages") or {}), **meaning}
            yield self.api_ev(
                no,
                text,
                at,
                meaning,
                status=int(m.group("s")),
                error_type="forbidden",
                shape="edge",
                message=message[:300],
                **extra,
            )
            return
        if re.match(r"Rate limit reached", message):
            yield self.api_ev(no, text, at, meaning, status=429, message=first, **extra)
            return
        m = re.match(r"Unable to connect to API:\s*(?P<ssl>.*)$", message)
        if m:
            yield from self.ssl_message(no, text, m.group("ssl"), at)
            return
        conn = _connection(first)
        if conn:
            kind, fields = conn
            yield self.ev(kind, text, no, at, **fields)
            return
        if re.match(r"(?:Request was |Operation )aborted", message):
            return  # the user pressed Esc; nothing about the network
        if message.startswith("{"):
            fields = api_error_fields(None, message) or {}
            yield self.api_ev(no, text, at, meaning, **{**fields, **extra})
            return
        if message:
            own = _message_code(message)
            meaning = {**meaning, **(own or {})}
            yield self.api_ev(no, text, at, meaning, message=first[:300], shape="plain", **extra)

    def api_status(
        self,
        no: int,
        text: str,
        status: int,
        body: str,
        at: str | None,
        meaning: dict[str, Any] | None = None,
        **extra: Any,
    ) -> Iterator[Evidence]:
        body = body.strip()
        if "{" in body or "<" in body:
            fields = api_error_fields(status, body) or {"status": status}
        else:
            fields = {"status": status, "message": _before_dot(body)[:300] or None, "shape": "plain" if body else None}
        own = _message_code(body)
        yield self.api_ev(no, text, at, {**(meaning or {}), **(own or {})}, **{**fields, **extra})
        yield from self.proxy_407(no, text, at, status, body)

    def api_ev(self, no: int, text: str, at: str | None, meaning: dict[str, Any] | None, **fields: Any) -> Evidence:
        meaning = dict(meaning or {})
        if fields.get("status") is None and meaning.get("status") is not None:
            fields["status"] = meaning["status"]
        meaning.pop("status", None)
        status = fields.get("status")
        if status is None and fields.get("error_type") in VOCAB.status_for_error_type:
            fields["status"] = VOCAB.status_for_error_type[fields["error_type"]]
            fields["status_inferred"] = True
        fields.setdefault("client", "claude-code")
        return self.ev("api-error", text, no, at, **{**meaning, **fields})

    def proxy_407(self, no: int, text: str, at: str | None, status: int, body: str) -> Iterator[Evidence]:
        if status == 407:
            title = re.search(r"(?is)<title>\s*(?:407\s*)?(.*?)\s*</title>", body)
            reason = title.group(1) if title else (_before_dot(body).splitlines()[0] if body else None)
            yield self.ev("proxy-reply", text, no, at, status=407, reason=reason or None, via="api-error")

    def ssl_message(self, no: int, text: str, ssl: str, at: str | None) -> Iterator[Evidence]:
        explicit = _CODE_IN_PARENS.search(ssl)
        found = VOCAB.first("claude_code_ssl_messages", ssl)
        if found:
            code = found[1]["code"]
            if explicit:
                yield self.ev("tls-error", text, no, at, code=explicit.group("code"), reason=ssl[:300])
            elif code:
                yield self.ev("tls-error", text, no, at, code=code, reason=ssl[:300], code_inferred=True)
            else:
                yield self.ev("tls-error", text, no, at, reason=ssl[:300])
            return
        yield self.ev(
            "connect-error", text, no, at, message=ssl[:300], code=explicit.group("code") if explicit else None
        )

    def code_evidence(self, no: int, text: str, code: str, msg: str | None, at: str | None) -> Iterator[Evidence]:
        if code in VOCAB.tls_codes:
            yield self.ev("tls-error", text, no, at, code=code, reason=msg)
        else:
            yield self.ev("connect-error", text, no, at, code=code, message=msg)

    def retry(self, no: int, text: str, m: re.Match, reason: str | None, at: str | None) -> Evidence:
        ms = _TIMEOUT_MS.search(text)
        delay = float(m.group("delay"))
        return self.ev(
            "retry",
            text,
            no,
            at,
            attempt=int(m.group("a")),
            max=int(m.group("m")),
            delay=int(delay) if delay.is_integer() else delay,
            reason=(reason or None) and reason[:200],
            api_timeout_ms=int(ms.group("ms")) if ms else None,
        )

    def conflict(self, no: int, text: str) -> Iterator[Evidence]:
        m = _CONFLICT_BOTH.search(text) or _CONFLICT_BOTH_NEW.search(text)
        if m:
            token, key = m.group("token"), m.group("key")
            yield self.ev(
                "status", text, no, key="auth_conflict", value=f"{token} and {key}", token_source=token, key_source=key
            )
            return
        for rx in (_CONFLICT_USING, _CONFLICT_OVERRIDE, _CONFLICT_PROFILE):
            m = rx.search(text)
            if m:
                gd = m.groupdict()
                overrides = (
                    "profile" if rx is _CONFLICT_PROFILE else ("subscription" if gd.get("sub") else "console_key")
                )
                yield self.ev(
                    "status",
                    text,
                    no,
                    key="auth_conflict",
                    value=f"{m.group('src')} overrides {overrides}",
                    overriding=m.group("src"),
                    overrides=overrides,
                )
                return

    def status_field(self, no: int, raw: str) -> Iterator[Evidence]:
        m = _SKIPPED.match(raw)
        if m:
            self.status_seen = no
            yield self.ev("status", raw, no, key=f"{m.group('what').lower()}_auth_skipped", value="true")
            return
        m = _STATUS_LINE.match(clean(raw))
        if not m:
            return
        label = m.group("label").strip().lower()
        strong = label in _STRONG
        tree = bool(_TREE.match(raw))
        if not strong and not (label in _WEAK and (tree or no - self.status_seen <= 30)):
            return
        if strong:
            self.status_seen = no
        key = re.sub(r"[^a-z0-9]+", "_", label.replace("(s)", "s")).strip("_")
        key = _STATUS_ALIASES.get(key, key)
        value = m.group("value").strip()
        # Status text of the form `Auth Token: X` reads like a secret to the redactor; say it plainly.
        yield self.ev("status", f"{m.group('label').strip()} is {value}", no, key=key, value=value)
        if key == "proxy":
            parts = split_url(value.split(" (", 1)[0])
            if parts:
                yield self.ev(
                    "proxy",
                    f"Proxy: {value}",
                    no,
                    url=value.split(" (", 1)[0],
                    host=parts["host"],
                    port=parts["port"],
                    scheme=parts["scheme"],
                    via="status",
                )

    def versions(self, no: int, text: str) -> Iterator[Evidence]:
        version = install = runtime = None
        for literal, rx in _VERSIONS:
            m = rx.search(text) if literal in text else None
            if m:
                version = m.group("v")
                install = m.groupdict().get("install")
                break
        if "claude-code/cli.js" in text:
            runtime = "node"
        elif ("claude-code-" in text or "BUN" in text or "bunfs" in text) and _RT_BUN.search(text):
            runtime = "bun"
        elif install == "native":
            runtime = "bun"
        if not version and not runtime:
            return
        key = (version, runtime, install)
        if key in self.clients:
            return
        self.clients.add(key)
        yield self.ev("client", text, no, name="claude-code", version=version, runtime=runtime, install=install)


# --- helpers -----------------------------------------------------------------------------------


def _startup_value(rest: str, fields: dict[str, Any]) -> None:
    """Fill code/status/message from what follows `Failed to connect to <host>:`."""
    m = _STATUS_WORD.match(rest)
    if m:
        fields["status"] = int(m.group("status"))
        fields["message"] = rest
        return
    m = _CODE_ONLY.match(rest)
    if m:
        fields["code"] = m.group("code")
        return
    fields["message"] = rest[:300]
    code = VOCAB.tls_code_for_reason(rest)
    if code:
        fields["code"], fields["code_inferred"] = code, True


def _connection(text: str) -> tuple[str, dict[str, Any]] | None:
    found = VOCAB.first("claude_code_connection_messages", text)
    if not found:
        return None
    m, code = found[0], found[1]["code"]
    if code is None:
        inner = _CODE_IN_PARENS.search(text, m.start())
        if not inner:
            return "connect-error", {"message": text[m.start() :][:300]}
        code = inner.group("code")
    kind = "tls-error" if code in VOCAB.tls_codes else "connect-error"
    msg_key = "reason" if kind == "tls-error" else "message"
    return kind, {"code": code, msg_key: text[m.start() :][:300]}


def _message_code(text: str, table: str = "claude_code_messages") -> dict[str, Any] | None:
    """message_code (and status, model, provider) of the first Claude Code message `text` holds."""
    found = VOCAB.first(table, text)
    if not found:
        return None
    m, entry = found
    out: dict[str, Any] = {"message_code": entry["message_code"], "status": entry.get("status")}
    gd = m.groupdict()
    if gd.get("model"):
        out["model"] = gd["model"]
    if gd.get("provider"):
        out["provider"] = gd["provider"]
    if entry.get("keep_message"):
        out["message"] = text.strip()[:300]
    return out


def _before_dot(message: str) -> str:
    return message.split(" · ", 1)[0].strip()


def _after_dot(message: str) -> str:
    parts = message.split(" · ", 1)
    return parts[1].strip() if len(parts) > 1 else ""


def _derived_tag(text: str) -> str | None:
    if text.startswith("CA certs:") or "NODE_EXTRA_CA_CERTS" in text:
        return "ca-certs"
    if text.startswith("mTLS:"):
        return "mtls"
    if text.startswith("Policy limits:"):
        return "policy-limits"
    if text.startswith("Remote settings:"):
        return "remote-settings"
    if (
        text.startswith("API ")
        or text.startswith("Error in API request")
        or text.startswith("Connection error details")
    ):
        return "api"
    return None


def _ca_fields(text: str) -> dict[str, Any]:
    """Fields of a `CA certs:` record: the extra-CA path, loaded counts, failures."""
    if not (text.startswith("CA certs:") or "NODE_EXTRA_CA_CERTS" in text):
        return {}
    out: dict[str, Any] = {}
    m = _CA_EXTRA.search(text)
    if m:
        path = next(p for p in m.groups() if p)
        if path not in ("undefined", "null"):
            out["extra_certs_path"] = path.rstrip(",")
    m = _CA_LOADED.search(text)
    if m:
        out["loaded"], out["store"] = int(m.group("n")), m.group("store")
    m = _CA_STORES.search(text)
    if m:
        out["stores"] = m.group("stores").strip(",")
    if re.search(r"(?i)failed|ignored all|unrecognized|could not|error", text):
        out["failed"] = True
    return out
