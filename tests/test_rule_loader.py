"""The loader reports every problem in a rule file with its file and line."""

from pathlib import Path

from analyzer.engine import load

GOOD = """\
id: {id}
cause: dns_failure
title: DNS fails for {{{{host}}}}
severity: high
confidence: 0.7
match:
  nxdomain:
    pattern: 'getaddrinfo ENOTFOUND (?P<host>\\S+)'
fix: Repair DNS.
examples:
  - name: enotfound
    expect: {{top: dns_failure}}
    input: {{terminal: "getaddrinfo ENOTFOUND api.anthropic.com"}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return path


def test_a_valid_rule_loads_with_its_compiled_pattern(tmp_path):
    write(tmp_path, "dns-x", GOOD.format(id="dns-x"))
    result = load(dirs=[tmp_path])
    assert result.errors == []
    rule = result.rules["dns-x"]
    assert rule.matchers["nxdomain"].literals == frozenset({"getaddrinfo enotfound "})


def test_unknown_keys_suggest_the_right_one_with_file_and_line(tmp_path):
    text = GOOD.format(id="dns-x").replace("    pattern:", "    patern:").replace("severity: high", "severty: high")
    path = write(tmp_path, "dns-x", text)
    messages = [str(e) for e in load(dirs=[tmp_path]).errors]
    assert any(f"{path}:4" in m and '"severty"' in m and 'did you mean "severity"' in m for m in messages)
    assert any(f"{path}:8" in m and 'did you mean "pattern"' in m for m in messages)


def test_bad_regex_unknown_cause_and_orphan_placeholder_are_all_reported_together(tmp_path):
    text = (
        GOOD.format(id="dns-x")
        .replace("dns_failure\n", "dns_failur\n", 1)
        .replace("(?P<host>\\S+)", "(?P<host>\\S+")
        .replace("Repair DNS.", "Repair DNS for {{resolver}}.")
    )
    path = write(tmp_path, "dns-x", text)
    messages = [str(e) for e in load(dirs=[tmp_path]).errors]
    assert any('unknown cause "dns_failur"' in m and 'did you mean "dns_failure"' in m for m in messages)
    assert any("bad regex" in m and f"{path}:8" in m for m in messages)
    assert any('placeholder "{{resolver}}"' in m for m in messages)


def test_id_must_match_file_name_and_duplicates_are_errors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write(tmp_path / "a", "dns-x", GOOD.format(id="dns-x"))
    write(tmp_path / "b", "dns-x", GOOD.format(id="dns-x"))
    write(tmp_path / "a", "dns-y", GOOD.format(id="dns-z"))
    messages = [str(e) for e in load(dirs=[tmp_path]).errors]
    assert any('duplicate rule id "dns-x"' in m for m in messages)
    assert any('must equal the file name "dns-y"' in m for m in messages)


def test_condition_naming_an_unknown_matcher_and_missing_supersedes_target_are_errors(tmp_path):
    text = GOOD.format(id="dns-x").replace(
        "fix: Repair DNS.", "condition: nxdomian\nsupersedes: [no-such-rule]\nfix: Repair DNS."
    )
    write(tmp_path, "dns-x", text)
    messages = [str(e) for e in load(dirs=[tmp_path]).errors]
    assert any('unknown matcher "nxdomian"' in m and 'did you mean "nxdomain"' in m for m in messages)
    assert any('supersedes unknown rule "no-such-rule"' in m for m in messages)


def test_a_user_rule_with_a_builtin_id_replaces_it(tmp_path):
    base, user = tmp_path / "base", tmp_path / "user"
    base.mkdir()
    user.mkdir()
    write(base, "dns-x", GOOD.format(id="dns-x"))
    write(user, "dns-x", GOOD.format(id="dns-x").replace("confidence: 0.7", "confidence: 0.3"))
    result = load(dirs=[base], extra=[user])
    assert result.errors == []
    assert result.rules["dns-x"].confidence == 0.3


def test_the_builtin_catalog_lints_clean():
    result = load()
    assert [str(e) for e in result.errors] == []
    assert result.rules
