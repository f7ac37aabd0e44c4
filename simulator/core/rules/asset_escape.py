"""FL401 asset path leaves the library (error).

The persona's avatar names a path outside the library's `assets/avatars/` folder (for example
`../../secrets`). Assets must live inside the library so it can be shared as one folder.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..resources import resolve_avatar
from ._base import Finding, LintContext

CODE = "FL401"
SEVERITY = "error"
TITLE = "asset path leaves the library"


def check(ctx: LintContext) -> Iterator[Finding]:
    persona = ctx.scenario.persona
    if persona is None:
        return
    _, problem = resolve_avatar(ctx.file_path, persona.avatar)
    if problem == "escapes":
        yield ("persona", "avatar"), f"avatar '{persona.avatar}' points outside assets/avatars/"
