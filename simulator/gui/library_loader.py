"""Loads the library off the GUI thread without threads: in a worker process, read through the event loop.

Files the library index (``simulator.core.library_index``) still answers for are listed at once,
without reading them. The worker (``simulator.core.library_worker``) parses, lints and analyses the
rest and streams each result back; QProcess delivers its output on the GUI thread, so no Python object
of Qt ever meets another thread and no collector pause is needed. A worker that crashes or hangs on one
file costs only that file: it becomes an entry that says so, and a new worker loads the rest. Where no
worker can start at all, the files load here in small slices between events instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from simulator.core.library import LibraryFolder, library_files, load_playable, missing_folder
from simulator.core.library_index import LibraryEntry, LibraryIndex, default_index_path
from simulator.core.library_worker import FrameReader, encode_request, worker_command

log = logging.getLogger(__name__)

MAX_RESTARTS = 25  # each restart skips the file that stopped the previous worker
FILE_TIMEOUT_MS = 20_000  # one file taking longer than this is treated as hanging the parser

Numbered = list[tuple[int, LibraryEntry]]  # each entry with its place in the library's order


class LibraryLoader(QObject):
    """Loads folders and emits entries as they arrive; ``cancel`` or a new ``start`` drops the old run.

    ``entries_loaded`` carries each entry with its place in the library (folder order, then file
    order), since cached entries come before the ones a worker has to read.
    """

    entries_loaded = Signal(list)  # Numbered
    finished = Signal()

    def __init__(self, parent: QObject | None = None, index_path: Path | None = None) -> None:
        super().__init__(parent)
        self._index_path = index_path
        self._index = LibraryIndex(None)
        self._process: QProcess | None = None
        self._reader = FrameReader()
        self._pending: dict[Path, tuple[int, LibraryFolder]] = {}  # files still to load, in order
        self._current: Path | None = None
        self._restarts = 0
        self._running = False
        self._watchdog = QTimer(self)
        self._watchdog.setSingleShot(True)
        self._watchdog.setInterval(FILE_TIMEOUT_MS)
        self._watchdog.timeout.connect(self._on_hang)
        self._slice_timer = QTimer(self)
        self._slice_timer.setInterval(0)
        self._slice_timer.timeout.connect(self._load_slice)
        self._finish_timer = QTimer(self)
        self._finish_timer.setSingleShot(True)
        self._finish_timer.setInterval(0)
        self._finish_timer.timeout.connect(self._finish)

    @property
    def running(self) -> bool:
        return self._running

    def start(self, folders: Sequence[LibraryFolder]) -> None:
        """List what the index answers for now, and start a worker for the rest."""
        self.cancel()
        self._index = LibraryIndex(self._index_path or default_index_path())
        self._pending = {}
        self._restarts = 0
        self._running = True
        cached: Numbered = []
        for number, (folder, path) in enumerate(library_files(folders)):
            if path is None:
                cached.append((number, LibraryEntry.from_playable(missing_folder(folder))))
                continue
            entry = self._index.lookup(path, folder)
            if entry is not None:
                cached.append((number, entry))
            else:
                self._pending[path] = (number, folder)
        if cached:
            self.entries_loaded.emit(cached)
        if not self._running:  # a slot cancelled or restarted the load
            return
        if self._pending:
            self._spawn()
        else:
            # From the event loop, as a worker's last entry would come: the caller's start() returns first.
            self._finish_timer.start()

    def cancel(self) -> None:
        """Stop loading now; nothing more is emitted for the old run."""
        self._running = False
        self._watchdog.stop()
        self._slice_timer.stop()
        self._finish_timer.stop()
        self._stop_process()

    def _loaded(self, entries: Sequence[tuple[LibraryEntry, Sequence[object] | None]]) -> None:
        numbered: Numbered = []
        for entry, key in entries:
            place = self._pending.pop(entry.path, None)
            if place is None:
                continue  # not asked for in this run
            self._index.store(entry, key)
            numbered.append((place[0], entry))
        if numbered:
            self.entries_loaded.emit(numbered)

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
        process.write(encode_request([(folder, path) for path, (_, folder) in self._pending.items()]))
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
        # Everything in one read is listed in one go: one model insert, not one per file.
        arrived: list[tuple[LibraryEntry, Sequence[object] | None]] = []
        done = False
        for kind, value in self._reader.feed(data):
            if kind == "start":
                self._current = Path(value)
            elif kind == "entry":
                self._current = None
                arrived.append(value)
            elif kind == "done":
                done = True
        if arrived or self._current is not None:
            self._watchdog.start()
        self._loaded(arrived)
        if done and self._running:
            self._finish()

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
            self._slice_timer.start()

    def _on_hang(self) -> None:
        if self._running and self._process is not None:
            self._worker_failed(f"reading this file took longer than {FILE_TIMEOUT_MS // 1000} s, so it was stopped")

    def _worker_failed(self, why: str) -> None:
        self._watchdog.stop()
        culprit = self._current
        self._stop_process()
        if culprit is not None and culprit in self._pending:
            number, folder = self._pending.pop(culprit)
            message = f"cannot be loaded: {why}; the file may be too large or malformed (check it with frontline lint)"
            # Not stored in the index: the next start tries the file again.
            self.entries_loaded.emit([(number, LibraryEntry.broken(culprit, folder, message))])
        self._restarts += 1
        if culprit is None or self._restarts > MAX_RESTARTS:
            log.error("the library worker failed outside any file (%s); giving up", why)
            self._finish()
            return
        if self._pending:
            self._spawn()
        else:
            self._finish()

    # ---- slices on the GUI thread (fallback) ----------------------------------------------
    def _load_slice(self) -> None:
        if not self._pending:
            self._finish()
            return
        path, (_, folder) = next(iter(self._pending.items()))
        key = self._index.key(path)
        self._loaded([(LibraryEntry.from_playable(load_playable(path, folder)), key)])

    def _finish(self) -> None:
        completed = self._running
        self.cancel()
        if completed:
            self._index.save()
        self.finished.emit()
