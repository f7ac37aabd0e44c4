"""Every state a play can reach, to find the replies and routes whose conditions never hold.

The static graph (analysis.py) assumes every condition can hold. This search follows the engine's
rules instead: the mood (clamped to -5..5), the flags replies set and clear, and, only when some
condition reads them, the trait totals and the visit counts. From the start it takes every reply on
offer and every timeout, follows routes as the engine does (the first whose condition holds), and
records, at each node it enters, which conditions held there. When the search meets more than
``max_states`` states it stops and reports nothing (``complete`` is False): what was not searched is
not known.
"""

from __future__ import annotations

import operator
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .conditions import BoolOp, Compare, Expr, Not, Num, Var, names_used
from .engine import MAX_ROUTE_HOPS, clamp_mood
from .models import MOOD_MAX, MOOD_MIN, Scenario

MAX_STATES = 20_000
_TIMEOUT = object()  # in place of a condition: the timeout's move, always possible in a timed attempt
# A move: condition (None, or _TIMEOUT), target, mood change, trait deltas, flags set, flags cleared.
_Move = tuple[Any, str, int, dict[str, int], frozenset[str], frozenset[str]]

# A state: node, mood, flags, then only what conditions read: the totals of the traits named in a
# `score.TRAIT`, the grand total if `total` is read, and the visits of the nodes named in a `visits.NODE`.
_State = tuple[str, int, frozenset[str], tuple[int, ...], int, tuple[int, ...]]


class _Ctx:
    """What conditions read, from a state."""

    __slots__ = ("mood", "flags", "scores", "total", "visits")

    def __init__(self, mood: int, flags: frozenset[str], scores: dict[str, int], total: int, visits: dict[str, int]):
        self.mood = mood
        self.flags = flags
        self.scores = scores
        self.total = total
        self.visits = visits

    def trait_total(self, trait: str) -> int:
        return self.scores.get(trait, 0)

    def grand_total(self) -> int:
        return self.total

    def visit_count(self, node_id: str) -> int:
        return self.visits.get(node_id, 0)


_Test = Callable[[_Ctx], bool]
_Value = Callable[[_Ctx], int]
_COMPARE: dict[str, Callable[[int, int], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "==": operator.eq,
    "!=": operator.ne,
}


def _test(expr: Expr) -> _Test:
    """The condition as a function of a state, equal to conditions.evaluate on it: the search evaluates each
    condition once per state it meets, and walking the tree each time was most of its cost. Recursion
    follows the tree's depth, which the parser bounds."""
    if isinstance(expr, BoolOp):
        parts = [_test(operand) for operand in expr.operands]
        if expr.op == "and":
            return lambda ctx: all(part(ctx) for part in parts)
        return lambda ctx: any(part(ctx) for part in parts)
    if isinstance(expr, Not):
        inner = _test(expr.operand)
        return lambda ctx: not inner(ctx)
    if isinstance(expr, Compare):
        compare, left, right = _COMPARE[expr.op], _value(expr.left), _value(expr.right)
        return lambda ctx: compare(left(ctx), right(ctx))
    if isinstance(expr, Var) and expr.kind == "flag":
        name = expr.name
        return lambda ctx: name in ctx.flags
    value = _value(expr)
    return lambda ctx: value(ctx) != 0


def _compiled(expr: Expr | None) -> _Test | None:
    return None if expr is None else _test(expr)


def _value(expr: Expr) -> _Value:
    if isinstance(expr, Num):
        number = expr.value
        return lambda ctx: number
    if isinstance(expr, Var):
        name = expr.name
        if expr.kind == "mood":
            return lambda ctx: ctx.mood
        if expr.kind == "total":
            return lambda ctx: ctx.total
        if expr.kind == "score":
            return lambda ctx: ctx.scores.get(name, 0)
        if expr.kind == "visits":
            return lambda ctx: ctx.visits.get(name, 0)
        return lambda ctx: 1 if name in ctx.flags else 0
    test = _test(expr)
    return lambda ctx: 1 if test(ctx) else 0


@dataclass
class StateSearch:
    complete: bool = True
    states: int = 0
    entered: set[str] = field(default_factory=set)  # nodes some play enters (routing nodes included)
    held: set[tuple[str, str, int]] = field(default_factory=set)  # (node, "replies"/"routes", index) that held
    moods: dict[str, tuple[int, int]] = field(default_factory=dict)  # node: lowest and highest mood on arrival


def search_states(scenario: Scenario, max_states: int = MAX_STATES) -> StateSearch:
    traits: set[str] = set()
    counted: set[str] = set()
    read_total = False
    for node in scenario.nodes:
        for item in list(node.replies or ()) + list(node.routes or ()):
            for var in names_used(item.expr) if item.expr is not None else ():
                if var.kind == "score":
                    traits.add(var.name)
                elif var.kind == "visits":
                    counted.add(var.name)
                elif var.kind == "total":
                    read_total = True
    trait_order = sorted(traits)
    visit_order = sorted(counted)
    # Plain tuples read once: the models' properties cost microseconds each, and the search reads them often.
    table: dict[str, tuple[list[tuple[Any, str]] | None, list[_Move]]] = {}
    for node in scenario.nodes:
        if node.id in table:
            continue  # a duplicate id: the engine only ever reaches the first (FL201)
        routes = [(_compiled(route.expr), route.to) for route in node.routes] if node.routes is not None else None
        moves: list[_Move] = [
            (_compiled(r.expr), r.to, r.mood, dict(r.traits), frozenset(r.set), frozenset(r.clear))
            for r in node.replies or ()
        ]
        if node.timeout is not None:
            t = node.timeout
            moves.append((_TIMEOUT, t.to, t.mood, dict(t.traits), frozenset(), frozenset()))
        table[node.id] = (routes, moves)
    result = StateSearch()
    seen: set[_State] = set()
    todo: deque[_State] = deque()
    # Every (node, mood, flags, scores, total, visits) a play has entered with: entering again the same way
    # ends the same way, so it is skipped. Plays rejoin often, and most arrivals are such repeats.
    arrived: set[_State] = set()
    moods = result.moods

    def arrive(
        node_id: str, mood: int, flags: frozenset[str], scores: dict[str, int], total: int, visits: dict[str, int]
    ) -> None:
        """Enter a node as the engine does, following routes, and queue the state the play rests in."""
        scores_t = tuple([scores.get(t, 0) for t in trait_order]) if trait_order else ()
        visits_t = tuple([visits.get(n, 0) for n in visit_order]) if visit_order else ()
        key: _State = (node_id, mood, flags, scores_t, total, visits_t)
        if key in arrived:
            return
        arrived.add(key)
        for _ in range(MAX_ROUTE_HOPS):
            entry = table.get(node_id)
            if entry is None:
                return
            if node_id in counted:
                visits = dict(visits)
                visits[node_id] = visits.get(node_id, 0) + 1
                visits_t = tuple([visits.get(n, 0) for n in visit_order])
            routes = entry[0]
            result.entered.add(node_id)
            span = moods.get(node_id)
            if span is None:
                moods[node_id] = (mood, mood)
            elif mood < span[0] or mood > span[1]:
                moods[node_id] = (min(span[0], mood), max(span[1], mood))
            if routes is None:
                state: _State = (node_id, mood, flags, scores_t, total, visits_t)
                if state not in seen:
                    if len(seen) >= max_states:
                        result.complete = False
                        return
                    seen.add(state)
                    todo.append(state)
                return
            ctx = _Ctx(mood, flags, scores, total, visits)
            chosen = None
            for index, (expr, to) in enumerate(routes):
                if expr is None or expr(ctx):
                    result.held.add((node_id, "routes", index))
                    if chosen is None:
                        chosen = to
                    if expr is None:
                        break
            if chosen is None:
                return  # no route applies: the engine stops here (FL203 says it may)
            node_id = chosen

    start = scenario.start_id
    if start not in table:
        result.complete = False
        return result
    arrive(start, clamp_mood(scenario.persona.mood), frozenset(), {}, 0, {})
    held = result.held
    replies_held = {
        node_id: [(node_id, "replies", i) for i in range(len(entry[1]))] for node_id, entry in table.items()
    }
    while todo and result.complete:
        node_id, mood, flags, scores_t, total, visits_t = todo.popleft()
        scores = dict(zip(trait_order, scores_t, strict=True)) if trait_order else {}
        visits = dict(zip(visit_order, visits_t, strict=True)) if visit_order else {}
        ctx = _Ctx(mood, flags, scores, total, visits)
        for held_key, (expr, target, mood_change, deltas, sets, clears) in zip(
            replies_held[node_id], table[node_id][1], strict=True
        ):
            if expr is _TIMEOUT:
                pass
            elif expr is None or expr(ctx):
                held.add(held_key)
            else:
                continue
            new_scores = scores
            if traits and any(trait in traits for trait in deltas):
                new_scores = dict(scores)
                for trait, delta in deltas.items():
                    if trait in traits:
                        new_scores[trait] = new_scores.get(trait, 0) + delta
            new_total = total + sum(deltas.values()) if read_total else 0
            new_flags = (flags | sets) - clears if sets or clears else flags
            moved = mood + mood_change  # clamped as the engine's clamp_mood does, without the call
            moved = MOOD_MIN if moved < MOOD_MIN else MOOD_MAX if moved > MOOD_MAX else moved
            arrive(target, moved, new_flags, new_scores, new_total, visits)
    result.states = len(seen)
    return result
