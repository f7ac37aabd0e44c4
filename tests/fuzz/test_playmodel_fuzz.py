"""Property: the play model behind `frontline stats` (playmodel.py) agrees with the real engine.

Random plays go through the engine and the model in lockstep: at every step both offer the same number of
replies and the same timeout, a move the engine refuses is one the model has no state for, and the model's
state holds what the engine's does (node, mood, the flags and counts conditions read). When the search is
exact, every play's outcome is one it found, and its score lies between the worst and best it reports.
"""

from __future__ import annotations

from functools import cache

from hypothesis import given
from hypothesis import strategies as st

from simulator.core import Rubric, Scenario, Session, StoryError, analyse, load_rubric
from simulator.core.analysis import TIMEOUT_CHOICE
from simulator.core.explore import Exploration, explore
from simulator.core.playmodel import PlayModel, Refused, State

from .test_engine_fuzz import playables

MAX_STEPS = 80


@cache
def rubric_for_tests() -> Rubric:
    return load_rubric()


@cache
def searched(index: int) -> tuple[PlayModel, Exploration]:
    playable = playables()[index]
    assert playable.scenario is not None and playable.rubric is not None and playable.analysis is not None
    return PlayModel(playable.scenario), explore(playable.scenario, playable.rubric, playable.analysis)


def agree(model: PlayModel, state: State, session: Session) -> None:
    engine = session.state
    node, mood, flags, scores, total, visits = state
    assert node == engine.node_id
    if model.reads_mood:
        assert mood == engine.mood
    assert flags == frozenset(engine.flags) & model.flags_read
    for trait, i in model.trait_index.items():
        assert scores[i] == model._held(engine.totals.get(trait, 0), model.trait_caps[i])
    if model.reads_total:
        assert total == model._held(sum(engine.totals.values()), model.total_cap)
    for node_id, i in model.visit_index.items():
        high = model.visit_caps[i]
        count = engine.visits.get(node_id, 0)
        assert visits[i] == (count if high is None else min(count, high))
    assert (model.ending(state) is not None) == session.finished


def lockstep(scenario: Scenario, data: st.DataObject) -> Session | None:
    """A random play as stats plays (assessment, untimed, replies in the file's order) through the engine and
    the model together, checking they agree at every step; the session, or None when both refuse a move."""
    model = PlayModel(scenario)
    try:
        state: State | None = model.start()
    except Refused:
        state = None
    try:
        session = Session(scenario, rubric_for_tests(), analyse(scenario), mode="assessment", timed=False, seed=None)
    except StoryError:
        assert state is None, "the engine refused a start the model allows"
        return None
    assert state is not None, "the model refused a start the engine allows"
    agree(model, state, session)
    for _ in range(MAX_STEPS):
        if session.finished:
            break
        moves, _, _ = model.moves(state)
        assert len([m for m in moves if m[0] != TIMEOUT_CHOICE]) == len(session.offers)
        assert any(m[0] == TIMEOUT_CHOICE for m in moves) == (session.node.timeout is not None)
        choice, _, following = data.draw(st.sampled_from(moves), label="move")
        try:
            if choice == TIMEOUT_CHOICE:
                session.time_out()
            else:
                session.choose(int(choice))
        except StoryError:
            assert following is None, "the engine refused a move the model allows"
            return None
        assert following is not None, "the model refused a move the engine allows"
        state = following
        agree(model, state, session)
    return session


@given(st.data())
def test_random_plays_through_engine_and_model_agree(data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(playables()) - 1), label="scenario")
    scenario = playables()[index].scenario
    assert scenario is not None
    session = lockstep(scenario, data)
    _, found = searched(index)
    assert session is not None, "a bundled scenario refused a move"
    if not session.finished or not found.complete:
        return
    debrief = session.finish()
    assert debrief.outcome in found.outcomes, (debrief.outcome, found.outcomes)
    assert found.best is not None and found.worst is not None
    if debrief.overall is not None:
        assert found.best.overall is not None and found.worst.overall is not None
        assert found.worst.overall <= debrief.overall <= found.best.overall
