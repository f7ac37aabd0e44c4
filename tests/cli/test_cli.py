"""The frontline command as a trainer uses it: exit codes, output formats, stats and replay."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli.main import main

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "tests" / "core" / "golden" / "late-parcel.yaml"
FIXTURES = REPO / "tests" / "core" / "lint_fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_lint_clean_file_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", str(EXAMPLE))
    assert code == 0 and out == ""


def test_lint_errors_exit_1_with_path_line_col(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", str(FIXTURES / "FL200.yaml"))
    assert code == 1
    assert f"{FIXTURES / 'FL200.yaml'}:21:13: error: FL200 no node 'lots' (did you mean 'lost'?)" in out.splitlines()


def test_warnings_fail_only_with_strict(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "lint", str(FIXTURES / "FL202.yaml"))[0] == 0
    assert run(capsys, "lint", "--strict", str(FIXTURES / "FL202.yaml"))[0] == 1


def test_lint_json_and_github_formats(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "lint", "--format", "json", str(FIXTURES / "FL008.yaml"))
    [item] = json.loads(out)["diagnostics"]
    assert (item["line"], item["col"], item["code"], item["severity"]) == (9, 1, "FL008", "error")
    _, out, _ = run(capsys, "lint", "--format", "github", str(FIXTURES / "FL008.yaml"))
    assert out.startswith(f"::error file={FIXTURES / 'FL008.yaml'},line=9,col=1,title=FL008::FL008 duplicate key")


def test_lint_a_folder_and_a_missing_path(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(EXAMPLE.read_text())
    (tmp_path / "b.yaml").write_text("format: 1\n")
    code, out, _ = run(capsys, "lint", str(tmp_path))
    assert code == 1 and "b.yaml:1:1: error: FL100" in out and "a.yaml" not in out
    code, out, _ = run(capsys, "lint", str(tmp_path / "nope"))
    assert code == 1 and f"{tmp_path / 'nope'}:1:1: error: FL000" in out  # a missing path is FL000, not a usage error


def test_schema_is_json_schema_2020_12(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema")
    schema = json.loads(out)
    assert code == 0 and schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["persona"]


def test_stats_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", str(EXAMPLE), "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("id", "kind", "nodes", "endings", "paths")} == {
        "id": "late-parcel",
        "kind": "angry",
        "nodes": 7,
        "endings": 2,
        "paths": 21,
    }
    assert data["traits"]["ownership"] == {"min": -4, "max": 3}
    assert data["best_path"] == [1, 1, 1] and data["worst_path"] == [3, 2]
    assert (data["best_overall"], data["worst_overall"]) == (100, 0)


def test_replay_json_matches_the_engine(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "replay", str(EXAMPLE), "--choices", "2,2", "--json")
    data = json.loads(out)
    assert code == 0
    assert (data["outcome"], data["overall"], data["passed"]) == ("customer_lost", 25, False)
    assert data["traits"]["patience"] is None
    assert [s["chosen_number"] for s in data["steps"]] == [2, 2]


def test_replay_invalid_path_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "replay", str(EXAMPLE), "--choices", "1,9")
    assert code == 1 and "step 2" in err and "no reply 9" in err and "Traceback" not in err
    code, _, err = run(capsys, "replay", str(EXAMPLE), "--choices", "1,x")
    assert code == 1 and "'x' is not a reply number" in err


def test_stats_on_a_broken_file_lists_its_errors(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "stats", str(FIXTURES / "FL200.yaml"))
    assert code == 1 and "FL200" in err and "Traceback" not in err


def test_python_dash_m_simulator_runs_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "simulator", "lint", str(EXAMPLE)], capture_output=True, text=True, cwd=REPO
    )
    assert result.returncode == 0, result.stderr


def test_no_display_is_a_clear_message_not_a_crash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    code, out, err = run(capsys)
    assert code == 2 and "no display found" in err and out == ""


@pytest.fixture
def library_with_broken_rubric(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "late-parcel.yaml").write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "rubric.yaml").write_text("format: 1\ntraits:\n  - id: empathy\n    name: 12\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize("command", ["lint", "replay", "stats", "coverage"])
def test_a_broken_library_rubric_is_an_error_in_every_command(
    capsys: pytest.CaptureFixture[str], library_with_broken_rubric: Path, command: str
) -> None:
    scenario = library_with_broken_rubric / "late-parcel.yaml"
    args = {
        "lint": [str(library_with_broken_rubric)],
        "replay": [str(scenario), "--choices", "1,1,2"],
        "stats": [str(scenario)],
        "coverage": [str(library_with_broken_rubric)],
    }[command]
    code, out, err = run(capsys, command, *args)
    assert code == 1, out + err
    assert f"{library_with_broken_rubric / 'rubric.yaml'}:" in out + err
    assert "PASSED" not in out and "overall" not in out
