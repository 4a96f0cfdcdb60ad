"""Environment dumps and variable assignments, in every shape a user pastes them.

Formats (reference: formats.md section 3.1):
- `env` / `printenv` / Windows `set` output: `NAME=value`, value raw after the first `=`.
  A raw newline in a value makes the next physical line a continuation that does NOT look
  like `NAME=`; we join such lines only when another `NAME=` line follows (inside a dump).
- `env -0` and `/proc/<pid>/environ`: NUL-separated, unambiguous; split on NUL ourselves so
  multi-line values stay whole (line numbers still count NULs as `Doc.lines()` does).
- bash `declare -x` / `export -p` ("..." with \\" \\\\ \\$ \\` escapes, `$'...'` ANSI-C with octal
  bytes), dash/POSIX `export -p` ('...' with '\\'' and literal newlines), zsh `export -p`
  (bare words, `$'...'` with \\M- / \\C- meta escapes, `export -T PATH path=( ... )`,
  `export -i10 SHLVL=1`).
- PowerShell `Get-ChildItem Env:` tables (values TRUNCATED with `...`/`…`: flagged) and
  `| Format-List` blocks.
- docker/podman inspect JSON (`Config.Env` string arrays), Kubernetes pod/deployment YAML
  (`env[]` with `value` or `valueFrom` -> value unknown, `envFrom[]`), `kubectl set env --list`.
- `.env` files, read as python-dotenv does, with flags where docker `--env-file` differs
  (quoted, inline_comment, spaced, export_prefix, multiline).
- Terminal pastes, scripts and issue bodies: the statements of POSIX shells, cmd, PowerShell,
  fish and csh, docker `-e`, Dockerfile `ENV` (the grammar is `shellvars`), and the maps a
  YAML `env:` key (GitHub Actions, origin "yaml") or a settings `"env": {` block (origin
  "settings") hold.

Every variable becomes an `env-var` (name as written, raw value; secrets are masked by
Evidence.make), proxy variables also a `proxy`. We never raise on odd input.
"""

from __future__ import annotations

import json
import posixpath
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import regex

if TYPE_CHECKING:
    import yaml

from ..lazy import lazy_scan_regex, lazy_sniff_regex
from ..model import Evidence, Location
from ..textio import Doc
from .common import lazy_regex, split_url
from .shellvars import (
    ASSIGN,
    CAPS,
    JSON_ENV_KEY,
    NAME,
    RELEVANT,
    YAML_ENV_KEY,
    Open,
    json_entries,
    shell_word,
    statement,
    yaml_entry,
)

SOURCE = "env"
MAX_STRUCTURED = 32 * 1024 * 1024  # docker inspect / k8s YAML are read whole, up to this
MAX_CONT_LINES = 50  # continuation lines joined to one unquoted value
MAX_QUOTED_LINES = 200  # lines an open quote may span before we give up

_ANSI = lazy_regex(r"\x1b\[[0-9;?]*[A-Za-z]")
_PROMPT = lazy_regex(
    r"""^\s*(?:
        (?:\([^)\s]{1,40}\)\s*)?
        (?: [\w.\-]+@[\w.\-]+(?::\S*)?\s*[$\#%]\s+       # user@host:~/dir$
          | (?:bash|sh|zsh|dash)-[\d.]+[$\#]\s+          # bash-5.2$
          | [\w~/.\-]{0,60}\s?[$%❯➜»>]\s+ )              # $ , % , ~/proj ❯ , >
      | PS\s[^>\n]{0,200}>\s*                            # PS C:\\Users\\dev>
      | [A-Za-z]:\\[^>\n]{0,200}>\s*                     # C:\\Users\\dev>
    )""",
    regex.VERBOSE,
)
_PLAIN = lazy_regex(rf"^({NAME}(?:\(x86\))?)=(.*)$", regex.DOTALL)
_DOTENV = lazy_regex(rf"^\s*(export\s+)?({NAME})(\s*)=(\s*)(.*)$", regex.DOTALL)
_PS_HEADER = lazy_regex(r"^\s*Name\s+Value\s*$")
_PS_RULE = lazy_regex(r"^\s*-{4}\s+-{5}")
_FL_NAME = lazy_regex(r"^Name\s*:\s*(\S.*?)\s*$")
_FL_VALUE = lazy_regex(r"^Value\s*:\s?(.*)$")
_K8S_LIST_HEAD = lazy_regex(
    r"^#\s+(?:Pod|Deployment|ReplicaSet|StatefulSet|DaemonSet|Job|CronJob|"
    r"ReplicationController|PodTemplate)\s+\S+,\s*container\s+\S+"
)
_K8S_LIST_REF = lazy_regex(
    rf"^#\s+({NAME})\s+from\s+(secret|configmap|field path|resource)\s+(\S+?)(?:,\s*key\s+(\S+))?\s*$"
)

_RELEVANT, _CAPS, _ASSIGN = RELEVANT, CAPS, ASSIGN
# Words that start the `=`-less forms (setx/setenv/fish set, bare export/declare, tables, lists, k8s).
_KEYWORDS = lazy_regex(
    r"(?i)\b(?:setx|setenv|set|export|declare|typeset)\s|^\s*(?:Name|Value)\b|^#\s|SetEnvironmentVariable"
)
_WINDOWS_NAMES = lazy_regex(
    r"(?m)^(?:ComSpec|COMSPEC|windir|SystemRoot|PATHEXT|ProgramFiles|USERPROFILE|"
    r"APPDATA|HOMEDRIVE)="
)
_PROXY_VARS = {"https_proxy", "http_proxy", "all_proxy"}
_NODE_UA = lazy_regex(r"\bnode/v?(\d+\.\d+\.\d+)")
_NPM_UA = lazy_regex(r"\bnpm/(\d+\.\d+\.\d+)")

# Big files reach this parser through a sparse view (textio.LineGate): the lines that name a
# variable the rules and derived facts read (proxy, Anthropic/Claude, Node/TLS, cloud, base
# URL, user) or use an assignment keyword, each with the lines after it that may continue it
# (a multi-line value, a table row, a Format-List value). Small files are read whole.
TRIGGERS: dict[str, int] = {
    **dict.fromkeys(
        (
            "PROXY",
            "proxy",
            "Proxy",
            "ANTHROPIC",
            "anthropic_",
            "CLAUDE",
            "NODE_",
            "SSL_",
            "CA_BUNDLE",
            "CA_CERT",
            "AWS_",
            "GOOGLE_",
            "VERTEX",
            "CLOUD_ML",
            "BUN_",
            "npm_config",
            "DISABLE_",
            "API_TIMEOUT",
            "BASE_URL",
            "base_url",
            "baseurl",
            "USER",
            "HOME=",
            "ComSpec",
            "windir",
            "SystemRoot",
        ),
        10,
    ),
    **dict.fromkeys(
        (
            "export ",
            "declare -",
            "typeset -",
            "setx ",
            "SETX ",
            "setenv ",
            "set ",
            "SET ",
            "set -",
            "$env:",
            "${env:",
            "$Env:",
            "SetEnvironmentVariable",
            "docker ",
            "podman ",
            "ENV ",
            "env:",
            '"env"',
            "\nenv ",
            "Name  ",
            "Name :",
            "Value :",
            "# Pod ",
            "# Deployment ",
            "# StatefulSet ",
            "# DaemonSet ",
            "# ReplicaSet ",
            "# Job ",
            "# CronJob ",
        ),
        10,
    ),
}
# The variables that steer a client's connection, wherever a big file sets them.
INTEREST: dict[str, tuple[int, int]] = dict.fromkeys(
    (
        "PROXY",
        "proxy=",
        "Proxy=",
        "ANTHROPIC",
        "CLAUDE_CODE",
        "NODE_EXTRA_CA",
        "NODE_TLS",
        "NODE_OPTIONS",
        "SSL_CERT",
        "CA_BUNDLE",
        "AWS_REGION",
        "AWS_PROFILE",
        "VERTEX",
        "CLOUD_ML",
        "BUN_",
        "DISABLE_",
        "API_TIMEOUT",
        "BASE_URL",
        "base_url",
    ),
    (2, 3),
)

# Sniff-only patterns.
_S_DECLARE = lazy_regex(rf"(?m)^(?:declare|typeset) -[A-Za-z]*x[A-Za-z]* {NAME}")
# A shell line that sets a variable, within 80 characters of the line start. One branch per
# command, each with the line start in front: a yes/no search tries just the branches whose
# command word the head holds (lazy_sniff_regex).
_SHELL_AT = r"^[^\n]{0,80}?(?:^|[\s>$%❯`])"
_S_SHELL = lazy_sniff_regex(
    "(?mi)"
    + "|".join(
        _SHELL_AT + branch
        for branch in (
            rf"export\s+(?:-\w+\s+)*{NAME}=",
            rf"export\s+-T\s+{NAME}",
            rf"setx\s+{NAME}\s",
            rf'set\s+"?{NAME}=',
            rf"\$\{{?env:{NAME}\}}?\s*=",
            r"\[(?:System\.)?Environment\]::SetEnvironmentVariable",
            rf"env\s+(?:-\S+\s+(?:{NAME}\s+)?)*{NAME}=\S*\s+\S",
            rf"setenv\s+{NAME}\s",
            rf"set\s+-[a-z]*x[a-z]*\s+{NAME}\s",
            rf"(?:docker|podman)\s+(?:container\s+)?(?:run|create|exec)\s[^\n]*?\s(?:-e|--env)[\s=]+{NAME}",
        )
    )
)
# Maps of variables: a Dockerfile's `ENV`, a YAML `env:` key with an entry under it (GitHub
# Actions, compose), a settings `"env": {` block pasted in text.
_S_MAPS = lazy_scan_regex(
    rf"(?m)^ENV[ \t]+{NAME}[= \t]\S"
    rf"|^([ \t]*)(?:-[ \t]+)?env:[ \t]*\r?\n\1[ \t]+{NAME}:"
    rf"|\"env\"\s*:\s*\{{\s*\"{NAME}\"\s*:"
)
_S_INLINE = lazy_scan_regex(
    rf"(?m)^[ \t]*(?:[^\n]{{0,60}}?[$%❯>][ \t]+)?({NAME})=\S+[ \t]+(?:{NAME}=\S+[ \t]+)*[\w./@~-]"
)
_S_PLAIN = lazy_regex(rf"(?m)^({NAME}(?:\(x86\))?)=")
_S_PS_TABLE = lazy_regex(r"(?m)^\s*Name\s+Value\s*\n\s*-{4}\s+-{5}")
_S_FORMAT_LIST = lazy_scan_regex(r"(?m)^Name\s+:\s+\S+\s*\nValue\s+:")
_S_DOCKER = lazy_regex(r'"Config"\s*:\s*\{')
_S_DOCKER_ENV = lazy_regex(r'"Env"\s*:\s*\[')
_S_K8S_KIND = lazy_scan_regex(
    r"(?m)^\s*kind:\s*(?:Pod|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob|List|PodTemplate)\b"
)
_S_K8S_ENV = lazy_regex(r"(?m)^\s*-?\s*(?:env|envFrom):\s*$")


def sniff(head: str) -> bool:
    body = head.lstrip("\ufeff")
    stripped = body.lstrip()
    if stripped[:1] in "[{":
        return bool(_S_DOCKER.search(body) and _S_DOCKER_ENV.search(body))
    if _S_K8S_KIND.search(body) and "containers:" in body and _S_K8S_ENV.search(body):
        return True
    if (
        _K8S_LIST_HEAD.search(body)
        or _S_DECLARE.search(body)
        or _S_PS_TABLE.search(body)
        or _S_FORMAT_LIST.search(body)
    ):
        return True
    if "\0" in body:
        body = body.replace("\0", "\n")
    if _S_SHELL.search(body) or _S_MAPS.search(body):
        return True
    # An inline or plain assignment never leaves its line, so only the lines holding "=" are
    # searched (a tenth of a log's lines; the line-start patterns cost a millisecond a head).
    assigns = "\n".join(line for line in body.split("\n") if "=" in line)
    for m in _S_INLINE.finditer(assigns):
        if _RELEVANT.match(m.group(1)):
            return True
    plain = 0
    for pm in _S_PLAIN.finditer(assigns):
        if _RELEVANT.match(pm.group(1)):
            return True
        if _CAPS.match(pm.group(1)):
            plain += 1
            if plain >= 2:
                return True
    return False


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    head = doc.head.lstrip("\ufeff")
    if head.lstrip()[:1] in "[{" and _S_DOCKER_ENV.search(head):
        yield from _docker(doc)
    elif _S_K8S_KIND.search(head) and "containers:" in head:
        yield from _k8s(doc)
    elif "\0" in head:
        yield from _nul_separated(doc)
    else:
        yield from _Lines(doc).run()


# --------------------------------------------------------------------------- emitting


def _var(
    doc: Doc, line: int | None, text: str, name: str, value: str | None, origin: str, **extra
) -> Iterator[Evidence]:
    where = Location(doc.path, line=line)
    yield Evidence.make(SOURCE, "env-var", text, where, name=name, value=value, origin=origin, **extra)
    if value and name.lower() in _PROXY_VARS and not extra.get("truncated"):
        yield _proxy(where, text, name, value.strip(), origin)
    if value and name == "npm_config_user_agent":
        for pattern, client in ((_NODE_UA, "node"), (_NPM_UA, "npm")):
            m = pattern.search(value)
            if m:
                yield Evidence.make(SOURCE, "client", text, where, name=client, version=m.group(1))


def _proxy(where: Location, text: str, name: str, value: str, origin: str) -> Evidence:
    """A proxy variable as a `proxy` record; `host:port` without a scheme is flagged."""
    value = value.split("\n", 1)[0].strip().strip("\"'")
    parts = split_url(value)
    missing = None
    if not parts:
        hp = regex.match(r"^(?:[^@/\s]*@)?\[?([A-Za-z0-9.\-:]+?)\]?(?::(\d{1,5}))?/?$", value)
        parts = {"host": hp.group(1).lower(), "port": int(hp.group(2)) if hp.group(2) else None} if hp else {}
        missing = True
    creds = regex.search(r"://[^/@\s]+@", value) is not None
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
        origin=origin,
        missing_scheme=missing,
        credentials=creds or None,
    )


# --------------------------------------------------------------------------- line formats


class _Lines:
    """The line-oriented formats, read in one streaming pass with a little state."""

    def __init__(self, doc: Doc):
        self.doc = doc
        head = doc.head.lstrip("\ufeff")
        name = posixpath.basename(doc.path.replace("\\", "/")).lower()
        self.dotenv = bool(regex.search(r"(^|\.)env($|\.)|^dotenv|\.env\b", name)) and not name.endswith(
            (".json", ".yaml", ".yml", ".txt", ".log")
        )
        self.windows = bool(_WINDOWS_NAMES.search(head))
        lines = [ln for ln in head.split("\n")[:30] if ln.strip()]
        plain = sum(1 for ln in lines if _PLAIN.match(ln))
        self.dump_hint = plain >= 2 and plain >= 0.6 * len(lines)
        self.k8s_list = False
        self.known: dict[str, str] = {}  # values seen, for ${VAR} in .env files
        # state across lines
        self.pending: tuple[int, str, str, str] | None = None  # line, text, name, value (plain dump var)
        self.cont: list[str] = []
        self.dump_run = 0
        self.ps_col: int | None = None
        self.ps_rule_next = False
        self.fl: list | None = None  # [line, name, value or None, text]
        self.open: tuple[int, list[str]] | None = None  # an unclosed quote: first line, lines
        self.yaml_env: int | None = None  # the indent of a YAML `env:` key whose entries follow
        self.json_env = False  # inside a settings `"env": {` block pasted in text

    def run(self) -> Iterator[Evidence]:
        previous = 0
        for number, raw in self.doc.numbered():
            if self.open is not None and number != previous + 1:
                # a sparse view skipped lines (textio.LineView): the quote does not close over a gap
                yield from self._unclosed()
            previous = number
            if self.open is not None:
                start, acc = self.open
                acc.append(raw)
                joined = "\n".join(acc)
                if len(acc) > MAX_QUOTED_LINES or len(joined) > 256 * 1024:
                    yield from self._unclosed()
                    continue
                try:
                    out = list(self._line(start, joined, allow_open=True))
                except Open:
                    continue
                self.open = None
                yield from out
                continue
            try:
                yield from self._line(number, raw, allow_open=True)
            except Open:
                self.open = (number, [raw])
        if self.open is not None:  # EOF inside a quote: read the first line alone
            start, acc = self.open
            self.open = None
            yield from self._line(start, acc[0], allow_open=False)
        yield from self._flush_pending(with_cont=False)
        yield from self._flush_fl()

    # -- helpers
    def _unclosed(self) -> Iterator[Evidence]:
        """An open quote that never closed: read its lines one by one instead."""
        assert self.open is not None  # called only while a quote is open
        start, acc = self.open
        self.open = None
        yield from self._line(start, acc[0], allow_open=False)
        for k, extra in enumerate(acc[1:], start=start + 1):
            yield from self._line(k, extra, allow_open=False)

    def _flush_pending(self, with_cont: bool) -> Iterator[Evidence]:
        if self.pending is None:
            return
        line, text, name, value = self.pending
        if with_cont and self.cont:
            value = value + "\n" + "\n".join(self.cont)
        self.pending, self.cont = None, []
        extra = {}
        if "\n" in value:
            extra["multiline"] = True
        q = regex.match(r"""^(["'])(.*)\1$""", value, regex.DOTALL)
        if q:  # a shell would strip them; on Windows they are part of the value
            extra["quoted"] = True
            if not self.windows:
                value = q.group(2)
        origin = "k8s" if self.k8s_list else "windows" if self.windows else "env"
        yield from _var(self.doc, line, text, name, value, origin, **extra)

    def _flush_fl(self) -> Iterator[Evidence]:
        if self.fl is None:
            return
        line, name, value, text = self.fl
        self.fl = None
        if value is not None:
            truncated = value.endswith(("...", "…")) or None
            yield from _var(self.doc, line, text, name, value, "powershell", truncated=truncated)

    def _line(self, number: int, raw: str, allow_open: bool) -> Iterator[Evidence]:
        if (self.yaml_env is not None or self.json_env or "env" in raw) and (out := self._env_map(number, raw)):
            yield from self._flush_pending(with_cont=False)
            yield from out
            return
        if self._plain_text(raw):
            yield from self._other(raw)
            return
        line = _ANSI.sub("", raw).replace("\r", "")
        stripped = line.strip()

        # PowerShell Get-ChildItem Env: table
        if self.ps_rule_next:
            self.ps_rule_next = False
            if _PS_RULE.match(line):
                return
            self.ps_col = None
        if self.ps_col is not None:
            if not stripped or _PROMPT.match(line) and line.lstrip().startswith("PS"):
                self.ps_col = None
            else:
                yield from self._ps_row(number, line)
                return
        if _PS_HEADER.match(line):
            yield from self._flush_pending(with_cont=False)
            self.ps_col, self.ps_rule_next = line.index("Value"), True
            return

        # PowerShell Format-List blocks
        m = _FL_NAME.match(line)
        if m:
            yield from self._flush_fl()
            self.fl = [number, m.group(1), None, line]
            return
        if self.fl is not None:
            m = _FL_VALUE.match(line)
            if m and self.fl[2] is None:
                self.fl[2], self.fl[3] = m.group(1).rstrip(), self.fl[3] + "\n" + line
                return
            if self.fl[2] is not None and line[:1] in (" ", "\t") and stripped:
                self.fl[2] += stripped  # a long value wrapped at the console width
                return
            yield from self._flush_fl()

        if not stripped:
            yield from self._flush_pending(with_cont=False)
            self.dump_run = 0
            return

        # kubectl set env --list
        if _K8S_LIST_HEAD.match(stripped):
            yield from self._flush_pending(with_cont=False)
            self.k8s_list = True
            return
        m = _K8S_LIST_REF.match(stripped)
        if m:
            yield from self._flush_pending(with_cont=False)
            kind = m.group(2).replace(" ", "_")
            extra = {"from_secret": True} if kind == "secret" else {f"from_{kind}": m.group(3)}
            yield from _var(
                self.doc, number, stripped, m.group(1), "", "k8s", ref=m.group(3), ref_key=m.group(4), **extra
            )
            return

        # a bare NAME=value line (env, printenv, cmd `set`, .env, kubectl --list)
        if self.dotenv:
            m = _DOTENV.match(line)
            if m and not line.lstrip().startswith("#"):
                yield from self._flush_pending(with_cont=False)
                yield from self._dotenv(number, line, m, allow_open)
                return
        elif (m := _PLAIN.match(line)) and (self._in_dump() or not self._looks_inline(line)):
            name = m.group(1)
            if self._in_dump() or _CAPS.match(name) or _RELEVANT.match(name):
                yield from self._flush_pending(with_cont=True)
                self.pending = (number, line, name, m.group(2))
                self.dump_run += 1
                return

        # shell / cmd / PowerShell statements, after an optional prompt
        body = line[p.end() :] if (p := _PROMPT.match(line)) else line
        body = body.strip().strip("`").strip()
        had_prompt = len(body) != len(stripped.strip("`").strip())
        out = list(self._statement(number, line, body, had_prompt, allow_open))
        if out:
            yield from self._flush_pending(with_cont=False)
            self.dump_run = 0
            yield from out
            return

        yield from self._other(line)

    def _env_map(self, number: int, raw: str) -> list[Evidence] | None:
        """A line of a YAML `env:` map (GitHub Actions, compose) or of a settings `"env": {` block
        pasted in text: its entries (a list, maybe empty), or None when the line is neither."""
        line = raw.replace("\r", "")
        if self.yaml_env is not None:
            if not line.strip() or line.lstrip().startswith("#"):
                return []
            entry = yaml_entry(line, self.yaml_env)
            if entry is not None:
                name, value, extra = entry
                if not (_CAPS.match(name) or _RELEVANT.match(name)):
                    return []  # `env: {production: true}`-like keys of other YAML
                return list(_var(self.doc, number, line.strip(), name, value, "yaml", **extra))
            self.yaml_env = None
        if self.json_env:
            out = [
                ev
                for name, value in json_entries(line)
                for ev in _var(self.doc, number, line.strip(), name, value, "settings")
            ]
            if "}" in line:
                self.json_env = False
            return out
        m = YAML_ENV_KEY.match(line)
        if m:
            self.yaml_env = len(m.group(1).expandtabs())
            return []
        m = JSON_ENV_KEY.search(line)
        if m:
            rest = line[m.end() :]
            self.json_env = "}" not in rest
            return [
                ev
                for name, value in json_entries(rest)
                for ev in _var(self.doc, number, line.strip(), name, value, "settings")
            ]
        return None

    def _plain_text(self, raw: str) -> bool:
        """Fast path for log lines: no `=`, no keyword, no table or list in progress."""
        return (
            "=" not in raw
            and self.ps_col is None
            and not self.ps_rule_next
            and self.fl is None
            and raw.strip() != ""
            and not raw.startswith("ENV ")  # a Dockerfile's `ENV NAME value`
            and not _KEYWORDS.search(raw)
        )

    def _other(self, line: str) -> Iterator[Evidence]:
        """A line of no known form: a continuation of the previous dump value, or unrelated text."""
        if self.pending is not None and len(self.cont) < MAX_CONT_LINES:
            self.cont.append(line)
            return
        yield from self._flush_pending(with_cont=False)
        self.dump_run = 0

    def _in_dump(self) -> bool:
        return self.dump_run > 0 or self.dump_hint or self.windows or self.k8s_list

    def _looks_inline(self, line: str) -> bool:
        """`NAME=value cmd args`: an unquoted blank after the value, then a word."""
        m = _ASSIGN.match(line)
        if m is None:  # `NAME(x86)=value` (a Windows dump's name): no shell assignment
            return False
        i = m.end()
        _, end, _, closed = shell_word(line, i)
        rest = line[end:].strip()
        return closed and bool(rest) and rest[0] not in "#;&|<>"

    def _ps_row(self, number: int, line: str) -> Iterator[Evidence]:
        col = self.ps_col or 0
        if len(line) > col and col > 0 and line[col - 1] == " ":
            name, value = line[:col].strip(), line[col:].rstrip()
        else:  # the name overflowed its column
            parts = regex.split(r"\s+", line.strip(), maxsplit=1)
            name, value = parts[0], parts[1] if len(parts) > 1 else ""
        if not regex.match(r"^[\w().\-]+$", name):
            self.ps_col = None
            return
        truncated = value.endswith(("...", "…")) or None
        yield from _var(self.doc, number, line, name, value, "powershell", truncated=truncated)

    def _dotenv(self, number: int, line: str, m: re.Match[str], allow_open: bool) -> Iterator[Evidence]:
        """python-dotenv's reading of one assignment, with flags where docker --env-file differs."""
        export, name, before, after, rest = m.groups()
        extra: dict = {}
        if export:
            extra["export_prefix"] = True
        if before or after:
            extra["spaced"] = True
        rest = rest.rstrip()
        if rest[:1] in ("'", '"'):
            q = rest[0]
            end = _closing_quote(rest, q)
            if end < 0:
                if allow_open:
                    raise Open
                value, tail = rest[1:], ""
            else:
                value, tail = rest[1:end], rest[end + 1 :]
            if q == '"':
                unescaped = _dotenv_escapes(value)
                if unescaped != value:
                    extra["escapes"] = True  # docker --env-file keeps `\n` literally
                value = self._expand(unescaped, extra)
            else:
                value = value.replace("\\'", "'").replace("\\\\", "\\")
            extra["quoted"] = True
            if "#" in tail:
                extra["inline_comment"] = True
        else:
            c = regex.search(r"\s#", rest)
            if c:
                rest, extra["inline_comment"] = rest[: c.start()].rstrip(), True
            value = self._expand(rest, extra)
        if "\n" in line:
            extra["multiline"] = True  # docker --env-file keeps only the first line
        self.known[name] = value
        text = line.split("\n", 1)[0] if "\n" in line else line
        yield from _var(self.doc, number, text, name, value, "dotenv", **extra)

    def _expand(self, value: str, extra: dict) -> str:
        def sub(m: regex.Match) -> str:
            name = m.group(1)
            if name in self.known:
                extra["expanded"] = True
                return self.known[name]
            return m.group(0)

        return regex.sub(rf"\$\{{({NAME})(?::-[^}}]*)?\}}", sub, value)

    # -- statements
    def _statement(self, number: int, line: str, body: str, had_prompt: bool, allow_open: bool) -> Iterator[Evidence]:
        first = line.split("\n", 1)[0]
        for name, value, origin, extra in statement(body, had_prompt, allow_open):
            yield from _var(self.doc, number, first, name, value, origin, **extra)


def _closing_quote(s: str, q: str) -> int:
    i = 1
    while i < len(s):
        if s[i] == "\\":
            i += 2
            continue
        if s[i] == q:
            return i
        i += 1
    return -1


def _dotenv_escapes(value: str) -> str:
    table = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "'": "'", "\\": "\\"}
    return regex.sub(r"\\(.)", lambda m: table.get(m.group(1), m.group(0)), value)


# --------------------------------------------------------------------------- NUL-separated


def _nul_separated(doc: Doc) -> Iterator[Evidence]:
    """`env -0` / `/proc/<pid>/environ`: records end at NUL; newlines inside belong to the value."""
    rest, line = "", 1
    for chunk in doc.chunks():
        parts = (rest + chunk).split("\0")
        rest = parts.pop()
        for record in parts:
            yield from _nul_record(doc, record, line)
            line += record.count("\n") + 1
    if rest.strip():
        yield from _nul_record(doc, rest, line)


def _nul_record(doc: Doc, record: str, line: int) -> Iterator[Evidence]:
    m = _PLAIN.match(record)
    if m:
        text = record.split("\n", 1)[0]
        yield from _var(doc, line, text, m.group(1), m.group(2), "env", multiline=("\n" in m.group(2)) or None)


# --------------------------------------------------------------------------- docker / podman

_JSON_STRING = lazy_regex(r'"((?:[^"\\]|\\.)*)"|\]')


def _docker(doc: Doc) -> Iterator[Evidence]:
    """`Config.Env` arrays of `docker inspect` / `podman inspect` (also image inspect's copies)."""
    text = doc.text(limit=MAX_STRUCTURED)
    seen: set[tuple[str, str]] = set()
    for block in _S_DOCKER_ENV.finditer(text):
        for m in _JSON_STRING.finditer(text, block.end()):
            if m.group(1) is None:
                break
            try:
                item = json.loads(m.group(0))
            except ValueError:
                continue
            nv = _PLAIN.match(item) if isinstance(item, str) else None
            if not nv or (nv.group(1), nv.group(2)) in seen:
                continue
            seen.add((nv.group(1), nv.group(2)))
            line = text.count("\n", 0, m.start()) + 1
            yield from _var(
                doc,
                line,
                m.group(0).strip(),
                nv.group(1),
                nv.group(2),
                "docker",
                multiline=("\n" in nv.group(2)) or None,
            )


# --------------------------------------------------------------------------- Kubernetes YAML


def _k8s(doc: Doc) -> Iterator[Evidence]:
    text = doc.text(limit=MAX_STRUCTURED)
    lines = text.split("\n")
    import yaml  # PyYAML only when a file holds Kubernetes manifests (start-up time)

    try:
        nodes: list[yaml.Node | None] = list(yaml.compose_all(text, Loader=yaml.SafeLoader))  # None: an empty document
    except yaml.YAMLError:
        nodes = []
        for part in regex.split(r"(?m)^---\s*$", text):  # keep the documents that do parse
            try:
                nodes.append(yaml.compose(part, Loader=yaml.SafeLoader))
            except yaml.YAMLError:
                continue
    for node in nodes:
        if node is not None:
            yield from _k8s_walk(doc, node, lines)


def _k8s_walk(doc: Doc, node: yaml.Node, lines: list[str], depth: int = 0) -> Iterator[Evidence]:
    import yaml

    if depth > 40:
        return
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            k = key.value if isinstance(key, yaml.ScalarNode) else None
            if k == "env" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    yield from _k8s_env_item(doc, item, lines)
            elif k == "envFrom" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    yield from _k8s_env_from(doc, item, lines)
            else:
                yield from _k8s_walk(doc, value, lines, depth + 1)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _k8s_walk(doc, item, lines, depth + 1)


def _mapping(node: yaml.Node) -> dict[str, yaml.Node]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {k.value: v for k, v in node.value if isinstance(k, yaml.ScalarNode)}


def _scalar(node: yaml.Node | None) -> str | None:
    import yaml

    return str(node.value) if isinstance(node, yaml.ScalarNode) else None


def _k8s_env_item(doc: Doc, item: yaml.Node, lines: list[str]) -> Iterator[Evidence]:
    fields = _mapping(item)
    name = _scalar(fields.get("name"))
    if not name:
        return
    line = fields["name"].start_mark.line + 1
    text = lines[line - 1].strip() if line - 1 < len(lines) else f"name: {name}"
    if "value" in fields:
        value = _scalar(fields["value"]) or ""
        vline = fields["value"].start_mark.line + 1
        if vline != line and vline - 1 < len(lines):
            text = f"{text} {lines[vline - 1].strip()}"
        yield from _var(doc, line, text, name, value, "k8s")
        return
    ref = _mapping(fields["valueFrom"]) if "valueFrom" in fields else {}
    extra: dict = {}
    if "secretKeyRef" in ref:
        sk = _mapping(ref["secretKeyRef"])
        extra = {"from_secret": True, "ref": _scalar(sk.get("name")), "ref_key": _scalar(sk.get("key"))}
    elif "configMapKeyRef" in ref:
        ck = _mapping(ref["configMapKeyRef"])
        extra = {"from_configmap": _scalar(ck.get("name")) or True, "ref_key": _scalar(ck.get("key"))}
    elif "fieldRef" in ref:
        extra = {"from_field": _scalar(_mapping(ref["fieldRef"]).get("fieldPath")) or True}
    elif "resourceFieldRef" in ref:
        extra = {"from_resource": _scalar(_mapping(ref["resourceFieldRef"]).get("resource")) or True}
    yield from _var(doc, line, text, name, "", "k8s", value_unknown=True, **extra)


def _k8s_env_from(doc: Doc, item: yaml.Node, lines: list[str]) -> Iterator[Evidence]:
    """`envFrom`: every key of a ConfigMap/Secret becomes a variable we cannot see."""
    fields = _mapping(item)
    prefix = _scalar(fields.get("prefix")) or ""
    for kind, flag in (("configMapRef", "from_configmap"), ("secretRef", "from_secret")):
        if kind in fields:
            ref = _scalar(_mapping(fields[kind]).get("name")) or ""
            line = fields[kind].start_mark.line + 1
            text = f"envFrom {kind} {ref}" + (f" prefix {prefix}" if prefix else "")
            extra = {"from_secret": True, "ref": ref} if flag == "from_secret" else {"from_configmap": ref or True}
            yield from _var(doc, line, text, prefix + "*", "", "k8s", value_unknown=True, env_from=True, **extra)
