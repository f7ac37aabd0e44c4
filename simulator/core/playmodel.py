"""A compact model of play for the searches in explore.py: the engine's rules without its bookkeeping.

A state is a plain tuple of what the rest of a play depends on, and nothing else: the node, and only
what some condition reads (the mood, the flags named in conditions, the totals of the traits named in
a `score.TRAIT`, the grand total if `total` is read, and the visits of the nodes named in a
`visits.NODE`). No step history, no copies: a move builds the next tuple. A count that only ever rises
(visits, or a trait every reply raises) and that conditions only compare with numbers is held at one
past the largest number it is compared with, since beyond that every comparison comes out the same;
so a loop that counts visits is a loop in the state graph, not an endless chain of states.

Moves follow the engine exactly (`engine.Story`): replies on offer in the file's order, numbered from
1; mood clamped; routes followed on entering a node, the first whose condition holds; the same
situations the engine refuses (no route applies, no reply on offer, too many route hops, an unknown
node) make a move impossible.
"""

from __future__ import annotations

from typing import Any

from .analysis import TIMEOUT_CHOICE, Choice
from .conditions import BoolOp, Compare, Expr, Not, Num, Var, evaluate
from .engine import MAX_ROUTE_HOPS, clamp_mood
from .errors import StoryError
from .models import Ending, Scenario
from .scoring import step_value

# node, mood, flags read, trait totals read, grand total, visits read
State = tuple[str, int, frozenset[str], tuple[int, ...], int, tuple[int, ...]]
# A move from a state: the choice as `replay` takes it, what it is worth, the state it leads to
# (None when the engine refuses it), and whether it is the timeout.
Move = tuple[Choice, int, State | None]

_Reply = tuple[
    Any, str, int, dict[str, int], frozenset[str], frozenset[str], int
]  # expr, to, mood, deltas, set, clear, value
_Timeout = tuple[str, int, dict[str, int], int]  # to, mood, deltas, value


class Refused(StoryError):
    """The engine would refuse this move (or the start), with the engine's reason."""


class _Ctx:
    __slots__ = ("mood", "flags", "_scores", "_total", "_visits", "_model")

    def __init__(self, model: PlayModel, state: State) -> None:
        self.mood = state[1]
        self.flags = state[2]
        self._scores = state[3]
        self._total = state[4]
        self._visits = state[5]
        self._model = model

    def trait_total(self, trait: str) -> int:
        i = self._model.trait_index.get(trait)
        return 0 if i is None else self._scores[i]

    def grand_total(self) -> int:
        return self._total

    def visit_count(self, node_id: str) -> int:
        i = self._model.visit_index.get(node_id)
        return 0 if i is None else self._visits[i]


def _thresholds(
    exprs: list[Expr],
) -> tuple[set[tuple[str, str]], dict[tuple[str, str], list[int]], set[tuple[str, str]]]:
    """Every variable read, the numbers each is compared with, and those read any other way."""
    read: set[tuple[str, str]] = set()
    numbers: dict[tuple[str, str], list[int]] = {}
    other: set[tuple[str, str]] = set()
    stack: list[tuple[Expr, bool]] = [(e, True) for e in exprs]  # (expression, used as a truth value)
    while stack:
        item, as_truth = stack.pop()
        if isinstance(item, Var):
            key = (item.kind, item.name)
            read.add(key)
            if as_truth:
                numbers.setdefault(key, []).append(0)  # a bare number holds when it is not 0
            else:
                other.add(key)
        elif isinstance(item, Not):
            stack.append((item.operand, True))
        elif isinstance(item, BoolOp):
            stack.extend((o, True) for o in item.operands)
        elif isinstance(item, Compare):
            for side, against in ((item.left, item.right), (item.right, item.left)):
                if isinstance(side, Var) and isinstance(against, Num):
                    key = (side.kind, side.name)
                    read.add(key)
                    numbers.setdefault(key, []).append(against.value)
                elif not isinstance(side, Num):
                    stack.append((side, False))
    return read, numbers, other


class PlayModel:
    """The scenario's nodes as plain tuples, and the engine's moves on compact states."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        exprs: list[Expr] = []
        for node in scenario.nodes:
            for item in list(node.replies or ()) + list(node.routes or ()):
                if item.expr is not None:
                    exprs.append(item.expr)
        read, numbers, other = _thresholds(exprs)
        self.reads_mood = ("mood", "") in read
        self.flags_read = frozenset(name for kind, name in read if kind == "flag")
        traits = sorted(name for kind, name in read if kind == "score")
        counted = sorted(name for kind, name in read if kind == "visits")
        self.reads_total = ("total", "") in read
        self.trait_index = {t: i for i, t in enumerate(traits)}
        self.visit_index = {n: i for i, n in enumerate(counted)}
        self.traits = traits
        # Every change a move can make to each trait total, and to the grand total.
        deltas: list[dict[str, int]] = []
        for node in scenario.nodes:
            deltas.extend(dict(r.traits) for r in node.replies or ())
            if node.timeout is not None:
                deltas.append(dict(node.timeout.traits))

        def cap(key: tuple[str, str], changes: list[int]) -> tuple[int | None, int | None]:
            """Where a count may be held, when it only moves one way and is only compared with numbers."""
            if key in other or key not in numbers:
                return None, None
            if all(c >= 0 for c in changes):
                return None, max(max(numbers[key]), 0) + 1
            if all(c <= 0 for c in changes):
                return min(min(numbers[key]), 0) - 1, None
            return None, None

        self.trait_caps = [cap(("score", t), [d.get(t, 0) for d in deltas]) for t in traits]
        self.total_cap = cap(("total", ""), [sum(d.values()) for d in deltas])
        self.visit_caps = [cap(("visits", n), [1])[1] for n in counted]
        self.table: dict[
            str, tuple[Ending | None, list[tuple[Any, str]] | None, list[_Reply] | None, _Timeout | None]
        ] = {}
        for node in scenario.nodes:
            if node.id in self.table:
                continue  # a duplicate id: the engine only ever reaches the first
            routes = [(r.expr, r.to) for r in node.routes] if node.routes is not None else None
            replies: list[_Reply] | None = None
            if node.replies is not None:
                replies = [
                    (
                        r.expr,
                        r.to,
                        r.mood,
                        dict(r.traits),
                        frozenset(r.set) & self.flags_read,
                        frozenset(r.clear) & self.flags_read,
                        step_value(r.traits),
                    )
                    for r in node.replies
                ]
            timeout: _Timeout | None = None
            if node.timeout is not None:
                t = node.timeout
                timeout = (t.to, t.mood, dict(t.traits), step_value(t.traits))
            self.table[node.id] = (node.ending, routes, replies, timeout)

    # ---- states -------------------------------------------------------------------------------
    def start(self) -> State:
        mood = clamp_mood(self.scenario.persona.mood)
        state: State = (
            "",
            mood if self.reads_mood else 0,
            frozenset(),
            tuple(0 for _ in self.traits),
            0,
            tuple(0 for _ in self.visit_index),
        )
        return self._enter(state, self.scenario.start_id)

    def ending(self, state: State) -> Ending | None:
        return self.table[state[0]][0]

    def moves(self, state: State) -> tuple[list[Move], list[int], int | None]:
        """The moves on offer (replies in order, then the timeout), the offered replies' values, and the timeout's."""
        _, _, replies, timeout = self.table[state[0]]
        ctx = _Ctx(self, state)
        found: list[Move] = []
        values: list[int] = []
        number = 0
        for expr, to, mood, deltas, sets, clears, value in replies or ():
            if expr is not None and not evaluate(expr, ctx):
                continue
            number += 1
            values.append(value)
            found.append((number, value, self._step(state, to, mood, deltas, sets, clears)))
        timeout_value: int | None = None
        if timeout is not None:
            to, mood, deltas, timeout_value = timeout
            found.append((TIMEOUT_CHOICE, timeout_value, self._step(state, to, mood, deltas, frozenset(), frozenset())))
        return found, values, timeout_value

    # ---- internals ----------------------------------------------------------------------------
    def _step(
        self,
        state: State,
        to: str,
        mood_change: int,
        deltas: dict[str, int],
        sets: frozenset[str],
        clears: frozenset[str],
    ) -> State | None:
        node, mood, flags, scores, total, visits = state
        # The real mood is needed only when conditions read it; otherwise it stays 0 throughout.
        new_mood = clamp_mood(mood + mood_change) if self.reads_mood else 0
        if deltas and self.traits:
            changed = list(scores)
            for trait, delta in deltas.items():
                i = self.trait_index.get(trait)
                if i is not None:
                    changed[i] = self._held(changed[i] + delta, self.trait_caps[i])
            scores = tuple(changed)
        if self.reads_total and deltas:
            total = self._held(total + sum(deltas.values()), self.total_cap)
        if sets or clears:
            flags = (flags | sets) - clears
        try:
            return self._enter((node, new_mood, flags, scores, total, visits), to)
        except Refused:
            return None

    @staticmethod
    def _held(value: int, caps: tuple[int | None, int | None]) -> int:
        low, high = caps
        if high is not None and value > high:
            return high
        if low is not None and value < low:
            return low
        return value

    def _enter(self, state: State, node_id: str) -> State:
        _, held_mood, flags, scores, total, visits = state
        for _ in range(MAX_ROUTE_HOPS):
            entry = self.table.get(node_id)
            if entry is None:
                raise Refused(f"node '{node_id}' does not exist")
            i = self.visit_index.get(node_id)
            if i is not None:
                high = self.visit_caps[i]
                count = visits[i] + 1
                visits = visits[:i] + ((count if high is None else min(count, high)),) + visits[i + 1 :]
            state = (node_id, held_mood, flags, scores, total, visits)
            _, routes, replies, _ = entry
            if routes is None:
                if replies is not None:
                    ctx = _Ctx(self, state)
                    if not any(expr is None or evaluate(expr, ctx) for expr, *_ in replies):
                        raise Refused(f"node '{node_id}' offers no reply in this situation")
                return state
            ctx = _Ctx(self, state)
            chosen = next((to for expr, to in routes if expr is None or evaluate(expr, ctx)), None)
            if chosen is None:
                raise Refused(f"no route of node '{node_id}' applies")
            node_id = chosen
        raise Refused(f"routing went round more than {MAX_ROUTE_HOPS} times without a reply")
