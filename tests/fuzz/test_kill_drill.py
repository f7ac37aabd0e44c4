"""A short SIGKILL drill in make test (make fuzz runs 100 or more kill points): see kill_drill.py."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from .kill_drill import KINDS, run_drill


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_short_kill_drill_loses_nothing(tmp_path: Path) -> None:
    summary = run_drill(points=10, seed=1, folder=tmp_path)
    assert summary.failures == [], "\n".join(summary.lines())
    assert set(summary.kinds) == set(KINDS), summary.kinds  # the seed gives every kind of kill point
    assert summary.acked_steps > 0 and summary.exports_checked > 0
