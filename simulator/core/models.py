"""The scenario and rubric formats as pydantic models: the one source of validation and JSON Schema."""

from __future__ import annotations

import hashlib
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .conditions import ConditionError, Expr, parse_condition

FORMAT_VERSION = 1
MOOD_MIN, MOOD_MAX = -5, 5
DELTA_MIN, DELTA_MAX = -3, 3

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        max_length=80,
        description="A name made of letters, digits, '_' and '-', starting with a letter.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Delta = Annotated[int, Field(ge=DELTA_MIN, le=DELTA_MAX)]
MoodChange = Annotated[int, Field(ge=-10, le=10)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, strict=True)


def _parse_condition_field(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parse_condition(value)
    except ConditionError as exc:
        raise PydanticCustomError(
            "condition_syntax",
            "{message} at column {column} of the condition",
            {"message": str(exc), "column": exc.column},
        ) from None
    return value


class _Conditional(_Strict):
    condition: str | None = Field(
        default=None,
        alias="if",
        description="Only offer this when the condition holds, e.g. `mood >= 0 and not promised_refund` "
        "or `score.empathy > 2`. Bare names are flags.",
    )
    _expr: Expr | None = PrivateAttr(default=None)

    @field_validator("condition")
    @classmethod
    def _check_condition(cls, value: str | None) -> str | None:
        return _parse_condition_field(value)

    def model_post_init(self, __context: Any) -> None:
        if self.condition is not None:
            self._expr = parse_condition(self.condition)

    @property
    def expr(self) -> Expr | None:
        return self._expr


class Persona(_Strict):
    """The customer the trainee talks to."""

    name: Text = Field(description="The customer's name, as the trainee should use it.")
    kind: Literal["angry", "confused", "rude"] = Field(description="What makes this customer hard to serve.")
    avatar: str = Field(
        default="default",
        min_length=1,
        max_length=200,
        description="Avatar set: a folder under assets/avatars/ holding furious, annoyed, neutral, confused and "
        "satisfied SVGs.",
    )
    mood: int = Field(default=-2, ge=MOOD_MIN, le=MOOD_MAX, description="Starting mood, -5 (furious) to 5 (delighted).")
    description: Text | None = Field(default=None, description="A line or two on who this person is.")


class Reply(_Conditional):
    """A reply the trainee can choose."""

    text: Text = Field(description="What the trainee says, exactly as shown on the button.")
    to: Identifier = Field(description="The node this reply leads to.")
    traits: dict[Identifier, Delta] = Field(
        default_factory=dict,
        description="Trait deltas, -3 to 3, keyed by rubric trait id, e.g. `{empathy: 2, ownership: -1}`.",
    )
    why: Text = Field(description="Why this reply helps or hurts, tied to the rubric, in words a trainee learns from.")
    feedback: Text | None = Field(default=None, description="Extra coaching shown after the choice in practice mode.")
    mood: MoodChange = Field(default=0, description="How the customer's mood changes, e.g. -2 or 1.")
    set: list[Identifier] = Field(default_factory=list, description="Flags this reply sets, e.g. what was promised.")
    clear: list[Identifier] = Field(default_factory=list, description="Flags this reply clears.")
    id: Identifier | None = Field(
        default=None,
        description="A stable name for this reply in attempt records. Optional: by default a reply is known by "
        "its text, so moving replies around in the file never changes which reply a record names.",
    )

    @property
    def reply_id(self) -> str:
        """The name attempt records and debriefs use for this reply: its `id`, else a digest of its text."""
        if self.id is not None:
            return self.id
        return "t-" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]


class Route(_Conditional):
    """One branch of a routing node; the first whose condition holds is taken."""

    to: Identifier = Field(description="The node to go to.")


class Timeout(_Strict):
    """What happens when the trainee does not answer in time."""

    seconds: int = Field(ge=3, le=600, description="Seconds allowed to answer, on top of reading time.")
    to: Identifier = Field(description="The node to go to when time runs out.")
    mood: MoodChange = Field(default=-1, description="Mood change when time runs out.")
    traits: dict[Identifier, Delta] = Field(default_factory=dict, description="Trait deltas for letting it run out.")
    why: Text = Field(
        default="Leaving the customer waiting tells them their time does not matter.",
        description="Shown in the debrief for a timed-out step.",
    )


class Ending(_Strict):
    """How the conversation ends."""

    outcome: Identifier = Field(
        description="resolved, escalated or customer_lost, or a name of your own such as partial_refund.",
        examples=["resolved", "escalated", "customer_lost"],
    )
    summary: Text = Field(description="A closing summary the trainee reads in the debrief.")
    title: Text | None = Field(default=None, description="A short heading; defaults to the outcome in words.")
    max_score: int | None = Field(
        default=None,
        ge=0,
        le=100,
        description="Caps the overall score (0 to 100) of an attempt that ends here, e.g. 59 with a pass mark of 60 "
        "so that this ending cannot pass however well the trainee replied.",
    )
    can_pass: bool | None = Field(
        default=None,
        description="Whether an attempt that ends here can pass at all. Default: false for customer_lost, true for "
        "every other outcome.",
    )


class Node(_Strict):
    """One beat of the conversation: the customer speaks, then replies, routes or an ending follow."""

    id: Identifier = Field(description="Unique id of the node within the scenario.")
    customer: Text | None = Field(default=None, description="What the customer says.")
    narration: Text | None = Field(default=None, description="Stage directions shown in italics.")
    replies: list[Reply] | None = Field(default=None, min_length=1, max_length=9, description="1 to 9 replies.")
    routes: list[Route] | None = Field(
        default=None, min_length=1, description="Automatic branches, tried in order; the last should have no `if`."
    )
    ending: Ending | None = Field(default=None, description="Makes this node an ending.")
    timeout: Timeout | None = Field(default=None, description="A time limit for answering, and where it leads.")
    shuffle: bool = Field(
        default=True,
        description="Show the replies in a new order each attempt (the default), so position never gives the "
        "answer away. `false` keeps the file's order, for a node where order carries meaning.",
    )

    @model_validator(mode="after")
    def _one_kind(self) -> Node:
        kinds = [k for k in ("replies", "routes", "ending") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            raise PydanticCustomError(
                "node_shape", "a node needs exactly one of replies, routes or ending (found: {found})", {"found": found}
            )
        if self.timeout is not None and self.replies is None:
            raise PydanticCustomError("node_shape", "only a node with replies can have a timeout", {})
        return self

    @property
    def is_ending(self) -> bool:
        return self.ending is not None


class Scenario(_Strict):
    """A Frontline scenario, format 1."""

    format: Literal[1] = Field(description="Format version; always 1.")
    id: Identifier = Field(description="Unique id of the scenario, used in records.")
    title: Text = Field(description="Title shown in the library.")
    summary: Text = Field(description="One or two sentences for the library.")
    persona: Persona
    setting: Text = Field(description="Where this happens, e.g. 'Phone support at a broadband provider'.")
    difficulty: Literal["easy", "medium", "hard"] = Field(description="How hard the customer is to serve.")
    minutes: int = Field(ge=1, le=120, description="Estimated minutes to play.")
    focus: list[Identifier] = Field(min_length=1, description="Rubric trait ids this scenario is mainly about.")
    briefing: Text = Field(description="What the trainee reads before starting.")
    pass_mark: int = Field(ge=0, le=100, description="Overall score (0 to 100) needed to pass.")
    start: Identifier | None = Field(default=None, description="The first node; defaults to the first in the list.")
    nodes: list[Node] = Field(min_length=1, max_length=10_000, description="The conversation's nodes (at most 10,000).")

    _by_id: dict[str, Node] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        for node in self.nodes:
            self._by_id.setdefault(node.id, node)

    @property
    def start_id(self) -> str:
        return self.start or self.nodes[0].id

    def node(self, node_id: str) -> Node:
        return self._by_id[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._by_id

    def fingerprint(self) -> str:
        """A digest of everything the file says, kept with each attempt: when a saved attempt's
        fingerprint no longer matches, the scenario changed under it and cannot be resumed safely."""
        return "sha256:" + hashlib.sha256(self.model_dump_json().encode("utf-8")).hexdigest()


class Source(_Strict):
    """Where a trait comes from."""

    document: str = Field(description="File name of a document in the seeds folder.")
    quote: Text = Field(description="A short exact quote from that document.")


class Trait(_Strict):
    id: Identifier
    name: Text
    description: Text
    good: Text = Field(description="What good looks like.")
    poor: Text = Field(description="What poor looks like.")
    sources: list[Source] = Field(min_length=1)


class Rubric(_Strict):
    """The trait rubric scenarios are scored against."""

    rubric: Literal[1] = Field(description="Rubric format version; always 1.")
    documents: dict[str, Text] = Field(description="Source documents: file name to title.")
    traits: list[Trait] = Field(min_length=1)

    _by_id: dict[str, Trait] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        self._by_id = {t.id: t for t in self.traits}

    def trait(self, trait_id: str) -> Trait:
        return self._by_id[trait_id]

    def has_trait(self, trait_id: str) -> bool:
        return trait_id in self._by_id

    @property
    def trait_ids(self) -> list[str]:
        return [t.id for t in self.traits]


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "frontline-scenario-1.schema.json",
        **schema,
    }
