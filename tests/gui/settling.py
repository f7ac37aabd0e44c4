"""Waiting, without sleeping, until the conversation accepts key presses: painted, then settled on the fake clock."""

from __future__ import annotations

from simulator.gui.widgets import SETTLE_SECONDS


def settle(qtbot, screen, clock) -> None:
    """Let the screen paint what it shows, then move the fake clock past the settling time."""
    qtbot.waitUntil(lambda: screen.gate.painted, timeout=5_000)
    clock.advance(SETTLE_SECONDS)
    assert screen.input_ready
