"""`frontline replay` shows where each step happened and refuses a short path; `coverage` explains itself."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from simulator.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "tests" / "core" / "golden" / "late-parcel.yaml"
DOC = REPO / "docs" / "authoring-tools.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_replay_text_shows_node_ids_and_what_the_customer_said(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "replay", str(EXAMPLE), "--choices", "1,1,2")
    assert code == 0
    lines = out.splitlines()
    steps = lines.index("  steps:")
    assert lines[steps + 1 : steps + 3] == [
        "    1. at node 'opening'",
        "       Priya Shah: Nine days! It was for my daughter's birthday, which was yesterday. Where is it?",
    ]
    assert "    2. at node 'order_number'" in lines and "    3. at node 'choice'" in lines
    assert "       Priya Shah: Express, please. Will it really come tomorrow?" in lines
    assert lines[-1].startswith("  ended at node 'resolved': Priya accepted an express replacement")


def test_too_few_choices_is_an_error_unless_partial(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    records = tmp_path / "attempts.sqlite3"
    code, out, err = run(capsys, "replay", str(EXAMPLE), "--choices", "1,1", "--record", "--records", str(records))
    assert code == 1 and out == ""
    assert "stop at node 'choice' before an ending (replies on offer there: 1, 2, 3)" in err and "--partial" in err
    assert "recorded" not in err
    assert json.loads(run(capsys, "history", "--records", str(records), "--json")[1])["attempts"] == []
    code, out, _ = run(capsys, "replay", str(EXAMPLE), "--choices", "t", "--partial")
    lines = out.splitlines()
    assert code == 0 and lines[1] == "  not finished: the conversation stands at node 'silence'"
    assert "       [t] (time ran out)" in lines
    now = lines.index("  now at node 'silence'")
    assert lines[now + 1 :] == [
        "       Priya Shah: Hello?? Is anyone even there?",
        "       [1] I'm here, Priya, and I'm sorry for the wait. Let's find your parcel.",
        "       [2] Yes. Order number please.",
    ]
    code, out, _ = run(capsys, "replay", str(EXAMPLE), "--choices", "t", "--partial", "--json")
    data = json.loads(out)
    assert code == 0 and (data["finished"], data["node"], data["outcome"]) == (False, "silence", None)


def _documented_fields() -> set[str]:
    section = DOC.read_text(encoding="utf-8").split("## `frontline replay", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `(\w+)` \|", section, re.M))


def _documented_step_fields() -> set[str]:
    section = DOC.read_text(encoding="utf-8").split("## `frontline replay", 1)[1].split("\n## ", 1)[0]
    paragraph = section.split("Each step has", 1)[1].split("\n\n", 1)[0]
    return set(re.findall(r"`(\w+)`", paragraph))


def test_every_replay_json_field_is_documented(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "replay", str(EXAMPLE), "--choices", "t,1,1,1", "--json")
    data = json.loads(out)
    assert code == 0 and data["node"] == "resolved" and data["finished"] is True
    assert set(data) == _documented_fields()
    step_fields = set(data["steps"][0])
    assert step_fields <= _documented_step_fields(), step_fields - _documented_step_fields()


def test_coverage_has_a_legend_and_full_ids(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    long_id = "angry-parcel-that-never-came-for-a-birthday"
    (tmp_path / f"{long_id}.yaml").write_text(
        EXAMPLE.read_text(encoding="utf-8").replace("id: late-parcel", f"id: {long_id}"), encoding="utf-8"
    )
    (tmp_path / "late-parcel.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "coverage", str(tmp_path))
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split() == ["trait", "1", "2", "+", "-"]
    assert lines[1].split() == ["empathy", "+-", "+-", "2", "2"]
    assert f"  1  {long_id}" in lines and "  2  late-parcel" in lines
    assert any(line.startswith("Legend: ") for line in lines)
    assert "'+' means some reply or timeout in that scenario raises the trait" in out
