"""Attempts kept on the trainee's machine: an SQLite file in the user data directory.

Progress is saved after every choice, so a crash or a closed window loses nothing; a finished
attempt keeps its debrief for the progress view and exports.

The file is opened in WAL mode with ``synchronous=FULL`` (a saved step survives a power cut) and
foreign keys on. Its layout is versioned with ``PRAGMA user_version``: an older file is migrated
forward in one transaction, a file from a newer Frontline is refused and left untouched, and a
damaged file is kept as a backup copy beside it before a new one is started, with a notice that
says so (never a silent reset).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StorageBusyError, StorageError, StoryError
from .paths import AppPaths

if TYPE_CHECKING:  # the play engine and its models load when a state is read back, not to open the store
    from .engine import PlayState
    from .scoring import Debrief

SCHEMA_VERSION = 3
# How long a save waits for another process that holds the file: short, because the GUI saves on
# its own thread, and a step that cannot be saved now is saved with the next one.
BUSY_TIMEOUT_MS = 200


def _script(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it commits first, and a migration must stay one transaction.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _create_v1(db: sqlite3.Connection) -> None:
    _script(
        db,
        """
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
        """,
    )


def _v1_to_v2(db: sqlite3.Connection) -> None:
    # Profiles for a shared training-room PC; each attempt names its trainee, the scenario file it
    # was played against (fingerprint) and keeps its transcript, so an attempt whose scenario has
    # since changed can still be read back.
    _script(
        db,
        """
        CREATE TABLE profiles (
            name TEXT PRIMARY KEY,
            created_at TEXT NOT NULL
        );
        INSERT INTO profiles (name, created_at) VALUES ('', '');
        ALTER TABLE attempts ADD COLUMN trainee TEXT NOT NULL DEFAULT '';
        ALTER TABLE attempts ADD COLUMN fingerprint TEXT NOT NULL DEFAULT '';
        ALTER TABLE attempts ADD COLUMN transcript TEXT NOT NULL DEFAULT '[]';
        CREATE INDEX attempts_trainee ON attempts (trainee, finished);
        """,
    )


def _v2_to_v3(db: sqlite3.Connection) -> None:
    # xAPI statements wait here until a learning record store takes them; ids are fixed, so a retry
    # after a lost answer never stores a statement twice.
    _script(
        db,
        """
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            attempt_id TEXT NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            seq INTEGER NOT NULL,
            statement TEXT NOT NULL,
            queued_at TEXT NOT NULL,
            sent_at TEXT,
            tries INTEGER NOT NULL DEFAULT 0,
            last_error TEXT
        );
        CREATE INDEX outbox_pending ON outbox (sent_at, attempt_id, seq);
        """,
    )


# MIGRATIONS[n] takes a file at version n to n + 1. Version 0 is a new, empty file.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1, 1: _v1_to_v2, 2: _v2_to_v3}


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
    trainee: str = ""
    fingerprint: str = ""
    transcript: list[dict[str, str]] | None = None
    steps: int = 0
    state: dict[str, Any] | None = None  # the saved play state as JSON data, for exports


class AttemptStore:
    """Saves and reads attempts; every failure is a StorageError that says which file and what.

    ``notice`` is set when opening had to do something the trainee should know about (a damaged
    file was set aside); front ends show it once.
    """

    def __init__(self, path: Path | str | None = None, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path) if path is not None else AppPaths.default().attempts_db
        self.notice: str | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"cannot create the folder for the attempt records at {self.path}: {exc}") from None
        try:
            self._db = self._open(busy_timeout_ms)
        except sqlite3.DatabaseError as exc:
            if not _is_damage(exc):
                raise StorageError(f"cannot open the attempt records at {self.path}: {exc}") from None
            backup = self._set_aside()
            self.notice = (
                f"The attempt records at {self.path} were damaged and could not be read ({exc}). "
                f"They were kept, unchanged, as {backup}, and a new record was started. "
                "Nothing in the backup was deleted."
            )
            try:
                self._db = self._open(busy_timeout_ms)
            except sqlite3.Error as again:
                raise StorageError(f"cannot start new attempt records at {self.path}: {again}") from None
        except OSError as exc:
            raise StorageError(f"cannot open the attempt records at {self.path}: {exc}") from None

    def _open(self, busy_timeout_ms: int) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version > SCHEMA_VERSION:
                raise StorageError(
                    f"the attempt records at {self.path} were written by a newer Frontline (records version "
                    f"{version}; this one reads up to {SCHEMA_VERSION}). They were left untouched: update "
                    "Frontline to use them, or move the file away to start a new record."
                )
            # Reading the schema fails on a file that is not SQLite, before anything is written.
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.execute("PRAGMA foreign_keys = ON")
            self._migrate(db, version)
        except BaseException:
            db.close()
            raise
        return db

    def _migrate(self, db: sqlite3.Connection, version: int) -> None:
        if version == SCHEMA_VERSION:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated the file while we waited for the lock.
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            while version < SCHEMA_VERSION:
                MIGRATIONS[version](db)
                version += 1
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _set_aside(self) -> Path:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        try:
            shutil.copy2(self.path, backup)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
        except OSError as exc:
            raise StorageError(
                f"the attempt records at {self.path} are damaged, and a backup copy could not be made: {exc}"
            ) from None
        return backup

    def close(self) -> None:
        self._db.close()

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if sql.startswith("SELECT"):
            with self._errors():
                return self._db.execute(sql, params).fetchall()
        return self._write([(sql, params)])

    def _write(self, statements: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[Any, ...]]:
        """Run the statements in one transaction: all of them land, or none (a kill between them included)."""
        rows: list[tuple[Any, ...]] = []
        with self._errors(), self._db:
            self._db.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                rows = self._db.execute(sql, params).fetchall()
        return rows

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StorageBusyError(
                    f"the attempt records at {self.path} are in use by another program; this step will be "
                    "saved with the next one"
                ) from None
            raise StorageError(f"the attempt records at {self.path} could not be used: {exc}") from None
        except sqlite3.Error as exc:
            raise StorageError(f"the attempt records at {self.path} could not be used: {exc}") from None

    # ---- profiles --------------------------------------------------------------------------
    def profiles(self) -> list[str]:
        """The trainees who have a profile on this machine, by name ("" is the unnamed default)."""
        return [name for (name,) in self._run("SELECT name FROM profiles WHERE name != '' ORDER BY name")]

    def add_profile(self, name: str) -> str:
        statement = self._profile_insert(name)
        self._write([statement])
        return str(statement[1][0])

    @staticmethod
    def _profile_insert(name: str) -> tuple[str, tuple[Any, ...]]:
        name = " ".join(name.split())
        if not name:
            raise StorageError("a profile needs a name")
        if len(name) > 80:
            raise StorageError("a profile name can be at most 80 characters")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        return "INSERT INTO profiles (name, created_at) VALUES (?, ?) ON CONFLICT(name) DO NOTHING", (name, now)

    # ---- attempts --------------------------------------------------------------------------
    def save_progress(
        self,
        state: PlayState,
        *,
        trainee: str = "",
        fingerprint: str = "",
        transcript: list[dict[str, str]] | None = None,
        state_json: str | None = None,
    ) -> str:
        """Write the attempt's state now; returns its id. An attempt saved again after being
        finished (a practice reply taken back) is unfinished again until it reaches an ending.
        ``state_json`` is ``state.to_json()`` when the caller already has it (a Session keeps it
        step by step rather than copying the whole attempt again)."""
        self._write(self._progress(state, trainee, fingerprint, transcript, state_json))
        return state.attempt_id

    def finish(
        self,
        state: PlayState,
        debrief: Debrief,
        *,
        trainee: str = "",
        fingerprint: str = "",
        transcript: list[dict[str, str]] | None = None,
        state_json: str | None = None,
    ) -> str:
        """Write the final state and the debrief together, so an attempt is never left at its ending unfinished."""
        finished = (
            "UPDATE attempts SET finished = 1, outcome = ?, overall = ?, passed = ?, debrief = ? WHERE id = ?",
            (
                debrief.outcome,
                debrief.overall,
                int(debrief.passed),
                json.dumps(debrief.to_dict(), ensure_ascii=False),
                state.attempt_id,
            ),
        )
        self._write([*self._progress(state, trainee, fingerprint, transcript, state_json), finished])
        return state.attempt_id

    def _progress(
        self,
        state: PlayState,
        trainee: str,
        fingerprint: str,
        transcript: list[dict[str, str]] | None,
        state_json: str | None = None,
    ) -> list[tuple[str, tuple[Any, ...]]]:
        if not state.attempt_id:
            raise StorageError("this attempt has no id, so it cannot be saved")
        now = datetime.now(UTC).isoformat(timespec="seconds")
        statements: list[tuple[str, tuple[Any, ...]]] = []
        if trainee:
            statements.append(self._profile_insert(trainee))
        statements.append(
            (
                "INSERT INTO attempts (id, scenario_id, started_at, updated_at, mode, timed, state, trainee, "
                "fingerprint, transcript) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET "
                "updated_at = excluded.updated_at, state = excluded.state, transcript = excluded.transcript, "
                "finished = 0, outcome = NULL, overall = NULL, passed = NULL, debrief = NULL",
                (
                    state.attempt_id,
                    state.scenario_id,
                    state.started_at,
                    now,
                    state.mode,
                    int(state.timed),
                    state.to_json() if state_json is None else state_json,
                    trainee,
                    fingerprint,
                    json.dumps(transcript or [], ensure_ascii=False),
                ),
            )
        )
        return statements

    def discard(self, attempt_id: str) -> None:
        """Delete an unfinished attempt (the trainee chose to start again); finished ones are kept."""
        self._run("DELETE FROM attempts WHERE id = ? AND finished = 0", (attempt_id,))

    def best_scores(self, trainee: str | None = None) -> dict[str, int]:
        sql = "SELECT scenario_id, MAX(overall) FROM attempts WHERE finished = 1 AND overall IS NOT NULL"
        params: tuple[Any, ...] = ()
        if trainee is not None:
            sql += " AND trainee = ?"
            params = (trainee,)
        rows = self._run(sql + " GROUP BY scenario_id", params)
        return {scenario_id: int(best) for scenario_id, best in rows}

    def attempts(
        self, scenario_id: str | None = None, *, trainee: str | None = None, finished: bool | None = None
    ) -> list[AttemptRecord]:
        sql = (
            "SELECT id, scenario_id, started_at, updated_at, finished, mode, timed, outcome, overall, passed, debrief, "
            "trainee, fingerprint, transcript, "
            # json_valid first: json_array_length fails the whole query on one damaged row.
            "CASE WHEN json_valid(state) THEN json_array_length(state, '$.steps') END, state FROM attempts WHERE 1"
        )
        params: list[Any] = []
        for column, value in (("scenario_id", scenario_id), ("trainee", trainee)):
            if value is not None:
                sql += f" AND {column} = ?"
                params.append(value)
        if finished is not None:
            sql += " AND finished = ?"
            params.append(int(finished))
        records = []
        for row in self._run(sql + " ORDER BY started_at, updated_at", tuple(params)):
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
                    # One damaged row must not hide the rest of the history.
                    debrief=_json_or_none(row[10]),
                    trainee=row[11],
                    fingerprint=row[12],
                    transcript=_json_or_none(row[13]),
                    steps=int(row[14] or 0),
                    state=_json_or_none(row[15]),
                )
            )
        return records

    def attempt(self, attempt_id: str) -> AttemptRecord | None:
        """One attempt by id, or by a unique prefix of its id."""
        candidates = [r for r in self.attempts() if r.id.startswith(attempt_id)]
        found = [r for r in candidates if r.id == attempt_id] or candidates
        return found[0] if len(found) == 1 else None

    def unfinished(self, scenario_id: str | None = None, *, trainee: str | None = None) -> list[AttemptRecord]:
        """Attempts not yet at an ending, newest first."""
        return list(reversed(self.attempts(scenario_id, trainee=trainee, finished=False)))

    def unfinished_state(self, attempt_id: str) -> PlayState | None:
        """The saved state of an unfinished attempt; StorageError when it cannot be read back."""
        rows = self._run("SELECT state FROM attempts WHERE id = ? AND finished = 0", (attempt_id,))
        if not rows:
            return None
        from .engine import PlayState

        try:
            return PlayState.from_json(rows[0][0])
        except StoryError as exc:
            raise StorageError(f"attempt {attempt_id[:8]} in {self.path} cannot be resumed: {exc}") from None

    # ---- the xAPI outbox ------------------------------------------------------------------
    def queue_statements(self, attempt_id: str, statements: list[dict[str, Any]]) -> int:
        """Add an attempt's statements to the outbox (ones already there are left as they are)."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        self._write(
            [
                (
                    "INSERT INTO outbox (id, attempt_id, seq, statement, queued_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(id) DO NOTHING",
                    (str(st["id"]), attempt_id, seq, json.dumps(st, ensure_ascii=False), now),
                )
                for seq, st in enumerate(statements)
            ]
        )
        return len(statements)

    def unqueued_finished(self) -> list[AttemptRecord]:
        """Finished attempts with nothing in the outbox yet."""
        queued = {a for (a,) in self._run("SELECT DISTINCT attempt_id FROM outbox")}
        return [r for r in self.attempts(finished=True) if r.id not in queued]

    def pending_statements(self) -> list[tuple[str, str]]:
        """(id, statement JSON) of every statement not yet sent, oldest attempt first, in order."""
        rows = self._run(
            "SELECT outbox.id, outbox.statement FROM outbox JOIN attempts ON attempts.id = outbox.attempt_id "
            "WHERE outbox.sent_at IS NULL ORDER BY attempts.started_at, outbox.attempt_id, outbox.seq"
        )
        return [(str(a), str(b)) for a, b in rows]

    def mark_sent(self, statement_ids: list[str]) -> None:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        sql = "UPDATE outbox SET sent_at = ?, tries = tries + 1, last_error = NULL WHERE id = ?"
        self._write([(sql, (now, i)) for i in statement_ids])

    def mark_failed(self, statement_ids: list[str], error: str) -> None:
        sql = "UPDATE outbox SET tries = tries + 1, last_error = ? WHERE id = ?"
        self._write([(sql, (error[:500], i)) for i in statement_ids])

    def outbox_counts(self) -> tuple[int, int]:
        """(sent, waiting) statements."""
        rows = self._run("SELECT COUNT(sent_at), COUNT(*) - COUNT(sent_at) FROM outbox")
        return int(rows[0][0]), int(rows[0][1])

    def integrity_check(self) -> str:
        """SQLite's own check of the file: 'ok' when sound."""
        return "; ".join(str(r[0]) for r in self._db.execute("PRAGMA integrity_check").fetchall())


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "corrupt" in text


def _json_or_none(text: str | None) -> Any:
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
