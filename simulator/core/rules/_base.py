"""What every lint rule receives: the validated scenario, its raw data with positions, and the rubric."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analysis import Analysis, analyse
from ..models import Node, Rubric, Scenario

# A finding: where (a path into the raw data), the message, and whether to point at the key.
Finding = tuple[tuple[Any, ...], str] | tuple[tuple[Any, ...], str, bool]


@dataclass
class LintContext:
    path: str
    file_path: Path | None
    data: Any
    scenario: Scenario
    nodes: list[tuple[int, Node]]
    raw_ids: set[str]
    rubric: Rubric | None
    _analysis: Analysis | None = field(default=None, repr=False)

    @property
    def analysis(self) -> Analysis:
        if self._analysis is None:
            self._analysis = analyse(self.scenario)
        return self._analysis

    def replies(self) -> Iterator[tuple[int, Node, int, Any]]:
        """Every reply as (raw node index, node, reply index, reply)."""
        for index, node in self.nodes:
            for r_index, reply in enumerate(node.replies or ()):
                yield index, node, r_index, reply

    def conditionals(self) -> Iterator[tuple[tuple[Any, ...], Any]]:
        """Every reply and route with its location, for rules that read conditions."""
        for index, node in self.nodes:
            for r_index, reply in enumerate(node.replies or ()):
                yield ("nodes", index, "replies", r_index), reply
            for r_index, route in enumerate(node.routes or ()):
                yield ("nodes", index, "routes", r_index), route
