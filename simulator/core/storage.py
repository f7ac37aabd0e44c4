"""Attempts kept on the trainee's machine: an SQLite file in the user data directory.

Progress is saved after every choice, so a crash or a closed window loses nothing; a finished
attempt keeps its debrief for the progress view and exports.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .engine import PlayState
from .errors import StorageError
from .paths import AppPaths
from .scoring import Debrief

SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    mode TEXT NOT NULL,
    timed INTEGER NOT NULL,
    outcome TEXT,
    overall INTEGER,
    passed INTEGER,
    state TEXT NOT NULL,
    debrief TEXT
);
CREATE INDEX IF NOT EXISTS attempts_scenario ON attempts (scenario_id, finished);
"""


@dataclass
class AttemptRecord:
    id: str
    scenario_id: str
    started_at: str
    updated_at: str
    finished: bool
    mode: str
    timed: bool
    outcome: str | None
    overall: int | None
    passed: bool | None
    debrief: dict[str, Any] | None


class AttemptStore:
    """Saves and reads attempts; every failure is a StorageError that says which file and what."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else AppPaths.default().attempts_db
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path)
            self._db.executescript(_SCHEMA)
            self._db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            self._db.commit()
        except (sqlite3.Error, OSError) as exc:
            raise StorageError(f"cannot open the attempt records at {self.path}: {exc}") from None

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            with self._db:
                return self._db.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StorageError(f"the attempt records at {self.path} could not be used: {exc}") from None

    def save_progress(self, state: PlayState) -> str:
        """Write the attempt's state now; returns its id."""
        attempt_id = state.attempt_id
        if not attempt_id:
            raise StorageError("this attempt has no id, so it cannot be saved")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._run(
            "INSERT INTO attempts (id, scenario_id, started_at, updated_at, mode, timed, state) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET updated_at = excluded.updated_at, "
            "state = excluded.state",
            (attempt_id, state.scenario_id, state.started_at, now, state.mode, int(state.timed), state.to_json()),
        )
        return attempt_id

    def finish(self, state: PlayState, debrief: Debrief) -> str:
        attempt_id = self.save_progress(state)
        self._run(
            "UPDATE attempts SET finished = 1, outcome = ?, overall = ?, passed = ?, debrief = ? WHERE id = ?",
            (
                debrief.outcome,
                debrief.overall,
                int(debrief.passed),
                json.dumps(debrief.to_dict(), ensure_ascii=False),
                attempt_id,
            ),
        )
        return attempt_id

    def best_scores(self) -> dict[str, int]:
        rows = self._run(
            "SELECT scenario_id, MAX(overall) FROM attempts WHERE finished = 1 AND overall IS NOT NULL "
            "GROUP BY scenario_id"
        )
        return {scenario_id: int(best) for scenario_id, best in rows}

    def attempts(self, scenario_id: str | None = None) -> list[AttemptRecord]:
        sql = (
            "SELECT id, scenario_id, started_at, updated_at, finished, mode, timed, outcome, overall, passed, debrief "
            "FROM attempts"
        )
        params: tuple[Any, ...] = ()
        if scenario_id is not None:
            sql += " WHERE scenario_id = ?"
            params = (scenario_id,)
        records = []
        for row in self._run(sql + " ORDER BY started_at, updated_at", params):
            try:
                debrief = json.loads(row[10]) if row[10] else None
            except json.JSONDecodeError:
                debrief = None  # one damaged row must not hide the rest of the history
            records.append(
                AttemptRecord(
                    id=row[0],
                    scenario_id=row[1],
                    started_at=row[2],
                    updated_at=row[3],
                    finished=bool(row[4]),
                    mode=row[5],
                    timed=bool(row[6]),
                    outcome=row[7],
                    overall=row[8],
                    passed=None if row[9] is None else bool(row[9]),
                    debrief=debrief,
                )
            )
        return records

    def unfinished_state(self, attempt_id: str) -> PlayState | None:
        rows = self._run("SELECT state FROM attempts WHERE id = ? AND finished = 0", (attempt_id,))
        return PlayState.from_json(rows[0][0]) if rows else None
