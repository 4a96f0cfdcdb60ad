"""The condition language of rules: matcher names joined by and / or / not and parentheses.

    condition: cert_error and not trusted_ca or (vendor_issuer and proxy_set)

`not` binds tighter than `and`, which binds tighter than `or`. A condition compiles once
into a small tree; evaluating it takes the set of matcher names that fired.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..lazy import lazy_regex

_TOKEN = lazy_regex(r"\s*(?:(?P<op>\(|\)|\band\b|\bor\b|\bnot\b)|(?P<name>[A-Za-z_][A-Za-z0-9_\-]*)|(?P<bad>\S))")


@dataclass(frozen=True)
class Name:
    name: str


@dataclass(frozen=True)
class Not:
    arg: Expr


@dataclass(frozen=True)
class And:
    args: tuple[Expr, ...]


@dataclass(frozen=True)
class Or:
    args: tuple[Expr, ...]


Expr = Name | Not | And | Or


class ConditionError(ValueError):
    pass


def parse(text: str) -> Expr:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            break
        pos = m.end()
        if m.group("bad"):
            raise ConditionError(f"unexpected character {m.group('bad')!r} in condition")
        if m.group("op"):
            tokens.append(("op", m.group("op")))
        elif m.group("name"):
            tokens.append(("name", m.group("name")))
    if not tokens:
        raise ConditionError("empty condition")
    parser = _Parser(tokens)
    expr = parser.or_expr()
    if parser.i != len(tokens):
        raise ConditionError(f"unexpected {tokens[parser.i][1]!r} in condition")
    return expr


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens, self.i = tokens, 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self, value: str) -> bool:
        tok = self.peek()
        if tok and tok[0] == "op" and tok[1] == value:
            self.i += 1
            return True
        return False

    def or_expr(self) -> Expr:
        args = [self.and_expr()]
        while self.take("or"):
            args.append(self.and_expr())
        return args[0] if len(args) == 1 else Or(tuple(args))

    def and_expr(self) -> Expr:
        args = [self.not_expr()]
        while self.take("and"):
            args.append(self.not_expr())
        return args[0] if len(args) == 1 else And(tuple(args))

    def not_expr(self) -> Expr:
        if self.take("not"):
            return Not(self.not_expr())
        return self.atom()

    def atom(self) -> Expr:
        if self.take("("):
            expr = self.or_expr()
            if not self.take(")"):
                raise ConditionError("missing ')' in condition")
            return expr
        tok = self.peek()
        if tok is None:
            raise ConditionError("condition ends too early")
        if tok[0] != "name":
            raise ConditionError(f"unexpected {tok[1]!r} in condition")
        self.i += 1
        return Name(tok[1])


def names(expr: Expr) -> set[str]:
    if isinstance(expr, Name):
        return {expr.name}
    if isinstance(expr, Not):
        return names(expr.arg)
    return set().union(*(names(a) for a in expr.args))


def positive_names(expr: Expr, negated: bool = False) -> set[str]:
    """Names whose firing can make the condition true (not under an odd number of `not`)."""
    if isinstance(expr, Name):
        return set() if negated else {expr.name}
    if isinstance(expr, Not):
        return positive_names(expr.arg, not negated)
    return set().union(*(positive_names(a, negated) for a in expr.args))


def evaluate(expr: Expr, fired: set[str] | frozenset[str]) -> bool:
    if isinstance(expr, Name):
        return expr.name in fired
    if isinstance(expr, Not):
        return not evaluate(expr.arg, fired)
    if isinstance(expr, And):
        return all(evaluate(a, fired) for a in expr.args)
    return any(evaluate(a, fired) for a in expr.args)


MAX_CLAUSES = 64


def required(expr: Expr) -> list[frozenset[str]]:
    """What must fire for the condition to hold, as clauses (conjunctive normal form, positive
    names only): every clause needs one of its names. `a and (b or c)` gives [{a}, {b, c}].

    A `not` requires nothing, so `a or not b` gives []: no name is needed. Beyond MAX_CLAUSES
    the answer is [] too: claiming less is always safe, claiming more never is.
    """
    if isinstance(expr, Name):
        return [frozenset({expr.name})]
    if isinstance(expr, Not):
        return []
    if isinstance(expr, And):
        out = [c for a in expr.args for c in required(a)]
        return out if len(out) <= MAX_CLAUSES else []
    out = [frozenset()]
    for arg in expr.args:  # or: one name of every branch's clause, for each choice of clauses
        clauses = required(arg)
        if not clauses:
            return []
        out = [acc | c for acc in out for c in clauses]
        if len(out) > MAX_CLAUSES:
            return []
    return out
