"""Local mock of a provider behind a gateway (never a real provider): plain HTTP on 127.0.0.1.

One process, one shape, one mode. Anthropic-shaped bodies are those of the lab's API mock (copied from the
visible lab captures); OpenAI-shaped bodies follow the {"error":{"message","type","param","code"}} layout of
OpenAI's API. The messages are the mock's own: in a capture, only what the gateway adds around them is the
gateway's wording. Every request is one JSON line in --log (method, path, status, auth header names).

  --shape anthropic  POST /v1/messages (and /v1/messages/count_tokens)
  --shape openai     POST /v1/chat/completions (error modes: /v1/responses too); any other path -> 404 OpenAI-shaped
                     'Invalid URL'
  --mode ok | 401 | 429 | 529 | 500 | 503 | hang (accept, read the request, never answer)
"""

from __future__ import annotations

import argparse
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ANSWER = "Hi! How can I help you today?"
_ids = itertools.count(1)
_lock = threading.Lock()

ANTHROPIC_ERRORS = {
    "401": (401, "authentication_error", "invalid x-api-key"),
    "429": (
        429,
        "rate_limit_error",
        "This request would exceed the rate limit for your organization of 30,000 input tokens per minute.",
    ),
    "529": (529, "overloaded_error", "Overloaded"),
    "500": (500, "api_error", "Internal server error"),
    "503": (503, "api_error", "Service unavailable"),
}
OPENAI_ERRORS = {
    "401": (401, "Incorrect API key provided: sk-upstr*********HOLDER.", "invalid_request_error", "invalid_api_key"),
    "429": (
        429,
        "Rate limit reached for requests per minute (RPM): Limit 3, Used 3, Requested 1.",
        "requests",
        "rate_limit_exceeded",
    ),
    "529": (529, "The server is overloaded, please try again later.", "server_error", None),
    "500": (500, "The server had an error while processing your request.", "server_error", None),
    "503": (503, "The server is overloaded, please try again later.", "server_error", None),
}


def rid() -> str:
    with _lock:
        return f"{next(_ids):016d}"


class Handler(BaseHTTPRequestHandler):
    server_version = "upstream-mock"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    shape = "anthropic"
    mode = "ok"
    log_path = ""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _record(self, status: int | str) -> None:
        auth = [h for h in ("authorization", "x-api-key", "api-key") if self.headers.get(h)]
        rec = {"t": time.time(), "method": self.command, "path": self.path, "status": status, "auth": auth}
        with _lock, open(self.log_path, "a", encoding="utf-8") as fh:
            fh.write(json.dumps(rec) + "\n")

    def _send(self, status: int, body: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self._record(status)

    def _json(self, status: int, obj: object, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _body(self) -> dict:
        n = int(self.headers.get("content-length") or 0)
        raw = self.rfile.read(n) if n else b""
        try:
            obj = json.loads(raw or b"{}")
        except ValueError:
            return {}
        return obj if isinstance(obj, dict) else {}

    def _sse(self, events: list[tuple[str | None, object]], headers: dict[str, str]) -> None:
        body = "".join(
            (f"event: {e}\n" if e else "") + f"data: {d if isinstance(d, str) else json.dumps(d)}\n\n"
            for e, d in events
        )
        self._send(200, body.encode(), "text/event-stream", {"cache-control": "no-cache", **headers})

    def _anthropic_ok(self, req: dict) -> None:
        r = "req_011CUPSTREAM" + rid()
        model = str(req.get("model") or "claude-sonnet-4-5")
        msg = {
            "id": "msg_01UPSTREAM" + r[-10:],
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "text", "text": ANSWER}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 10},
        }
        if not req.get("stream"):
            return self._json(200, msg, {"request-id": r})
        start = dict(msg, content=[], stop_reason=None, usage={"input_tokens": 10, "output_tokens": 1})
        self._sse(
            [
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
            ],
            {"request-id": r},
        )

    def _openai_ok(self, req: dict) -> None:
        cid = "chatcmpl-UPSTREAM" + rid()
        model = str(req.get("model") or "gpt-4o")
        usage = {"prompt_tokens": 10, "completion_tokens": 10, "total_tokens": 20}
        if not req.get("stream"):
            return self._json(
                200,
                {
                    "id": cid,
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": model,
                    "choices": [
                        {"index": 0, "message": {"role": "assistant", "content": ANSWER}, "finish_reason": "stop"}
                    ],
                    "usage": usage,
                },
            )
        base = {"id": cid, "object": "chat.completion.chunk", "created": int(time.time()), "model": model}
        self._sse(
            [
                (
                    None,
                    dict(
                        base,
                        choices=[{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}],
                    ),
                ),
                (None, dict(base, choices=[{"index": 0, "delta": {"content": ANSWER}, "finish_reason": None}])),
                (None, dict(base, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}], usage=usage)),
                (None, "[DONE]"),
            ],
            {},
        )

    def _handle(self) -> None:
        path = self.path.split("?", 1)[0]
        req = self._body() if self.command == "POST" else {}
        if self.mode == "hang":
            self._record("hang")
            time.sleep(600)
            return
        if self.shape == "anthropic":
            if path.endswith("/v1/messages/count_tokens"):
                return self._json(200, {"input_tokens": 10})
            if not path.endswith("/v1/messages"):
                r = "req_011CUPSTREAM" + rid()
                return self._json(
                    404,
                    {"type": "error", "error": {"type": "not_found_error", "message": "Not Found"}, "request_id": r},
                    {"request-id": r},
                )
            if self.mode in ANTHROPIC_ERRORS:
                status, etype, message = ANTHROPIC_ERRORS[self.mode]
                r = "req_011CUPSTREAM" + rid()
                extra = {"retry-after": "4"} if status == 429 else {}
                return self._json(
                    status,
                    {"type": "error", "error": {"type": etype, "message": message}, "request_id": r},
                    {"request-id": r, **extra},
                )
            return self._anthropic_ok(req)
        # openai: LiteLLM sends an Anthropic request for an openai/ model to the Responses API
        served = path.endswith("/chat/completions") or (self.mode in OPENAI_ERRORS and "/responses" in path)
        if not served:
            return self._json(
                404,
                {
                    "error": {
                        "message": f"Invalid URL ({self.command} {path})",
                        "type": "invalid_request_error",
                        "param": None,
                        "code": None,
                    }
                },
            )
        if self.mode in OPENAI_ERRORS:
            status, message, etype, code = OPENAI_ERRORS[self.mode]
            extra = {"retry-after": "4"} if status == 429 else {}
            return self._json(
                status, {"error": {"message": message, "type": etype, "param": None, "code": code}}, extra
            )
        return self._openai_ok(req)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _handle


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", choices=["anthropic", "openai"], required=True)
    ap.add_argument("--mode", default="ok")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    Handler.shape, Handler.mode, Handler.log_path = args.shape, args.mode, args.log
    httpd = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    print("ready", flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
