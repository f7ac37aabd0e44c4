"""Input that forgives: double and held keys, a filtered library, Escape, and the timer's warning."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication

from simulator.gui.widgets import SETTLE_SECONDS

from .conftest import ROUTER_RESET
from .helpers import open_briefing, play, start
from .settling import settle


def _held(widget, key: Qt.Key) -> None:
    """An auto-repeated press, as a key held down sends."""
    event = QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, "", True)
    QApplication.sendEvent(widget, event)


def _assessment(qtbot, window, fixture_dir, name="late-parcel.yaml", timed=False):
    open_briefing(qtbot, window, fixture_dir / name)
    start(window, mode="assessment", timed=timed)
    return window.conversation


def test_a_double_press_answers_only_the_question_on_screen(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir)
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_2)
    clock.advance(0.06)  # "2" again 60 ms later, before the next question has settled
    qtbot.keyClick(screen, Qt.Key.Key_2)
    assert len(screen.session.state.steps) == 1 and screen.awaiting_reply
    settle(qtbot, screen, clock)  # painted and settled: now a fresh press answers
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert len(screen.session.state.steps) == 2


def test_a_settled_question_still_waits_for_its_first_paint(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir)
    clock.advance(10)  # plenty of time, but nothing has been painted yet
    assert not screen.gate.painted and not screen.input_ready
    qtbot.keyClick(screen, Qt.Key.Key_1)
    assert screen.session.state.steps == []


def test_held_keys_never_answer(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir)
    settle(qtbot, screen, clock)
    _held(screen, Qt.Key.Key_1)
    _held(screen.reply_buttons[0], Qt.Key.Key_Return)
    _held(screen.reply_buttons[0], Qt.Key.Key_Space)
    assert screen.session.state.steps == []
    qtbot.keyClick(screen.reply_buttons[0], Qt.Key.Key_Return)  # a fresh press on the focused reply works
    assert len(screen.session.state.steps) == 1


def test_enter_and_clicks_on_a_reply_wait_for_it_to_settle(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir)
    qtbot.waitUntil(lambda: screen.gate.painted)
    qtbot.keyClick(screen.reply_buttons[0], Qt.Key.Key_Return)
    qtbot.mouseClick(screen.reply_buttons[1], Qt.MouseButton.LeftButton)
    assert screen.session.state.steps == []
    clock.advance(SETTLE_SECONDS)
    qtbot.mouseClick(screen.reply_buttons[1], Qt.MouseButton.LeftButton)
    assert screen.session.state.steps[-1].number == 2


def test_practice_feedback_is_not_skipped_by_the_same_enter(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=False)
    screen = window.conversation
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen.reply_buttons[0], Qt.Key.Key_Return)
    assert screen.feedback_visible
    qtbot.keyClick(screen.continue_button, Qt.Key.Key_Return)  # a second Enter at once: the feedback stays
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert screen.feedback_visible
    settle(qtbot, screen, clock)
    qtbot.keyClick(screen, Qt.Key.Key_Return)
    assert not screen.feedback_visible and screen.awaiting_reply


def test_enter_twice_from_the_library_opens_the_briefing_but_does_not_start(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    window.briefing.gate.clock = clock
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    qtbot.keyClick(window.briefing.start_button, Qt.Key.Key_Return)
    assert window.current_screen() is window.briefing
    settle(qtbot, window.briefing, clock)
    _held(window.briefing.start_button, Qt.Key.Key_Return)
    assert window.current_screen() is window.briefing
    qtbot.keyClick(window.briefing.start_button, Qt.Key.Key_Return)
    assert window.current_screen() is window.conversation


def _filtered_library(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    lib = window.library
    assert lib.status_label.text() == "2 scenarios"
    lib.kind_filter.setCurrentIndex(lib.kind_filter.findData("confused"))  # only router_reset is confused
    assert [e.path.name for e in lib.visible_entries()] == [ROUTER_RESET.name]
    return window, lib


def test_the_count_line_says_how_many_of_how_many(qtbot, make_window, fixture_dir):
    _window, lib = _filtered_library(qtbot, make_window, fixture_dir)
    assert lib.status_label.text() == "1 of 2 scenarios"
    lib.kind_filter.setCurrentIndex(0)
    assert lib.status_label.text() == "2 scenarios"


def test_home_end_and_enter_act_only_on_visible_scenarios(qtbot, make_window, fixture_dir):
    window, lib = _filtered_library(qtbot, make_window, fixture_dir)
    for key in (Qt.Key.Key_End, Qt.Key.Key_Home, Qt.Key.Key_PageDown, Qt.Key.Key_End):
        qtbot.keyClick(lib.list, key)
        assert lib.list.currentIndex().isValid(), key  # the list holds only the rows the filter shows
        assert lib.current_entry().path.name == ROUTER_RESET.name
    qtbot.keyClick(lib.list, Qt.Key.Key_Return)
    assert window.current_screen() is window.briefing
    assert window.briefing.entry.path.name == ROUTER_RESET.name


def test_enter_or_down_in_the_search_box_moves_to_the_list(qtbot, make_window, fixture_dir):
    window, lib = _filtered_library(qtbot, make_window, fixture_dir)
    window.activateWindow()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Return):
        lib.search.setFocus()
        qtbot.waitUntil(lib.search.hasFocus)
        qtbot.keyClick(lib.search, key)
        qtbot.waitUntil(lib.list.hasFocus)
        assert window.current_screen() is lib  # Enter in the search box does not open anything
        assert lib.current_entry().path.name == ROUTER_RESET.name


def test_escape_goes_back_from_the_briefing_and_the_debrief(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    qtbot.keyClick(window.briefing.start_button, Qt.Key.Key_Escape)
    assert window.current_screen() is window.library
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    play(window, clock, [1, 1])
    assert window.current_screen() is window.debrief
    qtbot.keyClick(window.debrief.retry_button, Qt.Key.Key_Escape)
    assert window.current_screen() is window.library


def test_escape_in_a_conversation_asks_and_says_the_attempt_is_saved(qtbot, make_window, fixture_dir, clock, store):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir)
    play(window, clock, [1])
    qtbot.keyClick(screen.reply_buttons[0], Qt.Key.Key_Escape)
    dialog = screen.leave_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert "saved (1 reply)" in dialog.text() and "Resume" in dialog.text()
    assert dialog.defaultButton() is screen.leave_dialog_button(leave=False)
    screen.leave_dialog_button(leave=False).click()
    assert window.current_screen() is screen and screen.leave_dialog is None and screen.awaiting_reply

    qtbot.keyClick(screen, Qt.Key.Key_Escape)
    screen.leave_dialog_button(leave=True).click()
    assert window.current_screen() is window.library
    assert len(store.unfinished()) == 1
    # What the dialog promised is true: the briefing offers to resume it.
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    assert window.briefing.unfinished_box.isVisibleTo(window.briefing)
    assert window.briefing.resume_button.isVisibleTo(window.briefing)


def test_leaving_without_a_store_says_the_attempt_is_lost(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir, store=None)
    screen = _assessment(qtbot, window, fixture_dir)
    assert "could not be saved" in screen.leave_message() and "cannot be resumed" in screen.leave_message()
    assert "cannot be saved" in screen.leave_button.toolTip()


def test_the_timer_warns_in_words_and_colour_in_its_last_quarter(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir, name=ROUTER_RESET.name, timed=True)
    allowed = screen.session.allowed_seconds
    normal = screen.timer_label.palette().color(QPalette.ColorRole.WindowText)
    clock.advance(allowed * 0.5)
    screen.tick()
    assert not screen.time_warning and "nearly up" not in screen.timer_label.text()
    clock.advance(allowed * 0.3)  # 20% left
    screen.tick()
    assert screen.time_warning
    assert screen.timer_label.text().endswith("Time is nearly up!")  # in words, not colour alone
    assert screen.timer_label.palette().color(QPalette.ColorRole.WindowText) != normal
    assert "nearly up" in screen.timer_bar.accessibleDescription()
    assert screen.announcements[-1].startswith("Time is nearly up")
    screen.expire_timer()  # the next node has no limit: the warning goes
    assert not screen.time_warning
    assert screen.timer_label.palette().color(QPalette.ColorRole.WindowText) == normal


def test_the_debrief_shows_no_allowance_for_untimed_steps(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    screen = _assessment(qtbot, window, fixture_dir, timed=True)
    play(window, clock, [1, 1, 2], seconds=200)  # slow everywhere; only the opening had a limit
    debrief = window.debrief.debrief
    assert [s.time_limited for s in debrief.steps] == [True, False, False]
    qtbot.waitUntil(lambda: not window.debrief.building)  # the step cards come after the top is painted
    texts = [label.text() for label in window.debrief.findChildren(type(window.debrief.moments_label))]
    timings = [t for t in texts if t.startswith("You took")]
    assert len(timings) == 3
    assert "allowed" in timings[0] and "late" in timings[0]
    assert all("no time limit on this reply" in t and "allowed" not in t for t in timings[1:])
    assert screen.session.finished
