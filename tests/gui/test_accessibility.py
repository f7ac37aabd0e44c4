"""What a sighted trainee reads reaches assistive technology, on every screen; the layout scales with zoom."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QPalette
from PySide6.QtSvgWidgets import QSvgWidget
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QScrollArea,
    QScrollBar,
    QWidget,
)

from simulator.gui.conversation_screen import MoodMeter
from simulator.gui.widgets import ChatBubble, FocusScrollArea

from .conftest import ROUTER_RESET
from .helpers import open_briefing, play, start

NAMED_KINDS = (QAbstractButton, QLineEdit, QComboBox, QAbstractScrollArea, QProgressBar, QSvgWidget, MoodMeter)


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _a11y(widget: QWidget) -> tuple[str, str]:
    iface = QAccessible.queryAccessibleInterface(widget)
    assert iface is not None, f"no accessible interface for {widget!r}"
    return iface.text(QAccessible.Text.Name), iface.text(QAccessible.Text.Description)


def unreadable(screen: QWidget) -> list[str]:
    """Every visible text or control on the screen that assistive technology cannot read, described."""
    problems = []
    for widget in screen.findChildren(QWidget):
        if not widget.isVisible() or isinstance(widget, QScrollBar) or widget.objectName() == "qt_scrollarea_viewport":
            continue
        name, description = _a11y(widget)
        if isinstance(widget, QLabel):
            shown = _words(re.sub(r"&(.)", r"\1", widget.text()) if widget.buddy() else widget.text())
            if shown and shown not in _words(name) and shown not in _words(description):
                problems.append(f"label {shown[:40]!r} is exposed as {name[:40]!r} / {description[:40]!r}")
            continue
        focusable = bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus)
        if (isinstance(widget, NAMED_KINDS) or focusable) and not name.strip():
            problems.append(f"{type(widget).__name__} has no accessible name")
        if isinstance(widget, QAbstractScrollArea) and focusable and not isinstance(widget, (FocusScrollArea,)):
            if type(widget).__name__ not in ("QListWidget", "QListView"):
                problems.append(f"scroll area {name!r} takes Tab focus without a visible focus frame")
    return problems


def test_the_checker_finds_a_label_whose_name_hides_its_text(qtbot):
    label = QLabel("The words on screen")
    label.setAccessibleName("Something else")
    qtbot.addWidget(label)
    holder = QWidget()
    qtbot.addWidget(holder)
    label.setParent(holder)
    holder.show()
    assert unreadable(holder) == ["label 'The words on screen' is exposed as 'Something else' / ''"]


def test_every_screen_exposes_its_text_and_names_its_controls(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    assert window.library.current_entry() is not None
    assert unreadable(window.library) == []
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    assert unreadable(window.briefing) == []
    start(window, mode="practice", timed=True)
    screen = window.conversation
    assert unreadable(screen) == []
    clock.advance(2)
    screen.reply_buttons[0].click()
    assert screen.feedback_visible
    assert unreadable(screen) == []
    effect = screen.feedback_effect.text()
    assert effect.startswith("Effect: ") and _a11y(screen.feedback_effect)[0] == effect
    screen.continue_button.click()
    play(window, clock, [1, 2])
    assert window.current_screen() is window.debrief
    assert unreadable(window.debrief) == []


def test_bubbles_carry_the_words_and_the_newest_customer_line_is_announced(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    first = "Nine days! It was for my daughter's birthday, which was yesterday. Where is it?"
    assert screen.last_customer_line() == first
    name, _ = _a11y(screen.transcript.bubbles[-1])
    assert name == f"Priya Shah said: {first}"
    assert first in _a11y(screen.transcript_area)[1]
    assert screen.announcements and first in screen.announcements[-1]

    screen.reply_buttons[0].click()
    said = _a11y(screen.transcript.bubbles[-1])[0]
    assert said.startswith("You said: ") and len(said) > len("You said: ")
    heard = len(screen.announcements)
    screen.continue_button.click()
    second = "It's GS-4471. The present was a telescope."
    assert _a11y(screen.transcript.bubbles[-1])[0] == f"Priya Shah said: {second}"
    assert first in _a11y(screen.transcript.bubbles[0])[0]  # earlier lines stay readable too
    assert len(screen.announcements) == heard + 1 and screen.announcements[-1] == f"Priya Shah: {second}"
    assert second in _a11y(screen.transcript_area)[1]


def test_mood_and_timer_labels_say_what_they_show(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=True)
    screen = window.conversation
    assert _a11y(screen.mood_label) == ("Mood: Confused and frustrated (-2)", "The customer's mood")
    assert _a11y(screen.timer_label)[0].startswith("Time left: ")
    screen.expire_timer()  # on to "waiting", a node with no time limit
    assert not screen.session.time_limited and screen.timer_label.isVisible()
    assert _a11y(screen.timer_label)[0] == "No time limit on this reply."
    assert not screen.timer_bar.isVisible()


def test_debrief_results_are_read_as_shown(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=False)
    play(window, clock, [3, 2])
    debrief = window.debrief
    for label, what in (
        (debrief.outcome_label, "Outcome"),
        (debrief.overall_label, "Overall score"),
        (debrief.moments_label, "Key moments"),
    ):
        name, description = _a11y(label)
        assert name == label.text() and label.text() and description == what
    name, description = _a11y(debrief.result_label)
    assert name.startswith(("PASSED", "NOT PASSED")) and description.startswith("Result")
    assert "Step 1" in _a11y(debrief.moments_label)[0]


def test_scroll_areas_are_named_and_only_focusable_ones_show_focus(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=False)
    play(window, clock, [3, 2])
    screens = (window.library, window.briefing, window.conversation, window.debrief)
    areas = [a for s in screens for a in s.findChildren(QScrollArea)]
    assert areas and all(a.accessibleName() for a in areas)
    for area in areas:
        focusable = area.focusPolicy() != Qt.FocusPolicy.NoFocus
        assert focusable == isinstance(area, FocusScrollArea), area.accessibleName()
    assert not window.conversation.bottom_area.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert isinstance(window.debrief.scroll, FocusScrollArea)

    # The frame is drawn only while focused, in the highlight colour.
    scroll = window.debrief.scroll
    scroll.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(scroll.hasFocus)
    highlight = scroll.palette().color(QPalette.ColorRole.Highlight)
    assert scroll.grab().toImage().pixelColor(0, scroll.height() // 2) == highlight
    window.debrief.retry_button.setFocus()
    qtbot.waitUntil(lambda: not scroll.hasFocus())
    assert scroll.grab().toImage().pixelColor(0, scroll.height() // 2) != highlight


def test_the_debrief_scrolls_from_the_keyboard_wherever_focus_is(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    window.resize(800, 560)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=False)
    play(window, clock, [3, 2])
    bar = window.debrief.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    assert bar.value() == 0
    qtbot.keyClick(window.debrief.retry_button, Qt.Key.Key_PageDown)
    assert bar.value() > 0
    qtbot.keyClick(window.debrief.retry_button, Qt.Key.Key_End)
    assert bar.value() == bar.maximum()
    qtbot.keyClick(window.debrief.library_button, Qt.Key.Key_Home)
    assert bar.value() == 0


@pytest.mark.parametrize("steps", [2, -1])
def test_zoom_scales_headings_names_and_existing_bubbles_and_goes_back(qtbot, make_window, fixture_dir, steps):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    screen.reply_buttons[0].click()
    widgets = {
        "title": screen.title,
        "name": screen.persona_name,
        "feedback heading": screen.feedback_heading,
        "briefing title": window.briefing.title,
        "library title": window.library.findChildren(QLabel)[0],
        "bubble": screen.transcript.bubbles[0],
        "body": screen.mood_label,
    }
    assert isinstance(widgets["bubble"], ChatBubble)
    before = {k: w.font().pointSizeF() for k, w in widgets.items()}
    for _ in range(abs(steps)):
        (window.zoom_in if steps > 0 else window.zoom_out)()
    QApplication.processEvents()
    after = {k: w.font().pointSizeF() for k, w in widgets.items()}
    grew = {k: (after[k] > before[k]) if steps > 0 else (after[k] < before[k]) for k in widgets}
    assert grew == dict.fromkeys(widgets, True)
    window.zoom_reset()
    QApplication.processEvents()
    assert {k: w.font().pointSizeF() for k, w in widgets.items()} == before
