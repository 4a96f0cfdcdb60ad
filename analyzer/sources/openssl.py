"""`openssl s_client` output (OpenSSL 1.1 / 3.x, also `-brief` and `-proxy`), plus the issuer lines
of `keytool -printcert` and wget's "cannot verify ... issued by" warning.

s_client writes the verify callback lines (`depth=1 C = US, ...`, `verify error:num=20:...`) on
stderr, so in a merged capture they come *before* `CONNECTED(00000003)`. The chain block lists
` 0 s:<subject>` / `   i:<issuer>` / `   v:NotBefore: ...; NotAfter: ...` per certificate
(OpenSSL 1.0 wrote `/C=US/O=x/CN=y`); the session summary ends with `Verify return code: N (reason)`,
repeated (indented) in every `SSL-Session:` block printed after the handshake, hence the dedup.
A `-proxy` run that the proxy refuses prints `s_client: HTTP CONNECT failed, reason= 407 ...` and then
`Verify return code: 0 (ok)` with no certificate at all: that 0 means nothing was verified.
DNs are normalized with `common.normalize_dn` so curl, openssl and GnuTLS spellings compare equal.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import regex

from ..lazy import lazy_sniff_regex
from ..model import Evidence, Location
from ..textio import Doc
from ..vocabulary import VOCAB
from .common import lazy_regex, normalize_dn, split_url

SOURCE = "openssl"

_SNIFF = lazy_sniff_regex(
    r"(?m)CONNECTED\(\d+\)|^Certificate chain\s*$|Verify return code: \d+|verify error:num=\d+"
    r"|openssl s_client|\bs_client: |^CONNECTION ESTABLISHED\s*$"
    r"|issued by [‘`'][A-Z]{1,3}=|^Certificate fingerprints:"
    r"|^(?:Issuer|发布者|Aussteller): [A-Z]{1,3}=.*\n.*(?:Serial number|序列号|Seriennummer):"
)


def sniff(head: str) -> bool:
    return bool(_SNIFF.search(head))


_COMMAND = lazy_regex(r"\bopenssl(?:\.exe)?\s+s_client(?P<args>(?:\s+-.*)?)$")
_ARG_CONNECT = lazy_regex(r"-connect\s+(?P<hp>\S+)")
_ARG_PROXY = lazy_regex(r"-proxy\s+(?P<hp>\S+)")
_CONNECTED = lazy_regex(r"^CONNECTED\((?P<fd>[0-9A-Fa-f]+)\)")
_DEPTH = lazy_regex(r"^depth=(?P<depth>\d+) (?P<dn>.*)$")
_VERIFY_ERROR = lazy_regex(r"^verify error:num=(?P<num>\d+):(?P<reason>.+?)\s*$")
_CHAIN_SUBJECT = lazy_regex(r"^\s{0,2}(?P<depth>\d+) s:(?P<dn>.*)$")
_CHAIN_ISSUER = lazy_regex(r"^\s+i:(?P<dn>.*)$")
_CHAIN_VALIDITY = lazy_regex(r"^\s+v:NotBefore: (?P<start>.+?); NotAfter: (?P<expire>.+?)\s*$")
_CHAIN_OTHER = lazy_regex(r"^\s+a:")
_LEAF = lazy_regex(r"^(?P<key>subject|issuer)=(?P<dn>.*)$")
_PEER = lazy_regex(r"^Peer certificate: (?P<dn>.+)$")
_VERIFICATION_ERROR = lazy_regex(r"^Verification error: (?P<reason>.+?)\s*$")
_RETURN_CODE = lazy_regex(r"^(?P<indent>\s*)Verify return code: (?P<num>\d+) \((?P<reason>[^)]*)\)")
_NEW = lazy_regex(r"^(?:New|Reused), (?P<version>[^,]+), Cipher is (?P<cipher>\S+)")
_BRIEF_PROTO = lazy_regex(r"^Protocol version: (?P<version>\S+)")
_BRIEF_CIPHER = lazy_regex(r"^Ciphersuite: (?P<cipher>\S+)")
_ALPN = lazy_regex(r"^ALPN protocol: (?P<alpn>\S+)")
_PROXY_FAIL = lazy_regex(
    r"HTTP CONNECT failed[,:]?\s*(?:reason=)?\s*(?:HTTP/\d(?:\.\d)?\s+)?(?P<status>\d{3})\s*(?P<reason>.*?)\s*$"
)
_ERRNO = lazy_regex(r"^(?P<op>connect|write|read):errno=(?P<errno>\d+)")
_SSL_ERROR = lazy_regex(r"error:(?P<hex>[0-9A-Fa-f]{8}):(?P<lib>[^:]*):[^:]*:(?P<reason>[^:]+)")
_LOOKUP = lazy_regex(
    r"(?i)(?:getaddrinfo|gethostbyname|BIO_lookup)[^:]*:\s*(?P<msg>Name or service not known"
    r"|nodename nor servname provided, or not known|Temporary failure in name resolution"
    r"|No address associated with hostname)|\b(?P<msg2>Name or service not known|nodename nor servname provided)"
)
_WGET = lazy_regex(r"cannot verify (?P<host>\S+?)'s certificate, issued by [‘`'](?P<dn>.+?)[’'`]:?\s*$")
_WGET_REASON = lazy_regex(
    r"^\s+(?P<reason>Unable to locally verify the issuer's authority|Self-signed certificate encountered"
    r"|Issued certificate has expired|Issued certificate not yet valid"
    r"|certificate common name .* doesn't match requested host name .*)\.?\s*$"
)
_KEYTOOL_INDEX = lazy_regex(r"^(?:Certificate|证书|Zertifikat|Certificat)\[(?P<n>\d+)\]:")
_KEYTOOL_OWNER = lazy_regex(r"^(?:Owner|所有者|Eigentümer|Propriétaire|Propietario): (?P<dn>.+)$")
_KEYTOOL_ISSUER = lazy_regex(r"^(?:Issuer|发布者|Aussteller|Émetteur|Emetteur|Emisor): (?P<dn>.+)$")

# cheap pre-filter: a line holding none of these cannot match below (big pastes stay fast)
_KEYWORDS = (
    "depth=",
    "verify",
    "Verif",
    "CONNECT",
    "s_client",
    " s:",
    " i:",
    "v:Not",
    "subject=",
    "issuer=",
    "Peer certificate",
    "Cipher",
    "Protocol version",
    "ALPN",
    "no peer",
    "DONE",
    "errno=",
    "error:",
    "Name or service",
    "nodename",
    "getaddrinfo",
    "gethostbyname",
    "issued by",
    "Unable to",
    "Self-signed",
    "Issued certificate",
    "doesn't match",
    "Owner",
    "Issuer",
    "所有者",
    "发布者",
    "Eigentümer",
    "Aussteller",
    "Propri",
    "metteur",
    "Emisor",
    "Certifica",
    "证书",
    "Zertifikat",
)
# Big files reach this parser through a sparse view (textio.LineGate): the lines holding one of
# the keywords, each with the chain lines (`a:`, `v:`) that may follow.
TRIGGERS: dict[str, int] = dict.fromkeys(_KEYWORDS, 3)
INTEREST = TRIGGERS  # rare in a big log: read at every construct, as before


def _dn(text: str) -> str:
    """OpenSSL 1.0's `/C=US/O=x/CN=y` and 3.x's `C = US, O = x` both become `C=US, O=x, CN=y`."""
    text = text.strip()
    if text.startswith("/"):
        text = ", ".join(p for p in regex.split(r"/(?=[A-Za-z.]{1,24}=)", text) if p)
    return normalize_dn(text)


def parse(doc: Doc, wordings: frozenset[str] = frozenset()) -> Iterator[Evidence]:  # no line gate to widen
    yield from _parse(doc)


def _parse(doc: Doc) -> Iterator[Evidence]:
    st = SimpleNamespace(
        path=doc.path,
        n=0,
        key=None,
        done=True,
        target=None,
        proxy=None,
        chain=None,
        chain_seen=set(),
        depths={},
        errors={},
        codes=set(),
        no_peer=False,
        handshake=False,
        last_depth=None,
        leaf=None,
        owner=None,
        kt_index=None,
        wget=None,
    )
    for lineno, line in doc.numbered():
        yield from _line(st, lineno, line)
    yield from _end_session(st)


def _ev(st: SimpleNamespace, kind: str, text: str, line: int, **fields: Any) -> Evidence:
    return Evidence.make(SOURCE, kind, text, Location(st.path, line), request=st.key, **fields)


def _begin(st: SimpleNamespace) -> Iterator[Evidence]:
    """A new s_client run: close the previous one first."""
    yield from _end_session(st)
    st.n += 1
    st.key = f"s_client-{st.n}"
    st.done = False
    st.chain, st.chain_seen, st.depths, st.errors, st.codes = None, set(), {}, {}, set()
    st.no_peer = st.handshake = False
    st.last_depth = st.leaf = None


def _line(st: SimpleNamespace, lineno: int, line: str) -> Iterator[Evidence]:
    if st.chain is None and not any(k in line for k in _KEYWORDS):
        return
    s = line.strip()
    if st.chain is not None and not (
        _CHAIN_ISSUER.match(line) or _CHAIN_VALIDITY.match(line) or _CHAIN_OTHER.match(line)
    ):
        yield from _flush_chain(st)
    if m := _COMMAND.search(line):
        yield from _begin(st)
        yield from _command(st, lineno, s, m["args"])
        return
    if st.done and (
        _DEPTH.match(s)
        or _VERIFY_ERROR.match(s)
        or _CONNECTED.match(s)
        or _PROXY_FAIL.search(s)
        or s == "CONNECTION ESTABLISHED"
    ):
        yield from _begin(st)
    if m := _CONNECTED.match(s):
        host, port = st.target or (None, None)
        yield _ev(
            st, "connect", s, lineno, ok=True, step="connected", host=host, port=port, proxy=True if st.proxy else None
        )
    elif m := _DEPTH.match(s):
        st.depths.setdefault(int(m["depth"]), (lineno, _dn(m["dn"])))
        st.last_depth = int(m["depth"])
    elif m := _VERIFY_ERROR.match(s):
        depth = st.last_depth
        if depth is not None:
            st.errors.setdefault(depth, m["reason"])
        yield from _tls_error(st, lineno, s, m["reason"], int(m["num"]), depth=depth)
    elif m := _CHAIN_SUBJECT.match(line):
        st.chain = {"line": lineno, "depth": int(m["depth"]), "subject": _dn(m["dn"])}
    elif st.chain is not None and (m := _CHAIN_ISSUER.match(line)):
        st.chain["issuer"] = _dn(m["dn"])
    elif st.chain is not None and (m := _CHAIN_VALIDITY.match(line)):
        st.chain["start"], st.chain["expire"] = m["start"], m["expire"]
    elif m := _LEAF.match(s):
        st.leaf = st.leaf or {"line": lineno}
        st.leaf[m["key"]] = _dn(m["dn"])
        if m["key"] == "issuer":
            yield from _flush_leaf(st)
    elif m := _PEER.match(s):
        st.leaf = {"line": lineno, "subject": _dn(m["dn"])}
        yield from _flush_leaf(st)
    elif s == "no peer certificate available":
        st.no_peer = True
    elif m := _NEW.match(s):
        if m["cipher"] != "(NONE)":
            st.handshake = True
            yield _ev(
                st,
                "tls",
                s,
                lineno,
                step="established",
                version=m["version"].strip(),
                cipher=m["cipher"],
                host=_host(st),
            )
    elif m := _BRIEF_PROTO.match(s):
        st.handshake = True
        yield _ev(st, "tls", s, lineno, step="established", version=m["version"], host=_host(st))
    elif m := _BRIEF_CIPHER.match(s):
        st.handshake = True
        yield _ev(st, "tls", s, lineno, step="established", cipher=m["cipher"], host=_host(st))
    elif m := _ALPN.match(s):
        yield _ev(st, "tls", s, lineno, step="alpn", alpn=m["alpn"], host=_host(st))
    elif m := _VERIFICATION_ERROR.match(s):
        yield from _tls_error(st, lineno, s, m["reason"], None)
    elif m := _RETURN_CODE.match(line):
        num = int(m["num"])
        if num:
            yield from _tls_error(st, lineno, s, m["reason"], num)
        elif not m["indent"] and st.handshake and not st.no_peer and "ok" not in st.codes:
            st.codes.add("ok")
            yield _ev(st, "tls", s, lineno, step="verify", verify="ok", host=_host(st))
        if not m["indent"]:
            st.done = True
    elif s == "DONE":
        st.done = True
    elif m := _PROXY_FAIL.search(s):
        host, port = st.target or (None, None)
        yield _ev(
            st,
            "proxy-reply",
            s,
            lineno,
            status=int(m["status"]),
            reason=m["reason"] or None,
            host=host,
            port=port,
            proxy_host=(st.proxy or {}).get("host"),
        )
    elif m := _ERRNO.match(s):
        code = VOCAB.errno_codes.get(m["errno"])
        if m["errno"] != "0":
            host, port = st.target or (None, None)
            yield _ev(
                st,
                "connect-error",
                s,
                lineno,
                code=code or f"errno {m['errno']}",
                syscall=m["op"],
                host=host,
                port=port,
                proxy=True if st.proxy else None,
                step="connect" if m["op"] == "connect" else "tls",
            )
    elif m := _LOOKUP.search(s):
        host = (st.proxy or {}).get("host") or _host(st)
        if "dns" not in st.codes:
            st.codes.add("dns")
            yield _ev(st, "dns", s, lineno, host=host, error=m["msg"] or m["msg2"])
    elif m := _SSL_ERROR.search(s):
        reason = m["reason"].strip()
        # system/BIO errors repeat what `connect:errno=` says; only SSL-layer reasons are TLS errors,
        # and "certificate verify failed" only adds news when no `verify error:num=` line said why
        vague = "certificate verify failed" in reason and any(isinstance(c, int) for c in st.codes)
        if "SSL" in m["lib"] and m["hex"] != "00000000" and not vague:
            yield from _tls_error(st, lineno, s, reason, None, openssl_error=m["hex"])
    else:
        yield from _other_tools(st, lineno, line, s)


def _command(st: SimpleNamespace, lineno: int, s: str, args: str) -> Iterator[Evidence]:
    if m := _ARG_CONNECT.search(args):
        parts = split_url("https://" + m["hp"])
        st.target = (parts.get("host"), parts.get("port")) if parts else None
    if m := _ARG_PROXY.search(args):
        hp = m["hp"]
        parts = split_url(hp if "://" in hp else "http://" + hp)
        st.proxy = parts or None
        if parts:
            yield _ev(
                st,
                "proxy",
                s,
                lineno,
                via="cli",
                host=parts["host"],
                port=parts["port"],
                scheme=parts["scheme"],
                url=hp,
            )


def _host(st: SimpleNamespace) -> str | None:
    return st.target[0] if st.target else None


def _tls_error(
    st: SimpleNamespace, lineno: int, s: str, reason: str, num: int | None, **extra: Any
) -> Iterator[Evidence]:
    code = VOCAB.tls_code_for_reason(reason) or reason
    key = num if num is not None else code
    if key in st.codes or code in st.codes:
        return
    st.codes.update({key, code})
    host = _host(st)
    yield _ev(st, "tls-error", s, lineno, code=code, reason=reason, x509=num, host=host, **extra)


def _flush_chain(st: SimpleNamespace) -> Iterator[Evidence]:
    c, st.chain = st.chain, None
    st.chain_seen.add(c["depth"])
    summary = f"{c['depth']} s:{c['subject']} i:{c.get('issuer', '?')}"
    yield _ev(
        st,
        "certificate",
        summary,
        c["line"],
        depth=c["depth"],
        subject=c["subject"],
        issuer=c.get("issuer"),
        start=c.get("start"),
        expire=c.get("expire"),
        verify=st.errors.get(c["depth"]),
        host=_host(st),
    )


def _flush_leaf(st: SimpleNamespace) -> Iterator[Evidence]:
    """`subject=`/`issuer=` after `Server certificate`: only new when the chain block was missing."""
    leaf, st.leaf = st.leaf, None
    if 0 in st.chain_seen or not leaf:
        return
    st.chain_seen.add(0)
    yield _ev(
        st,
        "certificate",
        f"subject={leaf.get('subject')} issuer={leaf.get('issuer')}",
        leaf["line"],
        depth=0,
        subject=leaf.get("subject"),
        issuer=leaf.get("issuer"),
        host=_host(st),
    )


def _end_session(st: SimpleNamespace) -> Iterator[Evidence]:
    if st.chain is not None:
        yield from _flush_chain(st)
    # verify callback lines are the only view of the chain when the chain block is missing (-quiet)
    for depth, (line, dn) in sorted(st.depths.items()):
        if depth not in st.chain_seen:
            yield _ev(
                st,
                "certificate",
                f"depth={depth} {dn}",
                line,
                depth=depth,
                subject=dn,
                verify=st.errors.get(depth),
                host=_host(st),
            )
    st.depths = {}


def _other_tools(st: SimpleNamespace, lineno: int, line: str, s: str) -> Iterator[Evidence]:
    """wget's `issued by ‘CN=...’` warning and keytool's Owner/Issuer lines."""
    if m := _WGET.search(s):
        st.wget = m["host"]
        yield _ev(st, "certificate", s, lineno, host=m["host"], issuer=_dn(m["dn"]), depth=0, tool="wget")
    elif st.wget and (m := _WGET_REASON.match(line)):
        reason = m["reason"]
        code = VOCAB.wget_reasons.get(reason) or (
            "ERR_TLS_CERT_ALTNAME_INVALID" if "doesn't match" in reason else reason
        )
        yield _ev(st, "tls-error", s, lineno, code=code, reason=reason, host=st.wget, tool="wget")
    elif m := _KEYTOOL_INDEX.match(s):
        st.kt_index = int(m["n"]) - 1
    elif m := _KEYTOOL_OWNER.match(s):
        st.owner = _dn(m["dn"])
    elif (m := _KEYTOOL_ISSUER.match(s)) and "=" in m["dn"]:
        yield _ev(
            st, "certificate", s, lineno, subject=st.owner, issuer=_dn(m["dn"]), depth=st.kt_index, tool="keytool"
        )
        st.owner = None
