"""The wrapping a paste arrives in, taken off line by line so a capture parses like the raw file.

An issue body quotes what a user pasted (`> ` markers, nested), fences it (```` ```bash ````,
`~~~`), folds it (`<details><summary>..</summary>`, `<pre>`, `<code>`), bolds it and, when the
body went through HTML, escapes it (`&gt;`, `&quot;`). `Unwrap.detect(head)` says from a file's
first bytes which of these the file shows; `Unwrap.lines(block)` then gives every line as the
capture had it, one output line per input line, so line numbers stay the file's own.

A Node error dump (axios prints its whole request agent with every error) carries Node's
`http.STATUS_CODES` table, `'407': 'Proxy Authentication Required',` row after row: names of
every status, not an answer. Those rows are blanked, so no rule reads a 407, 413, 429 or 500 in them.

Nothing is unwrapped in a file that shows none of it (a raw curl -v, a debug log, JSON): the
detection runs once per file, the per-line work only where a wrapping was seen. A `curl -v`
transcript has `> ` lines of its own (its request): in a quoted one only the quote's markers
go (as many as its least-quoted line has), and a raw one is left alone.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .lazy import lazy_regex

# A quote marker run at a line start (Markdown allows three spaces before it).
_QUOTE = lazy_regex(r"^[ \t]{0,3}>[ \t]?")
_QUOTED_LINE = lazy_regex(r"(?m)^[ \t]{0,3}>")
# A fence opens or closes a code block: ``` or ~~~, an optional info string (bash, text, console).
_FENCE_LINE = lazy_regex(r"^[ \t]{0,6}(?:`{3,}|~{3,})[ \t]*[\w+.#-]*[ \t]*$")
_FENCE_ANY = lazy_regex(r"(?m)^[ \t]{0,6}(?:>[ \t]?)*(?:`{3,}|~{3,})")
_FENCED_INLINE = lazy_regex(r"^[ \t]*`{3}(?P<body>[^`].*?)`{3}[ \t]*$")
# The HTML an issue body folds a paste in; other tags (an HTML error page) are content.
_TAGS = lazy_regex(r"(?i)</?(?:details|summary|pre|code|samp|kbd|blockquote)\b[^>\n]{0,200}?/?>")
_TAG_SEEN = lazy_regex(r"(?im)^[ \t]*(?:>[ \t]?)*<(?:details|summary|pre|code|blockquote)\b")
_ENTITY = lazy_regex(r"&(?:gt|lt|quot|amp|apos|nbsp|#39|#x27|#34|#62|#60);")
_BOLD = lazy_regex(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_INLINE_CODE = lazy_regex(r"^(?P<lead>[ \t]*)`(?P<body>[^`]+)`[ \t]*$")
# curl -v's own lines: its request (`> GET / HTTP/1.1`, `> Host: x`, a bare `>`), the response
# (`< HTTP/2 403`) and the info lines (`* Trying`, `* Connected to`).
_CURL_OWN = lazy_regex(
    r"(?m)^(?:[ \t]{0,3}>[ \t]?)*"
    r"(?:< HTTP/|> (?:GET|POST|PUT|HEAD|DELETE|PATCH|OPTIONS|CONNECT) \S+ HTTP/|\* (?:Trying|Connected to) )"
)
_CURL_QUOTED = lazy_regex(r"(?m)^(?:[ \t]{0,3}>[ \t]?)+(?:[*<] |> (?:GET|POST|CONNECT|HEAD|PUT) )")
_MARKERS = lazy_regex(r"(?m)^(?:[ \t]{0,3}>[ \t]?)+")
# A row of Node's status-name table; a dump holds the whole table (over sixty rows).
_STATUS_ROW = lazy_regex(r"^[ \t]*'[1-5]\d\d': '[^'\n]*',?[ \t]*$")
_STATUS_ROWS = lazy_regex(r"(?m)^[ \t]*'(?:40[0-9]|41[0-9])': '[^'\n]*',?[ \t]*$")
_STATUS_TABLE_MIN = 10


@dataclass(frozen=True)
class Unwrap:
    """Which wrappings a file shows; `lines` takes them off."""

    quotes: bool = False
    curl: bool = False  # the file holds curl -v lines: its request lines keep their own `> `
    depth: int = 1  # the quote depth of a quoted curl -v (the fewest markers on a quoted line)
    fences: bool = False
    tags: bool = False
    entities: bool = False
    status_table: bool = False  # a dumped status-name table: its rows are blanked

    @classmethod
    def detect(cls, head: str) -> Unwrap | None:
        """The wrappings of a file from its head; None for a file that shows none (most files)."""
        body = head.lstrip("\ufeff \t\r\n")
        if body[:1] in "{[" or body[:9].lower() in ("<!doctype", "<html>", "<?xml ver") or body[:5] == "<html":
            return None  # JSON, HAR, HTML, XML: documents of their own
        fences = _FENCE_ANY.search(head) is not None
        tags = _TAG_SEEN.search(head) is not None
        curl = _CURL_OWN.search(head) is not None
        quotes = _QUOTED_LINE.search(head) is not None and (not curl or _CURL_QUOTED.search(head) is not None)
        status_table = len(_STATUS_ROWS.findall(head)) >= _STATUS_TABLE_MIN
        if not (quotes or fences or tags or status_table):
            return None
        entities = _ENTITY.search(head) is not None
        depth = 1
        if quotes and curl:
            depth = min(m.group().count(">") for m in _MARKERS.finditer(head))
        return cls(
            quotes=quotes,
            curl=curl,
            depth=depth,
            fences=fences,
            tags=tags,
            entities=entities,
            status_table=status_table,
        )

    def lines(self, block: str) -> str:
        """`block` (lines joined by `\\n`) with each line unwrapped; as many lines as it had."""
        return "\n".join(self.line(line) for line in block.split("\n"))

    def line(self, line: str) -> str:
        if line.endswith("\r"):  # Doc.text() keeps a CRLF file's carriage returns
            return self.line(line[:-1]) + "\r"
        if self.quotes:
            line = self._unquote(line)
        if self.status_table and _STATUS_ROW.match(line):
            return ""
        if self.fences:
            if _FENCE_LINE.match(line):
                return ""
            m = _FENCED_INLINE.match(line)
            if m:
                line = m.group("body")
        if self.tags and "<" in line:
            line = _TAGS.sub("", line)
        if self.entities and "&" in line:
            line = _ENTITY.sub(lambda m: html.unescape(m.group()), line)
        if "**" in line:
            line = _BOLD.sub(r"\1", line)
        if "`" in line:
            m = _INLINE_CODE.match(line)
            if m:
                line = m.group("lead") + m.group("body")
        return line

    def _unquote(self, line: str) -> str:
        # In a quoted curl -v the quote is `depth` markers deep and what is left of `> > GET` is
        # curl's request line; elsewhere every marker is a quote's (nested replies).
        left = self.depth if self.curl else -1
        while left:
            m = _QUOTE.match(line)
            if m is None:
                return line
            line, left = line[m.end() :], left - 1
        return line
