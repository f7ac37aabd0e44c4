"""FL303 focus trait never scored (warning).

A trait listed in `focus:` is not scored by any reply or timeout, so the trainee is told it is
assessed when it is not.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..analysis import edges_of
from ._base import Finding, LintContext

CODE = "FL303"
SEVERITY = "warning"
TITLE = "focus trait never scored"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid


def check(ctx: LintContext) -> Iterator[Finding]:
    scored = {t for _, node in ctx.nodes for e in edges_of(node) for t, d in e.deltas.items() if d}
    for i, trait in enumerate(ctx.scenario.focus or ()):
        if trait not in scored:
            yield ("focus", i), f"focus trait '{trait}' is not scored by any reply"
