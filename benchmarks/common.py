"""What every benchmark shares: interleaved pairs, medians and spread, and one row of the report.

A measure is always a ratio to a baseline taken in the same run, alternating baseline and subject
so a noisy neighbour slows both alike. ``make bench`` (benchmarks/run_all.py) collects each module's
``rows()`` and writes docs/benchmarks.md; each module also runs alone (``python benchmarks/bench_x.py``).
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


@dataclass
class Row:
    """One line of the report: a measure, its baseline, today's value and whether it meets the target."""

    measure: str
    baseline: str  # what the baseline is, in words
    baseline_value: float  # median, in ``unit``
    value: float  # median of the subject, in ``unit``
    unit: str  # "s", "ms", "MiB"
    target: str  # the target in words, e.g. "2x or less"
    met: bool
    ratio: float | None = None  # value / baseline_value where a ratio is the measure
    spread: str = ""  # e.g. "IQR 0.11-0.13 s over 9 runs"
    note: str = ""  # why a target is missed, what the profile showed
    extra: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)

    def line(self) -> str:
        ratio = f" = {self.ratio:.2f}x" if self.ratio is not None else ""
        verdict = "meets" if self.met else "MISSES"
        return (
            f"{self.measure}: {self.value:.3g} {self.unit} vs {self.baseline} {self.baseline_value:.3g} {self.unit}"
            f"{ratio}; target {self.target}: {verdict}"
        )


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def spread(values: Sequence[float], unit: str, scale: float = 1.0) -> str:
    """The middle half of the runs (quartiles), so one slow run does not hide in a mean."""
    ordered = sorted(v * scale for v in values)
    if len(ordered) < 4:
        return f"{ordered[0]:.3g}-{ordered[-1]:.3g} {unit} over {len(ordered)} runs"
    q1, _, q3 = statistics.quantiles(ordered, n=4)
    return f"IQR {q1:.3g}-{q3:.3g} {unit} over {len(ordered)} runs"


def interleave(
    baseline: Callable[[], float], subject: Callable[[], float], runs: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run baseline and subject alternately ``runs`` times each; each callable returns its own measurement."""
    for _ in range(warmup):
        baseline()
        subject()
    base: list[float] = []
    ours: list[float] = []
    for i in range(runs):
        # Alternate which goes first, so neither always runs on a warmer cache.
        if i % 2 == 0:
            base.append(baseline())
            ours.append(subject())
        else:
            ours.append(subject())
            base.append(baseline())
    return base, ours


def timed(fn: Callable[[], object]) -> Callable[[], float]:
    """A callable that runs ``fn`` once with the collector settled first and returns its wall time."""

    def run() -> float:
        gc.collect()
        start = time.perf_counter()
        fn()
        return time.perf_counter() - start

    return run


def timed_process(
    argv: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None
) -> Callable[[], float]:
    """A callable that runs a whole process and returns its wall time; a failing process stops the benchmark."""

    def run() -> float:
        start = time.perf_counter()
        done = subprocess.run(list(argv), env=env, cwd=cwd, capture_output=True, text=True, check=False)
        elapsed = time.perf_counter() - start
        if done.returncode not in (0, 1):  # lint exits 1 when it finds problems, which is still a full run
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
        return elapsed

    return run


def ratio_row(
    measure: str,
    baseline_name: str,
    base: Sequence[float],
    ours: Sequence[float],
    target_ratio: float,
    unit: str = "s",
    note: str = "",
) -> Row:
    """A row whose measure is median(ours) / median(base), met at ``target_ratio`` or less."""
    b, o = median(base), median(ours)
    ratio = o / b if b > 0 else float("inf")
    return Row(
        measure=measure,
        baseline=baseline_name,
        baseline_value=b,
        value=o,
        unit=unit,
        target=f"{target_ratio:g}x or less",
        met=ratio <= target_ratio,
        ratio=ratio,
        spread=f"baseline {spread(base, unit)}; ours {spread(ours, unit)}",
        note=note,
    )


FRAME_MS = 1000 / 60  # one frame at 60 Hz: what a trainee sees as "at once"


def frame_row(
    measure: str,
    value: float,
    target: str,
    met: bool,
    spread: str,
    note: str = "",
    extra: dict[str, float] | None = None,
) -> Row:
    """A row measured in milliseconds against one 60 Hz frame."""
    ratio = value / FRAME_MS
    return Row(measure, "one 60 Hz frame", FRAME_MS, value, "ms", target, met, ratio, spread, note, extra or {})


def print_rows(rows: Sequence[Row]) -> None:
    for row in rows:
        print(row.line())
        if row.spread:
            print(f"    {row.spread}")
        if row.note:
            print(f"    {row.note}")
