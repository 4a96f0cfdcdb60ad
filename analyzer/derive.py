"""Facts that need more than one piece of evidence: derived after every file is parsed.

A rule matcher sees one piece of evidence at a time; some causes are relations between
several ("the base URL's host is listed in NO_PROXY while a proxy is set", "the refused
address is the base URL's gateway"). This module reads the few configuration and failure
records of a bundle and emits `fact` evidence (source "derived") that rules match like any
other kind: `kind: fact`, `where: {name: base_url_in_no_proxy}`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import regex

from .model import Evidence
from .sources.common import is_anthropic_host, split_url
from .vocabulary import VOCAB

KEEP_KINDS = {"env-var", "setting", "proxy", "status", "connect-error", "client", "startup-check", "request"}
# Records that show something failed; configuration-only rules stay below 0.5 without one.
FAILURE_KINDS = {"api-error", "connect-error", "tls-error", "startup-check", "retry", "exception"}
_BASE_URL_NAMES = {
    "ANTHROPIC_BASE_URL",
    "ANTHROPIC_API_URL",
    "BASE_URL",
    "anthropic_base_url",
    "baseurl",
    "anthropic base url",
    "api base url",
}
_PROXY_NAMES = {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"}
_LOCAL = regex.compile(r"^(localhost|127\.\d+\.\d+\.\d+|0\.0\.0\.0|::1|\[::1\]|host\.docker\.internal)$", regex.I)


class FactBuilder:
    """Collects the records facts are made of (a handful per bundle), then derives facts."""

    def __init__(self) -> None:
        self.records: list[Evidence] = []
        self.failure: Evidence | None = None
        self.surfaces: dict[str, Evidence] = {}  # generic failure surface -> its first record
        self.explained = False  # a failure that names its layer (a code, a status) was seen

    def add(self, ev: Evidence) -> None:
        if ev.kind in KEEP_KINDS and len(self.records) < 5000:
            self.records.append(ev)
        if _is_failure(ev):
            if self.failure is None:
                self.failure = ev
            surface = _generic_surface(ev)
            if surface is None:
                self.explained = True
            elif surface:
                self.surfaces.setdefault(surface, ev)

    def facts(self) -> Iterator[Evidence]:
        if self.failure is not None:
            yield _fact(self.failure, "failure_seen", failure_kind=self.failure.kind)
        if self.surfaces and not self.explained:
            # Every failure is generic: the thin-evidence rules rank the layer's causes.
            surface = next(s for s in ("reset", "timeout", "connection", "startup") if s in self.surfaces)
            yield _fact(self.surfaces[surface], "failure_unexplained", surface=surface)
        base = self._base_url()
        proxy = self._proxy()
        no_proxy = self._no_proxy()
        if base is not None:
            ev, url = base
            parts = split_url(url)
            host = parts.get("host", "")
            yield _fact(
                ev,
                "base_url",
                url=url,
                host=host,
                port=parts.get("port"),
                path=parts.get("path", "/"),
                anthropic=is_anthropic_host(host),
                local=bool(_LOCAL.match(host or "")),
            )
            path = (parts.get("path") or "/").rstrip("/")
            if regex.search(r"/v1(?:/messages)?$|/messages$", path):
                yield _fact(ev, "base_url_extra_path", url=url, path=path)
            if host and not is_anthropic_host(host):
                yield _fact(ev, "base_url_non_anthropic", url=url, host=host, local=bool(_LOCAL.match(host)))
            if proxy is not None and no_proxy is not None and host:
                entries = [e.strip() for e in regex.split(r"[,\s]+", no_proxy[1]) if e.strip()]
                if any(_no_proxy_matches(e, host, parts.get("port")) for e in entries):
                    yield _fact(no_proxy[0], "base_url_in_no_proxy", host=host, no_proxy=no_proxy[1], proxy=proxy[1])
            for ce in self.records:
                if ce.kind == "connect-error" and host and _same_endpoint(ce, host, parts.get("port")):
                    yield _fact(
                        ce,
                        "connect_error_to_base_url",
                        host=host,
                        code=ce.fields.get("code"),
                        local=bool(_LOCAL.match(host)),
                    )
        if proxy is not None:
            ev, url = proxy
            pparts = split_url(url if "://" in url else f"http://{url}") if url else {}
            yield _fact(
                ev,
                "proxy_configured",
                url=url or None,
                variable=ev.fields.get("name") or ev.fields.get("variable"),
                local=bool(_LOCAL.match(pparts.get("host") or "")) if url else None,
                # user:password@ in the URL (the password is already redacted to ***)
                credentials=("@" in url.split("://", 1)[-1].split("/", 1)[0]) if url else None,
            )
            for ce in self.records:
                if (
                    ce.kind == "connect-error"
                    and pparts.get("host")
                    and _same_endpoint(ce, pparts["host"], pparts.get("port"))
                    and str(ce.fields.get("code", "")).upper() not in ("ENOTFOUND", "EAI_AGAIN")
                ):
                    yield _fact(
                        ce,
                        "connect_error_to_proxy",
                        host=pparts["host"],
                        port=pparts.get("port"),
                        code=ce.fields.get("code"),
                    )
        if no_proxy is not None:
            bad = [
                e
                for e in regex.split(r"[,\s]+", no_proxy[1])
                if e and (regex.search(r"://|^\*\.", e) or e.endswith("/"))
            ]
            if bad:
                yield _fact(no_proxy[0], "no_proxy_bad_syntax", entries=",".join(bad))
        else:
            if proxy is not None:
                yield _fact(proxy[0], "no_proxy_unset")

    def _base_url(self) -> tuple[Evidence, str] | None:
        for ev in self.records:
            name = str(ev.fields.get("name") or ev.fields.get("key") or "")
            if ev.kind in ("env-var", "status", "setting") and name.strip() in _BASE_URL_NAMES:
                value = str(ev.fields.get("value") or "").strip().strip("'\"")
                if value:
                    return ev, value
        return None

    def _proxy(self) -> tuple[Evidence, str] | None:
        for ev in self.records:
            if ev.kind == "env-var" and str(ev.fields.get("name", "")) in _PROXY_NAMES and ev.fields.get("value"):
                return ev, str(ev.fields["value"])
        for ev in self.records:
            # OS/npm/git proxy settings (via config) do not reach the client's process.
            if ev.kind == "proxy" and ev.fields.get("url") and ev.fields.get("via") != "config":
                return ev, str(ev.fields["url"])
        for ev in self.records:
            # The client itself says a proxy variable is set ("A proxy is configured via HTTPS_PROXY"):
            # the value is not shown, the fact that a proxy is in the path is.
            if ev.kind == "proxy" and ev.fields.get("variable") and ev.fields.get("via") != "config":
                return ev, ""
        return None

    def _no_proxy(self) -> tuple[Evidence, str] | None:
        for ev in self.records:
            if ev.kind == "env-var" and str(ev.fields.get("name", "")).lower() == "no_proxy" and ev.fields.get("value"):
                return ev, str(ev.fields["value"])
        return None


def _is_failure(ev: Evidence) -> bool:
    if ev.kind in FAILURE_KINDS:
        return True
    status = ev.fields.get("status")
    if ev.kind in ("response", "proxy-reply") and isinstance(status, int) and status >= 400:
        return True
    return ev.kind == "curl-exit" and ev.fields.get("code") not in (0, None)


def _generic_surface(ev: Evidence) -> str | None:
    """The generic surface a failure shows ("connection", "timeout", "startup"), "" for a record
    that neither decides nor shows one (a retry, an exception class), None when it names its layer."""
    status = ev.fields.get("status")
    if isinstance(status, int) or ev.kind in ("tls-error", "curl-exit", "response", "proxy-reply"):
        return None
    code = str(ev.fields.get("code") or "")
    if ev.kind == "startup-check":
        return "startup" if not code else None
    if ev.kind == "connect-error":
        return VOCAB.unexplained_failure_codes.get(code)
    if ev.kind == "api-error":
        return "" if not (ev.fields.get("error_type") or ev.fields.get("message_code")) else None
    return ""  # retry, exception: the records beside them decide


def _fact(ev: Evidence, name: str, **fields) -> Evidence:
    text = (
        f"{name}: "
        + ", ".join(f"{k}={v}" for k, v in fields.items() if v not in (None, ""))
        + f" (from {ev.text[:120]})"
    )
    return Evidence.make("derived", "fact", text, ev.where, name=name, **fields)


def _no_proxy_matches(entry: str, host: str, port: int | None) -> bool:
    """NO_PROXY semantics most clients share: `*`, exact host, `.suffix`, `suffix`, host:port, CIDR."""
    entry = entry.lower().strip()
    host = host.lower()
    if entry == "*":
        return True
    if ":" in entry and not entry.count(":") > 1:
        name, _, eport = entry.partition(":")
        if port is not None and eport.isdigit() and int(eport) != port:
            return False
        entry = name
    if "/" in entry:
        try:
            return ipaddress.ip_address(host) in ipaddress.ip_network(entry, strict=False)
        except ValueError:
            return False
    entry = entry.lstrip("*")
    if entry.startswith("."):
        return host.endswith(entry) or host == entry[1:]
    return host == entry or host.endswith("." + entry)


def _same_endpoint(ev: Evidence, host: str, port: int | None) -> bool:
    f = ev.fields
    target = str(f.get("host") or f.get("address") or "").lower()
    if not target:
        m = regex.search(r"(?:\d{1,3}\.){3}\d{1,3}|localhost|\[[0-9a-f:]+\]", ev.text, regex.I)
        target = m.group(0).lower() if m else ""
    if not target:
        return False
    local_pair = bool(_LOCAL.match(target)) and bool(_LOCAL.match(host))
    if target != host.lower() and not local_pair:
        return False
    eport = f.get("port")
    return port is None or eport is None or str(eport) == str(port)
