"""FL205 loop with no way out (error).

These nodes can be reached, but once there the conversation can only go round between them:
no reply or route leads on to an ending. The message lists the nodes of the loop.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import edges_of
from ._base import Finding, LintContext

CODE = "FL205"
SEVERITY = "error"
TITLE = "loop with no way out"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    analysis = ctx.analysis
    if not any(ending in analysis.reachable for ending in analysis.endings):
        return  # FL204 already says the whole scenario cannot finish
    trapped = [(i, n) for i, n in ctx.nodes if n.id in analysis.reachable and n.id not in analysis.can_finish]
    reported: set[str] = set()
    for index, node in trapped:
        if node.id in reported:
            continue
        group = _loop_of(ctx, node.id, {n.id for _, n in trapped})
        reported.update(group)
        names = ", ".join(sorted(group))
        yield ("nodes", index, "id"), f"from node '{node.id}' no ending can be reached (trapped among: {names})"


def _loop_of(ctx: LintContext, start: str, trapped: set[str]) -> set[str]:
    group = {start}
    todo = [start]
    while todo:
        node = ctx.scenario.node(todo.pop())
        for edge in edges_of(node):
            if edge.target in trapped and edge.target not in group:
                group.add(edge.target)
                todo.append(edge.target)
    return group
