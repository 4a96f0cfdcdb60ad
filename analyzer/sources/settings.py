"""Claude Code settings files: `~/.claude/settings.json`, `.claude/settings.json`,
`.claude/settings.local.json`, `managed-settings.json` and the global `~/.claude.json`.

They are JSON, but what users paste is often JSONC (comments, trailing commas) or a
FRAGMENT: one `"apiKeyHelper": "/usr/local/bin/x"` line, or an `"env": { [...] "X": "1" },`
excerpt with an elision marker. So there is no `json.loads` here: a tolerant tokenizer reads
strings, scalars and brackets with their line numbers, skips anything else (comments,
`[...]`, `...`, stray words), and tracks the key path; a fragment is read as if it were the
inside of the top-level object.

Emits `env-var` (origin "settings") for each entry of the top-level `env` block (plus a
`proxy` for proxy variables) and `setting` for each top-level key. Values of credential
keys (primaryApiKey, oauthAccount, customApiKeyResponses, ...) are never emitted, and
containers (permissions, hooks, projects ...) are reported by key only.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterator

import regex

from .. import redact
from ..model import Evidence, Location
from ..textio import Doc
from .common import lazy_regex, split_url

SOURCE = "settings"
MAX_CHARS = 8 * 1024 * 1024  # ~/.claude.json grows with history; settings files are tiny

# Keys that only settings files have (quoted, followed by a colon).
_STRONG_KEYS = (
    "apiKeyHelper",
    "permissions",
    "hasCompletedOnboarding",
    "forceLoginMethod",
    "forceLoginOrgUUID",
    "awsAuthRefresh",
    "awsCredentialExport",
    "proxyAuthHelper",
    "customApiKeyResponses",
    "primaryApiKey",
    "oauthAccount",
    "includeCoAuthoredBy",
    "cleanupPeriodDays",
    "enableAllProjectMcpServers",
    "enabledMcpjsonServers",
    "disabledMcpjsonServers",
    "otelHeadersHelper",
    "statusLine",
    "outputStyle",
    "disableAllHooks",
    "enabledPlugins",
    "companyAnnouncements",
    "autoUpdates",
    "autoUpdaterStatus",
    "numStartups",
    "installMethod",
    "userID",
    "hasTrustDialogAccepted",
    "bypassPermissionsModeAccepted",
    "defaultMode",
    "additionalDirectories",
    "spinnerTipsEnabled",
    "alwaysThinkingEnabled",
    "apiKeyHelperTtlMs",
    "gcpAuthRefresh",
    "sandbox",
    "mcpServers",
    "hooks",
)
_KEY_LINE = lazy_regex(r'"(?:' + "|".join(_STRONG_KEYS) + r')"\s*:|"env"\s*:\s*\{')
# A bare excerpt of an env block: `"ANTHROPIC_BASE_URL": "https://..."` lines.
_ENV_LINE = lazy_regex(r'(?m)^\s*"(?:ANTHROPIC_|CLAUDE_|NODE_|DISABLE_|API_TIMEOUT|[A-Z_]*PROXY\b)[A-Z0-9_]*"\s*:\s*"')
_MODEL = lazy_regex(r'"model"\s*:\s*"')
# Other JSON documents that share a key with settings: HAR, docker inspect, k8s, API bodies.
_NOT_SETTINGS = lazy_regex(r'"log"\s*:\s*\{|"entries"\s*:|"Config"\s*:|"Env"\s*:|"apiVersion"\s*:')
_API_BODY = lazy_regex(r'"messages"\s*:|"max_tokens"\s*:|"type"\s*:|"choices"\s*:|"content"\s*:')
_ENV_NAME = lazy_regex(r"^[A-Z][A-Z0-9_]*$")

# Keys whose values are credentials or account data: report the key only.
_SECRET_KEYS = {
    "primaryApiKey",
    "oauthAccount",
    "customApiKeyResponses",
    "userID",
    "s1mAccessCache",
    "cachedStatsigGates",
    "oauthToken",
    "accessToken",
    "refreshToken",
}
_PROXY_VARS = {"https_proxy", "http_proxy", "all_proxy"}

_TOKEN = lazy_regex(
    r"""(?P<ws>\s+)
      | (?P<comment>//[^\n]*|/\*.*?(?:\*/|$)|\#[^\n]*)
      | (?P<str>"(?:[^"\\\n]|\\.)*")
      | (?P<open>[{\[])
      | (?P<close>[}\]])
      | (?P<colon>:)
      | (?P<comma>,)
      | (?P<scalar>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b|true\b|false\b|null\b)
      | (?P<junk>.)""",
    regex.VERBOSE | regex.DOTALL,
)


def sniff(head: str) -> bool:
    body = head.lstrip("\ufeff \t\r\n")
    if not body or body[0] not in '{"/':  # an object, a `"key":` fragment, or a JSONC comment
        return False
    if body.startswith("{") and _NOT_SETTINGS.search(body[:20000]):
        return False
    if _KEY_LINE.search(body):
        return True
    if body.startswith('"') and _ENV_LINE.search(body):
        return True
    # `"model"` is in every API request body too: those are excluded above.
    return bool(_MODEL.search(body)) and not _API_BODY.search(body[:20000])


def scope_of(path: str) -> str:
    """user | project | local | managed, guessed from the file name and folder."""
    p = path.replace("\\", "/").lower()
    name = posixpath.basename(p)
    if "managed" in name or "/etc/claude-code/" in p or "/library/application support/claudecode" in p:
        return "managed"
    if name.endswith(".local.json") or "settings.local" in name:
        return "local"
    if name == ".claude.json":
        return "user"
    parent = posixpath.basename(posixpath.dirname(p))
    if parent == ".claude":
        grand = posixpath.dirname(posixpath.dirname(p))
        if regex.search(r"(^|/)(home/[^/]+|users/[^/]+|root|~|[a-z]:/users/[^/]+)$", grand):
            return "user"
        if grand:
            return "project"
    return "user"


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    text = doc.text(limit=MAX_CHARS)
    scope = scope_of(doc.path)
    for path, value, line, raw in _pairs(text, max_depth=2):  # _emit reads top-level keys and env entries
        yield from _emit(doc, scope, path, value, line, raw)


def _pairs(text: str, max_depth: int | None = None) -> Iterator[tuple[tuple[str, ...], str | None, int, str]]:
    """(key path, scalar value or None for a container, line, source line) for every key
    whose path has at most `max_depth` parts.

    The key path leaves out anonymous containers (the root object, array items get "[]"),
    so `{"env": {"X": "1"}}` and the fragment `"env": {"X": "1"}` both give ("env", "X").
    """
    lines = text.split("\n")
    stack: list[str | None] = []  # one entry per open container: its key, "[]" or None
    names: list[str] = []  # the keys of `stack` that are not None, kept as it changes
    pending_key: str | None = None  # a string followed by ':'
    last_str: tuple[str, int] | None = None
    line = 1
    deepest = max_depth if max_depth is not None else float("inf")

    def named(extra: str) -> tuple[str, ...] | None:
        # deep keys are skipped without building their path (a 40,000-level file stays linear)
        return tuple(names) + (extra,) if len(names) < deepest else None

    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            line += m.group().count("\n")
            continue
        if kind == "junk":
            continue
        src = lines[line - 1] if line - 1 < len(lines) else ""
        if kind == "str":
            if pending_key is not None:
                path = named(pending_key)
                if path is not None:
                    yield path, _unquote(m.group()), line, src
                pending_key = None
                last_str = None
            else:
                last_str = (_unquote(m.group()), line)
        elif kind == "colon":
            if last_str is not None:
                pending_key = last_str[0]
                last_str = None
        elif kind == "scalar":
            if pending_key is not None:
                path = named(pending_key)
                if path is not None:
                    yield path, m.group(), line, src
                pending_key = None
            last_str = None
        elif kind == "open":
            if pending_key is not None:
                path = named(pending_key)
                if path is not None:
                    yield path, None, line, src
                stack.append(pending_key)
                names.append(pending_key)
            else:
                in_array = bool(stack) and stack[-1] == "[]"
                stack.append("[]" if m.group() == "[" or in_array else None)
                if stack[-1] is not None:
                    names.append("[]")
            pending_key = None
            last_str = None
        elif kind == "close":
            if stack and stack.pop() is not None:
                names.pop()
            pending_key = None
            last_str = None
        else:  # comma
            pending_key = None
            last_str = None


def _unquote(token: str) -> str:
    try:
        return json.loads(token)
    except ValueError:
        return token[1:-1]


def _emit(doc: Doc, scope: str, path: tuple[str, ...], value: str | None, line: int, src: str) -> Iterator[Evidence]:
    where = Location(doc.path, line=line)
    text = src.strip() or f'"{path[-1]}"'
    if len(path) == 1 and value is not None and _ENV_NAME.match(path[0]):
        path = ("env", path[0])  # an excerpt of the env block without its `"env": {` line
    if len(path) == 1:
        key = path[0]
        secret = key in _SECRET_KEYS or (redact.is_secret_name(key) and "helper" not in key.lower())
        yield Evidence.make(
            SOURCE,
            "setting",
            text,
            where,
            key=key,
            value=None if secret else value,
            scope=scope,
            container=value is None or None,
        )
    elif len(path) == 2 and path[0] == "env" and value is not None:
        name = path[1]
        yield Evidence.make(SOURCE, "env-var", text, where, name=name, value=value, origin="settings", scope=scope)
        if name.lower() in _PROXY_VARS and value.strip():
            yield _proxy(where, text, name, value.strip(), scope)


def _proxy(where: Location, text: str, name: str, value: str, scope: str) -> Evidence:
    parts = split_url(value)
    if not parts:  # `host:port` without a scheme
        hp = regex.match(r"^\[?([A-Za-z0-9.\-:]+?)\]?(?::(\d+))?/?$", value)
        parts = {"host": hp.group(1).lower(), "port": int(hp.group(2)) if hp and hp.group(2) else None} if hp else {}
        parts["missing_scheme"] = True
    return Evidence.make(
        SOURCE,
        "proxy",
        text,
        where,
        url=value,
        scheme=parts.get("scheme"),
        host=parts.get("host"),
        port=parts.get("port"),
        variable=name,
        via="env",
        origin="settings",
        scope=scope,
        missing_scheme=parts.get("missing_scheme"),
    )
