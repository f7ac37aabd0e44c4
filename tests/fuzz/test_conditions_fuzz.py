"""Properties of the `if:` notation: any text parses to a condition or a ConditionError at a column inside it,
and generated conditions evaluate as a plain reference (Python's own operators over the same values) says.
"""

from __future__ import annotations

import string
from dataclasses import dataclass

from hypothesis import example, given
from hypothesis import strategies as st

from simulator.core import ConditionError, PlayState, evaluate, parse_condition
from simulator.core.conditions import MAX_DEPTH, MAX_LENGTH
from simulator.core.engine import _Ctx
from simulator.core.models import MOOD_MAX, MOOD_MIN

CONDITION_CHARS = string.ascii_letters + string.digits + " _.-()<>=!&|\t\n'\"" + "١٢≥≠\u202e\0"


def check_parse(text: str) -> None:
    try:
        parse_condition(text)
    except ConditionError as exc:
        assert str(exc).strip()
        limit = MAX_LENGTH + 1 if len(text) > MAX_LENGTH else len(text) + 1
        assert 1 <= exc.column <= limit, (exc.column, len(text), str(exc))


@given(st.text(max_size=MAX_LENGTH + 20))
@example("١٢")
@example("mood > ١٢")
@example("(" * 200 + "x" + ")" * 200)
@example("not " * 1000 + "x")
@example(" or ".join(["x"] * 300))
@example("9" * 5000)
@example("score.")
@example("a.b.c")
def test_any_text_parses_or_says_where(text: str) -> None:
    check_parse(text)


@given(st.text(alphabet=CONDITION_CHARS, max_size=200))
def test_condition_shaped_text_parses_or_says_where(text: str) -> None:
    check_parse(text)


# ---- generated conditions against a reference ------------------------------------------------
FLAGS = ["a", "b", "calm", "promised-refund"]
TRAITS = ["empathy", "knowledge"]
NODES = ["start", "n-2"]


@dataclass(frozen=True)
class Rendered:
    text: str  # in the condition notation
    python: str  # the same in Python, over the names in `values`
    depth: int  # '(' and 'not' levels, as the parser counts them
    is_chain: bool = False  # an 'and'/'or' chain, which may not be compared


def _atoms() -> st.SearchStrategy[Rendered]:
    numbers = st.integers(-999_999_999, 999_999_999).map(lambda n: Rendered(str(n), f"({n})", 0))
    variables = st.sampled_from(
        [Rendered("mood", "mood", 0), Rendered("total", "total", 0)]
        + [Rendered(f"score.{t}", f"score_{t}", 0) for t in TRAITS]
        + [Rendered(f"visits.{n}", f"visits_{n.replace('-', '_')}", 0) for n in NODES]
        + [Rendered(f, f"flag_{f.replace('-', '_')}", 0) for f in FLAGS]
    )
    return numbers | variables


def _extend(inner: st.SearchStrategy[Rendered]) -> st.SearchStrategy[Rendered]:
    def compare(parts: tuple[Rendered, str, Rendered]) -> Rendered:
        left, op, right = parts
        return Rendered(
            f"{left.text} {op} {right.text}", f"(({left.python}) {op} ({right.python}))", max(left.depth, right.depth)
        )

    def chain(parts: tuple[str, list[Rendered]]) -> Rendered:
        op, items = parts
        return Rendered(
            f" {op} ".join(i.text for i in items),
            "(" + f" {op} ".join(f"bool({i.python})" for i in items) + ")",
            max(i.depth for i in items),
            is_chain=True,
        )

    operand = inner.filter(lambda r: not r.is_chain and " " not in r.text.strip("-0123456789"))
    return st.one_of(
        inner.map(lambda r: Rendered(f"({r.text})", r.python, r.depth + 1)),
        inner.map(lambda r: Rendered(f"not {_tight(r)}", f"(not ({r.python}))", r.depth + 1 + _tight_depth(r))),
        st.tuples(operand, st.sampled_from(["<", "<=", ">", ">=", "==", "!="]), operand).map(compare),
        st.tuples(st.sampled_from(["and", "or"]), st.lists(inner.map(_bracket_chain), min_size=2, max_size=4)).map(
            chain
        ),
    )


def _tight(r: Rendered) -> str:
    """What 'not' may be put in front of without brackets: a single atom, else the bracketed condition."""
    return r.text if _tight_depth(r) == 0 else f"({r.text})"


def _tight_depth(r: Rendered) -> int:
    # A chain whose first item is a 'not' starts with "not " too, but 'not' would bind to that item alone.
    return 1 if r.is_chain or (" " in r.text and not r.text.startswith("not ")) else 0


def _bracket_chain(r: Rendered) -> Rendered:
    """A chain inside another chain is bracketed, so 'a or b and c' never depends on precedence."""
    return Rendered(f"({r.text})", r.python, r.depth + 1) if r.is_chain else r


conditions = st.recursive(_atoms(), _extend, max_leaves=25)


@st.composite
def play_states(draw: st.DrawFn) -> PlayState:
    return PlayState(
        scenario_id="s",
        node_id="start",
        mood=draw(st.integers(MOOD_MIN, MOOD_MAX)),
        flags=sorted(draw(st.sets(st.sampled_from(FLAGS)))),
        totals=draw(st.dictionaries(st.sampled_from(TRAITS + ["other"]), st.integers(-50, 50))),
        visits=draw(st.dictionaries(st.sampled_from(NODES + ["x"]), st.integers(0, 30))),
    )


def _reference(python: str, state: PlayState) -> bool:
    values: dict[str, int] = {
        "mood": state.mood,
        "total": sum(state.totals.values()),
        **{f"score_{t}": state.totals.get(t, 0) for t in TRAITS},
        **{f"visits_{n.replace('-', '_')}": state.visits.get(n, 0) for n in NODES},
        **{f"flag_{f.replace('-', '_')}": int(f in state.flags) for f in FLAGS},
    }
    return bool(eval(python, {"__builtins__": {"bool": bool}}, values))  # noqa: S307 - our own generated text


@given(conditions, play_states())
@example(Rendered("not not mood", "(not (not (mood)))", 2), PlayState("s", "start", 0))
@example(
    Rendered("not (not (0) and 0)", "(not ((bool((not ((0)))) and bool((0)))))", 3, False), PlayState("s", "start", 0)
)
def test_generated_conditions_agree_with_the_reference(condition: Rendered, state: PlayState) -> None:
    try:
        expr = parse_condition(condition.text)
    except ConditionError as exc:
        # Only the size limits may refuse a condition the generator built by the grammar.
        assert exc.limit and (condition.depth > MAX_DEPTH or len(condition.text) > MAX_LENGTH), (condition, exc)
        return
    assert condition.depth <= MAX_DEPTH and len(condition.text) <= MAX_LENGTH
    assert evaluate(expr, _Ctx(state)) == _reference(condition.python, state), condition
