"""frontline --self-test: the smoke test make dist-check runs in the built app, here in the checkout (offscreen)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from simulator.cli import main as cli
from simulator.core import AppPaths, AttemptStore
from simulator.core.resources import bundled_scenarios_dir
from simulator.gui.app import SELF_TEST_PDF, SelfTest
from simulator.gui.main_window import MainWindow

SCENARIO_COUNT = len([p for p in bundled_scenarios_dir().glob("*.yaml") if p.name != "rubric.yaml"])


@pytest.fixture
def window(qtbot, tmp_path: Path):
    store = AttemptStore(tmp_path / "attempts.sqlite3")
    win = MainWindow(store=store)
    qtbot.addWidget(win)
    win.show()
    yield win, store
    store.close()


def run_self_test(qtbot, window, pdf: Path, scenario_id: str | None = None) -> SelfTest:
    win, store = window
    lines: list[str] = []
    test = SelfTest(win, store, pdf, scenario_id, report=lines.append)
    codes: list[int] = []
    test.finished.connect(codes.append)
    test.start()
    try:
        qtbot.waitUntil(lambda: test.exit_code is not None, timeout=120_000)
    finally:
        print("\n".join(lines))
    qtbot.waitUntil(lambda: codes == [test.exit_code], timeout=5_000)  # said once the window has closed
    assert not win.isVisible()
    assert lines == [f"self-test: {line}" for line in test.lines]
    return test


def test_self_test_plays_a_bundled_scenario_through_the_window_and_writes_the_pdf(qtbot, window, tmp_path) -> None:
    pdf = tmp_path / "out" / "debrief.pdf"
    test = run_self_test(qtbot, window, pdf)
    assert test.exit_code == 0, test.failures
    assert test.failures == []
    assert test.lines[-1] == "passed"
    assert any(f"all playable ({SCENARIO_COUNT} of {SCENARIO_COUNT})" in line for line in test.lines)
    assert pdf.read_bytes().startswith(b"%PDF-")
    win, store = window
    assert win.current_screen() is win.debrief  # it got there through the screens, not around them
    [record] = store.attempts()
    assert record.finished and record.mode == "practice"
    assert record.overall == win.debrief.debrief.overall


def test_self_test_fails_when_the_scenario_it_needs_is_not_there(qtbot, window, tmp_path) -> None:
    test = run_self_test(qtbot, window, tmp_path / "x.pdf", scenario_id="no-such-scenario")
    assert test.exit_code == 1
    assert test.failures == ["a bundled scenario to play (no-such-scenario)"]
    assert not (tmp_path / "x.pdf").exists()


def test_self_test_fails_when_the_pdf_cannot_be_written(qtbot, window, tmp_path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    test = run_self_test(qtbot, window, blocker / "debrief.pdf")
    assert test.exit_code == 1
    assert test.failures and "PDF" in test.failures[0]


def test_frontline_self_test_exits_0_and_writes_into_the_data_folder(tmp_path: Path) -> None:
    """The whole command, as make dist-check starts the built app: a fresh FRONTLINE_HOME, nothing else."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRONTLINE_")}
    env.update(QT_QPA_PLATFORM="offscreen", FRONTLINE_HOME=str(tmp_path / "home"))
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "--self-test"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test: passed" in result.stdout.splitlines()
    assert "Traceback" not in result.stdout + result.stderr
    data = AppPaths.under(tmp_path / "home").data_dir
    assert (data / SELF_TEST_PDF).read_bytes().startswith(b"%PDF-")
    assert (data / "attempts.sqlite3").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # nothing in the working folder


def test_cmd_gui_passes_the_self_test_pdf_and_the_shared_library(monkeypatch, tmp_path: Path) -> None:
    import simulator.gui.app as app

    calls: list[tuple[list[Path], dict[str, object]]] = []
    monkeypatch.setattr(app, "run", lambda dirs, **kw: calls.append((list(dirs), kw)) or 7)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("FRONTLINE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("FRONTLINE_LIBRARY", str(tmp_path / "shared"))
    assert cli.main(["--self-test"]) == 7
    assert cli.main(["--library", str(tmp_path / "mine"), "--self-test", str(tmp_path / "x.pdf")]) == 7
    assert cli.main([]) == 7
    data = AppPaths.under(tmp_path / "home").data_dir
    assert calls[0] == (
        [tmp_path / "shared"],
        {"paths": AppPaths.under(tmp_path / "home"), "self_test": data / SELF_TEST_PDF},
    )
    assert calls[1][0] == [tmp_path / "mine", tmp_path / "shared"]
    assert calls[1][1]["self_test"] == tmp_path / "x.pdf"
    assert "self_test" not in calls[2][1]


def test_a_self_test_leaves_the_application_running_for_the_next(qtbot, window, tmp_path) -> None:
    """Only run() ends the event loop on finished; a second self-test in the same process still loads the
    library through its worker process and passes."""
    first = run_self_test(qtbot, window, tmp_path / "a" / "d.pdf", scenario_id="no-such-scenario")
    assert first.exit_code == 1
    win, store = window
    again = MainWindow(store=store)
    qtbot.addWidget(again)
    again.show()
    second = run_self_test(qtbot, (again, store), tmp_path / "b" / "d.pdf")
    assert second.exit_code == 0, second.failures
    assert isinstance(QApplication.instance(), QApplication)
