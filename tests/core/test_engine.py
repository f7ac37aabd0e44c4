"""The engine, through its pull API, against golden playthroughs and state round-trips."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core import PlayState, Story, StoryError, load_scenario, parse_choices
from tests.core.transcript import transcript

GOLDEN = Path(__file__).parent / "golden"


def _plans(path: Path) -> list[tuple[str, str, str]]:
    text = path.read_text(encoding="utf-8")
    parts = re.split(r"^=== (.+?): (.+)$\n", text, flags=re.M)[1:]
    return [(parts[i], parts[i + 1], parts[i + 2]) for i in range(0, len(parts), 3)]


@pytest.mark.parametrize(
    "scenario,name,choices,expected",
    [
        (plan.with_suffix(".yaml"), name, choices, expected)
        for plan in sorted(GOLDEN.glob("*.testplan"))
        for name, choices, expected in _plans(plan)
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 20 else "",
)
def test_golden_playthrough(scenario: Path, name: str, choices: str, expected: str) -> None:
    loaded = load_scenario(scenario)
    assert loaded.ok, loaded.diagnostics
    assert transcript(loaded, parse_choices(choices)) == expected


@pytest.fixture
def example():  # type: ignore[no-untyped-def]
    return load_scenario(GOLDEN / "late-parcel.yaml").scenario


def test_pull_api_walks_to_an_ending(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example)
    assert story.current_node.id == "opening"
    assert [o.number for o in story.options] == [1, 2, 3]
    result = story.choose(1, 4.5)
    assert result.step.response_time == 4.5
    assert result.step.deltas == {"empathy": 2, "ownership": 1}
    assert story.state.mood == -2 and not story.finished
    story.choose(1)
    # the gift-wrap reply needs the knows_item flag the previous reply set
    assert "knows_item" in story.state.flags
    assert [o.index for o in story.options] == [0, 1, 2]
    story.choose(2)
    assert story.finished and story.outcome == "resolved"
    with pytest.raises(StoryError):
        story.choose(1)


def test_conditional_reply_is_hidden_and_numbers_close_up(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example, start_at="choice")
    assert [o.index for o in story.options] == [0, 2]
    assert [o.number for o in story.options] == [1, 2]


def test_state_round_trips_through_json_and_resumes(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example)
    story.choose(3, 2.0)
    saved = story.state.to_json()
    resumed = Story(example, state=PlayState.from_json(saved))
    assert resumed.current_node.id == "blame"
    assert resumed.state == story.state
    resumed.choose(1)
    assert resumed.current_node.id == "order_number"


def test_broken_saved_state_is_a_clear_error(example) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoryError, match="not valid JSON"):
        PlayState.from_json("{nope")
    state = Story(example).state
    state.node_id = "gone"
    with pytest.raises(StoryError, match="no longer has"):
        Story(example, state=state)


def test_rewind_is_one_step_and_practice_only(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example, mode="practice")
    story.choose(3)
    assert story.can_rewind
    story.rewind()
    assert story.current_node.id == "opening" and story.state.steps == []
    assert story.state.rewinds == 1
    assert not story.can_rewind
    exam = Story(example, mode="assessment")
    exam.choose(3)
    assert not exam.can_rewind
    with pytest.raises(StoryError):
        exam.rewind()


def test_timeout_follows_its_branch(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example, timed=True)
    assert story.time_limited
    allowed = story.allowed_seconds
    assert allowed > 40  # the limit plus reading time
    result = story.time_out()
    assert result.step.timed_out and result.step.response_time == round(allowed, 2)
    assert story.current_node.id == "silence"
    assert not story.time_limited


def test_invalid_choice_is_refused(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example)
    with pytest.raises(StoryError, match="choose 1 to 3"):
        story.choose(4)


def test_routes_pick_the_first_true_condition(tmp_path: Path) -> None:
    source = (Path(__file__).parent / "lint_fixtures" / "clean.yaml").read_text()
    source = source.replace("        to: done", "        to: route").replace(
        "  - id: done\n",
        "  - id: route\n    routes:\n      - {if: mood >= 0 and score.empathy > 1, to: lost}\n"
        "      - {to: done}\n  - id: done\n",
    )
    path = tmp_path / "routes.yaml"
    path.write_text(source)
    loaded = load_scenario(path)
    assert loaded.ok, loaded.diagnostics
    calm = Story(loaded.scenario, mood=2)
    calm.choose(1)
    assert calm.outcome == "customer_lost"
    upset = Story(loaded.scenario, mood=-3)
    upset.choose(1)
    assert upset.outcome == "resolved"


def _shown(story: Story) -> list[int]:
    return [o.index for o in story.options]


def test_replies_are_shuffled_by_the_attempts_seed(example) -> None:  # type: ignore[no-untyped-def]
    orders = {tuple(_shown(Story(example, seed=seed))) for seed in range(40)}
    assert len(orders) > 1, "a seed must change the order replies are shown in"
    assert tuple(_shown(Story(example))) == tuple(range(len(example.nodes[0].replies)))  # no seed: file order
    first, again = Story(example, seed=7), Story(example, seed=7)
    assert _shown(first) == _shown(again)


def test_numbers_follow_the_order_on_screen_and_records_name_the_reply(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example, seed=7)
    options = story.options
    assert [o.number for o in options] == list(range(1, len(options) + 1))
    shown_last = options[-1]
    result = story.choose(len(options))
    assert result.reply == shown_last.reply
    step = story.state.steps[-1]
    assert step.reply_index == shown_last.index and step.reply_id == shown_last.reply.reply_id
    assert step.offered == [o.index for o in options]  # in the order shown


def test_a_resumed_attempt_shows_the_same_order(example) -> None:  # type: ignore[no-untyped-def]
    story = Story(example, seed=12345)
    story.choose(1)
    saved = story.state.to_json()
    resumed = Story(example, state=PlayState.from_json(saved))
    assert _shown(resumed) == _shown(story)


def test_a_pinned_node_keeps_the_files_order(tmp_path: Path) -> None:
    text = (GOLDEN / "late-parcel.yaml").read_text(encoding="utf-8")
    pinned = tmp_path / "pinned.yaml"
    pinned.write_text(text.replace("  - id: opening\n", "  - id: opening\n    shuffle: false\n", 1), encoding="utf-8")
    loaded = load_scenario(pinned)
    assert loaded.ok, loaded.diagnostics
    assert loaded.scenario is not None and not loaded.scenario.nodes[0].shuffle
    for seed in range(20):
        assert _shown(Story(loaded.scenario, seed=seed)) == [0, 1, 2, 3][: len(loaded.scenario.nodes[0].replies or [])]


def test_reply_ids_are_stable_when_replies_move(example) -> None:  # type: ignore[no-untyped-def]
    replies = example.nodes[0].replies
    ids = [r.reply_id for r in replies]
    assert len(set(ids)) == len(ids)
    moved = type(replies[0]).model_validate({"text": replies[0].text, "to": "elsewhere", "why": "Moved."})
    assert moved.reply_id == replies[0].reply_id
    named = type(replies[0]).model_validate({"text": "Hi", "to": "x", "why": "Named.", "id": "greet"})
    assert named.reply_id == "greet"


def test_a_version_1_state_still_loads_in_file_order(example) -> None:  # type: ignore[no-untyped-def]
    data = Story(example).state.to_dict()
    data["version"] = 1
    del data["seed"]
    state = PlayState.from_dict(data)
    assert state.seed is None and state.version == 2
