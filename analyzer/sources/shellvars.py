"""Environment assignments as each shell (and the files that feed a process its environment)
writes them, one statement at a time: the grammar the env source reads terminal pastes, issue
bodies and scripts with.

`statement(body)` takes one line as typed (its prompt already gone) and returns the assignments
it makes, `(name, value, origin, extra)`, in order:

- POSIX sh / bash / zsh: `NAME=v cmd` (origin "inline"; typed alone at a prompt: "export" with
  exported=False), `export [-flags] NAME=v ...`, `declare -x` / `typeset -x`, zsh `export -T`,
  `env [-u NAME] NAME=v cmd`; words quoted as the shell quotes them ('...', "...", $'...').
- csh `setenv NAME v` and fish `set -x NAME v` / `set -gx` (origin "export").
- cmd: `set NAME=v`, `set "NAME=v"`, `setx NAME v [/M]` (origin "windows"); `&`, `&&`, `|` end the value.
- PowerShell: `$env:NAME = "v"`, `${env:NAME}='v'`, `$Env:NAME=v`, and
  `[Environment]::SetEnvironmentVariable("NAME", "v", ...)` (origin "powershell").
- `docker|podman run|create|exec ... -e NAME=v --env NAME=v --env=NAME=v` (origin "docker").
- Dockerfile `ENV NAME=v ...` and `ENV NAME v` (origin "dockerfile").

Statements chained with `;` or `&&` (`$env:HTTPS_PROXY="socks5://..."; claude`) are read one
after the other. Two map forms need the lines around them and are read by the env source with
the entry grammar here: a YAML `env:` map (GitHub Actions, compose: `yaml_entry`, origin "yaml")
and a settings `"env": {` block pasted in text (`json_entries`, origin "settings").

A quote still open at the end of the text raises `Open` when `allow_open` (read more lines).
"""

from __future__ import annotations

import json
import re
from typing import Any

import regex

from .common import lazy_regex

NAME = r"[A-Za-z_][A-Za-z0-9_]*"

_DECLARE = lazy_regex(rf"^(?:declare|typeset)\s+-([A-Za-z]*x[A-Za-z]*)\s+({NAME})(?:=(.*))?$", regex.DOTALL)
_EXPORT = lazy_regex(r"^export\s+(.*)$", regex.DOTALL)
_EXPORT_T = lazy_regex(rf"^export\s+-T\s+({NAME})\s+{NAME}=\(\s*(.*?)\s*\)\s*$")
_SETENV = lazy_regex(rf"^setenv\s+({NAME})\s+(.*)$", regex.DOTALL)  # csh
_FISH = lazy_regex(rf"^set\s+-[a-zA-Z]*x[a-zA-Z]*\s+({NAME})\s+(.*)$", regex.DOTALL)  # fish
# cmd: `set "NAME=value"` strips the outer quotes; in `set NAME="value"` they are part of the value.
_CMD_SET = lazy_regex(rf'^set\s+(?:"({NAME}(?:\(x86\))?)=|({NAME}(?:\(x86\))?)=)', regex.IGNORECASE)
_SETX = lazy_regex(rf"^setx\s+({NAME})\s+(.*?)(?:\s+/[MmSsUuPp]\b.*)?$", regex.IGNORECASE)
_PS_ENV = lazy_regex(rf"^\$\{{?env:({NAME})\}}?\s*=\s*", regex.IGNORECASE)
_PS_SETENV = lazy_regex(
    rf"""^\[(?:System\.)?Environment\]::SetEnvironmentVariable\(\s*["']({NAME})["']\s*,\s*(["'])(.*?)\2""",
    regex.IGNORECASE,
)
_ENV_CMD = lazy_regex(r"^env\s+(.*)$", regex.DOTALL)
ASSIGN = lazy_regex(rf"({NAME})=")  # used with match(s, pos): no ^ anchor
_DOCKER = lazy_regex(r"^(?:sudo\s+)?(?:docker|podman)\s+(?:container\s+)?(?:run|create|exec)\s")
_DOCKERFILE_ENV = lazy_regex(rf"^ENV\s+({NAME})(=|\s+)(.*)$")
_YAML_ENTRY = lazy_regex(rf"^([ \t]+)({NAME}):(?:[ \t]+(.*?))?[ \t]*$")
_JSON_ENTRY = lazy_regex(rf'"({NAME})"\s*:\s*("(?:[^"\\\n]|\\.)*"|true|false|null|-?\d+(?:\.\d+)?)')
YAML_ENV_KEY = lazy_regex(r"^([ \t]*)(?:-[ \t]+)?env:[ \t]*(?:#.*)?$")
JSON_ENV_KEY = lazy_regex(r'"env"\s*:\s*\{')

# Names that are worth an env-var on their own (outside a dump), in any case.
RELEVANT = lazy_regex(
    r"(?i)^(?:(?:https?|all|no|ftp|socks)_proxy|ANTHROPIC_\w*|CLAUDE_\w*|NODE_\w*|SSL_\w*|"
    r"AWS_\w*|REQUESTS_CA_BUNDLE|CURL_CA_BUNDLE|API_TIMEOUT_MS|DISABLE_\w*|BUN_\w*|"
    r"npm_config_\w*|GOOGLE_\w*|CLOUD_ML_REGION|VERTEX_\w*|HTTPS?_PROXY)$"
)
CAPS = lazy_regex(r"^[A-Z][A-Z0-9_]*$")
_MAX_CHAIN = 8  # statements read from one line

Assignment = tuple[str, "str | None", str, dict[str, Any]]  # name, value (None: no value given), origin, extra


class Open(Exception):
    """A quote is still open at the end of the text: read more lines."""


def statement(body: str, had_prompt: bool = False, allow_open: bool = False) -> list[Assignment]:
    """The assignments one statement line makes (and those of the statements chained after it)."""
    out: list[Assignment] = []
    for _ in range(_MAX_CHAIN):
        rest = _one(body, had_prompt, allow_open, out)
        if rest is None:
            break
        body = rest.strip()
    return out


def _chained(s: str, i: int) -> str | None:
    """What follows a `;`, `&&` or `&` at s[i] (after blanks), or None."""
    i = skip_blanks(s, i)
    for sep in (";", "&&", "&"):
        if s.startswith(sep, i):
            return s[i + len(sep) :]
    return None


def _one(body: str, had_prompt: bool, allow_open: bool, out: list[Assignment]) -> str | None:
    """Read one statement into `out`; returns the text of a statement chained after it, or None."""
    m = _DECLARE.match(body)
    if m:
        if m.group(3) is None:
            out.append((m.group(2), None, "export", {"no_value": True}))
            return None
        value, _, _, closed = shell_word(m.group(3), 0)
        if not closed and allow_open:
            raise Open
        out.append((m.group(2), value, "export", {"multiline": ("\n" in value) or None}))
        return None
    m = _EXPORT_T.match(body)
    if m:
        words, i = [], 0
        inner = m.group(2)
        while i < len(inner):
            i = skip_blanks(inner, i)
            if i >= len(inner):
                break
            word, end, _, _ = shell_word(inner, i)
            words.append(word)
            i = max(end, i + 1)
        out.append((m.group(1), ":".join(words), "export", {"tied": True}))
        return None
    m = _EXPORT.match(body)
    if m:
        found, end, _ = _assignments(m.group(1), "export", allow_open, flags_ok=True, bare_names=True)
        out.extend(found)
        return _chained(m.group(1), end)
    m = _SETENV.match(body) or _FISH.match(body)
    if m:
        value, end, _, closed = shell_word(m.group(2), 0)
        if not closed and allow_open:
            raise Open
        out.append((m.group(1), value, "export", {}))
        return _chained(m.group(2), end)
    m = _PS_ENV.match(body)
    if m:
        value, end = _ps_word(body, m.end())
        out.append((m.group(1), value, "powershell", {}))
        return _chained(body, end)
    m = _PS_SETENV.match(body)
    if m:
        out.append((m.group(1), m.group(3), "powershell", {"persistent": True}))
        close = body.find(")", m.end())
        return _chained(body, close + 1) if close >= 0 else None
    m = _SETX.match(body)
    if m:
        value = m.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = value[1:-1]
        out.append((m.group(1), value, "windows", {"persistent": True}))
        return None
    m = _CMD_SET.match(body)
    if m:
        return _cmd_set(body, m, out)
    m = _ENV_CMD.match(body)
    if m:
        found, _, command = _assignments(m.group(1), "inline", allow_open, flags_ok=True)
        if command:
            out.extend(found)
        return None
    if _DOCKER.match(body):
        out.extend(_docker(body, allow_open))
        return None
    m = _DOCKERFILE_ENV.match(body)
    if m:
        out.extend(_dockerfile(m, allow_open))
        return None
    a = ASSIGN.match(body)
    if a:
        name = a.group(1)
        if had_prompt or CAPS.match(name) or RELEVANT.match(name):
            found, end, command = _assignments(body, "inline", allow_open)
            if command or had_prompt:
                out.extend(found)
            if not command:
                return _chained(body, end)
    return None


def _assignments(
    s: str, origin: str, allow_open: bool, *, flags_ok: bool = False, bare_names: bool = False
) -> tuple[list[Assignment], int, str]:
    """`A=1 B='x y' cmd ...` / `export -x A=1 B`: each assignment until the command word.
    Returns the assignments, where they end (the command word or a separator), the command word."""
    found: list[tuple[str, str | None, bool]] = []
    value: str | None  # a word's value; None for a bare name (`export B`)
    i, n = 0, len(s)
    command = ""
    while True:
        i = skip_blanks(s, i)
        if i >= n or s[i] in "#;&|\n":
            break
        if flags_ok and s[i] == "-":
            word, end, _, _ = shell_word(s, i)
            i = max(end, i + 1)
            if word in ("-u", "--unset") or word.startswith("-C"):
                i = skip_blanks(s, i)
                _, i, _, _ = shell_word(s, i)
            continue
        m = ASSIGN.match(s, i)
        if m:
            value, end, _, closed = shell_word(s, m.end())
            if not closed:
                if allow_open:
                    raise Open
                value = value.split("\n", 1)[0]
            found.append((m.group(1), value, "\n" in value))
            i = max(end, m.end())
            continue
        word, end, _, _ = shell_word(s, i)
        if bare_names and (CAPS.match(word or "") or RELEVANT.match(word or "")):
            found.append((word, None, False))
            i = max(end, i + 1)
            continue
        command = word
        break
    unexported = origin == "inline" and not command  # `$ NAME=value` typed at a prompt
    if unexported:
        origin = "export"
    out: list[Assignment] = []
    for name, value, multi in found:
        extra: dict[str, Any] = {
            "command": command or None,
            "multiline": multi or None,
            "exported": False if unexported else None,
        }
        if value is None:
            extra["no_value"] = True
        out.append((name, value, origin, extra))
    return out, i, command


def _cmd_set(body: str, m: re.Match[str], out: list[Assignment]) -> str | None:
    """cmd's `set`: the value runs to the closing quote of `set "NAME=v"`, else to `&`, `|` or the end."""
    rest = body[m.end() :]
    if m.group(1):  # set "NAME=value" [& next]
        close = rest.rfind('"')
        if close < 0:
            out.append((m.group(1), rest.rstrip(), "windows", {}))
            return None
        out.append((m.group(1), rest[:close], "windows", {}))
        return _chained(rest, close + 1)
    end, quoted = 0, False
    while end < len(rest) and (quoted or rest[end] not in "&|"):
        quoted ^= rest[end] == '"'
        end += 1
    value = rest[:end].rstrip()
    is_quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'"
    out.append((m.group(2), value, "windows", {"quoted": is_quoted or None}))
    return _chained(rest, end)


def _ps_word(s: str, i: int) -> tuple[str, int]:
    """A PowerShell value from s[i]: "..." (`-escapes, ""), '...' (''), or a bare word; and where it ends."""
    n = len(s)
    if i < n and s[i] == "'":
        out, j = [], i + 1
        while j < n:
            if s[j] == "'":
                if s.startswith("''", j):
                    out.append("'")
                    j += 2
                    continue
                return "".join(out), j + 1
            out.append(s[j])
            j += 1
        return "".join(out), n
    if i < n and s[i] == '"':
        out, j = [], i + 1
        while j < n:
            c = s[j]
            if c == "`" and j + 1 < n:
                out.append(_PS_ESCAPES.get(s[j + 1], s[j + 1]))
                j += 2
                continue
            if c == '"':
                if s.startswith('""', j):
                    out.append('"')
                    j += 2
                    continue
                return "".join(out), j + 1
            out.append(c)
            j += 1
        return "".join(out), n
    j = i
    while j < n and s[j] not in " \t;|":
        j += 1
    return s[i:j], j


_PS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "`": "`", '"': '"', "'": "'", "$": "$"}


def _docker(body: str, allow_open: bool) -> list[Assignment]:
    """`-e NAME=v`, `--env NAME=v`, `--env=NAME=v` of a docker/podman command line; `-e NAME`
    passes the host's value on (no value here)."""
    out: list[Assignment] = []
    i, n = 0, len(body)
    while i < n:
        i = skip_blanks(body, i)
        if i >= n or body[i] in "#;&|\n":
            break
        word, end, _, closed = shell_word(body, i)
        if not closed and allow_open:
            raise Open
        i = max(end, i + 1)
        if word in ("-e", "--env"):
            i = skip_blanks(body, i)
            word, end, _, closed = shell_word(body, i)
            if not closed and allow_open:
                raise Open
            i = max(end, i + 1)
        elif word.startswith("--env="):
            word = word[len("--env=") :]
        else:
            continue
        m = regex.match(rf"^({NAME})(?:=(.*))?$", word, regex.DOTALL)
        if m:
            extra: dict[str, Any] = {"command": "docker"}
            if m.group(2) is None:
                extra["no_value"] = True
            out.append((m.group(1), m.group(2), "docker", extra))
    return out


def _dockerfile(m: re.Match[str], allow_open: bool) -> list[Assignment]:
    """`ENV NAME=v NAME2="v 2"` (each word an assignment) or the older `ENV NAME the rest`."""
    if m.group(2) != "=":
        return [(m.group(1), m.group(3).strip(), "dockerfile", {})]
    found, _, _ = _assignments(f"{m.group(1)}={m.group(3)}", "dockerfile", allow_open)
    return [(name, value, "dockerfile", {}) for name, value, _, _ in found]


def yaml_entry(line: str, indent: int) -> tuple[str, str, dict[str, Any]] | None:
    """`  NAME: value` deeper than the `env:` key at `indent`: (name, value, extra), or None.
    The value as YAML reads a scalar: quotes taken off, a ` #` comment dropped; a
    `${{ secrets.X }}` expression is a value the paste does not show."""
    m = _YAML_ENTRY.match(line)
    if m is None or len(m.group(1).expandtabs()) <= indent:
        return None
    raw = (m.group(3) or "").strip()
    extra: dict[str, Any] = {}
    if raw[:1] in ("'", '"'):
        q = raw[0]
        end = raw.find(q, 1)
        value = raw[1:end] if end > 0 else raw[1:]
        if q == "'":
            value = value.replace("''", "'")
    else:
        value = regex.split(r"\s#", raw, maxsplit=1)[0].strip()
    if "${{" in value:
        extra["value_unknown"] = True
        if "secrets." in value:
            extra["from_secret"] = True
    return m.group(2), value, extra


def json_entries(line: str) -> list[tuple[str, str]]:
    """The `"NAME": "value"` pairs of one line of a settings `env` block."""
    out = []
    for m in _JSON_ENTRY.finditer(line):
        token = m.group(2)
        try:
            value = json.loads(token)
        except ValueError:
            value = token.strip('"')
        out.append((m.group(1), value if isinstance(value, str) else token))
    return out


# --------------------------------------------------------------------------- shell words


def ansi_c(s: str, i: int) -> tuple[str, int, bool]:
    """Decode a $'...' body starting at s[i]; returns (text, index after the quote, closed)."""
    out = bytearray()
    n = len(s)
    simple = {
        "a": 7,
        "b": 8,
        "e": 27,
        "E": 27,
        "f": 12,
        "n": 10,
        "r": 13,
        "t": 9,
        "v": 11,
        "\\": 92,
        "'": 39,
        '"': 34,
        "?": 63,
    }
    while i < n:
        c = s[i]
        if c == "'":
            return out.decode("utf-8", errors="replace"), i + 1, True
        if c != "\\" or i + 1 >= n:
            out += c.encode("utf-8", errors="replace")
            i += 1
            continue
        nxt = s[i + 1]
        if s.startswith("\\M-", i) or s.startswith("\\C-", i):  # zsh meta/control escapes
            meta = ctrl = False
            if s.startswith("\\M-", i):
                meta, i = True, i + 3
            if s.startswith("\\C-", i):
                ctrl, i = True, i + 3
            if i >= n:
                break
            byte = ord(s[i]) if ord(s[i]) < 256 else 63
            i += 1
            if ctrl:
                byte = 0x7F if byte == 0x3F else byte & 0x1F
            if meta:
                byte |= 0x80
            out.append(byte)
        elif nxt in "01234567":
            m = regex.match(r"[0-7]{1,3}", s[i + 1 : i + 4])
            assert m is not None  # s[i + 1] is the octal digit nxt
            out.append(int(m.group(), 8) & 0xFF)
            i += 1 + len(m.group())
        elif nxt == "x" and (m := regex.match(r"[0-9a-fA-F]{1,2}", s[i + 2 : i + 4])):
            out.append(int(m.group(), 16))
            i += 2 + len(m.group())
        elif nxt in "uU" and (m := regex.match(rf"[0-9a-fA-F]{{1,{4 if nxt == 'u' else 8}}}", s[i + 2 : i + 10])):
            try:
                out += chr(int(m.group(), 16)).encode("utf-8")
            except (ValueError, OverflowError):
                pass
            i += 2 + len(m.group())
        elif nxt == "c" and i + 2 < n:
            out.append(ord(s[i + 2]) & 0x1F if ord(s[i + 2]) < 128 else 63)
            i += 3
        else:
            out.append(simple[nxt]) if nxt in simple else out.extend(("\\" + nxt).encode("utf-8"))
            i += 2
    return out.decode("utf-8", errors="replace"), n, False


def shell_word(s: str, i: int) -> tuple[str, int, bool, bool]:
    """One POSIX shell word from s[i]: (value, end index, had quotes, quotes closed)."""
    out: list[str] = []
    quoted = False
    n = len(s)
    while i < n:
        c = s[i]
        if c in " \t;&|<>()" or (c == "\n" and not quoted):
            break
        if c == "\\":
            if i + 1 >= n:
                return "".join(out), n, quoted, False
            if s[i + 1] != "\n":
                out.append(s[i + 1])
            i += 2
        elif c == "'":
            j = s.find("'", i + 1)
            if j < 0:
                return "".join(out) + s[i + 1 :], n, True, False
            out.append(s[i + 1 : j])
            i, quoted = j + 1, True
        elif c == "$" and s.startswith("$'", i):
            text, i, closed = ansi_c(s, i + 2)
            out.append(text)
            quoted = True
            if not closed:
                return "".join(out), n, True, False
        elif c == '"':
            j, buf = i + 1, []
            while j < n and s[j] != '"':
                if s[j] == "\\" and j + 1 < n and s[j + 1] in '"\\$`\n':
                    if s[j + 1] != "\n":
                        buf.append(s[j + 1])
                    j += 2
                else:
                    buf.append(s[j])
                    j += 1
            out.append("".join(buf))
            if j >= n:
                return "".join(out), n, True, False
            i, quoted = j + 1, True
        else:
            out.append(c)
            i += 1
    return "".join(out), i, quoted, True


def skip_blanks(s: str, i: int) -> int:
    while i < len(s) and s[i] in " \t":
        i += 1
    return i
