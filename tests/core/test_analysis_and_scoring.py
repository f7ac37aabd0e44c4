"""Static bounds, best and worst plays, and the debrief's scores, on the documented example."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core import Bounds, Story, build_debrief, explore, load_rubric, load_scenario, replay
from simulator.core.scoring import normalise, punctuality

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    return load_scenario(GOLDEN / "late-parcel.yaml")


def test_static_bounds_over_complete_paths(loaded) -> None:  # type: ignore[no-untyped-def]
    bounds = loaded.analysis.trait_bounds
    assert bounds["ownership"] == Bounds(worst=-4, best=3)
    assert bounds["empathy"] == Bounds(worst=-2, best=2)
    assert "patience" not in bounds
    assert loaded.analysis.path_count == 21
    assert loaded.analysis.endings == ["lost", "resolved"]


def test_exploration_finds_best_and_worst_plays(loaded) -> None:  # type: ignore[no-untyped-def]
    found = explore(loaded.scenario, load_rubric(), loaded.analysis)
    assert found.complete and found.plays == 21
    assert found.best is not None and found.worst is not None
    assert (found.best.overall, found.worst.overall) == (100, 0)
    assert found.worst.outcome == "customer_lost"
    assert found.outcomes == {"resolved": 15, "customer_lost": 6}


def test_unscored_trait_is_not_assessed_not_zero(loaded) -> None:  # type: ignore[no-untyped-def]
    _, debrief = replay(loaded.scenario, load_rubric(), loaded.analysis, [1, 1, 1])
    scores = debrief.trait_scores()
    assert scores["patience"] is None and scores["negotiation"] is None
    assert scores["empathy"] == 100
    assert debrief.overall == 100 and debrief.passed


def test_debrief_names_the_better_reply_and_key_moments(loaded) -> None:  # type: ignore[no-untyped-def]
    _, debrief = replay(loaded.scenario, load_rubric(), loaded.analysis, [2, 2])
    first = debrief.steps[0]
    assert first.chosen_number == 2 and first.best is not None and first.best.number == 1
    assert "sincere" in first.best.why.lower() or "apology" in first.best.why.lower()
    assert debrief.outcome == "customer_lost" and not debrief.passed
    kinds = [m.kind for m in debrief.key_moments]
    assert "loss" in kinds
    assert len(debrief.tips) == 3
    rubric = load_rubric()
    for tip in debrief.tips:
        assert tip.quote in [s.quote for s in rubric.trait(tip.trait_id).sources]
        assert tip.document_title == rubric.documents[tip.document]


def test_unfinished_attempt_has_no_overall(loaded) -> None:  # type: ignore[no-untyped-def]
    story = Story(loaded.scenario)
    story.choose(1)
    debrief = build_debrief(loaded.scenario, story.state, load_rubric())
    assert not debrief.finished and debrief.overall is None and not debrief.passed


def test_timeliness_from_response_times_and_no_time_pressure(loaded) -> None:  # type: ignore[no-untyped-def]
    rubric = load_rubric()
    fast = Story(loaded.scenario, timed=True)
    slow = Story(loaded.scenario, timed=True)
    relaxed = Story(loaded.scenario, timed=False)
    for story, seconds in ((fast, 3.0), (slow, 500.0), (relaxed, 500.0)):
        for _ in range(3):
            story.choose(1, seconds)
    scores = {
        name: build_debrief(loaded.scenario, s.state, rubric).trait_scores()["timeliness"]
        for name, s in (("fast", fast), ("slow", slow), ("relaxed", relaxed))
    }
    # The model answers also score timeliness fully, so only pace tells the three apart.
    assert scores["fast"] == 100
    assert scores["slow"] == 50  # half the score is pace, and 500 s is far past the allowance
    assert scores["relaxed"] == 100  # no time pressure: pace is dropped, not penalised


def test_normalise_and_punctuality() -> None:
    assert normalise(0, -4, 4) == 50
    assert normalise(9, -4, 4) == 100
    assert punctuality(10, 20, False) == 1.0
    assert punctuality(30, 20, False) == 0.5
    assert punctuality(5, 20, True) == 0.0
