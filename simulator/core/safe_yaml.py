"""Hostile-proof YAML reading: plain data with source positions, built in one pass over parser events.

PyYAML's composer recurses (the C one segfaults near 50,000 levels) and expands aliases and
merge keys, so this module never composes: it walks the event stream itself, refuses tags,
anchors, aliases, merge keys, duplicate keys and deep nesting as it goes, and resolves plain
scalars with the YAML 1.2 core rules (``no`` stays the string "no").

Deep nesting may be stopped by this module (past ``MAX_DEPTH``) or, first, by libyaml itself:
since 0.2.6 its scanner refuses 1,000 levels, and it reads that far ahead in a line of ``[[[[``
before handing over a single event. Either way the trainer gets the same FL007 diagnostic.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .diagnostics import Diagnostic, Severity
from .yaml_errors import explain_syntax, mark_position

try:  # the C parser is much faster; the pure one gives the same events
    from yaml._yaml import CParser as _Parser

    _BYTE_OFFSETS = True  # its reader errors give an offset in bytes, the pure reader's in characters
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _BYTE_OFFSETS = False
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader as _Reader
    from yaml.scanner import Scanner as _Scanner

    class _Parser(_Reader, _Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            _Reader.__init__(self, stream)
            _Scanner.__init__(self)
            _PyParser.__init__(self)


MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 64
MAX_ELEMENTS = 1_000_000
# No mapping in a scenario or rubric has more than a few dozen keys; a file of 400,000 keys took a minute
# and a gigabyte to report one unknown key at a time, so reading stops at the first key over this.
MAX_KEYS = 1_000
# Longer plain integers are refused (FL101): no value in a scenario or rubric comes close, and
# Python refuses to convert or print integers of more than 4,300 digits (sys.int_max_str_digits).
MAX_INT_DIGITS = 100

TOO_DEEP = (
    f"nested too deeply: lists and mappings may sit at most {MAX_DEPTH} levels inside each other; "
    "flatten this part of the file, or close a '[' or '{' left open"
)
TOO_MANY_KEYS = (
    f"more than {MAX_KEYS:,} keys in one mapping, and no part of a scenario or rubric has more than a few dozen, "
    "so reading stopped here; check that this part of the file is indented as intended"
)
# What libyaml says when its own nesting limit stops it first (scanner and parser alike).
_LIBYAML_TOO_DEEP = "maximum nesting depth"

Position = tuple[int, int]


class LocDict(dict):  # type: ignore[type-arg]
    """A mapping that remembers where it, each key and each value stood (1-based line, col).

    The top-level mapping also keeps the text it was read from (``source``), so a message can point
    inside a value, such as at the bad character of a condition.
    """

    __slots__ = ("pos", "key_pos", "value_pos", "source")

    def __init__(self, pos: Position) -> None:
        super().__init__()
        self.pos = pos
        self.key_pos: dict[Any, Position] = {}
        self.value_pos: dict[Any, Position] = {}
        self.source: str | None = None


class LocList(list):  # type: ignore[type-arg]
    """A sequence that remembers where it and each item stood."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Position) -> None:
        super().__init__()
        self.pos = pos
        self.item_pos: list[Position] = []


@dataclass
class YamlResult:
    data: Any
    diagnostics: list[Diagnostic]


_INT = re.compile(r"[-+]?[0-9]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_TRUE = frozenset({"true", "True", "TRUE"})
_FALSE = frozenset({"false", "False", "FALSE"})


class NumberTooLong(ValueError):
    """A plain integer with more than MAX_INT_DIGITS digits, refused before ``int()`` sees it."""

    def __init__(self, digits: int) -> None:
        super().__init__(f"{digits} digits")
        self.digits = digits


def resolve_plain(value: str) -> Any:
    """YAML 1.2 core schema resolution for an unquoted scalar; NumberTooLong for a huge integer."""
    if value in _NULLS:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    first = value[0]
    if first.isdigit() or first in "+-.":
        if _INT.match(value):
            digits = len(value) - (first in "+-")
            if digits > MAX_INT_DIGITS:
                raise NumberTooLong(digits)
            return int(value)
        if _HEX.match(value):
            if len(value) - 2 > MAX_INT_DIGITS:
                raise NumberTooLong(len(value) - 2)
            return int(value, 16)
        if _FLOAT.match(value) and any(c.isdigit() for c in value):
            return float(value)
    return value


def _line_col_of_offset(text: bytes, offset: int) -> Position:
    before = text[:offset]
    line = before.count(b"\n") + 1
    col = offset - (before.rfind(b"\n") + 1) + 1
    return line, col


def too_large(path: str, size: int, exact: bool = True) -> Diagnostic:
    """FL002 for a file of ``size`` bytes (or, when not ``exact``, of more than that)."""
    amount = f"{size:,} bytes" if exact else f"more than {MAX_BYTES:,} bytes"
    return Diagnostic(
        path,
        1,
        1,
        "FL002",
        Severity.ERROR,
        f"this file is {amount} and a scenario or rubric may be at most {MAX_BYTES:,} (8 MiB), so it was not "
        "read; check that it is the file you meant, or split it into several scenarios",
    )


def decode_utf8(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    if len(raw) > MAX_BYTES:
        return None, [too_large(path, len(raw))]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(raw, exc.start)
        return None, [
            Diagnostic(path, line, col, "FL001", Severity.ERROR, f"byte 0x{raw[exc.start]:02x} is not valid UTF-8")
        ]
    if text.startswith("\ufeff"):
        text = text[1:]
    return text, []


def load_yaml(text: str, path: str, list_limits: Mapping[str, tuple[int, str]] | None = None) -> YamlResult:
    """Read one YAML document into LocDict/LocList/scalars, or report every refusal found.

    ``list_limits`` maps a top-level key to the most items its list may hold and the FL101 message
    for one more (a scenario's ``nodes``): reading stops at the first item over the limit, so an
    oversized file costs no more than one at the limit.
    """
    diags: list[Diagnostic] = []
    limits = list_limits or {}

    def report(mark: Any, code: str, message: str) -> None:
        diags.append(Diagnostic(path, mark.line + 1, mark.column + 1, code, Severity.ERROR, message))

    # Each stack frame: [container, pending_key, pending_key_pos, item_limit or None]
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    elements = 0
    too_many = False
    parser = _Parser(text)
    # Hot loop: the event classes as locals, and each plain scalar resolved once per file (keys and small
    # values repeat thousands of times, and their resolved forms are immutable, so sharing them is safe).
    scalar_event, mapping_start, sequence_start = yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent
    resolved: dict[str, Any] = {}
    try:
        while True:
            # Any: the C parser's events are typed as the base Event, which has none of their fields
            event: Any = parser.get_event()
            if event is None:
                break
            etype = type(event)
            if etype is scalar_event or etype is mapping_start or etype is sequence_start:
                elements += 1
                if elements > MAX_ELEMENTS and not too_many:
                    too_many = True
                    report(event.start_mark, "FL009", f"more than {MAX_ELEMENTS:,} elements in one file")
                    break
                top = stack[-1] if stack else None
                if top is not None and top[3] is not None and len(top[0]) >= top[3][0]:
                    report(event.start_mark, "FL101", top[3][1])
                    break
                if top is not None and len(top[0]) >= MAX_KEYS and top[1] is _NO_KEY and type(top[0]) is LocDict:
                    report(event.start_mark, "FL009", TOO_MANY_KEYS)
                    break
                if event.anchor is not None:
                    report(event.start_mark, "FL005", f"anchor '&{event.anchor}' is not allowed")
                tag = event.tag
                if tag is not None and tag != "!":
                    report(event.start_mark, "FL004", f"tag '{tag}' is not allowed")
                start = event.start_mark
                pos = (start.line + 1, start.column + 1)
                if etype is scalar_event:
                    value: Any = event.value
                    if not event.style and event.implicit[0]:
                        plain = value
                        value = resolved.get(plain, _NO_KEY)
                        if value is _NO_KEY:
                            try:
                                value = resolved[plain] = resolve_plain(plain)
                            except NumberTooLong as exc:
                                report(start, "FL101", _number_too_long(exc.digits))
                                value = None
                    if top is None:
                        root = value
                        continue
                    if type(top[0]) is LocList:  # a list item: no call needed
                        top[0].append(value)
                        top[0].item_pos.append(pos)
                        continue
                    _add(top, value, pos, event, report)
                    continue
                if len(stack) >= MAX_DEPTH:
                    report(start, "FL007", TOO_DEEP)
                    break
                container: Any = LocDict(pos) if etype is mapping_start else LocList(pos)
                limit = None
                if top is not None:
                    if len(stack) == 1 and etype is sequence_start and type(top[1]) is str:
                        limit = limits.get(top[1])
                    _add(top, container, pos, event, report)
                else:
                    root = container
                stack.append([container, _NO_KEY, None, limit])
            elif etype is yaml.MappingEndEvent or etype is yaml.SequenceEndEvent:
                stack.pop()
            elif etype is yaml.AliasEvent:
                report(event.start_mark, "FL005", f"alias '*{event.anchor}' is not allowed")
                if stack:
                    # keep the mapping's key/value pairing in step
                    _add(stack[-1], None, (event.start_mark.line + 1, event.start_mark.column + 1), event, None)
            elif etype is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    report(event.start_mark, "FL010", "only one YAML document is allowed per file")
                    break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if _LIBYAML_TOO_DEEP in (exc.problem or "") and mark is not None:
            report(mark, "FL007", TOO_DEEP)
            return YamlResult(None, diags)
        found = explain_syntax(
            text, exc.problem, mark_position(exc.problem_mark), exc.context, mark_position(exc.context_mark)
        )
        diags.append(Diagnostic(path, found.line, found.col, "FL003", Severity.ERROR, found.message, found.fix))
        return YamlResult(None, diags)
    except yaml.YAMLError as exc:  # reader errors (control characters) carry no mark object
        line, col = 1, 1
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            # libyaml counts this offset in bytes of UTF-8, so after a non-ASCII character a character
            # offset would land past the end of the line.
            prefix = text[:position]
            if _BYTE_OFFSETS:
                prefix = text.encode("utf-8")[:position].decode("utf-8", errors="ignore")
            line = prefix.count("\n") + 1
            col = len(prefix) - (prefix.rfind("\n") + 1) + 1
        diags.append(Diagnostic(path, line, col, "FL003", Severity.ERROR, str(exc).splitlines()[0]))
        return YamlResult(None, diags)
    if diags:
        return YamlResult(None, diags)
    if not isinstance(root, LocDict):
        diags.append(Diagnostic(path, 1, 1, "FL010", Severity.ERROR, "the top level must be a mapping of fields"))
        return YamlResult(None, diags)
    root.source = text
    return YamlResult(root, diags)


_NO_KEY = object()


def _number_too_long(digits: int) -> str:
    return (
        f"this number has {digits:,} digits, and Frontline reads numbers of at most {MAX_INT_DIGITS}; "
        "no field needs more (moods, minutes and scores are small), so check for a slip of the keyboard, "
        "or put it in quotes if it is meant as text"
    )


def _add(frame: list[Any], value: Any, pos: Position, event: Any, report: Any) -> None:
    container = frame[0]
    if type(container) is LocList:
        container.append(value)
        container.item_pos.append(pos)
        return
    key = frame[1]
    if key is _NO_KEY:
        if isinstance(value, (LocDict, LocList)):
            if report is not None:
                report(event.start_mark, "FL003", "a key must be a plain value, not a mapping or list")
            frame[1] = ("<complex key>", pos)
            frame[2] = pos
            return
        if value == "<<" and report is not None and not event.style:
            report(event.start_mark, "FL006", "merge key '<<' is not allowed")
        frame[1] = value
        frame[2] = pos
        return
    key_pos = frame[2]
    frame[1] = _NO_KEY
    if key in container.key_pos and report is not None:
        first_line = container.key_pos[key][0]
        report(
            _Mark(key_pos),
            "FL008",
            f"duplicate key '{key}' (first at line {first_line}); YAML would keep only this one",
        )
        return
    try:
        container[key] = value
    except TypeError:  # an unhashable key cannot happen: complex keys were replaced above
        return
    container.key_pos[key] = key_pos
    container.value_pos[key] = pos


class _Mark:
    __slots__ = ("line", "column")

    def __init__(self, pos: Position) -> None:
        self.line = pos[0] - 1
        self.column = pos[1] - 1


def position_of(root: Any, loc: tuple[Any, ...], want_key: bool = False) -> Position:
    """Best position for a path into the data: the value (or its key), else the nearest parent."""
    node = root
    pos: Position = getattr(root, "pos", (1, 1))
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, LocDict) and part in node:
            if last and want_key:
                return node.key_pos[part]
            pos = node.value_pos[part]
            node = node[part]
        elif isinstance(node, LocList) and isinstance(part, int) and 0 <= part < len(node):
            pos = node.item_pos[part]
            node = node[part]
        elif isinstance(node, LocDict) and last and want_key:
            return node.pos
        else:
            break
    return pos
