"""Linting a batch in several processes gives exactly what linting it in one does."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.core import lint_paths
from simulator.core.loader import PARALLEL_FROM, _lint_parallel

FIXTURES = Path(__file__).resolve().parent / "lint_fixtures"


def _as_tuples(diags: list) -> list[tuple]:  # type: ignore[type-arg]
    return [(d.path, d.line, d.col, d.code, d.severity, d.message, d.fix) for d in diags]


def test_two_processes_report_every_diagnostic_in_the_same_order() -> None:
    # Every lint code's fixture, FL209's shared ids included: errors, warnings and clean files together.
    one = lint_paths([FIXTURES], jobs=1)
    two = lint_paths([FIXTURES], jobs=2)
    assert {d.code for d in one} >= {"FL001", "FL003", "FL200", "FL208", "FL209", "FL500"}
    assert _as_tuples(two) == _as_tuples(one)


def test_a_large_batch_is_really_checked_in_other_processes() -> None:
    files = sorted(FIXTURES.glob("FL2*.yaml"))[:PARALLEL_FROM]
    outcomes = _lint_parallel(files, 0, 0, 2)
    if outcomes is None:
        pytest.skip("this system cannot fork")
    assert len(outcomes) == len(files)
    assert [diags[0].path if diags else None for diags, _ in outcomes] == [
        str(f) if diags else None for f, (diags, _) in zip(files, outcomes, strict=True)
    ]
    # Too few files, or one job, stay in this process.
    assert _lint_parallel(files[: PARALLEL_FROM - 1], 0, 0, 2) is None
    assert _lint_parallel(files, 0, 0, 1) is None
