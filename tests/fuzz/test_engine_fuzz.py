"""Properties of play: random plays of every bundled scenario keep the engine's invariants, and a tampered
saved attempt is either accepted and playable or refused with the documented error.

A random play picks replies, timeouts and rewinds at random, with random response times. After every
step: the state validates, round-trips through JSON to an equal state, a Story resumed from it offers the
same replies, the mood stays in range, the attempt is finished exactly at an ending, and the debrief
(scores 0 to 100 or not assessed) computes.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from simulator.core import (
    PlayableScenario,
    PlayState,
    Session,
    StorageError,
    Story,
    StoryError,
    load_playable,
)
from simulator.core.models import MOOD_MAX, MOOD_MIN
from simulator.core.session import check_state_fits

from .support import FIXTURES, bundled_scenarios, paths_into

MAX_STEPS = 60  # a random play that loops is cut off here: the invariants are checked at every step anyway


@lru_cache(maxsize=1)
def playables() -> tuple[PlayableScenario, ...]:
    found = tuple(load_playable(p) for p in bundled_scenarios())
    assert all(p.ok for p in found), [p.errors for p in found if not p.ok]
    return found


def check_invariants(session: Session) -> None:
    state = session.state
    scenario = session.scenario
    assert MOOD_MIN <= state.mood <= MOOD_MAX, state.mood
    check_state_fits(scenario, state)
    again = PlayState.from_json(state.to_json())
    assert again == state
    resumed = Story(scenario, state=again)
    assert [(o.number, o.index) for o in resumed.options] == [(o.number, o.index) for o in session.offers]
    assert session.finished == session.node.is_ending
    assert session.finished == (session.outcome is not None)
    if not session.finished:
        assert session.offers or session.node.timeout is not None, f"stuck at {session.node.id}"
    debrief = session.debrief_so_far()
    assert debrief.finished == session.finished
    for trait in debrief.traits:
        assert trait.score is None or 0 <= trait.score <= 100, trait
    assert debrief.overall is None or 0 <= debrief.overall <= 100, debrief.overall
    assert len(debrief.steps) == len(state.steps)
    json.dumps(debrief.to_dict(), allow_nan=False)


def random_play(data: st.DataObject, playable: PlayableScenario, *, rewinds: bool = True) -> Session:
    mode = data.draw(st.sampled_from(["practice", "assessment"]), label="mode")
    session = Session.start(
        playable,
        mode=mode,
        timed=data.draw(st.booleans(), label="timed"),
        seed=data.draw(st.none() | st.integers(0, 2**32 - 1), label="seed"),
    )
    check_invariants(session)
    for _ in range(MAX_STEPS):
        if session.finished:
            break
        moves = [("reply", n) for n in range(1, len(session.offers) + 1)]
        if session.node.timeout is not None:
            moves.append(("timeout", 0))
        if rewinds and session.can_rewind:
            moves.append(("rewind", 0))
        kind, number = data.draw(st.sampled_from(moves), label="move")
        seconds = data.draw(st.floats(0, 1e6, allow_nan=False) | st.just(0.0), label="seconds")
        steps_before = len(session.state.steps)
        if kind == "reply":
            result = session.choose(number, seconds)
            assert result.step.reply_index == session.state.steps[-1].reply_index
        elif kind == "timeout":
            session.time_out(data.draw(st.none() | st.just(seconds), label="timeout seconds"))
            assert session.state.steps[-1].timed_out
        else:
            session.rewind()
            assert len(session.state.steps) == steps_before - 1
        check_invariants(session)
    if session.finished:
        debrief = session.finish()
        assert debrief.finished and debrief.outcome == session.outcome
    return session


@given(st.data())
def test_random_plays_keep_the_invariants(data: st.DataObject) -> None:
    playable = data.draw(st.sampled_from(playables()), label="scenario")
    random_play(data, playable)


# ---- tampered saved states --------------------------------------------------------------------
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.sampled_from([-1, 0, 1, 2**31, -(2**63), 10**30, 1e308, -0.0, 0.5])
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


def tamper(data: st.DataObject, saved: dict[str, Any], node_ids: list[str]) -> dict[str, Any]:
    saved = copy.deepcopy(saved)
    for _ in range(data.draw(st.integers(1, 3), label="tamperings")):
        spots = [s for s in paths_into(saved) if s]
        if not spots:
            break
        spot = data.draw(st.sampled_from(spots), label="spot")
        parent: Any = saved
        for part in spot[:-1]:
            parent = parent[part]
        last = spot[-1]
        action = data.draw(st.sampled_from(["delete", "value", "node", "number", "duplicate"]), label="tampering")
        if action == "delete":
            del parent[last]
        elif action == "value":
            parent[last] = data.draw(json_values, label="value")
        elif action == "node":
            parent[last] = data.draw(st.sampled_from(node_ids), label="node id")
        elif action == "number":
            parent[last] = data.draw(st.integers(-3, 12), label="number")
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[last]))
        else:
            saved[data.draw(st.text(max_size=6), label="new key")] = copy.deepcopy(parent[last])
    return saved


def play_tampered(playable: PlayableScenario, text: str, data: st.DataObject) -> None:
    """Read a tampered state and play on from it; only StoryError (with its subclass) may refuse it."""
    assert playable.scenario is not None and playable.rubric is not None
    try:
        state = PlayState.from_json(text)
        session = Session(playable.scenario, playable.rubric, playable.analysis, state=state)
    except StoryError as exc:
        assert str(exc)
        return
    # Accepted: it must be playable to an ending or a step limit, like any other attempt.
    check_invariants(session)
    for _ in range(20):
        if session.finished:
            session.finish()
            break
        session.choose(data.draw(st.integers(1, len(session.offers)), label="reply"), 1.0)
        check_invariants(session)


@given(st.data())
def test_tampered_saved_states_are_playable_or_refused(data: st.DataObject) -> None:
    playable = data.draw(st.sampled_from(playables()), label="scenario")
    assert playable.scenario is not None
    session = random_play(data, playable, rewinds=False)
    saved = session.state.to_dict()
    node_ids = [n.id for n in playable.scenario.nodes]
    tampered = tamper(data, saved, node_ids)
    play_tampered(playable, json.dumps(tampered, ensure_ascii=False), data)


@given(st.data(), st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_saved_state_text_of_any_bytes_is_refused(data: st.DataObject, raw: bytes) -> None:
    playable = data.draw(st.sampled_from(playables()), label="scenario")
    play_tampered(playable, raw.decode("utf-8", errors="replace"), data)


def test_saved_state_fixtures() -> None:
    """Tampered states that once crashed: each is refused or plays on (fixtures/state-*.json name their scenario)."""
    fixtures = sorted(FIXTURES.glob("state-*.json"))
    by_id = {p.scenario.id: p for p in playables() if p.scenario is not None}
    for fixture in fixtures:
        case = json.loads(fixture.read_text(encoding="utf-8"))
        play_tampered_fixed(by_id[case["scenario"]], case["state"])


def play_tampered_fixed(playable: PlayableScenario, text: str) -> None:
    """play_tampered for a fixture: always the first reply, no draws."""
    assert playable.scenario is not None and playable.rubric is not None
    try:
        session = Session(playable.scenario, playable.rubric, playable.analysis, state=PlayState.from_json(text))
    except StoryError:
        return
    check_invariants(session)
    for _ in range(20):
        if session.finished:
            break
        session.choose(1, 1.0)
        check_invariants(session)


def test_random_play_is_refused_by_storage_when_tampered_in_the_file(tmp_path: Any) -> None:
    """The store's side of the contract: a damaged state row resumes as StorageError, not another exception."""
    from simulator.core import AttemptStore

    playable = playables()[0]
    store = AttemptStore(tmp_path / "a.db")
    session = Session.start(playable, store=store)
    session.choose(1, 1.0)
    attempt_id = session.state.attempt_id
    for damage in ("{", "[]", '{"scenario_id": 1}', json.dumps({**session.state.to_dict(), "mood": 99}), "null"):
        store._db.execute("UPDATE attempts SET state = ? WHERE id = ?", (damage, attempt_id))
        (record,) = store.unfinished()
        try:
            Session.resume(playable, record, store)
        except StorageError as exc:
            assert attempt_id[:8] in str(exc)
        else:  # pragma: no cover - the assertion says what went wrong
            raise AssertionError(f"a damaged state was resumed: {damage}")
    store.close()
