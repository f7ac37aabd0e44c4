"""FL300 unknown trait (error).

A trait id in `focus:`, in a reply's or timeout's `traits:`, or in a `score.TRAIT` condition
is not in the rubric. The message suggests the closest rubric trait.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..conditions import names_used
from ._base import Finding, LintContext
from ._util import suggest

CODE = "FL300"
SEVERITY = "error"
TITLE = "unknown trait"


def check(ctx: LintContext) -> Iterator[Finding]:
    rubric = ctx.rubric
    if rubric is None:
        return
    known = rubric.trait_ids

    def message(trait: str) -> str:
        return f"'{trait}' is not a rubric trait{suggest(trait, known)}"

    for i, trait in enumerate(ctx.scenario.focus or ()):
        if not rubric.has_trait(trait):
            yield ("focus", i), message(trait)
    for index, node in ctx.nodes:
        for r_index, reply in enumerate(node.replies or ()):
            for trait in reply.traits:
                if not rubric.has_trait(trait):
                    yield ("nodes", index, "replies", r_index, "traits", trait), message(trait), True
        if node.timeout is not None:
            for trait in node.timeout.traits:
                if not rubric.has_trait(trait):
                    yield ("nodes", index, "timeout", "traits", trait), message(trait), True
    for loc, item in ctx.conditionals():
        for var in names_used(item.expr) if item.expr is not None else ():
            if var.kind == "score" and not rubric.has_trait(var.name):
                yield loc + ("if",), message(var.name)
