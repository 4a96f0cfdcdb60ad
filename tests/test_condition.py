import pytest

from analyzer.engine import condition as c


@pytest.mark.parametrize("text,fired,expected", [
    ("a", {"a"}, True),
    ("a and b", {"a"}, False),
    ("a or b", {"b"}, True),
    ("not a", set(), True),
    ("a and not b", {"a", "b"}, False),
    ("a or b and c", {"a"}, True),          # and binds tighter than or
    ("(a or b) and c", {"a"}, False),
    ("not (a or b) and c", {"c"}, True),
])
def test_conditions_evaluate_with_and_or_not_and_parentheses(text, fired, expected):
    assert c.evaluate(c.parse(text), fired) is expected


@pytest.mark.parametrize("text", ["a and", "(a or b", "a b", "a & b", ""])
def test_malformed_conditions_are_rejected(text):
    with pytest.raises(c.ConditionError):
        c.parse(text)


def test_positive_names_exclude_negated_matchers():
    assert c.positive_names(c.parse("a and not (b or c) or d")) == {"a", "d"}
