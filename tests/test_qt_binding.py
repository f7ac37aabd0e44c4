"""The Qt binding keeps Python's reference counts straight.

PySide6-Essentials 6.12.0 on CPython 3.11 drops a reference to ``None`` on every void Qt call
(``QLabel.setText``) and to ``True`` on every ``Signal.emit(True)``. Nothing shows until the count
reaches zero, and then Python aborts with ``Fatal Python error: none_dealloc`` in the middle of a
trainee's session. This test measures the counts directly, so a bad binding fails here, with a
message that says what to do, instead of crashing somewhere later.

On Python 3.12 and newer ``None`` and ``True`` are immortal (their count never moves), so the same
checks run and pass there; they only have teeth on 3.11.
"""

from __future__ import annotations

import ctypes
import gc
import os
import sys
from collections.abc import Callable, Iterator

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported: no display needed

import PySide6
import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QLabel, QWidget

CALLS = 10_000
TOLERANCE = 100  # other code may take or give back a few references while we measure

# References the binding dropped are handed back here, so a failing run reports its failure
# instead of aborting with none_dealloc in whichever test happens to run next. The list itself is
# leaked on purpose (one extra reference nobody gives back) so that not even interpreter shutdown
# frees it and hands the losses back to None and True.
_REPAID: list[object] = []
ctypes.pythonapi.Py_IncRef(ctypes.py_object(_REPAID))
WATCHED = (None, True, False)


class _Emitter(QObject):
    flag = Signal(bool)
    ping = Signal()


def _deltas(action: Callable[[], None]) -> dict[object, int]:
    """How far each watched object's reference count moved over ``action``; negative is a loss."""
    ballast = [obj for obj in WATCHED for _ in range(3 * CALLS)]  # far from zero while a bad binding drains
    gc.collect()
    before = [sys.getrefcount(obj) for obj in WATCHED]
    action()
    gc.collect()
    after = [sys.getrefcount(obj) for obj in WATCHED]
    deltas: dict[object, int] = {obj: a - b for obj, b, a in zip(WATCHED, before, after, strict=True)}
    for obj, delta in deltas.items():
        if delta < 0:
            _REPAID.extend([obj] * -delta)  # before the ballast goes, or dropping it would reach zero
    del ballast
    return deltas


def _assert_kept(action: Callable[[], None], what: str) -> None:
    deltas = _deltas(action)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    problems = [
        f"PySide6-Essentials {PySide6.__version__} on Python {python} loses references to {obj!r} "
        f"({delta:+d} over {CALLS:,} {what} calls); Python will abort with "
        f"{'none_dealloc' if obj is None else 'bool_dealloc'}. "
        "Exclude this version in pyproject.toml and run make lock."
        for obj, delta in deltas.items()
        if abs(delta) >= TOLERANCE
    ]
    assert not problems, "\n".join(problems)


@pytest.fixture
def label(qapp: QApplication) -> Iterator[QLabel]:
    parent = QWidget()  # never shown: setVisible only flips a flag, no window opens
    child = QLabel(parent)
    yield child
    parent.deleteLater()


def test_qlabel_set_text(label: QLabel) -> None:
    def action() -> None:
        for _ in range(CALLS):
            label.setText("hello")

    _assert_kept(action, "QLabel.setText")


def test_qlabel_set_visible(label: QLabel) -> None:
    def action() -> None:
        for _ in range(CALLS):
            label.setVisible(True)

    _assert_kept(action, "QLabel.setVisible(True)")


@pytest.fixture
def emitter(qapp: QApplication) -> Iterator[tuple[_Emitter, list[int]]]:
    sender = _Emitter()
    seen = [0]

    def on_flag(value: bool) -> None:
        seen[0] += 1  # count, never store: holding `value` would itself move True's count

    def on_ping() -> None:
        seen[0] += 1

    sender.flag.connect(on_flag)
    sender.ping.connect(on_ping)
    yield sender, seen
    sender.deleteLater()


def test_signal_with_a_bool_emit(emitter: tuple[_Emitter, list[int]]) -> None:
    sender, seen = emitter

    def action() -> None:
        for _ in range(CALLS):
            sender.flag.emit(True)

    _assert_kept(action, "Signal(bool).emit(True)")
    assert seen[0] == CALLS, "the Python slot did not receive every emit"


def test_plain_signal_emit(emitter: tuple[_Emitter, list[int]]) -> None:
    sender, seen = emitter

    def action() -> None:
        for _ in range(CALLS):
            sender.ping.emit()

    _assert_kept(action, "Signal().emit()")
    assert seen[0] == CALLS, "the Python slot did not receive every emit"


def test_the_check_runs_on_every_python() -> None:
    """On 3.12+ immortal objects' counts never move, so the checks above pass there without skipping."""
    gc.collect()
    before = sys.getrefcount(None)
    held = [None] * 1000
    moved = sys.getrefcount(None) - before
    del held
    assert moved == (0 if sys.version_info >= (3, 12) else 1000)
