"""The bundled library keeps the minimums trainees and trainers rely on, so later edits cannot erode them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from simulator.core import Scenario, coverage, lint_paths, load_rubric, load_scenario
from simulator.core.conditions import names_used
from simulator.core.resources import AVATAR_MOODS, bundled_scenarios_dir

LIBRARY = Path(__file__).resolve().parents[2] / "scenarios"
FILES = sorted(p for p in LIBRARY.glob("*.yaml") if p.name != "rubric.yaml")


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    loaded = [load_scenario(p) for p in FILES]
    assert all(s.ok for s in loaded), [d for s in loaded for d in s.diagnostics][:5]
    return [s.scenario for s in loaded if s.scenario is not None]


def test_the_library_is_strictly_lint_clean() -> None:
    assert lint_paths([LIBRARY]) == []


def test_the_package_serves_the_same_folder() -> None:
    assert bundled_scenarios_dir().resolve() == LIBRARY.resolve()


def test_at_least_four_scenarios_of_each_kind(scenarios: list[Scenario]) -> None:
    kinds = Counter(s.persona.kind for s in scenarios)
    assert len(scenarios) >= 12
    assert all(kinds[k] >= 4 for k in ("angry", "confused", "rude")), kinds
    assert len({s.setting for s in scenarios}) == len(scenarios), "settings should vary"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_scenario_shape(path: Path) -> None:
    loaded = load_scenario(path)
    scenario = loaded.scenario
    assert scenario is not None and loaded.analysis is not None
    assert scenario.id == path.stem
    assert len(scenario.nodes) >= 15
    reachable_endings = [scenario.node(e) for e in loaded.analysis.endings if e in loaded.analysis.reachable]
    assert len({n.ending.outcome for n in reachable_endings if n.ending}) >= 3
    decisions = [n for n in scenario.nodes if n.replies is not None]
    with_three = [n for n in decisions if len(n.replies or []) >= 3]
    assert len(with_three) >= 0.75 * len(decisions), f"{len(with_three)} of {len(decisions)} decision points offer 3+"


def test_every_trait_is_exercised_both_ways_in_three_scenarios(scenarios: list[Scenario]) -> None:
    cov = coverage(scenarios, load_rubric())
    thin = {
        t: (cov.count(t, "+"), cov.count(t, "-"))
        for t in cov.trait_ids
        if min(cov.count(t, "+"), cov.count(t, "-")) < 3
    }
    assert thin == {}, f"traits scored up/down in fewer than 3 scenarios: {thin}"


def test_the_library_uses_flags_timeouts_and_mood_conditions(scenarios: list[Scenario]) -> None:
    def reads(s: Scenario) -> set[str]:
        items = [i for n in s.nodes for i in list(n.replies or []) + list(n.routes or [])]
        return {v.kind for i in items if i.expr is not None for v in names_used(i.expr)}

    assert sum(1 for s in scenarios if "flag" in reads(s)) >= 3
    assert sum(1 for s in scenarios if "mood" in reads(s)) >= 3
    assert sum(1 for s in scenarios if any(n.timeout for n in s.nodes)) >= 2


def test_every_avatar_set_has_every_mood() -> None:
    avatars = LIBRARY.parent / "assets" / "avatars"
    for folder in (p for p in avatars.iterdir() if p.is_dir()):
        assert {f.stem for f in folder.glob("*.svg")} >= set(AVATAR_MOODS), folder
