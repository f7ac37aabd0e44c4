"""Rebuild the usable part of an invalid node, so the graph checks still run on a file with schema errors.

A reply whose trait delta is ``high`` is an FL101 error, but the node still has its id, its replies and
where they lead; lint should still say that some other node is unreachable or that a flag is never
set. ``salvage_node`` repairs a copy of the raw node just enough to validate: a bad value is clamped
or dropped, a missing text gets a placeholder, and a reply or route that has no usable target is left
out. Which replies and routes survived is recorded, so findings on the repaired node still point at
the right place in the file. The repaired node is for the graph checks only: the file stays invalid.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from .models import DELTA_MAX, DELTA_MIN, Node

MAX_ROUNDS = 6
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*\Z")
_PLACEHOLDER = "(invalid)"
_REQUIRED_TEXT = frozenset({"text", "why", "summary"})
_REMOVED = object()


@dataclass
class Salvaged:
    node: Node
    repaired: bool  # False when the node was valid as written
    kept: dict[str, list[int]] = field(default_factory=dict)  # "replies"/"routes": raw index of each kept item


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _delta(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return max(DELTA_MIN, min(DELTA_MAX, value))
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]{1,9}", value.strip()):
        return max(DELTA_MIN, min(DELTA_MAX, int(value)))
    return 1  # a score was meant: keep the trait scored, so no "never scored" warning follows from the typo


def _fix_traits(owner: dict[str, Any], sub: tuple[Any, ...]) -> None:
    traits = owner.get("traits")
    if len(sub) == 1 or not isinstance(traits, dict):
        owner["traits"] = {}
    elif sub[-1] == "[key]":
        traits.pop(sub[1], None)
    else:
        traits[sub[1]] = _delta(traits.get(sub[1]))


def _fix_field(
    owner: dict[str, Any],
    sub: tuple[Any, ...],
    kind: str,
    *,
    needs_target: bool,
    node_ids: list[str] = (),  # type: ignore[assignment]
) -> bool:
    """Repair one error inside a reply, route or timeout; False when the whole item must go."""
    name = sub[0]
    if name == "to" and needs_target:
        if kind == "missing" and "to" in owner:
            return True  # an unknown key close to 'to' was renamed this round
        # 'the done' for 'done': follow the node the message suggests, so its reachability is still judged right
        target = owner.get("to")
        close = difflib.get_close_matches(target, node_ids, n=1, cutoff=0.6) if isinstance(target, str) else []
        if close:
            owner["to"] = close[0]
            return True
        return False
    if kind == "extra_forbidden":
        value = owner.pop(name, None)
        candidates = ["to", "text", "why"] if needs_target else []
        close = difflib.get_close_matches(str(name), candidates, n=1, cutoff=0.6)
        if close and close[0] != name and close[0] not in owner:
            owner[close[0]] = value  # 'too: lost' meant 'to: lost'
        return True
    if name == "traits":
        _fix_traits(owner, sub)
    elif name in ("set", "clear"):
        items = owner.get(name)
        owner[name] = [x for x in items if isinstance(x, str) and _ID.match(x)] if isinstance(items, list) else []
    elif name in _REQUIRED_TEXT:
        owner[name] = _PLACEHOLDER
    elif name == "seconds":
        owner[name] = 30
    else:
        owner.pop(name, None)
    return True


def salvage_node(raw: Any, node_ids: list[str] | None = None) -> Salvaged | None:
    """The node as written if valid, else a repaired copy that validates, or None when nothing usable is left."""
    try:
        return Salvaged(Node.model_validate(raw), False)
    except ValidationError:
        pass
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not _ID.match(raw["id"]):
        return None
    node = _plain(raw)
    kept = {name: list(range(len(node[name]))) for name in ("replies", "routes") if isinstance(node.get(name), list)}
    for _ in range(MAX_ROUNDS):
        try:
            return Salvaged(Node.model_validate(node), True, kept)
        except ValidationError as exc:
            errors = exc.errors()
        # Unknown keys first: 'too: lost' renamed to 'to' answers the missing 'to' of the same reply.
        for error in sorted(errors, key=lambda e: e["type"] != "extra_forbidden"):
            if not _apply(node, tuple(error["loc"]), error["type"], error.get("ctx") or {}, node_ids or []):
                return None
        for name, indexes in kept.items():
            items = node.get(name)
            if isinstance(items, list):
                kept[name] = [i for i, item in zip(indexes, items, strict=False) if item is not _REMOVED]
                node[name] = [item for item in items if item is not _REMOVED]
    return None


def _apply(node: dict[str, Any], loc: tuple[Any, ...], kind: str, ctx: dict[str, Any], node_ids: list[str]) -> bool:
    """Repair one validation error of a node in place; False when the node cannot be salvaged."""
    if not loc:
        if kind == "node_shape" and ctx.get("found") is None:  # a timeout on a node without replies
            node.pop("timeout", None)
            return True
        return False
    head = loc[0]
    if head in ("replies", "routes"):
        items = node.get(head)
        if len(loc) == 1:
            if kind == "too_long" and isinstance(items, list):
                del items[int(ctx.get("max_length", len(items))) :]
                return True
            return False
        if not isinstance(items, list) or not isinstance(loc[1], int) or loc[1] >= len(items):
            return False
        item = items[loc[1]]
        if item is _REMOVED:
            return True
        if len(loc) == 2 or not isinstance(item, dict):
            items[loc[1]] = _REMOVED
            return True
        if not _fix_field(item, loc[2:], kind, needs_target=True, node_ids=node_ids):
            items[loc[1]] = _REMOVED
        return True
    if head == "timeout":
        timeout = node.get("timeout")
        if (
            len(loc) == 1
            or not isinstance(timeout, dict)
            or not _fix_field(timeout, loc[1:], kind, needs_target=True, node_ids=node_ids)
        ):
            node.pop("timeout", None)
        return True
    if head == "ending":
        ending = node.get("ending")
        if len(loc) == 1 or not isinstance(ending, dict):
            node["ending"] = {"outcome": "unknown", "summary": _PLACEHOLDER}
        elif loc[1] == "outcome":
            ending["outcome"] = "unknown"
        else:
            _fix_field(ending, loc[1:], kind, needs_target=False)
        return True
    if head == "id":
        return False
    node.pop(head, None)  # customer, narration, shuffle, or an unknown key
    return True
