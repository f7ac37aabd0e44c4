"""The condition notation parses, reports errors with a column, and evaluates without eval."""

from __future__ import annotations

import pytest

from simulator.core.conditions import ConditionError, SimpleContext, evaluate, names_used, parse_condition


def _eval(text: str, **kw: object) -> bool:
    return evaluate(parse_condition(text), SimpleContext(**kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("mood >= 0", True),
        ("mood > 0", False),
        ("knows_name", True),
        ("not knows_name", False),
        ("promised or knows_name", True),
        ("promised and knows_name", False),
        ("score.empathy >= 2 and total == 5", True),
        ("(mood < -2 or knows_name) and not promised", True),
        ("visits.opening > 1", True),
        ("mood != 0", False),
    ],
)
def test_evaluate(text: str, expected: bool) -> None:
    ctx = dict(mood=0, flags=frozenset({"knows_name"}), totals={"empathy": 2, "memory": 3}, visits={"opening": 2})
    assert _eval(text, **ctx) is expected


@pytest.mark.parametrize(
    "text,column",
    [("mood >> 2", 7), ("(mood > 1", 10), ("mood >", 7), ("__import__('os')", 12), ("", 1), ("foo.bar", 1)],
)
def test_errors_carry_a_column(text: str, column: int) -> None:
    with pytest.raises(ConditionError) as info:
        parse_condition(text)
    assert info.value.column == column


def test_names_used() -> None:
    names = {(v.kind, v.name) for v in names_used(parse_condition("a and score.memory > 1 or not visits.x"))}
    assert names == {("flag", "a"), ("score", "memory"), ("visits", "x")}
