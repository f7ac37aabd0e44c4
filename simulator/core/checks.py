"""Scenario self-tests: play each `checks:` path with the real engine and compare what comes of it.

A check is played as `frontline stats` and `frontline replay` play a path: an untimed assessment,
reply numbers in the file's order among the replies on offer (a reply whose `if:` does not hold is
skipped), a reply's `id` naming it wherever it sits, and `t` letting the time run out. Each way
a check fails is reported at the part of the check it concerns, so lint can point at its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .analysis import TIMEOUT_CHOICE
from .engine import Story
from .errors import StoryError
from .models import NOT_ASSESSED_WORDS, Check, Rubric, Scenario, ScoreRange
from .scoring import Debrief, build_debrief

Loc = tuple[Any, ...]


@dataclass(frozen=True)
class CheckFailure:
    """One way a check failed: where in the file (a path into its data) and what happened."""

    loc: Loc
    message: str
    want_key: bool = False  # point at the key rather than its value


@dataclass
class CheckRun:
    """A check played: where the path ended, its debrief when it reached an ending, and its failures."""

    check: Check
    label: str
    node_id: str | None = None  # the node the path stopped at (an ending when it finished)
    debrief: Debrief | None = None
    failures: list[CheckFailure] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def check_label(check: Check, index: int) -> str:
    return f"check '{check.name}'" if check.name else f"check {index + 1}"


def run_checks(scenario: Scenario, rubric: Rubric) -> list[CheckRun]:
    """Every check of the scenario, played in file order."""
    return [run_check(scenario, rubric, check, index) for index, check in enumerate(scenario.checks)]


def run_check(scenario: Scenario, rubric: Rubric, check: Check, index: int) -> CheckRun:
    run = CheckRun(check, check_label(check, index))
    at: Loc = ("checks", index)
    try:
        story = Story(scenario, mode="assessment", timed=False)
    except StoryError as exc:
        run.failures.append(CheckFailure(at, f"{run.label}: the scenario cannot start: {exc}", True))
        return run
    for step, choice in enumerate(check.path):
        problem = _take(story, choice, step)
        if problem is not None:
            run.node_id = story.state.node_id
            run.failures.append(CheckFailure(at + ("path", step), f"{run.label}: {problem}"))
            return run
    run.node_id = story.state.node_id
    if not story.finished:
        offers = len(story.options)
        what = f"the replies here are 1 to {offers}" if offers > 1 else "the reply here is 1"
        if story.current_node.timeout is not None:
            what += ", or t to let the time run out"
        run.failures.append(
            CheckFailure(
                at + ("path",),
                f"{run.label}: the path stops at node '{story.state.node_id}' before an ending; add the choices "
                f"that finish it ({what})",
                True,
            )
        )
        return run
    debrief = build_debrief(scenario, story.state, rubric)
    run.debrief = debrief
    run.failures.extend(_compare(scenario, rubric, check, at, run.label, story.state.node_id, debrief))
    return run


def _take(story: Story, choice: int | str, step: int) -> str | None:
    """Take one choice of a path; what went wrong, in words, or None."""
    node = story.current_node
    where = f"choice {step + 1} ({choice}) at node '{node.id}'"
    if story.finished:
        outcome = node.ending.outcome if node.ending is not None else ""
        return (
            f"{where}: the conversation already ended there ({outcome}) after {step} choice(s); "
            "remove the rest of the path or change an earlier choice"
        )
    try:
        if choice == TIMEOUT_CHOICE:
            if node.timeout is None:
                return f"{where}: this node has no time limit, so the time cannot run out"
            story.time_out()
        elif isinstance(choice, int):
            story.choose(choice)
        else:
            number = _number_of(story, choice)
            if isinstance(number, str):
                return f"{where}: {number}"
            story.choose(number)
    except StoryError as exc:
        return f"{where}: {exc}"
    return None


def _number_of(story: Story, reply_id: str) -> int | str:
    """The number the reply with this `id` has among the replies on offer, or why it cannot be chosen."""
    for option in story.options:
        if option.reply.id == reply_id:
            return option.number
    replies = story.current_node.replies or []
    for reply in replies:
        if reply.id == reply_id:
            return f"reply '{reply_id}' is not on offer here: its condition '{reply.condition}' does not hold"
    ids = [r.id for r in replies if r.id is not None]
    close = difflib.get_close_matches(reply_id, ids, n=1, cutoff=0.6)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    offers = len(story.options)
    return (
        f"no reply here has the id '{reply_id}'{hint}; give that reply `id: {reply_id}`, or use its number "
        f"(1 to {offers})"
    )


def _compare(
    scenario: Scenario, rubric: Rubric, check: Check, at: Loc, label: str, node_id: str, debrief: Debrief
) -> Iterator[CheckFailure]:
    outcome = debrief.outcome or ""
    if check.ending not in (node_id, outcome):
        yield CheckFailure(
            at + ("ending",),
            f"{label}: the path ends at '{node_id}' (outcome {outcome}), not '{check.ending}'",
        )
    if check.overall is not None and not _matches(check.overall, debrief.overall):
        yield CheckFailure(
            at + ("overall",),
            f"{label}: the overall score is {_score(debrief.overall)}, expected {_expected(check.overall)}",
        )
    scores = debrief.trait_scores()
    for trait_id, expected in check.traits.items():
        if not rubric.has_trait(trait_id):
            close = difflib.get_close_matches(trait_id, rubric.trait_ids, n=1, cutoff=0.6)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield CheckFailure(at + ("traits", trait_id), f"{label}: no trait '{trait_id}' in the rubric{hint}", True)
        elif not _matches(expected, scores.get(trait_id)):
            yield CheckFailure(
                at + ("traits", trait_id),
                f"{label}: {trait_id} scores {_score(scores.get(trait_id))}, expected {_expected(expected)}",
            )
    if check.passes is not None and check.passes != debrief.passed:
        if debrief.passed:
            yield CheckFailure(
                at + ("passes",),
                f"{label}: the attempt passes ({_score(debrief.overall)}, pass mark {scenario.pass_mark}), "
                "but the check says it must not",
            )
        else:
            why = debrief.result_reason or (
                f"The overall score {_score(debrief.overall)} is under the pass mark of {scenario.pass_mark}."
            )
            yield CheckFailure(
                at + ("passes",), f"{label}: the attempt does not pass, but the check says it must. {why}"
            )


def _matches(expected: int | ScoreRange | str, score: int | None) -> bool:
    if expected == NOT_ASSESSED_WORDS:
        return score is None
    if score is None:
        return False
    if isinstance(expected, ScoreRange):
        return expected.min <= score <= expected.max
    return score == expected


def _expected(expected: int | ScoreRange | str) -> str:
    return str(expected)


def _score(score: int | None) -> str:
    return NOT_ASSESSED_WORDS if score is None else str(score)
