"""FL206 no play can pass (warning).

No way through the scenario passes on its score, so no trainee can pass it by replying well.
Frontline plays every path (untimed) to find out, and says which of three reasons applies: the
best play scores under `pass_mark`; every ending a trainee can reach cannot pass (`customer_lost`
by default, `can_pass: false`, or a `max_score` under the pass mark); or on every path to an
ending that can pass the replies at each step add up to the same total, so no choice changes the
overall score and the ending alone decides. Lower the pass mark, lead the strongest replies to an
ending that can pass, or give the replies different trait deltas. A scenario too large to play
through within the search budget is not checked.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import Choice
from ..models import Ending
from ..scoring import FAILING_OUTCOMES
from ._base import Finding, LintContext

CODE = "FL206"
SEVERITY = "warning"
TITLE = "no play can pass"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid
MAX_STATES = 5_000  # lint runs on every file: a bigger search is left to `frontline stats`


def check(ctx: LintContext) -> Iterator[Finding]:
    # Imported here: explore plays through a Session, whose library loads scenarios with these rules.
    from ..explore import check_pass

    if ctx.rubric is None or not ctx.scenario.has_node(ctx.scenario.start_id):
        return
    found = check_pass(ctx.scenario, ctx.rubric, ctx.analysis, max_states=MAX_STATES)
    if found.passing is not None or not found.complete or not found.finishes:
        return  # passable, too big to know, or FL204 / FL205 already say it cannot finish
    pass_mark = ctx.scenario.pass_mark
    if not found.passable:
        blocked = [(i, n) for i, n in ctx.nodes if n.id in found.endings and n.ending is not None]
        reasons = "; ".join(f"'{n.id}' {_why_not(n.ending, pass_mark)}" for _, n in blocked if n.ending is not None)
        loc = ("nodes", blocked[0][0], "ending") if blocked else ("pass_mark",)
        yield (
            loc,
            f"no play can pass: every ending a trainee can reach cannot pass ({reasons}); lead the strongest "
            "replies to an ending that can pass, or let one pass with `can_pass: true`",
        )
    elif not found.assessed:
        yield (
            ("pass_mark",),
            "no play is ever assessed: on every path to an ending that can pass, the replies at each step add up "
            "to the same total, so no choice changes the score and the ending alone decides; give the replies "
            "different trait deltas",
        )
    elif found.best is not None:
        best = found.best.overall
        yield (
            ("pass_mark",),
            f"no play can pass: the best play to an ending that can pass (choices {_choices(found.best.choices)}) "
            f"scores {best}, under the pass mark of {pass_mark}; let the strongest replies reach an ending that "
            "can pass, or lower `pass_mark`",
        )


def _why_not(ending: Ending, pass_mark: int) -> str:
    if ending.can_pass is False:
        return "has can_pass: false"
    if ending.can_pass is None and ending.outcome in FAILING_OUTCOMES:
        return f"is {ending.outcome}"
    return f"caps the score at {ending.max_score}, under the pass mark of {pass_mark}"


def _choices(choices: list[Choice]) -> str:
    return ",".join(str(c) for c in choices) or "none"
