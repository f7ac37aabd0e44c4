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
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True)
class Compare:
    op: str
    left: Expr
    right: Expr


Expr = Num | Var | Not | BoolOp | Compare

_TOKEN = re.compile(
    r"\s*(?:(?P<num>-?\d+)|(?P<op><=|>=|==|!=|<|>)|(?P<paren>[()])|(?P<name>[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z_][A-Za-z0-9_-]*)?))"
)
_KEYWORDS = {"and", "or", "not"}


def _tokenize(text: str) -> list[tuple[str, str, int]]:
    tokens = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            col = pos + 1 + (len(text[pos:]) - len(text[pos:].lstrip()))
            raise ConditionError(f"unexpected character {text[col - 1]!r}", col)
        kind = match.lastgroup or ""
        value = match.group(kind)
        tokens.append((kind, value, match.start(kind) + 1))
        pos = match.end()
    tokens.append(("end", "", len(text) + 1))
    return tokens


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.i = 0

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.i]

    def take(self) -> tuple[str, str, int]:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def parse(self) -> Expr:
        expr = self.parse_or()
        kind, value, col = self.peek()
        if kind != "end":
            raise ConditionError(f"unexpected {value!r}", col)
        return expr

    def parse_or(self) -> Expr:
        left = self.parse_and()
        while self.peek()[:2] == ("name", "or"):
            self.take()
            left = BoolOp("or", left, self.parse_and())
        return left

    def parse_and(self) -> Expr:
        left = self.parse_not()
        while self.peek()[:2] == ("name", "and"):
            self.take()
            left = BoolOp("and", left, self.parse_not())
        return left

    def parse_not(self) -> Expr:
        if self.peek()[:2] == ("name", "not"):
            self.take()
            return Not(self.parse_not())
        return self.parse_compare()

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
            return Num(int(value))
        if kind == "paren" and value == "(":
            expr = self.parse_or()
            kind2, value2, col2 = self.take()
            if (kind2, value2) != ("paren", ")"):
                raise ConditionError("missing ')'", col2)
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
    if isinstance(expr, BoolOp):
        if expr.op == "and":
            return evaluate(expr.left, ctx) and evaluate(expr.right, ctx)
        return evaluate(expr.left, ctx) or evaluate(expr.right, ctx)
    if isinstance(expr, Not):
        return not evaluate(expr.operand, ctx)
    if isinstance(expr, Compare):
        return bool(_COMPARE[expr.op](_value(expr.left, ctx), _value(expr.right, ctx)))
    return _value(expr, ctx) != 0


def names_used(expr: Expr) -> list[Var]:
    """Every variable the condition reads, so lint can check flags, traits and nodes exist."""
    if isinstance(expr, Var):
        return [expr]
    if isinstance(expr, Not):
        return names_used(expr.operand)
    if isinstance(expr, (BoolOp, Compare)):
        return names_used(expr.left) + names_used(expr.right)
    return []


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
