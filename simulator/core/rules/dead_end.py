"""FL203 possible dead end (warning).

Every route of a routing node has an `if:`, or every reply of a node has one, so when no
condition holds the trainee is stuck with nothing to do. Give the last route no `if:`, or
leave at least one reply unconditional.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Finding, LintContext

CODE = "FL203"
SEVERITY = "warning"
TITLE = "possible dead end"


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, node in ctx.nodes:
        if node.routes and all(route.condition is not None for route in node.routes):
            yield (
                ("nodes", index, "routes"),
                f"node '{node.id}': every route has a condition; add a last route without `if:`",
            )
        if node.replies and all(reply.condition is not None for reply in node.replies):
            yield (
                ("nodes", index, "replies"),
                f"node '{node.id}': every reply has a condition, so the trainee may have no reply at all",
            )
