"""FL500 check failed (error).

A self-test in the scenario's `checks:` section did not come out as it says. Frontline plays each
check's `path` as `frontline replay` does (an untimed assessment; reply numbers among the replies
on offer in the file's order, a reply's `id`, or `t` for letting the time run out) and compares the
ending it reaches, the overall and trait scores and whether it passes with what the check expects.
The position is the part of the check that failed: the choice that could not be made, a path that
stops before an ending, or the `ending`, `overall`, trait or `passes` that came out otherwise. If
the scenario changed on purpose, play the path with `frontline replay FILE --choices ...` and update
the check; if not, the edit changed an outcome it should not have.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..checks import run_checks
from ._base import Finding, LintContext

CODE = "FL500"
SEVERITY = "error"
TITLE = "check failed"
WHOLE_SCENARIO = True  # plays the scenario, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    scenario = ctx.scenario
    if ctx.rubric is None or not scenario.checks or not scenario.has_node(scenario.start_id):
        return
    for run in run_checks(scenario, ctx.rubric):
        for failure in run.failures:
            yield failure.loc, failure.message, failure.want_key
