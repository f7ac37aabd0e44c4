"""An attempt as xAPI 1.0.3 statements, for a learning record store (LRS) or a JSON file.

One attempt gives, in order:

- ``attempted`` the scenario, when it began;
- ``answered``, one per step: the node as a ``cmi.interaction`` of type ``choice``, the chosen
  reply's stable id as the response (``timeout`` when time ran out), its text, trait deltas and
  response time;
- ``completed``, then ``passed`` or ``failed``, once it reached an ending: score (scaled, raw, min,
  max), success, duration, and each trait's score in the result's extensions.

Every statement carries the attempt's id as its ``context.registration``, and its own id is a UUID
derived from the attempt and the statement's place in it, so sending twice never stores twice.
"""

from __future__ import annotations

import uuid
from typing import Any

from .storage import AttemptRecord

XAPI_VERSION = "1.0.3"
VERBS = {
    name: {"id": f"http://adlnet.gov/expapi/verbs/{name}", "display": {"en-US": name}}
    for name in ("attempted", "answered", "completed", "passed", "failed")
}
INTERACTION = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"
EXT = "urn:frontline:xapi:"
DEFAULT_HOME_PAGE = "urn:frontline:trainees"
# Derived ids live in their own namespace, so they never collide with another tool's statements.
_NAMESPACE = uuid.UUID("5b0c8a52-3d8e-4c1e-9c4f-6b1f2f0e7a11")


def activity_id(scenario_id: str, node_id: str | None = None) -> str:
    return f"urn:frontline:scenario:{scenario_id}" + (f":node:{node_id}" if node_id else "")


def statement_id(attempt_id: str, part: str) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{attempt_id}/{part}"))


def duration(seconds: float) -> str:
    """ISO 8601 duration, as xAPI wants it: PT12.5S."""
    return f"PT{max(0.0, round(seconds, 2)):g}S"


def actor(trainee: str, home_page: str = DEFAULT_HOME_PAGE) -> dict[str, Any]:
    name = trainee or "anonymous"
    return {"objectType": "Agent", "name": name, "account": {"homePage": home_page, "name": name}}


def attempt_statements(
    record: AttemptRecord, state: dict[str, Any] | None, home_page: str = DEFAULT_HOME_PAGE
) -> list[dict[str, Any]]:
    """The statements for one attempt (see the module docstring); ``state`` is its saved play state."""
    debrief = record.debrief or {}
    who = actor(record.trainee, home_page)
    registration = str(uuid.UUID(hex=record.id)) if _is_hex_uuid(record.id) else statement_id(record.id, "reg")
    title = debrief.get("title") or record.scenario_id
    scenario = {
        "objectType": "Activity",
        "id": activity_id(record.scenario_id),
        "definition": {"name": {"en-US": title}, "type": SIMULATION},
    }
    context = {
        "registration": registration,
        "extensions": {f"{EXT}mode": record.mode, f"{EXT}timed": record.timed},
    }

    def statement(part: str, verb: str, obj: dict[str, Any], timestamp: str, **extra: Any) -> dict[str, Any]:
        return {
            "id": statement_id(record.id, part),
            "actor": who,
            "verb": VERBS[verb],
            "object": obj,
            "context": context,
            "timestamp": timestamp,
            **extra,
        }

    statements = [statement("attempted", "attempted", scenario, record.started_at)]
    reviews = debrief.get("steps") or []
    saved_steps = (state or {}).get("steps") or []
    for number, step in enumerate(saved_steps, start=1):
        review = reviews[number - 1] if number - 1 < len(reviews) else {}
        reply_id = step.get("reply_id") or ("timeout" if step.get("timed_out") else f"reply-{step.get('reply_index')}")
        text = review.get("chosen_text", "")
        node = {
            "objectType": "Activity",
            "id": activity_id(record.scenario_id, str(step.get("node_id"))),
            "definition": {
                "type": INTERACTION,
                "interactionType": "choice",
                "description": {"en-US": review.get("customer", "") or str(step.get("node_id"))},
                "choices": [{"id": reply_id, "description": {"en-US": text or reply_id}}],
            },
        }
        answer = {
            "response": reply_id,
            "duration": duration(float(step.get("response_time", 0.0))),
            "extensions": {f"{EXT}reply-text": text, f"{EXT}trait-deltas": step.get("deltas", {})},
        }
        statements.append(statement(f"answered/{number}", "answered", node, record.updated_at, result=answer))
    if record.finished:
        seconds = sum(float(s.get("response_time", 0.0)) for s in saved_steps)
        overall = record.overall
        result: dict[str, Any] = {
            "completion": True,
            "success": bool(record.passed),
            "duration": duration(seconds),
            "extensions": {
                f"{EXT}traits": debrief.get("traits", {}),
                f"{EXT}outcome": record.outcome,
            },
        }
        if overall is not None:
            result["score"] = {"scaled": overall / 100, "raw": overall, "min": 0, "max": 100}
        statements.append(statement("completed", "completed", scenario, record.updated_at, result=result))
        verdict = "passed" if record.passed else "failed"
        statements.append(statement(verdict, verdict, scenario, record.updated_at, result=result))
    return statements


def _is_hex_uuid(text: str) -> bool:
    try:
        return len(text) == 32 and uuid.UUID(hex=text).hex == text
    except ValueError:
        return False
