#!/usr/bin/env python3
"""Local stand-in for api.anthropic.com (loopback only), one JSON line per event in --log.

--mode ok|401|403|429|529   what /v1/messages answers (bodies: the lab's and the reference samples')
--mode reset                accept TCP, read the TLS ClientHello, then reset the connection (SO_LINGER 0)
--cert PEM --key KEY        certificate chain presented (the TLS faults swap it)
"""

from __future__ import annotations

import argparse
import json
import socket
import ssl
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ORG = "00000000-0000-0000-0000-000000000000"
OK_BODY = {
    "id": "msg_01MOCK00000000000000000001",
    "type": "message",
    "role": "assistant",
    "model": "claude-sonnet-4-5-20250929",
    "content": [{"type": "text", "text": "Hi!"}],
    "stop_reason": "end_turn",
    "stop_sequence": None,
    "usage": {"input_tokens": 10, "output_tokens": 5},
}
# (status, body, headers): 401/429/529 bodies as in the lab captures and samples/anthropic-api/mock,
# 403 as in samples/anthropic-api/public/403-request-not-allowed-region-block.txt (Cloudflare, no request-id).
ERRORS = {
    "401": (
        401,
        {
            "type": "error",
            "error": {"type": "authentication_error", "message": "invalid x-api-key"},
            "request_id": "req_011CMOCK0000000000000001",
        },
        {"request-id": "req_011CMOCK0000000000000001", "x-should-retry": "false", "anthropic-organization-id": ORG},
    ),
    "403": (
        403,
        {"error": {"type": "forbidden", "message": "Request not allowed"}},
        {"cf-ray": "0000000000000000-XXX", "vary": "Accept-Encoding"},
    ),
    "429": (
        429,
        {
            "type": "error",
            "error": {
                "type": "rate_limit_error",
                "message": (
                    f"This request would exceed the rate limit for your organization ({ORG}) of 30,000 input "
                    "tokens per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can "
                    "see the response headers for current usage. Please reduce the prompt length or the maximum "
                    "tokens requested, or try again later. You may also contact sales at "
                    "https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase."
                ),
            },
            "request_id": "req_011CMOCK0000000000000002",
        },
        {
            "request-id": "req_011CMOCK0000000000000002",
            "retry-after": "4",
            "x-should-retry": "true",
            "anthropic-organization-id": ORG,
            "anthropic-ratelimit-input-tokens-limit": "30000",
            "anthropic-ratelimit-input-tokens-remaining": "0",
        },
    ),
    "529": (
        529,
        {
            "type": "error",
            "error": {"type": "overloaded_error", "message": "Overloaded"},
            "request_id": "req_011CMOCK0000000000000003",
        },
        {"request-id": "req_011CMOCK0000000000000003", "x-should-retry": "true"},
    ),
}

LOCK = threading.Lock()


def log(logfile: str, **event) -> None:
    event["t"] = round(time.time(), 3)
    with LOCK, open(logfile, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(event) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def version_string(self) -> str:
        return "cloudflare"  # the API's edge answers with server: cloudflare (samples/anthropic-api/public)

    def _answer(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        opts = self.server.opts  # type: ignore[attr-defined]
        if self.path.startswith("/v1/messages") and opts.mode in ERRORS:
            status, body, headers = ERRORS[opts.mode]
        elif self.path.startswith("/v1/messages"):
            status, body, headers = 200, OK_BODY, {"request-id": "req_011CMOCK0000000000000000"}
        else:
            status, body, headers = 200, {"ok": True}, {}
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        log(opts.log, event="request", method=self.command, path=self.path, status=status)

    do_GET = do_POST = _answer

    def log_message(self, fmt, *args):  # the JSON log above is the server-side record
        pass


class TLSServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, opts):
        super().__init__(("127.0.0.1", opts.port), Handler)
        self.opts = opts
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(opts.cert, opts.key)

    def process_request_thread(self, request, client_address):
        # TLS per connection in its thread, so a client that aborts the handshake is logged, not fatal
        try:
            tls = self.ctx.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log(self.opts.log, event="handshake_failed", error=str(exc))
            request.close()
            return
        log(self.opts.log, event="handshake_ok", version=tls.version())
        super().process_request_thread(tls, client_address)


def reset_server(opts) -> None:
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", opts.port))
    srv.listen(16)
    while True:
        conn, _ = srv.accept()
        conn.settimeout(10)
        try:
            hello = conn.recv(4096)
        except OSError:
            hello = b""
        # RST instead of FIN: what an SNI-filtering middlebox does after reading the ClientHello
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        conn.close()
        log(opts.log, event="reset_after_clienthello", bytes=len(hello))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", default="ok", choices=["ok", "reset", *ERRORS])
    ap.add_argument("--port", type=int, default=443)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--log", required=True)
    opts = ap.parse_args()
    if opts.mode == "reset":
        reset_server(opts)
    else:
        TLSServer(opts).serve_forever()


if __name__ == "__main__":
    main()
