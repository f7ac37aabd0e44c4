"""The library screen: broken files show an error badge and their lint messages, filters, added folders, best scores."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QFileDialog

from simulator.core import load_scenario
from simulator.gui import library_loader
from simulator.gui.library_screen import FOLDERS_KEY, LibraryScreen

from .conftest import ROUTER_RESET
from .helpers import open_briefing, play, start

BROKEN = """format: 1
id: broken-one
title: "Missing most things"
persona:
  name: Sam
  kind: furious
nodes:
  - id: start
    customer: "Hi"
    replies:
      - text: "Hello"
        to: nowhere
        why: "Greeting."
"""


def _index_for(window, path: Path):
    """The row of the (filtered) list that shows this file."""
    lib = window.library
    model = lib.list.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(Qt.ItemDataRole.UserRole).path == path:
            return index
    raise AssertionError(f"{path} is not listed")


def _text(index) -> str:
    return index.data(Qt.ItemDataRole.DisplayRole)


def test_broken_file_shows_error_badge_and_lint_messages(qtbot, make_window, fixture_dir):
    broken = fixture_dir / "broken.yaml"
    broken.write_text(BROKEN, encoding="utf-8")
    window = make_window(fixture_dir)
    lib = window.library
    assert {e.path.name for e in lib.entries} == {"broken.yaml", "late-parcel.yaml", ROUTER_RESET.name}
    assert [e.ok for e in lib.entries if e.path == broken] == [False]
    assert sum(e.ok for e in lib.entries) == 2  # the broken file hides nothing else

    index = _index_for(window, broken)  # listed in the filtered list: not hidden
    # A trainee reads a plain sentence; lint codes and the file's path wait behind Details, for a trainer.
    assert "This scenario has mistakes a trainer must fix" in _text(index)
    assert "FL" not in _text(index) and str(broken) not in _text(index)
    assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
    lib.list.setCurrentIndex(index)
    assert "This scenario has mistakes a trainer must fix" in lib.detail_kind.text()
    assert not lib.detail_problems.isVisible() and not lib.detail_source.isVisible()
    lib.details_toggle.click()
    expected = [str(d) for d in load_scenario(broken).diagnostics]
    assert expected, "the broken fixture should produce diagnostics"
    shown = lib.detail_problems.text()
    for line in expected:
        assert line in shown
    assert lib.detail_problems.isVisible()
    assert str(broken) in lib.detail_source.text() and lib.detail_source.isVisible()
    lib.details_toggle.click()
    assert not lib.detail_problems.isVisible()
    assert not lib.open_button.isEnabled()
    qtbot.keyClick(lib.list, Qt.Key.Key_Return)  # a broken file has no briefing
    assert window.current_screen() is lib
    assert "1 file with errors" in lib.status_label.text()


def test_entries_show_kind_word_difficulty_minutes_and_focus(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    text = _text(_index_for(window, fixture_dir / "late-parcel.yaml"))
    assert "The parcel that never came" in text
    assert "Angry customer" in text and "Easy" in text and "4 min" in text
    assert "Empathy and sincere apology" in text and "Memory retention" in text
    assert not _index_for(window, fixture_dir / "late-parcel.yaml").data(Qt.ItemDataRole.DecorationRole).isNull()


def test_filter_by_kind_and_search(qtbot, make_window, fixture_dir):
    (fixture_dir / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    window = make_window(fixture_dir)
    lib = window.library
    lib.kind_filter.setCurrentIndex(lib.kind_filter.findData("confused"))
    assert [e.path.name for e in lib.visible_entries()] == [ROUTER_RESET.name]
    lib.kind_filter.setCurrentIndex(0)
    assert len(lib.visible_entries()) == 3
    qtbot.keyClicks(lib.search, "online gift")  # matches the setting of the docs example
    assert [e.path.name for e in lib.visible_entries()] == ["late-parcel.yaml"]
    lib.search.setText("power cut")  # matches the summary
    assert [e.path.name for e in lib.visible_entries()] == [ROUTER_RESET.name]
    lib.search.setText("no such words")
    assert lib.visible_entries() == [] and lib.empty_label.isVisible()


def test_add_folder_is_listed_and_remembered(qtbot, make_window, tmp_path, monkeypatch, store, clock):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / ROUTER_RESET.name).write_text(ROUTER_RESET.read_text(encoding="utf-8"), encoding="utf-8")
    window = make_window()
    assert window.library.entries == []
    assert window.library.empty_label.isVisible()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *args, **kwargs: str(folder))
    window.library.add_folder_button.click()
    qtbot.waitUntil(lambda: not window.library.loading, timeout=20_000)
    assert [e.path for e in window.library.entries] == [folder / ROUTER_RESET.name]
    assert QSettings().value(FOLDERS_KEY) in ([str(folder)], str(folder))

    again = make_window()
    assert [e.path for e in again.library.entries] == [folder / ROUTER_RESET.name]
    again.library.remove_folder_button.click()
    qtbot.waitUntil(lambda: not again.library.loading, timeout=20_000)
    assert again.library.entries == []


def test_missing_folder_is_reported_not_fatal(qtbot, make_window, fixture_dir, tmp_path):
    window = make_window(fixture_dir, tmp_path / "gone")
    entries = window.library.entries
    assert sum(e.ok for e in entries) == 2
    missing = [e for e in entries if not e.ok]
    assert len(missing) == 1 and "cannot be found" in missing[0].problems[0]


def test_best_score_appears_after_an_attempt(qtbot, make_window, fixture_dir, clock):
    window = make_window(fixture_dir)
    path = fixture_dir / ROUTER_RESET.name
    assert "Best score" not in _text(_index_for(window, path))
    open_briefing(qtbot, window, path)
    start(window, mode="assessment", timed=False)
    play(window, clock, [1, 2])
    overall = window.debrief.debrief.overall
    window.debrief.library_button.click()
    assert window.current_screen() is window.library
    assert f"Best score {overall}" in _text(_index_for(window, path))


def test_bundled_library_loads_without_freezing(qtbot, make_window):
    window = make_window(include_bundled=True)
    assert all(e.source == "Bundled library" for e in window.library.entries)
    assert not window.library.loading


def test_adding_a_folder_while_the_first_row_is_selected(qtbot, make_window, fixture_dir, tmp_path):
    """Reproduces an IndexError: reload() emptied the entries before list.clear() moved the selection."""
    other = tmp_path / "other"
    other.mkdir()
    (other / "late-parcel.yaml").write_text(
        (fixture_dir / "late-parcel.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    window = make_window(fixture_dir)
    lib = window.library
    lib.list.setCurrentIndex(lib.list.model().index(0, 0))
    assert lib.current_entry() is not None
    lib.add_folder_path(other)  # pytest-qt fails the test on any exception raised inside a Qt slot
    qtbot.waitUntil(lambda: not lib.loading, timeout=20_000)
    assert len(lib.entries) == 3 and lib.current_entry() is not None
    assert lib.detail_title.text() == lib.current_entry().title


def _crashing_worker(monkeypatch, crash_on: str) -> None:
    """A worker that aborts, as a parser crash would, when it reaches one file."""
    code = (
        "import os, sys\n"
        "from simulator.core import library_worker as w\n"
        "real = w.load_playable\n"
        "def load(path, folder=None):\n"
        f"    if path.name == {crash_on!r}:\n"
        "        os.abort()\n"
        "    return real(path, folder)\n"
        "w.load_playable = load\n"
        "sys.exit(w.main())\n"
    )
    monkeypatch.setattr(library_loader, "worker_command", lambda: [sys.executable, "-c", code])


def test_a_file_that_crashes_the_loader_costs_only_that_file(qtbot, make_window, fixture_dir, monkeypatch):
    (fixture_dir / "a-crash.yaml").write_text("format: 1\n", encoding="utf-8")
    _crashing_worker(monkeypatch, "a-crash.yaml")
    window = make_window(fixture_dir)
    entries = window.library.entries
    assert sorted(e.path.name for e in entries) == ["a-crash.yaml", "late-parcel.yaml", ROUTER_RESET.name]
    [crashed] = [e for e in entries if e.path.name == "a-crash.yaml"]
    assert not crashed.ok and "the loader crashed while reading this file" in crashed.problems[0]
    assert crashed.source == str(fixture_dir)
    assert sum(e.ok for e in entries) == 2


def test_without_a_worker_the_library_loads_in_slices(qtbot, make_window, fixture_dir, monkeypatch):
    monkeypatch.setattr(library_loader, "worker_command", lambda: [str(fixture_dir / "no-such-program")])
    window = make_window(fixture_dir)
    assert sorted(e.path.name for e in window.library.entries) == ["late-parcel.yaml", ROUTER_RESET.name]
    assert all(e.ok for e in window.library.entries)


def test_reloading_while_loading_lists_each_file_once(qtbot, make_window, fixture_dir):
    window = make_window(fixture_dir)
    lib = window.library
    lib.reload()
    lib.reload()
    qtbot.waitUntil(lambda: not lib.loading, timeout=20_000)
    assert sorted(e.path.name for e in lib.entries) == ["late-parcel.yaml", ROUTER_RESET.name]
    assert lib.list.model().rowCount() == 2


def _many(folder: Path, count: int) -> list[Path]:
    folder.mkdir(exist_ok=True)
    text = ROUTER_RESET.read_text(encoding="utf-8")
    paths = []
    for n in range(count):
        path = folder / f"{n:03d}.yaml"
        path.write_text(text.replace("id: ", f"id: n{n}-", 1), encoding="utf-8")
        paths.append(path)
    return paths


def test_an_uncached_library_lists_progressively_while_the_window_keeps_working(qtbot, tmp_path):
    folder = tmp_path / "many"
    paths = _many(folder, 30)
    lib = LibraryScreen([folder], include_bundled=False)
    qtbot.addWidget(lib)
    lib.show()
    seen: list[tuple[int, bool]] = []  # rows listed and whether still loading, each time rows arrive
    lib.model.rowsInserted.connect(lambda *_: seen.append((lib.model.rowCount(), lib.loading)))
    ticks: list[int] = []
    timer = QTimer(lib)
    timer.timeout.connect(lambda: ticks.append(lib.model.rowCount()))
    timer.start(0)
    lib.reload()
    qtbot.waitUntil(lambda: not lib.loading, timeout=60_000)
    timer.stop()
    assert [e.path for e in lib.entries] == paths and all(e.ok for e in lib.entries)
    assert any(loading and 0 < rows < len(paths) for rows, loading in seen), seen  # some listed before the rest
    assert len(ticks) > 1 and ticks[0] < len(paths)  # the event loop ran while the worker read the files
    assert "Loading" not in lib.status_label.text() and lib.status_label.text() == "30 scenarios"

    # The index now answers for every file: the next screen lists them all before reload() returns.
    again = LibraryScreen([folder], include_bundled=False)
    qtbot.addWidget(again)
    again.reload()
    assert [e.path for e in again.entries] == paths and again.entries == lib.entries
    qtbot.waitUntil(lambda: not again.loading, timeout=20_000)
    qtbot.keyClicks(again.search, "power cut")
    assert len(again.visible_entries()) == 30
    again.kind_filter.setCurrentIndex(again.kind_filter.findData("rude"))
    assert again.visible_entries() == [] and again.empty_label.isVisibleTo(again)


def test_an_edited_file_is_loaded_again_and_a_cached_scenario_that_no_longer_loads_is_not_opened(
    qtbot, make_window, fixture_dir
):
    make_window(fixture_dir)  # lists the files and saves the index
    path = fixture_dir / ROUTER_RESET.name
    # Edited: another title, so another size: the next load must show the new title, not the cached one.
    # Listed first, it arrives from the worker after the cached file, and still goes first.
    first = fixture_dir / "late-parcel.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace("title: ", "title: Edited ", 1), encoding="utf-8")
    again = make_window(fixture_dir)
    assert [e.path for e in again.library.entries] == [first, path]
    assert [e.title[:7] == "Edited " for e in again.library.entries] == [True, False]
    again.library.search.setText("power cut")
    assert again.library.visible_entries() == [again.library.entries[1]]

    # Broken behind the index's back (same size and time): listed as playable, refused when opened.
    stat = path.stat()
    broken = path.read_text(encoding="utf-8").replace("nodes:", "nodez:", 1)
    path.write_text(broken, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    third = make_window(fixture_dir)
    lib = third.library
    assert lib.select_path(path) and lib.current_entry().ok
    problems: list[str] = []
    lib.open_failed.connect(problems.append)
    lib.open_button.click()
    assert third.current_screen() is lib
    assert problems and "mistakes a trainer must fix" in problems[0]
    assert not lib.current_entry().ok and lib.current_entry().problems
    assert "1 file with errors" in lib.status_label.text()
