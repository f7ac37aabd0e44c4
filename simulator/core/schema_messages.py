"""Pydantic's validation errors in a trainer's words: what is wrong, where (1-based), and how to fix it.

``nodes.2.replies.0.traits.patience: input should be a valid integer`` becomes
``reply 1 of node 'insult': trait deltas are whole numbers from -3 to 3, not the text 'high'``,
positioned at the value itself.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from .conditions import ConditionError, parse_condition
from .models import DELTA_MAX, DELTA_MIN
from .safe_yaml import Position, position_of

_KEY_MARK = "[key]"


@dataclass(frozen=True)
class Explained:
    code: str
    pos: Position
    message: str
    fix: str | None = None


def _label(raw: Any, index: int, noun: str) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"]:
        return f"{noun} '{raw['id']}'"
    return f"{noun} {index + 1}"


def where(data: Any, loc: tuple[Any, ...]) -> str:
    """'reply 1 of node 'insult'', 'the timeout of node 'x'', 'persona', or '' for the top level."""
    parts: list[str] = []
    node: Any = data
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        child = node.get(part) if isinstance(node, dict) else None
        if (
            isinstance(part, str)
            and isinstance(nxt, int)
            and part in ("nodes", "replies", "routes", "traits", "sources")
        ):
            items = child if isinstance(child, list) else []
            raw = items[nxt] if 0 <= nxt < len(items) else None
            noun = {"nodes": "node", "replies": "reply", "routes": "route", "traits": "trait", "sources": "source"}[
                part
            ]
            parts.append(_label(raw, nxt, noun) if part in ("nodes", "traits") else f"{noun} {nxt + 1}")
            node = raw
            i += 2
            continue
        if part in ("persona", "timeout", "ending") and isinstance(child, dict):
            parts.append("persona" if part == "persona" else f"the {part}")
            node = child
            i += 1
            continue
        break
    return " of ".join(reversed(parts))


def _field_name(loc: tuple[Any, ...]) -> str:
    names = [p for p in loc if isinstance(p, str) and p != _KEY_MARK]
    return names[-1] if names else "the file"


def _in_traits(loc: tuple[Any, ...]) -> bool:
    """Whether loc names a value (or key) inside a reply's or timeout's `traits:` mapping."""
    core = loc[:-1] if loc and loc[-1] == _KEY_MARK else loc
    return len(core) >= 2 and core[-2] == "traits" and isinstance(core[-1], str) and "nodes" in loc


def _constraints(model: type[BaseModel] | None, name: str) -> dict[str, Any]:
    if model is None or name not in _fields_by_alias(model):
        return {}
    info = _fields_by_alias(model)[name]
    found: dict[str, Any] = {}
    for meta in info.metadata:
        for attr in ("ge", "le", "min_length", "max_length", "pattern"):
            value = getattr(meta, attr, None)
            if value is not None:
                found[attr] = value
    if info.description:
        found["description"] = info.description
    return found


def _fields_by_alias(model: type[BaseModel]) -> dict[str, Any]:
    return {info.alias or name: info for name, info in model.model_fields.items()}


def describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:40]!r}" if value else "empty text"
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + "..."


def _range(c: dict[str, Any]) -> str:
    if "ge" in c and "le" in c:
        return f" from {c['ge']} to {c['le']}"
    if "ge" in c:
        return f" of at least {c['ge']}"
    if "le" in c:
        return f" of at most {c['le']}"
    return ""


def _as_id(value: str) -> str:
    """A valid identifier close to what was written: 'the done' -> 'the_done'."""
    slug = re.sub(r"[^A-Za-z0-9_-]+", "_", value.strip()).strip("_-")
    if slug and not slug[0].isalpha():
        slug = "n" + slug
    return slug[:80]


def explain(
    error: Any, data: Any, parts: dict[str, type[BaseModel]], source_lines: list[str] | None = None
) -> Explained:
    """One pydantic error (a dict from ``ValidationError.errors()``) as code, position, message and fix."""
    loc = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    place = where(data, loc[:-1] if loc and loc[-1] != _KEY_MARK else loc[:-2])
    prefix = f"{place}: " if place else ""
    name = _field_name(loc)
    model = _model_for(loc, parts)
    limits = _constraints(model, name)

    if kind == "missing":
        pos = position_of(data, loc[:-1])
        whose = place or "the scenario"
        hint = limits.get("description", "")
        hint = f" ({hint.rstrip('.')})" if hint else ""
        fix = f"add '{loc[-1]}:'"
        return Explained("FL100", pos, f"{whose} has no '{loc[-1]}', which is required: {fix}{hint}", fix)

    if kind == "extra_forbidden":
        pos = position_of(data, loc, want_key=True)
        known = list(_fields_by_alias(model)) if model is not None else []
        close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
        whose = place or "the top level"
        if close:
            fix = f"rename it to '{close[0]}'"
            return Explained("FL102", pos, f"{whose}: unknown key '{loc[-1]}' (did you mean '{close[0]}'?); {fix}", fix)
        keys = ", ".join(known)
        return Explained(
            "FL102",
            pos,
            f"{whose}: unknown key '{loc[-1]}'; the keys allowed here are {keys}"
            if keys
            else f"unknown key '{loc[-1]}'",
        )

    if kind == "condition_syntax":
        return _condition(error, data, loc, place, source_lines)

    if kind == "node_shape":
        pos = position_of(data, loc)
        place = where(data, loc)
        found = ctx.get("found")
        whose = place or "this node"
        if found is None:  # a timeout without replies
            fix = "move the timeout to a node with replies, or remove it"
            return Explained("FL105", pos, f"{whose}: only a node with replies can have a timeout; {fix}", fix)
        if found == "none":
            fix = "add replies: (the trainee answers), routes: (automatic branches) or ending:"
            return Explained(
                "FL105", pos, f"{whose} has none of replies, routes or ending, so nothing can happen there; {fix}", fix
            )
        fix = "keep one and move the others to a node of their own"
        return Explained(
            "FL105", pos, f"{whose} has {found.replace(', ', ' and ')}, but a node has exactly one of them; {fix}", fix
        )

    if loc in (("format",), ("rubric",)):
        fix = f"write '{loc[0]}: 1'"
        return Explained(
            "FL103",
            position_of(data, loc),
            f"unsupported {loc[0]} {describe(value)}; this Frontline reads {loc[0]} 1: {fix}",
            fix,
        )

    want_key = bool(loc) and loc[-1] == _KEY_MARK
    pos = position_of(data, loc[:-1] if want_key else loc, want_key=want_key)
    raw_nodes = data.get("nodes") if isinstance(data, dict) else None
    node_ids = (
        [n["id"] for n in raw_nodes if isinstance(n, dict) and isinstance(n.get("id"), str)]
        if isinstance(raw_nodes, list)
        else []
    )
    message, hint = _invalid_value(kind, value, ctx, name, loc, limits, error.get("msg", ""), node_ids)
    return Explained("FL101", pos, prefix + message, hint)


def _model_for(loc: tuple[Any, ...], parts: dict[str, type[BaseModel]]) -> type[BaseModel] | None:
    """The model of the mapping that holds the last field of loc."""
    names = [p for p in loc[:-1] if isinstance(p, str) and p != _KEY_MARK]
    return parts.get(names[-1] if names else "")


def _invalid_value(
    kind: str,
    value: Any,
    ctx: dict[str, Any],
    name: str,
    loc: tuple[Any, ...],
    limits: dict[str, Any],
    pydantic_message: str,
    node_ids: list[str],
) -> tuple[str, str | None]:
    got = describe(value)
    if _in_traits(loc):
        if loc[-1] == _KEY_MARK:
            key = str(loc[-2])
            fix = f"write '{_as_id(key)}'" if _as_id(key) else None
            return (
                f"'{key}' cannot be a trait id: trait ids are letters, digits, '_' and '-', starting with a letter"
                + (f"; {fix}" if fix else ""),
                fix,
            )
        if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+", value.strip()):
            fix = f"remove the quotes: {loc[-1]}: {value.strip()}"
            return f"trait deltas are whole numbers from {DELTA_MIN} to {DELTA_MAX}, not {got}; {fix}", fix
        fix = f"use a whole number from {DELTA_MIN} to {DELTA_MAX}, such as 2 (helps) or -1 (hurts)"
        return f"trait deltas are whole numbers from {DELTA_MIN} to {DELTA_MAX}, not {got}; {fix}", fix
    if name == "traits" and kind in ("dict_type", "model_type"):
        fix = "write them as a mapping, such as {empathy: 2, ownership: -1}"
        return f"traits are a mapping of trait ids to whole numbers, not {got}; {fix}", fix

    item = isinstance(loc[-1], int) if loc else False
    what = f"item {loc[-1] + 1} of '{name}'" if item else f"'{name}'"
    if kind in ("int_type", "int_parsing", "int_from_float", "greater_than_equal", "less_than_equal"):
        if item:
            limits = {}
        span = _range(limits)
        if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+", value.strip()):
            fix = f"remove the quotes: {name}: {value.strip()}"
            return f"{what} is a whole number{span}, not {got}; {fix}", fix
        if span:
            fix = f"use a whole number{span}"
            return f"{what} is a whole number{span}, not {got}; {fix}", fix
        return f"{what} is a whole number, not {got}", None
    if kind == "bool_type":
        fix = "write true or false (no quotes)"
        return f"{what} is true or false, not {got}; {fix}", fix
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace("'", "")
        options = [o.strip() for o in re.split(r",| or ", expected) if o.strip()]
        shown = ", ".join(options[:-1]) + f" or {options[-1]}" if len(options) > 1 else expected
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.5) if isinstance(value, str) else []
        fix = f"write '{close[0]}'" if close else f"write one of {shown}"
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{what} is one of {shown}, not {got}{hint}; {fix}", fix
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        close = difflib.get_close_matches(value, node_ids, n=1, cutoff=0.6) if name in ("to", "start") else []
        suggestion = close[0] if close else _as_id(value)
        fix = f"write '{suggestion}'" if suggestion else None
        return (
            f"{what} is an id, made of letters, digits, '_' and '-' and starting with a letter, not {got}"
            + (f"; {fix}" if fix else ""),
            fix,
        )
    if kind == "string_type":
        if isinstance(value, (int, float, bool)) and not isinstance(value, bool):
            fix = f'put it in quotes: {name}: "{value}"'
            return f"{what} is text, not the number {value}; {fix}", fix
        if isinstance(value, bool):
            fix = f'put it in quotes: {name}: "{value and "true" or "false"}"'
            return f"{what} is text, not {got}; {fix}", fix
        if value is None:
            fix = f"write the text after '{name}:', or remove the line"
            return f"{what} is empty; {fix}", fix
        return f"{what} is text, not {got}", None
    if kind == "string_too_short":
        fix = f"write something after '{name}:', or remove the line if it is optional"
        return f"{what} must not be empty; {fix}", fix
    if kind == "string_too_long":
        most = ctx.get("max_length", limits.get("max_length"))
        length = len(value) if isinstance(value, str) else 0
        return f"{what} is {length:,} characters long and may be at most {most:,}; shorten it", "shorten it"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        noun = {"focus": "trait id", "nodes": "node", "replies": "reply", "routes": "route"}.get(name, "item")
        example = {"focus": ", such as focus: [empathy]"}.get(name, "")
        fix = f"add at least {least}{example}"
        count = f"{least} {noun}" if least == 1 else f"{least} {'replies' if noun == 'reply' else noun + 's'}"
        return f"{what} needs at least {count}, and has none; {fix}", fix
    if kind == "too_long":
        most = ctx.get("max_length")
        actual = ctx.get("actual_length")
        fix = {"replies": "keep the strongest and move the rest to a follow-up node"}.get(name, "remove some")
        return f"{what} may have at most {most} items, and has {actual}; {fix}", fix
    if kind == "list_type":
        fix = f"write it as a list, such as {name}: [a, b]"
        return f"{what} is a list, not {got}; {fix}", fix
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        fix = f"write its fields on the lines under '{name}:', indented"
        return f"{what} is a mapping of fields (key: value), not {got}; {fix}", fix
    text = pydantic_message[:1].lower() + pydantic_message[1:] if pydantic_message else "invalid value"
    return f"{what}: {text}, not {got}", None


def _condition(error: Any, data: Any, loc: tuple[Any, ...], place: str, source_lines: list[str] | None) -> Explained:
    text = error.get("input")
    line, col = position_of(data, loc)
    whose = f"the condition of {place}" if place else "this condition"
    if not isinstance(text, str):
        return Explained("FL104", (line, col), f"{whose} is not text: write it as, for example, if: mood >= 0")
    limit = False
    try:
        parse_condition(text)
    except ConditionError as exc:
        column, message, fix, limit = exc.column, str(exc), exc.fix, exc.limit
    else:  # pragma: no cover - the model refused it, so it does not parse
        column, message, fix = 1, str(error.get("msg", "")), None
    shown = f" ('{text}')" if len(text) <= 60 else ""
    pos = (line, col) if limit else _condition_position(source_lines, (line, col), text, column)
    return Explained("FL104", pos, f"{whose}{shown} cannot be read at column {column} of the condition: {message}", fix)


def _condition_position(lines: list[str] | None, start: Position, text: str, column: int) -> Position:
    """Where character ``column`` of the condition stands in the file, when the file holds the condition
    on one line as written (plain or quoted, with no escapes before it); else the condition's start."""
    line, col = start
    if lines is None or not 1 <= line <= len(lines):
        return start
    rest = lines[line - 1][col - 1 :]
    before = text[: column - 1]
    if rest.startswith(before):
        return line, col + column - 1
    if rest[:1] in ("'", '"') and rest[1:].startswith(before):
        return line, col + column
    return start
