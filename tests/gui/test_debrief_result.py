"""The debrief screen shows a path with nothing to assess in words, and why the ending decided the result."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from PySide6.QtGui import QAccessible

from simulator.core import load_rubric, load_scenario, replay
from simulator.gui.debrief_screen import DebriefScreen

from ..dev_cancels import zero_sum
from ..round_again import ROUND_AGAIN

SCENARIO = zero_sum("endings", "Endings")


def _screen(qtbot, tmp_path: Path, choices: list[int | str]) -> DebriefScreen:  # type: ignore[no-untyped-def]
    path = tmp_path / "endings.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.scenario is not None
    rubric = load_rubric()
    _, debrief = replay(loaded.scenario, rubric, loaded.analysis, choices)
    screen = DebriefScreen()
    qtbot.addWidget(screen)
    screen.show_debrief(debrief, rubric)
    return screen


def test_a_zero_sum_path_shows_not_assessed_and_the_reason(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, tmp_path, [2])
    assert screen.overall_label.text() == "Overall score: not assessed (every reply on this path scored the same)"
    assert screen.result_label.text() == "NOT PASSED (pass mark 60)"
    reason = screen.reason_label.text()
    assert reason.endswith("the conversation with Dev ended in “Customer lost”: that ending cannot pass.")
    assert screen.reason_label.isVisibleTo(screen)
    # A screen reader reads the words shown, and hears what they are from the description.
    reason_a11y = QAccessible.queryAccessibleInterface(screen.reason_label)
    assert reason_a11y.text(QAccessible.Text.Name) == reason
    assert reason_a11y.text(QAccessible.Text.Description) == "Why this result"
    assert screen.result_label.accessibleDescription() == f"Result. {reason}"


def test_a_zero_sum_path_to_an_ending_that_can_pass_passes_and_an_empty_reason_hides(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    screen = _screen(qtbot, tmp_path, [1])
    assert screen.result_label.text() == "PASSED (pass mark 60)"  # nothing to fail on, and the ending can pass
    assert screen.reason_label.text().startswith("Every reply on this path scored the same")
    assert screen.debrief is not None
    screen.show_debrief(dataclasses.replace(screen.debrief, result_reason=""), None)
    assert not screen.reason_label.isVisibleTo(screen) and screen.result_label.accessibleDescription() == "Result"


def _long_debrief(tmp_path: Path, rounds: int):  # type: ignore[no-untyped-def]
    path = tmp_path / "round-again.yaml"
    path.write_text(ROUND_AGAIN, encoding="utf-8")
    loaded = load_scenario(path)
    assert loaded.scenario is not None
    rubric = load_rubric()
    choices: list[int | str] = [1] * (2 * rounds) + [1, 2]  # round and round, then close the call
    _, debrief = replay(loaded.scenario, rubric, loaded.analysis, choices)
    assert debrief.finished
    return debrief, rubric


def test_a_long_debrief_opens_on_its_top_and_the_step_cards_follow(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    debrief, rubric = _long_debrief(tmp_path, 30)
    screen = DebriefScreen()
    qtbot.addWidget(screen)
    screen.show()
    screen.show_debrief(debrief, rubric)
    # The top is there before the event loop runs again; the cards below it are still to come.
    assert screen.outcome_label.text() == debrief.outcome_title
    assert screen.next_time_label.text()
    assert screen.building
    qtbot.waitUntil(lambda: not screen.building)
    cards = [screen.steps_box.itemAt(i).widget() for i in range(screen.steps_box.count())]
    assert [card.accessibleName() for card in cards] == [f"Step {s.index}" for s in debrief.steps]
    assert len(cards) == len(debrief.steps) > 60

    # A shorter debrief shown while cards of the last are still pending shows its own cards only.
    short, _ = _long_debrief(tmp_path, 2)
    screen.show_debrief(debrief, rubric)
    screen.show_debrief(short, rubric)
    assert screen.steps_box.count() == len(short.steps)  # reading the cards finishes them
    assert not screen.building
