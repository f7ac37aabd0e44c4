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
    """A condition that does not parse; ``column`` is 1-based within the condition text."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.column = column


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


def _unexpected_character(char: str) -> str:
    if char.isdigit() or char.isnumeric():
        return f"{char!r} is a digit from another script, and conditions read only the digits 0 to 9: replace the one"
    return f"unexpected character {char!r}"


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
            raise ConditionError(_unexpected_character(text[pos]), pos + 1)
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
            )

    def parse(self) -> Expr:
        expr = self.parse_or()
        kind, value, col = self.peek()
        if kind != "end":
            raise ConditionError(f"unexpected {value!r}", col)
        return expr

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
                )
            return Num(int(value))
        if kind == "paren" and value == "(":
            self.deeper(col)
            expr = self.parse_or()
            kind2, value2, col2 = self.take()
            if (kind2, value2) != ("paren", ")"):
                raise ConditionError("missing ')'", col2)
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
            raise ConditionError("condition ends too early", col)
        raise ConditionError(f"unexpected {value!r}", col)


def parse_condition(text: str) -> Expr:
    """The condition's tree, or ConditionError with a 1-based column; linear in the length, never deep."""
    if len(text) > MAX_LENGTH:
        raise ConditionError(
            f"this condition is {len(text):,} characters long and the limit is {MAX_LENGTH:,}; keep it short, "
            f"for example by testing a flag an earlier reply sets; it passes the limit",
            MAX_LENGTH + 1,
        )
    if not text.strip():
        raise ConditionError("empty condition", 1)
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
