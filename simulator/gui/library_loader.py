"""Loads the library off the GUI thread without threads: in a worker process, read through the event loop.

The worker (``simulator.core.library_worker``) parses, lints and analyses each file and streams the
result back; QProcess delivers its output on the GUI thread, so no Python object of Qt ever meets
another thread and no collector pause is needed. A worker that crashes or hangs on one file costs
only that file: it becomes an entry that says so, and a new worker loads the rest. Where no worker
can start at all, the files load here in small slices between events instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from simulator.core import Diagnostic, LibraryFolder, PlayableScenario, Severity, iter_library
from simulator.core.library_worker import FrameReader, encode_request, worker_command

log = logging.getLogger(__name__)

MAX_RESTARTS = 25  # each restart skips the file that stopped the previous worker
FILE_TIMEOUT_MS = 20_000  # one file taking longer than this is treated as hanging the parser


class LibraryLoader(QObject):
    """Loads folders and emits each entry as it arrives; ``cancel`` or a new ``start`` drops the old run."""

    entry_loaded = Signal(object)  # PlayableScenario
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._process: QProcess | None = None
        self._reader = FrameReader()
        self._folders: list[LibraryFolder] = []
        self._done: list[Path] = []
        self._current: Path | None = None
        self._restarts = 0
        self._running = False
        self._slices: Iterator[PlayableScenario] | None = None
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(FILE_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._on_hang)
        self._slice_timer = QTimer(self)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._load_slice)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, folders: Sequence[LibraryFolder]) -> None:
        self.cancel()
        self._folders = list(folders)
        self._done = []
        self._restarts = 0
        self._running = True
        self._spawn()

    def cancel(self) -> None:
        """Stop loading now; nothing more is emitted for the old run."""
        self._running = False
        self._watchdog.stop()
        self._slice_timer.stop()
        self._slices = None
        self._stop_process()

    # ---- the worker process ----------------------------------------------------------------
    def _spawn(self) -> None:
        program, *arguments = worker_command()
        process = QProcess(self)
        process.setProgram(program)
        process.setArguments(arguments)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.SeparateChannels)
        process.readyReadStandardOutput.connect(self._on_output)
        process.readyReadStandardError.connect(self._on_stderr)
        process.finished.connect(self._on_process_finished)
        process.errorOccurred.connect(self._on_process_error)
        self._process = process
        self._reader = FrameReader()
        self._current = None
        process.start()
        process.write(encode_request(self._folders, self._done))
        process.closeWriteChannel()
        self._watchdog.start()

    def _stop_process(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        for signal, slot in (
            (process.readyReadStandardOutput, self._on_output),
            (process.readyReadStandardError, self._on_stderr),
            (process.finished, self._on_process_finished),
            (process.errorOccurred, self._on_process_error),
        ):
            signal.disconnect(slot)
        if process.state() != QProcess.ProcessState.NotRunning:
            process.kill()
            process.waitForFinished(2000)
        process.deleteLater()

    def _on_output(self) -> None:
        process = self._process
        if process is None:
            return
        data = bytes(process.readAllStandardOutput().data())
        for kind, value in self._reader.feed(data):
            if kind == "start":
                self._current = Path(value)
                self._watchdog.start()
            elif kind == "entry":
                self._current = None
                self._done.append(value.path)
                self._watchdog.start()
                self.entry_loaded.emit(value)
            elif kind == "done":
                self._finish()
                return

    def _on_stderr(self) -> None:
        if self._process is not None:
            text = bytes(self._process.readAllStandardError().data()).decode("utf-8", "replace").strip()
            if text:
                log.warning("library worker: %s", text[-2000:])

    def _on_process_finished(self, exit_code: int, status: QProcess.ExitStatus) -> None:
        if not self._running:
            return
        self._on_output()  # whatever is still buffered
        if not self._running:
            return
        how = "crashed" if status == QProcess.ExitStatus.CrashExit else f"stopped with exit code {exit_code}"
        self._worker_failed(f"the loader {how} while reading this file")

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if not self._running:
            return
        if error == QProcess.ProcessError.FailedToStart:
            log.warning("the library worker cannot start (%s); loading on the GUI thread in slices", error)
            self._stop_process()
            self._slices = iter_library(self._folders, skip=self._done)
            self._slice_timer.start()

    def _on_hang(self) -> None:
        if self._running and self._process is not None:
            self._worker_failed(f"reading this file took longer than {FILE_TIMEOUT_MS // 1000} s, so it was stopped")

    def _worker_failed(self, why: str) -> None:
        self._watchdog.stop()
        culprit = self._current
        self._stop_process()
        if culprit is not None:
            self._done.append(culprit)
            message = f"cannot be loaded: {why}; the file may be too large or malformed (check it with frontline lint)"
            folder = next((f for f in self._folders if f.path in culprit.parents), None)
            diagnostic = Diagnostic(str(culprit), 1, 1, "FL000", Severity.ERROR, message)
            self.entry_loaded.emit(PlayableScenario(path=culprit, folder=folder, diagnostics=[diagnostic]))
        self._restarts += 1
        if culprit is None or self._restarts > MAX_RESTARTS:
            log.error("the library worker failed outside any file (%s); giving up", why)
            self._finish()
            return
        self._spawn()

    # ---- slices on the GUI thread (fallback) ----------------------------------------------
    def _load_slice(self) -> None:
        if self._slices is None:
            self._slice_timer.stop()
            return
        entry = next(self._slices, None)
        if entry is None:
            self._finish()
            return
        self._done.append(entry.path)
        self.entry_loaded.emit(entry)

    def _finish(self) -> None:
        self.cancel()
        self.finished.emit()
