"""A conversation worth having: the customer types before each line (skippable, off in the other tests), the
chat glides to the newest line, and the debrief opens on the outcome and the one thing to do better next time."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt

from simulator.core import analyse_or_raise, load_scenario, replay, rubric_for
from simulator.core.resources import bundled_scenarios_dir
from simulator.gui.debrief_screen import biggest_loss, next_time_text
from simulator.gui.theme import MOTION_KEY

from .helpers import open_briefing, play, start

BROADBAND = bundled_scenarios_dir() / "angry-broadband-outage-day3.yaml"
LATE_PARCEL_FIRST = "Nine days! It was for my daughter's birthday, which was yesterday. Where is it?"


def _start_moving(qtbot, make_window, fixture_dir, mode="practice", timed=True):
    window = make_window(fixture_dir)
    window.conversation.motion = True  # what Settings > Theme leaves on for trainees
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode=mode, timed=timed)
    return window, window.conversation


def test_motion_is_off_in_tests_and_on_for_trainees_by_default(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    screen = window.conversation
    assert not screen.moving()  # conftest.py turns it off in the tests' settings
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window)
    assert not screen.typing and screen.transcript.lines[-1][0] == "customer"
    QSettings().remove(MOTION_KEY)
    assert screen.moving()  # a trainee who never chose has it on


def test_the_customer_types_before_the_line_and_the_replies_appear(qtbot, make_window, fixture_dir, clock):
    window, screen = _start_moving(qtbot, make_window, fixture_dir)
    assert screen.typing and screen.awaiting_reply
    assert ("customer", LATE_PARCEL_FIRST) not in screen.transcript.lines
    assert screen.transcript.typing_label is not None
    assert screen.transcript.typing_label.text() == f"{screen.session.scenario.persona.name} is typing…"
    assert not screen.replies_box.isVisible() and "typing" in screen.replies_heading.text()
    assert screen.typing_timer.isActive() and 600 <= screen.typing_timer.interval() <= 1500
    clock.advance(5)  # the pause is not the trainee's time
    assert screen.seconds_left() == screen.session.allowed_seconds

    screen.typing_timer.timeout.emit()  # the pause ends (no test waits for it)
    assert not screen.typing and screen.transcript.typing_label is None
    assert screen.transcript.lines[-1] == ("customer", LATE_PARCEL_FIRST)
    assert screen.replies_box.isVisible() and screen.replies_heading.text().startswith("Your reply")
    assert LATE_PARCEL_FIRST in screen.announcements[-1]
    assert screen.seconds_left() == screen.session.allowed_seconds  # the clock starts now

    # After a reply and Continue, the next line comes after a pause too.
    clock.advance(2)
    screen.reply_buttons[0].click()
    assert screen.feedback_visible and not screen.typing
    screen.continue_button.click()
    assert screen.typing and screen.transcript.lines[-1][0] == "trainee"


def test_a_key_skips_the_pause_without_answering(qtbot, make_window, fixture_dir):
    window, screen = _start_moving(qtbot, make_window, fixture_dir)
    assert screen.typing
    qtbot.keyClick(screen.transcript_area, Qt.Key.Key_2)
    assert not screen.typing and screen.transcript.lines[-1] == ("customer", LATE_PARCEL_FIRST)
    assert screen.session.state.steps == []  # the key showed the line; it did not choose reply 2
    assert not screen.typing_timer.isActive()


def test_a_click_skips_the_pause(qtbot, make_window, fixture_dir):
    window, screen = _start_moving(qtbot, make_window, fixture_dir)
    assert screen.typing
    qtbot.mouseClick(screen.transcript_area.viewport(), Qt.MouseButton.LeftButton)
    assert not screen.typing and screen.replies_box.isVisible()


def test_a_reply_chosen_during_the_pause_shows_the_line_first(qtbot, make_window, fixture_dir, clock):
    """Assistive technology or a test may press a reply at once: the line is shown, then the reply counts."""
    window, screen = _start_moving(qtbot, make_window, fixture_dir, mode="assessment")
    assert screen.typing
    screen.reply_buttons[0].click()
    assert len(screen.session.state.steps) == 1
    assert ("customer", LATE_PARCEL_FIRST) in screen.transcript.lines
    assert screen.typing  # assessment: straight on to the next line, typed again


def test_leaving_during_the_pause_stops_it(qtbot, make_window, fixture_dir):
    window, screen = _start_moving(qtbot, make_window, fixture_dir)
    screen.leave()
    assert not screen.typing and not screen.typing_timer.isActive()
    assert window.current_screen() is window.library


def test_the_chat_glides_to_the_newest_line(qtbot, make_window, clock):
    window = make_window(include_bundled=True)
    window.resize(800, 560)  # small, so the conversation overflows and scrolls
    window.conversation.motion = True
    open_briefing(qtbot, window, BROADBAND)
    start(window, mode="assessment", timed=False)
    screen = window.conversation
    bar = screen.transcript_area.verticalScrollBar()
    animation = screen._scroll_animation
    screen.finish_typing()
    started = []
    animation.stateChanged.connect(lambda new, _old: started.append(new))
    for _ in range(3):
        clock.advance(2)
        screen.reply_buttons[0].click()
        screen.finish_typing()
        if screen.session.finished:
            break
        qtbot.waitUntil(lambda: bar.maximum() > 0 and bar.value() == bar.maximum(), timeout=3_000)
    assert started and animation.duration() > 0  # it glided rather than jumped
    assert bar.value() == bar.maximum() > 0


def _debrief_for(path, choices):
    scenario, analysis = analyse_or_raise(load_scenario(path))
    _story, debrief = replay(
        scenario, rubric_for(path), analysis, choices, response_times=[2.0] * len(choices), mode="assessment"
    )
    return debrief


def test_the_debrief_opens_on_the_outcome_and_one_thing_to_do_better(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    path = fixture_dir / "late-parcel.yaml"
    open_briefing(qtbot, window, path)
    start(window, mode="assessment", timed=False)
    play(window, clock, [3, 2])
    screen = window.debrief
    expected = _debrief_for(path, [3, 2])
    loss = biggest_loss(expected)
    assert loss is not None and loss.best is not None
    text = screen.next_time_label.text()
    assert text == next_time_text(expected)
    assert f"At step {loss.index} you said: “{loss.chosen_text}”" in text
    assert f"Next time try: “{loss.best.text}”" in text
    assert expected.tips and expected.tips[0].trait_name in text
    assert screen.next_time_label.accessibleDescription() == "One thing to do better next time"
    # In view as the debrief opens, right under the outcome, with no scrolling.
    viewport = screen.scroll.viewport()
    qtbot.waitUntil(lambda: screen.next_time_card.isVisible())
    assert screen.scroll.verticalScrollBar().value() == 0
    top_left = screen.next_time_card.mapTo(viewport, screen.next_time_card.rect().topLeft())
    assert top_left.y() + screen.next_time_card.height() <= viewport.height()
    assert screen.outcome_label.y() < screen.next_time_card.y() < screen.chart.y()


def test_nothing_to_fix_says_what_to_try_next(qtbot, make_window, fixture_dir):
    path = fixture_dir / "late-parcel.yaml"
    scenario, analysis = analyse_or_raise(load_scenario(path))
    from simulator.core import explore

    best = explore(scenario, rubric_for(path), analysis).best
    assert best is not None
    debrief = _debrief_for(path, [int(c) for c in best.choices])
    if debrief.tips or biggest_loss(debrief) is not None:
        assert "Next time" in next_time_text(debrief) or debrief.tips[0].trait_name in next_time_text(debrief)
    else:
        assert next_time_text(debrief).startswith("Nothing to fix")
