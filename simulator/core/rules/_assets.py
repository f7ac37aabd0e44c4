"""The avatar check FL400, FL401 and FL402 share, made once per scenario rather than once per rule."""

from __future__ import annotations

import weakref

from ..resources import AvatarCheck, inspect_avatar
from ._base import LintContext

_last: tuple[weakref.ref[LintContext], str, AvatarCheck] | None = None


def avatar_check(ctx: LintContext, avatar: str) -> AvatarCheck:
    """``inspect_avatar`` for this scenario's persona; the rules run one after another on one context."""
    global _last
    if _last is not None and _last[0]() is ctx and _last[1] == avatar:
        return _last[2]
    found = inspect_avatar(ctx.file_path, avatar)
    _last = (weakref.ref(ctx), avatar, found)
    return found
