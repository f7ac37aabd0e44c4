"""Scenario self-tests: `checks:` paths are played by lint, and an edit that changes an outcome is an FL500."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core import lint_paths, load_rubric, load_scenario
from simulator.core.checks import run_checks
from simulator.core.explore import explore

REPO = Path(__file__).resolve().parents[2]
LIBRARY = REPO / "scenarios"
FILES = sorted(p for p in LIBRARY.glob("*.yaml") if p.name != "rubric.yaml")
CLEAN = REPO / "tests" / "core" / "lint_fixtures" / "clean.yaml"


def _codes(path: Path) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.code) for d in lint_paths([path])]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_bundled_scenario_checks_its_best_and_worst_plays(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.scenario is not None and loaded.analysis is not None
    rubric = load_rubric()
    runs = {run.check.name: run for run in run_checks(loaded.scenario, rubric)}
    assert set(runs) >= {"best play", "worst play"}
    assert all(run.passed for run in runs.values()), [f.message for r in runs.values() for f in r.failures]
    found = explore(loaded.scenario, rubric, loaded.analysis)
    assert found.best is not None and found.worst is not None
    best, worst = runs["best play"], runs["worst play"]
    # The checks are the plays `frontline stats` reports, with everything they promise pinned down.
    assert list(best.check.path) == found.best.choices and list(worst.check.path) == found.worst.choices
    assert best.check.overall == found.best.overall and worst.check.overall == found.worst.overall
    assert best.check.passes is found.best.passed and worst.check.passes is found.worst.passed
    assert best.debrief is not None and best.debrief.outcome == found.best.outcome


def test_changing_a_bundled_outcome_fails_its_check_at_its_line(tmp_path: Path) -> None:
    source = LIBRARY / "angry-car-rental.yaml"
    text = source.read_text(encoding="utf-8")
    target = tmp_path / "angry-car-rental.yaml"
    target.write_text(text, encoding="utf-8")
    assert _codes(target) == []
    # An edit that lets the worst play pass: its ending no longer caps the score, and it can pass.
    lines = text.splitlines()
    worst = lines.index("  - name: worst play")
    passes = next(i for i in range(worst, len(lines)) if lines[i].strip() == "passes: false")
    lines[passes] = lines[passes].replace("false", "true")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _codes(target) == [(passes + 1, 13, "FL500")]
    [diag] = lint_paths([target])
    assert diag.message.startswith("check 'worst play': the attempt does not pass, but the check says it must.")


def test_a_reply_edit_that_moves_the_score_is_caught(tmp_path: Path) -> None:
    text = (LIBRARY / "angry-car-rental.yaml").read_text(encoding="utf-8")
    # The first reply in the file becomes worth more than the model answer the best play takes there,
    # so the best play no longer scores 100.
    first_traits = re.search(r"^        traits: \{.*\}$", text, re.M)
    assert first_traits is not None
    edited = text.replace(first_traits.group(0), "        traits: {empathy: 3, ownership: 3, patience: 3}", 1)
    target = tmp_path / "angry-car-rental.yaml"
    target.write_text(edited, encoding="utf-8")
    lines = edited.splitlines()
    best = lines.index("  - name: best play")
    overall = next(i for i in range(best, len(lines)) if lines[i].strip().startswith("overall:"))
    found = [d for d in lint_paths([target]) if d.code == "FL500"]
    assert [(d.line, d.col) for d in found] == [(overall + 1, 14)]
    assert found[0].message.startswith("check 'best play': the overall score is ")
    assert found[0].message.endswith(", expected 100")


CHECKED = """\
  - id: done
    ending: {outcome: resolved, summary: Sorted.}
  - id: lost
    ending: {outcome: customer_lost, summary: Gone.}
checks:
  - name: by number
    path: [1]
    ending: done
    overall: 100
    traits: {empathy: {min: 90, max: 100}, timeliness: not assessed}
    passes: true
  - name: by outcome and range
    path: [2]
    ending: customer_lost
    overall: {max: 10}
    passes: false
"""


def _clean_with_checks(tmp_path: Path, checks: str) -> Path:
    text = CLEAN.read_text(encoding="utf-8")
    head = text.split("  - id: done\n", 1)[0]
    path = tmp_path / "checked.yaml"
    path.write_text(head + checks, encoding="utf-8")
    return path


def test_passing_checks_are_lint_clean_and_a_bad_range_is_an_error(tmp_path: Path) -> None:
    assert _codes(_clean_with_checks(tmp_path, CHECKED)) == []
    broken = CHECKED.replace("overall: {max: 10}", "overall: {min: 20, max: 10}")
    assert _codes(_clean_with_checks(tmp_path, broken)) == [(38, 14, "FL101")]
    [diag] = lint_paths([_clean_with_checks(tmp_path, broken)])
    assert "min 20 is above max 10" in diag.message


def test_reply_ids_name_replies_wherever_they_sit(tmp_path: Path) -> None:
    text = CLEAN.read_text(encoding="utf-8").replace(
        '      - text: "Give me the number."', '      - id: brisk\n        text: "Give me the number."'
    )
    head = text.split("  - id: done\n", 1)[0]
    path = tmp_path / "ids.yaml"
    path.write_text(head + CHECKED.replace("path: [2]", "path: [brisk]"), encoding="utf-8")
    assert _codes(path) == []
    path.write_text(head + CHECKED.replace("path: [2]", "path: [brusk]"), encoding="utf-8")
    [diag] = lint_paths([path])
    assert (diag.line, diag.col, diag.code) == (37, 12, "FL500")
    assert "no reply here has the id 'brusk' (did you mean 'brisk'?)" in diag.message


def test_checks_never_change_the_fingerprint(tmp_path: Path) -> None:
    plain = tmp_path / "plain.yaml"
    plain.write_text(CLEAN.read_text(encoding="utf-8"), encoding="utf-8")
    checked = _clean_with_checks(tmp_path, CHECKED)
    a, b = load_scenario(plain).scenario, load_scenario(checked).scenario
    assert a is not None and b is not None and b.checks
    # An attempt begun before checks were added (or changed) still resumes.
    assert a.fingerprint() == b.fingerprint()


def test_an_empty_key_is_an_error_at_its_line_as_in_the_editor(tmp_path: Path) -> None:
    text = CLEAN.read_text(encoding="utf-8").replace('    customer: "Where is my parcel?"', "    customer:")
    path = tmp_path / "empty.yaml"
    path.write_text(text, encoding="utf-8")
    [diag] = lint_paths([path])
    assert (diag.line, diag.code) == (14, "FL101")
    assert "leave the key out" in diag.message
