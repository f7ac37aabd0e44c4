"""The one Diagnostic type shared by the loader, the linter, the CLI and the GUI."""

from __future__ import annotations

import enum
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

# Unicode categories printed as escapes: controls (Cc: newline, tab, escape sequences), format
# characters (Cf: the bidi overrides U+202A..U+202E and isolates U+2066..U+2069 that make text
# read backwards, zero-width characters), line and paragraph separators, and surrogates (Cs: the
# undecodable bytes of a file name, which cannot even be printed).
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape_char(char: str) -> str:
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte os.fsdecode could not decode (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def printable(text: str) -> str:
    """``text`` safe to print: control, bidi and other invisible characters become visible escapes.

    A file named ``evil`` U+202E ``gpj.yaml`` would otherwise print as ``evilmlay.jpg``, and a newline
    in a name would start a line of output that looks like another diagnostic.
    """
    if text.isprintable():  # the common case, fast: no Cc, Cf, Zl, Zp, Cs (nor other separators)
        return text
    return "".join(_escape_char(c) if unicodedata.category(c) in _UNSAFE_CATEGORIES else c for c in text)


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    """A problem at a 1-based line and column of a file.

    ``message`` says what is wrong and how to fix it, in plain words; ``fix``, when there is one, is the
    fix on its own (e.g. "write '>=' instead of '=>'") for tools that offer it separately (``--format json``).
    """

    path: str
    line: int
    col: int
    code: str
    severity: Severity
    message: str
    fix: str | None = field(default=None, compare=False)  # not in ordering: None and text do not compare

    def __str__(self) -> str:
        """``path:line:col: severity: CODE message``, with the path and message made safe to print."""
        where = f"{printable(self.path)}:{self.line}:{self.col}"
        return f"{where}: {self.severity.value}: {self.code} {printable(self.message)}"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def sort_diagnostics(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(diagnostics, key=lambda d: (d.path, d.line, d.col, d.code, d.message))


def format_text(diagnostics: Iterable[Diagnostic]) -> str:
    return "\n".join(str(d) for d in diagnostics)


def _json_char(char: str) -> str:
    if char == "\n" or unicodedata.category(char) not in _UNSAFE_CATEGORIES:
        return char
    code = ord(char)
    if code > 0xFFFF:  # JSON spells a character beyond the BMP as a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def format_json(diagnostics: Iterable[Diagnostic]) -> str:
    """JSON with the exact paths and messages. Characters that are unsafe on a terminal are written as
    ``\\uXXXX`` escapes (json.dumps leaves bidi controls and undecodable file-name bytes raw), which
    every JSON reader turns back into the same text."""
    text = json.dumps([d.as_dict() for d in diagnostics], indent=2, ensure_ascii=False)
    if text.replace("\n", "").isprintable():
        return text
    return "".join(map(_json_char, text))


def _github_data(text: str) -> str:
    # GitHub workflow commands treat %, CR and LF as control characters in the message.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _github_property(text: str) -> str:
    # In a property (file=...) ',' ends the value and ':' can end the command ('::'), so both are escaped too.
    return _github_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(diagnostics: Iterable[Diagnostic]) -> str:
    """GitHub Actions annotations; no file name or message can end the command or start another."""
    lines = []
    for d in diagnostics:
        level = "error" if d.is_error else "warning"
        lines.append(
            f"::{level} file={_github_property(printable(d.path))},line={d.line},col={d.col},"
            f"title={_github_property(d.code)}::{_github_data(printable(d.code + ' ' + d.message))}"
        )
    return "\n".join(lines)


def format_json_report(diagnostics: Iterable[Diagnostic], files_checked: int) -> str:
    """``frontline lint --format json``: a summary (files checked, errors, warnings) and every diagnostic."""
    items = list(diagnostics)
    errors = sum(1 for d in items if d.is_error)
    summary = {"files_checked": files_checked, "errors": errors, "warnings": len(items) - errors}
    text = json.dumps({"summary": summary, "diagnostics": [d.as_dict() for d in items]}, indent=2, ensure_ascii=False)
    if text.replace("\n", "").isprintable():
        return text
    return "".join(map(_json_char, text))


FORMATTERS = {"text": format_text, "json": format_json, "github": format_github}
