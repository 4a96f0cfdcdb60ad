"""Version ranges for rules limited to a client build, e.g. `>=2.1.113,<2.1.222`."""

from __future__ import annotations

import regex

_CLAUSE = regex.compile(r"^\s*(>=|<=|==|!=|>|<|=)?\s*(\d+(?:\.\d+)*)\s*$")


def parse_version(text: str) -> tuple[int, ...]:
    m = regex.match(r"\s*v?(\d+(?:\.\d+)*)", text)
    if not m:
        raise ValueError(f"not a version: {text!r}")
    return tuple(int(p) for p in m.group(1).split("."))


def parse_range(spec: str) -> list[tuple[str, tuple[int, ...]]]:
    clauses = []
    for part in spec.split(","):
        if not part.strip():
            continue
        m = _CLAUSE.match(part)
        if not m:
            raise ValueError(f"cannot read {part.strip()!r} (use e.g. >=2.1.113,<2.1.222)")
        clauses.append((m.group(1) or "==", parse_version(m.group(2))))
    return clauses


def _cmp(a: tuple[int, ...], b: tuple[int, ...]) -> int:
    n = max(len(a), len(b))
    a, b = a + (0,) * (n - len(a)), b + (0,) * (n - len(b))
    return (a > b) - (a < b)


def in_range(version: str, spec: str) -> bool:
    try:
        v = parse_version(version)
    except ValueError:
        return True  # unknown version: the rule may apply
    ops = {
        ">=": lambda c: c >= 0,
        "<=": lambda c: c <= 0,
        ">": lambda c: c > 0,
        "<": lambda c: c < 0,
        "==": lambda c: c == 0,
        "=": lambda c: c == 0,
        "!=": lambda c: c != 0,
    }
    return all(ops[op](_cmp(v, bound)) for op, bound in parse_range(spec))
