"""libyaml's syntax errors in a trainer's words, with the fix, at the line of the mistake.

libyaml reports where it gave up, in its own terms ("mapping values are not allowed in this
context", "could not find expected ':'"), often a line after the mistake. The common mistakes
each leave a recognisable trace in the error and the text around it; this module reads that trace
and says what happened: a tab used to indent, a colon inside unquoted text, a key without its
colon, a quote or bracket never closed, a line indented out of step, text after a closing quote.
Anything not recognised keeps libyaml's words, in plain form, at the position it gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

Position = tuple[int, int]


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    col: int
    message: str
    fix: str | None = None


# A line that starts a mapping entry: indentation, optional list dashes, a plain key and its colon.
_KEY_LINE = re.compile(r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*):(?:[ ]+|$)")
# A line whose first word is a key-like word followed by a space and more, with no colon after the word.
_NO_COLON = re.compile(
    r"^(?P<indent>[ ]*)(?P<dashes>(?:-[ ]+)*)(?P<key>[A-Za-z_][A-Za-z0-9_-]*)(?:[ ]+(?P<rest>[^\s#].*?))?[ ]*$"
)
_OPENERS = {"[": "]", "{": "}"}


def _quote(text: str) -> str:
    """``text`` as a YAML quoted scalar: double quotes unless it holds a double quote or backslash."""
    if '"' not in text and "\\" not in text:
        return f'"{text}"'
    return "'" + text.replace("'", "''") + "'"


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1].rstrip("\r") if 1 <= number <= len(lines) else ""


def _value_start(line: str) -> int | None:
    """0-based index where the value of a `key: value` or `- value` line starts, if it has one."""
    match = _KEY_LINE.match(line)
    if match:
        return match.end() if match.end() < len(line) else None
    stripped = re.match(r"^[ ]*(?:-[ ]+)+", line)
    if stripped and stripped.end() < len(line):
        return stripped.end()
    return None


def _unclosed_quote(line: str) -> int | None:
    """0-based index of a value's opening quote that is not closed on its line."""
    start = _value_start(line)
    if start is None or line[start] not in "\"'":
        return None
    quote = line[start]
    i = start + 1
    while i < len(line):
        char = line[i]
        if quote == '"' and char == "\\":
            i += 2
            continue
        if char == quote:
            if quote == "'" and line[i + 1 : i + 2] == "'":
                i += 2
                continue
            return None
        i += 1
    return start


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _missing_colon(lines: list[str], number: int) -> SyntaxProblem | None:
    """A `key value` line, written without the colon after the key."""
    line = _line(lines, number)
    match = _NO_COLON.match(line)
    if not match or match.group("key") in ("true", "false", "null"):
        return None
    key = match.group("key")
    col = match.end("key") + 1
    rest = (match.group("rest") or "").strip()
    written = f"{key} {rest}".strip()
    fixed = f"{key}: {rest}".strip() if rest else f"{key}:"
    fix = f"write '{fixed}'"
    return SyntaxProblem(number, col, f"'{written}' has no ':' after the key '{key}'; {fix}", fix)


def _colon_in_text(lines: list[str], number: int, col: int) -> SyntaxProblem | None:
    """`key: some text: more`, where the second colon makes YAML read a new key."""
    line = _line(lines, number)
    match = _KEY_LINE.match(line)
    if not match or match.end() > col - 1:
        return None
    value = line[match.end() :].rstrip()
    key = match.group("key")
    fixed = f"{key}: {_quote(value)}"
    fix = f"put the whole text in quotes: {fixed}"
    return SyntaxProblem(
        number,
        col,
        f"the text of '{key}' holds ': ' (a colon and a space), which YAML reads as the start of another key; {fix}",
        fix,
    )


def _misaligned(lines: list[str], number: int, col: int) -> SyntaxProblem:
    line = _line(lines, number)
    spaces = _indent(line) if line.strip() else col - 1
    dash = line.lstrip(" ").startswith("- ")
    other = ""
    for before in range(number - 1, 0, -1):
        text = _line(lines, before)
        if not text.strip() or text.lstrip().startswith("#"):
            continue
        if dash and text.lstrip(" ").startswith("- "):
            other = f" (the '- ' item on line {before} is indented by {_indent(text)})"
            break
        if not dash:
            match = _KEY_LINE.match(text)
            shown = len(match.group("indent")) + len(match.group("dashes")) if match else _indent(text)
            other = f" (line {before} is indented by {shown})"
            break
    fix = "indent it exactly as far as the other keys or '- ' items it belongs with"
    return SyntaxProblem(
        number,
        spaces + 1,
        f"this line is indented by {spaces} spaces, out of step with the lines above it{other}; {fix}",
        fix,
    )


def _describe_libyaml(problem: str, context: str | None) -> str:
    message = problem or "could not parse"
    if context:
        message = f"{message} ({context})"
    return f"the YAML could not be read here: {message}"


def explain_syntax(
    text: str, problem: str | None, mark: Position | None, context: str | None, context_mark: Position | None
) -> SyntaxProblem:
    """The syntax error libyaml raised (its 1-based marks), as a trainer-level message at the mistake."""
    problem = problem or ""
    lines = _lines(text)
    line, col = mark if mark is not None else (context_mark or (1, 1))
    current = _line(lines, line)
    char = current[col - 1 : col]

    # A tab used for indentation (libyaml: "found character that cannot start any token", or a
    # "tab character that violates indentation").
    if "tab" in problem or (char == "\t"):
        tab = current.find("\t")
        tab_col = tab + 1 if tab >= 0 else col
        fix = "replace the tab with spaces (YAML indents with spaces only)"
        return SyntaxProblem(
            line, tab_col, f"this line is indented with a tab, and YAML allows only spaces; {fix}", fix
        )

    if "cannot start any token" in problem and char in "`@%":
        value_start = _value_start(current)
        key = _KEY_LINE.match(current)
        if key and value_start is not None:
            fixed = f"{key.group('key')}: {_quote(current[value_start:].rstrip())}"
            fix = f"put the text in quotes: {fixed}"
        else:
            fix = "put the text in quotes"
        return SyntaxProblem(line, col, f"text cannot start with '{char}' unless it is in quotes; {fix}", fix)

    if "while scanning an alias" in (context or "") or "while scanning an anchor" in (context or ""):
        at = context_mark or (line, col)
        sign = "*" if "alias" in (context or "") else "&"
        fix = "put the text in quotes"
        return SyntaxProblem(
            at[0],
            at[1],
            f"text cannot start with '{sign}' unless it is in quotes (YAML reads it as a reference); {fix}",
            fix,
        )

    if "could not find expected ':'" in problem and context_mark is not None:
        found = _missing_colon(lines, context_mark[0])
        if found is not None:
            return found
        fix = "add ':' after the key"
        return SyntaxProblem(context_mark[0], context_mark[1], f"this key has no ':' after it; {fix}", fix)

    if "mapping values are not allowed" in problem:
        key = _KEY_LINE.match(current)
        if key is not None and col - 1 > key.end("key"):
            in_text = _colon_in_text(lines, line, col)
            if in_text is not None:
                return in_text
        elif key is not None:
            # This line's key is fine: the line before lost its colon, so YAML read both as one text.
            before = line - 1
            while before >= 1 and (not _line(lines, before).strip() or _line(lines, before).lstrip().startswith("#")):
                before -= 1
            found = _missing_colon(lines, before) if before >= 1 else None
            if found is not None:
                return found
        else:
            found = _missing_colon(lines, line)
            if found is not None:
                return found

    if "block sequence entries are not allowed" in problem:
        key = _KEY_LINE.match(current)
        if key and key.end() == col - 1:
            fixed = f"{key.group('key')}: {_quote(current[col - 1 :].rstrip())}"
            fix = f"put the text in quotes: {fixed}, or start the list on the next line"
            return SyntaxProblem(
                line, col, f"text cannot start with '- ' after a key unless it is in quotes; {fix}", fix
            )
        return _misaligned(lines, line, col)

    if "while scanning a quoted scalar" in (context or "") and context_mark is not None:
        quote = _line(lines, context_mark[0])[context_mark[1] - 1 : context_mark[1]] or '"'
        fix = f"add the closing {quote} at the end of the text"
        return SyntaxProblem(context_mark[0], context_mark[1], f"this quoted text is never closed; {fix}", fix)

    if "while parsing a flow" in (context or "") and context_mark is not None:
        opener_line = _line(lines, context_mark[0])
        opener = opener_line[context_mark[1] - 1 : context_mark[1]]
        closer = _OPENERS.get(opener, "]")
        if line == context_mark[0] and char == ":":
            value = opener_line[col - 1 :]
            fix = "put that text in quotes"
            return (
                SyntaxProblem(
                    line,
                    col,
                    f"a text inside '{opener} {closer}' holds ': ' (a colon and a space), which YAML reads as "
                    f"a new key; {fix}",
                    fix,
                )
                if value
                else SyntaxProblem(line, col, f"unexpected ':' inside '{opener} {closer}'; {fix}", fix)
            )
        if closer not in opener_line[context_mark[1] :]:
            fix = f"add '{closer}' at the end of line {context_mark[0]}"
            return SyntaxProblem(context_mark[0], context_mark[1], f"this '{opener}' is never closed; {fix}", fix)
        fix = f"separate the items with ',' and end with '{closer}'"
        return SyntaxProblem(line, col, f"unexpected text inside '{opener} {closer}'; {fix}", fix)

    if "while scanning a block scalar" in (context or ""):
        at = context_mark or (line, col)
        indicator = _line(lines, at[0])[at[1] - 1 : at[1]] or "|"
        fix = f"start the text on the next line, indented, after '{indicator}' alone"
        return SyntaxProblem(at[0], at[1], f"after '{indicator}' the text must start on the next line; {fix}", fix)

    if (
        "did not find expected key" in problem
        or "did not find expected '-' indicator" in problem
        or ("expected <block end>" in problem)
    ):
        first = context_mark[0] if context_mark is not None else line
        for number in range(first, line + 1):
            opened = _unclosed_quote(_line(lines, number))
            if opened is not None and number < line:
                closing = _line(lines, number)[opened]
                fix = f"add the closing {closing} at the end of the text"
                return SyntaxProblem(number, opened + 1, f"this quoted text is not closed on its line; {fix}", fix)
        head = current[: col - 1].rstrip()
        if head and head[-1] in "\"']}" and current[: col - 1].strip():
            value_start = _value_start(current)
            key = _KEY_LINE.match(current)
            if key and value_start is not None:
                opener = current[value_start]
                whole = current[value_start:].rstrip()
                fixed = f"{key.group('key')}: {_quote(whole)}"
                if opener in "[{":
                    fix = f"put the whole text in quotes: {fixed}"
                    return SyntaxProblem(
                        line,
                        value_start + 1,
                        f"text that starts with '{opener}' is read as a "
                        f"{'list' if opener == '[' else 'mapping'}; {fix}",
                        fix,
                    )
                fix = f"put the whole text in quotes: {fixed}"
                return SyntaxProblem(line, col, f"the text goes on after its closing quote; {fix}", fix)
        return _misaligned(lines, line, col)

    return SyntaxProblem(line, col, _describe_libyaml(problem, context))


def mark_position(mark: Any) -> Position | None:
    return None if mark is None else (mark.line + 1, mark.column + 1)
