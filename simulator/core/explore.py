"""Search every play of a scenario with the real engine, for its best and worst plays and their outcomes.

A play's overall score places its trait points between the worst and best the offers along it
allowed, so the best play is the one that gives up least against the strongest offer at each
step, and the worst the one that gains least over the weakest. Both add up step by step, so a
memoised search over engine states finds them exactly without playing every path.
"""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass, field

from .analysis import TIMEOUT_CHOICE, Analysis, Choice
from .conditions import names_used
from .engine import PlayState, Story
from .errors import StoryError
from .models import Rubric, Scenario
from .replay import replay
from .scoring import step_value

MAX_STATES = 200_000


@dataclass
class Play:
    choices: list[Choice]
    overall: int
    outcome: str


@dataclass
class Exploration:
    plays: int = 0
    complete: bool = True  # False when the search met more states than MAX_STATES
    best: Play | None = None
    worst: Play | None = None
    outcomes: dict[str, int] = field(default_factory=dict)


@dataclass
class _Summary:
    plays: int
    outcomes: dict[str, int]
    give_up: float  # least total shortfall against the best offer, to an ending
    best_moves: list[Choice]
    gain: float  # least total gain over the weakest offer, to an ending
    worst_moves: list[Choice]


def _state_reads(scenario: Scenario) -> set[str]:
    kinds: set[str] = set()
    for node in scenario.nodes:
        for item in list(node.replies or ()) + list(node.routes or ()):
            if item.expr is not None:
                kinds.update(v.kind for v in names_used(item.expr))
    return kinds


def explore(scenario: Scenario, rubric: Rubric, analysis: Analysis, max_states: int = MAX_STATES) -> Exploration:
    reads = _state_reads(scenario)
    memo: dict[tuple[object, ...], _Summary | None] = {}
    on_path: set[tuple[object, ...]] = set()
    result = Exploration()

    def key(state: PlayState) -> tuple[object, ...]:
        parts: list[object] = [state.node_id, state.mood, tuple(state.flags)]
        if reads & {"score", "total"}:
            parts.append(tuple(sorted(state.totals.items())))
        if "visits" in reads:
            parts.append(tuple(sorted(state.visits.items())))
        return tuple(parts)

    def visit(state: PlayState) -> _Summary | None:
        k = key(state)
        if k in memo:
            return memo[k]
        if k in on_path or len(memo) >= max_states:
            result.complete = result.complete and k in on_path
            return None  # going round a loop (or out of budget) completes no play
        story = Story(scenario, state=state)
        if story.finished:
            ending = _Summary(1, {story.outcome or "": 1}, 0.0, [], 0.0, [])
            memo[k] = ending
            return ending
        moves: list[tuple[Choice, float]] = [(o.number, float(step_value(o.reply.traits))) for o in story.options]
        timeout = story.current_node.timeout
        if timeout is not None:
            moves.append((TIMEOUT_CHOICE, float(step_value(timeout.traits))))
        top = max(v for _, v in moves)
        bottom = min(v for _, v in moves)
        on_path.add(k)
        plays = 0
        outcomes: dict[str, int] = {}
        best: tuple[float, list[Choice]] | None = None
        worst: tuple[float, list[Choice]] | None = None
        for move, value in moves:
            child = Story(scenario, state=copy.deepcopy(state))
            try:
                child.time_out() if move == TIMEOUT_CHOICE else child.choose(int(move))
            except StoryError:
                continue
            sub = visit(child.state)
            if sub is None:
                continue
            plays += sub.plays
            for outcome, n in sub.outcomes.items():
                outcomes[outcome] = outcomes.get(outcome, 0) + n
            give_up = (top - value) + sub.give_up
            if best is None or give_up < best[0]:
                best = (give_up, [move] + sub.best_moves)
            gain = (value - bottom) + sub.gain
            if worst is None or gain < worst[0]:
                worst = (gain, [move] + sub.worst_moves)
        on_path.discard(k)
        summary: _Summary | None = None
        if best is not None and worst is not None:
            summary = _Summary(plays, outcomes, best[0], best[1], worst[0], worst[1])
        memo[k] = summary
        return summary

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        root = visit(Story(scenario, mode="assessment", timed=False).state)
    finally:
        sys.setrecursionlimit(limit)
    if root is None:
        return result
    result.plays = root.plays
    result.outcomes = root.outcomes
    for moves, attr in ((root.best_moves, "best"), (root.worst_moves, "worst")):
        _, debrief = replay(scenario, rubric, analysis, moves)
        setattr(result, attr, Play(moves, debrief.overall or 0, debrief.outcome or ""))
    return result
