import pytest

from analyzer.engine import condition as c


@pytest.mark.parametrize(
    "text,fired,expected",
    [
        ("a", {"a"}, True),
        ("a and b", {"a"}, False),
        ("a or b", {"b"}, True),
        ("not a", set(), True),
        ("a and not b", {"a", "b"}, False),
        ("a or b and c", {"a"}, True),  # and binds tighter than or
        ("(a or b) and c", {"a"}, False),
        ("not (a or b) and c", {"c"}, True),
    ],
)
def test_conditions_evaluate_with_and_or_not_and_parentheses(text, fired, expected):
    assert c.evaluate(c.parse(text), fired) is expected


@pytest.mark.parametrize("text", ["a and", "(a or b", "a b", "a & b", ""])
def test_malformed_conditions_are_rejected(text):
    with pytest.raises(c.ConditionError):
        c.parse(text)


def test_positive_names_exclude_negated_matchers():
    assert c.positive_names(c.parse("a and not (b or c) or d")) == {"a", "d"}


@pytest.mark.parametrize(
    "text,clauses",
    [
        ("a", [{"a"}]),
        ("a and b", [{"a"}, {"b"}]),
        ("a or b", [{"a", "b"}]),
        ("a and (b or c)", [{"a"}, {"b", "c"}]),
        ("(a and b) or c", [{"a", "c"}, {"b", "c"}]),
        ("a and not b", [{"a"}]),
        ("a or not b", []),  # true with nothing fired: nothing is required
        ("not a", []),
    ],
)
def test_required_gives_what_must_fire_as_clauses(text, clauses):
    assert sorted(map(sorted, c.required(c.parse(text)))) == sorted(map(sorted, clauses))


@pytest.mark.parametrize("text", ["a and (b or c)", "(a and b) or c", "a or b and not c", "(a or b) and (c or d)"])
def test_a_condition_cannot_hold_when_a_required_clause_has_nothing_fired(text):
    expr = c.parse(text)
    names = sorted(c.names(expr))
    for bits in range(1 << len(names)):
        fired = {n for i, n in enumerate(names) if bits >> i & 1}
        if c.evaluate(expr, fired):
            assert all(clause & fired for clause in c.required(expr)), fired


def test_required_gives_up_rather_than_explode():
    wide = " or ".join(f"(a{i} and b{i})" for i in range(8))  # 2^8 clauses in normal form
    assert c.required(c.parse(wide)) == []
