"""Inputs the fuzzing found that crashed, hung or ran away, kept as fixtures so they stay fixed."""

from __future__ import annotations

from pathlib import Path

from simulator.core import AttemptStore, Session, load_playable
from simulator.core.explore import explore
from simulator.core.loader import MAX_EXPLAINED
from simulator.core.replay import replay

from .support import FIXTURES, load_everywhere
from .test_engine_fuzz import playables


def test_a_mapping_of_many_keys_stops_at_the_limit() -> None:
    # 400,000 keys took a minute and a gigabyte, explained one unknown key at a time (test_hostile_child).
    loaded, _ = load_everywhere((FIXTURES / "many-keys.yaml").read_bytes())
    assert [(d.line, d.col, d.code) for d in loaded.diagnostics] == [(1001, 1, "FL009")]


def test_a_control_character_after_non_ascii_text_is_at_its_own_column() -> None:
    # libyaml gives a reader error's offset in bytes; read as characters it pointed past the end of the line.
    loaded, _ = load_everywhere("\u0800\n\xa0\x1f".encode())
    assert [(d.line, d.col, d.code) for d in loaded.diagnostics] == [(2, 2, "FL003")]


def test_many_schema_errors_are_counted_not_all_listed() -> None:
    # 10,000 bad nodes gave 30,000 diagnostics in seconds; the last listed counts the rest.
    node = "  - {{id: n{0}, customr: 7, replies: [{{text: go, to: n{0}}}]}}\n"
    text = "format: 1\nnodes:\n" + "".join(node.format(i) for i in range(400))
    loaded, _ = load_everywhere(text.encode(), lint=False)
    schema = [d for d in loaded.diagnostics if d.code.startswith("FL1")]
    assert len(schema) == MAX_EXPLAINED + 1
    assert "more like these, not listed" in max(schema, key=lambda d: "not listed" in d.message).message


def test_one_damaged_state_row_does_not_hide_the_history(tmp_path: Path) -> None:
    # json_array_length() in the history query failed on the whole table for one row of bad JSON.
    store = AttemptStore(tmp_path / "attempts.db")
    kept = Session.start(playables()[0], store=store)
    damaged = Session.start(playables()[1], store=store)
    store._db.execute("UPDATE attempts SET state = '{' WHERE id = ?", (damaged.state.attempt_id,))
    records = {r.id: r for r in store.attempts()}
    assert set(records) == {kept.state.attempt_id, damaged.state.attempt_id}
    assert records[damaged.state.attempt_id].state is None
    store.close()


def test_stats_scores_a_reply_against_the_replies_on_offer() -> None:
    # stats counted the timeout among a reply's offers, so running out the clock into a capped ending looked
    # best. Fixing it moved the worst play of 7 bundled scenarios to another play of the same overall; their
    # checks were updated with it.
    playable = load_playable(FIXTURES / "stats-timeout-weight.yaml")
    assert playable.ok and playable.scenario is not None and playable.rubric is not None
    assert playable.analysis is not None
    found = explore(playable.scenario, playable.rubric, playable.analysis)
    assert found.complete and found.best is not None and found.worst is not None
    assert (found.best.choices, found.best.overall) == ([1], 100)
    assert found.worst.overall == 0


def test_stats_best_play_counts_the_endings_score_caps() -> None:
    # The least shortfall over all endings led into the ending capped at 0; stats now weighs each capped
    # ending on its own and lets the real scores decide.
    playable = load_playable(FIXTURES / "stats-capped-ending.yaml")
    assert playable.ok and playable.scenario is not None and playable.rubric is not None
    assert playable.analysis is not None
    found = explore(playable.scenario, playable.rubric, playable.analysis)
    _, debrief = replay(playable.scenario, playable.rubric, playable.analysis, [1, 1, 1])
    assert found.complete and found.best is not None and found.best.overall is not None
    assert debrief.overall == 50
    assert found.best.overall >= debrief.overall
