"""Driving the main window through its widgets, as a trainee would, for the GUI tests."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt

from simulator.core import Debrief, Scenario, Story, StoryError
from simulator.gui.main_window import MainWindow

Choice = int | str
STEP_SECONDS = 2.0


def open_briefing(qtbot, window: MainWindow, path: Path) -> None:
    assert window.library.select_path(path), f"{path} is not in the library"
    qtbot.keyClick(window.library.list, Qt.Key.Key_Return)
    assert window.current_screen() is window.briefing


def start(window: MainWindow, mode: str = "practice", timed: bool = True) -> None:
    briefing = window.briefing
    (briefing.practice_radio if mode == "practice" else briefing.assessment_radio).click()
    if briefing.timer_check.isChecked() != timed:
        briefing.timer_check.click()
    briefing.start_button.click()
    assert window.current_screen() is window.conversation


def play(window: MainWindow, clock, choices: Sequence[Choice], seconds: float = STEP_SECONDS) -> None:
    """Click the replies (or let the time run out for 't'), taking `seconds` on the fake clock for each."""
    screen = window.conversation
    for choice in choices:
        assert screen.awaiting_reply, "the conversation is not waiting for a reply"
        if choice == "t":
            clock.advance(screen.session.allowed_seconds + 1)
            screen.countdown.timeout.emit()
        else:
            clock.advance(seconds)
            screen.reply_buttons[int(choice) - 1].click()
        if screen.session.state.mode == "practice" and screen.feedback_visible:
            screen.continue_button.click()


def finishing_path(scenario: Scenario, limit: int = 80) -> list[int]:
    """A list of reply numbers that reaches an ending, found headless with a few simple policies."""
    policies = (
        lambda step, n: 1,
        lambda step, n: n,
        lambda step, n: (step % n) + 1,
        lambda step, n: ((step * 2) % n) + 1,
    )
    for policy in policies:
        story = Story(scenario, mode="assessment", timed=False)
        choices: list[int] = []
        try:
            while not story.finished and len(choices) < limit:
                number = policy(len(choices), len(story.options))
                story.choose(number)
                choices.append(number)
        except StoryError:
            continue
        if story.finished:
            return choices
    raise AssertionError(f"no simple policy finishes {scenario.id} within {limit} replies")


def assert_debrief_shows(window: MainWindow, expected: Debrief) -> None:
    """The debrief screen shows exactly what the core computed for the same path."""
    screen = window.debrief
    assert window.current_screen() is screen
    assert screen.outcome_label.text() == expected.outcome_title
    if expected.overall is None:
        assert ("not assessed" if expected.finished else "none") in screen.overall_label.text()
    else:
        assert screen.overall_label.text() == f"Overall score: {expected.overall} / 100"
    words = "PASSED" if expected.passed else "NOT PASSED"
    assert screen.result_label.text() == f"{words} (pass mark {expected.pass_mark})"
    assert screen.reason_label.text() == expected.result_reason
    assert screen.reason_label.isVisibleTo(screen) == bool(expected.result_reason)
    shown = screen.trait_texts()
    assert shown == {t.name: ("not assessed" if t.score is None else str(t.score)) for t in expected.traits}
    assert screen.steps_box.count() == len(expected.steps)
    assert screen.debrief is not None
    assert screen.debrief.to_dict() == expected.to_dict()


def leave(window: MainWindow) -> None:
    """Press Leave and confirm it in the dialog that asks first."""
    screen = window.conversation
    screen.leave_button.click()
    screen.leave_dialog_button(leave=True).click()


class FakeClock:
    """A clock moved by hand: the settling gate and the reply timer run without waiting (tests and bench_choice)."""

    def __init__(self) -> None:
        self.t = 1000.0

    def now(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds
