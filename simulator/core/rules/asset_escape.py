"""FL401 asset path leaves the library (error).

The persona's avatar names a path outside the library's `assets/avatars/` folder (for example
`../../secrets`), or a mood picture in the set is a link to a file outside that folder.
Assets must live inside the library so it can be shared as one folder, and so a scenario cannot
make the app read any other file on the trainee's machine.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._assets import avatar_check
from ._base import Finding, LintContext

CODE = "FL401"
SEVERITY = "error"
TITLE = "asset path leaves the library"


def check(ctx: LintContext) -> Iterator[Finding]:
    persona = ctx.scenario.persona
    if persona is None:
        return
    found = avatar_check(ctx, persona.avatar)
    if found.problem == "escapes":
        yield (
            ("persona", "avatar"),
            f"avatar '{persona.avatar}' points outside assets/avatars/; name a set folder inside it",
        )
    for problem in found.files:
        if problem.kind == "escapes":
            yield (
                ("persona", "avatar"),
                f"avatar set '{persona.avatar}': {problem.file_name} is a link to {problem.detail}, outside "
                "assets/avatars/, so the app will not show it; copy the picture into the set instead of linking",
            )
