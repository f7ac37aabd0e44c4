"""The Session owns an attempt: it saves after every step, finishes into the debrief, and tells the transcript."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core import (
    AttemptStore,
    Line,
    PlayState,
    ScenarioChangedError,
    Session,
    StoryError,
    build_debrief,
    load_playable,
    replay,
)

from ..round_again import ROUND_AGAIN

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"


@pytest.fixture
def store(tmp_path: Path):  # type: ignore[no-untyped-def]
    attempts = AttemptStore(tmp_path / "attempts.db")
    yield attempts
    attempts.close()


def _saved_state(store: AttemptStore, attempt_id: str) -> PlayState | None:
    return store.unfinished_state(attempt_id)


def test_every_step_is_saved_as_it_is_taken(store: AttemptStore) -> None:
    session = Session.start(load_playable(GOLDEN), mode="practice", timed=True, store=store)
    attempt = session.state.attempt_id
    assert _saved_state(store, attempt) == session.state  # saved before the first reply
    session.time_out(40.0)
    assert _saved_state(store, attempt) == session.state
    assert len(session.state.steps) == 1 and session.state.steps[0].timed_out
    session.choose(1, 3.0)
    saved = _saved_state(store, attempt)
    assert saved is not None and [s.number for s in saved.steps] == [None, 1]
    session.rewind()
    saved = _saved_state(store, attempt)
    assert saved is not None and len(saved.steps) == 1 and saved.rewinds == 1


def test_finish_records_the_debrief_the_core_computes(store: AttemptStore) -> None:
    playable = load_playable(GOLDEN)
    session = Session.start(playable, mode="assessment", timed=False, store=store)
    for number in (1, 1, 2):
        session.choose(number, 2.0)
    assert session.finished and session.outcome == "resolved"
    debrief = session.finish()
    assert playable.rubric is not None
    assert debrief == build_debrief(session.scenario, session.state, playable.rubric, playable.analysis)
    assert session.finish() is debrief  # finishing twice records once
    [record] = store.attempts("late-parcel")
    assert record.finished and record.overall == debrief.overall == 100
    assert store.unfinished_state(session.state.attempt_id) is None


def test_finish_before_an_ending_is_refused(store: AttemptStore) -> None:
    session = Session.start(load_playable(GOLDEN), store=store)
    session.choose(1)
    with pytest.raises(StoryError, match="not reached an ending"):
        session.finish()
    assert not session.debrief_so_far().finished


def test_transcript_lines_follow_the_play_and_a_take_back(store: AttemptStore) -> None:
    session = Session.start(load_playable(GOLDEN), mode="practice", store=store)
    first = session.transcript()
    assert [line.kind for line in first] == ["customer"]
    assert first[0].speaker == "Priya Shah" and first[0].text.startswith("Nine days!")
    session.choose(2)
    reply_text = session.transcript()[1].text
    assert session.transcript()[1] == Line("trainee", "You", reply_text)
    assert str(session.transcript()[1]) == f"You: {reply_text}"
    session.rewind()
    assert session.transcript() == first
    session.time_out()
    assert [line.kind for line in session.transcript()] == ["customer", "system", "customer"]


def test_a_long_attempt_saves_what_a_fresh_session_would(store: AttemptStore, tmp_path: Path) -> None:
    """The transcript and state kept step by step are exactly what rebuilding from the state gives,
    through time-outs and take-backs, in memory and in the records."""
    path = tmp_path / "round-again.yaml"
    path.write_text(ROUND_AGAIN, encoding="utf-8")
    playable = load_playable(path)
    session = Session.start(playable, mode="practice", timed=True, store=store)
    for step in range(60):
        if step % 7 == 3:
            session.time_out(12.5) if session.time_limited else session.choose(1, 1.0)
        else:
            session.choose(1 + step % 2 if session.node.id == "ask" else 1, 2.0 + step)
        if step % 11 == 5:
            session.rewind()
        [record] = store.unfinished("round-again")
        assert record.state == session.state.to_dict()
        fresh = Session.resume(playable, record, store)
        assert fresh.transcript() == session.transcript()
        assert record.transcript == [
            {"kind": line.kind, "speaker": line.speaker, "text": line.text} for line in fresh.transcript()
        ]
    assert len(session.state.steps) > 40 and session.state.rewinds > 0
    kinds = {line.kind for line in session.transcript()}
    assert kinds == {"narration", "customer", "trainee", "system"}


def test_a_failing_store_is_reported_and_practice_goes_on(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "attempts.db")
    problems: list[str] = []
    session = Session.start(load_playable(GOLDEN), store=store, on_save_problem=problems.append)
    store.close()  # every later write fails
    session.choose(1)
    assert len(session.state.steps) == 1
    assert problems and session.save_problem == problems[-1]
    assert "could not be used" in problems[-1]


def test_a_scenario_with_errors_cannot_start(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: 1\nid: x\n", encoding="utf-8")
    with pytest.raises(StoryError, match="broken.yaml cannot be played"):
        Session.start(load_playable(broken))


def test_replay_drives_a_session_and_can_record_it(store: AttemptStore) -> None:
    playable = load_playable(GOLDEN)
    assert playable.scenario is not None and playable.rubric is not None
    session, debrief = replay(playable.scenario, playable.rubric, playable.analysis, [1, 1, 2], store=store)
    assert isinstance(session, Session) and debrief.overall == 100
    assert [r.id for r in store.attempts()] == [session.state.attempt_id]


def test_an_attempt_that_reached_an_ending_is_finished_without_opening_the_debrief(store: AttemptStore) -> None:
    session = Session.start(load_playable(GOLDEN), mode="assessment", timed=False, store=store)
    for number in (1, 1, 2):
        session.choose(number, 2.0)
    # The window closes here, before "See the debrief".
    [record] = store.attempts("late-parcel")
    assert record.finished and record.outcome == "resolved" and record.overall == 100
    assert store.unfinished("late-parcel") == []


def test_resume_carries_on_exactly_where_it_was(store: AttemptStore) -> None:
    playable = load_playable(GOLDEN)
    session = Session.start(playable, mode="practice", timed=True, store=store, seed=1234, trainee="Ana")
    session.choose(2, 4.5)
    order = [o.index for o in session.offers]
    transcript = session.transcript()
    [record] = store.unfinished("late-parcel", trainee="Ana")
    assert record.steps == 1 and record.fingerprint == playable.scenario.fingerprint()
    assert [tuple(line.values()) for line in record.transcript or []] == [
        (line.kind, line.speaker, line.text) for line in transcript
    ]
    resumed = Session.resume(playable, record, store)
    assert resumed.state == session.state
    assert [o.index for o in resumed.offers] == order  # the same reply order
    assert resumed.transcript() == transcript
    assert (resumed.mode, resumed.timed, resumed.trainee) == ("practice", True, "Ana")
    assert resumed.state.steps[0].response_time == 4.5


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = GOLDEN.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "late-parcel.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_scenario_edited_under_a_saved_attempt_is_never_resumed(store: AttemptStore, tmp_path: Path) -> None:
    session = Session.start(load_playable(GOLDEN), store=store, seed=7)
    session.choose(1)
    [record] = store.unfinished()
    changed = load_playable(_edited(tmp_path, "Nine days!", "Ten days!"))
    with pytest.raises(ScenarioChangedError, match="has changed since this attempt began"):
        Session.resume(changed, record, store)
    assert store.unfinished()[0].transcript == record.transcript  # the old attempt can still be read


@pytest.mark.parametrize(("edit", "complaint"), [("rename", "node 'opening'"), ("reorder", "moved or changed")])
def test_states_without_a_fingerprint_are_checked_step_by_step(
    store: AttemptStore, tmp_path: Path, edit: str, complaint: str
) -> None:
    """Records from before fingerprints: a renamed node or reordered replies is an error, never a KeyError or a
    debrief naming a reply the trainee never chose."""
    session = Session.start(load_playable(GOLDEN), store=store)
    session.choose(1)
    state = session.state
    text = GOLDEN.read_text(encoding="utf-8")
    if edit == "reorder":
        # Swap the first two replies of the opening node.
        first = text.index("      - text:")
        second = text.index("      - text:", first + 1)
        third = text.index("      - text:", second + 1)
        text = text[:first] + text[second:third] + text[first:second] + text[third:]
    else:
        text = text.replace("id: opening", "id: greeting").replace("to: opening", "to: greeting")
    path = tmp_path / "late-parcel.yaml"
    path.write_text(text, encoding="utf-8")
    playable = load_playable(path)
    assert playable.ok, playable.errors
    with pytest.raises(ScenarioChangedError, match=complaint):
        Session(playable.scenario, playable.rubric, state=state)
