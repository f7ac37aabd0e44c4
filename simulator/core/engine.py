"""The pull-based play engine: ask for the node and its replies, choose, read the result.

All play state lives in one ``PlayState`` that round-trips through JSON, so an attempt can
be saved after every choice and resumed later with ``Story(scenario, state=...)``.
"""

from __future__ import annotations

import json
import math
import random
import secrets
import uuid
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .conditions import evaluate
from .errors import StoryError
from .models import MOOD_MAX, MOOD_MIN, Node, Reply, Scenario

Mode = Literal["practice", "assessment"]
MAX_ROUTE_HOPS = 100
DEFAULT_RESPONSE_SECONDS = 30
WORDS_PER_SECOND = 4.0  # about 240 words a minute: a comfortable silent reading pace
STATE_VERSION = 2  # 2 added the reply-order seed and reply ids; version 1 states still load


def reading_seconds(text: str) -> float:
    """Time allowed to read a node before the answer clock starts counting against the trainee."""
    return max(2.0, len(text.split()) / WORDS_PER_SECOND)


def node_text(node: Node) -> str:
    return " ".join(t for t in (node.narration, node.customer) if t)


def allowed_seconds(node: Node) -> float:
    limit = node.timeout.seconds if node.timeout is not None else DEFAULT_RESPONSE_SECONDS
    return reading_seconds(node_text(node)) + limit


def clamp_mood(mood: int) -> int:
    return max(MOOD_MIN, min(MOOD_MAX, mood))


@dataclass
class Step:
    """One answered node: which reply (or the timeout), its effects, and how long it took."""

    node_id: str
    reply_index: int | None  # index into node.replies; None when time ran out
    number: int | None  # the 1-based number the trainee saw
    offered: list[int]  # indexes of the replies that were on offer, in the order they were shown
    response_time: float
    allowed_time: float
    timed_out: bool
    deltas: dict[str, int]
    mood_before: int
    mood_after: int
    reply_id: str | None = None  # the chosen reply's stable id (Reply.reply_id); None when time ran out


@dataclass
class PlayState:
    """Everything about one attempt in progress; JSON-serialisable."""

    scenario_id: str
    node_id: str
    mood: int
    mode: Mode = "practice"
    timed: bool = True
    flags: list[str] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    visits: dict[str, int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)
    started_at: str = ""
    start_node: str = ""
    rewinds: int = 0
    attempt_id: str = ""
    # Replies are shown in an order drawn from this seed, so a resumed attempt shows the same order;
    # None keeps the file's order (replay, stats and the golden tests).
    seed: int | None = None
    version: int = STATE_VERSION

    def to_dict(self, steps: list[dict[str, Any]] | None = None) -> dict[str, Any]:
        """The state as plain data; ``steps`` gives the steps' forms when the caller already made them (a
        Session keeps them, so a save does not copy every step of the attempt again)."""
        if steps is None:
            return asdict(self)
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "steps"}
        data["steps"] = steps
        return data

    def to_json(self, steps: list[dict[str, Any]] | None = None) -> str:
        # allow_nan=False: an infinite response time must never reach the file as 'Infinity'.
        try:
            return json.dumps(self.to_dict(steps), ensure_ascii=False, allow_nan=False)
        except ValueError as exc:
            raise StoryError(f"this attempt holds a value JSON cannot store: {exc}") from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PlayState:
        try:
            checked = _SavedState.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise StoryError(f"saved attempt is not readable: {where}: {first['msg']}") from None
        values = checked.model_dump()
        steps = [Step(**step) for step in values.pop("steps")]
        state = cls(**values, steps=steps)
        if state.version == 1:
            state.version = STATE_VERSION  # version 1 had no seed (file order) and no reply ids: both optional
        if state.version != STATE_VERSION:
            raise StoryError(f"saved attempt has version {state.version}; this Frontline reads {STATE_VERSION}")
        return state

    @classmethod
    def from_json(cls, text: str) -> PlayState:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise StoryError(f"saved attempt is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise StoryError("saved attempt is not a JSON object")
        return cls.from_dict(data)

    # The condition evaluator reads these.
    @property
    def flag_set(self) -> frozenset[str]:
        return frozenset(self.flags)

    def trait_total(self, trait: str) -> int:
        return self.totals.get(trait, 0)

    def grand_total(self) -> int:
        return sum(self.totals.values())

    def visit_count(self, node_id: str) -> int:
        return self.visits.get(node_id, 0)


_Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
_Mood = Annotated[int, Field(ge=MOOD_MIN, le=MOOD_MAX)]
_Count = Annotated[int, Field(ge=0)]


class _SavedStep(BaseModel):
    """What a saved step must look like; loading checks it, so a damaged file is an error, not a crash."""

    model_config = ConfigDict(extra="forbid", strict=True)
    node_id: str
    reply_index: _Count | None
    number: Annotated[int, Field(ge=1)] | None
    offered: list[_Count]
    response_time: _Seconds
    allowed_time: _Seconds
    timed_out: bool
    deltas: dict[str, int]
    mood_before: _Mood
    mood_after: _Mood
    reply_id: str | None = None

    @field_validator("response_time", "allowed_time", mode="before")
    @classmethod
    def _whole_seconds_are_fine(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _SavedState(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    scenario_id: str
    node_id: str
    mood: _Mood
    mode: Mode = "practice"
    timed: bool = True
    flags: list[str] = []
    totals: dict[str, int] = {}
    visits: dict[str, _Count] = {}
    steps: list[_SavedStep] = []
    started_at: str = ""
    start_node: str = ""
    rewinds: _Count = 0
    attempt_id: str = ""
    seed: int | None = None
    version: int = STATE_VERSION


class _Ctx:
    """Adapter so conditions see flags as a set without copying on every check."""

    __slots__ = ("state", "flags", "mood")

    def __init__(self, state: PlayState) -> None:
        self.state = state
        self.flags = state.flag_set
        self.mood = state.mood

    def trait_total(self, trait: str) -> int:
        return self.state.trait_total(trait)

    def grand_total(self) -> int:
        return self.state.grand_total()

    def visit_count(self, node_id: str) -> int:
        return self.state.visit_count(node_id)


@dataclass(frozen=True)
class Option:
    """A reply as offered to the trainee."""

    number: int
    index: int
    reply: Reply

    @property
    def text(self) -> str:
        return self.reply.text


@dataclass(frozen=True)
class StepResult:
    step: Step
    reply: Reply | None
    why: str
    feedback: str | None
    finished: bool


def new_seed() -> int:
    """A fresh seed for the order replies are shown in."""
    return secrets.randbits(32)


class Story:
    """One play-through of a scenario."""

    def __init__(
        self,
        scenario: Scenario,
        *,
        mode: Mode = "practice",
        timed: bool = True,
        state: PlayState | None = None,
        start_at: str | None = None,
        mood: int | None = None,
        seed: int | None = None,
        flags: Iterable[str] = (),
    ) -> None:
        """A new play-through, or ``state`` resumed; ``start_at``, ``mood`` and ``flags`` set where a new one
        begins (an author's "play from here"), defaulting to the scenario's start, the persona's mood and none."""
        self.scenario = scenario
        self._previous: PlayState | None = None
        if state is not None:
            if state.scenario_id != scenario.id:
                raise StoryError(f"saved attempt is for scenario '{state.scenario_id}', not '{scenario.id}'")
            if not scenario.has_node(state.node_id):
                raise StoryError(f"saved attempt stands at node '{state.node_id}', which the scenario no longer has")
            self.state = state
            return
        start = start_at or scenario.start_id
        if not scenario.has_node(start):
            raise StoryError(f"scenario '{scenario.id}' has no node '{start}'")
        self.state = PlayState(
            scenario_id=scenario.id,
            node_id=start,
            mood=clamp_mood(scenario.persona.mood if mood is None else mood),
            mode=mode,
            timed=timed,
            started_at=datetime.now(UTC).isoformat(timespec="seconds"),
            start_node=start,
            attempt_id=uuid.uuid4().hex,
            seed=seed,
            flags=sorted(set(flags)),
        )
        self._enter(start)

    # ---- reading ---------------------------------------------------------------------------
    @property
    def current_node(self) -> Node:
        return self.scenario.node(self.state.node_id)

    @property
    def finished(self) -> bool:
        return self.current_node.is_ending

    @property
    def outcome(self) -> str | None:
        ending = self.current_node.ending
        return ending.outcome if ending is not None else None

    @property
    def options(self) -> list[Option]:
        node = self.current_node
        if node.replies is None:
            return []
        ctx = _Ctx(self.state)
        offered = [i for i, r in enumerate(node.replies) if r.expr is None or evaluate(r.expr, ctx)]
        if node.shuffle and self.state.seed is not None:
            # Seeded by attempt, node and visit: the same attempt always shows the same order, and a
            # node met twice may show a new one.
            visit = self.state.visits.get(node.id, 0)
            random.Random(f"{self.state.seed}:{node.id}:{visit}").shuffle(offered)
        return [Option(n, i, node.replies[i]) for n, i in enumerate(offered, start=1)]

    @property
    def time_limited(self) -> bool:
        return self.state.timed and self.current_node.timeout is not None

    @property
    def allowed_seconds(self) -> float:
        return allowed_seconds(self.current_node)

    @property
    def can_rewind(self) -> bool:
        return self.state.mode == "practice" and self._previous is not None

    # ---- acting ----------------------------------------------------------------------------
    def choose(self, number: int, response_time: float = 0.0) -> StepResult:
        """Pick the reply the trainee sees as ``number`` (1-based)."""
        if self.finished:
            raise StoryError("the conversation has ended")
        options = self.options
        if not 1 <= number <= len(options):
            raise StoryError(f"there is no reply {number} here; choose 1 to {len(options)}")
        option = options[number - 1]
        reply = option.reply
        return self._advance(
            reply.to,
            dict(reply.traits),
            reply.mood,
            response_time,
            option.index,
            number,
            [o.index for o in options],
            reply=reply,
            sets=reply.set,
            clears=reply.clear,
        )

    def time_out(self, response_time: float | None = None) -> StepResult:
        """Time ran out: follow the node's timeout branch."""
        timeout = self.current_node.timeout
        if self.finished or timeout is None:
            raise StoryError("this node has no time limit")
        elapsed = self.allowed_seconds if response_time is None else response_time
        return self._advance(
            timeout.to,
            dict(timeout.traits),
            timeout.mood,
            elapsed,
            None,
            None,
            [o.index for o in self.options],
            reply=None,
            why=timeout.why,
        )

    def rewind(self) -> None:
        """Practice mode only: take back the last choice, once."""
        if not self.can_rewind or self._previous is None:
            raise StoryError("nothing to take back")
        rewinds = self.state.rewinds + 1
        self.state = self._previous
        self.state.rewinds = rewinds
        self._previous = None

    # ---- internals -------------------------------------------------------------------------
    def _advance(
        self,
        target: str,
        deltas: dict[str, int],
        mood_change: int,
        response_time: float,
        reply_index: int | None,
        number: int | None,
        offered: list[int],
        *,
        reply: Reply | None,
        sets: list[str] = (),  # type: ignore[assignment]
        clears: list[str] = (),  # type: ignore[assignment]
        why: str | None = None,
    ) -> StepResult:
        node = self.current_node
        if not math.isfinite(response_time) or response_time < 0:
            raise StoryError(f"a response time must be a number of seconds, 0 or more, not {response_time}")
        # Only practice mode can take a choice back; an assessment never reads the copy, which grows each step.
        self._previous = _copy_for_rewind(self.state) if self.state.mode == "practice" else None
        state = self.state
        mood_before = state.mood
        state.mood = clamp_mood(state.mood + mood_change)
        for trait, delta in deltas.items():
            state.totals[trait] = state.totals.get(trait, 0) + delta
        flags = set(state.flags)
        flags.update(sets)
        flags.difference_update(clears)
        state.flags = sorted(flags)
        step = Step(
            node_id=node.id,
            reply_index=reply_index,
            number=number,
            offered=offered,
            response_time=round(max(0.0, float(response_time)), 2),
            allowed_time=round(allowed_seconds(node), 2),
            timed_out=reply is None,
            deltas=deltas,
            mood_before=mood_before,
            mood_after=state.mood,
            reply_id=reply.reply_id if reply is not None else None,
        )
        state.steps.append(step)
        self._enter(target)
        return StepResult(
            step=step,
            reply=reply,
            why=why if why is not None else (reply.why if reply else ""),
            feedback=reply.feedback if reply else None,
            finished=self.finished,
        )

    def _enter(self, node_id: str) -> None:
        """Move to a node, following routing nodes until one the trainee can see."""
        for _ in range(MAX_ROUTE_HOPS):
            if not self.scenario.has_node(node_id):
                raise StoryError(f"node '{node_id}' does not exist")
            self.state.node_id = node_id
            self.state.visits[node_id] = self.state.visits.get(node_id, 0) + 1
            node = self.scenario.node(node_id)
            if node.routes is None:
                if node.replies is not None and not self.options:
                    raise StoryError(f"node '{node_id}' offers no reply in this situation")
                return
            ctx = _Ctx(self.state)
            chosen = next((r for r in node.routes if r.expr is None or evaluate(r.expr, ctx)), None)
            if chosen is None:
                raise StoryError(f"no route of node '{node_id}' applies")
            node_id = chosen.to
        raise StoryError(f"routing went round more than {MAX_ROUTE_HOPS} times without a reply")


def _copy_for_rewind(state: PlayState) -> PlayState:
    """A copy a rewind can go back to: new containers, the same Step objects (a step is never changed
    once taken), so the copy costs the same at step 300 as at step 3, unlike a deep copy."""
    return replace(
        state, flags=list(state.flags), totals=dict(state.totals), visits=dict(state.visits), steps=list(state.steps)
    )
