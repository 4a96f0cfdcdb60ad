#!/usr/bin/env python3
"""Tiny UDP DNS responder on 127.0.0.1:53: --mode nxdomain answers NXDOMAIN to every query, --mode drop
reads queries and never answers (a dead resolver). One JSON line per query in --log."""

from __future__ import annotations

import argparse
import json
import socket
import time


def qname(packet: bytes) -> tuple[str, int]:
    labels, i = [], 12
    while i < len(packet) and packet[i]:
        n = packet[i]
        labels.append(packet[i + 1 : i + 1 + n].decode("ascii", "replace"))
        i += n + 1
    qtype = int.from_bytes(packet[i + 1 : i + 3], "big") if i + 3 <= len(packet) else 0
    return ".".join(labels), qtype


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mode", choices=["nxdomain", "drop"], required=True)
    ap.add_argument("--log", required=True)
    opts = ap.parse_args()
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 53))
    while True:
        packet, peer = sock.recvfrom(4096)
        if len(packet) < 12:
            continue
        name, qtype = qname(packet)
        if opts.mode == "nxdomain":
            # same id, QR=1, opcode and RD copied, RA=1, RCODE=3; question echoed, no answers
            flags = 0x8000 | (int.from_bytes(packet[2:4], "big") & 0x7900) | 0x0080 | 3
            qd_end = 12 + len(name) + 2 + 4 if name else 17
            reply = packet[:2] + flags.to_bytes(2, "big") + packet[4:6] + b"\0\0\0\0\0\0" + packet[12:qd_end]
            sock.sendto(reply, peer)
        with open(opts.log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"t": round(time.time(), 3), "name": name, "qtype": qtype, "mode": opts.mode}) + "\n")


if __name__ == "__main__":
    main()
