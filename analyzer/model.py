"""The records that flow through the pipeline: Location, Evidence, Hit, Finding, Diagnosis.

Everything here is plain data. Evidence is built only through `Evidence.make`, which
redacts its text and string fields, so no raw secret travels past a parser.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from . import redact


class Severity(enum.IntEnum):
    """How bad a finding is for the user, independent of how sure we are.

    info: an observation worth knowing (a proxy is configured, TLS is inspected but trusted).
    low: a risk or a likely minor cause.
    medium: a cause that breaks some requests or features.
    high: a cause that stops the client from working.
    critical: a cause that stops it and also puts data or credentials at risk.
    """

    info = 0
    low = 1
    medium = 2
    high = 3
    critical = 4

    @classmethod
    def parse(cls, name: str) -> Severity:
        return cls[name.strip().lower()]


class ExitStatus(enum.IntEnum):
    """Process exit codes of the `ccdiag` command.

    ok: nothing at or above the --fail-on threshold.
    findings: at least one diagnosis at or above the threshold.
    usage: the command line was wrong.
    bad_input: no input could be read at all.
    bad_rules: the rule set failed to load or lint.
    interrupted: Ctrl-C.
    """

    ok = 0
    findings = 1
    usage = 2
    bad_input = 3
    bad_rules = 4
    interrupted = 130


@dataclass(frozen=True, slots=True)
class Location:
    """Where a piece of evidence came from.

    `path` is the display path (`bundle.zip!logs/debug.txt` inside archives);
    `line` is 1-based for text, `entry` the 0-based index of a HAR entry or JSON item.
    """

    path: str
    line: int | None = None
    entry: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}"
        if self.entry is not None:
            return f"{self.path}#entry{self.entry}"
        return self.path


@dataclass(frozen=True, slots=True, eq=False)
class Evidence:
    """One typed, located, redacted fact found in an input.

    source: the format that produced it (curl, har, claude-log, env, settings, config, sdk, openssl, text).
    kind: what it is (see KINDS).
    text: the redacted line or summary shown to the user.
    fields: typed details, all values redacted (status, host, code, issuer, name, value ...).
    at: ISO timestamp when the input has one; request: a key joining records of one exchange.
    """

    source: str
    kind: str
    text: str
    where: Location
    fields: Mapping[str, Any] = field(default_factory=dict)
    at: str | None = None
    request: str | None = None

    @classmethod
    def make(
        cls,
        source: str,
        kind: str,
        text: str,
        where: Location,
        *,
        at: str | None = None,
        request: str | None = None,
        **fields: Any,
    ) -> Evidence:
        """Build evidence with redaction applied; None-valued fields are dropped."""
        clean: dict[str, Any] = {}
        name = fields.get("name")
        for key, value in fields.items():
            if value is None:
                continue
            if key == "value" and isinstance(name, str) and isinstance(value, str):
                value = redact.redact_value(name, value)
            else:
                value = _redact_field(key, value)
            clean[key] = value
        # Redact before cutting, so a cut never splits a secret out of its pattern's reach.
        return cls(source, kind, redact.redact_text(text[:4000])[:2000], where, clean, at, request)

    def get(self, key: str, default: Any = None) -> Any:
        if key == "text":
            return self.text
        return self.fields.get(key, default)


# The evidence kinds parsers emit, with the fields each usually carries. Rules match on
# these names; a parser may add fields, never rename them.
KINDS: dict[str, str] = {
    "line": "a raw input line (generic scanner): text",
    "request": "an HTTP request: method, url, host, path, user_agent",
    "response": "an HTTP response: status, reason, url, host, server, request_id, cf_ray, via, content_type, body",
    "header": "one HTTP header: name (lower case), value, direction (in|out), status",
    "api-error": "an API error: status, error_type, message, request_id, shape (anthropic|edge|openai|html|plain|other|"
    "claude-code), body, message_code (Claude Code's own message, named in analyzer/vocabulary.yaml)",
    "connect-error": "a transport failure: code, host, port, address, message, syscall",
    "dns": "a name lookup: host, addresses, family, error",
    "connect": "a TCP connection attempt or success: host, address, port, family, ok",
    "tls": "a TLS session or handshake step: version, cipher, alpn, step",
    "tls-error": "a TLS/certificate failure: code, reason, message",
    "certificate": "a certificate seen: subject, issuer, depth, start, expire, san, verify",
    "proxy": "a proxy in use: url, host, port, scheme, variable, via (env|cli|config)",
    "proxy-reply": "a proxy's answer to CONNECT: status, reason, server, authenticate, squid_error",
    "curl-exit": "curl's final error: code (int), message",
    "env-var": "an environment variable: name, value, truncated, origin "
    "(env|export|windows|powershell|docker|dockerfile|k8s|dotenv|settings|yaml|inline)",
    "setting": "a Claude Code setting: key, value, scope (user|project|local|managed)",
    "config": "a tool's proxy/TLS config: tool (npm|git|winhttp|scutil|registry), key, value",
    "client": "a client and its version: name (claude-code|curl|node|python|anthropic-sdk-js|...), version",
    "log": "a debug-log record: level, tag, message",
    "retry": "a retry attempt: attempt, max, delay, reason",
    "timing": "request timing phases in ms: blocked, dns, connect, ssl, send, wait, receive",
    "exception": "an exception or traceback head: type, message",
    "startup-check": "Claude Code's start-up connectivity screen: host, code, status, country_note, proxy_note",
    "status": "a /status or doctor field: key, value",
    "fact": "a fact derived from several records (source 'derived'): name (base_url, base_url_extra_path, "
    "base_url_non_anthropic, base_url_in_no_proxy, connect_error_to_base_url, connect_error_to_proxy, "
    "proxy_configured, failure_seen, "
    "no_proxy_bad_syntax, no_proxy_unset) and its fields",
}


def _redact_field(key: str, value: Any) -> Any:
    """Strings redacted (by their key's name when it names a secret), containers recursively."""
    if isinstance(value, str):
        if key not in ("name", "key", "text") and redact.is_secret_name(key):
            return redact.redact_value(key, value)
        return redact.redact_text(value)
    if isinstance(value, (list, tuple)):
        return type(value)(_redact_field(key, v) for v in value)
    if isinstance(value, dict):
        return {k: _redact_field(str(k), v) for k, v in value.items()}
    return value


@dataclass(frozen=True, slots=True)
class Hit:
    """A matcher of a rule that fired on one piece of evidence; `groups` are its named regex groups."""

    rule: str
    matcher: str
    evidence: Evidence
    groups: Mapping[str, str] = field(default_factory=dict)


class WhyKind(str, enum.Enum):
    """What one step of a finding's explanation is (the value names it in the JSON report).

    base: the rule's own confidence, the start of the sum; names the fired matchers.
    applies_to: the client version seen lies in the rule's `applies_to` range; moves nothing.
    boost: a `boost` matcher fired and raised the confidence by its weight.
    corroboration: supporting evidence came from two or more input formats (the rule's bonus).
    contrary: an `unless` matcher fired and lowered the confidence by its weight.
    cap: a `missing` hint's deciding matcher did not fire; the confidence came down to its cap.
    supersedes: this rule replaced more generic rules that fired on the same evidence.
    also_matched: another rule of the same cause fired, ranked below and merged into this one.
    """

    base = "base"
    applies_to = "applies_to"
    boost = "boost"
    corroboration = "corroboration"
    contrary = "contrary"
    cap = "cap"
    supersedes = "supersedes"
    also_matched = "also_matched"


@dataclass(frozen=True, slots=True)
class WhyStep:
    """One step of why a finding has its confidence and rank.

    delta: how much this step changed the confidence (base: the base itself; None: no change).
      The deltas add up to the confidence before it is kept within 0.01..0.99 and rounded.
    value: the number the step names: the base, a boost/contrary/corroboration weight, the cap,
      or the confidence of the rule merged in.
    matcher: the boost or unless matcher that fired.
    evidence: where that matcher first fired (`path:line`, `path#entryN` or `path`).
    rules: rule ids the step names (base: the finding's rule; supersedes: the rules replaced;
      also_matched: the rule merged in).
    names: base: the fired matchers; corroboration: the agreeing formats; applies_to: the
      client versions seen.
    detail: base: the rule's condition; boost/contrary: the start of the evidence text;
      cap: the missing hint; applies_to: the client and version range.
    """

    kind: WhyKind
    delta: float | None = None
    value: float | None = None
    matcher: str | None = None
    evidence: str | None = None
    rules: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    detail: str = ""


@dataclass(slots=True)
class Finding:
    """A rule whose condition held for the bundle, with its explained confidence.

    fix: platform ("all", "linux", "macos", "windows" ...) -> fix text, in the rule's order;
      a rule with one fix text has {"all": text}.
    why: the steps that set the confidence and rank, in order.
    """

    cause: str
    rule: str
    title: str
    confidence: float
    severity: Severity
    evidence: list[Evidence]
    missing: list[str]
    fix: dict[str, str]
    why: list[WhyStep]
    specificity: int = 0
    family: str = ""


@dataclass(slots=True)
class InputInfo:
    path: str
    format: str
    bytes: int


@dataclass(slots=True)
class Skipped:
    """Something the analysis left out, and why. A parser that stopped on an internal error
    names its `format` and the `error` (type and redacted message); its `traceback` (redacted)
    is for `--traceback` only and stays out of the reports."""

    path: str
    reason: str
    format: str = ""
    error: str = ""
    traceback: str = field(default="", repr=False, compare=False)


@dataclass(slots=True)
class Diagnosis:
    """The ranked result for one bundle."""

    findings: list[Finding]
    inputs: list[InputInfo]
    skipped: list[Skipped]
    next_steps: list[str] = field(default_factory=list)
    timeline: list[Exchange] = field(default_factory=list)


@dataclass(slots=True)
class Exchange:
    """One request/response exchange seen in a HAR or curl capture, for timelines.

    `phases` holds milliseconds per connection phase where known (blocked, dns, connect,
    ssl, send, wait, receive); `error` names a transport failure; `status` 0 = no response.
    """

    path: str
    key: str
    method: str = ""
    url: str = ""
    status: int | None = None
    error: str = ""
    started: str | None = None
    phases: dict[str, float] = field(default_factory=dict)
    line: int | None = None
    entry: int | None = None
