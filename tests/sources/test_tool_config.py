"""The config source: npm, git, WinHTTP, Windows registry and macOS scutil proxy settings."""

from __future__ import annotations

import pytest

from analyzer.sources import tool_config
from tests.conftest import SAMPLES, doc_of, yields, yields_from_file

ENV = SAMPLES / "env"
CONFIG_SAMPLES = sorted([*ENV.glob("npm-*"), *ENV.glob("git-*"), *(ENV / "public").glob("*")])


def configs(evidence, key=None):
    return [e for e in evidence if e.kind == "config" and (key is None or e.get("key") == key)]


def proxies(evidence):
    return [e for e in evidence if e.kind == "proxy"]


@pytest.mark.parametrize("path", CONFIG_SAMPLES, ids=lambda p: p.name)
def test_every_config_sample_is_sniffed_and_yields_config_evidence(path):
    doc = doc_of(path)
    assert tool_config.sniff(doc.head)
    assert configs(list(tool_config.parse(doc)))


def test_npm_config_list_reads_scopes_overrides_and_versions():
    ev = yields_from_file(tool_config, ENV / "npm-config-list-with-env.txt")
    cafile = configs(ev, "cafile")
    assert [(c.get("value"), c.get("scope"), c.get("overridden_by"), c.where.line) for c in cafile] == [
        ("/etc/ssl/certs/ca-certificates.crt", "global", "user", 3),
        ("/etc/ssl/certs/corp-root-ca.pem", "user", None, 7),
    ]
    assert configs(ev, "strict-ssl")[0].get("value") == "false"
    assert configs(ev, "noproxy")[0].get("value") == "localhost,.corp.example"
    assert {(p.get("variable"), p.get("host"), p.get("port"), p.get("scope")) for p in proxies(ev)} == {
        ("https-proxy", "proxy.corp.example", 8080, "user"),
        ("proxy", "envproxy.corp.example", 3128, "env"),
    }
    assert all(p.get("via") == "config" and p.get("tool") == "npm" for p in proxies(ev))
    clients = {e.get("name"): e.get("version") for e in ev if e.kind == "client"}
    assert clients == {"node": "20.20.2", "npm": "11.19.1"}


def test_overridden_npm_proxy_is_config_but_not_a_proxy_in_use():
    ev = yields_from_file(tool_config, ENV / "npm-config-list-with-env.txt")
    overridden = next(c for c in configs(ev, "proxy") if c.get("overridden_by"))
    assert overridden.get("overridden_by") == "env" and overridden.where.line == 10
    assert not [p for p in proxies(ev) if p.where.line == 10]


def test_npm_config_list_json_reports_proxy_keys_with_lines():
    ev = yields_from_file(tool_config, ENV / "npm-config-list-json.txt")
    proxy = configs(ev, "proxy")[0]
    assert proxy.get("value") == "http://proxy.corp.example:8080/" and proxy.where.line == 3
    assert configs(ev, "noproxy")[0].get("value") == "localhost,.corp.example"
    assert configs(ev, "strict-ssl")[0].get("value") == "false"
    assert [p.get("host") for p in proxies(ev)] == ["proxy.corp.example"]


def test_npm_protected_option_error_is_recorded():
    conf = configs(yields_from_file(tool_config, ENV / "npm-config-get.txt"))
    assert [(c.get("key"), c.get("protected")) for c in conf] == [("https-proxy", True)]


def test_npm_config_get_value_after_the_command_line():
    ev = yields(
        tool_config,
        "$ npm config get proxy\nhttp://proxy.corp.example:8080/\n$ npm config get strict-ssl\nfalse\n",
        "paste.txt",
    )
    assert [(c.get("key"), c.get("value")) for c in configs(ev)] == [
        ("proxy", "http://proxy.corp.example:8080/"),
        ("strict-ssl", "false"),
    ]
    assert proxies(ev)[0].where.line == 2


def test_npmrc_auth_token_is_masked():
    ev = yields(
        tool_config,
        "registry=https://npm.corp.example/\n//npm.corp.example/:_authToken=abcdef123456\nstrict-ssl=false\n",
        ".npmrc",
    )
    token = next(c for c in configs(ev) if "_authToken" in c.get("key"))
    assert "abcdef123456" not in token.get("value") and "abcdef123456" not in token.text


def test_git_show_scope_keeps_scope_and_origin_and_flags_https_proxy():
    ev = yields_from_file(tool_config, ENV / "git-config-list-show-scope.txt")
    proxy = configs(ev, "http.proxy")
    assert [(c.get("scope"), c.get("origin")) for c in proxy] == [
        ("global", "file:/home/dev/.gitconfig"),
        ("local", "file:.git/config"),
    ]
    https = configs(ev, "https.proxy")[0]
    assert https.get("ignored_by_tool") is True and https.where.line == 4
    assert [(p.get("host"), p.get("port"), p.get("scope")) for p in proxies(ev)] == [
        ("proxy.corp.example", 8080, "global"),
        ("proxy2.corp.example", 3128, "local"),
    ]
    assert "PLACEHOLDER" not in proxy[0].get("value")


def test_git_show_origin_and_empty_url_specific_proxy():
    ev = yields_from_file(tool_config, ENV / "git-config-list-show-origin.txt")
    github = configs(ev, "http.https://github.com/.proxy")[0]
    assert github.get("value") == "" and github.where.line == 5
    assert configs(ev, "http.sslverify")[0].get("value") == "false"
    assert len(proxies(ev)) == 2


def test_git_get_regexp_space_separated_values():
    ev = yields_from_file(tool_config, ENV / "git-config-get-regexp-http.txt")
    assert configs(ev, "http.sslcainfo")[0].get("value") == "/etc/ssl/certs/corp-root-ca.pem"
    assert configs(ev, "http.https://github.com/.proxy")[0].get("value") == ""
    assert configs(ev, "https.proxy")[0].get("ignored_by_tool") is True
    origin_only = [c for c in configs(ev) if c.get("key") is None]
    assert [c.get("origin") for c in origin_only] == ["file:/home/dev/.gitconfig", "file:.git/config"]


def test_git_get_with_show_origin_takes_the_key_from_the_command_line():
    ev = yields(
        tool_config,
        "$ git config --show-origin --get http.proxy\nfile:/home/dev/.gitconfig\thttp://p.corp:3128\n",
        "paste.txt",
    )
    conf = configs(ev)[0]
    assert conf.get("key") == "http.proxy" and conf.get("origin") == "file:/home/dev/.gitconfig"
    assert proxies(ev)[0].get("host") == "p.corp"


def test_gitconfig_ini_sections():
    text = (
        '[user]\n\tname = Dev\n[http "https://github.com/"]\n\tproxy = http://gh-proxy:3128\n'
        "[http]\n\tsslVerify = false\n"
    )
    assert tool_config.sniff(text)
    ev = yields(tool_config, text, ".gitconfig")
    assert configs(ev, "http.https://github.com/.proxy")[0].where.line == 4
    assert configs(ev, "http.sslverify")[0].get("value") == "false"
    assert proxies(ev)[0].get("host") == "gh-proxy"


def test_netsh_variants_direct_static_url_and_per_scheme():
    ev = yields_from_file(tool_config, ENV / "public" / "netsh-winhttp-show-proxy-variants.txt")
    assert configs(ev, "proxy")[0].get("value") == "direct" and configs(ev, "proxy")[0].where.line == 4
    servers = [(c.get("value"), c.where.line) for c in configs(ev, "proxy-server")]
    assert servers == [
        ("testProxy:8999", 9),
        ("http://192.168.0.117:8080", 15),
        ("http=proxy.corp.example:8080;https=proxy.corp.example:8443", 21),
    ]
    assert [c.get("value") for c in configs(ev, "bypass-list")] == ["(none)", "<local>", "*.corp.example;<local>"]
    got = [(p.get("host"), p.get("port"), p.get("target"), p.get("tool")) for p in proxies(ev)]
    assert got == [
        ("testproxy", 8999, None, "winhttp"),
        ("192.168.0.117", 8080, None, "winhttp"),
        ("proxy.corp.example", 8080, "http", "winhttp"),
        ("proxy.corp.example", 8443, "https", "winhttp"),
    ]


def test_scutil_enabled_proxies_exceptions_and_pac():
    ev = yields_from_file(tool_config, ENV / "public" / "scutil-proxy-variants.txt")
    got = [(p.get("target"), p.get("scheme"), p.get("host"), p.get("port")) for p in proxies(ev) if not p.get("pac")]
    assert got == [
        ("http", "http", "127.0.0.1", 6152),
        ("https", "http", "127.0.0.1", 6152),
        ("http", "http", "127.0.0.1", 10808),
        ("https", "http", "secure-proxy.example", 10809),
        ("socks", "socks5", "socks-proxy.example", 10810),
    ]
    assert configs(ev, "ExceptionsList")[0].get("value") == "localhost,127.0.0.0/8,*.local"
    pac = [p for p in proxies(ev) if p.get("pac")]
    assert [(p.get("url"), p.where.line) for p in pac] == [("http://wpad.corp.example/proxy.pac", 36)]


def test_scutil_disabled_proxy_is_config_only():
    text = "<dictionary> {\n  HTTPEnable : 0\n  HTTPProxy : old.proxy\n  HTTPPort : 80\n}\n"
    ev = yields(tool_config, text, "paste.txt")
    assert configs(ev, "HTTPProxy")[0].get("value") == "old.proxy" and not proxies(ev)


def test_scutil_nested_scoped_dictionary_does_not_end_the_block():
    text = (
        "<dictionary> {\n  HTTPSEnable : 1\n  __SCOPED__ : <dictionary> {\n    en0 : <dictionary> {\n"
        "      HTTPSEnable : 0\n    }\n  }\n  HTTPSPort : 8443\n  HTTPSProxy : p.corp\n}\n"
    )
    p = proxies(yields(tool_config, text, "paste.txt"))
    assert [(x.get("host"), x.get("port")) for x in p] == [("p.corp", 8443)]


def test_reg_query_internet_settings_with_proxy_enabled():
    text = (
        "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\n"
        "    ProxyEnable    REG_DWORD    0x1\n    ProxyServer    REG_SZ    proxy.corp.example:8080\n"
        "    ProxyOverride    REG_SZ    <local>\n    AutoConfigURL    REG_SZ    http://wpad/proxy.pac\n"
    )
    assert tool_config.sniff(text)
    ev = yields(tool_config, text, "paste.txt")
    assert [(c.get("key"), c.get("value")) for c in configs(ev)][:2] == [
        ("ProxyEnable", "0x1"),
        ("ProxyServer", "proxy.corp.example:8080"),
    ]
    assert all(c.get("tool") == "registry" for c in configs(ev))
    static = [p for p in proxies(ev) if not p.get("pac")]
    assert [(p.get("host"), p.get("port"), p.where.line) for p in static] == [("proxy.corp.example", 8080, 3)]
    assert [p.get("url") for p in proxies(ev) if p.get("pac")] == ["http://wpad/proxy.pac"]


def test_reg_query_with_proxy_disabled_has_no_static_proxy():
    text = (
        "HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Internet Settings\n"
        "    ProxyEnable    REG_DWORD    0x0\n    ProxyServer    REG_SZ    proxy.corp.example:8080\n"
    )
    ev = yields(tool_config, text, "paste.txt")
    assert configs(ev, "ProxyEnable")[0].get("value") == "0x0" and not proxies(ev)


def test_get_item_property_list_is_read_like_the_registry():
    text = "ProxyEnable   : 1\nProxyServer   : http=p.corp:80;https=p.corp:443\nPSPath        : Microsoft.PowerShell\n"
    ev = yields(tool_config, text, "paste.txt")
    assert [(p.get("target"), p.get("port")) for p in proxies(ev)] == [("http", 80), ("https", 443)]


@pytest.mark.parametrize(
    "head",
    [
        "hello\n",
        "FOO=1\nBAR=2\n",
        '{"log": {"entries": [], "registry": 1}}',
        '{"env": {"A": "1"}}',
        "export HTTPS_PROXY=http://x:1\n",
        "registry is down\n",
    ],
)
def test_sniff_rejects_other_text(head):
    assert not tool_config.sniff(head)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "<dictionary> {\n",
        "<dictionary> {\n  HTTPEnable : 1\n  HTTPProxy : \n",
        "}\n}\n",
        "Current WinHTTP proxy settings:\n    Proxy Server(s) :  \n",
        "    ProxyEnable    REG_DWORD\n",
        '; "user" config from x\n= 1\nproxy = [\n',
        "$ npm config get proxy\n",
        "file:\t\n",
        '{"registry": ',
        "\x00\x01\x02",
        "[http\n\tproxy = \n",
        "global\tfile:x\t=\n",
    ],
)
def test_malformed_input_never_raises(text):
    yields(tool_config, text, "paste.txt")
