"""Profiles, the progress screen, past debriefs read again, PDF and history exports, all through the window."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from PySide6.QtCore import Qt

from simulator.core import AttemptStore
from simulator.core.history import debrief_from_dict

from .conftest import ROUTER_RESET
from .helpers import open_briefing, play, start


def _attempt(qtbot, window, fixture_dir: Path, clock, choices) -> None:
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    play(window, clock, choices)
    assert window.current_screen() is window.debrief
    window.debrief.library_requested.emit()


def test_profiles_keep_attempts_apart_and_the_last_one_is_remembered(
    qtbot, make_window, fixture_dir, clock, store: AttemptStore
):
    window = make_window(fixture_dir)
    assert window.trainee == "" and window.trainee_choice.currentText() == "(no name)"
    assert window.add_trainee("  Ana   Silva ") == "Ana Silva"
    assert window.trainee == "Ana Silva"
    _attempt(qtbot, window, fixture_dir, clock, [1, 1])
    assert [r.trainee for r in store.attempts()] == ["Ana Silva"]
    window.close()

    again = make_window(fixture_dir)
    assert again.trainee == "Ana Silva"  # remembered
    assert [again.trainee_choice.itemText(i) for i in range(again.trainee_choice.count())] == ["(no name)", "Ana Silva"]
    again.trainee_choice.setCurrentIndex(0)
    again.progress_button.click()
    assert again.current_screen() is again.progress
    assert again.progress.model.rowCount() == 0  # Ana's attempt is not shown under no name
    again.trainee_choice.setCurrentIndex(1)
    assert again.progress.model.rowCount() == 1


def test_progress_lists_attempts_and_reopens_a_debrief(qtbot, make_window, fixture_dir, clock, store, tmp_path):
    window = make_window(fixture_dir)
    _attempt(qtbot, window, fixture_dir, clock, [1, 1])
    _attempt(qtbot, window, fixture_dir, clock, [3, 2])
    window.progress_button.click()
    progress = window.progress
    assert progress.model.rowCount() == 2
    rows = [[progress.model.index(r, c).data() for c in range(6)] for r in range(2)]
    records = sorted(store.attempts(), key=lambda r: r.updated_at, reverse=True)
    assert [row[4] for row in rows] == [str(r.overall) for r in records]
    assert rows[0][1] == "The router that keeps blinking"
    assert "2 finished attempt(s)" in progress.summary_label.text()
    assert "weakest traits" in progress.weakest_label.text()
    assert progress.chart.accessibleDescription().startswith("Overall score over 2 attempt(s)")
    assert progress.chart_text.text() == progress.chart.describe()

    progress.table.selectRow(1)
    qtbot.keyClick(progress.table, Qt.Key.Key_Return)
    assert window.current_screen() is window.debrief
    oldest = records[1]
    assert window.debrief.debrief == debrief_from_dict(oldest.debrief)
    assert window.pdf_button.isVisible()

    pdf = tmp_path / "debrief.pdf"
    assert window.save_pdf(window.debrief.debrief, pdf)
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("debrief")] == ["debrief.pdf"]

    assert window.export_history("csv", tmp_path / "h.csv")
    rows_csv = list(csv.DictReader(io.StringIO((tmp_path / "h.csv").read_text(encoding="utf-8"))))
    assert sorted(r["overall"] for r in rows_csv) == sorted(str(r.overall) for r in records)
    assert not window.export_history("json", tmp_path / "missing" / "h.json")
    assert "cannot write" in window.banner_label.text()


def test_a_finished_attempt_is_sent_in_the_background_and_waits_when_the_lrs_is_down(
    qtbot, make_window, fixture_dir, clock, store: AttemptStore, monkeypatch
):
    import socket

    with socket.socket() as s:  # a port nothing listens on: the LRS is down
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    monkeypatch.setenv("FRONTLINE_LRS_ENDPOINT", f"http://127.0.0.1:{port}/xAPI")
    window = make_window(fixture_dir)
    open_briefing(qtbot, window, fixture_dir / ROUTER_RESET.name)
    start(window, mode="assessment", timed=False)
    play(window, clock, [1, 1])
    assert window.current_screen() is window.debrief  # the debrief did not wait for the send
    assert window._sync_process is not None  # sending runs in another process
    qtbot.waitUntil(lambda: window._sync_process is None, timeout=60_000)
    assert window.last_sync_exit_code == 1  # the send failed, and said so
    assert store.outbox_counts() == (0, 5)  # every statement waits for the next sync


def test_lrs_settings_are_written_where_frontline_sync_reads_them(make_window, fixture_dir):
    import configparser

    from PySide6.QtCore import QSettings

    window = make_window(fixture_dir)
    dialog = window.edit_lrs_settings()
    assert dialog.isVisible()
    dialog.fields["endpoint"].setText(" http://127.0.0.1:9/xAPI ")
    dialog.fields["username"].setText("room3")
    dialog.fields["password"].setText("pw")
    assert dialog.fields["password"].echoMode() == dialog.fields["password"].EchoMode.Password
    dialog.save()
    assert not dialog.isVisible()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(QSettings().fileName(), encoding="utf-8")
    assert dict(parser.items("lrs")) == {"endpoint": "http://127.0.0.1:9/xAPI", "username": "room3", "password": "pw"}
    again = window.edit_lrs_settings()
    assert again.fields["endpoint"].text() == "http://127.0.0.1:9/xAPI"
    again.fields["endpoint"].setText("")
    again.save()
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(QSettings().fileName(), encoding="utf-8")
    assert not parser.has_option("lrs", "endpoint")
