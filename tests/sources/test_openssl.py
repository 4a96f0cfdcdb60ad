"""The openssl source: `openssl s_client` runs (untrusted chain, self-signed in chain, via a proxy),
plus wget / keytool issuer lines."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from analyzer.model import KINDS
from analyzer.sources import openssl
from tests.conftest import SAMPLES, doc_from_text, doc_of, one, yields, yields_from_file
from tests.conftest import of_kind as kinds

OPENSSL = SAMPLES / "openssl"
OPENSSL_FILES = sorted(OPENSSL.glob("s_client-*.txt"))


@pytest.mark.parametrize("path", OPENSSL_FILES, ids=lambda p: p.name)
def test_every_s_client_sample_is_sniffed_and_parses_into_known_kinds(path):
    doc = doc_of(path)
    assert openssl.sniff(doc.head)
    evidence = list(openssl._parse(doc))  # the unguarded core: a crash would surface here
    assert evidence
    assert {e.kind for e in evidence} <= set(KINDS)
    assert all(e.source == "openssl" and e.where.path == doc.path and e.where.line >= 1 for e in evidence)


def test_untrusted_chain_gives_one_tls_error_with_the_node_code_despite_repeated_return_codes():
    evidence = yields_from_file(openssl, OPENSSL / "s_client-unknown-ca-showcerts.txt")
    err = one(evidence, "tls-error")  # verify error:num=20 + 3x "Verify return code: 20"
    assert (err.get("code"), err.get("x509"), err.get("depth"), err.where.line) == (
        "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        20,
        1,
        2,
    )
    assert kinds(evidence, "tls") and all(e.get("verify") != "ok" for e in kinds(evidence, "tls"))


def test_showcerts_chain_lines_become_certificates_with_normalized_dns_and_dates():
    evidence = yields_from_file(openssl, OPENSSL / "s_client-unknown-ca-showcerts.txt")
    leaf = one(evidence, "certificate", depth=0)
    assert (leaf.get("subject"), leaf.get("issuer"), leaf.where.line) == (
        "CN=localhost",
        "C=US, O=Diag Test Lab, CN=Diag Test Issuing CA 1",
        9,
    )
    assert (leaf.get("start"), leaf.get("expire")) == ("Nov 20 19:46:38 2026 GMT", "Feb 19 19:46:38 2027 GMT")
    inter = one(evidence, "certificate", depth=1)
    assert inter.get("issuer") == "C=US, O=Diag Test Lab, CN=Diag Test Root CA"
    assert inter.get("verify") == "unable to get local issuer certificate"
    assert len(kinds(evidence, "certificate")) == 2, "subject=/issuer= of the leaf is not a third certificate"


def test_self_signed_root_in_chain_is_error_19_at_depth_2():
    evidence = yields_from_file(openssl, OPENSSL / "s_client-selfsigned-in-chain.txt")
    err = one(evidence, "tls-error")
    assert (err.get("code"), err.get("x509")) == ("SELF_SIGNED_CERT_IN_CHAIN", 19)
    root = one(evidence, "certificate", depth=2)
    assert root.get("subject") == root.get("issuer") == "C=US, O=Diag Test Lab, CN=Diag Test Root CA"
    tls = one(evidence, "tls", step="established")
    assert (tls.get("version"), tls.get("cipher")) == ("TLSv1.3", "TLS_AES_256_GCM_SHA384")
    one(evidence, "connect", ok=True, step="connected")


def test_verified_run_through_a_proxy_has_tls_verify_ok_and_no_error():
    evidence = yields_from_file(openssl, OPENSSL / "s_client-via-proxy-verified.txt")
    assert one(evidence, "tls", step="verify").get("verify") == "ok"
    assert kinds(evidence, "tls-error") == []
    # the trusted root is only visible in the verify callback lines
    assert one(evidence, "certificate", depth=2).get("subject") == "C=US, O=Diag Test Lab, CN=Diag Test Root CA"


def test_proxy_407_is_a_proxy_reply_and_its_return_code_0_verifies_nothing():
    evidence = yields_from_file(openssl, OPENSSL / "s_client-via-proxy-407.txt")
    reply = one(evidence, "proxy-reply")
    assert (reply.get("status"), reply.get("reason"), reply.where.line) == (407, "Proxy Authentication Required", 1)
    assert kinds(evidence, "tls") == [] and kinds(evidence, "certificate") == []


def test_command_line_names_target_and_proxy_and_old_slash_dns_are_normalized():
    evidence = yields(
        openssl,
        "$ openssl s_client -connect api.anthropic.com:443 -servername api.anthropic.com -proxy proxy.corp:8080\n"
        "depth=2 C = US, ST = California, O = Zscaler Inc., CN = Zscaler Root CA\n"
        "verify error:num=19:self signed certificate in certificate chain\n"
        "CONNECTED(00000003)\n"
        "---\n"
        "Certificate chain\n"
        " 0 s:/CN=api.anthropic.com\n"
        "   i:/C=US/O=Zscaler Inc./OU=Zscaler Inc./CN=Zscaler Intermediate Root CA (zscalerthree.net) (t) \n"
        "---\n",
    )
    proxy = one(evidence, "proxy")
    assert (proxy.get("via"), proxy.get("host"), proxy.get("port")) == ("cli", "proxy.corp", 8080)
    err = one(evidence, "tls-error")
    assert err.get("code") == "SELF_SIGNED_CERT_IN_CHAIN" and err.get("host") == "api.anthropic.com"
    leaf = one(evidence, "certificate", depth=0)
    assert leaf.get("issuer") == (
        "C=US, O=Zscaler Inc., OU=Zscaler Inc., CN=Zscaler Intermediate Root CA (zscalerthree.net) (t)"
    )
    assert one(evidence, "connect").get("proxy") is True
    assert {e.request for e in evidence} == {"s_client-1"}


def test_refused_connect_and_unknown_host_are_connect_and_dns_errors_not_tls_errors():
    evidence = yields(
        openssl,
        "openssl s_client -connect api.anthropic.com:443\n"
        "40F7A2B1CF7F0000:error:8000006F:system library:BIO_connect:Connection refused:../crypto/bio/bio_sock2.c:178\n"
        "connect:errno=111\n"
        "openssl s_client -connect nonexistent.invalid:443\n"
        "40D7:error:10080002:BIO routines:BIO_lookup_ex:system lib:../crypto/bio/bio_addr.c:738:"
        "Name or service not known\n"
        "connect:errno=0\n",
    )
    assert kinds(evidence, "tls-error") == []
    err = one(evidence, "connect-error")
    assert (err.get("code"), err.get("host"), err.get("port"), err.request) == (
        "ECONNREFUSED",
        "api.anthropic.com",
        443,
        "s_client-1",
    )
    dns = one(evidence, "dns")
    assert (dns.get("host"), dns.request) == ("nonexistent.invalid", "s_client-2")


def test_ssl_layer_error_lines_are_tls_errors():
    err = one(
        yields(
            openssl,
            "CONNECTED(00000003)\n"
            "40C7:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:../ssl/record.c:354:\n",
        ),
        "tls-error",
    )
    assert (err.get("code"), err.get("openssl_error")) == ("ERR_SSL_WRONG_VERSION_NUMBER", "0A00010B")


def test_brief_mode_peer_certificate_and_verification_error():
    evidence = yields(
        openssl,
        "CONNECTION ESTABLISHED\nProtocol version: TLSv1.3\nCiphersuite: TLS_AES_256_GCM_SHA384\n"
        "Peer certificate: CN = localhost\nVerification error: unable to get local issuer certificate\n",
    )
    assert one(evidence, "certificate").get("subject") == "CN=localhost"
    assert one(evidence, "tls-error").get("code") == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"


def test_wget_issued_by_line_gives_the_interceptor_issuer_and_reason():
    evidence = yields(
        openssl,
        "ERROR: cannot verify api.anthropic.com's certificate, issued by "
        "‘CN=Kaspersky Anti-Virus Personal Root Certificate,O=AO Kaspersky Lab’:\n"
        "  Unable to locally verify the issuer's authority.\n",
    )
    cert = one(evidence, "certificate")
    assert cert.get("issuer") == "CN=Kaspersky Anti-Virus Personal Root Certificate, O=AO Kaspersky Lab"
    assert cert.get("host") == "api.anthropic.com" and cert.get("tool") == "wget"
    assert one(evidence, "tls-error").get("code") == "UNABLE_TO_GET_ISSUER_CERT_LOCALLY"


def test_keytool_owner_and_localized_issuer_lines_become_certificates():
    evidence = yields(
        openssl,
        'Certificate[1]:\nOwner: CN=api.anthropic.com\nIssuer: C=SK, O="ESET, spol. s r. o.", CN=ESET SSL Filter CA\n'
        "Serial number: 1234\n"
        "Certificate[2]:\n所有者: C=SK, CN=ESET SSL Filter CA\n发布者: C=SK, CN=ESET SSL Filter CA\n",
    )
    leaf = one(evidence, "certificate", depth=0)
    assert leaf.get("subject") == "CN=api.anthropic.com" and leaf.get("issuer").endswith("CN=ESET SSL Filter CA")
    assert one(evidence, "certificate", depth=1).get("issuer") == "C=SK, CN=ESET SSL Filter CA"


@pytest.mark.parametrize(
    "head",
    [
        "CONNECTED(00000003)\n",
        "Certificate chain\n 0 s:CN = x\n",
        "    Verify return code: 20 (x)\n",
        "verify error:num=19:self-signed certificate in certificate chain\n",
        "s_client: HTTP CONNECT failed, reason= 407 Proxy Authentication Required\n",
        "$ openssl s_client -connect api.anthropic.com:443\n",
    ],
)
def test_sniff_accepts_s_client_signatures(head):
    assert openssl.sniff(head)


@pytest.mark.parametrize(
    "head",
    [
        "*   Trying 1.2.3.4:443...\n",
        "Certificate is valid\n",
        "see s_client-unknown-ca.txt for details\n",
        "",
    ],
)
def test_sniff_rejects_other_text(head):
    assert not openssl.sniff(head)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00\xff\x00",
        " 0 s:\n   i:\n   v:NotBefore: ; NotAfter: \n",
        "depth=x\nverify error:num=:\n",
        "Verify return code: 99999999999999999999 (x)\n",
        "s_client: HTTP CONNECT failed, reason= 999\n" * 3,
        "x" * 200_000,
        "connect:errno=\nwrite:errno=104\n",
    ],
)
def test_malformed_input_never_raises(text):
    list(openssl._parse(doc_from_text(text)))
    assert isinstance(yields(openssl, text), list)


@settings(max_examples=150, deadline=None)
@given(
    hs.lists(
        hs.sampled_from(
            [
                "CONNECTED(00000003)\n",
                "depth=1 C = US\n",
                "verify error:num=20:unable to get local issuer certificate\n",
                " 0 s:CN = x\n",
                "   i:CN = y\n",
                "   v:NotBefore: a; NotAfter: b\n",
                "Verify return code: 0 (ok)\n",
                "    Verify return code: 19 (x)\n",
                "subject=CN = z\n",
                "issuer=CN = q\n",
                "DONE\n",
                "New, TLSv1.3, Cipher is X\n",
                "openssl s_client -connect h:1 -proxy p:2\n",
                "Owner: CN=a\n",
                "Issuer: CN=b\n",
                "\n",
            ]
        ),
        max_size=30,
    )
)
def test_random_mixtures_of_s_client_lines_never_raise(parts):
    list(openssl._parse(doc_from_text("".join(parts))))


def test_certificate_verify_failed_only_counts_when_no_verify_error_line_said_why():
    failed = (
        "40C7:error:0A000086:SSL routines:tls_post_process_server_certificate:certificate verify failed:"
        "../ssl/statem/statem_clnt.c:1889:\n"
    )
    alone = yields(openssl, "CONNECTED(00000003)\n" + failed)
    assert one(alone, "tls-error").get("reason") == "certificate verify failed"
    after = yields(
        openssl, "depth=0 CN = x\nverify error:num=18:self-signed certificate\nCONNECTED(00000003)\n" + failed
    )
    assert [e.get("code") for e in kinds(after, "tls-error")] == ["DEPTH_ZERO_SELF_SIGNED_CERT"]
