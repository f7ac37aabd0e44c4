"""Search every play of a scenario with the real engine, for its best and worst plays and their outcomes.

A play's overall score places its trait points between the worst and best the offers along it
allowed, so the best play is the one that gives up least against the strongest offer at each
step, and the worst the one that gains least over the weakest. Both add up step by step, so a
memoised search over engine states finds them exactly without playing every path.

`check_pass` asks the question lint needs: can any play pass on its score? A play passes when
its trait points sit far enough between the worst and best its offers allowed; scaled by the
pass mark that is again a sum over steps, so the same kind of search answers it.
"""

from __future__ import annotations

import copy
import dataclasses
import sys
from dataclasses import dataclass, field

from .analysis import TIMEOUT_CHOICE, Analysis, Choice
from .conditions import names_used
from .engine import PlayState, Story
from .errors import StoryError
from .models import Rubric, Scenario
from .replay import replay
from .scoring import build_debrief, ending_allows_pass, step_value

MAX_STATES = 200_000
MAX_GREEDY_STEPS = 1_000
MAX_RATIO_ROUNDS = 20  # each round finds a play with a higher overall; a handful is the usual


@dataclass
class Play:
    choices: list[Choice]
    overall: int | None  # None when no step's choice mattered: "not assessed"
    outcome: str
    passed: bool = False  # the debrief's verdict: the score and the ending's pass rule and cap together


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


def _state_key(state: PlayState, reads: set[str]) -> tuple[object, ...]:
    """What decides the rest of a play: node, mood, flags, and the totals or visits if conditions read them."""
    parts: list[object] = [state.node_id, state.mood, tuple(state.flags)]
    if reads & {"score", "total"}:
        parts.append(tuple(sorted(state.totals.items())))
    if "visits" in reads:
        parts.append(tuple(sorted(state.visits.items())))
    return tuple(parts)


def explore(scenario: Scenario, rubric: Rubric, analysis: Analysis, max_states: int = MAX_STATES) -> Exploration:
    reads = _state_reads(scenario)
    memo: dict[tuple[object, ...], _Summary | None] = {}
    on_path: set[tuple[object, ...]] = set()
    result = Exploration()

    def visit(state: PlayState) -> _Summary | None:
        k = _state_key(state, reads)
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
        setattr(result, attr, Play(moves, debrief.overall, debrief.outcome or "", debrief.passed))
    return result


@dataclass
class PassCheck:
    """Whether any play of a scenario can pass on its score, from `check_pass` (untimed assessment)."""

    complete: bool = True  # False when the search met more states than its budget: then nothing is known
    finishes: bool = False  # some play reaches an ending
    endings: set[str] = field(default_factory=set)  # the ids of the ending nodes plays reach (after a full search)
    passable: bool = False  # some play reaches an ending whose pass rule and score cap allow a pass
    assessed: bool = False  # some such play has a step where the choice changed the score
    passing: Play | None = None  # a play that passes on an assessed score, when there is one
    best: Play | None = None  # when none does: the assessed play to such an ending with the highest overall


@dataclass
class _Best:
    """A play from some state to an ending that allows a pass, by how far its choices clear a ratio."""

    margin: int  # den * gain - num * span: at least 0 when gain / span reaches num / den
    assessed: bool  # some step's offers differed in worth
    gain: int  # points earned over the weakest offers
    span: int  # points between the weakest and strongest offers
    moves: list[Choice]

    def beats(self, other: _Best | None) -> bool:
        return other is None or (self.margin, self.assessed) > (other.margin, other.assessed)


@dataclass
class _PassSummary:
    best: _Best | None  # None when no play from here reaches an ending that allows a pass
    max_span: int


class _PassSearch:
    """Memoised search, over every play, for the one whose choices best clear a ratio num / den of the span."""

    def __init__(self, scenario: Scenario, max_states: int) -> None:
        self.scenario = scenario
        self.reads = _state_reads(scenario)
        self.max_states = max_states
        self.complete = True
        self.endings: set[str] = set()

    def run(self, num: int, den: int) -> _PassSummary | None:
        self.num, self.den = num, den
        self.memo: dict[tuple[object, ...], _PassSummary | None] = {}
        self.on_path: set[tuple[object, ...]] = set()
        limit = sys.getrecursionlimit()
        sys.setrecursionlimit(max(limit, 10_000))
        try:
            return self._visit(Story(self.scenario, mode="assessment", timed=False).state)
        finally:
            sys.setrecursionlimit(limit)

    def _visit(self, state: PlayState) -> _PassSummary | None:
        k = _state_key(state, self.reads)
        if k in self.memo:
            return self.memo[k]
        if k in self.on_path or len(self.memo) >= self.max_states:
            self.complete = self.complete and k in self.on_path
            return None
        story = Story(self.scenario, state=state)
        ending = story.current_node.ending
        if ending is not None:
            self.endings.add(story.current_node.id)
            allows = ending_allows_pass(ending, self.scenario.pass_mark)
            end = _PassSummary(_Best(0, False, 0, 0, []) if allows else None, 0 if allows else -1)
            self.memo[k] = end
            return end
        # Scored as the debrief scores a step: against the replies on offer, and the timeout if it was let run out.
        options = story.options
        values = [step_value(o.reply.traits) for o in options]
        moves: list[tuple[Choice, int, list[int]]] = [(o.number, values[i], values) for i, o in enumerate(options)]
        timeout = story.current_node.timeout
        if timeout is not None:
            moves.append((TIMEOUT_CHOICE, step_value(timeout.traits), values + [step_value(timeout.traits)]))
        self.on_path.add(k)
        finishes = False
        best: _Best | None = None
        max_span = -1
        for move, value, offers in moves:
            child = Story(self.scenario, state=_fresh_copy(state))
            try:
                child.time_out() if move == TIMEOUT_CHOICE else child.choose(int(move))
            except StoryError:
                continue
            sub = self._visit(child.state)
            if sub is None:
                continue
            finishes = True
            if sub.best is None:
                continue
            gain, span = value - min(offers), max(offers) - min(offers)
            candidate = _Best(
                sub.best.margin + self.den * gain - self.num * span,
                sub.best.assessed or span > 0,
                sub.best.gain + gain,
                sub.best.span + span,
                [move] + sub.best.moves,
            )
            if candidate.beats(best):
                best = candidate
            max_span = max(max_span, sub.max_span + span)
        self.on_path.discard(k)
        summary = _PassSummary(best, max_span) if finishes else None
        self.memo[k] = summary
        return summary


def _fresh_copy(state: PlayState) -> PlayState:
    """A copy to play on from, without the steps so far: what comes next never depends on them."""
    return dataclasses.replace(
        state, flags=list(state.flags), totals=dict(state.totals), visits=dict(state.visits), steps=[]
    )


def _play(scenario: Scenario, rubric: Rubric, analysis: Analysis, moves: list[Choice]) -> tuple[Play, bool]:
    _, debrief = replay(scenario, rubric, analysis, moves)
    play = Play(moves, debrief.overall, debrief.outcome or "", debrief.passed)
    return play, debrief.passed and debrief.overall is not None


def _greedy_pass(scenario: Scenario, rubric: Rubric) -> Play | None:
    """The model answer at every step, when that play passes on an assessed score: a quick answer for most files."""
    reads = _state_reads(scenario)
    story = Story(scenario, mode="assessment", timed=False)
    seen: set[tuple[object, ...]] = set()
    moves: list[Choice] = []
    while not story.finished:
        k = _state_key(story.state, reads)
        if k in seen or len(moves) >= MAX_GREEDY_STEPS:
            return None
        seen.add(k)
        top = max(story.options, key=lambda o: step_value(o.reply.traits))
        story.choose(top.number)
        moves.append(top.number)
    debrief = build_debrief(scenario, story.state, rubric)
    if debrief.passed and debrief.overall is not None:
        return Play(moves, debrief.overall, debrief.outcome or "", True)
    return None


def check_pass(scenario: Scenario, rubric: Rubric, analysis: Analysis, max_states: int = MAX_STATES) -> PassCheck:
    """Whether some play passes on an assessed score; if none does, why not, with the best overall there is.

    The model answer at every step usually settles it at once. Otherwise a search finds the play that
    best clears the pass mark, and when even that one fails, repeated searches (each against the best
    ratio found so far) find the highest overall any assessed play to an ending that can pass reaches.
    """
    result = PassCheck()
    try:
        greedy = _greedy_pass(scenario, rubric)
    except StoryError:
        greedy = None
    if greedy is not None:
        result.finishes = result.passable = result.assessed = True
        result.passing = greedy
        return result
    search = _PassSearch(scenario, max_states)
    try:
        # Rounded to whole points, an overall passes from half a point under the pass mark.
        root = search.run(2 * scenario.pass_mark - 1, 200)
    except StoryError:
        root = None
    result.complete = search.complete
    result.endings = search.endings
    if root is None or not search.complete:
        return result
    result.finishes = True
    best = root.best
    if best is None:
        return result
    result.passable = True
    result.assessed = root.max_span > 0
    if best.assessed and best.margin >= 0:
        play, passed = _play(scenario, rubric, analysis, best.moves)
        if passed:
            result.passing = play
            return result
    if not result.assessed:
        return result
    if not best.assessed:
        first = search.run(0, 1)  # the most points earned; ties go to an assessed play
        assert first is not None and first.best is not None
        best = first.best
    for _ in range(MAX_RATIO_ROUNDS):
        found = search.run(best.gain, best.span)
        if found is None or found.best is None or not found.best.assessed or found.best.margin <= 0:
            break
        best = found.best
    result.best = _play(scenario, rubric, analysis, best.moves)[0]
    return result
