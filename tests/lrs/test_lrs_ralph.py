"""Sending attempts to a real learning record store: ralph, on loopback, never a mock.

ralph runs from its own venv (make test builds .venv-lrs and sets FRONTLINE_RALPH). The test
records attempts while the LRS is down, then starts it: every statement arrives exactly once, a
resend after a lost answer stores nothing twice, and reading the statements back gives the scores
the debriefs gave.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.core import AttemptStore, load_playable, replay
from simulator.core.lrs import LrsSettings, sync

GOLDEN = Path(__file__).parents[1] / "core" / "golden" / "late-parcel.yaml"
REPO = Path(__file__).parents[2]
USER, PASSWORD = "trainer", "s3cret-for-tests"


def _ralph() -> Path:
    # Absolute: ralph runs with its own working folder, where a relative path would not resolve.
    found = Path(os.environ.get("FRONTLINE_RALPH", REPO / ".venv-lrs" / "bin" / "ralph")).absolute()
    assert found.exists(), (
        f"ralph is not installed at {found}: run make test (it builds .venv-lrs from requirements-lrs.lock)"
    )
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Ralph:
    def __init__(self, folder: Path, port: int) -> None:
        self.folder, self.port = folder, port
        self.env = {
            **os.environ,
            "RALPH_APP_DIR": str(folder / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
        }
        self.process: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [str(_ralph()), "auth", "--write-to-disk", "-u", USER, "-p", PASSWORD, "-s", "statements/write",
             "-s", "statements/read", "-M", f"mailto:{USER}@example.com"],
            env=self.env, cwd=folder, check=True, capture_output=True, timeout=120,
        )  # fmt: skip

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}/xAPI"

    def start(self) -> None:
        (self.folder / "fs").mkdir(exist_ok=True)
        self.process = subprocess.Popen(
            [str(_ralph()), "runserver", "-b", "fs", "-h", "127.0.0.1", "-p", str(self.port),
             "--fs-default-directory-path", str(self.folder / "fs")],
            env=self.env, cwd=self.folder / "fs", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.statements()
                return
            except OSError:
                assert self.process.poll() is None, "ralph stopped while starting"
                time.sleep(0.2)
        raise AssertionError("ralph did not answer within 60 s")

    def statements(self) -> list[dict[str, object]]:
        request = urllib.request.Request(f"{self.endpoint}/statements?limit=1000")
        request.add_header("X-Experience-API-Version", "1.0.3")
        request.add_header("Authorization", "Basic " + b64encode(f"{USER}:{PASSWORD}".encode()).decode())
        with urllib.request.urlopen(request, timeout=5) as response:
            found: list[dict[str, object]] = json.load(response)["statements"]
            return found

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)


@pytest.fixture
def ralph(tmp_path: Path) -> Iterator[Ralph]:
    server = Ralph(tmp_path, _free_port())
    yield server
    server.stop()


def _record(store: AttemptStore, choices: list[int | str], trainee: str) -> str:
    playable = load_playable(GOLDEN)
    assert playable.scenario is not None and playable.rubric is not None
    session, _ = replay(playable.scenario, playable.rubric, playable.analysis, choices, store=store, trainee=trainee)
    return session.state.attempt_id


def test_an_lrs_that_is_down_then_up_gets_every_statement_once(ralph: Ralph, tmp_path: Path) -> None:
    store = AttemptStore(tmp_path / "attempts.db")
    best = _record(store, [1, 1, 1], "Ana Silva")  # resolved, 100, passed: 1 + 3 + 2 statements
    lost = _record(store, [3, 2], "Ben Ode")  # customer lost: 1 + 2 + 2
    _record(store, [2], "Ben Ode")  # unfinished: nothing is sent for it yet
    settings = LrsSettings(ralph.endpoint, USER, PASSWORD)

    down = sync(store, settings, timeout=2)
    assert (down.queued, down.sent, down.waiting) == (11, 0, 11)
    assert "cannot reach the learning record store" in down.problem

    ralph.start()
    up = sync(store, settings)
    assert (up.sent, up.waiting, up.problem) == (11, 0, "")
    statements = ralph.statements()
    assert len(statements) == len({s["id"] for s in statements}) == 11

    # The answer to a send was lost: the statements are sent again, and the LRS keeps one of each.
    store._db.execute("UPDATE outbox SET sent_at = NULL")
    again = sync(store, settings)
    assert (again.sent, again.waiting) == (11, 0)
    assert len(ralph.statements()) == 11
    assert sync(store, settings).sent == 0  # nothing left to send

    by_verb: dict[tuple[str, str], dict[str, object]] = {}
    for s in ralph.statements():
        verb = str(s["verb"]["id"]).rsplit("/", 1)[1]  # type: ignore[index]
        by_verb[(str(s["context"]["registration"]).replace("-", ""), verb)] = s  # type: ignore[index]
    for record in store.attempts(finished=True):
        completed = by_verb[(record.id, "completed")]
        result = completed["result"]
        assert result["score"]["raw"] == record.overall  # type: ignore[index]
        assert result["success"] is record.passed  # type: ignore[index]
        assert result["extensions"]["urn:frontline:xapi:traits"] == record.debrief["traits"]  # type: ignore[index]
        assert (record.id, "passed" if record.passed else "failed") in by_verb
    assert by_verb[(best, "passed")]["actor"]["name"] == "Ana Silva"  # type: ignore[index]
    assert (lost, "failed") in by_verb
    answers = [s for s in ralph.statements() if str(s["verb"]["id"]).endswith("/answered")]
    assert len(answers) == 5
    assert all(s["object"]["definition"]["interactionType"] == "choice" for s in answers)  # type: ignore[index]
    assert all(str(s["result"]["response"]).startswith("t-") for s in answers)  # type: ignore[index]
    store.close()


def test_frontline_sync_from_the_command_line(
    ralph: Ralph, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("FRONTLINE_HOME", str(tmp_path / "home"))
    assert main(["replay", str(GOLDEN), "--choices", "1,1,1", "--record", "--trainee", "Ana"]) == 0
    assert main(["sync"]) == 1
    assert "no learning record store is set up" in capsys.readouterr().err
    monkeypatch.setenv("FRONTLINE_LRS_ENDPOINT", ralph.endpoint)
    monkeypatch.setenv("FRONTLINE_LRS_USERNAME", USER)
    monkeypatch.setenv("FRONTLINE_LRS_PASSWORD", "wrong")
    ralph.start()
    assert main(["sync"]) == 1
    assert "refused the user name or password" in capsys.readouterr().err
    monkeypatch.setenv("FRONTLINE_LRS_PASSWORD", PASSWORD)
    assert main(["sync"]) == 0
    assert "6 statement(s) sent, 0 waiting" in capsys.readouterr().out
    assert len(ralph.statements()) == 6
