"""FL400 missing asset (error).

The persona's avatar set is not found, or lacks one of the mood pictures (furious, annoyed,
neutral, confused, satisfied). Sets are looked up in `assets/avatars/` beside the scenario,
then in the bundled library.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..resources import AVATAR_MOODS, avatar_file, resolve_avatar
from ._base import Finding, LintContext

CODE = "FL400"
SEVERITY = "error"
TITLE = "missing asset"


def check(ctx: LintContext) -> Iterator[Finding]:
    persona = ctx.scenario.persona
    if persona is None:
        return
    folder, problem = resolve_avatar(ctx.file_path, persona.avatar)
    if problem == "missing":
        yield ("persona", "avatar"), f"avatar set '{persona.avatar}' not found in assets/avatars/"
    elif folder is not None:
        missing = [m for m in AVATAR_MOODS if not Path(avatar_file(folder, m)).is_file()]
        if missing:
            yield ("persona", "avatar"), f"avatar set '{persona.avatar}' lacks {', '.join(m + '.svg' for m in missing)}"
