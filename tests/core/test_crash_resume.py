"""A real process killed with SIGKILL at random moments loses no acknowledged step, and every attempt resumes.

The child plays the golden scenario over and over through a Session with a real store, printing an
acknowledgement after each step returns (that is, after it was saved). The parent kills it at a random
moment, then checks the file is sound, that every acknowledged step is in it, and that each unfinished
attempt resumes where it stood.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from simulator.core import AttemptStore, Session, load_playable

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"
ROUNDS = int(os.environ.get("FRONTLINE_KILL_ROUNDS", "25"))

CHILD = """
import random, sys
from simulator.core import AttemptStore, Session, load_playable
playable = load_playable(sys.argv[1])
store = AttemptStore(sys.argv[2])
rng = random.Random(int(sys.argv[3]))
print("ready", flush=True)
while True:
    session = Session.start(playable, store=store, seed=rng.randrange(1 << 30), mode="practice", timed=True)
    while not session.finished:
        session.choose(rng.randrange(len(session.offers)) + 1, rng.random() * 20)
        print("ack", session.state.attempt_id, len(session.state.steps), int(session.finished), flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_sigkill_at_random_moments_loses_no_acknowledged_step(tmp_path: Path) -> None:
    rng = random.Random(20261201)
    db = tmp_path / "attempts.db"
    acked: dict[str, tuple[int, bool]] = {}
    for round_no in range(ROUNDS):
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(GOLDEN), str(db), str(round_no)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
        deadline = time.monotonic() + rng.uniform(0.0, 0.25)
        lines: list[str] = []
        while time.monotonic() < deadline:
            lines.append(child.stdout.readline())
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL
        for line in lines:  # a line cut short by the kill was never fully acknowledged
            parts = line.split()
            if len(parts) == 4 and parts[0] == "ack":
                acked[parts[1]] = (int(parts[2]), parts[3] == "1")
    assert acked, "the child never got to answer: the test checked nothing"

    store = AttemptStore(db)
    assert store.integrity_check() == "ok"
    records = {r.id: r for r in store.attempts()}
    for attempt_id, (steps, finished) in acked.items():
        record = records[attempt_id]
        assert record.steps >= steps, (attempt_id, record.steps, steps)
        assert record.finished or not finished
    playable = load_playable(GOLDEN)
    for record in store.unfinished():
        session = Session.resume(playable, record, store)
        assert len(session.state.steps) == record.steps and not session.finished
    store.close()
