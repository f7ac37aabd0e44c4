"""`frontline lint` output for trainers and tools: FL000 for a missing file in every format, the JSON
summary and fixes, and `--explore`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "core" / "lint_fixtures"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_missing_file_is_fl000_in_every_format(capsys: pytest.CaptureFixture[str], tmp_path: Path, fmt: str) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, out, _ = run(capsys, "lint", "--format", fmt, missing)
    assert code == 1 and out.strip(), "a missing file must be reported on standard output"
    if fmt == "text":
        assert out.startswith(f"{missing}:1:1: error: FL000 cannot read file: there is no file or folder here")
    elif fmt == "github":
        assert out.startswith("::error file=") and ",line=1,col=1,title=FL000::FL000" in out
    else:
        report = json.loads(out)
        assert report["summary"] == {"files_checked": 1, "errors": 1, "warnings": 0}
        [diag] = report["diagnostics"]
        assert (diag["path"], diag["line"], diag["col"], diag["code"]) == (missing, 1, 1, "FL000")


def test_json_has_a_summary_and_the_fix(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Two libraries: the fixtures share one scenario id, which in one folder would be FL209.
    paths = []
    for name in ("FL104", "FL202"):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "s.yaml")
        paths[-1].write_text((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    code, out, _ = run(capsys, "lint", "--format", "json", *map(str, paths))
    report = json.loads(out)
    assert code == 1
    assert report["summary"] == {"files_checked": 2, "errors": 1, "warnings": 1}
    first = report["diagnostics"][0]
    assert (first["line"], first["col"], first["code"]) == (21, 19, "FL104")
    assert first["fix"] == "write '>' instead of '>>'"


def test_json_carries_a_rules_did_you_mean_as_a_fix(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "lint", "--format", "json", str(FIXTURES / "FL200.yaml"))
    [diag] = [d for d in json.loads(out)["diagnostics"] if d["code"] == "FL200"]
    assert (diag["line"], diag["col"], diag["fix"]) == (21, 13, "write 'lost'")


def test_json_of_a_clean_file_is_a_summary_with_no_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--format", "json", str(FIXTURES / "clean.yaml"))
    assert code == 0 and json.loads(out) == {
        "summary": {"files_checked": 1, "errors": 0, "warnings": 0},
        "diagnostics": [],
    }


def test_explore_reports_stuck_plays_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    fixture = str(FIXTURES / "FL210.yaml")
    code, out, _ = run(capsys, "lint", fixture)
    assert code == 0 and "error: FL210" not in out  # warnings only without --explore
    code, out, _ = run(capsys, "lint", "--explore", "20", fixture)
    assert code == 1 and f"{fixture}:33:9: error: FL210 random play" in out


def test_explore_needs_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["lint", "--explore", "many", str(FIXTURES / "clean.yaml")])
    assert info.value.code == 2 and "not a number of plays" in capsys.readouterr().err


def test_two_files_with_one_id_fail_strict_lint(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "lint", "--strict", str(FIXTURES / "FL209"))
    assert code == 1 and out.count("error: FL209") == 2
