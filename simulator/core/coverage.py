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
        """Traits down, scenarios across by number (their full ids listed below), then a legend."""
        numbers = [str(n) for n in range(1, len(self.scenario_ids) + 1)]
        cell = max([2, *(len(n) for n in numbers)])
        width = max([len("trait"), *(len(t) for t in self.trait_ids)])
        counts = max(2, len(str(len(self.scenario_ids))))
        lines = [
            f"{'trait':<{width}} " + " ".join(f"{n:>{cell}}" for n in numbers) + f"  {'+':>{counts}} {'-':>{counts}}"
        ]
        for trait in self.trait_ids:
            marks = []
            for scenario_id in self.scenario_ids:
                up, down = self.cells.get((trait, scenario_id), (False, False))
                marks.append(f"{('+' if up else '.') + ('-' if down else '.'):>{cell}}")
            lines.append(
                f"{trait:<{width}} "
                + " ".join(marks)
                + f"  {self.count(trait, '+'):>{counts}} {self.count(trait, '-'):>{counts}}"
            )
        lines.append("")
        lines.append("Scenarios (the numbered columns):")
        lines.extend(
            f"  {n:>{len(numbers[-1]) if numbers else 1}}  {sid}"
            for n, sid in zip(numbers, self.scenario_ids, strict=True)
        )
        lines.append("")
        lines.append(
            "Legend: in each cell, '+' means some reply or timeout in that scenario raises the trait and '-' that"
        )
        lines.append(
            "one lowers it; '.' means neither ('+-' both, '..' the scenario never scores the trait). The last two"
        )
        lines.append("columns count the scenarios that score the trait up (+) and down (-).")
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
