"""Attempts are saved after each choice, finished attempts keep their debrief, bad files are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from simulator.core import (
    AttemptStore,
    StorageBusyError,
    StorageError,
    Story,
    StoryError,
    build_debrief,
    load_rubric,
    load_scenario,
)
from simulator.core.storage import SCHEMA_VERSION

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"


def test_progress_then_finish(tmp_path: Path) -> None:
    scenario = load_scenario(GOLDEN).scenario
    store = AttemptStore(tmp_path / "a.db")
    story = Story(scenario)
    story.choose(1, 2.0)
    attempt_id = store.save_progress(story.state)
    resumed = store.unfinished_state(attempt_id)
    assert resumed == story.state
    story.choose(1)
    story.choose(1)
    store.finish(story.state, build_debrief(scenario, story.state, load_rubric()))
    assert store.unfinished_state(attempt_id) is None
    [record] = store.attempts("late-parcel")
    assert record.finished and record.overall == 100 and record.passed
    assert record.debrief is not None and record.debrief["outcome"] == "resolved"
    assert store.best_scores() == {"late-parcel": 100}


def test_corrupt_database_is_kept_as_a_backup_and_said_so(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    store = AttemptStore(path)
    [backup] = tmp_path.glob("a.db.damaged-*")
    assert backup.read_bytes() == before
    assert store.notice is not None and str(path) in store.notice and str(backup) in store.notice
    assert "damaged" in store.notice and "kept" in store.notice
    # The new record works.
    scenario = load_scenario(GOLDEN).scenario
    story = Story(scenario)
    store.save_progress(story.state)
    assert [r.id for r in store.attempts()] == [story.state.attempt_id]
    assert store.integrity_check() == "ok"


@pytest.mark.parametrize("newer", [SCHEMA_VERSION + 1, SCHEMA_VERSION + 5])
def test_a_database_from_a_newer_frontline_is_refused_and_left_untouched(tmp_path: Path, newer: int) -> None:
    path = tmp_path / "a.db"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute(f"PRAGMA user_version = {newer}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match=rf"newer Frontline \(records version {newer}; this one reads up to"):
        AttemptStore(path)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == newer
    db.close()


def test_a_version_1_database_is_migrated_and_keeps_its_attempts(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with sqlite3.connect(path) as db:
        db.executescript(
            """
            CREATE TABLE attempts (id TEXT PRIMARY KEY, scenario_id TEXT NOT NULL, started_at TEXT NOT NULL,
              updated_at TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0, mode TEXT NOT NULL,
              timed INTEGER NOT NULL, outcome TEXT, overall INTEGER, passed INTEGER, state TEXT NOT NULL,
              debrief TEXT);
            INSERT INTO attempts VALUES ('old1', 'late-parcel', '2026-01-01T10:00:00+00:00',
              '2026-01-01T10:05:00+00:00', 1, 'practice', 1, 'resolved', 88, 1, '{}', '{"outcome": "resolved"}');
            PRAGMA user_version = 1;
            """
        )
    db.close()
    store = AttemptStore(path)
    [record] = store.attempts()
    assert (record.id, record.overall, record.trainee, record.fingerprint) == ("old1", 88, "", "")
    assert store.best_scores() == {"late-parcel": 88}
    modes = store._db.execute("PRAGMA journal_mode").fetchone()[0], store._db.execute("PRAGMA user_version").fetchone()
    assert modes == ("wal", (SCHEMA_VERSION,))
    assert store._db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert store._db.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL


def test_profiles_keep_each_trainees_attempts_apart(tmp_path: Path) -> None:
    scenario = load_scenario(GOLDEN).scenario
    store = AttemptStore(tmp_path / "a.db")
    assert store.profiles() == []
    for name, choices in (("Ana Silva", [1, 1, 1]), ("  Ben   Ode ", [2, 2])):
        story = Story(scenario)
        for c in choices:
            story.choose(c)
        store.finish(story.state, build_debrief(scenario, story.state, load_rubric()), trainee=store.add_profile(name))
    assert store.profiles() == ["Ana Silva", "Ben Ode"]
    assert store.best_scores(trainee="Ana Silva") == {"late-parcel": 100}
    assert store.best_scores(trainee="Ben Ode") == {"late-parcel": 32}  # timed, answered at once
    assert [r.trainee for r in store.attempts(trainee="Ben Ode")] == ["Ben Ode"]
    with pytest.raises(StorageError, match="needs a name"):
        store.add_profile("   ")


def test_a_locked_database_does_not_wait_long(tmp_path: Path) -> None:
    """Another program holding the file must not freeze the window: the save gives up quickly and says so."""
    scenario = load_scenario(GOLDEN).scenario
    path = tmp_path / "a.db"
    store = AttemptStore(path, busy_timeout_ms=50)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StorageBusyError, match="in use by another program"):
            store.save_progress(Story(scenario).state)
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.save_progress(Story(scenario).state)  # and works once the other program lets go


def test_saved_states_are_validated_when_read_back(tmp_path: Path) -> None:
    scenario = load_scenario(GOLDEN).scenario
    store = AttemptStore(tmp_path / "a.db")
    story = Story(scenario)
    story.choose(1, 3.0)
    attempt_id = store.save_progress(story.state)
    for column_edit, complaint in (
        ("json_set(state, '$.flags', json('null'))", "flags"),
        ("json_set(state, '$.steps[0].allowed_time', -7)", "allowed_time"),
        ("json_set(state, '$.mood', 40)", "mood"),
        ("'{not json'", "not valid JSON"),
    ):
        store._db.execute(f"UPDATE attempts SET state = {column_edit} WHERE id = ?", (attempt_id,))
        with pytest.raises(StorageError, match=complaint):
            store.unfinished_state(attempt_id)
        store.save_progress(story.state)


def test_an_infinite_response_time_is_refused_not_stored(tmp_path: Path) -> None:
    scenario = load_scenario(GOLDEN).scenario
    story = Story(scenario)
    with pytest.raises(StoryError, match="response time"):
        story.choose(1, float("inf"))
    assert story.state.steps == [] and "Infinity" not in story.state.to_json()


def test_damaged_row_does_not_hide_history(tmp_path: Path) -> None:
    scenario = load_scenario(GOLDEN).scenario
    store = AttemptStore(tmp_path / "a.db")
    story = Story(scenario)
    for _ in range(3):
        story.choose(1)
    store.finish(story.state, build_debrief(scenario, story.state, load_rubric()))
    with sqlite3.connect(tmp_path / "a.db") as db:
        db.execute("UPDATE attempts SET debrief = '{broken'")
    [record] = store.attempts()
    assert record.debrief is None and record.overall == 100
