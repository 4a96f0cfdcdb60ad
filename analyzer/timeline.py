"""Collect request/response exchanges from HAR and curl evidence, for report timelines."""

from __future__ import annotations

from .model import Evidence, Exchange

MAX_EXCHANGES = 2000
PHASES = ("blocked", "dns", "connect", "ssl", "send", "wait", "receive")
_KINDS = {"request", "response", "timing", "connect-error", "curl-exit", "tls-error", "proxy-reply"}


class TimelineBuilder:
    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], Exchange] = {}

    def add(self, ev: Evidence) -> None:
        if ev.kind not in _KINDS or ev.source not in ("har", "curl") or ev.request is None:
            return
        key = (ev.where.path, ev.request)
        ex = self._by_key.get(key)
        if ex is None:
            if len(self._by_key) >= MAX_EXCHANGES:
                return
            ex = self._by_key[key] = Exchange(ev.where.path, ev.request, line=ev.where.line, entry=ev.where.entry)
        f = ev.fields
        if ev.kind == "request" and f.get("method") != "CONNECT":
            ex.method = str(f.get("method") or ex.method)
            ex.url = str(f.get("url") or f.get("path") or ex.url)
            ex.started = ev.at or ex.started
        elif ev.kind == "response":
            if isinstance(f.get("status"), int):
                ex.status = f["status"]
            ex.url = ex.url or str(f.get("url") or "")
            if f.get("error"):
                ex.error = str(f["error"])
        elif ev.kind == "timing":
            for phase in PHASES:
                value = f.get(phase)
                if isinstance(value, (int, float)) and value >= 0:
                    ex.phases[phase] = float(value)
        elif ev.kind == "proxy-reply" and isinstance(f.get("status"), int) and f["status"] != 200:
            ex.error = ex.error or f"proxy answered {f['status']}"
        elif ev.kind in ("connect-error", "curl-exit", "tls-error"):
            ex.error = ex.error or str(f.get("code") or f.get("message") or ev.text)[:120]

    def exchanges(self) -> list[Exchange]:
        return list(self._by_key.values())
