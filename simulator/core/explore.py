"""Search every play of a scenario with the real engine, for its best and worst plays and their outcomes.

A play's overall score places its trait points between the worst and best the offers along it
allowed, so the best play is the one that gives up least against the strongest offer at each
step, and the worst the one that gains least over the weakest. Both add up step by step, so a
memoised search over engine states finds them exactly without playing every path. An ending's
score cap does not add up that way, so each capped ending is searched on its own and the real
scores of the plays found decide.

`check_pass` asks the question lint needs: can any play pass on its score? A play passes when
its trait points sit far enough between the worst and best its offers allowed; scaled by the
pass mark that is again a sum over steps, so the same kind of search answers it.
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Collection
from dataclasses import dataclass, field

from .analysis import TIMEOUT_CHOICE, Analysis, Choice
from .errors import StoryError
from .models import Rubric, Scenario
from .playmodel import PlayModel, Refused, State
from .replay import replay
from .scoring import ending_allows_pass

MAX_STATES = 200_000  # about 100 MB of states and moves at most: well within `frontline stats`' 500 MB
MAX_GREEDY_STEPS = 1_000
MAX_RATIO_ROUNDS = 20  # each round finds a play with a higher overall; a handful is the usual
_CLOCK_EVERY = 256  # states between looks at the clock


@dataclass
class Play:
    choices: list[Choice]
    overall: int | None  # None when no step's choice mattered: "not assessed"
    outcome: str
    passed: bool = False  # the debrief's verdict: the score and the ending's pass rule and cap together


@dataclass
class Exploration:
    """What the search found. When ``complete`` is False it stopped short (``stopped`` says why) and every
    figure is a bound: ``plays`` and ``outcomes`` count only the plays found, ``best`` is the best play
    found (the true best scores at least as well) and ``worst`` the worst found (the true worst no better)."""

    plays: int = 0
    complete: bool = True  # False when the search met its time or state budget before seeing every state
    best: Play | None = None
    worst: Play | None = None
    outcomes: dict[str, int] = field(default_factory=dict)
    loops: bool = False  # a play can go round a loop and still finish: there is no limit to the number of plays
    states: int = 0  # the distinct states met (what conditions can tell apart)
    stopped: str = ""  # "time" or "states" when the search stopped short


@dataclass
class _Graph:
    """The states met, each with its moves (choice, shortfall against the best offer, gain over the weakest, child)."""

    states: list[State]
    edges: list[list[tuple[Choice, int, int, int]] | None]  # None: not expanded (the search stopped first)
    outcome: dict[int, str]  # ending states and their outcomes
    stopped: str


MAX_CELLS = 12_000_000  # numbers held in states, all told: about 100 MB, whatever the size of a state


def _state_cap(model: PlayModel) -> int:
    """How many states fit in MAX_CELLS, for states as wide as this scenario's."""
    return max(1_000, MAX_CELLS // (6 + len(model.traits) + len(model.visit_index)))


def _build(model: PlayModel, max_states: int, deadline: float | None) -> _Graph:
    """Every state a play can reach, depth first (so endings are met early if the budget runs out)."""
    root = model.start()
    ids: dict[State, int] = {root: 0}
    states: list[State] = [root]
    edges: list[list[tuple[Choice, int, int, int]] | None] = [None]
    outcome: dict[int, str] = {}
    todo = [0]
    stopped = ""
    done = 0
    while todo:
        done += 1
        if deadline is not None and done % _CLOCK_EVERY == 0 and time.monotonic() > deadline:
            stopped = "time"
            break
        sid = todo.pop()
        state = states[sid]
        ending = model.ending(state)
        if ending is not None:
            outcome[sid] = ending.outcome
            edges[sid] = []
            continue
        moves, values, _ = model.moves(state)
        out: list[tuple[Choice, int, int, int]] = []
        fresh: list[tuple[int, int]] = []  # (value, state) of states met for the first time
        for choice, value, child in moves:
            # As the debrief scores an untimed play: a reply against the replies on offer, a timeout against
            # them and itself (counting the timeout among a reply's offers made a worse play look best).
            offers = values + [value] if choice == TIMEOUT_CHOICE else values
            if child is None:
                continue  # the engine refuses this move: it completes no play
            cid = ids.get(child)
            if cid is None:
                if len(states) >= max_states:
                    stopped = "states"
                    continue
                cid = len(states)
                ids[child] = cid
                states.append(child)
                edges.append(None)
                fresh.append((value, cid))
            out.append((choice, max(offers) - value, value - min(offers), cid))
        edges[sid] = out
        # The strongest reply searched first: if the budget runs out, the plays found include good ones.
        todo.extend(cid for _, cid in sorted(fresh, key=lambda vc: vc[0]))
        if stopped:
            break
    return _Graph(states, edges, outcome, stopped)


def _live(graph: _Graph) -> list[bool]:
    """The states from which some play reaches an ending (within what was searched)."""
    n = len(graph.states)
    back: list[list[int]] = [[] for _ in range(n)]
    for sid, out in enumerate(graph.edges):
        for _, _, _, cid in out or ():
            back[cid].append(sid)
    live = [False] * n
    todo = list(graph.outcome)
    for sid in todo:
        live[sid] = True
    while todo:
        sid = todo.pop()
        for parent in back[sid]:
            if not live[parent]:
                live[parent] = True
                todo.append(parent)
    return live


def _topological(graph: _Graph, live: list[bool]) -> list[int] | None:
    """The live states, each before the states it leads to; None when some live states form a loop."""
    indegree = [0] * len(graph.states)
    for sid, out in enumerate(graph.edges):
        if live[sid]:
            for _, _, _, cid in out or ():
                if live[cid]:
                    indegree[cid] += 1
    order = [sid for sid in range(len(graph.states)) if live[sid] and indegree[sid] == 0]
    i = 0
    while i < len(order):
        for _, _, _, cid in graph.edges[order[i]] or ():
            if live[cid]:
                indegree[cid] -= 1
                if indegree[cid] == 0:
                    order.append(cid)
        i += 1
    return order if len(order) == sum(live) else None


def _path(graph: _Graph, live: list[bool], choose: list[int]) -> list[Choice]:
    """The moves from the start following ``choose`` (an index into each state's moves)."""
    moves: list[Choice] = []
    sid = 0
    while sid not in graph.outcome:
        choice, _, _, sid = (graph.edges[sid] or [])[choose[sid]]
        moves.append(choice)
    return moves


def _dag_paths(
    graph: _Graph, live: list[bool], order: list[int], which: int, targets: Collection[int] | None = None
) -> list[int]:
    """In a loop-free graph: at each state the first move whose play gives up (which=1) or gains (2) least,
    on the way to one of ``targets`` (ending states; every ending when None)."""
    n = len(graph.states)
    cost: list[int | None] = [None] * n
    choose = [-1] * n
    for sid in reversed(order):
        if sid in graph.outcome:
            cost[sid] = 0 if targets is None or sid in targets else None
            continue
        for i, edge in enumerate(graph.edges[sid] or ()):
            sub = cost[edge[3]]
            if sub is None:
                continue
            here = int(edge[which]) + sub
            current = cost[sid]
            if current is None or here < current:
                cost[sid], choose[sid] = here, i
    return choose


def _shortest_paths(graph: _Graph, live: list[bool], which: int, targets: Collection[int] | None = None) -> list[int]:
    """With loops: the least shortfall (which=1) or gain (2) to an ending (one of ``targets`` when given), ties to
    the fewest steps, by Dijkstra from the endings; at each state the first move that keeps to it (the steps fall
    by one, so no loop)."""
    n = len(graph.states)
    back: list[list[tuple[int, int]]] = [[] for _ in range(n)]
    for sid, out in enumerate(graph.edges):
        if live[sid]:
            for edge in out or ():
                if live[edge[3]]:
                    back[edge[3]].append((sid, int(edge[which])))
    best: list[tuple[int, int] | None] = [None] * n
    heap = [(0, 0, sid) for sid in (graph.outcome if targets is None else targets)]
    heapq.heapify(heap)
    while heap:
        cost, steps, sid = heapq.heappop(heap)
        if best[sid] is not None:
            continue
        best[sid] = (cost, steps)
        for parent, weight in back[sid]:
            if best[parent] is None:
                heapq.heappush(heap, (cost + weight, steps + 1, parent))
    choose = [-1] * n
    for sid in range(n):
        target = best[sid]
        if target is None or sid in graph.outcome:
            continue
        for i, edge in enumerate(graph.edges[sid] or ()):
            sub = best[edge[3]]
            if sub is not None and (sub[0] + int(edge[which]), sub[1] + 1) == target:
                choose[sid] = i
                break
    return choose


def _count(graph: _Graph, live: list[bool], order: list[int]) -> dict[str, int]:
    """In a loop-free graph: how many plays from the start end in each outcome."""
    names = sorted(set(graph.outcome.values()))
    totals: dict[str, int] = {}
    for name in names:
        count = [0] * len(graph.states)
        for sid in reversed(order):
            if sid in graph.outcome:
                count[sid] = 1 if graph.outcome[sid] == name else 0
            else:
                count[sid] = sum(count[e[3]] for e in graph.edges[sid] or () if live[e[3]])
        if count[0]:
            totals[name] = count[0]
    return totals


def explore(
    scenario: Scenario,
    rubric: Rubric,
    analysis: Analysis,
    max_states: int = MAX_STATES,
    *,
    deadline: float | None = None,
) -> Exploration:
    """Every play's outcome, and the best and worst plays, over the states conditions can tell apart.

    The search stops at ``max_states`` states or at ``deadline`` (a ``time.monotonic()`` value); then the
    answer is a bound (see `Exploration`)."""
    result = Exploration()
    model = PlayModel(scenario)
    max_states = min(max_states, _state_cap(model))
    try:
        graph = _build(model, max_states, deadline)
    except Refused:
        return result  # the engine cannot start a play
    result.states = len(graph.states)
    result.stopped = graph.stopped
    result.complete = not graph.stopped
    live = _live(graph)
    if not live[0]:
        return result
    order = _topological(graph, live)
    if order is None:
        result.loops = True
        result.outcomes = {name: 0 for name in sorted({graph.outcome[s] for s in graph.outcome if live[s]})}
    else:
        result.outcomes = _count(graph, live, order)
        result.plays = sum(result.outcomes.values())

    def choose(which: int, targets: Collection[int] | None) -> list[int]:
        if order is None:
            return _shortest_paths(graph, live, which, targets)
        return _dag_paths(graph, live, order, which, targets)

    # An ending's score cap (max_score) is not a sum over steps, so the least shortfall over all endings can
    # lead into a capped ending while another ending scores higher. Within one capped ending, and among the
    # uncapped ones, every play meets the same cap, so the search runs once for each and the real scores
    # decide; the play over all endings comes first and keeps its place on a tie.
    uncapped: list[int] = []
    capped: dict[str, list[int]] = {}
    for sid in graph.outcome:
        if live[sid]:
            node = graph.states[sid][0]
            ending = model.ending(graph.states[sid])
            if ending is not None and ending.max_score is not None:
                capped.setdefault(node, []).append(sid)
            else:
                uncapped.append(sid)
    groups: list[Collection[int] | None] = [None]
    if capped:
        groups += ([uncapped] if uncapped else []) + list(capped.values())
    for which, attr in ((1, "best"), (2, "worst")):
        found: Play | None = None
        tried: set[tuple[Choice, ...]] = set()
        for targets in groups:
            if targets is not None and deadline is not None and time.monotonic() > deadline:
                # Out of time before every capped ending was weighed: what was found is a real play, a bound.
                result.complete, result.stopped = False, result.stopped or "time"
                break
            choice_of = choose(which, targets)
            if choice_of[0] == -1 and 0 not in graph.outcome:
                continue  # no play reaches these endings from the start
            moves = _path(graph, live, choice_of)
            if tuple(moves) in tried:
                continue
            tried.add(tuple(moves))
            _, debrief = replay(scenario, rubric, analysis, moves)
            play = Play(moves, debrief.overall, debrief.outcome or "", debrief.passed)
            if found is None or _better(play, found, worst=which == 2):
                found = play
        setattr(result, attr, found)
    return result


def _better(play: Play, than: Play, *, worst: bool) -> bool:
    """Whether ``play`` is a better best (or a worse worst) than ``than``. A "not assessed" play has no score to
    rank, so it never displaces a scored one, and any scored play displaces it."""
    if play.overall is None:
        return False
    if than.overall is None:
        return True
    return play.overall < than.overall if worst else play.overall > than.overall


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
    """Memoised search, over every play, for the one whose choices best clear a ratio num / den of the span.

    Depth first with a stack of its own (no recursion, however long a play), over the compact states of
    `PlayModel`; a state met again on the current play closes a loop, which completes no play."""

    def __init__(self, scenario: Scenario, max_states: int, deadline: float | None = None) -> None:
        self.model = PlayModel(scenario)
        self.scenario = scenario
        self.max_states = min(max_states, _state_cap(self.model) // 2)  # states kept twice: memo and moves
        self.deadline = deadline
        self.complete = True
        self.endings: set[str] = set()
        self._moves: dict[
            State, list[tuple[Choice, int, int, State]]
        ] = {}  # (move, gain, span, child), reused by each run

    def _moves_from(self, state: State) -> list[tuple[Choice, int, int, State]]:
        found = self._moves.get(state)
        if found is None:
            # Scored as the debrief scores a step: against the replies on offer, and the timeout if it was let run out.
            moves, values, timeout_value = self.model.moves(state)
            found = []
            for move, value, child in moves:
                offers = values + [value] if move == TIMEOUT_CHOICE else values
                if child is None or not offers:
                    continue
                found.append((move, value - min(offers), max(offers) - min(offers), child))
            if len(self._moves) < self.max_states:
                self._moves[state] = found
        return found

    def run(self, num: int, den: int) -> _PassSummary | None:
        memo: dict[State, _PassSummary | None] = {}
        on_path: set[State] = set()
        # A frame: state, its moves, the next move's index, whether some play finishes, best, max span.
        frames: list[list[object]] = []
        counter = 0

        def enter(state: State) -> _PassSummary | None | bool:
            """The summary of a state already known, or True once a frame is pushed for it."""
            nonlocal counter
            if state in memo:
                return memo[state]
            counter += 1
            over_time = self.deadline is not None and counter % _CLOCK_EVERY == 0 and time.monotonic() > self.deadline
            if state in on_path or len(memo) >= self.max_states or over_time:
                self.complete = self.complete and state in on_path and not over_time
                return None
            ending = self.model.ending(state)
            if ending is not None:
                self.endings.add(state[0])
                allows = ending_allows_pass(ending, self.scenario.pass_mark)
                end = _PassSummary(_Best(0, False, 0, 0, []) if allows else None, 0 if allows else -1)
                memo[state] = end
                return end
            on_path.add(state)
            frames.append([state, self._moves_from(state), 0, False, None, -1])
            return True

        first = enter(self.model.start())
        if first is not True:
            return first if isinstance(first, _PassSummary) else None
        result: _PassSummary | None = None
        while frames:
            frame = frames[-1]
            state, moves, index = frame[0], frame[1], frame[2]
            assert isinstance(moves, list) and isinstance(index, int)
            if index < len(moves):
                frame[2] = index + 1
                sub = enter(moves[index][3])
                if sub is True:
                    continue
            else:
                sub = None
            if index < len(moves):
                if isinstance(sub, _PassSummary):
                    self._fold(frame, moves[index], sub, num, den)
                continue
            frames.pop()
            assert isinstance(state, tuple)
            on_path.discard(state)
            best = frame[4]
            max_span = frame[5]
            assert best is None or isinstance(best, _Best)
            assert isinstance(max_span, int)
            summary = _PassSummary(best, max_span) if frame[3] else None
            memo[state] = summary
            if frames:
                parent = frames[-1]
                parent_moves, parent_index = parent[1], parent[2]
                assert isinstance(parent_moves, list) and isinstance(parent_index, int)
                if summary is not None:
                    self._fold(parent, parent_moves[parent_index - 1], summary, num, den)
            else:
                result = summary
        return result

    @staticmethod
    def _fold(frame: list[object], move: tuple[Choice, int, int, State], sub: _PassSummary, num: int, den: int) -> None:
        """Take a move's result into its state's frame, as the recursive search did on return."""
        frame[3] = True
        if sub.best is None:
            return
        choice, gain, span, _ = move
        candidate = _Best(
            sub.best.margin + den * gain - num * span,
            sub.best.assessed or span > 0,
            sub.best.gain + gain,
            sub.best.span + span,
            [choice] + sub.best.moves,
        )
        best = frame[4]
        assert best is None or isinstance(best, _Best)
        if candidate.beats(best):
            frame[4] = candidate
        max_span = frame[5]
        assert isinstance(max_span, int)
        frame[5] = max(max_span, sub.max_span + span)


def _play(scenario: Scenario, rubric: Rubric, analysis: Analysis, moves: list[Choice]) -> tuple[Play, bool]:
    _, debrief = replay(scenario, rubric, analysis, moves)
    play = Play(moves, debrief.overall, debrief.outcome or "", debrief.passed)
    return play, debrief.passed and debrief.overall is not None


def _greedy_pass(scenario: Scenario, rubric: Rubric, analysis: Analysis) -> Play | None:
    """The model answer at every step, when that play passes on an assessed score: a quick answer for most files."""
    model = PlayModel(scenario)
    try:
        state: State | None = model.start()
    except Refused:
        return None
    seen: set[State] = set()
    moves: list[Choice] = []
    while state is not None and model.ending(state) is None:
        if state in seen or len(moves) >= MAX_GREEDY_STEPS:
            return None  # the same state again: the model answer goes round for ever
        seen.add(state)
        replies = [m for m in model.moves(state)[0] if m[0] != TIMEOUT_CHOICE]
        if not replies:
            return None
        choice, _, state = max(replies, key=lambda m: m[1])
        moves.append(choice)
    if state is None:
        return None  # the engine refuses the model answer somewhere
    play, passed = _play(scenario, rubric, analysis, moves)
    return play if passed else None


def check_pass(
    scenario: Scenario,
    rubric: Rubric,
    analysis: Analysis,
    max_states: int = MAX_STATES,
    *,
    deadline: float | None = None,
) -> PassCheck:
    """Whether some play passes on an assessed score; if none does, why not, with the best overall there is.

    The model answer at every step usually settles it at once. Otherwise a search finds the play that
    best clears the pass mark, and when even that one fails, repeated searches (each against the best
    ratio found so far) find the highest overall any assessed play to an ending that can pass reaches.
    """
    result = PassCheck()
    try:
        greedy = _greedy_pass(scenario, rubric, analysis)
    except StoryError:
        greedy = None
    if greedy is not None:
        result.finishes = result.passable = result.assessed = True
        result.passing = greedy
        return result
    search = _PassSearch(scenario, max_states, deadline)
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
        if first is None or first.best is None or not search.complete:
            result.complete = False  # out of time
            return result
        best = first.best
    for _ in range(MAX_RATIO_ROUNDS):
        found = search.run(best.gain, best.span)
        if not search.complete:
            break  # out of time: the best found so far is a real play, but a better one may exist
        if found is None or found.best is None or not found.best.assessed or found.best.margin <= 0:
            break
        best = found.best
    result.complete = search.complete
    result.best = _play(scenario, rubric, analysis, best.moves)[0]
    return result
