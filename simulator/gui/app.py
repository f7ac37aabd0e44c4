"""Starts the desktop app: the QApplication, logging, an exception hook that never shows a traceback, the window."""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Sequence
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from simulator.core import AppPaths, AttemptStore, StorageError

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


def run(extra_library_dirs: Sequence[Path] = (), paths: AppPaths | None = None) -> int:
    """Run the app until its window closes; returns the exit code."""
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
    window.show()
    try:
        return app.exec()
    finally:
        if store is not None:
            store.close()
