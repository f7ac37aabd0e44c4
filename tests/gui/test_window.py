"""The main window and app: title, first screen, zoom keys, saved geometry, navigation, storage and error reporting."""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading

import pytest
from PySide6.QtCore import QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget

from simulator.core import AppPaths, AttemptStore, StorageError, TraitScore
from simulator.gui import app as app_module
from simulator.gui.charts import describe, paint_trait_bars, trait_bars_height
from simulator.gui.main_window import GEOMETRY_KEY, MainWindow

from .conftest import ROUTER_RESET
from .helpers import leave, open_briefing, play, start


def test_title_and_first_screen(make_window):
    window = make_window()
    assert "Frontline" in window.windowTitle()
    assert window.current_screen() is window.library
    assert not window.windowIcon().isNull()


def test_zoom_keys_scale_the_application_font(qtbot, make_window):
    window = make_window()
    base = QApplication.font().pointSizeF()
    window.activateWindow()
    window.zoom_in()
    window.zoom_in()
    assert QApplication.font().pointSizeF() == pytest.approx(base + 2)
    window.zoom_out()
    assert QApplication.font().pointSizeF() == pytest.approx(base + 1)
    window.zoom_reset()
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    shortcuts = {a.text(): [s.toString() for s in a.shortcuts()] for a in window.actions()}
    assert "Ctrl++" in shortcuts["Larger text"]
    assert "Ctrl+-" in shortcuts["Smaller text"]
    assert "Ctrl+0" in shortcuts["Normal text size"]


def test_geometry_is_saved_and_restored(qtbot, make_window, store):
    window = make_window()
    window.resize(800, 580)  # within the offscreen platform's 800x600 screen, and unlike the default size
    window.close()
    assert QSettings().value(GEOMETRY_KEY) is not None
    again = MainWindow(store=store, include_bundled=False)
    qtbot.addWidget(again)
    assert (again.size().width(), again.size().height()) == (800, 580)
    qtbot.waitUntil(lambda: not again.library.loading)


def test_every_interactive_widget_has_an_accessible_name(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="practice", timed=True)
    window.conversation.reply_buttons[0].click()
    unnamed = [
        w
        for w in window.findChildren(QWidget)
        if w.focusPolicy() != Qt.FocusPolicy.NoFocus
        and isinstance(w, QAbstractButton)
        and not (w.accessibleName() and w.text())
    ]
    assert unnamed == []


def test_retry_and_another_scenario(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    path = fixture_dir / ROUTER_RESET.name
    open_briefing(qtbot, window, path)
    start(window, mode="practice", timed=False)
    play(window, clock, [1, 1])
    assert window.current_screen() is window.debrief
    first_attempt = window.conversation.session.state.attempt_id
    window.debrief.retry_button.click()
    assert window.current_screen() is window.conversation
    story = window.conversation.session
    assert story.state.steps == [] and story.state.mode == "practice" and not story.state.timed
    assert story.state.attempt_id != first_attempt
    play(window, clock, [1, 1])
    window.debrief.another_button.click()
    assert window.current_screen() is window.library
    assert window.library.current_entry().path != path


def test_leave_returns_to_library(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    window.briefing.back_button.click()
    assert window.current_screen() is window.library
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=True)
    leave(window)
    assert window.current_screen() is window.library
    assert not window.conversation.countdown.isActive()


class _FailingStore(AttemptStore):
    def save_progress(self, state, **record):  # noqa: ANN001, ANN003
        raise StorageError("the attempt records at /nowhere could not be used: disk I/O error")


def test_storage_failure_is_shown_not_fatal(qtbot, make_window, fixture_dir, clock, tmp_path):
    failing = _FailingStore(tmp_path / "failing.db")
    window = make_window(fixture_dir, store=failing)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    assert window.banner.isVisible()
    assert "could not be saved" in window.banner_label.text()
    play(window, clock, [1, 1])
    assert window.current_screen() is window.debrief
    failing.close()


def test_corrupt_database_at_start_is_a_message(qtbot, make_window, fixture_dir, tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not an sqlite database" * 100)
    store = AttemptStore(bad)
    window = make_window(fixture_dir, store=store)
    assert window.banner.isVisible() and "were damaged" in window.banner_label.text()
    assert ".damaged-" in window.banner_label.text()
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    assert window.conversation.awaiting_reply
    store.close()


def test_newer_database_at_start_is_a_message(qtbot, make_window, fixture_dir, tmp_path):
    newer = tmp_path / "newer.db"
    with sqlite3.connect(newer) as db:
        db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(StorageError) as caught:
        AttemptStore(newer)
    window = make_window(fixture_dir, store=None, storage_problem=str(caught.value))
    assert window.banner.isVisible() and "will not be saved" in window.banner_label.text()
    assert "newer Frontline" in window.banner_label.text()
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    assert window.conversation.awaiting_reply


def test_exception_reporter_logs_and_shows_a_short_message(qtbot, tmp_path, monkeypatch):
    log_path = app_module.setup_logging(tmp_path / "logs")
    reporter = app_module.ExceptionReporter(log_path)
    shown: list[str] = []
    monkeypatch.setattr(reporter, "show_message", shown.append)
    try:
        raise ValueError("bad value in a slot")
    except ValueError:
        reporter.handle(*sys.exc_info())
    for handler in logging.getLogger().handlers:
        handler.flush()
    assert len(shown) == 1
    assert "ValueError: bad value in a slot" in shown[0] and str(log_path) in shown[0]
    assert "Traceback" not in shown[0]
    assert "Traceback" in log_path.read_text(encoding="utf-8")
    for handler in list(logging.getLogger().handlers):
        if getattr(handler, "baseFilename", None) == str(log_path):
            logging.getLogger().removeHandler(handler)
            handler.close()


def test_run_opens_the_window_and_returns(qtbot, tmp_path, monkeypatch, fixture_dir):
    paths = AppPaths.under(tmp_path / "home")
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    seen: list[MainWindow] = []

    def close_windows() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                seen.append(widget)
                widget.close()

    QTimer.singleShot(200, close_windows)
    try:
        assert app_module.run([fixture_dir], paths) == 0
    finally:
        for handler in list(logging.getLogger().handlers):
            if getattr(handler, "baseFilename", None) == str(paths.log_file):
                logging.getLogger().removeHandler(handler)
                handler.close()
    assert seen and "Frontline" in seen[0].windowTitle()
    assert QApplication.applicationName() == "Frontline"
    # One object placed everything: the attempt records, the log and the settings sit under its folders.
    assert paths.attempts_db.is_file()
    assert paths.log_file.is_file()
    assert list(paths.config_dir.rglob("*.ini")), "the window's settings belong in the config folder"


def _traits() -> list[TraitScore]:
    return [
        TraitScore("empathy", "Empathy and sincere apology", 80, 2, -2, 3, True),
        TraitScore("patience", "Patience and composure", 0, -2, -2, 2, False),
        TraitScore("knowledge", "Knowledge and accuracy", None, 0, 0, 0, False),
    ]


def test_chart_paints_on_an_image_and_a_pdf(tmp_path):
    traits = _traits()
    font = QFont()
    height = trait_bars_height(traits, font, 600)
    assert height > 0
    image = QImage(600, int(height) + 1, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_trait_bars(painter, QRectF(0, 0, 600, height), traits, QApplication.palette())
    painter.end()
    assert image.pixelColor(300, 10) != QColor("white") or image.pixelColor(450, 15) != QColor("white")

    pdf = QPdfWriter(str(tmp_path / "chart.pdf"))
    pdf.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    painter = QPainter(pdf)
    paint_trait_bars(painter, QRectF(0, 0, pdf.width(), pdf.height() / 3), traits, QApplication.palette())
    painter.end()
    assert (tmp_path / "chart.pdf").stat().st_size > 500
    assert describe(traits).splitlines() == [
        "Empathy and sincere apology (in focus): 80",
        "Patience and composure: 0",
        "Knowledge and accuracy: not assessed",
    ]


def test_debrief_lists_tips_with_quotes(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="assessment", timed=False)
    play(window, clock, [3, 2])
    debrief = window.debrief.debrief
    assert debrief.tips
    texts = [w.text() for w in window.debrief.findChildren(QWidget) if hasattr(w, "text") and callable(w.text)]
    for tip in debrief.tips:
        assert f"“{tip.quote}” — {tip.document_title}" in texts
    assert "NOT PASSED" in window.debrief.result_label.text()


def test_zoom_shortcuts_from_the_keyboard(qtbot, make_window):
    window = make_window()
    base = QApplication.font().pointSizeF()
    window.activateWindow()
    qtbot.keyClick(window.library.list, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == pytest.approx(base + 1)
    qtbot.keyClick(window.library.list, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(window.library.list, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == pytest.approx(base - 1)
    qtbot.keyClick(window.library.list, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() == pytest.approx(base)


def test_every_widget_belongs_to_the_window(qtbot, make_window, fixture_dir, clock):
    """After a whole play, every widget the screens made has a parent: none is left for Python's collector."""
    before = set(map(id, QApplication.topLevelWidgets()))
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / "late-parcel.yaml")
    start(window, mode="practice", timed=True)
    play(window, clock, [1, 1, 2])
    assert window.current_screen() is window.debrief
    window.debrief.retry_button.click()
    play(window, clock, [2, 1, 1])
    popups = ("QMenu", "QTipLabel", "QComboBoxPrivateContainer")
    strays = [
        type(w).__name__
        for w in QApplication.topLevelWidgets()
        if id(w) not in before and w is not window and not any(w.inherits(kind) for kind in popups)
    ]
    assert strays == []
