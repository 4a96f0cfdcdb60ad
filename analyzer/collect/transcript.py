"""A `curl -v`-like transcript, written as the probes go, so the curl source parses it.

The vocabulary is curl's own (`*   Trying`, `* Connected to`, `> CONNECT`, `< HTTP/1.1 407`,
`* SSL certificate problem:`, `curl: (N) ...`). Facts curl has no words for go on
`* ccdiag: ...` info lines, which the curl parser ignores and rules may match.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Failure:
    """How a probed transfer ended badly: curl's exit code and final message."""

    code: int
    message: str
    kind: str  # dns, connect, timeout, proxy, tls-verify, tls, http, skipped

    def __str__(self) -> str:
        return f"curl: ({self.code}) {self.message}"


@dataclass
class Transcript:
    """Lines of one transfer; `silent` transcripts record nothing (probes that only peek)."""

    silent: bool = False
    lines: list[str] = field(default_factory=list)

    def info(self, text: str) -> None:
        self._add(f"* {text}")

    def ccdiag(self, text: str) -> None:
        self._add(f"* ccdiag: {text}")

    def sent(self, text: str) -> None:
        self._add(f"> {text}")

    def received(self, text: str) -> None:
        self._add(f"< {text}")

    def body(self, text: str) -> None:
        for line in text.splitlines():
            self._add(line)

    def fail(self, failure: Failure, *, info_first: bool = True) -> Failure:
        """curl states most fatal errors twice: as an info line, then as its exit line."""
        if info_first:
            self.info(failure.message)
        self._add(str(failure))
        return failure

    def text(self) -> str:
        return "\n".join(self.lines) + "\n" if self.lines else ""

    def _add(self, line: str) -> None:
        if not self.silent:
            self.lines.append(line)


def bracket(address: str) -> str:
    """An address as curl writes it next to a port: IPv6 in brackets."""
    return f"[{address}]" if ":" in address else address
