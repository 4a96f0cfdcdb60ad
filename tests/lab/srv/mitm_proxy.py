"""TLS-intercepting middlebox for the lab: a forward proxy that answers CONNECT, or a transparent one.

Either way the client gets a leaf for the host it asked for, signed by the 'Contoso SSL Inspection' CA
(which the client does not trust), and the decrypted bytes go on to the API mock over TLS. Each
CONNECT or TLS connection is logged as a JSON line to --log.
"""

from __future__ import annotations

import argparse
import json
import socket
import ssl
import threading
import time


def log(path: str, **rec: object) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"t": time.time(), **rec}) + "\n")


def pump(a: socket.socket, b: socket.socket) -> None:
    try:
        while data := a.recv(65536):
            b.sendall(data)
    except OSError:
        pass  # either side went away: the tunnel is over
    finally:
        for s in (a, b):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass  # already closed


def serve(
    conn: socket.socket, args: argparse.Namespace, server_ctx: ssl.SSLContext, upstream_ctx: ssl.SSLContext
) -> None:
    with conn:
        if not args.transparent:
            head = b""
            while b"\r\n\r\n" not in head:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                head += chunk
            line = head.split(b"\r\n", 1)[0].decode("latin-1")
            log(args.log, kind="request", line=line)
            if not line.startswith("CONNECT "):
                conn.sendall(b"HTTP/1.1 405 Method Not Allowed\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
                return
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        else:
            log(args.log, kind="tls-connection")
        try:
            tls = server_ctx.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError) as exc:
            log(args.log, kind="handshake-failed", error=str(exc))
            return
        log(args.log, kind="handshake-ok")
        up = upstream_ctx.wrap_socket(
            socket.create_connection((args.upstream_host, args.upstream_port)), server_hostname="api.anthropic.com"
        )
        t = threading.Thread(target=pump, args=(up, tls), daemon=True)
        t.start()
        pump(tls, up)
        t.join(5)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument(
        "--transparent", action="store_true", help="no CONNECT: TLS straight away (iptables-free: listen on :443)"
    )
    ap.add_argument("--cert", required=True, help="chain the middlebox presents (leaf first)")
    ap.add_argument("--key", required=True)
    ap.add_argument("--upstream-host", default="127.0.0.1")
    ap.add_argument("--upstream-port", type=int, default=443)
    ap.add_argument("--upstream-ca", required=True, help="root that signs the API mock")
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(args.cert, args.key)
    upstream_ctx = ssl.create_default_context(cafile=args.upstream_ca)
    lsock = socket.create_server(("127.0.0.1", args.port), reuse_port=False)
    # Readiness is announced here, not probed by connecting: a probe would count as a TLS connection in the log.
    print("ready", flush=True)
    while True:
        conn, _ = lsock.accept()
        threading.Thread(target=serve, args=(conn, args, server_ctx, upstream_ctx), daemon=True).start()


if __name__ == "__main__":
    main()
