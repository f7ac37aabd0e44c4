"""FL200 unknown target (error).

A reply's `to`, a route's `to`, a timeout's `to`, `start`, or a `visits.NODE` in a condition
names a node that does not exist. The message suggests the closest node id.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..conditions import names_used
from ._base import Finding, LintContext
from ._util import suggest

CODE = "FL200"
SEVERITY = "error"
TITLE = "unknown target"


def check(ctx: LintContext) -> Iterator[Finding]:
    known = ctx.raw_ids

    def missing(target: str) -> bool:
        return target not in known

    if ctx.scenario.start is not None and missing(ctx.scenario.start):
        yield ("start",), f"start node '{ctx.scenario.start}' does not exist{suggest(ctx.scenario.start, known)}"
    for index, node in ctx.nodes:
        for r_index, reply in enumerate(node.replies or ()):
            if missing(reply.to):
                yield ("nodes", index, "replies", r_index, "to"), f"no node '{reply.to}'{suggest(reply.to, known)}"
        for r_index, route in enumerate(node.routes or ()):
            if missing(route.to):
                yield ("nodes", index, "routes", r_index, "to"), f"no node '{route.to}'{suggest(route.to, known)}"
        if node.timeout is not None and missing(node.timeout.to):
            target = node.timeout.to
            yield ("nodes", index, "timeout", "to"), f"no node '{target}'{suggest(target, known)}"
    for loc, item in ctx.conditionals():
        for var in names_used(item.expr) if item.expr is not None else ():
            if var.kind == "visits" and missing(var.name):
                yield loc + ("if",), f"condition counts visits to '{var.name}', which is not a node"
