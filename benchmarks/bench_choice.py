"""One choice, from the click on a reply to the next node painted, and the last choice to the debrief painted.

Drives the real main window offscreen with real mouse clicks (the settling gate satisfied on a fake
clock, as a trainee who reads before clicking), and stops the clock when the event loop has delivered
the Paint event of the new customer line and of every new reply button: the paint the trainee sees,
not a forced ``grab()``. The target is one 60 Hz frame (16.7 ms); the floor of this machine in the same
run is a bare button whose click changes a label, timed to that label's paint the same way.

Three measures: every bundled scenario played to its end (assessment mode, so each click shows the
next node), several times over different paths; the debrief after the last click (its top: the
outcome and the one thing to do better); and a generated scenario that loops, played for 300 steps,
to show a choice costs the same at step 300 as at step 10.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, frame_row, print_rows  # noqa: E402
from tests.gui.helpers import FakeClock  # noqa: E402

CHOICE_TARGET_MS = 16.0
DEBRIEF_TARGET_MS = 50.0
PAINT_WAIT_S = 5.0  # a paint that has not come by then never will; the run says so rather than hang
LONG_STEPS = 300
LONG_WINDOW = 50  # steps compared at the start and the end of the long attempt
REPEATS = 3  # plays of every bundled scenario, each on another path


Timing = tuple[float, float]  # wall seconds, GUI-thread CPU seconds



def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile: an observed value, never an interpolation between two runs."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(share * len(ordered) + 0.5)))
    return ordered[rank - 1]


def looping_scenario(nodes: int = 5) -> str:
    """A scenario whose conversation goes round a ring of nodes until the trainee chooses to end it."""
    lines = [
        "format: 1",
        "id: bench-loop",
        'title: "Round and round"',
        'summary: "A customer who keeps coming back to the same question, for the long-attempt benchmark."',
        "persona: {name: Lee Park, kind: confused, mood: 0, description: 'A patient caller.'}",
        'setting: "Phone support"',
        "difficulty: easy",
        "minutes: 3",
        "focus: [empathy]",
        "briefing: |",
        "  Answer each question; the conversation goes round until you close it.",
        "pass_mark: 50",
        "nodes:",
    ]
    for i in range(nodes):
        after = f"n{(i + 1) % nodes}"
        lines += [
            f"  - id: n{i}",
            f'    customer: "Question {i}: and what about the part I did not understand, the one with the long words '
            f'in the letter you sent me last week?"',
            "    replies:",
            f'      - text: "Let me explain that part again in plain words, step {i}, and then check it makes sense."',
            f"        to: {after}",
            "        traits: {empathy: 1}",
            '        why: "Plain words and a check."',
            f'      - text: "It is all in the letter, point {i}. Read it again and call back."',
            f"        to: {after}",
            "        traits: {empathy: -1}",
            '        why: "Sends the caller away."',
            '      - text: "I think that covers everything. Thank you for calling."',
            "        to: done",
            "        traits: {empathy: 0}",
            '        why: "Closes the call."',
        ]
    lines += [
        "  - id: done",
        "    ending:",
        "      outcome: resolved",
        '      title: "All clear"',
        '      summary: "Lee understood in the end."',
    ]
    return "\n".join(lines) + "\n"


class Harness:
    """One main window offscreen with its settings and records in a temporary folder."""

    def __init__(self, home: Path, extra_dirs: Sequence[Path] = ()) -> None:
        from PySide6.QtCore import QCoreApplication, QEvent, QObject, QSettings, QStandardPaths
        from PySide6.QtWidgets import QApplication

        from simulator.core import AttemptStore
        from simulator.gui.main_window import MainWindow
        from simulator.gui.theme import MOTION_KEY

        self.app = QApplication.instance() or QApplication([])
        QCoreApplication.setOrganizationName("FrontlineBench")
        QCoreApplication.setApplicationName("FrontlineBenchChoice")
        QStandardPaths.setTestModeEnabled(True)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(home / "settings"))
        # No typing pause and no smooth scrolling: a click shows the next node at once, as the tests see it.
        QSettings().setValue(MOTION_KEY, "false")
        self.clock = FakeClock()
        self.store = AttemptStore(home / "attempts.sqlite3")
        self.window = MainWindow(
            store=self.store,
            extra_library_dirs=list(extra_dirs),
            clock=self.clock,
            reply_order=lambda: None,
            include_bundled=True,
        )
        self.window.resize(1024, 640)
        self.window.show()
        self.wait(lambda: not self.window.library.loading, 60.0)
        self.painted: set[int] = set()
        paint = QEvent.Type.Paint
        painted = self.painted

        class PaintWatcher(QObject):
            # Installed on the widgets awaited only: one on the whole application would see every event
            # and slow the very thing measured.
            def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
                if event.type() == paint:
                    painted.add(id(watched))
                return False

        self.watcher = PaintWatcher(self.app)

    def wait(self, done: Callable[[], bool], seconds: float) -> bool:
        end = time.perf_counter() + seconds
        while not done():
            if time.perf_counter() > end:
                return False
            self.app.processEvents()
        return True

    def close(self) -> None:
        self.window.close()
        self.window.deleteLater()
        self.app.processEvents()
        self.store.close()

    def click_and_time(self, button: object, targets: Callable[[], list[object]]) -> Timing:
        """Click ``button`` with the mouse and return the seconds until every widget ``targets()`` names
        (read after the click, when the next node exists) has had its Paint event (inf if one never does),
        and the GUI thread's CPU seconds meanwhile: on a shared machine the wall time also holds waits
        for the disk's sync and for a core, which the CPU time leaves out."""
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        self.app.processEvents()  # nothing earlier left pending to be counted against this click
        self.painted.clear()
        start, cpu = time.perf_counter(), time.thread_time()
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)  # sends the events; paints wait for the loop
        wanted = targets()
        for widget in wanted:
            widget.installEventFilter(self.watcher)  # type: ignore[attr-defined]
        ok = self.wait(lambda: all(id(w) in self.painted for w in wanted), PAINT_WAIT_S)
        elapsed, cpu = time.perf_counter() - start, time.thread_time() - cpu
        for widget in wanted:
            widget.removeEventFilter(self.watcher)  # type: ignore[attr-defined]
        return (elapsed, cpu) if ok else (float("inf"), cpu)

    def settle(self) -> None:
        """The trainee reads: the replies were painted, now let the settling gate's time pass."""
        screen = self.window.conversation
        self.wait(lambda: screen.gate.painted, PAINT_WAIT_S)
        self.clock.advance(1.0)
        assert screen.input_ready, "the settling gate never opened"


def _node_targets(harness: Harness) -> Callable[[], list[object]]:
    def targets() -> list[object]:
        screen = harness.window.conversation
        if screen.session is None or screen.session.finished:
            debrief = harness.window.debrief
            return [debrief.outcome_label, debrief.next_time_label]
        wanted: list[object] = list(screen.reply_buttons)
        bubbles = screen.transcript.bubbles
        if bubbles and bubbles[-1].speaker != "You":  # the customer's new line
            wanted.append(bubbles[-1])
        return wanted

    return targets


def play(
    harness: Harness, entry: object, policy: Callable[[int, int], int], limit: int
) -> tuple[list[Timing], Timing | None]:
    """Play ``entry`` in assessment mode choosing ``policy(step, count)``; the per-choice times and the
    debrief time (None when the limit came first)."""
    window = harness.window
    window.start_conversation(entry, "assessment", False)  # type: ignore[arg-type]
    screen = window.conversation
    choices: list[Timing] = []
    targets = _node_targets(harness)
    for step in range(limit):
        harness.settle()
        buttons = screen.reply_buttons
        button = buttons[policy(step, len(buttons)) - 1]
        elapsed = harness.click_and_time(button, targets)
        if window.current_screen() is window.debrief:
            return choices, elapsed
        choices.append(elapsed)
    screen.leave()
    return choices, None


def playable(entry: Any) -> Any:
    """The full scenario behind a library row (the list keeps summaries and reads a file when it is opened)."""
    return entry.load() if hasattr(entry, "load") else entry


POLICIES: tuple[Callable[[int, int], int], ...] = (
    lambda step, n: 1,
    lambda step, n: n,
    lambda step, n: (step % n) + 1,
    lambda step, n: ((step * 2) % n) + 1,
)


def bare_click_to_paint(harness: Harness, runs: int) -> list[Timing]:
    """The floor: a plain button whose click changes a label, timed the same way, in the same window."""
    from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

    page = QWidget(harness.window)
    layout = QVBoxLayout(page)
    button = QPushButton("Press", page)
    label = QLabel("0", page)
    layout.addWidget(button)
    layout.addWidget(label)
    button.clicked.connect(lambda: label.setText(str(int(label.text()) + 1)))
    page.setGeometry(0, 0, 300, 120)
    page.show()
    page.raise_()
    harness.app.processEvents()
    times = [harness.click_and_time(button, lambda: [label]) for _ in range(runs)]
    page.hide()
    page.deleteLater()
    return times


def measure(repeats: int = REPEATS, long_steps: int = LONG_STEPS) -> dict[str, list[Timing]]:
    with tempfile.TemporaryDirectory(prefix="frontline-bench-choice-") as tmp:
        home = Path(tmp)
        loop_dir = home / "loop"
        loop_dir.mkdir()
        (loop_dir / "bench-loop.yaml").write_text(looping_scenario(), encoding="utf-8")
        harness = Harness(home, [loop_dir])
        try:
            entries = [playable(e) for e in harness.window.library.entries if e.ok]
            bundled = [e for e in entries if e.scenario is not None and e.scenario.id != "bench-loop"]
            loop = next(e for e in entries if e.scenario is not None and e.scenario.id == "bench-loop")
            base = bare_click_to_paint(harness, 20)
            choices: list[Timing] = []
            debriefs: list[Timing] = []
            for repeat in range(repeats):
                for entry in bundled:
                    policy = POLICIES[repeat % len(POLICIES)]
                    times, debrief = play(harness, entry, policy, 80)
                    choices += times
                    if debrief is not None:
                        debriefs.append(debrief)
                base += bare_click_to_paint(harness, 20)
            # Round and round, never choosing the reply that ends it, then the debrief at the end.
            long, _ = play(harness, loop, lambda step, n: 1 + step % 2, long_steps)
            return {"base": base, "choices": choices, "debriefs": debriefs, "long": long}
        finally:
            harness.close()


def rows(repeats: int = REPEATS, long_steps: int = LONG_STEPS) -> list[Row]:
    data = measure(repeats, long_steps)
    base_ms = [wall * 1000 for wall, _ in data["base"]]
    choice_ms = [wall * 1000 for wall, _ in data["choices"]]
    debrief_ms = [wall * 1000 for wall, _ in data["debriefs"]]
    long_ms = [wall * 1000 for wall, _ in data["long"]]
    choice_cpu = [cpu * 1000 for _, cpu in data["choices"]]
    debrief_cpu = [cpu * 1000 for _, cpu in data["debriefs"]]
    floor = statistics.median(base_ms)

    def summary(values: list[float], cpu: list[float]) -> dict[str, float]:
        return {
            "p50_ms": percentile(values, 0.50),
            "p95_ms": percentile(values, 0.95),
            "max_ms": max(values),
            "cpu_p50_ms": percentile(cpu, 0.50),
            "cpu_p95_ms": percentile(cpu, 0.95),
            "count": float(len(values)),
            "floor_p50_ms": floor,
        }

    choice = summary(choice_ms, choice_cpu)
    debrief = summary(debrief_ms, debrief_cpu)
    head = statistics.median(long_ms[:LONG_WINDOW])
    tail = statistics.median(long_ms[-LONG_WINDOW:])
    growth = tail / head if head > 0 else float("inf")
    floor_note = f"this machine's floor (a bare button changing a label, click to paint) p50 {floor:.2f} ms"

    def p95_row(measure: str, stats: dict[str, float], target_ms: float, counted: str, note: str = "") -> Row:
        return frame_row(
            measure,
            stats["p95_ms"],
            f"p95 {target_ms:g} ms or less",
            stats["p95_ms"] <= target_ms,
            f"p50 {stats['p50_ms']:.1f} ms, p95 {stats['p95_ms']:.1f} ms, max {stats['max_ms']:.1f} ms over {counted}; "
            f"GUI-thread CPU p50 {stats['cpu_p50_ms']:.1f} ms, p95 {stats['cpu_p95_ms']:.1f} ms{note}",
            extra=stats,
        )

    return [
        p95_row(
            "one choice, click to the next node painted (p95)",
            choice,
            CHOICE_TARGET_MS,
            f"{len(choice_ms)} choices in {len(debrief_ms)} plays",
            f"; {floor_note}",
        ),
        p95_row("last choice to the debrief painted (p95)", debrief, DEBRIEF_TARGET_MS, f"{len(debrief_ms)} debriefs"),
        Row(
            measure=f"one choice late in a {long_steps}-step attempt vs early (median of the last {LONG_WINDOW} "
            f"over the first {LONG_WINDOW})",
            baseline=f"the first {LONG_WINDOW} choices",
            baseline_value=head,
            value=tail,
            unit="ms",
            target="1.5x or less (no growth with the attempt's length)",
            met=growth <= 1.5,
            ratio=growth,
            spread=f"p95 of the last {LONG_WINDOW} {percentile(long_ms[-LONG_WINDOW:], 0.95):.1f} ms, "
            f"max {max(long_ms):.1f} ms over {len(long_ms)} choices",
            extra={"head_ms": head, "tail_ms": tail, "steps": float(len(long_ms))},
        ),
    ]


def main() -> None:
    print_rows(rows())


if __name__ == "__main__":
    main()
