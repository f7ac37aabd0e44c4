"""The bundled library keeps the minimums trainees and trainers rely on, so later edits cannot erode them."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from simulator.core import Scenario, coverage, lint_paths, load_rubric, load_scenario
from simulator.core.conditions import names_used
from simulator.core.resources import AVATAR_MOODS, bundled_scenarios_dir
from simulator.core.tells import tells_report

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


def test_twenty_scenarios_at_least_six_of_each_kind(scenarios: list[Scenario]) -> None:
    kinds = Counter(s.persona.kind for s in scenarios)
    assert len(scenarios) >= 20, len(scenarios)
    assert all(kinds[k] >= 6 for k in ("angry", "confused", "rude")), kinds


def test_no_shortcut_finds_the_model_answer_much_more_than_chance(scenarios: list[Scenario]) -> None:
    """File order counts, so the library never leans on shuffling to hide its answers."""
    report = tells_report(scenarios)
    assert report.failures(max_above_chance=10) == [], report.table()


def test_every_kind_of_customer_is_free_of_tells_too(scenarios: list[Scenario]) -> None:
    """Pooled over all customers a bias one way in angry scenarios could hide one the other way elsewhere."""
    for kind in ("angry", "confused", "rude"):
        report = tells_report([s for s in scenarios if s.persona.kind == kind])
        assert report.failures(max_above_chance=15, max_only_flawless=50, min_close_calls=15) == [], (
            kind,
            report.table(),
        )


def test_every_persona_is_a_different_person_with_their_own_face(scenarios: list[Scenario]) -> None:
    names = Counter(s.persona.name for s in scenarios)
    first_names = Counter(s.persona.name.split()[0] for s in scenarios)
    avatars = Counter(s.persona.avatar for s in scenarios)
    assert [n for n, c in names.items() if c > 1] == []
    assert [n for n, c in first_names.items() if c > 1] == []
    assert [a for a, c in avatars.items() if c > 1] == [], "two scenarios share a face"
    assert "default" not in avatars, "every bundled persona has a face of their own"


def _shingles(text: str, size: int = 7) -> set[tuple[str, ...]]:
    words = re.findall(r"[a-z0-9']+", text.lower())
    return {tuple(words[i : i + size]) for i in range(len(words) - size + 1)}


def test_no_reply_wording_is_reused_across_scenarios(scenarios: list[Scenario]) -> None:
    """A decoy a trainee has met in another scenario is recognised, not judged: seven words in a row may not recur."""
    owner: dict[tuple[str, ...], str] = {}
    shared: set[str] = set()
    for scenario in scenarios:
        mine = {sh for n in scenario.nodes for r in n.replies or [] for sh in _shingles(r.text)}
        for sh in mine:
            if sh in owner and owner[sh] != scenario.id:
                shared.add(f"{owner[sh]} / {scenario.id}: {' '.join(sh)}")
            owner.setdefault(sh, scenario.id)
    assert sorted(shared) == []


def test_every_avatar_set_is_listed_in_the_licence_and_the_readme() -> None:
    avatars = LIBRARY.parent / "assets" / "avatars"
    licence = (LIBRARY.parent / "assets" / "LICENSE.md").read_text(encoding="utf-8")
    readme = (avatars / "README.md").read_text(encoding="utf-8")
    missing = [
        d.name
        for d in avatars.iterdir()
        if d.is_dir() and (f"`{d.name}`" not in licence or f"`{d.name}`" not in readme)
    ]
    assert missing == []
