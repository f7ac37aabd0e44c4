"""Play every path through a scenario with the real engine, for exact best and worst plays."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Optional

from .analysis import TIMEOUT_CHOICE, Analysis, Choice
from .conditions import names_used
from .engine import PlayState, Story
from .errors import StoryError
from .models import Rubric, Scenario
from .scoring import build_debrief

MAX_PLAYS = 20_000


@dataclass
class Play:
    choices: list[Choice]
    overall: int
    outcome: str


@dataclass
class Exploration:
    plays: int = 0
    complete: bool = True  # False when the search stopped at MAX_PLAYS
    best: Optional[Play] = None
    worst: Optional[Play] = None
    outcomes: dict[str, int] = field(default_factory=dict)


def _state_reads(scenario: Scenario) -> set[str]:
    kinds: set[str] = set()
    for node in scenario.nodes:
        for item in list(node.replies or ()) + list(node.routes or ()):
            if item.expr is not None:
                kinds.update(v.kind for v in names_used(item.expr))
    return kinds


def explore(scenario: Scenario, rubric: Rubric, analysis: Analysis, max_plays: int = MAX_PLAYS) -> Exploration:
    """Depth-first over every choice (and every timeout), never repeating a state on one path."""
    reads = _state_reads(scenario)
    result = Exploration()

    def key(state: PlayState) -> tuple[object, ...]:
        parts: list[object] = [state.node_id, state.mood, tuple(state.flags)]
        if reads & {"score", "total"}:
            parts.append(tuple(sorted(state.totals.items())))
        if "visits" in reads:
            parts.append(tuple(sorted(state.visits.items())))
        return tuple(parts)

    def record(story: Story, choices: list[Choice]) -> None:
        result.plays += 1
        debrief = build_debrief(scenario, story.state, rubric, analysis)
        outcome = debrief.outcome or ""
        result.outcomes[outcome] = result.outcomes.get(outcome, 0) + 1
        play = Play(list(choices), debrief.overall or 0, outcome)
        if result.best is None or play.overall > result.best.overall:
            result.best = play
        if result.worst is None or play.overall < result.worst.overall:
            result.worst = play

    root = Story(scenario, mode="assessment", timed=False)
    stack: list[tuple[PlayState, list[Choice], frozenset[tuple[object, ...]]]] = [
        (root.state, [], frozenset({key(root.state)}))
    ]
    while stack:
        if result.plays >= max_plays:
            result.complete = False
            break
        state, choices, seen = stack.pop()
        story = Story(scenario, state=state)
        if story.finished:
            record(story, choices)
            continue
        moves: list[Choice] = [o.number for o in story.options]
        if story.current_node.timeout is not None:
            moves.append(TIMEOUT_CHOICE)
        for move in reversed(moves):
            child = Story(scenario, state=copy.deepcopy(state))
            try:
                if move == TIMEOUT_CHOICE:
                    child.time_out()
                else:
                    child.choose(int(move))
            except StoryError:
                continue
            k = key(child.state)
            if k in seen:
                continue
            stack.append((child.state, choices + [move], seen | {k}))
    return result
