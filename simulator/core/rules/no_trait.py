"""FL301 reply scores no trait (warning).

A reply has no `traits:` (or only zeros), so choosing it teaches the trainee nothing and the
debrief cannot say why it helped or hurt. Give it at least one trait delta.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._base import Finding, LintContext

CODE = "FL301"
SEVERITY = "warning"
TITLE = "reply scores no trait"


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, node, r_index, reply in ctx.replies():
        if not any(reply.traits.values()):
            yield ("nodes", index, "replies", r_index), f"reply {r_index + 1} of node '{node.id}' affects no trait"
