"""The one place that knows what a secret looks like.

Redaction keeps what matters for diagnosis (the kind of credential, its non-secret
prefix, the proxy host and port, the header and variable names) and masks the rest.
Every string that reaches evidence, a report or an error message passes through
`redact_text`; `ccdiag redact` runs the same passes with a masker that hands out
consistent typed placeholders (see `analyzer.sanitize`).

A *masker* is a function `(kind, secret) -> replacement` for the secret part of a match;
the non-secret prefix (`sk-ant-api03-`, `Bearer `, `http://user:`) stays in front of it.
The default masker returns `MASK`.

Every pattern here is linear on hostile input (64 KB lines of `key=key=...`, runs of `@`):
names are matched possessively from the start of a word, and a cheap trigger search
skips the passes entirely for the many texts that hold nothing secret-looking.
"""
from __future__ import annotations

import base64
import binascii
from typing import Callable

import regex

MASK = "***"

Masker = Callable[[str, str], str]


def plain_mask(kind: str, secret: str) -> str:
    """The default masker: every secret becomes `MASK`."""
    return MASK


# ----------------------------------------------------------------- credentials with a prefix

# (non-secret prefix, body, kind). Order matters: the first prefix that fits names the kind.
_TOKEN_SPECS: list[tuple[str, str, str]] = [
    (r"sk-ant-api\d\d-", r"[A-Za-z0-9_\-]{4,}", "anthropic-api-key"),
    (r"sk-ant-oat\d\d-", r"[A-Za-z0-9_\-]{4,}", "anthropic-oauth-token"),
    (r"sk-ant-ort\d\d-", r"[A-Za-z0-9_\-]{4,}", "anthropic-refresh-token"),
    (r"sk-ant-admin\d\d-", r"[A-Za-z0-9_\-]{4,}", "anthropic-admin-key"),
    (r"sk-ant-sid\d\d-", r"[A-Za-z0-9_\-]{4,}", "anthropic-session-key"),
    (r"sk-ant-", r"[A-Za-z0-9_\-]{8,}", "anthropic-key"),
    (r"sk-or-v\d-", r"[A-Za-z0-9]{16,}", "openrouter-key"),
    (r"sk-(?:proj|svcacct|admin|None)-", r"[A-Za-z0-9_\-]{16,}", "openai-key"),
    (r"sk-", r"(?=[A-Za-z_\-]{0,64}\d)[A-Za-z0-9_\-]{20,}", "third-party-key"),
    (r"(?:AKIA|ASIA|AROA|AIDA|AGPA|ANPA|ANVA|AIPA|ABIA|ACCA)", r"[A-Z0-9]{16}(?![A-Za-z0-9])", "aws-access-key-id"),
    (r"(?:IQoJb3JpZ2luX2Vj|FwoGZXIvYXdzE)", r"[A-Za-z0-9/+=]{20,}", "aws-session-token"),
    (r"AIza", r"[A-Za-z0-9_\-]{30,}", "google-api-key"),
    (r"ya29\.", r"[A-Za-z0-9_\-.]{10,}", "google-oauth-token"),
    (r"1//0", r"[A-Za-z0-9_\-]{30,}", "google-refresh-token"),
    (r"gh[pousr]_", r"[A-Za-z0-9]{20,}", "github-token"),
    (r"github_pat_", r"[A-Za-z0-9_]{20,}", "github-token"),
    (r"glpat-", r"[A-Za-z0-9_\-]{20,}", "gitlab-token"),
    (r"xox[abposr]-", r"[A-Za-z0-9\-]{10,}", "slack-token"),
    (r"hf_", r"[A-Za-z0-9]{30,}", "huggingface-token"),
    (r"gsk_", r"[A-Za-z0-9]{30,}", "groq-key"),
    (r"xai-", r"[A-Za-z0-9]{30,}", "xai-key"),
    (r"pplx-", r"[A-Za-z0-9]{30,}", "perplexity-key"),
    (r"r8_", r"[A-Za-z0-9]{30,}", "replicate-token"),
    (r"npm_", r"[A-Za-z0-9]{30,}", "npm-token"),
    (r"(?:sk|rk)_(?:live|test)_", r"[A-Za-z0-9]{16,}", "stripe-key"),
    (r"eyJ", r"[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*", "jwt"),
]
_TOKENS = regex.compile(
    r"(?<![A-Za-z0-9_\-])(?:"
    + "|".join(f"(?P<k{i}>{pre}){body}" for i, (pre, body, _) in enumerate(_TOKEN_SPECS))
    + ")"
)
_TOKEN_KINDS = [kind for _, _, kind in _TOKEN_SPECS]


def _token_prefix(m: regex.Match) -> tuple[str, str]:
    """(non-secret prefix, kind) of a `_TOKENS` match."""
    for i, kind in enumerate(_TOKEN_KINDS):
        pre = m.group(f"k{i}")
        if pre is not None:
            return pre, kind
    return "", "secret"  # pragma: no cover - every branch has a prefix group


def classify(value: str) -> tuple[str, str] | None:
    """(prefix, kind) when `value` starts with a known credential prefix, else None."""
    m = _TOKENS.match(value)
    return _token_prefix(m) if m else None


# ----------------------------------------------------------------- which names hold secrets

# A name is split into words (`ANTHROPIC_API_KEY`, `x-api-key`, `primaryApiKey` -> API, KEY).
_SECRET_WORDS = frozenset({
    "KEY", "APIKEY", "ACCESSKEY", "SECRETKEY", "PRIVATEKEY", "SESSIONKEY", "TOKEN", "AUTHTOKEN",
    "ACCESSTOKEN", "REFRESHTOKEN", "IDTOKEN", "BEARER", "SECRET", "CLIENTSECRET", "PASSWORD", "PASSWD",
    "PASSPHRASE", "PASS", "CREDENTIAL", "CREDENTIALS", "COOKIE", "COOKIES", "AUTHORIZATION", "AUTH",
    "PAT", "SIG", "SIGNATURE", "SESSIONID",
})
_PASSWORD_WORDS = frozenset({"PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "SECRET", "CLIENTSECRET", "SECRETKEY"})
# A last word that makes the name describe a secret rather than hold one.
_NOT_SECRET_LAST = frozenset({
    "URL", "URI", "URLS", "HOST", "HOSTNAME", "PORT", "ENDPOINT", "FILE", "FILES", "PATH", "DIR", "SOCK",
    "SOCKET", "HELPER", "TTL", "MS", "SECONDS", "TIMEOUT", "COUNT", "LIMIT", "LIMITS", "TYPE", "KIND",
    "SOURCE", "NAME", "NAMES", "EXPIRY", "EXPIRES", "EXPIRED", "EXPIRATION", "AT", "IN", "REMAINING",
    "RESET", "USED", "LENGTH", "LEN", "SIZE", "ENABLED", "DISABLED", "ENABLE", "DISABLE", "MODE", "HEADER",
    "HEADERS", "PREFIX", "SUFFIX", "FORMAT", "VERSION", "ERROR", "ERRORS", "EXCEPTION", "STATUS", "COMMAND",
    "CMD", "PROVIDER", "REQUIRED", "DESCRIPTOR", "CHECK", "VALID", "INVALID", "PRESENT", "STORE", "STORAGE",
    "ALGORITHM", "ALG", "LOCATION", "REFRESH", "EXPORT", "METHOD", "SCHEME", "TOKENS", "MANAGER", "AGENT",
})
# A first word that makes the name a flag or a message about a secret.
_NOT_SECRET_FIRST = frozenset({"INVALID", "MISSING", "BAD", "WRONG", "NO", "NUM", "MAX", "MIN", "HAS", "IS",
                               "USE", "SKIP", "TOTAL"})
# Keys that name data, not secrets: KEY preceded by one of these is an identifier.
_NOT_SECRET_BEFORE_KEY = frozenset({"PUBLIC", "SORT", "PRIMARY", "FOREIGN", "PARTITION", "CACHE",
                                    "IDEMPOTENCY", "HOST", "DEDUP", "LOOKUP", "MAP", "GROUP", "ROUTING"})
_CAMEL = regex.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SPLIT = regex.compile(r"[^A-Za-z0-9]+")


def _words(name: str) -> list[str]:
    name = name.strip().strip("\"'\\$").removeprefix("env:")
    return [w for w in _WORD_SPLIT.split(_CAMEL.sub("_", name).upper()) if w]


def is_secret_name(name: str) -> bool:
    """True when a variable, header, setting or JSON key of this name holds a secret."""
    words = _words(name)
    if not words or not any(w in _SECRET_WORDS for w in words):
        return False
    if words[-1] in _NOT_SECRET_LAST or words[0] in _NOT_SECRET_FIRST:
        return False
    for before, word in zip(words, words[1:]):
        if word == "KEY" and before in _NOT_SECRET_BEFORE_KEY:
            return False
    return True


def _is_password_name(name: str) -> bool:
    return any(w in _PASSWORD_WORDS for w in _words(name))


def _kind_of_name(name: str) -> str:
    words = set(_words(name))
    if words & {"PASSWORD", "PASSWD", "PASSPHRASE", "PASS"}:
        return "password"
    if words & {"COOKIE", "COOKIES", "SESSIONID"}:
        return "cookie"
    if words & {"SECRET", "CLIENTSECRET", "SECRETKEY"}:
        return "secret"
    if words & {"TOKEN", "AUTHTOKEN", "ACCESSTOKEN", "REFRESHTOKEN", "IDTOKEN", "BEARER", "PAT"}:
        return "token"
    if words & {"SIG", "SIGNATURE"}:
        return "signature"
    if words & {"KEY", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SESSIONKEY"}:
        return "key"
    return "credential"


# ----------------------------------------------------------------- values that need no mask

_PLACEHOLDER = regex.compile(
    r"""(?ix) \*\*\* | \[redacted | <redacted | \bredacted\b | \[secure\] | \[filtered\] | <hidden>
    | <[A-Z][A-Z0-9_]*_\d+>                                  # our own typed placeholders
    """)
_NOT_SECRET_VALUE = regex.compile(
    r"""(?ix) ^(?: true|false|null|none|nil|undefined|yes|no|on|off|set|unset|\(none\)|\(null\)|-
    | \$\{[^}]*\}[^\s]{0,20} | \$[A-Za-z_][A-Za-z0-9_]* | %[A-Za-z_][A-Za-z0-9_]*% | \$\([^)]*\)  # references
    | <[^<>]{1,40}> | \{\{[^}]*\}\} | x{3,} | \.{3} | …
    )$""")
_NUMBER = regex.compile(r"^[-+]?\d+(?:\.\d+)?$")
_PATH_LIKE = regex.compile(r"^(?:/|~/|\./|\.\./|[A-Za-z]:[\\/]|\\\\)[^\s:*?\"<>|]*$")


def _needs_mask(value: str, password_like: bool) -> bool:
    if not value or _PLACEHOLDER.search(value) or _NOT_SECRET_VALUE.match(value):
        return False
    if not password_like and (_NUMBER.match(value) or _PATH_LIKE.match(value)):
        return False
    return True


def _looks_random(value: str) -> bool:
    """A bare `name: value` in prose is masked only when the value looks like a credential."""
    if len(value) >= 24:
        return True
    if len(value) < 8:
        return False
    classes = sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))
    return classes >= 2


# ----------------------------------------------------------------- masking one value

_SCHEME = regex.compile(r"(?i)^(basic|bearer|token|ntlm|negotiate|digest|aws4-hmac-sha256|sso-key|apikey|otp)(\s+)")
_SCHEME_KIND = {"basic": "basic-auth", "bearer": "bearer-token", "token": "token", "ntlm": "ntlm-auth",
                "negotiate": "negotiate-auth", "digest": "digest-auth"}


def _typed(value: str, kind: str, masker: Masker) -> str:
    """Mask one secret value: keep a recognisable prefix, hand the rest to the masker."""
    if not value or _PLACEHOLDER.search(value):
        return value
    m = _SCHEME.match(value)
    if m:
        rest = value[m.end():]
        inner = _typed(rest, _SCHEME_KIND.get(m.group(1).lower(), "authorization"), masker) if rest else rest
        return m.group(0) + inner
    known = classify(value)
    if known:
        prefix, token_kind = known
        return prefix + masker(token_kind, value)
    return masker(kind, value)


def _strip_quotes(raw: str) -> tuple[str, str, str]:
    """(opening, content, closing) of a possibly quoted value (`"x"`, `'x'`, `$'x'`, `\\"x\\"`)."""
    for q in ('\\"', "$'", '"', "'"):
        if raw.startswith(q):
            close = q[-1] if q != '\\"' else '\\"'
            if len(raw) >= len(q) + len(close) and raw.endswith(close):
                return q, raw[len(q):len(raw) - len(close)], close
            return q, raw[len(q):], ""
    return "", raw, ""


def _mask_named(name: str, raw: str, masker: Masker, strict: bool) -> str | None:
    """The masked form of `raw` (quotes kept) if `name` holds a secret and `raw` needs masking."""
    if not is_secret_name(name):
        return None
    password = _is_password_name(name)
    opening, content, closing = _strip_quotes(raw)
    stripped = content.strip()
    if not _needs_mask(stripped, password):
        return None
    if not strict and not opening and not password and not _looks_random(stripped):
        return None
    lead = content[:len(content) - len(content.lstrip())]
    trail = content[len(content.rstrip()):]
    return opening + lead + _typed(stripped, _kind_of_name(name), masker) + trail + closing


# ----------------------------------------------------------------- the passes

_TRIGGER = regex.compile(
    r"(?i)sk-|sk_|rk_|akia|asia|aroa|aida|agpa|anpa|anva|aipa|abia|acca|iqoj|fwog|aiza|ya29|1//0|gh[pousr]_"
    r"|github_pat|glpat|xox|hf_|gsk_|xai-|pplx-|r8_|npm_|eyj|@|auth|key|token|secret|pass|pwd|cookie|credential"
    r"|private|bearer|basic|sig|session|pat|-u|code=")

_PEM_BEGIN = regex.compile(r"-----BEGIN (?P<t>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_PEM_BODY = regex.compile(r"[A-Za-z0-9+/=\s\\:,.\-]*")
PEM_MAX = 32 * 1024

_SECRET_WORD_AHEAD = r"(?=[A-Za-z0-9_.\-]{0,80}?(?i:key|token|secret|pass|pwd|credential|cookie|auth|pat|sig|session|bearer))"
_STRUCT = regex.compile(
    rf"(?<![A-Za-z0-9_.\-]){_SECRET_WORD_AHEAD}(?P<name>[A-Za-z0-9_.\-]++)(?:\\?[\"'])?\s*[:=]\s*(?=[\[{{])")
STRUCT_MAX = 64 * 1024
_KEEP_IN_STRUCT = frozenset({"name", "path", "domain", "expires", "samesite", "httponly", "secure", "comment",
                             "type", "expiresat", "expires_at", "scopes", "subscriptiontype"})

_VALUE = r"""(?:"(?:[^"\\\r\n]|\\.)*+"|'(?:[^'\r\n])*+'|[^\s"',}\]][^\r\n,}\]]*)"""
_SIBLING = regex.compile(
    rf"""(?ix)(?<![\w\-])(?P<q1>["']?)name(?P=q1)\s*[:=][ \t]*(?P<q2>["']?)(?P<name>[A-Za-z0-9_.\-]{{1,100}}+)(?P=q2)
    [ \t]*,?[ \t]*(?:\r?\n[ \t]*(?:-[ \t]*)?)?
    (?P<pre>(?P<q3>["']?)value(?P=q3)[ \t]*[:=][ \t]*)(?P<val>{_VALUE})""")
_SIBLING_REVERSED = regex.compile(
    r"""(?ix)(?<![\w\-])(?P<pre>(?P<q3>["']?)value(?P=q3)\s*[:=]\s*)(?P<val>"(?:[^"\\\r\n]|\\.)*+"|'[^'\r\n]*+')
    \s*,\s*(?P<q1>["']?)name(?P=q1)\s*[:=]\s*(?P<q2>["']?)(?P<name>[A-Za-z0-9_.\-]{1,100}+)""")

_URL_CREDS = regex.compile(
    r"(?P<pre>(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,20}://(?P<user>[^\s:/@'\"<>]*+):)(?P<val>[^\s/'\"<>]*)@")
_URL_USER_TOKEN = regex.compile(r"(?P<pre>(?<![A-Za-z0-9+.\-])[A-Za-z][A-Za-z0-9+.\-]{0,20}://)(?P<val>[A-Za-z0-9_\-.~%]{16,}+)@")
_PROXY_NO_SCHEME = regex.compile(
    r"""(?ix)(?P<pre>(?:(?<![\w.\-])[a-z_.]*proxy["']?\s*[:=]\s*["']?|(?<!\S)(?:-x|--proxy)[ \t]+["']?)
    (?P<user>[^\s:/@'"]++):)(?P<val>[^\s/'"]*)@""")
_CLI_USER = regex.compile(r"""(?<!\S)(?P<pre>(?:-u|-U|--user|--proxy-user)[ \t]*["']?(?P<user>[^\s:"']*+):)(?P<val>[^\s"']+)""")

_AUTH_HEADER = regex.compile(
    r"""(?i)(?P<pre>(?<![\w\-])(?:proxy-)?authorization(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?)(?P<val>[^\r\n"'\]\\]+)""")
_COOKIE_HEADER = regex.compile(
    r"""(?i)(?P<pre>(?<![\w\-])(?:set-)?cookie(?:\\?["'])?[ \t]*[:=][ \t]*(?:\\?["'])?)(?P<val>[^\r\n"'\]\\]+)""")
_COOKIE_PAIR = regex.compile(r"(?P<name>[^=;,\s]++)[ \t]*=(?P<val>[^;]*)")
_COOKIE_ATTRS = frozenset({"path", "domain", "expires", "max-age", "samesite", "secure", "httponly", "priority",
                           "partitioned", "version", "comment"})

_ENV_LINE = regex.compile(
    r"""(?m)^(?P<lead>[ \t]*(?:(?:export|declare|typeset|local|readonly)(?:[ \t]+-[A-Za-z]+)*[ \t]+|set[ \t]+|\$env:)?)
    (?P<name>[A-Za-z_][A-Za-z0-9_.\-]*+)(?P<sep>[ \t]*=[ \t]*)
    (?P<val>\$?"(?:[^"\\\r\n]|\\.)*+"?|\$?'(?:[^'\r\n]|'\\'')*+'?|[^\r\n]*?)(?=[ \t]+\#|[ \t]*(?:\r|$))""",
    regex.VERBOSE)
_PS_TABLE = regex.compile(r"(?m)^(?P<name>[A-Za-z_][A-Za-z0-9_]*+)(?P<sep>[ \t]{2,})(?P<val>[^\s][^\r\n]*?)(?=[ \t]*(?:\r|$))")
_ENV_STRING = regex.compile(
    r"""(?<=")(?P<name>[A-Za-z_][A-Za-z0-9_]*+)=(?P<val>(?:[^"\\\r\n]|\\.)*+)(?=")"""
    r"""|(?<=')(?P<name>[A-Za-z_][A-Za-z0-9_]*+)=(?P<val>(?:[^'\\\r\n]|\\.)*+)(?=')""")
_CLI_FLAG = regex.compile(r"""(?<!\S)(?P<pre>--?(?P<name>[A-Za-z][A-Za-z0-9\-]*+)[ \t]+)(?P<val>"[^"\r\n]*"|'[^'\r\n]*'|[^\s"'-][^\s"']*)""")
_KEYVAL = regex.compile(
    rf"""(?<![A-Za-z0-9_.\-]){_SECRET_WORD_AHEAD}(?P<name>[A-Za-z0-9_.\-]++)
    (?P<sep>(?:\\?["'])?[ \t]*(?:=>|:=|=|:)[ \t]*)
    (?P<val>\\"(?:[^"\\\r\n]|\\[^"])*+\\"|"(?:[^"\\\r\n]|\\.)*+"|'(?:[^'\\\r\n]|\\.)*+'|\$'(?:[^'\\\r\n]|\\.)*+'
           |[^\s"',;}}\]\)>&\[{{][^\s"',;}}\]\)>&]*+)""",
    regex.VERBOSE)
_QUERY_CODE = regex.compile(r"(?<=[?&])(?P<pre>code=)(?P<val>[^&\s#\"']{8,})")
_BEARER = regex.compile(r"(?i)(?P<pre>(?<![\w\-])bearer[ \t]+)(?P<val>[A-Za-z0-9._~+/\-]{8,}+=*)(?![A-Za-z0-9._~+/=\-\"])")
_BASIC = regex.compile(r"(?i)(?P<pre>(?<![\w\-])basic[ \t]+)(?P<val>[A-Za-z0-9+/]{8,}+={0,2})(?![A-Za-z0-9+/=])")


def redact_text(text: str) -> str:
    """Mask every secret in free text (one line or many); idempotent."""
    return redact_with(text, plain_mask)


def redact_with(text: str, masker: Masker) -> str:
    """Mask every secret in `text`, replacing each secret part with `masker(kind, secret)`."""
    if not text or not _TRIGGER.search(text):
        return text
    if "-----BEGIN" in text:
        text = _private_keys(text, masker)
    text = _structures(text, masker)

    def sibling(m: regex.Match) -> str:
        masked = _mask_named(m.group("name"), m.group("val"), masker, strict=True)
        if masked is None:
            return m.group(0)
        start, end = m.span("val")
        base = m.start()
        return m.group(0)[:start - base] + masked + m.group(0)[end - base:]

    if "alue" in text or "ALUE" in text:
        text = _SIBLING.sub(sibling, text)
        text = _SIBLING_REVERSED.sub(sibling, text)

    def secret_part(kind: str) -> Callable[[regex.Match], str]:
        def sub(m: regex.Match) -> str:
            val = m.group("val")
            if not val or _PLACEHOLDER.search(val):
                return m.group(0)
            return m.group(0)[:m.start("val") - m.start()] + _typed(val, kind, masker) + m.group(0)[m.end("val") - m.start():]
        return sub

    if "@" in text:
        text = _URL_CREDS.sub(secret_part("password"), text)
        text = _URL_USER_TOKEN.sub(secret_part("token"), text)
        text = _PROXY_NO_SCHEME.sub(secret_part("password"), text)
    text = _CLI_USER.sub(secret_part("password"), text)
    text = _AUTH_HEADER.sub(lambda m: _header_value(m, masker), text)
    text = _COOKIE_HEADER.sub(lambda m: _cookie_value(m, masker), text)

    def named(strict: bool) -> Callable[[regex.Match], str]:
        def sub(m: regex.Match) -> str:
            masked = _mask_named(m.group("name"), m.group("val"), masker, strict)
            if masked is None:
                return m.group(0)
            return m.group(0)[:m.start("val") - m.start()] + masked + m.group(0)[m.end("val") - m.start():]
        return sub

    text = _ENV_LINE.sub(named(True), text)
    text = _PS_TABLE.sub(named(True), text)
    text = _ENV_STRING.sub(named(True), text)
    text = _CLI_FLAG.sub(named(True), text)
    text = _KEYVAL.sub(lambda m: named(m.group("sep").strip(" \t\"'\\") != ":" or m.group("val")[:1] in "\"'$\\")(m), text)
    if "code=" in text:
        text = _QUERY_CODE.sub(secret_part("oauth-code"), text)
    text = _BEARER.sub(secret_part("bearer-token"), text)
    text = _BASIC.sub(lambda m: secret_part("basic-auth")(m) if _is_basic_credential(m.group("val")) else m.group(0), text)
    return _TOKENS.sub(lambda m: _token(m, masker), text)


def _token(m: regex.Match, masker: Masker) -> str:
    prefix, kind = _token_prefix(m)
    return prefix + masker(kind, m.group(0))


def _is_basic_credential(val: str) -> bool:
    try:
        raw = base64.b64decode(val + "=" * (-len(val) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in raw and sum(32 <= b < 127 for b in raw) >= len(raw) * 0.9


def _header_value(m: regex.Match, masker: Masker) -> str:
    raw = m.group("val")
    value = raw.rstrip()
    if not value.strip() or _PLACEHOLDER.search(value):
        return m.group(0)
    return m.group("pre") + _typed(value.strip(), "authorization", masker) + raw[len(value):]


def _cookie_value(m: regex.Match, masker: Masker) -> str:
    raw = m.group("val")
    if _PLACEHOLDER.search(raw):
        return m.group(0)
    return m.group("pre") + _cookie_pairs(raw, masker)


def _cookie_pairs(raw: str, masker: Masker) -> str:
    """Keep cookie names and Set-Cookie attributes; mask each cookie's value."""
    def pair(p: regex.Match) -> str:
        name, val = p.group("name"), p.group("val")
        if name.lower() in _COOKIE_ATTRS or not val.strip() or _PLACEHOLDER.search(val):
            return p.group(0)
        return p.group(0)[:p.start("val") - p.start()] + masker("cookie", val.strip())
    masked = _COOKIE_PAIR.sub(pair, raw)
    if masked == raw and raw.strip() and not _PLACEHOLDER.search(raw):
        masked = masker("cookie", raw.strip())  # a bare value with no name=value pairs
    return masked


_EDGE_START = regex.compile(r"^(?:\s|\\n)*")
_EDGE_END = regex.compile(r"(?:\s|\\n)*$")


def _private_keys(text: str, masker: Masker) -> str:
    """Mask the body of PEM private keys (`\\n`-escaped in JSON too); the markers stay."""
    out, pos = [], 0
    for m in _PEM_BEGIN.finditer(text):
        if m.start() < pos:
            continue
        end = text.find(f"-----END {m.group('t')}-----", m.end(), m.end() + PEM_MAX)
        if end < 0:
            end = _PEM_BODY.match(text, m.end(), min(len(text), m.end() + PEM_MAX)).end()
        body = text[m.end():end]
        lead = _EDGE_START.match(body).end()
        trail = _EDGE_END.search(body, lead).start()
        out.append(text[pos:m.end()])
        out.append(body[:lead] + masker("private-key", body[lead:trail]) + body[trail:] if trail > lead else body)
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _structures(text: str, masker: Masker) -> str:
    """Mask every string inside a JSON/dict value held by a secret name (`"cookies": [...]`)."""
    if "[" not in text and "{" not in text:
        return text
    out, pos = [], 0
    for m in _STRUCT.finditer(text):
        if m.start() < pos or not is_secret_name(m.group("name")):
            continue
        end, _ = _balanced_end(text, m.end())
        out.append(text[pos:m.end()])
        out.append(_mask_strings(text[m.end():end], masker, _kind_of_name(m.group("name"))))
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _balanced_end(text: str, start: int) -> tuple[int, bool]:
    """(end, closed) of the bracketed value starting at `start`, string-aware; unclosed values end at the scan limit."""
    depth, quote, esc = 0, "", False
    limit = min(len(text), start + STRUCT_MAX)
    for i in range(start, limit):
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
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
            if depth == 0:
                return i + 1, True
    return limit, False


_STRING_IN_STRUCT = regex.compile(r"""(?P<q>["'])(?P<s>(?:(?!(?P=q))[^\\\r\n]|\\.)*+)(?P=q)(?P<key>\s*:)?""")


def _mask_strings(chunk: str, masker: Masker, kind: str) -> str:
    """Mask the string values in a bracketed chunk; keys and a few descriptive members stay."""
    last_key = ""

    def sub(m: regex.Match) -> str:
        nonlocal last_key
        if m.group("key"):
            last_key = m.group("s").lower()
            return m.group(0)
        s = m.group("s")
        if last_key in _KEEP_IN_STRUCT or not _needs_mask(s, False):
            return m.group(0)
        return m.group("q") + _typed(s, kind, masker) + m.group("q")
    return _STRING_IN_STRUCT.sub(sub, chunk)


# ----------------------------------------------------------------- one named value

def redact_value(name: str, value: str) -> str:
    """Mask the value of a named variable, header or setting: secrets by name, and any secret inside."""
    return redact_value_with(name, value, plain_mask)


def redact_value_with(name: str, value: str, masker: Masker) -> str:
    if not value:
        return value
    if is_secret_name(name):
        stripped = value.strip().strip("'\"")
        if _needs_mask(stripped, _is_password_name(name)):
            if _words(name)[-1:] in (["COOKIE"], ["COOKIES"]) and "=" in stripped:
                return _cookie_pairs(stripped, masker)
            return _typed(stripped, _kind_of_name(name), masker)
    return redact_with(value, masker)


# ----------------------------------------------------------------- where a text may be cut

_NAME_LINE = regex.compile(r"""(?im)(?:^|[\s{,])["']?name["']?\s*[:=]\s*["']?[A-Za-z0-9_.\-]+["']?\s*,?\s*$""")


def unfinished_tail(text: str) -> int | None:
    """Where a construct that continues past the end of `text` begins (a private key without
    its END marker, a secret-named bracketed value not yet closed, a trailing `name:` line whose
    `value:` is on the next line), so a streaming caller can cut before it. None when safe."""
    cut: int | None = None
    for m in _PEM_BEGIN.finditer(text, max(0, len(text) - PEM_MAX)):
        if text.find(f"-----END {m.group('t')}-----", m.end()) < 0:
            cut = m.start()
            break
    tail_from = max(0, len(text) - STRUCT_MAX)
    for m in _STRUCT.finditer(text, tail_from):
        if is_secret_name(m.group("name")) and not _balanced_end(text, m.end())[1]:
            cut = m.start() if cut is None else min(cut, m.start())
            break
    last_nl = text.rstrip("\r\n").rfind("\n")
    last_line = text[last_nl + 1:]
    if _NAME_LINE.search(last_line):
        start = last_nl + 1
        cut = start if cut is None else min(cut, start)
    return cut
