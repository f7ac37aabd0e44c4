"""Playing scenarios end to end through the widgets: the debrief matches the core, modes, timers, keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt

from simulator.core import PlayState, Story, analyse_or_raise, iter_scenario_files, load_scenario, replay, rubric_for
from simulator.core.resources import bundled_scenarios_dir
from simulator.gui.widgets import SETTLE_SECONDS

from ..round_again import ROUND_AGAIN
from .helpers import STEP_SECONDS, assert_debrief_shows, finishing_path, leave, open_briefing, play, start
from .settling import settle


def _bundled_files() -> list[Path]:
    return iter_scenario_files([bundled_scenarios_dir()])


BUNDLED = _bundled_files()


def _expected(path: Path, choices, mode: str, timed: bool, seconds: float = STEP_SECONDS):
    loaded = load_scenario(path)
    scenario, analysis = analyse_or_raise(loaded)
    rubric = rubric_for(path)
    times = [0.0 if c == "t" else seconds for c in choices]
    _story, debrief = replay(scenario, rubric, analysis, choices, response_times=times, mode=mode, timed=timed)
    return debrief


@pytest.mark.parametrize("mode", ["practice", "assessment"])
@pytest.mark.parametrize(
    "name, choices",
    [
        ("router_reset.yaml", [1, 2]),
        ("router_reset.yaml", [3, 2]),
        ("late-parcel.yaml", [1, 1, 2]),
        ("late-parcel.yaml", [3, 2]),
    ],
)
def test_debrief_matches_core(qtbot, make_window, fixture_dir, clock, store, name, choices, mode):
    window = make_window(fixture_dir)
    path = fixture_dir / name
    open_briefing(qtbot, window, path)
    start(window, mode=mode, timed=True)
    play(window, clock, choices)
    expected = _expected(path, choices, mode, timed=True)
    assert_debrief_shows(window, expected)
    records = [r for r in store.attempts(expected.scenario_id) if r.finished]
    assert len(records) == 1 and records[0].overall == expected.overall


def test_timeout_path_matches_core(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    path = fixture_dir / "late-parcel.yaml"
    open_briefing(qtbot, window, path)
    start(window, mode="assessment", timed=True)
    screen = window.conversation
    allowed = screen.session.allowed_seconds
    play(window, clock, ["t"])
    assert screen.session.state.steps[-1].timed_out
    play(window, clock, [1, 1, 2])
    loaded = load_scenario(path)
    scenario, analysis = analyse_or_raise(loaded)
    _story, expected = replay(
        scenario,
        rubric_for(path),
        analysis,
        ["t", 1, 1, 2],
        response_times=[allowed + 1, STEP_SECONDS, STEP_SECONDS, STEP_SECONDS],
        mode="assessment",
        timed=True,
    )
    assert_debrief_shows(window, expected)


@pytest.mark.skipif(not BUNDLED, reason="the bundled library has no scenarios yet")
@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_bundled_scenario_plays_to_debrief(qtbot, make_window, clock, path):
    loaded = load_scenario(path)
    if not loaded.ok:
        pytest.skip(f"{path.name} does not load (frontline lint reports it)")
    choices = finishing_path(loaded.scenario)
    window = make_window(include_bundled=True)
    open_briefing(qtbot, window, path)
    start(window, mode="assessment", timed=True)
    play(window, clock, choices)
    assert_debrief_shows(window, _expected(path, choices, "assessment", timed=True))


def test_practice_shows_feedback_and_allows_one_take_back(qtbot, make_window, fixture_dir, clock, store):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    clock.advance(3)
    screen.reply_buttons[0].click()
    assert screen.feedback_visible and screen.feedback_panel.isVisible()
    assert "Empathy and sincere apology +2" in screen.feedback_effect.text()
    assert "Ownership and follow-through +1" in screen.feedback_effect.text()
    assert "A sincere, specific apology first" in screen.feedback_why.text()
    assert screen.take_back_button.isVisible()
    saved = store.attempts()
    assert len(saved) == 1 and not saved[0].finished  # progress is saved after every choice

    screen.take_back_button.click()
    assert screen.session.state.steps == []
    assert screen.awaiting_reply and not screen.feedback_panel.isVisible()
    assert screen.session.state.rewinds == 1

    screen.reply_buttons[1].click()
    assert screen.feedback_panel.isVisible()
    screen.continue_button.click()
    assert screen.awaiting_reply
    assert screen.transcript.lines[-1] == ("customer", "It's GS-4471. The present was a telescope.")
    assert ("trainee", "I apologize for that. Can I have your order number?") in screen.transcript.lines


def test_assessment_shows_no_feedback_and_no_take_back(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=False)
    screen = window.conversation
    screen.reply_buttons[0].click()
    assert not screen.feedback_visible and not screen.feedback_panel.isVisible()
    assert not screen.take_back_button.isVisible()
    assert not screen.session.can_rewind
    assert screen.awaiting_reply
    assert screen.session.node.id == "order_number"


def test_keys_choose_replies(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    assert screen.session.state.steps[-1].number == 2
    assert screen.feedback_panel.isVisible()
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.awaiting_reply and screen.session.node.id == "order_number"
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_9)  # there is no reply 9 here: nothing happens
    assert len(screen.session.state.steps) == 1


def test_reply_buttons_are_numbered_and_named(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=True)
    buttons = window.conversation.reply_buttons
    assert [b.text().split(".")[0] for b in buttons] == ["1", "2", "3"]
    assert all(b.accessibleName().startswith(f"Reply {i}:") for i, b in enumerate(buttons, start=1))


def test_timer_expires_through_the_clock(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "router_reset.yaml")
    start(window, mode="practice", timed=True)
    screen = window.conversation
    assert screen.session.time_limited and screen.countdown.isActive()
    allowed = screen.session.allowed_seconds
    clock.advance(5)
    screen.countdown.timeout.emit()
    assert screen.timer_label.text() == f"Time left: {int(allowed - 5) + (1 if allowed % 1 else 0)} s"
    assert screen.timer_bar.isVisible()
    clock.advance(allowed)  # now past the allowance
    screen.countdown.timeout.emit()
    step = screen.session.state.steps[-1]
    assert step.timed_out and step.response_time >= allowed
    assert screen.session.node.id == "waiting"
    assert screen.feedback_panel.isVisible()
    assert "Time ran out" in screen.feedback_said.text()
    assert not screen.countdown.isActive()
    screen.continue_button.click()
    assert screen.transcript.lines[-1] == ("customer", "Hello? Are you still there?")


def test_expire_timer_method(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "router_reset.yaml")
    start(window, mode="assessment", timed=True)
    screen = window.conversation
    screen.expire_timer()
    assert screen.session.state.steps[-1].timed_out
    assert screen.session.node.id == "waiting"
    assert not screen.session.time_limited  # the waiting node has no limit
    assert not screen.countdown.isActive()


def test_timer_off_never_times_out(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "router_reset.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    assert not screen.session.time_limited and not screen.countdown.isActive()
    assert not screen.timer_bar.isVisible()
    clock.advance(1000)
    screen.tick()
    screen.expire_timer()
    assert screen.session.state.steps == [] and screen.awaiting_reply


def test_mood_follows_the_story(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "router_reset.yaml")
    start(window, mode="assessment", timed=False)
    screen = window.conversation
    assert screen.mood_label.text() == "Mood: Confused and frustrated (-2)"
    assert screen.current_picture == "confused" and screen.mood_meter.mood == -2
    screen.reply_buttons[0].click()  # mood +2
    assert screen.mood_meter.mood == 0
    assert screen.mood_label.text() == "Mood: Confused (+0)"


def test_trainees_see_shuffled_replies_and_keys_follow_the_screen(qtbot, make_window, fixture_dir, clock):
    path = fixture_dir / "late-parcel.yaml"
    seeds = iter(range(1000))
    window = make_window(fixture_dir, reply_order=lambda: next(seeds))
    scenario = load_scenario(path).scenario
    file_order = [r.text for r in scenario.nodes[0].replies]
    shown_orders = set()
    for _attempt in range(8):
        open_briefing(qtbot, window, path)
        start(window, mode="assessment", timed=False)
        screen = window.conversation
        shown = [b.text().split(". ", 1)[1] for b in screen.reply_buttons]
        assert sorted(shown) == sorted(file_order)
        shown_orders.add(tuple(shown))
        leave(window)
    assert len(shown_orders) > 1, "every attempt showing the file's order would let position give the answer away"

    open_briefing(qtbot, window, path)
    start(window, mode="assessment", timed=False)
    screen = window.conversation
    seed = screen.session.state.seed
    on_screen = screen.reply_buttons[1].text().split(". ", 1)[1]
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    step = screen.session.state.steps[-1]
    assert step.number == 2 and step.reply_id is not None
    chosen = next(r for r in scenario.nodes[0].replies if r.reply_id == step.reply_id)
    assert chosen.text == on_screen
    rest = finishing_path_from(screen)
    play(window, clock, rest)
    playable_debrief = window.debrief.debrief
    loaded = load_scenario(path)
    _session, expected = replay(
        loaded.scenario,
        rubric_for(path),
        loaded.analysis,
        [2, *rest],
        response_times=[SETTLE_SECONDS] + [STEP_SECONDS] * len(rest),  # reply 2 came once the screen settled
        mode="assessment",
        timed=False,
        seed=seed,
    )
    assert playable_debrief.to_dict() == expected.to_dict()


def finishing_path_from(screen) -> list[int]:
    """Reply 1 at every step from here, checked headless on a copy of the session's state."""
    story = Story(screen.session.scenario, state=PlayState.from_json(screen.session.state.to_json()))
    choices = []
    while not story.finished:
        story.choose(1)
        choices.append(1)
    return choices


def _started(qtbot, make_window, tmp_path: Path, text: str, mode: str):  # type: ignore[no-untyped-def]
    """A window playing the scenario ``text`` (from a library of just that file), untimed."""
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "scenario.yaml").write_text(text, encoding="utf-8")
    window = make_window(folder)
    open_briefing(qtbot, window, folder / "scenario.yaml")
    start(window, mode=mode, timed=False)
    return window


SAME_WORDS = """\
format: 1
id: same-words
title: "Go on"
summary: "Two questions answered with the same two words."
persona: {name: Lee Park, kind: confused, mood: 0, description: "A patient caller."}
setting: "Phone support"
difficulty: easy
minutes: 2
focus: [empathy]
briefing: "Let him talk."
pass_mark: 50
nodes:
  - id: one
    customer: "First thing."
    replies:
      - {text: "Go on.", to: two, traits: {empathy: 1}, why: "Listens."}
  - id: two
    customer: "Second thing."
    replies:
      - {text: "Go on.", to: done, traits: {empathy: 1}, why: "Listens."}
  - id: done
    ending: {outcome: resolved, title: "Heard", summary: "Lee felt heard."}
"""


def test_a_reply_kept_with_the_same_words_is_painted_again_and_takes_a_real_click(qtbot, make_window, tmp_path, clock):
    """Reply buttons are reused from node to node; one whose words did not change must still be painted
    afresh, or the settling gate would never open and the trainee could not answer."""
    window = _started(qtbot, make_window, tmp_path, SAME_WORDS, "assessment")
    screen = window.conversation
    first = screen.reply_buttons[0]
    settle(qtbot, screen, clock)
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert screen.transcript.lines[-1] == ("customer", "Second thing.")
    assert screen.reply_buttons == [first] and not screen.input_ready
    settle(qtbot, screen, clock)
    qtbot.mouseClick(first, Qt.MouseButton.LeftButton)
    assert window.current_screen() is window.debrief


def test_a_long_conversation_keeps_its_lines_in_order_and_a_take_back_removes_only_the_last(
    qtbot, make_window, tmp_path, clock
):
    """The transcript appends rows in pages laid out by hand: many pages deep, every line is there once,
    top to bottom without overlap, and a take-back across a page boundary removes just its lines."""
    window = _started(qtbot, make_window, tmp_path, ROUND_AGAIN, "practice")
    screen = window.conversation
    play(window, clock, [1] * 30)
    expected = [(line.kind, line.text) for line in screen.session.transcript()]
    assert screen.transcript.lines == expected and len(expected) > 70

    def in_order() -> bool:
        spans = [(b.mapTo(screen.transcript, QPoint(0, 0)).y(), b.height()) for b in screen.transcript.bubbles]
        pairs = zip(spans, spans[1:], strict=False)
        return all(h > 0 for _, h in spans) and all(y + h <= y2 for (y, h), (y2, _) in pairs)

    qtbot.waitUntil(in_order)
    bubbles = len(screen.transcript.bubbles)
    clock.advance(STEP_SECONDS)
    screen.reply_buttons[0].click()
    assert len(screen.transcript.lines) == len(expected) + 1  # the reply; the next line comes with Continue
    screen.take_back_button.click()
    assert screen.transcript.lines == expected and len(screen.transcript.bubbles) == bubbles
    qtbot.waitUntil(in_order)
