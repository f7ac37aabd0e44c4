"""FL207 duplicate reply (error).

Two replies of one node have the same `id`, or no `id` and the same text. Attempt records and
debriefs name the reply a trainee chose by its `id` (or, without one, by its text), so they
could not tell these two apart, and a trainee could not either. Give one of them its own `id`,
or reword or remove the copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..safe_yaml import position_of
from ._base import Finding, LintContext

CODE = "FL207"
SEVERITY = "error"
TITLE = "duplicate reply"


def check(ctx: LintContext) -> Iterator[Finding]:
    for index, node in ctx.nodes:
        first: dict[str, tuple[Any, ...]] = {}
        for r_index, reply in enumerate(node.replies or ()):
            explicit = reply.id is not None
            loc: tuple[Any, ...] = ("nodes", index, "replies", r_index, "id" if explicit else "text")
            if reply.reply_id in first:
                line = position_of(ctx.data, first[reply.reply_id])[0]
                what = f"id '{reply.id}'" if explicit else "text"
                yield loc, f"reply {r_index + 1} of node '{node.id}' has the same {what} as the reply at line {line}"
            else:
                first[reply.reply_id] = loc
