"""The one place that knows what a secret looks like.

Redaction keeps what matters for diagnosis (the kind of credential, its non-secret
prefix, the proxy host and port, the header name) and masks the rest. Every string that
reaches evidence, a report or an error message passes through `redact_text`.
"""
from __future__ import annotations

import regex

MASK = "***"

# Credential tokens with a recognisable prefix: keep the prefix, mask the body.
_PREFIXED = regex.compile(
    r"""
    (?P<pre>sk-ant-(?:api|oat|ort|admin)\d{2}-)[A-Za-z0-9_\-]{4,}     # Anthropic API/OAuth/admin keys
  | (?P<pre>sk-ant-)[A-Za-z0-9_\-]{8,}
  | (?P<pre>sk-(?:proj-|or-v1-|svcacct-)?)[A-Za-z0-9_\-]{16,}         # OpenAI/OpenRouter style
  | (?P<pre>(?:AKIA|ASIA)[A-Z0-9]{4})[A-Z0-9]{12}                     # AWS access key id
  | (?P<pre>AIza)[A-Za-z0-9_\-]{30,}                                   # Google API key
  | (?P<pre>ya29\.)[A-Za-z0-9_\-\.]{10,}                               # Google OAuth access token
  | (?P<pre>gh[pousr]_)[A-Za-z0-9]{20,}                                # GitHub tokens
  | (?P<pre>xox[abprs]-)[A-Za-z0-9\-]{10,}                             # Slack tokens
  | (?P<pre>eyJ)[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]*  # JWT
    """,
    regex.VERBOSE,
)

# Header-style secrets: keep the header name (and auth scheme), mask the value.
_HEADER = regex.compile(
    r"""(?ix)
    (?P<pre>\b(?:proxy-authorization|authorization)\s*[:=]\s*["']?(?:(?:basic|bearer|ntlm|negotiate|digest|token)\s+)?)
        (?P<val>[^\s"',;]+(?:[^\r\n"']*)?)
  | (?P<pre>\b(?:x-api-key|api-key|x-goog-api-key|anthropic-api-key|x-auth-token|x-amz-security-token)\s*[:=]\s*["']?)
        (?P<val>[^\s"',;]+)
  | (?P<pre>\b(?:set-)?cookie\s*:\s*)(?P<val>[^\r\n]+)
    """
)

# JSON/YAML/dict-style key: value pairs whose key names a secret.
_SECRET_NAME = r"[A-Za-z0-9_.\-]*(?:api[_-]?key|apikey|token|secret|passw(?:or)?d|passphrase|credential|private[_-]?key|session[_-]?key|access[_-]?key)[A-Za-z0-9_.\-]*"
_KEYVAL = regex.compile(
    rf"""(?ix)
    (?P<pre>["']?(?P<key>{_SECRET_NAME})["']?\s*(?:=|:|=>)\s*)
    (?:(?P<q>["'])(?P<val>[^"'\r\n]*)(?P=q) | (?P<val>[^\s"',;}}\]]+))
    """
)

# user:password@ inside URLs (proxy variables included).
_URL_CREDS = regex.compile(r"(?P<pre>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?P<user>[^\s:/@'\"]+):(?P<pw>[^\s@/'\"]+)@")

# AWS secret access keys and similar 40-char base64 blobs following a hint.
_AWS_SECRET = regex.compile(r"(?i)(?P<pre>aws_secret_access_key\s*[=:]\s*[\"']?)(?P<val>[A-Za-z0-9/+=]{20,})")

# Names of variables whose values are secret.
_SECRET_VAR = regex.compile(
    r"(?i)(?:_KEY$|_TOKEN$|_SECRET$|PASSWORD|PASSWD|PASSPHRASE|^API_KEY$|CREDENTIAL|_PAT$|COOKIE)"
)
_NOT_SECRET_VAR = regex.compile(r"(?i)(?:_KEY_HELPER|_TOKEN_URL|_TOKEN_FILE_DESCRIPTOR|_KEY_FILE_DESCRIPTOR|_TTL_MS$|_KEY_PATH$|_KEY_FILE$)")
_PROXY_VAR = regex.compile(r"(?i)(?:^|_)(?:https?|all|ftp|socks)_?proxy$|^proxy$|^https-proxy$")


def _keep_prefix(m: regex.Match) -> str:
    return m.group("pre") + MASK


_ALREADY = ("[REDACTED", "<redacted", "REDACTED", "<REDACTED")


def _mask_val(m: regex.Match) -> str:
    val = m.group("val")
    if MASK in val or val.startswith(_ALREADY):
        return m.group(0)
    return m.group("pre") + _typed_mask(val)


def _keyval(m: regex.Match) -> str:
    key = m.group("key").lower()
    val = m.group("val")
    # Names that merely mention a token but hold no secret (counts, limits, file paths).
    if any(s in key for s in ("tokens_", "_tokens", "token_count", "max_tokens", "tokens-", "-tokens", "helper", "file_descriptor", "token_url")):
        return m.group(0)
    if not val or MASK in val or val.startswith(_ALREADY) or val.lower() in {"true", "false", "null", "none", "undefined", "0", "1"}:
        return m.group(0)
    q = m.group("q") or ""
    return m.group("pre") + q + _typed_mask(val) + q


def _typed_mask(val: str) -> str:
    """Mask a secret value but keep a recognisable non-secret prefix."""
    m = _PREFIXED.match(val)
    if m:
        return m.group("pre") + MASK
    return MASK


def _url_creds(m: regex.Match) -> str:
    return f"{m.group('pre')}{m.group('user')}:{MASK}@"


def redact_text(text: str) -> str:
    """Mask every secret in free text; idempotent."""
    if not text:
        return text
    text = _URL_CREDS.sub(_url_creds, text)
    text = _HEADER.sub(_mask_val, text)
    text = _AWS_SECRET.sub(_mask_val, text)
    text = _KEYVAL.sub(_keyval, text)
    text = _PREFIXED.sub(_keep_prefix, text)
    return text


def is_secret_name(name: str) -> bool:
    name = name.strip()
    return bool(_SECRET_VAR.search(name)) and not _NOT_SECRET_VAR.search(name)


def redact_value(name: str, value: str) -> str:
    """Mask the value of a named variable or setting: secrets by name, and any secret inside."""
    if is_secret_name(name) and value and not value.startswith(MASK):
        return _typed_mask(value.strip().strip("'\""))
    return redact_text(value)
