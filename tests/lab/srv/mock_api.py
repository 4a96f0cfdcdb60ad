"""Local mock of the Anthropic API for the lab (never the real API).

One process, one mode. Bodies are copied from the visible lab captures in shared/lab, so a fault
looks to the client the way it looked there. Every request is appended as one JSON line to --log
(method, path, status) for the server-side check the truth notes report.

Modes:
  ok            /v1/messages answers a message (SSE when the request asks for stream)
  401 429 529   /v1/messages answers that error; other paths as in ok
  credit        /v1/messages -> 400 credit balance too low
  model404      /v1/messages -> 404 not_found_error for retired model ids, others as in ok
  edge403       every path -> 403 {"error":{"type":"forbidden","message":"Request not allowed"}}, cf-ray, no request-id
  gogw404       a Go net/http gateway: /v1/messages works, every other path -> 404 '404 page not found'
  openai-compat an OpenAI-compatible server: everything but /v1/models -> 404 {"detail":"Not Found"}
"""

from __future__ import annotations

import argparse
import itertools
import json
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG = "00000000-0000-0000-0000-000000000000"
RETIRED = {"claude-3-opus-20240229", "claude-3-sonnet-20240229", "claude-2.1", "claude-2.0", "claude-instant-1.2"}
RATE_LIMIT_MSG = (
    f"This request would exceed the rate limit for your organization ({ORG}) of 30,000 input tokens per minute. "
    "For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current "
    "usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact "
    "sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."
)
CREDIT_MSG = (
    "Your credit balance is too low to access the Anthropic API. "
    "Please go to Plans & Billing to upgrade or purchase credits."
)
ANSWER = "Hi! How can I help you today?"

_ids = itertools.count(1)
_lock = threading.Lock()


def next_request_id() -> str:
    with _lock:
        return f"req_011CMOCK{next(_ids):016d}"


class Handler(BaseHTTPRequestHandler):
    server_version = "mock"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    mode = "ok"
    log_path = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, status: int) -> None:
        with _lock, open(self.log_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"t": time.time(), "method": self.command, "path": self.path, "status": status}) + "\n")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)
        self._record(status)

    def _json(self, status: int, obj: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _api_error(self, status: int, etype: str, message: str, extra: dict[str, str] | None = None) -> None:
        rid = next_request_id()
        body = {"type": "error", "error": {"type": etype, "message": message}, "request_id": rid}
        self._json(status, body, {"request-id": rid, **(extra or {})})

    def _body(self) -> dict:
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            obj = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return obj if isinstance(obj, dict) else {}

    def _message(self, req: dict) -> None:
        rid = next_request_id()
        model = str(req.get("model") or "claude-sonnet-4-5")
        msg = {
            "id": "msg_01MOCK" + rid[-10:],
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": ANSWER}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
        if not req.get("stream"):
            self._json(200, msg, {"request-id": rid})
            return
        start = dict(msg, content=[], stop_reason=None, usage={"input_tokens": 10, "output_tokens": 1})
        events = [
            ("message_start", {"type": "message_start", "message": start}),
            (
                "content_block_start",
                {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}},
            ),
            (
                "content_block_delta",
                {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": ANSWER}},
            ),
            ("content_block_stop", {"type": "content_block_stop", "index": 0}),
            (
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                    "usage": {"output_tokens": 10},
                },
            ),
            ("message_stop", {"type": "message_stop"}),
        ]
        body = "".join(f"event: {e}\ndata: {json.dumps(d)}\n\n" for e, d in events).encode()
        self._send(200, body, "text/event-stream", {"request-id": rid, "cache-control": "no-cache"})

    def _handle(self) -> None:
        path = self.path.split("?", 1)[0]
        req = self._body() if self.command == "POST" else {}
        mode = self.mode
        if mode == "edge403":
            body = json.dumps({"error": {"type": "forbidden", "message": "Request not allowed"}}).encode()
            self._send(403, body, "application/json", {"cf-ray": "8f0c0ffee0000000-FRA", "server": "cloudflare"})
            return
        if mode == "openai-compat":
            if path == "/v1/models":
                self._json(
                    200, {"object": "list", "data": [{"id": "local-model", "object": "model", "owned_by": "me"}]}
                )
            else:
                self._json(404, {"detail": "Not Found"})
            return
        is_messages = path == "/v1/messages" and self.command == "POST"
        if mode == "gogw404":
            if is_messages:
                self._message(req)
            else:
                self._send(
                    404, b"404 page not found\n", "text/plain; charset=utf-8", {"x-content-type-options": "nosniff"}
                )
            return
        if is_messages:
            model = str(req.get("model") or "")
            if mode == "401":
                return self._api_error(401, "authentication_error", "invalid x-api-key")
            if mode == "429":
                hdr = {"retry-after": "4", "anthropic-ratelimit-input-tokens-limit": "30000"}
                hdr["anthropic-ratelimit-input-tokens-remaining"] = "0"
                return self._api_error(429, "rate_limit_error", RATE_LIMIT_MSG, hdr)
            if mode == "529":
                return self._api_error(529, "overloaded_error", "Overloaded")
            if mode == "credit":
                return self._api_error(400, "invalid_request_error", CREDIT_MSG)
            if mode == "model404" and model in RETIRED:
                return self._api_error(404, "not_found_error", f"model: {model}")
            return self._message(req)
        if path in ("/api/hello", "/v1/oauth/hello"):  # the start-up check (api. and console. hosts)
            return self._json(200, {"message": "hello"})
        if path == "/v1/messages/count_tokens":
            return self._json(200, {"input_tokens": 10})
        if path.startswith("/v1/"):
            return self._api_error(404, "not_found_error", "Not Found")
        # Start-up side calls (/api/oauth/..., /api/claude_code/..., telemetry): an empty success.
        self._json(200, {})

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=443)
    ap.add_argument("--cert", help="PEM chain (leaf first); plain HTTP when absent")
    ap.add_argument("--key")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    Handler.mode, Handler.log_path = args.mode, args.log
    httpd = ThreadingHTTPServer((args.host, args.port), Handler)
    if args.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(args.cert, args.key)
        httpd.socket = ctx.wrap_socket(httpd.socket, server_side=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
