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
        "FL003",
        E,
        "YAML syntax error",
        "The YAML could not be read. The common mistakes are named in plain words at the line of the mistake, "
        "with the fix: a tab used to indent, a colon and a space inside unquoted text (put the text in quotes), "
        "a key without its colon, a quote or bracket never closed, a line indented out of step, text after a "
        "closing quote. Otherwise the position is where the parser gave up.",
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
        "A file may hold at most 1,000,000 mappings, lists and values, and a mapping at most 1,000 keys; a scenario "
        "at most 10,000 nodes (FL101).",
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
        "An `if:` condition could not be parsed. The position is the character where reading stopped, and the "
        "message suggests the fix where the mistake is a common one (`=>` for `>=`, `=` for `==`, `&&` for "
        "`and`). See the condition notation in docs/scenario-format.md.",
    ),
    CodeInfo("FL105", E, "node shape", "A node needs exactly one of `replies`, `routes` or `ending`."),
]

# Findings that are not one file's own rule: a library's files together, or plays of the file.
_LIBRARY_CODES = [
    CodeInfo(
        "FL209",
        E,
        "scenario id used twice",
        "Two scenario files in one library (a folder linted together, its subfolders included) have the same "
        "`id`. Attempt records, progress and resumed attempts are kept by scenario id, so the two would mix. "
        "Each file reports the other; give one of them an `id` of its own. Only files without errors are "
        "compared (the app leaves the others out of the library).",
    ),
    CodeInfo(
        "FL210",
        E,
        "random play failed",
        "With `frontline lint --explore N`, Frontline plays N random paths through each valid scenario (a random "
        "reply on offer at each step, or letting the time run out), and one of them got stuck (no reply or route "
        "applied), made Frontline fail, or went on for 1,000 steps (or four per node, if more) without reaching "
        "an ending. The message gives the path as reply numbers in the file's order, ready for "
        "`frontline replay --choices`; the position is the node where it stopped, or a node of the loop. "
        "The paths come from `--seed` (default 0), so a run repeats exactly.",
    ),
]

LOADER_AND_SCHEMA_CODES: dict[str, CodeInfo] = {c.code: c for c in _LOADER_CODES + _SCHEMA_CODES + _LIBRARY_CODES}
