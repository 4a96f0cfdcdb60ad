"""The one place that knows what a secret looks like.

Redaction keeps what matters for diagnosis (the kind of credential, its non-secret
prefix, the proxy host and port, header, cookie and variable names) and masks the rest.
Every string that reaches evidence, a report or an error message passes through
`redact_text`; `ccdiag redact` runs the same passes with a masker that hands out
consistent typed placeholders (see `analyzer.sanitize`).

A *masker* is a function `(kind, secret) -> replacement` for the secret part of a match;
the non-secret prefix (`sk-ant-api03-`, `Bearer `, `http://user:`) stays in front of it.
The default masker returns `MASK`.

Speed and safety: `redact_text` runs on every evidence text, so each pass is gated by a
substring test and anchored on a literal (`://`, `bearer`, a key prefix, a secret word),
never on a scan that tries a pattern at every position. Every pattern is linear on
hostile input (64 KB lines of `key=key=...`, runs of `@`, unclosed brackets).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache, partial

from .brackets import closing_index
from .lazy import lazy_regex

MASK = "***"

Masker = Callable[[str, str], str]


def plain_mask(kind: str, secret: str) -> str:
    """The default masker: every secret becomes `MASK`."""
    return MASK


# ----------------------------------------------------------------- credentials with a prefix

# (literal that starts it, non-secret prefix, body, kind). The first spec that fits names the kind.
_TOKEN_SPECS: list[tuple[str, str, str, str]] = [
    ("sk-ant-", r"sk-ant-api\d\d-", r"[A-Za-z0-9_\-]{4,}+", "anthropic-api-key"),
    ("sk-ant-", r"sk-ant-oat\d\d-", r"[A-Za-z0-9_\-]{4,}+", "anthropic-oauth-token"),
    ("sk-ant-", r"sk-ant-ort\d\d-", r"[A-Za-z0-9_\-]{4,}+", "anthropic-refresh-token"),
    ("sk-ant-", r"sk-ant-admin\d\d-", r"[A-Za-z0-9_\-]{4,}+", "anthropic-admin-key"),
    ("sk-ant-", r"sk-ant-sid\d\d-", r"[A-Za-z0-9_\-]{4,}+", "anthropic-session-key"),
    ("sk-ant-", r"sk-ant-", r"[A-Za-z0-9_\-]{8,}+", "anthropic-key"),
    ("sk-or-", r"sk-or-v\d-", r"[A-Za-z0-9]{16,}+", "openrouter-key"),
    ("sk-", r"sk-(?:proj|svcacct|admin|None)-", r"[A-Za-z0-9_\-]{16,}+", "openai-key"),
    ("sk-", r"sk-", r"(?=[A-Za-z_\-]{0,64}\d)[A-Za-z0-9_\-]{20,}+", "third-party-key"),
    ("AKIA", r"AKIA", r"[A-Z0-9]{16}(?![A-Za-z0-9])", "aws-access-key-id"),
    ("ASIA", r"ASIA", r"[A-Z0-9]{16}(?![A-Za-z0-9])", "aws-access-key-id"),
    ("IQoJb3JpZ2luX2Vj", r"IQoJb3JpZ2luX2Vj", r"[A-Za-z0-9/+=]{20,}+", "aws-session-token"),
    ("FwoGZXIvYXdzE", r"FwoGZXIvYXdzE", r"[A-Za-z0-9/+=]{20,}+", "aws-session-token"),
    ("AIza", r"AIza", r"[A-Za-z0-9_\-]{30,}+", "google-api-key"),
    ("ya29.", r"ya29\.", r"[A-Za-z0-9_\-.]{10,}+", "google-oauth-token"),
    ("1//0", r"1//0", r"[A-Za-z0-9_\-]{30,}+", "google-refresh-token"),
    ("gh", r"gh[pousr]_", r"[A-Za-z0-9]{20,}+", "github-token"),
    ("github_pat_", r"github_pat_", r"[A-Za-z0-9_]{20,}+", "github-token"),
    ("glpat-", r"glpat-", r"[A-Za-z0-9_\-]{20,}+", "gitlab-token"),
    ("xox", r"xox[abposr]-", r"[A-Za-z0-9\-]{10,}+", "slack-token"),
    ("hf_", r"hf_", r"[A-Za-z0-9]{30,}+", "huggingface-token"),
    ("gsk_", r"gsk_", r"[A-Za-z0-9]{30,}+", "groq-key"),
    ("xai-", r"xai-", r"[A-Za-z0-9]{30,}+", "xai-key"),
    ("pplx-", r"pplx-", r"[A-Za-z0-9]{30,}+", "perplexity-key"),
    ("r8_", r"r8_", r"[A-Za-z0-9]{30,}+", "replicate-token"),
    ("npm_", r"npm_", r"[A-Za-z0-9]{30,}+", "npm-token"),
    ("_live_", r"(?:sk|rk)_live_", r"[A-Za-z0-9]{16,}+", "stripe-key"),
    ("_test_", r"(?:sk|rk)_test_", r"[A-Za-z0-9]{16,}+", "stripe-key"),
    ("eyJ", r"eyJ", r"[A-Za-z0-9_\-]{5,}+\.[A-Za-z0-9_\-]{5,}+\.[A-Za-z0-9_\-]*+", "jwt"),
]
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class _TokenSpec:
    """One credential format: a literal gate, and a pattern anchored on its prefix."""

    def __init__(self, literal: str, prefix: str, body: str, kind: str):
        self.literal, self.kind = literal, kind
        # not inside a longer word, and not the front of a token an earlier spec already masked
        self.pattern = lazy_regex(f"(?<![A-Za-z0-9_\\-])(?P<pre>{prefix}){body}(?![*<])")


_TOKENS = [_TokenSpec(*spec) for spec in _TOKEN_SPECS]


def classify(value: str) -> tuple[str, str] | None:
    """(non-secret prefix, kind) when `value` starts with a known credential prefix, else None."""
    for spec in _TOKENS:
        m = spec.pattern.match(value)
        if m:
            return m.group("pre"), spec.kind
    return None


# ----------------------------------------------------------------- which names hold secrets

# A name is split into words (`ANTHROPIC_API_KEY`, `x-api-key`, `primaryApiKey` -> API, KEY).
_SECRET_WORDS = frozenset(
    {
        "KEY",
        "APIKEY",
        "ACCESSKEY",
        "SECRETKEY",
        "PRIVATEKEY",
        "SESSIONKEY",
        "TOKEN",
        "AUTHTOKEN",
        "ACCESSTOKEN",
        "REFRESHTOKEN",
        "IDTOKEN",
        "BEARER",
        "SECRET",
        "CLIENTSECRET",
        "PASSWORD",
        "PASSWD",
        "PASSPHRASE",
        "PASS",
        "CREDENTIAL",
        "CREDENTIALS",
        "COOKIE",
        "COOKIES",
        "AUTHORIZATION",
        "AUTH",
        "PAT",
        "SIG",
        "SIGNATURE",
        "SESSIONID",
    }
)
_PASSWORD_WORDS = frozenset({"PASSWORD", "PASSWD", "PASSPHRASE", "PASS", "SECRET", "CLIENTSECRET", "SECRETKEY"})
# A last word that makes the name describe a secret rather than hold one.
_NOT_SECRET_LAST = frozenset(
    {
        "URL",
        "URI",
        "URLS",
        "HOST",
        "HOSTNAME",
        "PORT",
        "ENDPOINT",
        "FILE",
        "FILES",
        "PATH",
        "DIR",
        "SOCK",
        "SOCKET",
        "HELPER",
        "TTL",
        "MS",
        "SECONDS",
        "TIMEOUT",
        "COUNT",
        "LIMIT",
        "LIMITS",
        "TYPE",
        "KIND",
        "SOURCE",
        "NAME",
        "NAMES",
        "EXPIRY",
        "EXPIRES",
        "EXPIRED",
        "EXPIRATION",
        "AT",
        "IN",
        "REMAINING",
        "RESET",
        "USED",
        "LENGTH",
        "LEN",
        "SIZE",
        "ENABLED",
        "DISABLED",
        "ENABLE",
        "DISABLE",
        "MODE",
        "HEADER",
        "HEADERS",
        "PREFIX",
        "SUFFIX",
        "FORMAT",
        "VERSION",
        "ERROR",
        "ERRORS",
        "EXCEPTION",
        "STATUS",
        "COMMAND",
        "CMD",
        "PROVIDER",
        "REQUIRED",
        "DESCRIPTOR",
        "CHECK",
        "VALID",
        "INVALID",
        "PRESENT",
        "STORE",
        "STORAGE",
        "ALGORITHM",
        "ALG",
        "LOCATION",
        "REFRESH",
        "EXPORT",
        "METHOD",
        "SCHEME",
        "TOKENS",
        "MANAGER",
        "AGENT",
        "USAGE",
        "USAGES",
        "AUTHENTICATE",
    }
)
# A first word that makes the name a flag or a message about a secret.
_NOT_SECRET_FIRST = frozenset(
    {"INVALID", "MISSING", "BAD", "WRONG", "NO", "NUM", "MAX", "MIN", "HAS", "IS", "USE", "SKIP", "TOTAL"}
)
# KEY after one of these names an identifier, not a secret.
_NOT_SECRET_BEFORE_KEY = frozenset(
    {
        "PUBLIC",
        "SORT",
        "PRIMARY",
        "FOREIGN",
        "PARTITION",
        "CACHE",
        "IDEMPOTENCY",
        "HOST",
        "DEDUP",
        "LOOKUP",
        "MAP",
        "GROUP",
        "ROUTING",
    }
)
_CAMEL = lazy_regex(r"(?<=[a-z0-9])(?=[A-Z])")
_WORD_SPLIT = lazy_regex(r"[^A-Za-z0-9]+")


@lru_cache(maxsize=4096)
def _words(name: str) -> tuple[str, ...]:
    name = name.strip().strip("\"'\\$").removeprefix("env:")
    return tuple(w for w in _WORD_SPLIT.split(_CAMEL.sub("_", name).upper()) if w)


@lru_cache(maxsize=4096)
def is_secret_name(name: str) -> bool:
    """True when a variable, header, setting or JSON key of this name holds a secret."""
    words = _words(name)
    if not words or not any(w in _SECRET_WORDS for w in words):
        return False
    if words[-1] in _NOT_SECRET_LAST or words[0] in _NOT_SECRET_FIRST:
        return False
    return not any(w == "KEY" and before in _NOT_SECRET_BEFORE_KEY for before, w in zip(words, words[1:], strict=False))


def _is_password_name(name: str) -> bool:
    return any(w in _PASSWORD_WORDS for w in _words(name))


_NAME_KINDS = [
    ({"PASSWORD", "PASSWD", "PASSPHRASE", "PASS"}, "password"),
    ({"COOKIE", "COOKIES", "SESSIONID"}, "cookie"),
    ({"SECRET", "CLIENTSECRET", "SECRETKEY"}, "secret"),
    ({"TOKEN", "AUTHTOKEN", "ACCESSTOKEN", "REFRESHTOKEN", "IDTOKEN", "BEARER", "PAT"}, "token"),
    ({"SIG", "SIGNATURE"}, "signature"),
    ({"KEY", "APIKEY", "ACCESSKEY", "PRIVATEKEY", "SESSIONKEY"}, "key"),
]


def _kind_of_name(name: str) -> str:
    words = set(_words(name))
    for group, kind in _NAME_KINDS:
        if words & group:
            return kind
    return "credential"


# ----------------------------------------------------------------- values that need no mask

_PLACEHOLDER = lazy_regex(
    r"""(?ix) \*\*\* | \[redacted | <redacted | \bredacted\b | \[secure\] | \[filtered\] | <hidden>
    | <[A-Z][A-Z0-9_]*_\d+>                                  # our own typed placeholders
    """
)
_NOT_SECRET_VALUE = lazy_regex(
    r"""(?ix) ^(?: true|false|null|none|nil|undefined|yes|no|on|off|set|unset|\(none\)|\(null\)|-
    | basic|bearer|digest|ntlm|negotiate|kerberos                # an auth scheme on its own
    | \$\{[^}]*\}[^\s]{0,20} | \$[A-Za-z_][A-Za-z0-9_]* | %[A-Za-z_][A-Za-z0-9_]*% | \$\([^)]*\)  # references
    | <[^<>]{1,40}> | \{\{[^}]*\}\} | x{3,} | \.{3} | …
    )$"""
)
_NUMBER = lazy_regex(r"^[-+]?\d+(?:\.\d+)?$")
_PATH_LIKE = lazy_regex(r"^(?:/|~/|\./|\.\./|[A-Za-z]:[\\/]|\\\\)[^\s:*?\"<>|]*$")


_VARIABLE_NAME = lazy_regex(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def _needs_mask(value: str, password_like: bool) -> bool:
    if not value or _PLACEHOLDER.search(value) or _NOT_SECRET_VALUE.match(value):
        return False
    # a number, a path, or the name of another variable (`auth token: CLAUDE_CODE_OAUTH_TOKEN`)
    if not password_like and (_NUMBER.match(value) or _PATH_LIKE.match(value) or _VARIABLE_NAME.match(value)):
        return False
    return True


def _looks_random(value: str) -> bool:
    """A bare `name: value` in prose is masked only when the value looks like a credential
    (`API Key: apiKeyHelper` names a source, `Token: expired` a state)."""
    if len(value) >= 24:
        return True
    return len(value) >= 8 and any(c.isdigit() for c in value) and any(c.isalpha() for c in value)


# ----------------------------------------------------------------- masking one value

_SCHEME = lazy_regex(r"(?i)^(basic|bearer|token|ntlm|negotiate|digest|aws4-hmac-sha256|sso-key|apikey|otp)(\s+)")
_SCHEME_KIND = {
    "basic": "basic-auth",
    "bearer": "bearer-token",
    "token": "token",
    "ntlm": "ntlm-auth",
    "negotiate": "negotiate-auth",
    "digest": "digest-auth",
}


def _typed(value: str, kind: str, masker: Masker) -> str:
    """Mask one secret value: keep a recognisable prefix, hand the rest to the masker."""
    if not value or _PLACEHOLDER.search(value):
        return value
    m = _SCHEME.match(value)
    if m:
        rest = value[m.end() :]
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
            close = '\\"' if q == '\\"' else q[-1]
            if len(raw) >= len(q) + len(close) and raw.endswith(close):
                return q, raw[len(q) : len(raw) - len(close)], close
            return q, raw[len(q) :], ""
    return "", raw, ""


def _mask_named(name: str, raw: str, masker: Masker, strict: bool) -> str | None:
    """`raw` masked (quotes kept) when `name` holds a secret and `raw` needs masking, else None."""
    if not is_secret_name(name):
        return None
    password = _is_password_name(name)
    opening, content, closing = _strip_quotes(raw)
    stripped = content.strip()
    if not _needs_mask(stripped, password):
        return None
    if not strict and not opening and not password and not _looks_random(stripped):
        return None
    lead = content[: len(content) - len(content.lstrip())]
    trail = content[len(content.rstrip()) :]
    return opening + lead + _typed(stripped, _kind_of_name(name), masker) + trail + closing


# ----------------------------------------------------------------- the public calls


def redact_text(text: str) -> str:
    """Mask every secret in free text (one line or many); idempotent."""
    return redact_with(text, plain_mask)


def redact_value(name: str, value: str) -> str:
    """Mask the value of a named variable, header or setting: secrets by name, and any secret inside."""
    return redact_value_with(name, value, plain_mask)


def redact_value_with(name: str, value: str, masker: Masker) -> str:
    if not value:
        return value
    if is_secret_name(name):
        stripped = value.strip().strip("'\"")
        if _needs_mask(stripped, _is_password_name(name)):
            if _words(name)[-1:] in (("COOKIE",), ("COOKIES",)) and "=" in stripped:
                return _cookie_pairs(stripped, masker)
            return _typed(stripped, _kind_of_name(name), masker)
    return redact_with(value, masker)


_GATES = (
    "sk-",
    "sk_",
    "rk_",
    "akia",
    "asia",
    "iqoj",
    "fwog",
    "aiza",
    "ya29",
    "1//0",
    "gh",
    "glpat",
    "xox",
    "hf_",
    "gsk_",
    "xai-",
    "pplx-",
    "r8_",
    "npm_",
    "eyj",
    "@",
    "auth",
    "key",
    "token",
    "secret",
    "pass",
    "cookie",
    "credential",
    "private",
    "bearer",
    "basic",
    "sig",
    "session",
    "pat",
    "-u",
    "code=",
)


# One search for all the gates: a generator of `in` tests costs several times more per line.
_GATE = re.compile("|".join(re.escape(g) for g in _GATES))


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else text.translate(_ASCII_LOWER)


_ASCII_LOWER = {c: c + 32 for c in range(65, 91)}


def redact_with(text: str, masker: Masker) -> str:
    """Mask every secret in `text`, replacing each secret part with `masker(kind, secret)`."""
    if not text:
        return text
    low = _lower(text)
    if _GATE.search(low) is None:
        return text
    if "\0" in text:  # `env -0`, /proc/*/environ: each NUL-separated record on its own
        return "\0".join(redact_with(part, masker) for part in text.split("\0"))
    if "-----begin" in low:
        text = _private_keys(text, masker)
    text = _named_values(text, _lower(text), masker)
    low = _lower(text)
    if "value" in low and "name" in low:
        text = _SIBLING.sub(lambda m: _sibling(m, masker), text)
        text = _SIBLING_REVERSED.sub(lambda m: _sibling(m, masker), text)
    if "@" in text:
        text = _URL_CREDS.sub(_secret_part("password", masker), text)
        text = _URL_USER_TOKEN.sub(_secret_part("token", masker), text)
        if "proxy" in low:
            text = _PROXY_NO_SCHEME.sub(_secret_part("password", masker), text)
        if "-x" in text:
            text = _CURL_X.sub(_secret_part("password", masker, after_space=True), text)
        text = _userinfo(text, masker)
    if "-u" in text or "-U" in text:
        text = _CLI_USER.sub(_secret_part("password", masker, after_space=True), text)
    if "code=" in low:
        text = _QUERY_CODE.sub(_secret_part("oauth-code", masker, after="?&"), text)
    if any(a in low for a in _COOKIE_ATTR_GATES):
        text = _SET_COOKIE_SHAPE.sub(_secret_part("cookie", masker, check=_not_an_attribute), text)
    if "bearer" in low:
        text = _BEARER.sub(_secret_part("bearer-token", masker, after_word=True, check=_not_a_parameter), text)
    if "basic" in low:
        text = _BASIC.sub(_secret_part("basic-auth", masker, after_word=True, check=_is_basic_credential), text)
    for spec in _TOKENS:
        if spec.literal in text:
            text = spec.pattern.sub(partial(_token, spec=spec, masker=masker), text)
    return text


def _secret_part(
    kind: str,
    masker: Masker,
    *,
    after: str | None = None,
    after_space: bool = False,
    after_word: bool = False,
    check: Callable[[str, re.Match[str]], bool] | None = None,
) -> Callable[[re.Match[str]], str]:
    """A substitution that masks group `val`, optionally only after a given kind of character."""

    def sub(m: re.Match[str]) -> str:
        val = m.group("val")
        before = m.string[m.start() - 1] if m.start() else ""
        if (
            not val
            or _PLACEHOLDER.search(val)
            or (check and not check(val, m))
            or (after is not None and (not before or before not in after))
            or (after_space and before and not before.isspace())
            or (after_word and before and (before.isalnum() or before in "_-"))
        ):
            return m.group(0)
        base = m.start()
        return m.group(0)[: m.start("val") - base] + _typed(val, kind, masker) + m.group(0)[m.end("val") - base :]

    return sub


def _token(m: re.Match[str], spec: _TokenSpec, masker: Masker) -> str:
    if m.start() and m.string[m.start() - 1] in _TOKEN_CHARS:
        return m.group(0)  # inside a longer word (`task-...`, `disk-...`)
    return m.group("pre") + masker(spec.kind, m.group(0))


def _not_an_attribute(val: str, m: re.Match[str]) -> bool:
    return m.group("pre")[:-1].lower() not in _COOKIE_ATTRS


def _not_a_parameter(val: str, m: re.Match[str]) -> bool:
    """`Bearer realm="x"` and `Bearer authorization_uri="..."` name parameters, not tokens."""
    after = m.string[m.end() : m.end() + 2]
    return not (val.endswith("=") and after[:1] == '"' and after[1:2].isalnum())


def _is_basic_credential(val: str, m: re.Match[str] | None = None) -> bool:
    """`Basic xyz` is a credential when xyz decodes to printable `user:password`."""
    try:
        raw = base64.b64decode(val + "=" * (-len(val) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in raw and sum(32 <= b < 127 for b in raw) >= len(raw) * 0.9


# ----------------------------------------------------------------- free-standing patterns

_URL_CREDS = lazy_regex(r"(?P<pre>://(?P<user>[^\s:/@'\"<>]*+):)(?P<val>[^\s/'\"<>]*)@")
_URL_USER_TOKEN = lazy_regex(r"(?P<pre>://)(?P<val>[A-Za-z0-9_\-.~%]{16,}+)@")
_PROXY_NO_SCHEME = lazy_regex(
    r"""(?i)(?P<pre>proxy(?:["']?[ \t]*[:=][ \t]*["']?|[ \t]+)(?P<user>[^\s:/@'"]++):)(?P<val>[^\s/'"]*)@"""
)
_CURL_X = lazy_regex(r"""(?P<pre>-x[ \t]+["']?(?P<user>[^\s:/@'"]++):)(?P<val>[^\s/'"]*)@""")
_CLI_USER = lazy_regex(r"""(?P<pre>(?:-u|-U|--user|--proxy-user)[ \t]*["']?(?P<user>[^\s:"']*+):)(?P<val>[^\s"']+)""")
_QUERY_CODE = lazy_regex(r"(?P<pre>code=)(?P<val>[^&\s#\"']{8,})")
_BEARER = lazy_regex(r"(?i)(?P<pre>bearer[ \t]+)(?P<val>[A-Za-z0-9._~+/\-]{8,}+=*)(?![A-Za-z0-9._~+/=\-*<])")
# `name=value; Path=/; HttpOnly`: a Set-Cookie value even without its header (HAR, logs)
_SET_COOKIE_SHAPE = lazy_regex(
    r"(?i)(?P<pre>(?<![\w.\-])[\w.\-]{1,64}+=)(?P<val>[^;\s\"',]{1,4096}+)"
    r"(?=;[ \t]*(?:path|domain|expires|max-age|httponly|secure|samesite)\b)"
)
_COOKIE_ATTR_GATES = ("; path", ";path", "; domain", "; expires", "; max-age", "; httponly", "; secure", "; samesite")
# `user:password@host` with no scheme (proxy values, k8s, PowerShell lists): matched backwards from each `@`
_USERINFO = lazy_regex(r"(?<![\w/:@.%+\-])[A-Za-z0-9_%][\w.%+\-]{0,63}+:(?P<val>[^\s:/@'\"<>]{1,128}+)\Z")
_HOST_START = lazy_regex(r"[A-Za-z0-9\[]")
_BASIC = lazy_regex(r"(?i)(?P<pre>basic[ \t]+)(?P<val>[A-Za-z0-9+/]{8,}+={0,2})(?![A-Za-z0-9+/=*<])")

# `{"name": "x-api-key", "value": "..."}` (HAR, k8s, PowerShell Format-List), on one line or two.
_VALUE = r"""(?:"(?:[^"\\\r\n]|\\.)*+"|'(?:[^'\r\n])*+'|[^\s"',}\]][^\r\n,}\]]*)"""
_SIBLING = lazy_regex(
    rf"""(?ix)(?<![\w\-])(?P<q1>["']?)name(?P=q1)[ \t]*[:=][ \t]*(?P<q2>["']?)(?P<name>[A-Za-z0-9_.\-]{{1,100}}+)(?P=q2)
    [ \t]*,?[ \t]*(?:\r?\n[ \t]*(?:-[ \t]*)?)?
    (?P<q3>["']?)value(?P=q3)[ \t]*[:=][ \t]*(?P<val>{_VALUE})"""
)
_SIBLING_REVERSED = lazy_regex(
    r"""(?ix)(?<![\w\-])(?P<q3>["']?)value(?P=q3)[ \t]*[:=][ \t]*(?P<val>"(?:[^"\\\r\n]|\\.)*+"|'[^'\r\n]*+')
    [ \t]*,[ \t]*(?P<q1>["']?)name(?P=q1)[ \t]*[:=][ \t]*(?P<q2>["']?)(?P<name>[A-Za-z0-9_.\-]{1,100}+)"""
)


def _userinfo(text: str, masker: Masker) -> str:
    out, pos = [], 0
    at = text.find("@")
    while at >= 0:
        if _HOST_START.match(text, at + 1):
            m = _USERINFO.search(text, max(pos, at - 200), at)
            if m and not _PLACEHOLDER.search(m.group("val")):
                out.append(text[pos : m.start("val")])
                out.append(_typed(m.group("val"), "password", masker))
                pos = at
        at = text.find("@", at + 1)
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


def _sibling(m: re.Match[str], masker: Masker) -> str:
    masked = _mask_named(m.group("name"), m.group("val"), masker, strict=True)
    if masked is None:
        return m.group(0)
    base = m.start()
    return m.group(0)[: m.start("val") - base] + masked + m.group(0)[m.end("val") - base :]


# ----------------------------------------------------------------- private keys

_PEM_BEGIN = lazy_regex(r"-----BEGIN (?P<t>(?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?)-----")
_PEM_BODY = lazy_regex(r"[A-Za-z0-9+/=\s\\:,.\-]*")
_EDGE_START = lazy_regex(r"(?:\s|\\n)*")
_EDGE_END = lazy_regex(r"(?:\s|\\n)*$")
PEM_MAX = 32 * 1024


def _private_keys(text: str, masker: Masker) -> str:
    """Mask the body of PEM private keys (`\\n`-escaped in JSON too); the markers stay."""
    out, pos = [], 0
    for m in _PEM_BEGIN.finditer(text):
        if m.start() < pos:
            continue
        end = text.find(f"-----END {m.group('t')}-----", m.end(), m.end() + PEM_MAX)
        if end < 0:
            pem = _PEM_BODY.match(text, m.end(), min(len(text), m.end() + PEM_MAX))
            assert pem is not None  # `[...]*` matches anywhere
            end = pem.end()
        body = text[m.end() : end]
        edge_start = _EDGE_START.match(body)
        assert edge_start is not None  # `(?:...)*`: matches anywhere
        lead = edge_start.end()
        edge_end = _EDGE_END.search(body, lead)
        assert edge_end is not None  # `(?:...)*$`: matches at the end at least
        trail = max(lead, edge_end.start())
        out.append(text[pos : m.end()])
        core = body[lead:trail]
        # one token for the key; its line breaks stay, so later line numbers do not move
        out.append(body[:lead] + masker("private-key", core) + "\n" * core.count("\n") + body[trail:] if core else body)
        pos = end
    if not out:
        return text
    out.append(text[pos:])
    return "".join(out)


# ----------------------------------------------------------------- named values

# Words every secret name contains (see _SECRET_WORDS); each occurrence is a candidate name.
_NAME_WORDS = ("key", "token", "secret", "pass", "credential", "cookie", "auth", "pat", "sig", "session", "bearer")
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-")
_NAME_TAIL = lazy_regex(r"[A-Za-z0-9_.\-]*+")
_NAME_MAX = 120
_LINE_LEAD = lazy_regex(
    r"[ \t]*(?:(?:export|declare|typeset|local|readonly)(?:[ \t]+-[A-Za-z]+)*[ \t]+|set[ \t]+|\$env:)?"
)
_HEADER_LEAD = lazy_regex(r"[ \t]*(?:[>*<]|-|\d{4}:)?[ \t]*")
_ASSIGN = lazy_regex(r"[ \t]*=[ \t]*")
_TABLE_GAP = lazy_regex(r"[ \t]{2,}(?=[^\s=:])")
_CLI_GAP = lazy_regex(r"[ \t]+(?=[^\s\-])")
_SEP = lazy_regex(r"(?P<close>\\?[\"'])?[ \t]*(?P<op>=>|:=|=|:)[ \t]*")
_SHELL_VALUE = lazy_regex(
    r"""\$?"(?:[^"\\\r\n]|\\.)*+"?|\$?'(?:[^'\r\n]|'\\'')*+'?|[^\r\n]*?(?=[ \t]+\#|[ \t]*(?:\r|\n|$))"""
)
_QUOTED_VALUE = lazy_regex(
    r"""\\"(?:[^"\\\r\n]|\\[^"])*+\\"|"(?:[^"\\\r\n]|\\.)*+"|'(?:[^'\\\r\n]|\\.)*+'|\$'(?:[^'\\\r\n]|\\.)*+'"""
)
_BARE_VALUE = lazy_regex(r"""[^\s"',;}\]\)>&\[{][^\s"',;}\]\)>&]*+""")
_LINE_REST = lazy_regex(r"[^\r\n]*?(?=[ \t]+\#[ \t]|[ \t]*(?:\r|\n|$))")
_HEADER_VALUE = lazy_regex(r"""[^\r\n"'\]\\]+""")
_OPEN_QUOTE = lazy_regex(r"""\\?["']""")
_ENV_STRING_VALUE = {'"': lazy_regex(r'(?:[^"\\\r\n]|\\.)*+(?=")'), "'": lazy_regex(r"(?:[^'\\\r\n]|\\.)*+(?=')")}
_INLINE_COMMENT = lazy_regex(r"[ \t]+#")
_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie", "cookies"})


def _candidates(low: str) -> Iterator[int]:
    """Start positions of every secret word in the lower-cased text, in order."""
    hits: list[int] = []
    for word in _NAME_WORDS:
        i = low.find(word)
        while i >= 0:
            hits.append(i)
            i = low.find(word, i + 1)
    hits.sort()
    return iter(hits)


def _named_values(text: str, low: str, masker: Masker) -> str:
    """Mask values held by secret names, in every assignment shape a capture holds."""
    edits: list[tuple[int, int, str]] = []
    done = -1  # no candidate before this offset is looked at again
    for hit in _candidates(low):
        if hit < done:
            continue
        start = hit
        while start > 0 and hit - start < _NAME_MAX and text[start - 1] in _NAME_CHARS:
            start -= 1
        tail = _NAME_TAIL.match(text, hit)
        assert tail is not None  # `[...]*+` matches anywhere
        end = tail.end()
        done = end
        name = text[start:end]
        if not is_secret_name(name):
            continue
        edit = _value_edit(text, start, end, name, masker)
        if edit is not None:
            edits.append(edit)
            done = max(done, edit[1])
    if not edits:
        return text
    out, pos = [], 0
    for a, b, new in edits:
        out.append(text[pos:a])
        out.append(new)
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _value_edit(text: str, start: int, end: int, name: str, masker: Masker) -> tuple[int, int, str] | None:
    """(start, end, replacement) of the value `name` holds at this place, if it needs masking."""
    line_start = text.rfind("\n", 0, start) + 1
    at_line_start = _LINE_LEAD.fullmatch(text, line_start, start) is not None
    before = text[start - 1] if start else ""
    lname = name.lower().lstrip("-")
    # "NAME=value" strings: docker/podman inspect `Env`, Python lists
    if before in "\"'" and before and text.startswith("=", end):
        m = _ENV_STRING_VALUE[before].match(text, end + 1)
        return _env_string_edit(name, m, masker) if m else None
    # NAME=value lines: env, export, declare -x, set, $env:, .env
    if at_line_start:
        m = _ASSIGN.match(text, end)
        if m:
            return _edit(name, _SHELL_VALUE.match(text, m.end()), masker, strict=True)
        if start == line_start:  # PowerShell `Get-ChildItem Env:` table
            m = _TABLE_GAP.match(text, end)
            if m:
                return _edit(name, _LINE_REST.match(text, m.end()), masker, strict=True)
    # --token VALUE on a command line
    if name.startswith("-") and (not before or before.isspace()):
        m = _CLI_GAP.match(text, end)
        if m:
            v = _QUOTED_VALUE.match(text, m.end()) or _BARE_VALUE.match(text, m.end())
            return _edit(name, v, masker, strict=True) if v else None
    sep = _SEP.match(text, end)
    if sep is None:
        return None
    pos = sep.end()
    if text.startswith(("[", "{"), pos):
        close, _ = _balanced_end(text, pos)
        return pos, close, _mask_strings(text[pos:close], masker, _kind_of_name(name))
    if lname in _AUTH_HEADERS or lname in _COOKIE_HEADERS:
        return _header_edit(text, pos, lname, masker)
    quoted = _QUOTED_VALUE.match(text, pos)
    if quoted:
        return _edit(name, quoted, masker, strict=True)
    header_line = sep.group("op") == ":" and _HEADER_LEAD.fullmatch(text, line_start, start) is not None
    if header_line:  # `x-api-key: value`, YAML `password: value`: the rest of the line
        strict = len(_words(name)) > 1 or _is_password_name(name)  # a bare `key:`/`token:` may be prose
        return _edit(name, _LINE_REST.match(text, pos), masker, strict=strict)
    bare = _BARE_VALUE.match(text, pos)
    return _edit(name, bare, masker, strict=sep.group("op") != ":") if bare else None


def _edit(name: str, m: re.Match[str] | None, masker: Masker, strict: bool) -> tuple[int, int, str] | None:
    if m is None or m.end() == m.start():
        return None
    masked = _mask_named(name, m.group(0), masker, strict)
    return None if masked is None else (m.start(), m.end(), masked)


def _env_string_edit(name: str, m: re.Match[str], masker: Masker) -> tuple[int, int, str] | None:
    """A ` # comment` docker kept inside the value stays readable (it is a diagnosis)."""
    val = m.group(0)
    comment = _INLINE_COMMENT.search(val)
    secret = val[: comment.start()] if comment else val
    masked = _mask_named(name, secret, masker, strict=True)
    return None if masked is None else (m.start(), m.start() + len(secret), masked)


def _header_edit(text: str, pos: int, lname: str, masker: Masker) -> tuple[int, int, str] | None:
    """Authorization and cookie headers: the whole value, up to a quote, `]` or the line end."""
    opening = _OPEN_QUOTE.match(text, pos)
    if opening:
        pos = opening.end()
    m = _HEADER_VALUE.match(text, pos)
    if m is None:
        return None
    raw = m.group(0)
    value = raw.strip()
    if not value:
        return None
    lead = raw[: len(raw) - len(raw.lstrip())]
    if lname in _COOKIE_HEADERS:
        masked = _cookie_pairs(value, masker)
    elif _PLACEHOLDER.search(value):
        masked = value  # masked already; the edit still claims the value, so a second pass agrees
    else:
        masked = _typed(value, "authorization", masker)
    return m.start(), m.start() + len(raw.rstrip()), lead + masked


_COOKIE_PAIR = lazy_regex(r"(?P<name>[^=;,\s]++)[ \t]*=(?P<val>[^;]*)")
_COOKIE_ATTRS = frozenset(
    {
        "path",
        "domain",
        "expires",
        "max-age",
        "samesite",
        "secure",
        "httponly",
        "priority",
        "partitioned",
        "version",
        "comment",
    }
)


def _cookie_pairs(raw: str, masker: Masker) -> str:
    """Keep cookie names and Set-Cookie attributes; mask each cookie's value."""

    def pair(p: re.Match[str]) -> str:
        name, val = p.group("name"), p.group("val")
        if name.lower() in _COOKIE_ATTRS or not val.strip() or _PLACEHOLDER.search(val):
            return p.group(0)
        return p.group(0)[: p.start("val") - p.start()] + masker("cookie", val.strip())

    masked = _COOKIE_PAIR.sub(pair, raw)
    if masked == raw and raw.strip() and not _PLACEHOLDER.search(raw):
        masked = masker("cookie", raw.strip())  # a bare value with no name=value pairs
    return masked


STRUCT_MAX = 64 * 1024
_KEEP_IN_STRUCT = frozenset(
    {
        "name",
        "path",
        "domain",
        "expires",
        "samesite",
        "httponly",
        "secure",
        "comment",
        "type",
        "expiresat",
        "expires_at",
        "scopes",
        "subscriptiontype",
    }
)
_STRING_IN_STRUCT = lazy_regex(r"""(?P<q>["'])(?P<s>(?:(?!(?P=q))[^\\\r\n]|\\.)*+)(?P=q)(?P<key>[ \t]*:)?""")


def _balanced_end(text: str, start: int) -> tuple[int, bool]:
    """(end, closed) of the bracketed value at `start`; unclosed ends at the scan limit."""
    close = closing_index(text, start, limit=STRUCT_MAX)
    if close is None:
        return min(len(text), start + STRUCT_MAX), False
    return close + 1, True


def _mask_strings(chunk: str, masker: Masker, kind: str) -> str:
    """Mask the string values in a bracketed value held by a secret name (`"cookies": [...]`);
    keys and a few descriptive members (a cookie's name, path, domain) stay."""
    last_key = ""

    def sub(m: re.Match[str]) -> str:
        nonlocal last_key
        if m.group("key"):
            last_key = m.group("s").lower()
            return m.group(0)
        s = m.group("s")
        if last_key in _KEEP_IN_STRUCT or not _needs_mask(s, False):
            return m.group(0)
        return m.group("q") + _typed(s, kind, masker) + m.group("q")

    return _STRING_IN_STRUCT.sub(sub, chunk)


# ----------------------------------------------------------------- a stream of lines

LINES_BLOCK = 2000  # lines redacted together, so a secret split over lines is seen whole
LINES_BLOCK_CHARS = 1024 * 1024


def redact_lines(lines: Iterable[str], masker: Masker = plain_mask) -> Iterator[str]:
    """Redact a stream of physical lines (no line ends), one line out for each line in.

    A line alone cannot show that `value: hunter2` belongs to `- name: DB_PASSWORD` on the
    line before, or that a base64 line is the body of a private key: lines are redacted in
    blocks, and a block never ends inside such a construct. Use it wherever input lines
    are shown with their neighbours (report context) rather than redacting line by line."""
    pending: list[str] = []
    size = 0
    for line in lines:
        pending.append(line)
        size += len(line) + 1
        if len(pending) >= LINES_BLOCK or size >= LINES_BLOCK_CHARS:
            keep = _held_back(pending)
            yield from _redact_block(pending[: len(pending) - keep], masker)
            pending = pending[len(pending) - keep :]
            size = sum(len(x) + 1 for x in pending)
    yield from _redact_block(pending, masker)


def _held_back(lines: list[str]) -> int:
    """How many trailing lines start a construct that may continue in the next block."""
    text = "\n".join(lines) + "\n"
    tail = unfinished_tail(text)
    if tail is None:
        return 0
    keep = text.count("\n", tail)
    return keep if keep <= len(lines) // 2 else 0  # a construct longer than half a block is cut


def _redact_block(lines: list[str], masker: Masker) -> list[str]:
    if not lines:
        return []
    out = redact_with("\n".join(lines), masker).split("\n")
    return out if len(out) == len(lines) else [redact_with(line, masker) for line in lines]


# ----------------------------------------------------------------- where a text may be cut

_STRUCT_OPEN = lazy_regex(r"[:=][ \t]*[\[{]")
_NAME_BEFORE = lazy_regex(r"""(?r)(?P<name>[A-Za-z0-9_.\-]{1,120}+)(?:\\?["'])?[ \t]*\Z""")
_NAME_LINE = lazy_regex(
    r"""(?i)(?:^|[\s{,])["']?name["']?[ \t]*[:=][ \t]*["']?[A-Za-z0-9_.\-]+["']?[ \t]*,?[ \t]*\r?$"""
)


def unfinished_tail(text: str) -> int | None:
    """Where a construct that continues past the end of `text` starts, so a streaming caller
    can cut before it: a private key without its END marker, a secret-named bracketed value
    not yet closed, or a last `name:` line whose `value:` is on the next line. None when safe."""
    cut: int | None = None
    window = max(0, len(text) - PEM_MAX)
    for m in _PEM_BEGIN.finditer(text, window):
        if text.find(f"-----END {m.group('t')}-----", m.end()) < 0:
            cut = m.start()
            break
    window = max(0, len(text) - STRUCT_MAX)
    for m in _STRUCT_OPEN.finditer(text, window):
        name = _NAME_BEFORE.search(text, max(0, m.start() - 130), m.start())
        if name and is_secret_name(name.group("name")) and not _balanced_end(text, m.end() - 1)[1]:
            cut = name.start() if cut is None else min(cut, name.start())
            break
    body = text.rstrip("\r\n")
    last = body.rfind("\n") + 1
    if _NAME_LINE.search(body, last):
        cut = last if cut is None else min(cut, last)
    return None if cut is None else text.rfind("\n", 0, cut) + 1  # from the start of its line
