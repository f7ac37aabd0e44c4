"""`frontline replay` says in words when a path was not assessed, and why an ending decided the result."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli.main import main

from ..dev_cancels import zero_sum

ZERO_SUM = zero_sum("zero-sum", "Zero sum", lost_title="Dev cancels")


@pytest.fixture
def zero_sum(tmp_path: Path) -> Path:
    path = tmp_path / "zero-sum.yaml"
    path.write_text(ZERO_SUM, encoding="utf-8")
    return path


def test_replay_of_a_zero_sum_path_says_not_assessed_never_none(
    capsys: pytest.CaptureFixture[str], zero_sum: Path
) -> None:
    assert main(["replay", str(zero_sum), "--choices", "1"]) == 0
    out = capsys.readouterr().out
    assert "None" not in out
    lines = out.splitlines()
    assert lines[1] == "  overall: not assessed (every reply on this path scored the same), pass mark 60: PASSED"
    assert lines[2].startswith("  Every reply on this path scored the same, so there was nothing to fail on")


def test_replay_prints_why_the_ending_failed_the_attempt(capsys: pytest.CaptureFixture[str], zero_sum: Path) -> None:
    assert main(["replay", str(zero_sum), "--choices", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Zero sum: Dev cancels"
    assert lines[1] == "  overall: not assessed (every reply on this path scored the same), pass mark 60: not passed"
    assert lines[2] == (
        "  Every reply on this path scored the same, and the conversation with Dev ended in “Dev cancels”: "
        "that ending cannot pass."
    )


def test_replay_json_carries_the_reason(capsys: pytest.CaptureFixture[str], zero_sum: Path) -> None:
    assert main(["replay", str(zero_sum), "--choices", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["overall"] is None and data["passed"] is False
    assert data["result_reason"].endswith("that ending cannot pass.")
