"""Benchmark: start-up until the library is listed and painted, memory with a large library, search keystrokes.

Rows (issue 12, "Speed and memory" 1, 2, 3 and 8):

1. ``frontline`` with the bundled library, until the library is listed and its list has painted
   (``FRONTLINE_QUIT_WHEN_LISTED``), over a bare PySide6 window that quits on its first paint. Target 2x.
2. The same with 1,000 more files, once the library index has them (target 2x); and the first,
   uncached open, reported with how long the window went without handling an event.
3. Peak RSS of that cached 1,000-file start, over the bare window's. Target +100 MiB or less.
8. One keystroke in the library's search box with 1,000 files, key press until the list has
   repainted, p95 in this process. Target one 60 Hz frame (16 ms).

Every pair runs interleaved (baseline, subject, subject, baseline, ...), medians with quartiles.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, Row, frame_row, interleave, median, print_rows, ratio_row, spread

FILES = 1_000
RUNS = 7
KEYS = "parcel refund"  # typed and then erased, one key at a time

BARE_WINDOW = """
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QLabel
class Quit(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False
app = QApplication(sys.argv[:1])
window = QLabel("Frontline")
window.resize(1024, 640)
quitter = Quit(window)
window.installEventFilter(quitter)
window.show()
sys.exit(app.exec())
"""


def make_library(folder: Path, count: int = FILES) -> Path:
    """``count`` scenario files copied from the bundled ones, each with an id of its own."""
    from simulator.core.library import bundled_folder

    sources = sorted(p for p in bundled_folder().path.glob("*.yaml") if p.name != "rubric.yaml")
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        source = sources[n % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^id: *(\S+)", rf"id: \g<1>-{n}", text, count=1, flags=re.MULTILINE)
        (folder / f"{n:04d}-{source.name}").write_text(text, encoding="utf-8")
    return folder


def _env(home: Path, index: Path | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="offscreen", FRONTLINE_HOME=str(home), FRONTLINE_QUIT_WHEN_LISTED="1")
    env.pop("FRONTLINE_LIBRARY", None)
    env["FRONTLINE_SYSTEM_SETTINGS"] = str(home / "no-system-settings.ini")
    if index is not None:
        env["FRONTLINE_LIBRARY_INDEX"] = str(index)
    else:
        env.pop("FRONTLINE_LIBRARY_INDEX", None)
    return env


def _run(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one process run to its end."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    if process.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} exited {process.returncode}: {stderr[-2000:]}")
    return elapsed, usage.ru_maxrss / 1024  # Linux reports KiB


def _pair(bare_env: dict[str, str], app_env: dict[str, str], extra: list[str]) -> tuple[list[tuple[float, float]], ...]:
    bare: list[tuple[float, float]] = []
    ours: list[tuple[float, float]] = []

    def base() -> float:
        bare.append(_run([PYTHON, "-c", BARE_WINDOW], bare_env))
        return bare[-1][0]

    def subject() -> float:
        ours.append(_run([PYTHON, "-m", "simulator", *extra], app_env))
        return ours[-1][0]

    interleave(base, subject, RUNS)
    return bare[-RUNS:], ours[-RUNS:]


def startup_rows(work: Path) -> list[Row]:
    home = work / "home"
    bare_env = _env(home)
    bare, ours = _pair(bare_env, _env(home, work / "bundled-index.json"), [])
    rows = [
        ratio_row(
            "start-up until the bundled library (21 files) is listed and painted",
            "bare PySide6 window to first paint",
            [t for t, _ in bare],
            [t for t, _ in ours],
            2.0,
        )
    ]
    library = make_library(work / "big")
    index = work / "big-index.json"
    bare, ours = _pair(bare_env, _env(home, index), ["--library", str(library)])
    rows.append(
        ratio_row(
            f"start-up with {FILES:,} more files, cached",
            "bare PySide6 window to first paint",
            [t for t, _ in bare],
            [t for t, _ in ours],
            2.0,
        )
    )
    base_rss, our_rss = median([m for _, m in bare]), median([m for _, m in ours])
    rows.append(
        Row(
            measure=f"peak memory (RSS) with {FILES:,} files listed, cached",
            baseline="bare PySide6 window",
            baseline_value=base_rss,
            value=our_rss - base_rss,
            unit="MiB",
            target="+100 MiB or less",
            met=our_rss - base_rss <= 100,
            spread=f"baseline {spread([m for _, m in bare], 'MiB')}; ours {spread([m for _, m in ours], 'MiB')}",
            note="value is the increase over the baseline",
        )
    )
    return rows


def _paint_counter() -> Any:
    from PySide6.QtCore import QEvent, QObject

    class PaintCounter(QObject):
        def __init__(self) -> None:
            super().__init__()
            self.count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                self.count += 1
            return False

    return PaintCounter()


def keystroke_row(work: Path) -> Row:
    """Key press to repaint in the library's search box, in this process, with ``FILES`` files listed."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FRONTLINE_LIBRARY_INDEX"] = str(work / "big-index.json")
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from simulator.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = MainWindow(store=None, extra_library_dirs=[work / "big"], include_bundled=False)
    window.resize(1024, 640)
    window.show()
    while window.library.loading:
        app.processEvents()
    search, viewport = window.library.search, window.library.list.viewport()
    paints = _paint_counter()
    viewport.installEventFilter(paints)
    times: list[float] = []
    for _ in range(3):
        for key in [*KEYS, *[None] * len(KEYS)]:
            start = time.perf_counter()
            if key is None:
                QTest.keyClick(search, Qt.Key.Key_Backspace)
            else:
                QTest.keyClicks(search, key)
            # The event loop runs the list's delayed layout and the repaint the key caused, as it would
            # for a trainee; a key that changes nothing in view paints nothing.
            app.processEvents()
            times.append(time.perf_counter() - start)
    assert paints.count > 0, "the list never repainted"
    window.close()
    ms = sorted(t * 1000 for t in times)
    p95 = statistics.quantiles(ms, n=20)[-1]
    return frame_row(
        f"one keystroke in library search, {FILES:,} files, key press to repaint (p95)",
        p95,
        "p95 16 ms",
        p95 <= 16,
        f"p50 {median(ms):.3g} ms, max {ms[-1]:.3g} ms over {len(ms)} keys",
    )


def uncached_row(work: Path) -> Row:
    """The first open of ``FILES`` files nobody listed before, in this process: how long the window
    went without handling its events (a 5 ms timer that should tick throughout), and when rows came."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["FRONTLINE_LIBRARY_INDEX"] = str(work / "cold-index.json")
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from simulator.gui.main_window import MainWindow

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept: the window needs it
    start = time.perf_counter()
    window = MainWindow(store=None, extra_library_dirs=[work / "big"], include_bundled=False)
    window.resize(1024, 640)
    window.show()
    library = window.library
    ticks: list[float] = []
    first_rows: list[float] = []

    def tick() -> None:
        ticks.append(time.perf_counter())
        if not first_rows and library.model.rowCount():
            first_rows.append(ticks[-1] - start)

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    library.loading_finished.connect(loop.quit)
    timer.start()
    if library.loading:
        loop.exec()
    timer.stop()
    total = time.perf_counter() - start
    listed = library.model.rowCount()
    window.close()
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:], strict=False)]
    longest = max(gaps, default=total * 1000)
    return frame_row(
        f"first, uncached open of {FILES:,} files: longest time the window handled no event",
        longest,
        "never freezes: no stall over 100 ms",
        longest <= 100 and listed == FILES,
        f"p95 gap {statistics.quantiles(gaps, n=20)[-1]:.3g} ms over {len(gaps)} ticks" if len(gaps) > 1 else "",
        note=(
            f"{listed} files listed; first rows after {first_rows[0] if first_rows else total:.2f} s, "
            f"all after {total:.1f} s (a worker process reads, lints and analyses each file)"
        ),
    )


def rows() -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="frontline-bench-startup-"))
    try:
        found = startup_rows(work)
        found.append(uncached_row(work))
        found.append(keystroke_row(work))
        return found
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> int:
    print_rows(rows())
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
