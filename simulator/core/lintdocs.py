"""Every diagnostic code with its documentation, for `docs/lint-codes.md` and `frontline codes`."""

from __future__ import annotations

import inspect

from .codes import LOADER_AND_SCHEMA_CODES, CodeInfo
from .diagnostics import Severity
from .rules import RULES


def all_codes() -> list[CodeInfo]:
    codes = list(LOADER_AND_SCHEMA_CODES.values())
    for rule in RULES:
        doc = inspect.getdoc(rule) or ""
        body = doc.split("\n", 1)[1].strip() if "\n" in doc else ""
        codes.append(CodeInfo(rule.CODE, Severity(rule.SEVERITY), rule.TITLE, " ".join(body.split())))
    return sorted(codes, key=lambda c: c.code)


def lint_codes_markdown() -> str:
    lines = [
        "# Lint codes",
        "",
        "`frontline lint` reports every problem in a file at once as `path:line:col: severity: CODE message`,",
        "with 1-based lines and columns. Codes are stable: a code keeps its meaning across versions.",
        "Errors make `frontline lint` exit 1; warnings do too with `--strict`.",
        "This page is generated from the code (`frontline codes`); a test keeps it in step.",
        "",
        "| code | severity | title | meaning |",
        "|---|---|---|---|",
    ]
    for info in all_codes():
        lines.append(f"| {info.code} | {info.severity.value} | {info.title} | {info.doc.replace('|', '/')} |")
    return "\n".join(lines) + "\n"
