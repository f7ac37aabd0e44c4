"""FL302 dominated reply (warning).

A reply is worse than or equal to a sibling reply on every trait and strictly worse on at
least one, and both are offered under the same condition. Such a reply is a give-away: make
it tempting by giving it a real strength, or remove it.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Finding, LintContext

CODE = "FL302"
SEVERITY = "warning"
TITLE = "dominated reply"


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, node in ctx.nodes:
        replies = node.replies or []
        for r_index, reply in enumerate(replies):
            for o_index, other in enumerate(replies):
                if o_index == r_index or other.condition != reply.condition:
                    continue
                traits = set(reply.traits) | set(other.traits)
                mine = [reply.traits.get(t, 0) for t in traits]
                theirs = [other.traits.get(t, 0) for t in traits]
                if all(a <= b for a, b in zip(mine, theirs, strict=False)) and any(
                    a < b for a, b in zip(mine, theirs, strict=False)
                ):
                    yield (
                        ("nodes", index, "replies", r_index),
                        f"reply {r_index + 1} of node '{node.id}' is worse on every trait than reply {o_index + 1}",
                    )
                    break
