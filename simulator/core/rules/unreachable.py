"""FL202 unreachable node (warning).

No chain of replies, routes or timeouts leads from the start to this node, so no trainee
will ever see it. Link it from somewhere or delete it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Finding, LintContext

CODE = "FL202"
SEVERITY = "warning"
TITLE = "unreachable node"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    if not ctx.scenario.has_node(ctx.scenario.start_id):
        return
    reachable = ctx.analysis.reachable
    seen: set[str] = set()
    for index, node in ctx.nodes:
        if node.id not in reachable and node.id not in seen:
            seen.add(node.id)
            yield ("nodes", index, "id"), f"node '{node.id}' cannot be reached from the start"
