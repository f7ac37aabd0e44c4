"""Starts the desktop app: the QApplication, logging, an exception hook that never shows a traceback, the window.

``run(self_test=...)`` instead plays one bundled scenario through the real window and exits (``frontline
--self-test``): the smoke test of a built or installed app (``make dist-check``)."""

from __future__ import annotations

import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QSettings, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox

from simulator.core import AppPaths, AttemptStore, PlayableScenario, StorageError
from simulator.core.library import bundled_folder

from .main_window import MainWindow
from .widgets import app_icon

log = logging.getLogger("simulator.gui")


def setup_logging(path: Path) -> Path:
    """Log to this file (its folder is created if needed); returns its path."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=2, encoding="utf-8")
    except OSError:
        handler = logging.StreamHandler()  # an unwritable data folder must not stop the app
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


class ExceptionReporter(QObject):
    """Logs an unexpected error in full and tells the trainee in one sentence what failed and where the log is."""

    _show_requested = Signal(str)

    def __init__(self, log_path: Path) -> None:
        super().__init__()
        self.log_path = log_path
        self.shown: list[str] = []
        self._showing = False
        # Signals reach the GUI thread, so an error on a pool thread is still shown safely.
        self._show_requested.connect(self._show)

    def install(self) -> None:
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def _handle_thread(self, args: threading.ExceptHookArgs) -> None:
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        what = f"{exc_type.__name__}: {exc}" if exc is not None and str(exc) else exc_type.__name__
        self._show_requested.emit(
            f"Something went wrong inside Frontline ({what}).\n\n"
            f"Your progress is saved after every reply. Details are in the log file:\n{self.log_path}"
        )

    def _show(self, message: str) -> None:
        self.shown.append(message)
        if self._showing:
            return  # one box at a time; the rest are in the log
        self._showing = True
        try:
            self.show_message(message)
        finally:
            self._showing = False

    def show_message(self, message: str) -> None:
        QMessageBox.warning(QApplication.activeWindow(), "Frontline: something went wrong", message)


def use_settings_folder(paths: AppPaths) -> None:
    """Every QSettings() in the app reads and writes the one settings file in the config folder."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(paths.config_dir))


def open_store(paths: AppPaths) -> tuple[AttemptStore | None, str | None]:
    try:
        return AttemptStore(paths.attempts_db), None
    except StorageError as exc:
        log.error("%s", exc)
        return None, str(exc)


QUIT_WHEN_LISTED_VARIABLE = "FRONTLINE_QUIT_WHEN_LISTED"  # benchmarks/bench_startup.py: start-up time


class QuitWhenListed(QObject):
    """Ends the app once the library has finished listing and its list has painted after that: what
    start-up costs a trainee, measured by benchmarks/bench_startup.py against a bare window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.viewport = window.library.list.viewport()
        self.listed = False
        self.viewport.installEventFilter(self)
        window.library.loading_finished.connect(self._listed)

    def _listed(self) -> None:
        self.listed = True
        self.viewport.update()  # the last rows may have painted before the loader said it was done

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if self.listed and event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)  # after this paint has been drawn
        return False


def run(
    extra_library_dirs: Sequence[Path] = (),
    paths: AppPaths | None = None,
    *,
    self_test: Path | None = None,
    self_test_scenario: str | None = None,
) -> int:
    """Run the app until its window closes; returns the exit code. With ``self_test`` (where the debrief
    PDF goes), play the best path of one bundled scenario through the window, check it, and exit."""
    paths = paths or AppPaths.default()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("Frontline")
    app.setOrganizationName("Frontline")
    app.setWindowIcon(app_icon())
    use_settings_folder(paths)
    log_path = setup_logging(paths.log_file)
    reporter = ExceptionReporter(log_path)
    reporter.install()
    store, problem = open_store(paths)
    window = MainWindow(store=store, extra_library_dirs=[Path(d) for d in extra_library_dirs], storage_problem=problem)
    test: SelfTest | None = None
    if self_test is not None:
        test = SelfTest(window, store, self_test, self_test_scenario)

        def unexpected(message: str) -> None:  # no dialog box that nobody will close: report and fail
            print(f"self-test: {message}", file=sys.stderr, flush=True)
            assert test is not None
            test.fail(message.splitlines()[0])

        reporter.show_message = unexpected  # type: ignore[method-assign]
        if problem:
            test.fail(f"the attempt records cannot be opened: {problem}")
    window.show()
    if os.environ.get(QUIT_WHEN_LISTED_VARIABLE):
        QuitWhenListed(window)
    if test is not None:
        test.finished.connect(app.exit)
        test.start()
    try:
        code = app.exec()
        if test is not None:
            return test.exit_code if test.exit_code is not None else 1
        return code
    finally:
        if store is not None:
            store.close()


# ---- the self-test of an installed or built app (frontline --self-test) -------------------------
SELF_TEST_TIMEOUT_MS = 180_000
SELF_TEST_PDF = "self-test-debrief.pdf"


def _bundled_scenario_files() -> list[Path]:
    """The scenario files the bundled library should list: every YAML file but the rubric."""
    folder = bundled_folder().path
    return sorted(p for p in folder.glob("*.yaml") if p.name != "rubric.yaml")


def _best_path(entry: PlayableScenario) -> list[int] | None:
    """The best-scoring play's reply numbers (file order), or None when it needs a timeout."""
    assert entry.scenario is not None and entry.rubric is not None and entry.analysis is not None
    from simulator.core.explore import explore  # the self-test's own: not loaded for a trainee's start

    found = explore(entry.scenario, entry.rubric, entry.analysis)
    if found.best is None or not found.best.choices:
        return None
    if any(not isinstance(c, int) for c in found.best.choices):
        return None
    return [int(c) for c in found.best.choices]


class SelfTest(QObject):
    """Plays the best path of one bundled scenario through the real window, as a trainee would, then
    checks what the app showed and saved. Each step runs from the event loop, so the library worker
    process, painting and the screens' own signals all take part. ``exit_code`` is 0 when every check
    held; ``lines`` is the report printed as it goes. ``finished`` (the exit code) comes once the window
    has closed; ``run`` ends the app's event loop with it."""

    finished = Signal(int)

    def __init__(
        self,
        window: MainWindow,
        store: AttemptStore | None,
        pdf_path: Path,
        scenario_id: str | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.store = store
        self.pdf_path = pdf_path
        self.scenario_id = scenario_id
        self.lines: list[str] = []
        self.failures: list[str] = []
        self.exit_code: int | None = None
        self._report = report or (lambda line: print(line, flush=True))
        self._entry: PlayableScenario | None = None
        self._path: list[int] = []
        self._step = 0
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(SELF_TEST_TIMEOUT_MS)
        self._watchdog.timeout.connect(lambda: self.fail(f"gave up after {SELF_TEST_TIMEOUT_MS // 1000} s"))

    # ---- reporting -------------------------------------------------------------------------
    def say(self, line: str) -> None:
        self.lines.append(line)
        self._report(f"self-test: {line}")

    def check(self, ok: bool, what: str) -> bool:
        self.say(f"{'ok' if ok else 'FAILED'}: {what}")
        if not ok:
            self.fail(what)
        return ok

    def fail(self, why: str) -> None:
        if self.exit_code is not None:
            return
        self.failures.append(why)
        self._done(1)

    def _done(self, code: int) -> None:
        if self.exit_code is not None:
            return
        self.exit_code = code
        self._watchdog.stop()
        self.say("passed" if code == 0 else f"failed: {'; '.join(self.failures)}")
        QTimer.singleShot(0, self._close)

    def _close(self) -> None:
        self.window.close()
        self.finished.emit(self.exit_code or 0)

    def _later(self, step: Callable[[], None], ms: int = 0) -> None:
        def guarded() -> None:
            if self.exit_code is not None:
                return
            try:
                step()
            except Exception as exc:  # noqa: BLE001 - a failed step is a failed self-test, not a crash
                log.error("self-test step failed\n%s", traceback.format_exc())
                self.fail(f"{type(exc).__name__}: {exc}")

        QTimer.singleShot(ms, guarded)

    # ---- the steps -------------------------------------------------------------------------
    def start(self) -> None:
        self._watchdog.start()
        self.say(f"executable {sys.executable}{' (frozen)' if getattr(sys, 'frozen', False) else ''}")
        if self.window.library.loading:
            self.window.library.loading_finished.connect(lambda: self._later(self._library_loaded))
        else:
            self._later(self._library_loaded)

    def _window_shown(self) -> bool:
        handle = self.window.windowHandle()
        return self.window.isVisible() and handle is not None and handle.isExposed()

    def _library_loaded(self, waited_ms: int = 0) -> None:
        if not self._window_shown() and waited_ms < 30_000:
            self._later(lambda: self._library_loaded(waited_ms + 50), 50)
            return
        title = self.window.windowTitle()
        self.check(self._window_shown(), f"the window is shown on the screen ({QGuiApplication.platformName()})")
        self.check(title.split(" — ")[0] == "Frontline", f"the window is titled Frontline ({title!r})")
        expected = _bundled_scenario_files()
        bundled = bundled_folder().path
        entries = [e for e in self.window.library.entries if e.path.parent == bundled]
        playable = [e for e in entries if e.ok]
        broken = [f"{e.path.name}: {e.problems[:1]}" for e in entries if not e.ok]
        self.check(bool(expected), f"the bundle holds scenario files ({len(expected)} in {bundled})")
        self.check(
            sorted(e.path for e in playable) == expected and not broken,
            f"the bundled library lists every scenario, all playable ({len(playable)} of {len(expected)})"
            + (f"; cannot be played: {broken}" if broken else ""),
        )
        self.check(
            self.window.library.proxy.rowCount() >= len(expected),
            f"the library list shows them ({self.window.library.proxy.rowCount()} rows)",
        )
        if self.exit_code is None:
            self._later(self._open_briefing)

    def _choose_scenario(self) -> tuple[PlayableScenario, list[int]] | None:
        bundled = bundled_folder().path
        listed = sorted(
            (e for e in self.window.library.entries if e.ok and e.path.parent == bundled), key=lambda e: e.path
        )
        if self.scenario_id:
            listed = [e for e in listed if e.id == self.scenario_id]
        for summary in listed:
            entry = summary.load()
            path = _best_path(entry) if entry.ok else None
            if path:
                return entry, path
        return None

    def _open_briefing(self) -> None:
        chosen = self._choose_scenario()
        if not self.check(chosen is not None, f"a bundled scenario to play ({self.scenario_id or 'the first'})"):
            return
        assert chosen is not None
        self._entry, self._path = chosen
        assert self._entry.scenario is not None
        self.say(f"playing {self._entry.scenario.id}: best path {','.join(map(str, self._path))}")
        library = self.window.library
        if not self.check(library.select_path(self._entry.path), "the scenario can be selected in the library"):
            return
        library.open_button.click()
        if not self.check(self.window.current_screen() is self.window.briefing, "Open briefing shows the briefing"):
            return
        briefing = self.window.briefing
        briefing.practice_radio.click()
        if briefing.timer_check.isChecked():
            briefing.timer_check.click()  # the best path answers in time; no timer keeps the run quick
        briefing.start_button.click()
        if self.check(self.window.current_screen() is self.window.conversation, "Start shows the conversation"):
            self._later(self._play)

    def _play(self) -> None:
        window, screen = self.window, self.window.conversation
        if window.current_screen() is window.debrief:
            self._later(self._check_debrief)
            return
        if window.current_screen() is not screen:
            self.fail(f"the conversation closed at step {self._step + 1} ({window.windowTitle()})")
            return
        session = screen.session
        if screen.feedback_visible:
            screen.continue_button.click()
        elif screen.awaiting_reply and session is not None:
            if self._step >= len(self._path):
                self.fail(f"the best path ended after {self._step} replies but the conversation did not")
                return
            in_file_order = sorted(session.offers, key=lambda o: o.index)
            number = self._path[self._step]
            if not 1 <= number <= len(in_file_order):
                self.fail(f"step {self._step + 1}: reply {number} is not on offer")
                return
            option = in_file_order[number - 1]
            screen.reply_buttons[option.number - 1].click()
            self._step += 1
        else:
            self.fail(f"the conversation waits for nothing at step {self._step + 1}")
            return
        self._later(self._play)

    def _check_debrief(self) -> None:
        entry = self._entry
        assert entry is not None and entry.scenario is not None and entry.rubric is not None
        shown = self.window.debrief.debrief
        if not self.check(shown is not None and shown.finished, "the debrief shows a finished attempt"):
            return
        assert shown is not None
        from simulator.core.replay import replay

        _session, expected = replay(
            entry.scenario, entry.rubric, entry.analysis, self._path, mode="practice", timed=False
        )
        self.check(
            (shown.outcome, shown.overall, shown.passed) == (expected.outcome, expected.overall, expected.passed),
            f"the debrief matches the core's replay of the path: {shown.outcome_title}, overall {shown.overall}, "
            f"{'passed' if shown.passed else 'not passed'}",
        )
        self.check(len(shown.steps) == len(self._path), f"the debrief reviews every reply ({len(shown.steps)})")
        if self.store is not None:
            records = [r for r in self.store.attempts() if r.scenario_id == entry.scenario.id and r.finished]
            self.check(bool(records), f"the attempt is saved in {self.store.path}")
        try:
            self.pdf_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self.fail(f"cannot make the folder for the PDF: {exc}")
            return
        self.check(self.window.save_pdf(shown, self.pdf_path), f"the debrief is exported as a PDF to {self.pdf_path}")
        try:
            head = self.pdf_path.read_bytes()[:5]
            size = self.pdf_path.stat().st_size
        except OSError as exc:
            self.fail(f"the PDF cannot be read back: {exc}")
            return
        self.check(head == b"%PDF-" and size > 1000, f"the PDF is a PDF ({size} bytes)")
        if self.exit_code is None:
            self._done(0)
