"""The small condition notation for replies and routes, parsed to a tree and evaluated without eval.

Grammar::

    expr    := or
    or      := and ("or" and)*
    and     := not ("and" not)*
    not     := "not" not | compare
    compare := atom (("<" | "<=" | ">" | ">=" | "==" | "!=") atom)?
    atom    := INT | "mood" | "score." TRAIT | "total" | "visits." NODE | FLAG | "(" expr ")"

A bare name is a flag: true once a reply has set it. ``mood`` is the customer's mood
(-5 to 5), ``score.empathy`` the trainee's running total for a trait, ``total`` the sum of all
traits so far, and ``visits.node_id`` how many times a node has been entered.

Limits, each a ConditionError (lint FL104) with a column: at most ``MAX_LENGTH`` characters;
``(`` and ``not`` at most ``MAX_DEPTH`` levels inside each other; an INT is ASCII digits 0 to 9,
at most ``MAX_DIGITS`` of them (other scripts' digits, such as ``١٢``, are refused, not read as 12).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol


class ConditionError(ValueError):
    """A condition that does not parse; ``column`` is 1-based within the condition text, at the bad character.

    ``fix``, when there is an obvious one, says it on its own (``write '>=' instead of '=>'``); the message
    already includes it.
    """

    def __init__(self, message: str, column: int, fix: str | None = None, *, limit: bool = False) -> None:
        super().__init__(message)
        self.column = column
        self.fix = fix
        self.limit = limit  # a size limit (length, depth, digits): a problem of the condition as a whole


class EvalContext(Protocol):
    # Read-only properties, so a context may hold either kind of set.
    @property
    def mood(self) -> int: ...

    @property
    def flags(self) -> frozenset[str] | set[str]: ...

    def trait_total(self, trait: str) -> int: ...

    def grand_total(self) -> int: ...

    def visit_count(self, node_id: str) -> int: ...


# Limits that keep a hostile or mistaken condition cheap: parsing is linear in the length, and the
# tree is at most MAX_DEPTH levels of '(' and 'not' deep, so parsing and evaluating recurse at
# most a few frames per level (about a hundred in all, far below Python's limit of 1,000).
MAX_LENGTH = 1_000
MAX_DEPTH = 20
MAX_DIGITS = 9


@dataclass(frozen=True)
class Num:
    value: int


@dataclass(frozen=True)
class Var:
    kind: str  # "mood", "total", "score", "visits" or "flag"
    name: str = ""


@dataclass(frozen=True)
class Not:
    operand: Expr


@dataclass(frozen=True)
class BoolOp:
    """A chain of one operator, ``a or b or c``, kept flat so a long chain is never a deep tree."""

    op: str  # "and" or "or"
    operands: tuple[Expr, ...]


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


Expr = Num | Var | Not | BoolOp | Compare

_SPACE = re.compile(r"\s*")
# ASCII digits only: str patterns' \d would also take Arabic-Indic or Devanagari digits.
_TOKEN = re.compile(
    r"(?P<num>-?[0-9]+)|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()])"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?)"
)
_KEYWORDS = {"and", "or", "not"}

Token = tuple[str, str, int]


# Operators from other notations (spreadsheets, programming languages, maths) and what to write instead.
_MISTYPED_OPERATORS = {
    "=>": ">=",
    "=<": "<=",
    "===": "==",
    "!==": "!=",
    "<>": "!=",
    ">>": ">",
    "<<": "<",
    "&&": "and",
    "||": "or",
    "&": "and",
    "|": "or",
    "=": "==",
    "!": "not",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u2260": "!=",
}
_OPERATOR_CHARS = "<>=!&|"
_MEANING = {
    ">=": "at least",
    "<=": "at most",
    "==": "equal to",
    "!=": "not equal to",
    ">": "more than",
    "<": "less than",
}


def _mistyped(text: str, pos: int) -> tuple[str, str] | None:
    """The operator from another notation that starts at ``pos`` (longest first), and what to write instead."""
    for length in (3, 2, 1):
        found = text[pos : pos + length]
        if len(found) == length and found in _MISTYPED_OPERATORS:
            return found, _MISTYPED_OPERATORS[found]
    return None


def _mistyped_error(found: str, instead: str, column: int) -> ConditionError:
    meaning = f" (meaning '{_MEANING[instead]}')" if instead in _MEANING else ""
    fix = f"write '{instead}' instead of '{found}'"
    return ConditionError(f"'{found}' is not an operator here; {fix}{meaning}", column, fix)


def _unexpected_character(text: str, pos: int) -> ConditionError:
    char = text[pos]
    start, end = pos, pos + 1  # the whole run of operator characters, so '===' is one mistake, not '==' and '='
    while start > 0 and text[start - 1] in _OPERATOR_CHARS:
        start -= 1
    while end < len(text) and text[end] in _OPERATOR_CHARS:
        end += 1
    run = text[start:end] if char in _OPERATOR_CHARS else char
    if run in _MISTYPED_OPERATORS:
        return _mistyped_error(run, _MISTYPED_OPERATORS[run], pos + 1)
    mistyped = _mistyped(text, pos)
    if mistyped is not None:
        return _mistyped_error(*mistyped, pos + 1)
    if char.isdigit() or char.isnumeric():
        return ConditionError(
            f"{char!r} is a digit from another script, and conditions read only the digits 0 to 9: replace the one",
            pos + 1,
        )
    if char in "\"'":
        fix = "remove the quotes"
        return ConditionError(f"conditions use no quotes: flags, traits and nodes are named bare; {fix}", pos + 1, fix)
    return ConditionError(
        f"unexpected character {char!r}: a condition is made of flag names, numbers, mood, total, score.TRAIT, "
        "visits.NODE, the comparisons < <= > >= == !=, and, or, not and brackets",
        pos + 1,
    )


def _tokenize(text: str) -> list[Token]:
    """The tokens with 1-based columns, in one left-to-right pass (linear in the length of the text)."""
    tokens: list[Token] = []
    pos = 0
    length = len(text)
    space, token = _SPACE.match, _TOKEN.match
    while True:
        pos = space(text, pos).end()  # type: ignore[union-attr]  # \s* always matches
        if pos >= length:
            break
        match = token(text, pos)
        if match is None:
            raise _unexpected_character(text, pos)
        kind = match.lastgroup or ""
        tokens.append((kind, match.group(), pos + 1))
        pos = match.end()
    tokens.append(("end", "", length + 1))
    return tokens


class _Parser:
    """Recursive descent with a depth count: '(' and 'not' each go one level deeper, up to MAX_DEPTH."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0
        self.depth = 0

    def peek(self) -> Token:
        return self.tokens[self.i]

    def take(self) -> Token:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def deeper(self, col: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ConditionError(
                f"'(' and 'not' may sit at most {MAX_DEPTH} levels inside each other ('not not x' is just 'x', "
                "and a chain of 'and' or 'or' needs no brackets); simplify the part that goes deeper",
                col,
                limit=True,
            )

    def parse(self) -> Expr:
        expr = self.parse_or()
        kind, value, col = self.peek()
        if kind != "end":
            raise self.unexpected(kind, value, col)
        return expr

    def unexpected(self, kind: str, value: str, col: int) -> ConditionError:
        """Why this token cannot come here, with the likely fix."""
        if kind == "name" and value.lower() in _KEYWORDS and value not in _KEYWORDS:
            fix = f"write '{value.lower()}' in lower case"
            return ConditionError(f"'{value}' is not understood; {fix}", col, fix)
        if kind == "op" and self.i > 0 and self.tokens[self.i - 1][0] == "op":
            before = self.tokens[self.i - 1]
            if before[2] + len(before[1]) == col:  # two operators written together, as in '>>' or '<>'
                mistyped = _mistyped(before[1] + value, 0)
                if mistyped is not None and mistyped[0] == before[1] + value:
                    return _mistyped_error(mistyped[0], mistyped[1], col)
                return ConditionError(f"'{before[1]}{value}' is not an operator; use one of < <= > >= == !=", col)
        if kind in ("name", "num", "paren") and self.i > 0 and self.tokens[self.i - 1][0] in ("name", "num", "paren"):
            fix = "put 'and' or 'or' between them"
            return ConditionError(f"{value!r} follows another value with nothing to join them; {fix}", col, fix)
        return ConditionError(f"unexpected {value!r}", col)

    def parse_or(self) -> Expr:
        operands = [self.parse_and()]
        while self.peek()[:2] == ("name", "or"):
            self.take()
            operands.append(self.parse_and())
        return operands[0] if len(operands) == 1 else BoolOp("or", tuple(operands))

    def parse_and(self) -> Expr:
        operands = [self.parse_not()]
        while self.peek()[:2] == ("name", "and"):
            self.take()
            operands.append(self.parse_not())
        return operands[0] if len(operands) == 1 else BoolOp("and", tuple(operands))

    def parse_not(self) -> Expr:
        # A run of 'not' is read in a loop, then wrapped from the inside out: no recursion per 'not'.
        nots = 0
        while self.peek()[:2] == ("name", "not"):
            self.deeper(self.take()[2])
            nots += 1
        expr = self.parse_compare()
        for _ in range(nots):
            expr = Not(expr)
        self.depth -= nots
        return expr

    def parse_compare(self) -> Expr:
        left = self.parse_atom()
        if self.peek()[0] == "op":
            op = self.take()[1]
            right = self.parse_atom()
            if isinstance(left, BoolOp) or isinstance(right, BoolOp):
                raise ConditionError("compare numbers, not conditions", self.peek()[2])
            return Compare(op, left, right)
        return left

    def parse_atom(self) -> Expr:
        kind, value, col = self.take()
        if kind == "num":
            digits = len(value.lstrip("-"))
            if digits > MAX_DIGITS:
                shown = value if len(value) <= 16 else value[:12] + "..."
                raise ConditionError(
                    f"the number {shown} is too long ({digits:,} digits; at most {MAX_DIGITS}): conditions compare "
                    "small numbers such as the mood (-5 to 5), scores and visit counts; check the number",
                    col,
                    limit=True,
                )
            return Num(int(value))
        if kind == "paren" and value == "(":
            self.deeper(col)
            expr = self.parse_or()
            kind2, value2, col2 = self.take()
            if (kind2, value2) != ("paren", ")"):
                if kind2 == "end":
                    fix = "add ')' where the bracketed part ends"
                    raise ConditionError(f"the '(' at column {col} is never closed; {fix}", col2, fix)
                self.i -= 1
                raise self.unexpected(kind2, value2, col2)
            self.depth -= 1
            return expr
        if kind == "name" and value not in _KEYWORDS:
            if value == "mood" or value == "total":
                return Var(value)
            head, _, tail = value.partition(".")
            if tail:
                if head not in ("score", "visits"):
                    raise ConditionError(f"unknown prefix '{head}.' (use score.TRAIT or visits.NODE)", col)
                return Var(head, tail)
            return Var("flag", value)
        if kind == "end":
            raise ConditionError("the condition ends too early: something should follow the last word", col)
        self.i -= 1
        raise self.unexpected(kind, value, col)


def parse_condition(text: str) -> Expr:
    """The condition's tree, or ConditionError with a 1-based column; linear in the length, never deep."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"this condition is {len(text):,} characters long and the limit is {MAX_LENGTH:,}; keep it short, "
            f"for example by testing a flag an earlier reply sets; it passes the limit",
            MAX_LENGTH + 1,
            limit=True,
        )
    if not text.strip():
        raise ConditionError("the condition is empty: write one, such as mood >= 0, or remove 'if:'", 1)
    return _Parser(text).parse()


def _value(expr: Expr, ctx: EvalContext) -> int:
    if isinstance(expr, Num):
        return expr.value
    if isinstance(expr, Var):
        if expr.kind == "mood":
            return ctx.mood
        if expr.kind == "total":
            return ctx.grand_total()
        if expr.kind == "score":
            return ctx.trait_total(expr.name)
        if expr.kind == "visits":
            return ctx.visit_count(expr.name)
        return 1 if expr.name in ctx.flags else 0
    return 1 if evaluate(expr, ctx) else 0


_COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
}


def evaluate(expr: Expr, ctx: EvalContext) -> bool:
    """Whether the condition holds. Recursion follows the tree's depth, which the parser bounds."""
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            for operand in expr.operands:
                if not evaluate(operand, ctx):
                    return False
            return True
        for operand in expr.operands:
            if evaluate(operand, ctx):
                return True
        return False
    if isinstance(expr, Not):
        return not evaluate(expr.operand, ctx)
    if isinstance(expr, Compare):
        return bool(_COMPARE[expr.op](_value(expr.left, ctx), _value(expr.right, ctx)))
    return _value(expr, ctx) != 0


def names_used(expr: Expr) -> list[Var]:
    """Every variable the condition reads, left to right, so lint can check flags, traits and nodes exist."""
    found: list[Var] = []
    stack: list[Expr] = [expr]  # an explicit stack: no recursion, whatever the tree
    while stack:
        item = stack.pop()
        if isinstance(item, Var):
            found.append(item)
        elif isinstance(item, Not):
            stack.append(item.operand)
        elif isinstance(item, BoolOp):
            stack.extend(reversed(item.operands))
        elif isinstance(item, Compare):
            stack.extend((item.right, item.left))
    return found


@dataclass
class SimpleContext:
    """An evaluation context from plain values, for tools that have no play state."""

    mood: int = 0
    flags: frozenset[str] = frozenset()
    totals: Mapping[str, int] | None = None
    visits: Mapping[str, int] | None = None

    def trait_total(self, trait: str) -> int:
        return (self.totals or {}).get(trait, 0)

    def grand_total(self) -> int:
        return sum((self.totals or {}).values())

    def visit_count(self, node_id: str) -> int:
        return (self.visits or {}).get(node_id, 0)
