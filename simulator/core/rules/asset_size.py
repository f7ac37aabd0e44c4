"""FL402 unusable asset (error).

A mood picture of the persona's avatar set is larger than 1 MiB, or is not a regular file (a
folder, a named pipe, a device), so the app could stall for seconds or never finish reading it;
the app shows the customer-kind icon instead. Keep avatar SVGs small and plain: the bundled ones
are about 3 KB.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..resources import MAX_AVATAR_BYTES
from ._assets import avatar_check
from ._base import Finding, LintContext

CODE = "FL402"
SEVERITY = "error"
TITLE = "unusable asset"


def check(ctx: LintContext) -> Iterator[Finding]:
    persona = ctx.scenario.persona
    if persona is None:
        return
    for problem in avatar_check(ctx, persona.avatar).files:
        if problem.kind == "too_large":
            yield (
                ("persona", "avatar"),
                f"avatar set '{persona.avatar}': {problem.file_name} is {int(problem.detail):,} bytes, over the "
                f"limit of {MAX_AVATAR_BYTES:,} (1 MiB) for a mood picture; simplify the drawing, or save it "
                "as plain SVG without embedded images",
            )
        elif problem.kind == "not_file":
            yield (
                ("persona", "avatar"),
                f"avatar set '{persona.avatar}': {problem.file_name} is {problem.detail}, not a regular file; "
                "replace it with an SVG file",
            )
