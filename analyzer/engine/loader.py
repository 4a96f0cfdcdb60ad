"""Load rule files (YAML) into compiled Rules, collecting every error with its file and line.

Rules live in `rules/<family>/<rule-id>.yaml`: the file name is the rule id. Folders given
with `--rules DIR` or `CCDIAG_RULES` load after the built-in ones; a rule with a built-in
id replaces it.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import regex
import yaml

from ..errors import RuleError
from ..lazy import lazy_scan_regex
from ..literals import required_literals
from ..model import Severity
from . import condition as cond
from .ruledirs import PLACEHOLDER, LineDict, builtin_rules_dir, extra_rule_dirs, rule_files  # noqa: F401 - re-exported
from .rules import Candidate, Example, Matcher, Missing, Rule

RULE_KEYS = {
    "id",
    "cause",
    "title",
    "severity",
    "confidence",
    "description",
    "match",
    "condition",
    "boost",
    "unless",
    "supersedes",
    "applies_to",
    "missing",
    "fix",
    "references",
    "examples",
    "corroboration",
    "tags",
    "candidates",
}
REQUIRED_KEYS = ("id", "cause", "title", "severity", "confidence", "match", "fix")
MATCHER_KEYS = {"source", "kind", "field", "contains", "pattern", "where", "case", "capture", "min_count"}
MISSING_KEYS = {"text", "when_not", "cap"}
EXAMPLE_KEYS = {"name", "expect", "input", "note"}
EXPECT_KEYS = {
    "top",
    "not_top",
    "absent",
    "present",
    "rank_max",
    "cause",
    "min_confidence",
    "max_confidence",
    "rule",
    "no_rule",
    "quiet",
}
APPLIES_KEYS = {"client", "versions"}
SOURCES = {"curl", "har", "claude-log", "env", "settings", "config", "sdk", "openssl", "text", "derived"}


@lru_cache(maxsize=1)
def taxonomy() -> dict[str, dict[str, Any]]:
    """cause id -> {family, title, signs, fix} from the project's taxonomy."""
    path = Path(__file__).resolve().parent.parent / "taxonomy.yaml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeBase)  # a safe loader
    out: dict[str, dict[str, Any]] = {}
    for family, causes in data.items():
        for cause_id, info in (causes or {}).items():
            out[cause_id] = {"family": family, **(info or {})}
    return out


# libyaml's parser when PyYAML has it (10x faster); both are safe loaders.
_SafeBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeBase):  # type: ignore[misc, valid-type]
    """A safe loader whose mappings remember the line of each key."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "unhashable key", key_node.start_mark)
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[str(key)] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _line(obj: Any, key: str | None = None, default: int = 1) -> int:
    if isinstance(obj, LineDict):
        if key is not None and key in obj.key_lines:
            return obj.key_lines[key]
        return obj.line
    return default


def _did_you_mean(word: str, options: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, sorted(options), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]


@dataclass
class LoadResult:
    rules: dict[str, Rule] = field(default_factory=dict)
    errors: list[RuleError] = field(default_factory=list)


class _FileLoader:
    """Builds one Rule from one file, appending every problem to `errors`."""

    def __init__(self, path: Path, errors: list[RuleError], lazy: bool = False):
        self.path = path
        self.lazy = lazy  # built-in rules are linted in CI: compile their regexes on first use
        self.errors = errors
        self.shown = str(path)

    def err(self, line: int, message: str) -> None:
        self.errors.append(RuleError(message, f"{self.shown}:{line}"))

    def load(self) -> Rule | None:
        try:
            # _LineLoader is a SafeLoader subclass
            data = yaml.load(self.path.read_text(encoding="utf-8"), Loader=_LineLoader)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            self.err(mark.line + 1 if mark else 1, f"invalid YAML: {getattr(exc, 'problem', exc)}")
            return None
        except (OSError, UnicodeDecodeError) as exc:
            self.err(1, f"cannot read rule file: {exc}")
            return None
        if not isinstance(data, dict):
            self.err(1, "a rule file must be a mapping")
            return None
        for key in data:
            if key not in RULE_KEYS:
                self.err(_line(data, key), f'unknown key "{key}"{_did_you_mean(str(key), RULE_KEYS)}')
        for key in REQUIRED_KEYS:
            if key not in data:
                self.err(_line(data), f'missing required key "{key}"')
        missing_required = any(k not in data for k in REQUIRED_KEYS)
        defaults = {
            "id": self.path.stem,
            "cause": "network_unreachable",
            "title": "",
            "severity": "medium",
            "confidence": 0.5,
            "match": {},
            "fix": "",
        }
        for key, value in defaults.items():
            data.setdefault(key, value)  # keep checking the rest; the rule is dropped below
        rule_id = str(data["id"])
        if rule_id != self.path.stem:
            self.err(_line(data, "id"), f'id "{rule_id}" must equal the file name "{self.path.stem}"')
        tax = taxonomy()
        cause = str(data["cause"])
        if cause not in tax:
            self.err(_line(data, "cause"), f'unknown cause "{cause}"{_did_you_mean(cause, tax)}')
        try:
            severity = Severity.parse(str(data["severity"]))
        except KeyError:
            self.err(
                _line(data, "severity"),
                f'unknown severity "{data["severity"]}"{_did_you_mean(str(data["severity"]), Severity.__members__)}',
            )
            severity = Severity.medium
        confidence = self.number(data, "confidence", 0.5)
        matchers = self.matchers(rule_id, data.get("match"), _line(data, "match"))
        condition_text = str(data.get("condition") or " or ".join(matchers) or "false")
        try:
            expr = cond.parse(condition_text)
            for name in sorted(cond.names(expr) - set(matchers)):
                self.err(
                    _line(data, "condition"), f'condition names unknown matcher "{name}"{_did_you_mean(name, matchers)}'
                )
        except cond.ConditionError as exc:
            self.err(_line(data, "condition"), f"bad condition: {exc}")
            expr = cond.Name("__never__")
        boost = self.weights(data, "boost", matchers, default=0.1)
        unless = self.weights(data, "unless", matchers, default=0.25)
        missing = self.missing(data, matchers)
        applies = self.applies_to(data)
        rule = Rule(
            id=rule_id,
            cause=cause,
            family=tax.get(cause, {}).get("family", self.path.parent.name),
            title=str(data["title"]).strip(),
            severity=severity,
            confidence=confidence,
            description=str(data.get("description") or "").strip(),
            matchers=matchers,
            condition=expr,
            condition_text=condition_text,
            fix=self.fix(data),
            path=self.shown,
            line=_line(data),
            boost=boost,
            unless=unless,
            supersedes=tuple(str(s) for s in _as_list(data.get("supersedes"))),
            applies_to=applies,
            missing=missing,
            references=tuple(str(r) for r in _as_list(data.get("references"))),
            examples=self.examples(data),
            corroboration=self.number(data, "corroboration", 0.1),
            tags=tuple(str(t) for t in _as_list(data.get("tags"))),
            key_lines=dict(getattr(data, "key_lines", {})),
            candidates=self.candidates(cause, confidence, data),
        )
        if not self.lazy:
            self.check_placeholders(rule, data)
        return None if missing_required else rule

    def candidates(self, own_cause: str, own_confidence: float, data: dict) -> tuple[Candidate, ...]:
        """`candidates: {cause: confidence}`: other causes the same evidence stands for, each at
        the confidence real reports with only this evidence give it (titled and fixed by the
        taxonomy). The rule's boosts, contrary evidence and caps move them with the rule."""
        spec = data.get("candidates")
        if spec is None:
            return ()
        if not isinstance(spec, dict):
            self.err(_line(data, "candidates"), "candidates must map a cause to its confidence")
            return ()
        tax = taxonomy()
        out: list[Candidate] = []
        for cause, value in spec.items():
            line = _line(spec, cause, _line(data, "candidates"))
            if cause not in tax:
                self.err(line, f'unknown cause "{cause}"{_did_you_mean(str(cause), tax)}')
            elif cause == own_cause:
                self.err(line, f'candidate "{cause}" repeats the rule\'s own cause')
            elif not isinstance(value, (int, float)) or not 0 < value <= own_confidence:
                self.err(
                    line, f'candidate "{cause}" needs a confidence above 0 and at most the rule\'s ({own_confidence})'
                )
            else:
                info = tax[cause]
                out.append(
                    Candidate(
                        cause=str(cause),
                        confidence=float(value),
                        family=str(info["family"]),
                        title=" ".join(str(info.get("title", cause)).split()),
                        fix=" ".join(str(info.get("fix", "")).split()),
                    )
                )
        return tuple(out)

    def number(self, data: dict, key: str, default: float) -> float:
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
            self.err(_line(data, key), f'"{key}" must be a number between 0 and 1')
            return default
        return float(value)

    def matchers(self, rule_id: str, spec: Any, line: int) -> dict[str, Matcher]:
        out: dict[str, Matcher] = {}
        if not isinstance(spec, dict) or not spec:
            self.err(line, '"match" must be a mapping of matcher names to matchers')
            return out
        for name, body in spec.items():
            mline = _line(spec, name)
            if not regex.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", str(name)):
                self.err(mline, f'matcher name "{name}" must be an identifier')
                continue
            if not isinstance(body, dict):
                self.err(mline, f'matcher "{name}" must be a mapping')
                continue
            for key in body:
                if key not in MATCHER_KEYS:
                    self.err(
                        _line(body, key),
                        f'unknown key "{key}" in matcher "{name}"{_did_you_mean(str(key), MATCHER_KEYS)}',
                    )
            m = self.matcher(rule_id, str(name), body, mline)
            if m is not None:
                out[str(name)] = m
        return out

    def matcher(self, rule_id: str, name: str, body: dict, line: int) -> Matcher | None:
        case_sensitive = str(body.get("case", "insensitive")).lower() == "sensitive"
        kinds = frozenset(str(k) for k in _as_list(body.get("kind"))) or None
        if kinds and kinds & {"line"}:
            kinds = None if kinds == {"line"} else kinds
        sources = frozenset(str(s) for s in _as_list(body.get("source"))) or None
        for src in sources or ():
            if src not in SOURCES:
                self.err(_line(body, "source"), f'unknown source "{src}"{_did_you_mean(src, SOURCES)}')
        contains = tuple(str(c) if case_sensitive else str(c).lower() for c in _as_list(body.get("contains")))
        patterns = []
        for raw in _as_list(body.get("pattern")):
            flags = 0 if case_sensitive else regex.IGNORECASE
            try:
                patterns.append(
                    lazy_scan_regex(str(raw), flags | regex.VERSION0)
                    if self.lazy
                    else regex.compile(str(raw), flags | regex.VERSION0)
                )
            except regex.error as exc:
                self.err(_line(body, "pattern"), f'bad regex in matcher "{name}": {exc}')
        where_spec = body.get("where") or {}
        where: dict[str, tuple] = {}
        if not isinstance(where_spec, dict):
            self.err(_line(body, "where"), f'"where" in matcher "{name}" must be a mapping of field to value(s)')
        else:
            for key, val in where_spec.items():
                where[str(key)] = tuple(_as_list(val)) if val is not None else (None,)
        if kinds is None and not contains and not patterns:
            self.err(line, f'matcher "{name}" needs "contains" or "pattern" (or a "kind" to match typed evidence)')
        try:
            min_count = int(body.get("min_count", 1))
        except (TypeError, ValueError):
            self.err(_line(body, "min_count"), f'"min_count" in matcher "{name}" must be a whole number')
            min_count = 1
        literals = None
        if kinds is None:
            literals = required_literals(contains, patterns)
        return Matcher(
            rule=rule_id,
            name=name,
            line=line,
            kinds=kinds,
            sources=sources,
            field=str(body.get("field", "text")),
            contains=contains,
            patterns=tuple(patterns),
            where=where,
            case_sensitive=case_sensitive,
            capture=tuple(str(c) for c in _as_list(body.get("capture"))),
            min_count=max(1, min_count),
            literals=literals,
        )

    def weights(self, data: dict, key: str, matchers: dict, default: float) -> dict[str, float]:
        spec = data.get(key)
        if spec is None:
            return {}
        items = spec.items() if isinstance(spec, dict) else ((n, default) for n in _as_list(spec))
        out = {}
        for name, weight in items:
            if name not in matchers:
                self.err(
                    _line(data, key), f'"{key}" names unknown matcher "{name}"{_did_you_mean(str(name), matchers)}'
                )
                continue
            if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0 <= weight <= 1:
                self.err(_line(data, key), f'"{key}" weight of "{name}" must be between 0 and 1')
                continue
            out[str(name)] = float(weight)
        return out

    def missing(self, data: dict, matchers: dict) -> list[Missing]:
        out = []
        for item in _as_list(data.get("missing")):
            if isinstance(item, str):
                out.append(Missing(item.strip()))
                continue
            if not isinstance(item, dict) or "text" not in item:
                self.err(_line(data, "missing"), '"missing" items are text or {text, when_not, cap}')
                continue
            for key in item:
                if key not in MISSING_KEYS:
                    self.err(_line(item, key), f'unknown key "{key}" in missing{_did_you_mean(str(key), MISSING_KEYS)}')
            when_not = tuple(str(w) for w in _as_list(item.get("when_not")))
            for name in when_not:
                if name not in matchers:
                    self.err(
                        _line(item, "when_not"),
                        f'"when_not" names unknown matcher "{name}"{_did_you_mean(name, matchers)}',
                    )
            cap = item.get("cap")
            if cap is not None and (isinstance(cap, bool) or not isinstance(cap, (int, float)) or not 0 <= cap <= 1):
                self.err(_line(item, "cap"), '"cap" must be between 0 and 1')
                cap = None
            out.append(Missing(str(item["text"]).strip(), when_not, float(cap) if cap is not None else None))
        return out

    def applies_to(self, data: dict) -> dict[str, str]:
        spec = data.get("applies_to")
        if spec is None:
            return {}
        if not isinstance(spec, dict):
            self.err(_line(data, "applies_to"), '"applies_to" must be {client, versions}')
            return {}
        for key in spec:
            if key not in APPLIES_KEYS:
                self.err(_line(spec, key), f'unknown key "{key}" in applies_to{_did_you_mean(str(key), APPLIES_KEYS)}')
        from .versions import parse_range

        versions = str(spec.get("versions", ""))
        try:
            parse_range(versions)
        except ValueError as exc:
            self.err(_line(spec, "versions"), f"bad version range: {exc}")
        return {"client": str(spec.get("client", "claude-code")), "versions": versions}

    def fix(self, data: dict) -> str | dict[str, str]:
        fix = data.get("fix")
        if isinstance(fix, dict):
            return {str(k): str(v).strip() for k, v in fix.items()}
        return str(fix or "").strip()

    def examples(self, data: dict) -> list[Example]:
        out: list[Example] = []
        for item in _as_list(data.get("examples")):
            if not isinstance(item, dict):
                self.err(_line(data, "examples"), "each example must be a mapping")
                continue
            for key in item:
                if key not in EXAMPLE_KEYS:
                    self.err(_line(item, key), f'unknown key "{key}" in example{_did_you_mean(str(key), EXAMPLE_KEYS)}')
            expect = item.get("expect")
            inputs = item.get("input")
            if not isinstance(expect, dict) or not expect:
                self.err(_line(item), 'example needs "expect" (top / not_top / absent / present / rank_max ...)')
                continue
            for key in expect:
                if key not in EXPECT_KEYS:
                    self.err(_line(expect, key), f'unknown key "{key}" in expect{_did_you_mean(str(key), EXPECT_KEYS)}')
            if not isinstance(inputs, dict) or not inputs:
                self.err(_line(item), 'example needs "input": a mapping of file name to content')
                continue
            out.append(
                Example(
                    str(item.get("name") or f"example {len(out) + 1}"),
                    dict(expect),
                    {str(k): str(v) for k, v in inputs.items()},
                    _line(item),
                )
            )
        return out

    def check_placeholders(self, rule: Rule, data: dict) -> None:
        groups = rule.group_names()
        texts = [("title", rule.title)]
        fix = rule.fix if isinstance(rule.fix, dict) else {"fix": rule.fix}
        texts += [("fix", t) for t in fix.values()]
        texts += [("missing", m.text) for m in rule.missing]
        for key, text in texts:
            for m in PLACEHOLDER.finditer(text):
                if m.group(1) not in groups:
                    self.err(
                        _line(data, key),
                        f'placeholder "{{{{{m.group(1)}}}}}" names no regex group or captured field'
                        f"{_did_you_mean(m.group(1), groups)}",
                    )


def load(
    dirs: Iterable[Path] | None = None,
    extra: Iterable[Path] = (),
    disable: Iterable[str] = (),
    lazy_builtin: bool = False,
) -> LoadResult:
    """Load built-in rules (or `dirs`), then `extra` folders whose ids replace built-in ones.

    `lazy_builtin` defers compiling the built-in rules' regexes to first use (fast start-up for
    `analyze`); `rules lint` and the tests load everything eagerly, so errors still surface.
    """
    result = LoadResult()
    seen_in_layer: dict[str, str] = {}
    layers = [list(dirs) if dirs is not None else [builtin_rules_dir()], list(extra)]
    for layer_index, layer in enumerate(layers):
        seen_in_layer = {}
        for path in rule_files(layer):
            rule = _FileLoader(path, result.errors, lazy=lazy_builtin and layer_index == 0 and dirs is None).load()
            if rule is None:
                continue
            if rule.id in seen_in_layer:
                result.errors.append(
                    RuleError(
                        f'duplicate rule id "{rule.id}" (also in {seen_in_layer[rule.id]})', f"{path}:{rule.line}"
                    )
                )
                continue
            seen_in_layer[rule.id] = str(path)
            result.rules[rule.id] = rule  # a later layer replaces a built-in id
    disabled = set(disable)
    for rule_id in disabled:
        if rule_id not in result.rules:
            result.errors.append(
                RuleError(f'--disable names unknown rule "{rule_id}"{_did_you_mean(rule_id, result.rules)}')
            )
        result.rules.pop(rule_id, None)
    for rule in result.rules.values():
        for target in rule.supersedes:
            if target not in result.rules and target not in disabled:
                line = rule.key_lines.get("supersedes", rule.line)
                result.errors.append(
                    RuleError(
                        f'supersedes unknown rule "{target}"{_did_you_mean(target, result.rules)}',
                        f"{rule.path}:{line}",
                    )
                )
    return result
