"""The lint rules, one module each; a module's docstring is its user documentation."""

from __future__ import annotations

from types import ModuleType

from . import (
    asset_escape,
    asset_size,
    dead_end,
    dominated,
    duplicate_id,
    duplicate_reply,
    failed_check,
    missing_asset,
    never_holds,
    no_ending,
    no_pass,
    no_trait,
    trapped_loop,
    unknown_target,
    unknown_trait,
    unreachable,
    unset_flag,
    unused_focus,
)

RULES: list[ModuleType] = [
    unknown_target,
    duplicate_id,
    duplicate_reply,
    unreachable,
    dead_end,
    no_ending,
    trapped_loop,
    no_pass,
    never_holds,
    unknown_trait,
    no_trait,
    dominated,
    unused_focus,
    unset_flag,
    missing_asset,
    asset_escape,
    asset_size,
    failed_check,
]

__all__ = ["RULES"]
