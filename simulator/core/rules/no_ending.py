"""FL204 no reachable ending (error).

No ending can be reached from the start, so the conversation can never finish.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Finding, LintContext

CODE = "FL204"
SEVERITY = "error"
TITLE = "no reachable ending"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    start = ctx.scenario.start_id
    if not ctx.scenario.has_node(start):
        return
    analysis = ctx.analysis
    if not any(ending in analysis.reachable for ending in analysis.endings):
        loc = ("start",) if ctx.scenario.start is not None else ("nodes", ctx.nodes[0][0], "id")
        yield loc, f"no ending can be reached from the start node '{start}'"
