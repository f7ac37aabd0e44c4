"""FL208's state search compiles each condition once; the compiled form must agree with the engine's evaluate."""

from __future__ import annotations

import random

from simulator.core.conditions import SimpleContext, evaluate, parse_condition
from simulator.core.state_search import _Ctx, _test

CONDITIONS = [
    "mood >= 0",
    "not promised_refund",
    "score.empathy > 2 and visits.explain >= 2",
    "a or b and not c",
    "(mood < -2 or total == 3) and not (flag_x or score.patience != 1)",
    "mood",
    "visits.start",
    "score.empathy",
    "not (a and (b or (c and not d)))",
    "1 < 2",
    "(a) == (b)",
    "mood > -1",
    "total >= score.empathy",
    "not not a",
]


def test_compiled_conditions_agree_with_evaluate_on_many_states() -> None:
    rng = random.Random(12)
    flag_names = ["a", "b", "c", "d", "promised_refund", "flag_x"]
    for text in CONDITIONS:
        expr = parse_condition(text)
        compiled = _test(expr)
        for _ in range(300):
            mood = rng.randint(-5, 5)
            flags = frozenset(f for f in flag_names if rng.random() < 0.5)
            scores = {t: rng.randint(-3, 3) for t in ("empathy", "patience") if rng.random() < 0.7}
            visits = {n: rng.randint(0, 3) for n in ("explain", "start") if rng.random() < 0.7}
            total = rng.randint(-5, 5)
            expected = evaluate(expr, _Ctx(mood, flags, scores, total, visits))
            assert compiled(_Ctx(mood, flags, scores, total, visits)) is expected, text
            simple = SimpleContext(mood=mood, flags=flags, totals=scores, visits=visits)
            if total == sum(scores.values()):  # the same state as the engine's context sees it
                assert expected == evaluate(expr, simple), text
