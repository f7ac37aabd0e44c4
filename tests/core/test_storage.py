"""Attempts are saved after each choice, finished attempts keep their debrief, bad files are refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from simulator.core import AttemptStore, StorageError, Story, build_debrief, load_rubric, load_scenario

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


def test_corrupt_database_is_a_clear_error_and_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    path.write_bytes(b"this is not sqlite" * 100)
    before = path.read_bytes()
    with pytest.raises(StorageError, match=str(path)):
        AttemptStore(path)
    assert path.read_bytes() == before


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
