"""Endings count: score caps, pass rules and the customer_lost default; zero-sum paths; and FL206."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.core import Debrief, lint_paths, load_rubric, load_scenario, replay
from simulator.core.explore import check_pass
from simulator.core.rules import no_pass

from ..dev_cancels import header

HEADER = header()

STRONG_TO_GOOD = """\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {text: "I'm sorry it came to this; let me help.", to: good, traits: {empathy: 2}, why: Kind.}
      - {text: "Fine.", to: bad, traits: {empathy: -1, timeliness: 1}, why: Quick but cold.}
"""

# Every offer adds up to 1, so no choice changes the overall score.
ZERO_SUM = """\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {text: "I'm sorry it came to this; let me help.", to: good, traits: {empathy: 1}, why: Kind.}
      - {text: "Let me look at your account.", to: bad, traits: {patience: 1}, why: Calm.}
"""


def _write(tmp_path: Path, good: str, bad: str = "{outcome: customer_lost, summary: Gone.}", start: str = "") -> Path:
    text = HEADER + (start or STRONG_TO_GOOD)
    text += f"  - id: good\n    ending: {good}\n  - id: bad\n    ending: {bad}\n"
    path = tmp_path / "endings.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _play(path: Path, choices: list[int | str]) -> Debrief:
    loaded = load_scenario(path)
    assert loaded.scenario is not None, loaded.diagnostics
    return replay(loaded.scenario, load_rubric(), loaded.analysis, choices)[1]


def _codes(path: Path) -> list[str]:
    return [d.code for d in lint_paths([path])]


def test_an_ending_with_no_rules_passes_on_the_score(tmp_path: Path) -> None:
    debrief = _play(_write(tmp_path, "{outcome: resolved, summary: Sorted.}"), [1])
    assert (debrief.overall, debrief.passed, debrief.result_reason) == (100, True, "")


def test_max_score_caps_the_overall_and_can_fail_the_attempt(tmp_path: Path) -> None:
    debrief = _play(_write(tmp_path, "{outcome: partial_refund, summary: Half.,  max_score: 59}"), [1])
    assert debrief.overall == 59 and not debrief.passed
    assert debrief.result_reason == (
        "Your replies earned 100, but the conversation with Dev ended in “Partial refund”, "
        "which caps the score at 59, under the pass mark of 60."
    )
    capped_above = _play(_write(tmp_path, "{outcome: partial_refund, summary: Half., max_score: 80}"), [1])
    assert capped_above.overall == 80 and capped_above.passed
    assert capped_above.result_reason.endswith("which caps the score at 80.")


def test_a_cap_above_the_score_changes_nothing(tmp_path: Path) -> None:
    debrief = _play(
        _write(tmp_path, "{outcome: resolved, summary: Sorted., max_score: 90}", "{outcome: x, summary: X}"), [2]
    )
    assert debrief.overall == 0 and not debrief.passed and debrief.result_reason == ""


def test_can_pass_false_fails_whatever_the_score(tmp_path: Path) -> None:
    debrief = _play(
        _write(tmp_path, "{outcome: resolved, title: Kept on a bad deal, summary: S., can_pass: false}"), [1]
    )
    assert debrief.overall == 100 and not debrief.passed
    assert debrief.result_reason == (
        "Your replies earned 100, enough to pass, but the conversation with Dev ended in “Kept on a bad deal”: "
        "that ending cannot pass."
    )


def test_customer_lost_cannot_pass_by_default_but_an_author_can_allow_it(tmp_path: Path) -> None:
    lost = _play(_write(tmp_path, "{outcome: customer_lost, summary: He left.}"), [1])
    assert lost.overall == 100 and not lost.passed
    assert "Dev" in lost.result_reason and "“Customer lost”: that ending cannot pass" in lost.result_reason
    allowed = _play(_write(tmp_path, "{outcome: customer_lost, summary: He left., can_pass: true}"), [1])
    assert allowed.overall == 100 and allowed.passed and allowed.result_reason == ""
    weak = _play(_write(tmp_path, "{outcome: resolved, summary: S.}"), [2])
    assert weak.outcome == "customer_lost" and weak.overall == 0 and not weak.passed
    assert weak.result_reason.endswith("an ending that cannot pass.")


def test_max_score_is_validated(tmp_path: Path) -> None:
    path = _write(tmp_path, "{outcome: resolved, summary: S., max_score: 101}")
    assert "FL101" in _codes(path)
    path = _write(tmp_path, '{outcome: resolved, summary: S., can_pass: "no"}')
    assert "FL101" in _codes(path)


def test_a_zero_sum_path_is_not_assessed_and_the_ending_decides(tmp_path: Path) -> None:
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=ZERO_SUM)
    good = _play(path, [1])
    assert good.finished and good.overall is None and good.passed
    assert good.result_reason.startswith("Every reply on this path scored the same, so there was nothing to fail on")
    lost = _play(path, [2])
    assert lost.overall is None and not lost.passed
    assert lost.result_reason == (
        "Every reply on this path scored the same, and the conversation with Dev ended in “Customer lost”: "
        "that ending cannot pass."
    )
    capped = _play(_write(tmp_path, "{outcome: resolved, summary: S., max_score: 50}", start=ZERO_SUM), [1])
    assert capped.overall is None and not capped.passed and "caps the score at 50" in capped.result_reason


def test_fl206_when_every_reachable_ending_cannot_pass(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "{outcome: resolved, summary: S., can_pass: false}",
        "{outcome: escalated, summary: E., max_score: 40}",
    )
    [diag] = [d for d in lint_paths([path]) if d.code == "FL206"]
    assert "every ending a trainee can reach cannot pass" in diag.message
    assert "'good' has can_pass: false" in diag.message
    assert "'bad' caps the score at 40, under the pass mark of 60" in diag.message
    assert (diag.line, diag.col) == (19, 13)  # the first ending reached, 'good'


def test_fl206_when_no_play_is_assessed(tmp_path: Path) -> None:
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=ZERO_SUM)
    [diag] = [d for d in lint_paths([path]) if d.code == "FL206"]
    assert diag.message.startswith("no play is ever assessed")
    assert (diag.line, diag.col) == (11, 12)  # pass_mark


def test_fl206_names_the_best_overall_when_it_is_under_the_pass_mark(tmp_path: Path) -> None:
    # The strongest reply at each step loses Dev; keeping him earns at most a third of what was on offer.
    start = """\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {text: "I'm sorry it came to this; let me help.", to: bad, traits: {empathy: 2}, why: Kind.}
      - {text: "Let me look at your account.", to: middle, traits: {patience: 1}, why: Calm.}
      - {text: "Fine.", to: good, traits: {empathy: -1, timeliness: 1}, why: Quick but cold.}
  - id: middle
    customer: "Well?"
    replies:
      - {text: "You can leave at no cost.", to: good, traits: {honesty_fairness: 1}, why: Honest.}
      - {text: "I hear you; let me fix it.", to: bad, traits: {empathy: 2}, why: Warm.}
"""
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=start)
    loaded = load_scenario(path)
    assert loaded.scenario is not None
    found = check_pass(loaded.scenario, load_rubric(), loaded.analysis)
    assert found.complete and found.passable and found.assessed and found.passing is None
    assert found.best is not None and (found.best.choices, found.best.overall) == ([2, 1], 33)
    [diag] = [d for d in lint_paths([path]) if d.code == "FL206"]
    assert "(choices 2,1) scores 33, under the pass mark of 60" in diag.message


def test_fl206_stays_quiet_when_a_play_passes_or_the_search_runs_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "FL206" not in _codes(_write(tmp_path, "{outcome: resolved, summary: S.}"))
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=ZERO_SUM)
    monkeypatch.setattr(no_pass, "MAX_STATES", 1)
    assert "FL206" not in _codes(path)


def test_fl206_finds_the_highest_overall_not_just_the_nearest_miss(tmp_path: Path) -> None:
    # Through 'b' a play earns 1 of 2 points (50); through 'c' 11 of 20 (55). Measured against the
    # pass mark, 'b' falls short by less, but 'c' scores more: the message must name 55.
    start = """\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {text: "Tell me more.", to: b, traits: {empathy: 1}, why: Open.}
      - {text: "Go on.", to: c, traits: {patience: 1}, why: Open.}
  - id: b
    customer: "B?"
    replies:
      - {text: "B0", to: good, traits: {empathy: -1, timeliness: 1}, why: Meh.}
      - {text: "B1", to: good, traits: {honesty_fairness: 1}, why: Fair.}
      - {text: "B2", to: bad, traits: {empathy: 2}, why: Warm.}
  - id: c
    customer: "C?"
    replies:
      - {text: "C0", to: good, traits: {empathy: -3, patience: -3, ownership: -3, timeliness: -1}, why: Bad.}
      - {text: "C1", to: good, traits: {honesty_fairness: 1}, why: Fair.}
      - {text: "C2", to: bad, traits: {empathy: 3, patience: 3, ownership: 3, timeliness: 1}, why: Great.}
"""
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=start)
    [diag] = [d for d in lint_paths([path]) if d.code == "FL206"]
    assert "(choices 2,2) scores 55, under the pass mark of 60" in diag.message


THREE_WAYS = """\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {text: "You're right to be angry; I'd leave too.", to: bad, traits: {empathy: 3}, why: Warm but gives up.}
      - {text: "I'm sorry it came to this; let me help.", to: good, traits: {empathy: 2}, why: Kind.}
      - {text: "Fine.", to: good, traits: {empathy: -1}, why: Cold.}
"""


def test_stats_names_a_passing_play_when_the_best_scoring_one_cannot_pass(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", start=THREE_WAYS)
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "best path:  1  overall 100, customer_lost, does not pass" in out
    assert "a passing path: 2  overall 75, resolved, passes" in out
    assert main(["stats", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["best_outcome"], data["best_passes"]) == ("customer_lost", False)
    assert (data["passing_path"], data["passing_overall"], data["passing_outcome"]) == ([2], 75, "resolved")


def test_stats_says_not_assessed_rather_than_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, "{outcome: resolved, summary: Sorted.}", "{outcome: resolved, summary: Also.}", ZERO_SUM)
    assert main(["stats", str(path)]) == 0
    out = capsys.readouterr().out
    assert "overall 0" not in out and "not assessed, resolved, passes" in out
