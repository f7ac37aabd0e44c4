"""Guessability: how often a shortcut that ignores the customer finds the model answer.

A trainee should win by judging the customer, never by spotting a pattern in how replies are
written. This module measures, per scenario and over a library, how often each of these
shortcuts lands on the model answer at a decision point, against picking at random:

``first``
    "Always press 1": the first reply in file order.
``longest``
    "Pick the longest reply", by characters of ``text``. When k replies tie for the longest, the
    shortcut picks one of them at random: it counts as found with weight m/k, where m of the k
    are model answers (so 1/k when one model answer is among them).
``longest_if_angry``
    "Longest if the customer is angry, else second-longest": the longest reply when
    ``persona.kind == "angry"``, otherwise the second-longest. Ties are broken at random as for
    ``longest``: rank the replies by length, longest first, and let the shortcut take rank 1 or 2;
    every reply as long as the one at that rank is equally likely to be there, so a shortcut that
    lands on a group of k equally long replies holding m model answers scores m/k.
``shortest``
    "Pick the shortest reply" (the brisk one), ties at random as for ``longest``.
``politest``
    "Pick the politest-sounding reply": the reply with the most courtesy markers (sorry,
    apologise, thank, please, appreciate, understand, and the customer's name but a title), ties at
    random. When no reply has any, it is a blind pick.

and separately ``only_flawless``: the share of decision points where exactly one reply has no
negative trait delta and that reply is a model answer ("the one reply without a flaw"), and
``close_call``: the share where a second reply worth more than nothing comes within one point of
the model answer, so a trainee has to weigh two defensible replies ("a hard decision point").

Definitions:

- A *decision point* is a node with at least two replies that is reachable from the start (over
  every reply, route and timeout, with every condition assumed to hold, as in
  :mod:`simulator.core.analysis`). A node with one reply offers no choice and does not count.
- Every reply of the node counts, in file order, whatever its ``if:``: this is a static report
  of what the file could offer, not of one play. Letting a timer run out is not a reply.
  "First" means first in the file: it measures how the author ordered the replies, which is what
  the trainee sees whenever the replies are shown in file order.
- The *model answer* is the reply worth most overall, the sum of its trait deltas (the same
  value the debrief ranks replies by, :func:`simulator.core.scoring.step_value`). When several
  tie for the top, a shortcut finds the model answer if it picks any of them.
- *Chance* at a point is (number of model answers) / (number of replies): what picking blindly
  finds. A rate is the mean over decision points, as a percentage; *above chance* is a
  shortcut's rate minus the chance rate, in percentage points. The overall rates pool every
  decision point of every scenario, so a scenario weighs as much as it has decision points.

Every function here is pure: scenarios in, frozen dataclasses out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .analysis import Analysis, analyse
from .models import Node, Reply, Scenario
from .scoring import step_value

SHORTCUTS: tuple[str, ...] = ("first", "longest", "longest_if_angry", "shortest", "politest")
SHORTCUT_LABELS: dict[str, str] = {
    "first": "always press 1",
    "longest": "pick the longest reply",
    "longest_if_angry": "longest if the customer is angry, else second-longest",
    "shortest": "pick the shortest reply",
    "politest": "pick the reply with the most courtesy words",
}
# The gate's limit on only_flawless, in percent of decision points.
MAX_ONLY_FLAWLESS = 50.0
# The gate's floor on close calls, in percent of decision points: one in five.
MIN_CLOSE_CALLS = 20.0
_COURTESY = re.compile(r"\b(sorry|apolog\w*|thank\w*|please|appreciate\w*|understand\w*|understood)\b", re.IGNORECASE)
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "sir", "madam"})


@dataclass(frozen=True)
class DecisionPoint:
    """One node with a choice: what blind picking and each shortcut find there (each 0 to 1)."""

    node_id: str
    replies: int
    model_answers: tuple[int, ...]  # 1-based reply numbers in file order
    chance: Fraction
    first: Fraction
    longest: Fraction
    longest_if_angry: Fraction
    shortest: Fraction
    politest: Fraction
    only_flawless: bool
    close_call: bool

    def hit(self, shortcut: str) -> Fraction:
        """How much the named shortcut finds the model answer here: 0, 1, or m/k on a tie."""
        value: Fraction = getattr(self, shortcut)
        return value


@dataclass(frozen=True)
class Rates:
    """Rates over some decision points, in percent; None where there are no decision points."""

    decision_points: int
    chance: float | None
    first: float | None
    longest: float | None
    longest_if_angry: float | None
    shortest: float | None
    politest: float | None
    only_flawless: float | None
    close_call: float | None

    def rate(self, shortcut: str) -> float | None:
        value: float | None = getattr(self, shortcut)
        return value

    def above_chance(self, shortcut: str) -> float | None:
        """The shortcut's rate minus the chance rate, in percentage points."""
        rate = self.rate(shortcut)
        return None if rate is None or self.chance is None else rate - self.chance

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision_points": self.decision_points,
            "chance": _round(self.chance),
            "shortcuts": {
                s: {"hit": _round(self.rate(s)), "above_chance": _round(self.above_chance(s))} for s in SHORTCUTS
            },
            "only_flawless": _round(self.only_flawless),
            "close_call": _round(self.close_call),
        }


@dataclass(frozen=True)
class Tells(Rates):
    """One scenario's guessability: its rates, and the decision points they come from."""

    scenario_id: str
    kind: str
    points: tuple[DecisionPoint, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.scenario_id,
            "kind": self.kind,
            **super().to_dict(),
            "nodes": [
                {
                    "node": p.node_id,
                    "replies": p.replies,
                    "model_answers": list(p.model_answers),
                    "chance": float(p.chance),
                    "hits": {s: float(p.hit(s)) for s in SHORTCUTS},
                    "only_flawless": p.only_flawless,
                    "close_call": p.close_call,
                }
                for p in self.points
            ],
        }


@dataclass(frozen=True)
class TellsReport:
    """Every scenario's tells and the overall rates over all their decision points."""

    scenarios: tuple[Tells, ...]
    overall: Rates

    def failures(
        self,
        max_above_chance: float,
        max_only_flawless: float = MAX_ONLY_FLAWLESS,
        min_close_calls: float = MIN_CLOSE_CALLS,
    ) -> list[str]:
        """Why the library fails the gate: a shortcut more than max_above_chance points above chance
        overall, the only-flawless tell at more than max_only_flawless percent of decision points, or
        close calls at fewer than min_close_calls percent."""
        problems = []
        for shortcut in SHORTCUTS:
            above = self.overall.above_chance(shortcut)
            if above is not None and above > max_above_chance:
                problems.append(
                    f'"{SHORTCUT_LABELS[shortcut]}" finds the model answer {_pct(self.overall.rate(shortcut))} of '
                    f"the time, {above:.1f} points above chance ({_pct(self.overall.chance)}); "
                    f"the limit is {max_above_chance:g}"
                )
        flawless = self.overall.only_flawless
        if flawless is not None and flawless > max_only_flawless:
            problems.append(
                f"the model answer is the only reply without a flaw at {_pct(flawless)} of decision points; "
                f"the limit is {max_only_flawless:g}%"
            )
        close = self.overall.close_call
        if close is not None and close < min_close_calls:
            problems.append(
                f"only {_pct(close)} of decision points offer two defensible replies within one point of each "
                f"other; at least {min_close_calls:g}% should"
            )
        return problems

    def to_dict(self) -> dict[str, Any]:
        return {"scenarios": [t.to_dict() for t in self.scenarios], "overall": self.overall.to_dict()}

    def table(self) -> str:
        """A table with a row per scenario and an overall line; shortcut cells read `rate +points`."""
        width = max([len("scenario"), len("overall"), *(len(t.scenario_id) for t in self.scenarios)])
        head = f"{'scenario':<{width}}  " + " ".join(f"{h:>{w}}" for h, w in _COLUMNS)
        lines = [head]
        for tells in self.scenarios:
            lines.append(_row(tells.scenario_id, width, tells))
        lines.append("-" * len(head))
        lines.append(_row("overall", width, self.overall))
        lines.append("")
        lines.append(
            "Percent of decision points (reachable nodes with 2 or more replies) where picking blindly (chance)"
        )
        lines.append("or a shortcut finds the model answer (the reply worth most); +N is points above chance.")
        lines.append("press 1: the first reply.  longest: the longest reply.")
        lines.append("kind-longest: the longest if the customer is angry, else the second-longest.")
        lines.append("shortest: the shortest reply.  courteous: the most sorry/thank/please/understand/name words.")
        lines.append("no flaw: the model answer is the only reply without a negative trait delta.")
        lines.append("close: a second reply worth more than nothing comes within one point of the model answer.")
        return "\n".join(lines)


_COLUMNS = (
    ("points", 6),
    ("chance", 7),
    ("press 1", 13),
    ("longest", 13),
    ("kind-longest", 13),
    ("shortest", 13),
    ("courteous", 13),
    ("no flaw", 7),
    ("close", 6),
)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}%"


def _row(name: str, width: int, rates: Rates) -> str:
    cells = [str(rates.decision_points), _pct(rates.chance)]
    for shortcut in SHORTCUTS:
        above = rates.above_chance(shortcut)
        cells.append(_pct(rates.rate(shortcut)) + ("" if above is None else f" {above:+.1f}"))
    cells.append(_pct(rates.only_flawless))
    cells.append(_pct(rates.close_call))
    return f"{name:<{width}}  " + " ".join(f"{c:>{w}}" for c, (_, w) in zip(cells, _COLUMNS, strict=True))


def _ranked_pick(replies: Sequence[Reply], rank: int, top: set[int]) -> Fraction:
    """The chance that taking the reply at `rank` (0 = longest) finds a model answer, ties at random."""
    lengths = sorted((len(r.text) for r in replies), reverse=True)
    if rank >= len(lengths):
        return Fraction(0)
    group = [i for i, r in enumerate(replies) if len(r.text) == lengths[rank]]
    return Fraction(sum(1 for i in group if i in top), len(group))


def _pick_most(scores: Sequence[int], top: set[int]) -> Fraction:
    """The chance that taking a reply with the highest score finds a model answer, ties at random."""
    best = max(scores)
    group = [i for i, v in enumerate(scores) if v == best]
    return Fraction(sum(1 for i in group if i in top), len(group))


def courtesy_words(text: str, name: str = "") -> int:
    """How many courtesy markers a reply holds: sorry, thanks, please, understand, and any word of the
    customer's name but a title ("Lee" in "Mr Lee")."""
    count = len(_COURTESY.findall(text))
    for word in name.split():
        if word.lower().rstrip(".") not in _TITLES:
            count += len(re.findall(rf"\b{re.escape(word)}\b", text))
    return count


def decision_point(node: Node, angry: bool, name: str = "") -> DecisionPoint | None:
    """The decision point a node makes, or None if it offers fewer than two replies."""
    replies = node.replies or []
    if len(replies) < 2:
        return None
    values = [step_value(dict(r.traits)) for r in replies]
    best = max(values)
    top = {i for i, v in enumerate(values) if v == best}
    flawless = [i for i, r in enumerate(replies) if all(d >= 0 for d in r.traits.values())]
    longest = _ranked_pick(replies, 0, top)
    ranked = sorted(values, reverse=True)
    close = len(ranked) > 1 and ranked[1] > 0 and ranked[0] - ranked[1] <= 1
    return DecisionPoint(
        node_id=node.id,
        replies=len(replies),
        model_answers=tuple(i + 1 for i in sorted(top)),
        chance=Fraction(len(top), len(replies)),
        first=Fraction(1 if 0 in top else 0),
        longest=longest,
        longest_if_angry=longest if angry else _ranked_pick(replies, 1, top),
        shortest=_pick_most([-len(r.text) for r in replies], top),
        politest=_pick_most([courtesy_words(r.text, name) for r in replies], top),
        only_flawless=len(flawless) == 1 and flawless[0] in top,
        close_call=close,
    )


def rates(points: Sequence[DecisionPoint]) -> Rates:
    """The mean of each measure over the decision points, in percent."""
    n = len(points)

    def mean(values: Iterable[Fraction]) -> float | None:
        return float(100 * sum(values, Fraction(0)) / n) if n else None

    return Rates(
        decision_points=n,
        chance=mean(p.chance for p in points),
        first=mean(p.first for p in points),
        longest=mean(p.longest for p in points),
        longest_if_angry=mean(p.longest_if_angry for p in points),
        shortest=mean(p.shortest for p in points),
        politest=mean(p.politest for p in points),
        only_flawless=mean(Fraction(int(p.only_flawless)) for p in points),
        close_call=mean(Fraction(int(p.close_call)) for p in points),
    )


def scenario_tells(scenario: Scenario, analysis: Analysis | None = None) -> Tells:
    """One scenario's decision points (reachable nodes only, each id once) and their rates."""
    reachable = (analysis or analyse(scenario)).reachable
    angry = scenario.persona.kind == "angry"
    points: list[DecisionPoint] = []
    seen: set[str] = set()
    for node in scenario.nodes:
        if node.id in seen or node.id not in reachable:
            continue
        seen.add(node.id)
        point = decision_point(node, angry, scenario.persona.name)
        if point is not None:
            points.append(point)
    r = rates(points)
    return Tells(
        decision_points=r.decision_points,
        chance=r.chance,
        first=r.first,
        longest=r.longest,
        longest_if_angry=r.longest_if_angry,
        shortest=r.shortest,
        politest=r.politest,
        only_flawless=r.only_flawless,
        close_call=r.close_call,
        scenario_id=scenario.id,
        kind=scenario.persona.kind,
        points=tuple(points),
    )


def tells_report(scenarios: Iterable[Scenario | tuple[Scenario, Analysis | None]]) -> TellsReport:
    """Each scenario's tells, in the order given, and the overall rates over all decision points."""
    found: list[Tells] = []
    for item in scenarios:
        scenario, analysis = item if isinstance(item, tuple) else (item, None)
        found.append(scenario_tells(scenario, analysis))
    return TellsReport(scenarios=tuple(found), overall=rates([p for t in found for p in t.points]))
