"""History out of Frontline: CSV and JSON with a column per trait, written whole or not at all."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.core import AppPaths, AttemptStore, ExportError, load_playable, replay
from simulator.core.exports import history_csv, history_json, write_atomic

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FRONTLINE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def _record(store: AttemptStore, choices: list[int | str], trainee: str = "") -> str:
    playable = load_playable(GOLDEN)
    assert playable.scenario is not None and playable.rubric is not None
    session, _ = replay(playable.scenario, playable.rubric, playable.analysis, choices, store=store, trainee=trainee)
    return session.state.attempt_id


def test_csv_has_a_row_per_attempt_and_a_column_per_trait(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "a.db")
    best = _record(store, [1, 1, 1], trainee="=HYPERLINK(1)")
    open_one = _record(store, [2])
    rows = list(csv.DictReader(io.StringIO(history_csv(store.attempts()))))
    assert [r["attempt_id"] for r in rows] == [best, open_one]
    assert rows[0]["trainee"] == "'=HYPERLINK(1)"  # never a live formula in a spreadsheet
    assert (rows[0]["finished"], rows[0]["outcome"], rows[0]["overall"], rows[0]["passed"]) == (
        "yes",
        "resolved",
        "100",
        "yes",
    )
    assert rows[0]["trait_empathy"] == "100" and rows[0]["trait_patience"] == ""  # not assessed is empty
    assert (rows[1]["finished"], rows[1]["overall"], rows[1]["steps"]) == ("no", "", "1")


def test_json_carries_the_debrief_and_transcript(tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "a.db")
    _record(store, [1, 1, 1])
    data = json.loads(history_json(store.attempts()))
    [attempt] = data["attempts"]
    assert data["format"] == "frontline-history" and attempt["overall"] == 100 and attempt["passed"] is True
    assert attempt["debrief"]["outcome"] == "resolved" and attempt["debrief"]["traits"]["empathy"] == 100
    assert attempt["transcript"][0]["kind"] == "customer" and "Nine days" in attempt["transcript"][0]["text"]


def test_an_interrupted_write_leaves_the_old_file_and_no_debris(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.csv"
    target.write_text("old", encoding="utf-8")

    def disk_full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(ExportError, match="No space left on device"):
        write_atomic(target, b"new contents")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]
    with pytest.raises(ExportError, match="cannot write"):
        write_atomic(tmp_path / "missing" / "out.csv", b"x")


def test_cli_record_history_and_export(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(GOLDEN), "--choices", "1,1,1", "--record", "--trainee", "Ana Silva"]) == 0
    assert "recorded as attempt" in capsys.readouterr().err
    assert main(["history"]) == 0
    out = capsys.readouterr().out
    assert "Ana Silva" in out and "late-parcel" in out and "100 passed" in out
    assert main(["history", "--json"]) == 0
    [attempt] = json.loads(capsys.readouterr().out)["attempts"]
    assert (
        main(["export", "--format", "csv", "--attempt", attempt["attempt_id"][:6], "-o", str(tmp_path / "h.csv")]) == 0
    )
    assert (tmp_path / "h.csv").read_text(encoding="utf-8").count("\n") == 2
    assert main(["export", "--format", "json", "--attempt", "nope", "-o", str(tmp_path / "x.json")]) == 1
    assert "no attempt has the id 'nope'" in capsys.readouterr().err and not (tmp_path / "x.json").exists()
    assert main(["replay", str(GOLDEN), "--choices", "1", "--trainee", "Ben"]) == 2  # --trainee needs --record


def test_cli_history_on_a_newer_database_is_a_message(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = AppPaths.default().attempts_db
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 42")
    db.close()
    assert main(["history"]) == 1
    err = capsys.readouterr().err
    assert "newer Frontline" in err and "Traceback" not in err


def test_xapi_export_is_the_statements_an_lrs_would_get(home: Path, tmp_path: Path) -> None:
    assert main(["replay", str(GOLDEN), "--choices", "1,1,1", "--record", "--trainee", "Ana"]) == 0
    assert main(["export", "--format", "xapi", "-o", str(tmp_path / "x.json")]) == 0
    statements = json.loads((tmp_path / "x.json").read_text(encoding="utf-8"))
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    assert verbs == ["attempted", "answered", "answered", "answered", "completed", "passed"]
    assert len({s["id"] for s in statements}) == 6 and len({s["context"]["registration"] for s in statements}) == 1
    completed = statements[4]["result"]
    assert completed["score"] == {"scaled": 1.0, "raw": 100, "min": 0, "max": 100} and completed["success"] is True
    assert (
        completed["duration"].startswith("PT")
        and completed["extensions"]["urn:frontline:xapi:traits"]["empathy"] == 100
    )
    answer = statements[1]
    assert answer["object"]["definition"]["interactionType"] == "choice"
    assert answer["result"]["response"] == answer["object"]["definition"]["choices"][0]["id"]
    assert "sorry" in answer["result"]["extensions"]["urn:frontline:xapi:reply-text"].lower()
    # Exporting twice gives the same statement ids, so an LRS never stores one twice.
    assert main(["export", "--format", "xapi", "-o", str(tmp_path / "y.json")]) == 0
    again = json.loads((tmp_path / "y.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in again] == [s["id"] for s in statements]


def test_cli_pdf_export_writes_the_chosen_debrief(home: Path, tmp_path: Path) -> None:
    """Run as the command is run, in its own process: Qt draws the PDF there, not in the test process."""

    def frontline(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "FRONTLINE_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
        command = [sys.executable, "-m", "simulator", *args]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)

    empty = frontline("export", "--format", "pdf", "-o", str(tmp_path / "none.pdf"))
    assert empty.returncode == 1 and "no finished attempt" in empty.stderr and not (tmp_path / "none.pdf").exists()
    assert frontline("replay", str(GOLDEN), "--choices", "2,1,2", "--record").returncode == 0
    done = frontline("export", "--format", "pdf", "-o", str(tmp_path / "d.pdf"))
    assert done.returncode == 0, done.stderr
    data = (tmp_path / "d.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-64:]
