"""Stable diagnostic codes for reading and validating a file; graph and content rules add theirs."""

from __future__ import annotations

from dataclasses import dataclass

from .diagnostics import Severity


@dataclass(frozen=True)
class CodeInfo:
    code: str
    severity: Severity
    title: str
    doc: str


E, W = Severity.ERROR, Severity.WARNING

_LOADER_CODES = [
    CodeInfo(
        "FL000",
        E,
        "cannot read file",
        "The file could not be read: it is missing, a folder, a pipe or device, or not readable; "
        "or Frontline itself failed on it (the message says so: please report it as a bug).",
    ),
    CodeInfo(
        "FL001", E, "not UTF-8", "The file must be strict UTF-8 text. The position is the first byte that is not."
    ),
    CodeInfo("FL002", E, "file too large", "A scenario file may be at most 8 MiB; larger files are refused unread."),
    CodeInfo(
        "FL003", E, "YAML syntax error", "The YAML parser could not read the file. The position is where it gave up."
    ),
    CodeInfo(
        "FL004", E, "tag not allowed", "Tags such as `!!python/object` or `!foo` are refused: a scenario is plain data."
    ),
    CodeInfo(
        "FL005",
        E,
        "anchor or alias not allowed",
        "Anchors (`&a`) and aliases (`*a`) are refused: they make files hard to read and can be used to build "
        "files that expand without limit.",
    ),
    CodeInfo("FL006", E, "merge key not allowed", "The merge key `<<` is refused, for the same reason as aliases."),
    CodeInfo(
        "FL007",
        E,
        "nesting too deep",
        "Mappings and lists may nest at most 64 levels deep. Flatten that part of the file, or close a `[` or `{` "
        "left open. The position is where reading stopped.",
    ),
    CodeInfo(
        "FL008",
        E,
        "duplicate key",
        "A key appears twice in the same mapping. The message names the line of the first one; YAML would "
        "silently keep only the last.",
    ),
    CodeInfo(
        "FL009",
        E,
        "too many elements",
        "A file may hold at most 1,000,000 mappings, lists and values; a scenario at most 10,000 nodes (FL101).",
    ),
    CodeInfo(
        "FL010", E, "not a single mapping", "The file must hold exactly one YAML document whose top level is a mapping."
    ),
]

_SCHEMA_CODES = [
    CodeInfo("FL100", E, "missing field", "A required field is missing. The position is the mapping that lacks it."),
    CodeInfo(
        "FL101", E, "invalid value", "A value has the wrong type or is out of range, for example a trait delta of 7."
    ),
    CodeInfo(
        "FL102",
        E,
        "unknown key",
        "A key the format does not know, usually a typo. The message suggests the closest known key.",
    ),
    CodeInfo("FL103", E, "unsupported format", "`format:` must be 1, the only version this Frontline reads."),
    CodeInfo(
        "FL104",
        E,
        "invalid condition",
        "An `if:` condition could not be parsed. See the condition notation in docs/scenario-format.md.",
    ),
    CodeInfo("FL105", E, "node shape", "A node needs exactly one of `replies`, `routes` or `ending`."),
]

LOADER_AND_SCHEMA_CODES: dict[str, CodeInfo] = {c.code: c for c in _LOADER_CODES + _SCHEMA_CODES}
