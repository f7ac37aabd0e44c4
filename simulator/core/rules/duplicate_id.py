"""FL201 duplicate node id (error).

Two nodes share an id, so replies that lead there are ambiguous. The message names the line
of the first node with that id; the engine would only ever reach the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..safe_yaml import position_of
from ._base import Finding, LintContext

CODE = "FL201"
SEVERITY = "error"
TITLE = "duplicate node id"


def check(ctx: LintContext) -> Iterator[Finding]:
    first: dict[str, tuple[Any, ...]] = {}
    for index, node in ctx.nodes:
        loc = ("nodes", index, "id")
        if node.id in first:
            line = position_of(ctx.data, first[node.id])[0]
            yield loc, f"node id '{node.id}' is already used at line {line}"
        else:
            first[node.id] = loc
