"""Attempt history out of Frontline: CSV and JSON for a spreadsheet or a script, and xAPI statements.

Every file is written atomically (:func:`write_atomic`): to a temporary file beside the target,
flushed to disk, then renamed over it, so an interrupted export never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import ExportError
from .storage import AttemptRecord

HISTORY_COLUMNS = (
    "attempt_id",
    "trainee",
    "scenario_id",
    "title",
    "started_at",
    "updated_at",
    "finished",
    "mode",
    "timed",
    "outcome",
    "overall",
    "passed",
    "steps",
)


def write_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all."""
    path = Path(path)
    try:
        handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            # mkstemp makes the file private (0600); an export is an ordinary file, as the umask says.
            if hasattr(os, "fchmod"):  # POSIX; Windows has no such modes
                umask = os.umask(0)
                os.umask(umask)
                os.fchmod(out.fileno(), 0o666 & ~umask)
            os.fsync(out.fileno())
        os.replace(temp, path)
    except OSError as exc:
        Path(temp).unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from None


def trait_ids(records: Sequence[AttemptRecord]) -> list[str]:
    """Every trait any finished attempt was scored on, in first-seen order."""
    seen: dict[str, None] = {}
    for record in records:
        for trait in (record.debrief or {}).get("traits", {}) or {}:
            seen.setdefault(str(trait), None)
    return list(seen)


def history_row(record: AttemptRecord, traits: Sequence[str] = ()) -> dict[str, Any]:
    """One attempt as a flat row: the attempt's facts, then a score column per trait ('' when not assessed)."""
    debrief = record.debrief or {}
    row: dict[str, Any] = {
        "attempt_id": record.id,
        "trainee": record.trainee,
        "scenario_id": record.scenario_id,
        "title": debrief.get("title", ""),
        "started_at": record.started_at,
        "updated_at": record.updated_at,
        "finished": record.finished,
        "mode": record.mode,
        "timed": record.timed,
        "outcome": record.outcome or "",
        "overall": "" if record.overall is None else record.overall,
        "passed": "" if record.passed is None else record.passed,
        "steps": record.steps,
    }
    scores = debrief.get("traits", {}) or {}
    for trait in traits:
        value = scores.get(trait)
        row[f"trait_{trait}"] = "" if value is None else value
    return row


def history_csv(records: Sequence[AttemptRecord]) -> str:
    """The attempts as CSV, one row each, with a column per trait; text cells that a spreadsheet
    would run as a formula are quoted with a leading apostrophe."""
    traits = trait_ids(records)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*HISTORY_COLUMNS, *(f"trait_{t}" for t in traits)], lineterminator="\n")
    writer.writeheader()
    for record in records:
        row = history_row(record, traits)
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def history_json(records: Sequence[AttemptRecord]) -> str:
    """The attempts as JSON, each with its full debrief and transcript."""
    items = []
    for record in records:
        item = history_row(record)
        item.update(
            overall=record.overall,
            passed=record.passed,
            outcome=record.outcome,
            debrief=record.debrief,
            transcript=record.transcript or [],
        )
        items.append(item)
    return json.dumps({"format": "frontline-history", "version": 1, "attempts": items}, indent=2, ensure_ascii=False)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a name like '=HYPERLINK(...)' must stay text in a spreadsheet
    return value
