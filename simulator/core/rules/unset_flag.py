"""FL304 flag never set (warning).

A condition reads a flag that no reply sets, so the condition can never be true (or, under
`not`, is always true). Usually a typo in the flag's name.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..conditions import names_used
from ._base import Finding, LintContext
from ._util import suggest

CODE = "FL304"
SEVERITY = "warning"
TITLE = "flag never set"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    flags = {flag for _, _, _, reply in ctx.replies() for flag in reply.set}
    for loc, item in ctx.conditionals():
        for var in names_used(item.expr) if item.expr is not None else ():
            if var.kind == "flag" and var.name not in flags:
                yield loc + ("if",), f"flag '{var.name}' is never set by any reply{suggest(var.name, flags)}"
