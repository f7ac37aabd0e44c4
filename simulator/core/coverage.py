"""Which rubric traits each scenario exercises, positively and negatively, across a library."""

from __future__ import annotations

from dataclasses import dataclass, field

from .analysis import edges_of
from .models import Rubric, Scenario


@dataclass
class Coverage:
    trait_ids: list[str]
    scenario_ids: list[str] = field(default_factory=list)
    # (trait, scenario) -> (has a positive delta somewhere, has a negative one)
    cells: dict[tuple[str, str], tuple[bool, bool]] = field(default_factory=dict)

    def count(self, trait: str, sign: str) -> int:
        """How many scenarios score the trait with a gain ("+") or a loss ("-")."""
        want = 0 if sign == "+" else 1
        return sum(1 for s in self.scenario_ids if self.cells.get((trait, s), (False, False))[want])

    def table(self) -> str:
        width = max(len(t) for t in self.trait_ids) + 2
        cols = [s[:14] for s in self.scenario_ids]
        lines = [" " * width + " ".join(f"{c:>14}" for c in cols) + "   +  -"]
        for trait in self.trait_ids:
            row = []
            for s in self.scenario_ids:
                pos, neg = self.cells.get((trait, s), (False, False))
                row.append(f"{('+' if pos else '.') + ('-' if neg else '.'):>14}")
            lines.append(
                f"{trait:<{width}}" + " ".join(row) + f"  {self.count(trait, '+'):>2} {self.count(trait, '-'):>2}"
            )
        return "\n".join(lines)


def coverage(scenarios: list[Scenario], rubric: Rubric) -> Coverage:
    cov = Coverage(trait_ids=rubric.trait_ids)
    for scenario in scenarios:
        cov.scenario_ids.append(scenario.id)
        for node in scenario.nodes:
            for edge in edges_of(node):
                for trait, delta in edge.deltas.items():
                    pos, neg = cov.cells.get((trait, scenario.id), (False, False))
                    cov.cells[(trait, scenario.id)] = (pos or delta > 0, neg or delta < 0)
    return cov
