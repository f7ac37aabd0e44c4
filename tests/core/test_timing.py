"""Only steps with a time limit are timed: untimed steps never count toward pace or timeliness."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core import load_rubric, load_scenario, replay
from simulator.core.scoring import pace

GOLDEN = Path(__file__).parent / "golden"
# late-parcel: only the opening node has a `timeout`; order_number and choice have none.
PATH = [1, 1, 2]


@pytest.fixture(scope="module")
def loaded():  # type: ignore[no-untyped-def]
    return load_scenario(GOLDEN / "late-parcel.yaml")


def _debrief(loaded, times, timed=True):  # type: ignore[no-untyped-def]
    return replay(loaded.scenario, load_rubric(), loaded.analysis, PATH, response_times=times, timed=timed)


def test_the_fixture_has_one_timed_node_on_this_path(loaded) -> None:  # type: ignore[no-untyped-def]
    session, _ = _debrief(loaded, [1.0, 1.0, 1.0])
    limits = [loaded.scenario.node(s.node_id).timeout is not None for s in session.state.steps]
    assert limits == [True, False, False]


def test_waiting_long_on_an_untimed_step_costs_nothing(loaded) -> None:  # type: ignore[no-untyped-def]
    _, quick = _debrief(loaded, [1.0, 1.0, 1.0])
    _, slow = _debrief(loaded, [1.0, 500.0, 500.0])
    assert slow.overall == quick.overall == 100
    assert slow.trait_scores()["timeliness"] == quick.trait_scores()["timeliness"]


def test_untimed_steps_are_on_time_and_marked_untimed(loaded) -> None:  # type: ignore[no-untyped-def]
    _, debrief = _debrief(loaded, [1.0, 500.0, 500.0])
    assert [s.time_limited for s in debrief.steps] == [True, False, False]
    assert all(s.on_time for s in debrief.steps)


def test_a_slow_timed_step_still_lowers_pace(loaded) -> None:  # type: ignore[no-untyped-def]
    session, debrief = _debrief(loaded, [1.0, 1.0, 1.0])
    allowed = session.state.steps[0].allowed_time
    late_session, late = _debrief(loaded, [allowed * 1.5, 1.0, 1.0])
    assert pace(loaded.scenario, late_session.state) == pytest.approx(50.0)
    assert not late.steps[0].on_time
    assert late.overall is not None and debrief.overall is not None and late.overall < debrief.overall


def test_no_pace_when_the_timer_is_off(loaded) -> None:  # type: ignore[no-untyped-def]
    session, debrief = _debrief(loaded, [900.0, 900.0, 900.0], timed=False)
    assert pace(loaded.scenario, session.state) is None
    assert [s.time_limited for s in debrief.steps] == [False, False, False]
    assert debrief.overall == 100
