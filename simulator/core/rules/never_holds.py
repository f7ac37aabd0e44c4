"""FL208 condition never holds (warning).

A reply or route has an `if:` that no play can ever satisfy, so the reply is never offered or the
route never taken; or a node can be reached only through such replies and routes, so no trainee
will ever see it. Frontline follows every play the way the engine does (mood, flags, and the scores
and visits when conditions read them) to find out: for example, a route `if: mood >= 0` where every
way to it arrives with the mood between -4 and -1. Change the condition, or what leads up to it (a
reply's `mood:` or `set:`), or remove the branch. A scenario with too many states to search within
the budget is not checked, and a condition that reads a flag no reply sets is left to FL304.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..conditions import names_used
from ..state_search import search_states
from ._base import Finding, LintContext

CODE = "FL208"
SEVERITY = "warning"
TITLE = "condition never holds"
WHOLE_SCENARIO = True  # needs every node, so it is skipped while some nodes are invalid
MAX_STATES = 20_000  # lint runs on every file: a scenario with more states is not checked


def check(ctx: LintContext) -> Iterator[Finding]:
    scenario = ctx.scenario
    if not scenario.has_node(scenario.start_id):
        return
    if not any(item.expr is not None for _, item in ctx.conditionals()):
        return  # nothing conditional: every edge of the graph can be taken, so FL202 says it all
    found = search_states(scenario, MAX_STATES)
    if not found.complete:
        return
    flags_set = {flag for _, _, _, reply in ctx.replies() for flag in reply.set}
    reachable = ctx.analysis.reachable
    seen: set[str] = set()
    for index, node in ctx.nodes:
        if node.id in seen:
            continue
        seen.add(node.id)
        if node.id not in found.entered:
            if node.id in reachable:
                yield (
                    ("nodes", index, "id"),
                    f"node '{node.id}' can never be reached: every way to it goes through a reply or route whose "
                    "condition never holds; change those conditions, or link the node from somewhere a play gets to",
                )
            continue
        for kind, items in (("replies", node.replies or ()), ("routes", node.routes or ())):
            for r_index, item in enumerate(items):
                if item.expr is None or (node.id, kind, r_index) in found.held:
                    continue
                names = names_used(item.expr)
                if any(v.kind == "flag" and v.name not in flags_set for v in names):
                    continue  # FL304 already says the flag is never set
                what = f"reply {r_index + 1}" if kind == "replies" else f"route {r_index + 1}"
                effect = "is never offered" if kind == "replies" else "is never taken"
                low, high = found.moods.get(node.id, (0, 0))
                mood = ""
                if any(v.kind == "mood" for v in names):
                    span = f"{low}" if low == high else f"{low} to {high}"
                    mood = f" (every play arrives here with mood {span})"
                yield (
                    ("nodes", index, kind, r_index, "if"),
                    f"{what} of node '{node.id}' {effect}: its condition '{item.condition}' never holds on any way "
                    f"through the scenario{mood}; change the condition or what leads here, or remove it",
                )
