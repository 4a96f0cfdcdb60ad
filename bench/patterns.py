"""The benchmark's diagnostic signatures: what `rg -c -f patterns_rg.txt` looks for, and what
bench/gen_corpus.py plants in its logs.

Each signature is a regular expression for a failure that ccdiag's rules know (rules/*/*.yaml)
and one example line that the generator injects. Every example is a line copied verbatim from a
capture in tests/data/reference (`source`, relative to that folder), so the corpus holds real
wordings, not invented ones; tests/test_bench_corpus.py checks that each example is still in its
capture and matches its pattern.

Dialect: the subset that Python `re`, ripgrep (Rust regex), Hyperscan and GNU `grep -E` read
alike: no `\\d`, no `(?:...)`, no look-around, no back-references. A case-insensitive signature
is written without letters inside `[...]`, so that `grep_line` can spell it out for grep (which
has no per-pattern flag).

NEAR_MISSES are lines that look like a signature and match none (a 200 status, a verify that
succeeded, a CA file that loaded): the generator mixes them into the background, where a
scanner that matches too loosely finds them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Signature:
    name: str
    pattern: str  # the regex body, without the case flag
    ignore_case: bool
    example: str  # a verbatim line of tests/data/reference/<source>
    source: str

    def compile(self) -> re.Pattern[str]:
        return re.compile(self.pattern, re.IGNORECASE if self.ignore_case else 0)

    def rg_line(self) -> str:
        """One line of patterns_rg.txt: Rust regex, case folded by a scoped flag (Python reads it too)."""
        return f"(?i:{self.pattern})" if self.ignore_case else self.pattern

    def grep_line(self) -> str:
        """One line of patterns_grep.txt: GNU ERE, case folded by spelling each letter as [xX]."""
        return _fold_letters(self.pattern) if self.ignore_case else self.pattern


def _fold_letters(body: str) -> str:
    out: list[str] = []
    i, in_class, in_count = 0, False, False
    while i < len(body):
        c = body[i]
        if c == "\\":  # an escape (\s, \., \() stays as it is
            out.append(body[i : i + 2])
            i += 2
            continue
        if in_class:
            if c.isalpha():
                raise ValueError(f"letter inside [...] of a case-insensitive pattern: {body!r}")
            in_class = c != "]"
        elif in_count:
            in_count = c != "}"
        elif c == "[":
            in_class = True
        elif c == "{":
            in_count = True
        elif c.isalpha():
            out.append(f"[{c.lower()}{c.upper()}]")
            i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


# (pattern, example line, capture it is copied from); "(?i)" in front: case-insensitive.
_TABLE: list[tuple[str, str, str]] = [
    # ---- TLS: Node error codes and messages -------------------------------------------------
    (r"SELF_SIGNED_CERT_IN_CHAIN", "  code: 'SELF_SIGNED_CERT_IN_CHAIN'", "node/tls-selfsigned-in-chain.https.txt"),
    (r"UNABLE_TO_VERIFY_LEAF_SIGNATURE", ' "code": "UNABLE_TO_VERIFY_LEAF_SIGNATURE"', "node/proxy-env-mitm.axios.txt"),
    (
        r"UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "    code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY'",
        "node/proxy-env-mitm.fetch.txt",
    ),
    (r"DEPTH_ZERO_SELF_SIGNED_CERT", "  code: 'DEPTH_ZERO_SELF_SIGNED_CERT'", "node/tls-selfsigned-leaf.https.txt"),
    (r"CERT_HAS_EXPIRED", ' "code": "CERT_HAS_EXPIRED"', "node/tls-expired.axios.txt"),
    (r"ERR_TLS_CERT_ALTNAME_INVALID", "  code: 'ERR_TLS_CERT_ALTNAME_INVALID',", "node/tls-wrong-host.https.txt"),
    (
        r"ERR_SSL_WRONG_VERSION_NUMBER",
        "    code: 'ERR_SSL_WRONG_VERSION_NUMBER'",
        "node/tls-https-to-plain-http-port.fetch.txt",
    ),
    (r"\bEPROTO\b", "  code: 'EPROTO',", "node/tls-https-to-plain-http-port.https.txt"),
    (
        r"(?i)unable to get local issuer certificate",
        "  [cause]: Error: unable to get local issuer certificate",
        "node/proxy-env-mitm.fetch.txt",
    ),
    (
        r"self[- ]signed certificate in certificate chain",
        "Error: self-signed certificate in certificate chain",
        "node/tls-selfsigned-in-chain.https.txt",
    ),
    (
        r"unable to verify the first certificate",
        "Error: unable to verify the first certificate",
        "node/tls-missing-intermediate.https.txt",
    ),
    (r"(?i)certificate has expired", ' "message": "certificate has expired",', "node/tls-expired.axios.txt"),
    (
        r"Hostname/IP does not match certificate's altnames",
        "Error [ERR_TLS_CERT_ALTNAME_INVALID]: Hostname/IP does not match certificate's altnames: Host: "
        "api.anthropic.com."
        " is not in the cert's altnames: DNS:wrong.example",
        "node/tls-wrong-host.https.txt",
    ),
    # ---- TLS: curl, OpenSSL, schannel -------------------------------------------------------
    (
        r"SSL certificate problem: [a-z -]+",
        "curl: (60) SSL certificate problem: certificate has expired",
        "curl/curl-7.88.1/tls-expired.txt",
    ),
    (
        r"SSL routines:[A-Za-z0-9_]*:(wrong version number|certificate verify failed)",
        "curl: (35) OpenSSL/3.0.22: error:0A00010B:SSL routines::wrong version number",
        "curl/curl-7.88.1/tls-https-to-plain-http-port.txt",
    ),
    (
        r"SSL certificate verify result: [a-z -]+ \([1-9][0-9]*\)",
        "*  SSL certificate verify result: unable to get local issuer certificate (20), continuing anyway.",
        "curl/curl-7.88.1/proxy-mitm-insecure.txt",
    ),
    (
        r"no alternative certificate subject name matches target host name",
        "* SSL: no alternative certificate subject name matches target host name 'api.anthropic.com'",
        "curl/curl-7.88.1/tls-wrong-host.txt",
    ),
    (
        r"error setting certificate (file|verify locations)",
        "curl: (77) error setting certificate file: does-not-exist.pem",
        "curl/curl-7.88.1/tls-cacert-missing-file.txt",
    ),
    (
        r"issuer:.*(Zscaler|Netskope|Fortinet|FortiGate|Blue ?Coat|Forcepoint|Sophos|mitmproxy)",
        "*  issuer: CN=mitmproxy; O=mitmproxy",
        "curl/curl-7.88.1/proxy-mitm-insecure.txt",
    ),
    (
        r"SEC_E_UNTRUSTED_ROOT",
        "schannel: untrusted root: SEC_E_UNTRUSTED_ROOT (0x80090325) - The certificate chain was issued by an authority"
        " that is not trusted.",
        "curl/public/schannel-error-lines.txt",
    ),
    (
        r"CRYPT_E_NO_REVOCATION_CHECK",
        "curl: (35) schannel: next InitializeSecurityContext failed: CRYPT_E_NO_REVOCATION_CHECK (0x80092012) - The"
        " revocation function was unable to check revocation for the certificate.",
        "curl/public/schannel-error-lines.txt",
    ),
    (
        r"verify error:num=[0-9]+:[a-z -]+",
        "verify error:num=19:self-signed certificate in certificate chain",
        "openssl/s_client-selfsigned-in-chain.txt",
    ),
    (
        r"Verify return code: [1-9][0-9]* \(",
        "Verify return code: 20 (unable to get local issuer certificate)",
        "openssl/s_client-unknown-ca-showcerts.txt",
    ),
    # ---- TLS: Python ------------------------------------------------------------------------
    (
        r"CERTIFICATE_VERIFY_FAILED",
        "httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate"
        " (_ssl.c:1006)",
        "python/tls-selfsigned-leaf.httpx.txt",
    ),
    (
        r"ssl\.SSLCertVerificationError",
        "  cause[2] ssl.SSLCertVerificationError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed:"
        " certificate has expired (_ssl.c:1006)",
        "python/tls-expired.httpx.txt",
    ),
    # ---- TLS: Claude Code -------------------------------------------------------------------
    (
        r"Unable to connect to API: (Self-signed certificate detected|SSL certificate verification failed)",
        "API Error: Unable to connect to API: Self-signed certificate detected. Check your proxy or corporate SSL"
        " certificates",
        "claude-code/tls-selfsigned-in-chain.txt",
    ),
    (
        r"Connection error details: code=[A-Za-z_]+",
        "2026-11-21T19:57:53.174Z [ERROR] Connection error details: code=CERT_HAS_EXPIRED (SSL error), "
        "message=certificate"
        " has expired",
        "claude-code/debug-logs/tls-expired.debug.txt",
    ),
    # ---- proxies ----------------------------------------------------------------------------
    (
        r"407 Proxy Authentication Required",
        "< HTTP/1.0 407 Proxy Authentication Required",
        "curl/curl-7.88.1/proxy-env-407-tinyproxy.txt",
    ),
    (
        r"Proxy-Authenticate: (Basic|NTLM|Negotiate|Digest)",
        "< Proxy-Authenticate: NTLM",
        "curl/curl-7.88.1/proxy-407-negotiate-ntlm.txt",
    ),
    (
        r"CONNECT tunnel failed, response [0-9]+",
        "curl: (56) CONNECT tunnel failed, response 407",
        "curl/curl-7.88.1/proxy-407-negotiate-ntlm.txt",
    ),
    (
        r"Received HTTP code [0-9]{3} from proxy after CONNECT",
        "curl: (56) Received HTTP code 403 from proxy after CONNECT",
        "curl/public/old-curl-connect-failures.txt",
    ),
    (
        r"Tunnel connection failed: [0-9]{3}",
        "urllib.error.URLError: <urlopen error Tunnel connection failed: 407 Proxy Authentication Required>",
        "python/proxy-env-407-tinyproxy.urllib.txt",
    ),
    (
        r"Uses proxy env variable [A-Za-z_]+ == '[^']*'",
        "* Uses proxy env variable HTTPS_PROXY == 'http://127.0.0.1:3128'",
        "curl/curl-7.88.1/proxy-env-407-tinyproxy.txt",
    ),
    (
        r"Establish HTTP proxy tunnel to [a-z0-9.-]+:[0-9]+",
        "* Establish HTTP proxy tunnel to google.de:443",
        "curl/public/old-curl-connect-failures.txt",
    ),
    (
        r"Unable to connect to proxy",
        "  cause[2] urllib3.exceptions.ProxyError: ('Unable to connect to proxy', OSError('Tunnel connection failed: "
        "407"
        " Proxy Authentication Required'))",
        "python/proxy-env-407-tinyproxy.requests.txt",
    ),
    (
        r"httpx\.ProxyError",
        "httpx.ProxyError: 407 Proxy Authentication Required",
        "python/proxy-env-407-tinyproxy.httpx.txt",
    ),
    (
        r"X-Squid-Error: ERR_[A-Z_]+",
        "< X-Squid-Error: ERR_CACHE_ACCESS_DENIED 0",
        "curl/curl-7.88.1/proxy-407-squid.txt",
    ),
    (r"Tunnel or SSL Forbidden", "< HTTP/1.1 403 Tunnel or SSL Forbidden", "curl/public/old-curl-connect-failures.txt"),
    (
        r"Could not resolve proxy: [a-z0-9.-]+",
        "curl: (5) Could not resolve proxy: proxy.nonexistent.invalid",
        "curl/curl-7.88.1/proxy-dns-fail.txt",
    ),
    # ---- network: Node ----------------------------------------------------------------------
    (r"ECONNREFUSED", "Error: connect ECONNREFUSED 127.0.0.1:9996", "node/tcp-refused.https.txt"),
    (
        r"ECONNRESET",
        "AxiosError code=ECONNRESET message=socket hang up status=undefined cause.code=ECONNRESET",
        "node/http-empty-reply.axios.txt",
    ),
    (r"ETIMEDOUT", "  code: 'ETIMEDOUT',", "node/tcp-connect-timeout.https.txt"),
    (r"EHOSTUNREACH", "  code: 'EHOSTUNREACH',", "node/tcp-host-unreachable.https.txt"),
    (r"ENETUNREACH", ' "code": "ENETUNREACH"', "node/tcp-net-unreachable.axios.txt"),
    (r"ECONNABORTED", ' "code": "ECONNABORTED"', "node/http-no-response-timeout.axios.txt"),
    (
        r"getaddrinfo (ENOTFOUND|EAI_AGAIN) [a-z0-9.-]+",
        "Error: getaddrinfo EAI_AGAIN api.servfail.test",
        "node/dns-servfail.https.txt",
    ),
    (r"socket hang up", "Error: socket hang up", "node/http-empty-reply.https.txt"),
    (
        r"UND_ERR_SOCKET",
        "cause[2] SocketError code=UND_ERR_SOCKET message=other side closed",
        "node/http-empty-reply.sdk.txt",
    ),
    (r"TypeError: fetch failed", "TypeError: fetch failed", "node/dns-nxdomain.fetch.txt"),
    (
        r"timeout of [0-9]+ms exceeded",
        "AxiosError code=ECONNABORTED message=timeout of 8000ms exceeded status=undefined cause.code=undefined",
        "node/http-no-response-timeout.axios.txt",
    ),
    # ---- network: curl ----------------------------------------------------------------------
    (
        r"curl: \((5|6|7|28|35|52|56|60)\)",
        "curl: (52) Empty reply from server",
        "curl/curl-7.88.1/http-empty-reply.txt",
    ),
    (
        r"Could not resolve host: [a-z0-9.-]+",
        "curl: (6) Could not resolve host: nonexistent.invalid",
        "curl/curl-7.88.1/dns-nxdomain.txt",
    ),
    (
        r"Failed to connect to [a-z0-9.-]+ port [0-9]+",
        "* Failed to connect to api.anthropic.com port 9998 after 7 ms: Couldn't connect to server",
        "curl/curl-7.88.1/tcp-host-unreachable.txt",
    ),
    (
        r"Operation timed out after [0-9]+ milliseconds",
        "curl: (28) Operation timed out after 3000 milliseconds with 0 bytes received",
        "curl/curl-7.88.1/http-max-time.txt",
    ),
    (
        r"Connection timed out after [0-9]+ milliseconds",
        "curl: (28) Connection timed out after 3003 milliseconds",
        "curl/curl-7.88.1/tls-handshake-timeout.txt",
    ),
    (
        r"Recv failure: Connection reset by peer",
        "* Recv failure: Connection reset by peer",
        "curl/curl-7.88.1/http-conn-reset.txt",
    ),
    (r"Empty reply from server", "* Empty reply from server", "curl/curl-7.88.1/http-empty-reply.txt"),
    (
        r"No route to host",
        "* connect to 127.0.0.1 port 9998 failed: No route to host",
        "curl/curl-7.88.1/tcp-host-unreachable.txt",
    ),
    (
        r"Network is unreachable",
        "* connect to 127.0.0.1 port 9997 failed: Network is unreachable",
        "curl/curl-7.88.1/tcp-net-unreachable.txt",
    ),
    (
        r"port [0-9]+ failed: Connection refused",
        "* connect to 127.0.0.1 port 9996 failed: Connection refused",
        "curl/curl-7.88.1/tcp-refused.txt",
    ),
    (
        r"Timeout was reached",
        "curl: (28) Failed to connect to api.anthropic.com port 9999 after 3001 ms: Timeout was reached",
        "curl/curl-7.88.1/tcp-connect-timeout.txt",
    ),
    # ---- network: Python --------------------------------------------------------------------
    (
        r"httpx\.(ConnectError|ConnectTimeout|ReadTimeout|ReadError|RemoteProtocolError)",
        "httpx.ConnectTimeout: [Errno 110] Connection timed out",
        "python/tcp-connect-timeout.httpx.txt",
    ),
    (
        r"requests\.exceptions\.(SSLError|ConnectionError|ReadTimeout|ConnectTimeout)",
        "requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by"
        " peer'))",
        "python/http-conn-reset.requests.txt",
    ),
    (
        r"urllib3\.exceptions\.(MaxRetryError|NewConnectionError|ProtocolError|SSLError|NameResolutionError)",
        "  cause[1] urllib3.exceptions.ProtocolError: ('Connection aborted.', ConnectionResetError(104, 'Connection "
        "reset"
        " by peer'))",
        "python/http-conn-reset.requests.txt",
    ),
    (
        r"Temporary failure in name resolution",
        "httpx.ConnectError: [Errno -3] Temporary failure in name resolution",
        "python/dns-servfail.httpx.txt",
    ),
    (
        r"Name or service not known",
        "  cause[3] socket.gaierror: [Errno -2] Name or service not known",
        "python/dns-nxdomain.anthropic.txt",
    ),
    (
        r"ConnectionResetError: \[Errno 104\]",
        "builtins.ConnectionResetError: [Errno 104] Connection reset by peer",
        "python/http-conn-reset.urllib.txt",
    ),
    (
        r"\[Errno 111\] Connection refused",
        "httpx.ConnectError: [Errno 111] Connection refused",
        "python/tcp-refused.httpx.txt",
    ),
    (
        r"Read timed out\. \(read timeout=[0-9.]+\)",
        "requests.exceptions.ReadTimeout: HTTPConnectionPool(host='127.0.0.1', port=9003): Read timed out. (read"
        " timeout=8)",
        "python/http-no-response-timeout.requests.txt",
    ),
    (
        r"Failed to establish a new connection",
        "  cause[2] urllib3.exceptions.NewConnectionError: HTTPSConnection(host='api.anthropic.com', port=9996): "
        "Failed to"
        " establish a new connection: [Errno 111] Connection refused",
        "python/tcp-refused.requests.txt",
    ),
    # ---- Anthropic SDKs ---------------------------------------------------------------------
    (r"APIConnectionError", "anthropic.APIConnectionError: Connection error.", "python/dns-nxdomain.anthropic.txt"),
    (
        r"APIConnectionTimeoutError|APITimeoutError",
        "APIConnectionTimeoutError status=undefined message=Request timed out. requestID=undefined cause.code=undefined"
        " cause.message=undefined",
        "node/http-no-response-timeout.sdk.txt",
    ),
    (
        r"RateLimitError",
        'RateLimitError status=429 message=429 {"type":"error","error":{"type":"rate_limit_error","message":"This '
        "request"
        ' would exceed the rate limit for your organization of 30,000 input tokens per minute."},"request_id":'
        '"req_011CMOCK0000000000000002"} requestID=req_011CMOCK0000000000000002 cause.code=undefined'
        " cause.message=undefined",
        "node/api-429.sdk.txt",
    ),
    (
        r"AuthenticationError",
        "anthropic.AuthenticationError: Error code: 401 - {'type': 'error', 'error': {'type': 'authentication_error',"
        " 'message': 'invalid x-api-key'}, 'request_id': 'req_011CMOCK0000000000000001'}",
        "python/api-401.anthropic.txt",
    ),
    (
        r"PermissionDeniedError",
        'PermissionDeniedError: 403 {"error":{"type":"forbidden","message":"Request not allowed"}}',
        "anthropic-api/public/403-request-not-allowed-region-block.txt",
    ),
    (
        r"failed with status [45][0-9][0-9] in [0-9]+ms",
        '[log_e3d41f, request-id: "req_011CMOCK0000000000000002"] post https://api.anthropic.com/r429/v1/messages '
        "failed"
        " with status 429 in 44ms - retrying, 1 attempts remaining",
        "node/sdk-ANTHROPIC_LOG-debug-429.txt",
    ),
    # ---- HTTP status lines and headers ------------------------------------------------------
    (r"HTTP/[12](\.[01])? 4(0[13]|29)", "< HTTP/2 429 ", "curl/curl-7.88.1/ratelimit-429-h2.txt"),
    (r"HTTP/[12](\.[01])? 5(0[0234]|29)", "< HTTP/2 529 ", "curl/curl-7.88.1/overloaded-529-h2.txt"),
    (r'"status"\s*:\s*(401|403|429|500|502|503|529)\b', ' "status": 401', "node/api-401.axios.txt"),
    (r"(?i)retry-after:\s*[0-9]+", "< retry-after: 17", "curl/curl-7.88.1/ratelimit-429-h2.txt"),
    (r"(?i)x-should-retry:\s*true", "< x-should-retry: true", "curl/curl-7.88.1/overloaded-529-h2.txt"),
    (
        r"anthropic-ratelimit-[a-z-]+-remaining:\s*0\b",
        "< anthropic-ratelimit-input-tokens-remaining: 0",
        "curl/curl-7.88.1/ratelimit-429-h2.txt",
    ),
    (
        r"status code (401|403|407|429|500|502|503|504|529)\b",
        ' "message": "Request failed with status code 403",',
        "node/api-403-forbidden.axios.txt",
    ),
    (
        r"ERR_BAD_REQUEST",
        " Failed to connect to api.anthropic.com: ERR_BAD_REQUEST",
        "claude-code/public/startup-connectivity-screens.txt",
    ),
    (
        r"ERR_BAD_RESPONSE",
        "AxiosError code=ERR_BAD_RESPONSE message=Request failed with status code 529 status=529 cause.code=undefined",
        "node/api-529.axios.txt",
    ),
    # ---- API error bodies and Claude Code messages ------------------------------------------
    (
        r'"type":"(rate_limit|overloaded|authentication|permission|api|not_found|invalid_request)_error"',
        '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":'
        '"req_011CMOCK0000000000000003"}',
        "curl/curl-7.88.1/overloaded-529-h2.txt",
    ),
    (r"rate_limit_error", "      type: 'rate_limit_error',", "node/sdk-ANTHROPIC_LOG-debug-429.txt"),
    (
        r"would exceed the rate limit",
        "API Error: Request rejected (429) · This request would exceed the rate limit for your organization of 30,000"
        " input tokens per minute.",
        "claude-code/api-429-rate-limit.txt",
    ),
    (
        r"invalid x-api-key",
        'error body: {"type":"error","error":{"type":"authentication_error","message":"invalid '
        'x-api-key"},"request_id":'
        '"req_011CMOCK0000000000000001"}',
        "node/api-401.sdk.txt",
    ),
    (r"Invalid API key", "Invalid API key · Fix external API key", "claude-code/api-401-invalid-key.txt"),
    (
        r"Request not allowed",
        "2026-11-21T20:02:48.685Z [ERROR] API auth_error: Request not allowed",
        "claude-code/debug-logs/api-403-request-not-allowed.debug.txt",
    ),
    (
        r"Repeated 529 Overloaded errors",
        "2026-11-21T19:57:55.964Z [ERROR] Error in API request: Repeated 529 Overloaded errors",
        "claude-code/debug-logs/api-529-overloaded.debug.txt",
    ),
    (
        r"API Error: 4[0-9][0-9] ",
        "API Error: 407 Proxy Authentication Required",
        "claude-code/proxy-env-407-tinyproxy.txt",
    ),
    (
        r"Unable to connect to API \([A-Za-z_]+\)",
        "API Error: Unable to connect to API (ConnectionRefused)",
        "claude-code/tcp-refused.txt",
    ),
    (r"FailedToOpenSocket", "API Error: Unable to connect to API (FailedToOpenSocket)", "claude-code/dns-nxdomain.txt"),
    (
        r"Error in API request: Connection error\.",
        "2026-11-21T19:57:53.360Z [ERROR] Error in API request: Connection error.",
        "claude-code/debug-logs/tcp-refused.debug.txt",
    ),
    (
        r"api_timeout after retries",
        "2026-11-21T19:58:08.277Z [ERROR] API api_timeout after retries: Request timed out.",
        "claude-code/debug-logs/http-no-response-timeout.debug.txt",
    ),
    (
        r"Failed to connect to api\.anthropic\.com: [A-Z_]+",
        " Failed to connect to api.anthropic.com: UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
        "claude-code/public/startup-connectivity-screens.txt",
    ),
    # ---- environment ------------------------------------------------------------------------
    (
        r"(?i)https?_proxy\s*=\s*\S+",
        "HTTPS_PROXY=http://proxy.corp.example:8080",
        "env/constructed/windows-cmd-set.txt",
    ),
    (r"(?i)all_proxy\s*=\s*\S+", "ALL_PROXY=socks5h://127.0.0.1:1080", "env/linux-env.txt"),
    (r"(?i)no_proxy\s*=\s*\S+", "NO_PROXY=localhost,127.0.0.1,.corp.example", "env/constructed/windows-cmd-set.txt"),
    (r"NODE_EXTRA_CA_CERTS\s*=\s*\S+", "NODE_EXTRA_CA_CERTS=/etc/ssl/certs/corp-root-ca.pem", "env/linux-env.txt"),
    (
        r"""NODE_TLS_REJECT_UNAUTHORIZED\s*=\s*['"]?0""",
        "export NODE_TLS_REJECT_UNAUTHORIZED=0",
        "env/linux-zsh-export-p.txt",
    ),
    (
        r"ANTHROPIC_BASE_URL\s*=\s*\S+",
        "ANTHROPIC_BASE_URL=https://llm-gateway.corp.example/anthropic",
        "env/linux-env.txt",
    ),
    (r"CLAUDE_CODE_USE_BEDROCK\s*=\s*(1|true)", "CLAUDE_CODE_USE_BEDROCK=1", "env/linux-env.txt"),
    (
        r"(?i)ssl_cert_file\s*=\s*\S+",
        "export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "env/linux-zsh-export-p.txt",
    ),
    (r"(?i)requests_ca_bundle\s*=\s*\S+", "REQUESTS_CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt", "env/linux-env.txt"),
    (r"ANTHROPIC_API_KEY\s*=\s*\S+", "export ANTHROPIC_API_KEY=sk-ant-api03-PLACEHOLDER", "env/linux-zsh-export-p.txt"),
    (r"HTTPSEnable\s*:\s*1", "  HTTPSEnable : 1", "env/public/scutil-proxy-variants.txt"),
    # ---- HAR --------------------------------------------------------------------------------
    (
        r'"_error"\s*:\s*"net::[A-Z_]+"',
        '          "_error": "net::ERR_INTERNET_DISCONNECTED"',
        "har/public/chrome-webinspector-537.36.har",
    ),
    (r'"status"\s*:\s*0\s*,', '          "status": 0,', "har/public/chrome-webinspector-537.36.har"),
]


def _build() -> list[Signature]:
    out = []
    for i, (pat, example, source) in enumerate(_TABLE):
        if '\\"' in pat:
            raise ValueError(f'{pat!r}: write " for a quote; Rust regex (ripgrep) rejects the escape \\"')
        ci = pat.startswith("(?i)")
        out.append(Signature(f"s{i:03d}", pat[4:] if ci else pat, ci, example, source))
    return out


SIGNATURES: list[Signature] = _build()

# Lines a scanner must not count (each matches no signature): (line, capture it is copied from).
NEAR_MISSES: list[tuple[str, str]] = [
    ("< HTTP/2 200 ", "curl/curl-8.14.1/silent-verbose-ok-h2.txt"),
    ("< HTTP/1.1 200 Connection established", "curl/curl-7.88.1/proxy-mitm-insecure.txt"),
    ("< HTTP/1.0 200 Connection established", "curl/curl-7.88.1/proxy-env-auth-ok-tinyproxy.txt"),
    ("*  SSL certificate verify ok.", "curl/curl-7.88.1/proxy-env-auth-ok-tinyproxy.txt"),
    (
        "2026-11-21T19:57:48.676Z [DEBUG] CA certs: Appended extra certificates from NODE_EXTRA_CA_CERTS"
        " (/home/dev/certs/root.crt)",
        "claude-code/debug-logs/tls-expired.debug.txt",
    ),
    (
        "2026-11-21T19:57:47.661Z [DEBUG] [init] configureGlobalMTLS complete",
        "claude-code/debug-logs/tls-expired.debug.txt",
    ),
]
