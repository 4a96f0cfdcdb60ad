"""analyzer/rule.schema.json accepts every shipped rule, rejects typos, and says what the loader says."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from analyzer.engine import loader
from analyzer.model import KINDS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "analyzer" / "rule.schema.json").read_text(encoding="utf-8"))
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
RULE_FILES = sorted((ROOT / "rules").rglob("*.yaml"))

GOOD = """\
id: dns-x
cause: dns_failure
title: DNS fails for {{host}}
severity: high
confidence: 0.7
match:
  nxdomain:
    pattern: 'getaddrinfo ENOTFOUND (?P<host>\\S+)'
  typed:
    kind: connect-error
    where: {code: [ENOTFOUND, EAI_AGAIN], port: {min: 1, max: 65535}, host: null}
boost: {typed: 0.1}
missing:
  - text: nslookup api.anthropic.com
    when_not: typed
    cap: 0.8
fix: {all: Repair DNS., windows: ipconfig /flushdns}
examples:
  - name: enotfound
    expect: {top: dns_failure}
    input: {terminal: "getaddrinfo ENOTFOUND api.anthropic.com"}
"""


def errors_of(text: str) -> list[str]:
    return [e.message for e in VALIDATOR.iter_errors(yaml.safe_load(text))]


def test_the_schema_is_a_valid_draft_2020_12_schema():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_a_complete_rule_is_valid():
    assert errors_of(GOOD) == []


@pytest.mark.parametrize("path", RULE_FILES, ids=[str(p.relative_to(ROOT)) for p in RULE_FILES])
def test_every_rule_file_matches_the_schema(path):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = [f"{'/'.join(map(str, e.absolute_path)) or '<top>'}: {e.message}" for e in VALIDATOR.iter_errors(data)]
    assert problems == []


def test_a_typo_in_a_top_level_key_fails():
    problems = errors_of(GOOD.replace("severity: high", "severty: high"))
    assert any("'severty' was unexpected" in p for p in problems)
    assert any("'severity' is a required property" in p for p in problems)


def test_a_typo_in_a_matcher_key_fails():
    problems = errors_of(GOOD.replace("    pattern: 'getaddrinfo", "    patern: 'getaddrinfo"))
    assert problems, "a matcher with 'patern' must not validate"


def test_a_typo_in_an_example_expectation_fails():
    assert errors_of(GOOD.replace("expect: {top: dns_failure}", "expect: {tpo: dns_failure}"))


def test_wrong_types_and_values_fail():
    assert errors_of(GOOD.replace("confidence: 0.7", "confidence: 1.7"))
    assert errors_of(GOOD.replace("severity: high", "severity: urgent"))
    assert errors_of(GOOD.replace("cause: dns_failure", "cause: dns_failur"))
    assert errors_of(GOOD.replace("kind: connect-error", "kind: connect_error"))


def test_a_matcher_without_kind_contains_or_pattern_fails():
    assert errors_of(GOOD.replace("    kind: connect-error\n", ""))


def test_the_schema_names_exactly_the_keys_and_values_the_loader_accepts():
    props = SCHEMA["properties"]
    defs = SCHEMA["$defs"]
    assert set(props) == loader.RULE_KEYS
    assert set(SCHEMA["required"]) == set(loader.REQUIRED_KEYS)
    assert set(defs["matcher"]["properties"]) == loader.MATCHER_KEYS
    assert set(defs["missing"]["oneOf"][1]["properties"]) == loader.MISSING_KEYS
    assert set(defs["example"]["properties"]) == loader.EXAMPLE_KEYS
    assert set(defs["example"]["properties"]["expect"]["properties"]) == loader.EXPECT_KEYS
    assert set(props["applies_to"]["properties"]) == loader.APPLIES_KEYS


def test_the_schema_enums_follow_the_taxonomy_the_sources_and_the_evidence_kinds():
    defs = SCHEMA["$defs"]
    assert set(SCHEMA["properties"]["cause"]["enum"]) == set(loader.taxonomy())
    assert set(defs["matcher"]["properties"]["source"]["oneOf"][0]["enum"]) == loader.SOURCES
    assert set(defs["matcher"]["properties"]["kind"]["oneOf"][0]["enum"]) == set(KINDS)
