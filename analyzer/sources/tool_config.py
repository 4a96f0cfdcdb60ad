"""Proxy/TLS settings of other tools and of the OS (formats.md section 3.3).

- npm: `npm config list` (ini-like sections `; "user" config from /home/dev/.npmrc`,
  `key = "json value"`, overridden values commented `; proxy = "..." ; overridden by env`,
  `; node version = v20.20.2` trailer), `npm config list --json` (one flat object),
  `npm config get KEY` (a command line, then the bare value), `.npmrc` lines.
  npm settings do not apply to Claude Code at run time, only to installing it.
- git: `git config --list [--show-origin|--show-scope]` (TAB-separated origin/scope,
  `key=value`), `git config --get-regexp` (`key value`), `.gitconfig` sections.
  `https.proxy` is not a git setting (git ignores it): flagged ignored_by_tool.
- Windows: `netsh winhttp show proxy` (spacing around `:` varies; the server can be
  `host:port`, a URL or a per-scheme list `http=a:80;https=b:443`), `reg query ...
  Internet Settings` (`ProxyEnable REG_DWORD 0x1`) and `Get-ItemProperty` lists.
- macOS: `scutil --proxy` `<dictionary> { Key : Value }` blocks with nested `<array>`s.

Emits `config` (tool, key, value, scope/origin when shown) and `proxy` (via "config",
tool) for proxies that are switched on. Terminal tools do not read the OS settings: that
mismatch is for the rules to judge.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import regex

from ..lazy import lazy_scan_regex, lazy_sniff_regex
from ..model import Evidence, Location
from ..redact import MASK, is_secret_name
from ..textio import Doc
from .common import lazy_regex, split_url

SOURCE = "config"
MAX_JSON = 8 * 1024 * 1024

_PROMPT = lazy_regex(
    r"^\s*(?:[\w.\-]+@[\w.\-]+(?::\S*)?\s*[$#%]\s+|[\w~/.\-]{0,60}\s?[$%❯>]\s+|"
    r"PS\s[^>]{0,200}>\s*|[A-Za-z]:\\[^>]{0,200}>\s*)"
)

# npm
_NPM_SECTION = lazy_regex(r'^;\s*"(\w+)"\s+config\s+from\s+(.+?)\s*$')
_NPM_DEFAULTS = lazy_regex(r'^;\s*"default"\s+values')
_NPM_KV = lazy_regex(r"^(;\s*)?((?://|[A-Za-z@])[\w.:/@\-]*)\s*=\s*(.*?)(\s*;\s*overridden by (\w+))?\s*$")
_NPM_TRAILER = lazy_regex(r"^;\s*(node|npm) version\s*=\s*v?(\d+\.\d+\.\d+\S*)")
_NPM_CMD = lazy_regex(r"^npm\s+(?:config\s+)?get\s+([\w\-@:/.]+)\s*$")
_NPM_PROTECTED = lazy_regex(r"^npm (?:error|ERR!) The (\S+) option is protected")
_NPMRC_KEYS = lazy_regex(
    r"^(?:https?-proxy|proxy|noproxy|no-proxy|strict-ssl|cafile|ca|registry|"
    r"//[^=]+:_authToken)\s*="
)
_NPM_PROXY_KEYS = {"proxy", "https-proxy", "http-proxy"}

# git
_GIT_SCOPES = ("global", "local", "system", "worktree", "command")
_GIT_ORIGIN = r"(?:file:[^\t]*|command line:|blob:[^\t]*|standard input:)"
_GIT_SCOPED = lazy_regex(rf"^({'|'.join(_GIT_SCOPES)})\t({_GIT_ORIGIN})\t(.*)$")
_GIT_ORIGINED = lazy_regex(rf"^({_GIT_ORIGIN})\t(.*)$")
_GIT_KEY = lazy_regex(
    r"^((?:core|user|http|https|remote|branch|credential|init|url|pull|push|safe|"
    r"include|includeIf|gpg|commit|color|alias|diff|merge|fetch|filter|lfs|submodule|"
    r"protocol|pack|gc|advice|sequence|rerere|tag|log|status|help|am|apply|feature|"
    r"maintenance|sendemail|transfer|uploadpack|receive|web|instaweb)\.\S*?[A-Za-z0-9\-])"
    r"(?:=(.*)|\s+(.*)|)$"
)
_GIT_CMD = lazy_regex(r"^git\s+config\b(.*)$")
_GIT_SECTION = lazy_regex(r'^\s*\[([A-Za-z][\w\-]*)(?:\s+"([^"]*)")?\]\s*$')
_GIT_INI_KV = lazy_regex(r"^\s*([A-Za-z][\w\-]*)\s*=\s*(.*?)\s*$")

# Windows
_NETSH_HEAD = lazy_regex(r"^\s*Current WinHTTP proxy settings:", regex.IGNORECASE)
_NETSH_DIRECT = lazy_regex(r"^\s*Direct access \(no proxy server\)", regex.IGNORECASE)
_NETSH_SERVER = lazy_regex(r"^\s*Proxy Server\(s\)\s*:\s*(.*?)\s*$", regex.IGNORECASE)
_NETSH_BYPASS = lazy_regex(r"^\s*Bypass List\s*:\s*(.*?)\s*$", regex.IGNORECASE)
_REG_HEAD = lazy_regex(r"^\s*HKEY_[A-Z_]+\\")
_REG_VALUE = lazy_regex(r"^\s+(\w+)\s+(REG_\w+)\s+(.*?)\s*$")
_PS_PROP = lazy_regex(r"^(ProxyEnable|ProxyServer|ProxyOverride|AutoConfigURL|AutoDetect|MigrateProxy)\s*:\s*(.*?)\s*$")
_REG_KEYS = {"ProxyEnable", "ProxyServer", "ProxyOverride", "AutoConfigURL", "AutoDetect"}

# macOS
_SCUTIL_OPEN = lazy_regex(r"^\s*<dictionary>\s*\{\s*$")
_SCUTIL_KV = lazy_regex(r"^\s*(\w+)\s*:\s*(.*?)\s*$")
_SCUTIL_NESTED = lazy_regex(r"^\s*(\w+)\s*:\s*<(?:array|dictionary)>\s*\{\s*$")

# Sniff
_S_NPM = lazy_sniff_regex(
    r'(?m)^;\s*"(?:user|global|project|env|cli|builtin)"\s+config\s+from\s|^;\s*npm version\s*=|'
    r"^npm (?:error|ERR!) The \S+ option is protected|(?:^|[\s$>])npm\s+config\s+(?:get|list|ls)\b"
)
_S_NPM_JSON = lazy_regex(r'"registry"\s*:')
_S_NPM_JSON2 = lazy_regex(r'"(?:strict-ssl|https-proxy|noproxy|cafile|fetch-retries)"\s*:')
_S_GIT = lazy_sniff_regex(
    rf"(?m)^(?:(?:{'|'.join(_GIT_SCOPES)})\t)?{_GIT_ORIGIN}\t\S|"
    r"(?:^|[\s$>])git\s+config\s+(?:--global\s+|--system\s+|--local\s+)*(?:--list|-l|--get|--get-regexp|--show-origin|--show-scope)\b"
)
_S_GIT_LIST = lazy_regex(r"(?m)^(?:http|https|core|user|remote|credential)\.[\w.:/\-]*[=\s]")
_S_GITCONFIG = lazy_scan_regex(r'(?m)^\s*\[(?:http|https)(?:\s+"[^"]*")?\]\s*$')
_S_NETSH = lazy_scan_regex(r"(?mi)^\s*Current WinHTTP proxy settings:")
_S_SCUTIL = lazy_scan_regex(r"(?m)^\s*<dictionary>\s*\{\s*$")
_S_SCUTIL_KEY = lazy_regex(
    r"(?m)^\s*(?:HTTPEnable|HTTPSEnable|SOCKSEnable|ProxyAutoConfigEnable|ExceptionsList|"
    r"ExcludeSimpleHostnames|ProxyAutoDiscoveryEnable|FTPPassive)\s*:"
)
_S_REG = lazy_sniff_regex(
    r"(?m)^\s+(?:ProxyEnable|ProxyServer|ProxyOverride|AutoConfigURL)\s+REG_\w+|"
    r"^(?:ProxyEnable|ProxyServer|AutoConfigURL)\s*:\s*\S"
)


# Big files reach this parser through a sparse view (textio.LineGate): the lines holding one of
# these literals, each with the lines after it that belong to the same block (an npm section,
# a git section, a registry key, an scutil dictionary).
TRIGGERS: dict[str, int] = {
    **dict.fromkeys(
        (
            "proxy",
            "Proxy",
            "PROXY",
            "registry",
            "strict-ssl",
            "cafile",
            "ca =",
            "ca=",
            "cert",
            "noproxy",
            "sslVerify",
            "sslverify",
            "sslCAInfo",
            "sslcainfo",
            "sslBackend",
            "sslbackend",
            "http.",
            "https.",
            "node version",
            "npm version",
            "npm ",
            "REG_",
            "AutoConfig",
            "AutoDetect",
            "Bypass",
            "Direct access",
            "Exceptions",
        ),
        3,
    ),
    **dict.fromkeys(
        (
            '; "',
            "git config",
            "file:",
            "command line:",
            "standard input:",
            "blob:",
            "[http",
            "[https",
            "WinHTTP",
            "HKEY_",
        ),
        30,
    ),
    "<dictionary>": 60,
}
INTEREST = TRIGGERS  # rare in a big log: read at every construct, as before


def sniff(head: str) -> bool:
    body = head.lstrip("\ufeff")
    if body.lstrip().startswith("{"):
        return bool(_S_NPM_JSON.search(body) and _S_NPM_JSON2.search(body) and '"log"' not in body[:2000])
    if _S_NPM.search(body) or _S_GIT.search(body) or _S_NETSH.search(body) or _S_REG.search(body):
        return True
    if _S_SCUTIL.search(body) and _S_SCUTIL_KEY.search(body):
        return True
    if len(_S_GIT_LIST.findall(body)) >= 2 or _S_GITCONFIG.search(body):
        return True
    return sum(1 for ln in body.split("\n")[:200] if _NPMRC_KEYS.match(ln)) >= 2


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    if doc.head.lstrip("\ufeff").lstrip().startswith("{"):
        yield from _npm_json(doc)
    else:
        yield from _Lines(doc).run()


# --------------------------------------------------------------------------- emitting


def _config(doc: Doc, line: int | None, text: str, tool: str, key: str | None, value: str | None, **extra) -> Evidence:
    return Evidence.make(
        SOURCE, "config", text, Location(doc.path, line=line), tool=tool, key=key, value=value, **extra
    )


def _proxy(
    doc: Doc,
    line: int | None,
    text: str,
    tool: str,
    value: str,
    key: str | None = None,
    default_scheme: str | None = None,
    **extra,
) -> Evidence | None:
    """A `proxy` record for a configured proxy value (`host:port`, URL, `[::1]:8080`)."""
    value = value.strip().strip('"')
    if not value or value.lower() in ("null", "none", "(none)", "false"):
        return None
    parts = split_url(value)
    missing = None
    if not parts:
        hp = regex.match(r"^(?:[^@/\s]*@)?\[?([A-Za-z0-9.\-:_]+?)\]?(?::(\d{1,5}))?/?$", value)
        if not hp:
            return None
        parts = {
            "host": hp.group(1).lower(),
            "port": int(hp.group(2)) if hp.group(2) else None,
            "scheme": default_scheme,
        }
        missing = default_scheme is None or None
    return Evidence.make(
        SOURCE,
        "proxy",
        text,
        Location(doc.path, line=line),
        url=value,
        scheme=parts.get("scheme"),
        host=parts.get("host"),
        port=parts.get("port"),
        via="config",
        tool=tool,
        variable=key,
        missing_scheme=missing,
        **extra,
    )


def _secret_key(key: str) -> bool:
    low = key.lower()
    return is_secret_name(key) or any(s in low for s in ("_auth", "authtoken", "password", "token", "keyfile"))


def _npm_value(raw: str) -> str:
    raw = raw.strip()
    try:
        value = json.loads(raw)
    except ValueError:
        return raw.strip('"')
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _npm_json(doc: Doc) -> Iterator[Evidence]:
    """`npm config list --json`: report the proxy/TLS keys, with the line each is on."""
    text = doc.text(limit=MAX_JSON)
    for n, line in enumerate(text.split("\n"), start=1):
        m = regex.match(r'^\s*"([\w\-]+)"\s*:\s*(.*?),?\s*$', line)
        if not m or m.group(1) not in _NPM_INTERESTING:
            continue
        raw = m.group(2)
        if raw in ("[", "{"):  # a pretty-printed array: read the next lines
            items = []
            for nxt in text.split("\n")[n : n + 50]:
                if nxt.strip().startswith("]"):
                    break
                items.append(nxt.strip().rstrip(","))
            raw = "[" + ",".join(items) + "]"
        value = _npm_value(raw)
        yield _config(doc, n, line.strip(), "npm", m.group(1), value)
        if m.group(1) in _NPM_PROXY_KEYS:
            p = _proxy(doc, n, line.strip(), "npm", value, m.group(1))
            if p:
                yield p


_NPM_INTERESTING = {
    "proxy",
    "https-proxy",
    "http-proxy",
    "noproxy",
    "no-proxy",
    "strict-ssl",
    "cafile",
    "ca",
    "registry",
    "cert",
    "user-agent",
}


# --------------------------------------------------------------------------- line formats


class _Lines:
    def __init__(self, doc: Doc):
        self.doc = doc
        self.npm_scope: str | None = None
        self.npm_origin: str | None = None
        self.npm_get: str | None = None  # key of a preceding `npm config get KEY`
        self.git_get: str | None = None  # key of a preceding `git config --get KEY`
        self.git_section: str | None = None
        self.netsh = False
        self.reg: dict | None = None  # values of one registry key / Get-ItemProperty block
        self.scutil: dict | None = None
        self.scutil_array: str | None = None
        self.scutil_depth = 0

    def run(self) -> Iterator[Evidence]:
        for number, raw in self.doc.numbered():
            yield from self._line(number, raw.replace("\r", ""))
        yield from self._flush_reg()
        yield from self._flush_scutil()

    def _line(self, n: int, line: str) -> Iterator[Evidence]:
        doc = self.doc
        stripped = line.strip()

        # macOS scutil --proxy
        if self.scutil is not None:
            if self.scutil_array is not None:  # inside a nested <array>/<dictionary>
                if stripped == "}":
                    self.scutil_depth -= 1
                    if self.scutil_depth == 0:
                        self.scutil_array = None
                elif stripped.endswith("{"):
                    self.scutil_depth += 1
                elif self.scutil_depth == 1:
                    m = _SCUTIL_KV.match(line)
                    if m:
                        self.scutil["items"][self.scutil_array].append(m.group(2))
                return
            if stripped == "}":
                yield from self._flush_scutil()
                return
            m = _SCUTIL_NESTED.match(line)
            if m:
                self.scutil_array, self.scutil_depth = m.group(1), 1
                self.scutil["items"][m.group(1)] = []
                self.scutil["lines"][m.group(1)] = (n, stripped)
                return
            m = _SCUTIL_KV.match(line)
            if m:
                self.scutil["values"][m.group(1)] = m.group(2)
                self.scutil["lines"][m.group(1)] = (n, stripped)
            return
        if _SCUTIL_OPEN.match(line):
            self.scutil = {"values": {}, "items": {}, "lines": {}}
            return

        # netsh winhttp show proxy
        if _NETSH_HEAD.match(line):
            self.netsh = True
            return
        if self.netsh:
            if _NETSH_DIRECT.match(line):
                yield _config(doc, n, stripped, "winhttp", "proxy", "direct")
                self.netsh = False
                return
            m = _NETSH_SERVER.match(line)
            if m:
                yield _config(doc, n, stripped, "winhttp", "proxy-server", m.group(1))
                yield from self._winhttp_proxies(n, stripped, m.group(1), "winhttp")
                return
            m = _NETSH_BYPASS.match(line)
            if m:
                yield _config(doc, n, stripped, "winhttp", "bypass-list", m.group(1))
                self.netsh = False
                return
            if stripped:
                self.netsh = False

        # reg query / Get-ItemProperty of Internet Settings
        if _REG_HEAD.match(line):
            yield from self._flush_reg()
            self.reg = {"values": {}, "lines": {}}
            return
        m = _REG_VALUE.match(line) if self.reg is not None else None
        m2 = _PS_PROP.match(line) if m is None else None
        if m or m2:
            if self.reg is None:
                self.reg = {"values": {}, "lines": {}}
            if m:
                key, value = m.group(1), m.group(3)
            else:
                assert m2 is not None  # m or m2
                key, value = m2.group(1), m2.group(2)
            self.reg["values"][key] = value
            self.reg["lines"][key] = (n, stripped)
            return
        if self.reg is not None and stripped and not regex.match(r"^\w+\s*:", stripped):
            yield from self._flush_reg()  # the end of a reg query / Get-ItemProperty block

        # .gitconfig sections (before npm: `proxy = ...` is valid in both)
        if self.git_section is not None or _GIT_SECTION.match(stripped):
            out = list(self._gitconfig(n, stripped))
            if out or self.git_section is not None:
                yield from out
                return

        # npm
        m = _NPM_SECTION.match(stripped)
        if m:
            self.npm_scope, self.npm_origin = m.group(1), m.group(2)
            return
        if _NPM_DEFAULTS.match(stripped):
            self.npm_scope, self.npm_origin = "default", None
            return
        m = _NPM_TRAILER.match(stripped)
        if m:
            yield Evidence.make(
                SOURCE, "client", stripped, Location(doc.path, line=n), name=m.group(1), version=m.group(2)
            )
            return
        m = _NPM_PROTECTED.match(stripped)
        if m:
            yield _config(doc, n, stripped, "npm", m.group(1), None, protected=True)
            return
        body = stripped[prompt.end() :] if (prompt := _PROMPT.match(stripped)) else stripped
        m = _NPM_CMD.match(body)
        if m:
            self.npm_get, self.git_get = m.group(1), None
            return
        if self.npm_get is not None:
            key, self.npm_get = self.npm_get, None
            if stripped and not stripped.startswith("npm "):
                value = _npm_value(stripped)
                yield _config(doc, n, stripped, "npm", key, value)
                if key in _NPM_PROXY_KEYS:
                    p = _proxy(doc, n, f"{key} = {stripped}", "npm", value, key)
                    if p:
                        yield p
                return
        if self.npm_scope is not None or _NPMRC_KEYS.match(stripped):
            m = _NPM_KV.match(stripped)
            # npm keys have no dots (git's `http.proxy=` lines may follow in the same paste)
            if m and ("." not in m.group(2) or m.group(2).startswith(("//", "@"))):
                yield from self._npm_kv(n, stripped, m)
                return

        # git
        m = _GIT_CMD.match(body)
        if m:
            get = regex.search(r"--get(?:-all)?\s+(\S+)", m.group(1))
            self.git_get = get.group(1).lower() if get else None
            return
        yield from self._git(n, line, stripped)

    # -- npm
    def _npm_kv(self, n: int, text: str, m: re.Match[str]) -> Iterator[Evidence]:
        commented, key, raw, overridden, by = m.groups()
        if commented and not overridden:
            return  # a comment line such as `; cwd = /home/dev/project`
        value = _npm_value(raw)
        if _secret_key(key):
            value = MASK
        scope = self.npm_scope or "npmrc"
        yield _config(self.doc, n, text, "npm", key, value, scope=scope, origin=self.npm_origin, overridden_by=by)
        if key in _NPM_PROXY_KEYS and not overridden:
            p = _proxy(self.doc, n, text, "npm", value, key, scope=scope)
            if p:
                yield p

    # -- git
    def _git(self, n: int, line: str, stripped: str) -> Iterator[Evidence]:
        scope = origin = None
        rest = line.strip("\n").lstrip()  # `--get-regexp` prints `key ` for an empty value
        m = _GIT_SCOPED.match(line)
        if m:
            scope, origin, rest = m.group(1), m.group(2), m.group(3)
        else:
            m = _GIT_ORIGINED.match(line)
            if m:
                origin, rest = m.group(1), m.group(2)
        m = _GIT_KEY.match(rest)
        if m:
            key, value = m.group(1), m.group(2) if m.group(2) is not None else (m.group(3) or "").strip()
        elif origin is not None:
            key, value = self.git_get, rest  # `--show-origin --get KEY` prints only the value
        else:
            return
        yield from self._git_pair(n, stripped, key, value, scope, origin)

    def _gitconfig(self, n: int, stripped: str) -> Iterator[Evidence]:
        """`.gitconfig` / `.git/config` ini sections."""
        m = _GIT_SECTION.match(stripped)
        if m:
            self.git_section = m.group(1).lower() + (f".{m.group(2)}" if m.group(2) is not None else "")
            return
        m = _GIT_INI_KV.match(stripped)
        if m and not stripped.startswith(("#", ";")):
            key = f"{self.git_section}.{m.group(1).lower()}"
            yield from self._git_pair(n, stripped, key, m.group(2).strip('"'), None, None)
        elif stripped and not stripped.startswith(("#", ";")):
            self.git_section = None  # not ini any more: let the other readers see the line

    def _git_pair(
        self, n: int, text: str, key: str | None, value: str, scope: str | None, origin: str | None
    ) -> Iterator[Evidence]:
        low = (key or "").lower()
        ignored = low == "https.proxy" or (low.startswith("https.") and low.endswith(".proxy")) or None
        yield _config(self.doc, n, text, "git", key, value, scope=scope, origin=origin, ignored_by_tool=ignored)
        if low.startswith("http.") and low.endswith(".proxy") and value.strip() and not ignored:
            p = _proxy(self.doc, n, text, "git", value, key, default_scheme="http", scope=scope)
            if p:
                yield p

    # -- Windows
    def _winhttp_proxies(self, n: int, text: str, value: str, tool: str) -> Iterator[Evidence]:
        """`host:port`, a URL, or `http=a:80;https=b:443` (one proxy per scheme)."""
        for part in regex.split(r"[;\s]+", value.strip()):
            if not part:
                continue
            target = None
            m = regex.match(r"^(https?|ftp|socks)=(.+)$", part, regex.IGNORECASE)
            if m:
                target, part = m.group(1).lower(), m.group(2)
            scheme = "socks" if target == "socks" else "http"
            p = _proxy(self.doc, n, text, tool, part, default_scheme=scheme, target=target)
            if p:
                yield p

    def _flush_reg(self) -> Iterator[Evidence]:
        if self.reg is None:
            return
        values, lines = self.reg["values"], self.reg["lines"]
        self.reg = None
        for key, value in values.items():
            if key not in _REG_KEYS:
                continue
            n, text = lines[key]
            yield _config(self.doc, n, text, "registry", key, value)
        enabled = values.get("ProxyEnable", "").strip().lower() in ("0x1", "1")
        if enabled and values.get("ProxyServer"):
            n, text = lines["ProxyServer"]
            yield from self._winhttp_proxies(n, text, values["ProxyServer"], "registry")
        if values.get("AutoConfigURL"):
            n, text = lines["AutoConfigURL"]
            yield Evidence.make(
                SOURCE,
                "proxy",
                text,
                Location(self.doc.path, line=n),
                url=values["AutoConfigURL"],
                via="config",
                tool="registry",
                pac=True,
            )

    # -- macOS
    def _flush_scutil(self) -> Iterator[Evidence]:
        if self.scutil is None:
            return
        values, items, lines = self.scutil["values"], self.scutil["items"], self.scutil["lines"]
        self.scutil, self.scutil_array = None, None
        for key, value in values.items():
            n, text = lines[key]
            yield _config(self.doc, n, text, "scutil", key, value)
        for key, vals in items.items():
            n, text = lines[key]
            yield _config(self.doc, n, text, "scutil", key, ",".join(vals))
        for proto, scheme in (("HTTP", "http"), ("HTTPS", "http"), ("SOCKS", "socks5")):
            if values.get(f"{proto}Enable") == "1" and values.get(f"{proto}Proxy"):
                n, text = lines[f"{proto}Proxy"]
                host, port = values[f"{proto}Proxy"], values.get(f"{proto}Port")
                url = f"{scheme}://{host}" + (f":{port}" if port else "")
                yield Evidence.make(
                    SOURCE,
                    "proxy",
                    text,
                    Location(self.doc.path, line=n),
                    url=url,
                    scheme=scheme,
                    host=host.lower(),
                    port=int(port) if port and port.isdigit() else None,
                    via="config",
                    tool="scutil",
                    target=proto.lower(),
                )
        if values.get("ProxyAutoConfigEnable") == "1" and values.get("ProxyAutoConfigURLString"):
            n, text = lines["ProxyAutoConfigURLString"]
            yield Evidence.make(
                SOURCE,
                "proxy",
                text,
                Location(self.doc.path, line=n),
                url=values["ProxyAutoConfigURLString"],
                via="config",
                tool="scutil",
                pac=True,
            )
