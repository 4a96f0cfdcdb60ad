"""Local commands whose output explains the client's setup: versions and other tools' proxy settings.

`claude --version` and `node --version` name the client; `npm config list` and the
`http.*` keys of `git config` show proxies and CA files set for other tools (often the only
place a working proxy is written down); `scutil --proxy` (macOS) and `netsh winhttp show
proxy` (Windows) show the system proxy that terminal programs do not read.
"""

from __future__ import annotations

from dataclasses import dataclass

from .world import CommandResult, World


@dataclass(frozen=True)
class Tool:
    """A command to run, the bundle file its output goes to, and why it is collected."""

    argv: tuple[str, ...]
    bundle_name: str
    why: str
    platforms: tuple[str, ...] = ()  # empty: everywhere; else sys.platform prefixes
    ok_statuses: tuple[int, ...] = (0,)  # git config --get-regexp exits 1 when nothing matches

    def applies(self, platform: str) -> bool:
        return not self.platforms or any(platform.startswith(p) for p in self.platforms)


TOOLS = (
    Tool(("claude", "--version"), "commands/claude-version.txt", "the Claude Code version"),
    Tool(("node", "--version"), "commands/node-version.txt", "the Node.js version"),
    Tool(("npm", "config", "list"), "commands/npm-config-list.txt", "npm's proxy and CA settings"),
    Tool(
        ("git", "config", "--show-origin", "--get-regexp", r"^https?\."),
        "commands/git-config-http.txt",
        "git's http.proxy / http.sslCAInfo settings",
        ok_statuses=(0, 1),
    ),
    Tool(("scutil", "--proxy"), "commands/scutil-proxy.txt", "the macOS system proxy", platforms=("darwin",)),
    Tool(
        ("netsh", "winhttp", "show", "proxy"),
        "commands/netsh-winhttp-proxy.txt",
        "the WinHTTP proxy",
        platforms=("win",),
    ),
    Tool(
        ("reg", "query", r"HKCU\Software\Microsoft\Windows\CurrentVersion\Internet Settings"),
        "commands/reg-internet-settings.txt",
        "the Windows user proxy (WinINET)",
        platforms=("win",),
    ),
)


@dataclass(frozen=True)
class ToolOutput:
    tool: Tool
    result: CommandResult
    seconds: float = 0.0

    @property
    def outcome(self) -> str:
        if not self.result.ran:
            return "not available" if self.result.error == "not installed" else "failed"
        return "ok" if self.result.status in self.tool.ok_statuses else "failed"

    def text(self) -> str:
        """What the command printed (stderr after stdout when it failed)."""
        out = self.result.stdout
        if self.result.ran and self.result.status not in self.tool.ok_statuses and self.result.stderr.strip():
            out = out + ("\n" if out and not out.endswith("\n") else "") + self.result.stderr
        return out


def applicable(world: World) -> list[Tool]:
    return [t for t in TOOLS if t.applies(world.platform)]


def run_tools(world: World, timeout: float) -> list[ToolOutput]:
    outputs: list[ToolOutput] = []
    for tool in applicable(world):
        exe = world.which(tool.argv[0])
        if exe is None:
            outputs.append(ToolOutput(tool, CommandResult(tool.argv, None, error="not installed")))
            continue
        # npm starts slowly (it loads its whole config), so it gets more time than a probe
        limit = max(timeout, 15.0) if tool.argv[0] == "npm" else max(timeout, 5.0)
        start = world.monotonic()
        result = world.run([exe, *tool.argv[1:]], limit, world.env)
        outputs.append(ToolOutput(tool, result, round(world.monotonic() - start, 3)))
    return outputs
