"""FL400 missing asset (error).

The persona's avatar set is not found, or lacks one of the mood pictures (furious, annoyed,
neutral, confused, satisfied), or its name cannot be a folder's (it holds a control character
such as a NUL byte). Sets are looked up in `assets/avatars/` beside the scenario, then in the
bundled library.
"""

from __future__ import annotations

from collections.abc import Iterator

from ._assets import avatar_check
from ._base import Finding, LintContext

CODE = "FL400"
SEVERITY = "error"
TITLE = "missing asset"


def check(ctx: LintContext) -> Iterator[Finding]:
    persona = ctx.scenario.persona
    if persona is None:
        return
    found = avatar_check(ctx, persona.avatar)
    if found.problem == "invalid":
        yield (
            ("persona", "avatar"),
            f"avatar set name {persona.avatar!r} holds a control character, which no folder name can; "
            "name a folder under assets/avatars/, such as 'default'",
        )
    elif found.problem == "missing":
        yield (
            ("persona", "avatar"),
            f"avatar set '{persona.avatar}' not found: there is no folder assets/avatars/{persona.avatar}/ "
            "beside the scenario or in the bundled library; create it with the five mood pictures, "
            "or name an existing set",
        )
    else:
        missing = [f.file_name for f in found.files if f.kind == "missing"]
        if missing:
            yield (
                ("persona", "avatar"),
                f"avatar set '{persona.avatar}' lacks {', '.join(missing)}; every set needs all five mood pictures",
            )
