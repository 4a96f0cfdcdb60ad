"""Tiny UDP DNS responder on 127.0.0.1:53 for the lab: NXDOMAIN for every name, or never answer.

Each query is logged as a JSON line (name, action) to --log, so a capture can say how many queries
the client sent for api.anthropic.com.
"""

from __future__ import annotations

import argparse
import json
import socket
import time


def qname(packet: bytes) -> str:
    labels, i = [], 12
    while i < len(packet) and packet[i]:
        n = packet[i]
        labels.append(packet[i + 1 : i + 1 + n].decode("ascii", "replace"))
        i += 1 + n
    return ".".join(labels)


def nxdomain(query: bytes) -> bytes:
    # Same id and question (without the query's EDNS record); flags: response, RD copied, RA, rcode 3.
    end = 12
    while end < len(query) and query[end]:
        end += 1 + query[end]
    end += 5  # the zero label, QTYPE, QCLASS
    flags = 0x8000 | (query[2] & 0x01) << 8 | 0x0080 | 3
    return query[:2] + flags.to_bytes(2, "big") + b"\x00\x01" + b"\x00" * 6 + query[12:end]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["nxdomain", "silent"], required=True)
    ap.add_argument("--log", required=True)
    args = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 53))
    while True:
        data, peer = sock.recvfrom(4096)
        if len(data) < 12:
            continue
        with open(args.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"t": time.time(), "name": qname(data), "action": args.mode}) + "\n")
        if args.mode == "nxdomain":
            sock.sendto(nxdomain(data), peer)


if __name__ == "__main__":
    main()
