"""The scenario and rubric formats as pydantic models: the one source of validation and JSON Schema."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    field_validator,
    model_validator,
)
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from .conditions import ConditionError, Expr, parse_condition

FORMAT_VERSION = 1
MOOD_MIN, MOOD_MAX = -5, 5
DELTA_MIN, DELTA_MAX = -3, 3

MAX_CHECKS = 100
MAX_CHECK_STEPS = 1000

Identifier = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z][A-Za-z0-9_-]*$",
        max_length=80,
        description="A name made of letters, digits, _ and -, starting with a letter; at most 80 characters.",
    ),
]
Text = Annotated[str, Field(min_length=1, max_length=4000)]
Delta = Annotated[
    int,
    Field(ge=DELTA_MIN, le=DELTA_MAX, description="A trait delta, a whole number from -3 to 3.", examples=[1, 2, -1]),
]
MoodChange = Annotated[int, Field(ge=-10, le=10)]
Score = Annotated[int, Field(ge=0, le=100)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True, strict=True)

    @field_validator("*", mode="before")
    @classmethod
    def _not_empty(cls, value: Any) -> Any:
        # A key left empty (`customer:`) reads as null. Every optional field is optional by leaving
        # its key out, so null is refused, as the schema refuses it in the editor.
        if value is None:
            raise PydanticCustomError("empty_value", "this is empty: give it a value, or leave the key out")
        return value


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
        description="Only when this condition holds, e.g. mood >= 0 and not promised_refund, or "
        "score.empathy > 2, or visits.explain_policy >= 2. A bare name is a flag. Operators: < <= > >= == !=, "
        "and, or, not, parentheses; at most 1,000 characters.",
        examples=["mood >= 0", "not promised_refund", "score.empathy >= 2"],
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
        # Straight from pydantic's private-attribute dict: `self._expr` goes through BaseModel.__getattr__,
        # which cost more than the rest of the analysis of a large scenario put together.
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]
        expr: Expr | None = private["_expr"]
        return expr


class Persona(_Strict):
    """The customer the trainee talks to."""

    name: Text = Field(description="The customer's name, as the trainee should use it.")
    kind: Literal["angry", "confused", "rude"] = Field(
        description="What makes this customer hard to serve: angry, confused or rude."
    )
    avatar: str = Field(
        default="default",
        min_length=1,
        max_length=200,
        description="Avatar set: a folder under assets/avatars/ holding furious, annoyed, neutral, confused and "
        "satisfied SVGs. Default: default.",
    )
    mood: int = Field(
        default=-2,
        ge=MOOD_MIN,
        le=MOOD_MAX,
        description="Starting mood, -5 (furious) to 5 (delighted); default -2.",
    )
    description: Text | None = Field(default=None, description="A line or two on who this person is.")


class Reply(_Conditional):
    """A reply the trainee can choose: text, to and why are required."""

    model_config = ConfigDict(
        json_schema_extra={
            "defaultSnippets": [
                {
                    "label": "reply",
                    "description": "A reply with its target, trait deltas and why.",
                    "body": {"text": "$1", "to": "$2", "traits": {"${3:empathy}": "^${4:1}"}, "why": "$5"},
                }
            ]
        }
    )

    text: Text = Field(description="What the trainee says, exactly as shown on the button.")
    to: Identifier = Field(
        description="The id of the node this reply leads to. The editor cannot check that the node exists; "
        "frontline lint does (FL200)."
    )
    traits: dict[Identifier, Delta] = Field(
        default_factory=dict,
        description="Trait deltas, each a whole number from -3 to 3, keyed by rubric trait id, e.g. "
        "{empathy: 2, ownership: -1}.",
        json_schema_extra=lambda schema: _trait_properties(schema),
    )
    why: Text = Field(description="Why this reply helps or hurts, tied to the rubric, in words a trainee learns from.")
    feedback: Text | None = Field(default=None, description="Extra coaching shown after the choice in practice mode.")
    mood: MoodChange = Field(
        default=0, description="How the customer's mood changes, -10 to 10, e.g. -2 or 1; default 0."
    )
    set: list[Identifier] = Field(default_factory=list, description="Flags this reply sets, e.g. what was promised.")
    clear: list[Identifier] = Field(default_factory=list, description="Flags this reply clears.")
    id: Identifier | None = Field(
        default=None,
        description="A stable name for this reply in attempt records and in checks. Optional: by default a reply "
        "is known by its text, so moving replies around in the file never changes which reply a record names.",
    )

    @property
    def reply_id(self) -> str:
        """The name attempt records and debriefs use for this reply: its `id`, else a digest of its text."""
        if self.id is not None:
            return self.id
        return "t-" + hashlib.sha256(self.text.encode("utf-8")).hexdigest()[:12]


class Route(_Conditional):
    """One branch of a routing node; the first whose condition holds is taken."""

    to: Identifier = Field(
        description="The id of the node to go to. The editor cannot check that the node exists; frontline lint "
        "does (FL200)."
    )


class Timeout(_Strict):
    """What happens when the trainee does not answer in time: seconds and to are required."""

    seconds: int = Field(
        ge=3,
        le=600,
        description="Seconds allowed to answer, 3 to 600, on top of reading time (one second per four words).",
        examples=[30],
    )
    to: Identifier = Field(description="The id of the node to go to when time runs out.")
    mood: MoodChange = Field(default=-1, description="Mood change when time runs out, -10 to 10; default -1.")
    traits: dict[Identifier, Delta] = Field(
        default_factory=dict,
        description="Trait deltas for letting it run out, each -3 to 3.",
        json_schema_extra=lambda schema: _trait_properties(schema),
    )
    why: Text = Field(
        default="Leaving the customer waiting tells them their time does not matter.",
        description="Shown in the debrief for a timed-out step.",
    )


class Ending(_Strict):
    """How the conversation ends: outcome and summary are required."""

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
        examples=[59],
    )
    can_pass: bool | None = Field(
        default=None,
        description="Whether an attempt that ends here can pass at all. Default: false for customer_lost, true for "
        "every other outcome.",
    )


class Node(_Strict):
    """One beat of the conversation: an id, then exactly one of replies, routes or ending."""

    model_config = ConfigDict(
        json_schema_extra={
            "defaultSnippets": [
                {
                    "label": "node with replies",
                    "description": "The customer speaks and the trainee chooses a reply.",
                    "body": {
                        "id": "$1",
                        "customer": "$2",
                        "replies": [{"text": "$3", "to": "$4", "traits": {"${5:empathy}": "^${6:1}"}, "why": "$7"}],
                    },
                },
                {
                    "label": "ending node",
                    "description": "The conversation ends here.",
                    "body": {"id": "$1", "ending": {"outcome": "${2:resolved}", "summary": "$3"}},
                },
                {
                    "label": "routing node",
                    "description": "Goes on automatically: the first route whose if holds is taken.",
                    "body": {"id": "$1", "routes": [{"if": "${2:mood >= 0}", "to": "$3"}, {"to": "$4"}]},
                },
            ]
        }
    )

    id: Identifier = Field(description="Unique id of the node within the scenario.")
    customer: Text | None = Field(default=None, description="What the customer says.")
    narration: Text | None = Field(default=None, description="Stage directions shown in italics.")
    replies: list[Reply] | None = Field(
        default=None,
        min_length=1,
        max_length=9,
        description="1 to 9 replies the trainee chooses from. A node has exactly one of replies, routes or ending.",
    )
    routes: list[Route] | None = Field(
        default=None,
        min_length=1,
        description="Automatic branches, at least 1, tried in order; the first whose if holds is taken, so the "
        "last should have no if. A node has exactly one of replies, routes or ending.",
    )
    ending: Ending | None = Field(
        default=None,
        description="Makes this node an ending. A node has exactly one of replies, routes or ending.",
    )
    timeout: Timeout | None = Field(
        default=None, description="A time limit for answering, and where it leads (only with replies)."
    )
    shuffle: bool = Field(
        default=True,
        description="Show the replies in a new order each attempt (the default, true), so position never gives the "
        "answer away. false keeps the file's order, for a node where order carries meaning.",
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


class ScoreRange(_Strict):
    """A range of scores, each 0 to 100: min, max or both (both ends count as inside)."""

    min: Score = Field(default=0, description="The lowest score that passes the check, 0 to 100; default 0.")
    max: Score = Field(default=100, description="The highest score that passes the check, 0 to 100; default 100.")

    @model_validator(mode="after")
    def _ordered(self) -> ScoreRange:
        if self.min > self.max:
            raise PydanticCustomError(
                "range_order", "min {low} is above max {high}", {"low": self.min, "high": self.max}
            )
        return self

    def __str__(self) -> str:
        return str(self.min) if self.min == self.max else f"{self.min} to {self.max}"


NOT_ASSESSED_WORDS = "not assessed"
# What a check expects of a score: exactly this number, a range, or "not assessed".


def _expectation_kind(value: Any) -> str:
    """Which kind of expectation a value is, so a mistake is reported against that kind alone."""
    if isinstance(value, dict | ScoreRange):
        return "range"
    return "words" if isinstance(value, str) else "score"


ScoreExpectation = Annotated[
    Annotated[Score, Tag("score")]
    | Annotated[ScoreRange, Tag("range")]
    | Annotated[Literal["not assessed"], Tag("words")],
    Discriminator(_expectation_kind),
    Field(description="A score 0 to 100, a range such as {min: 50, max: 100}, or not assessed.", examples=[100]),
]
ChoiceStep = Annotated[int, Field(ge=1, le=9)] | Identifier


class Check(_Strict):
    """A self-test that frontline lint plays: a path of choices, then what must come of it."""

    model_config = ConfigDict(
        json_schema_extra={
            "defaultSnippets": [
                {
                    "label": "check",
                    "description": "Play a path and say how it must end.",
                    "body": {
                        "name": "${1:best play}",
                        "path": ["^${2:1}"],
                        "ending": "${3:resolved}",
                        "overall": {"min": "^${4:80}", "max": "^${5:100}"},
                        "passes": "^${6:true}",
                    },
                }
            ]
        }
    )

    name: Text | None = Field(
        default=None, description="A name for the check, used in lint messages, e.g. best play; default: check N."
    )
    path: list[ChoiceStep] = Field(
        max_length=MAX_CHECK_STEPS,
        description="The choices, in order, at most 1,000: a reply number 1 to 9 as on offer in the file's order "
        "(replies whose if does not hold are skipped, as frontline stats and frontline replay number them), a "
        "reply's id, or t to let the time run out at a timed node. The path must reach an ending.",
        examples=[[1, 2, 1]],
    )
    ending: Identifier = Field(
        description="The ending the path must reach: the id of its node, or its outcome (resolved, escalated, "
        "customer_lost or one of your own).",
        examples=["resolved", "customer_lost"],
    )
    overall: ScoreExpectation | None = Field(
        default=None,
        description="The overall score the path must get: a number 0 to 100, a range such as {min: 80, max: 100}, "
        "or not assessed.",
    )
    traits: dict[Identifier, ScoreExpectation] = Field(
        default_factory=dict,
        description="Trait scores the path must get, keyed by rubric trait id: a number 0 to 100, a range such as "
        "{min: 50}, or not assessed.",
        json_schema_extra=lambda schema: _trait_properties(schema),
    )
    passes: bool | None = Field(
        default=None, description="true if the attempt must pass, false if it must not (score, pass mark and ending)."
    )


class Scenario(_Strict):
    """A Frontline scenario, format 1."""

    model_config = ConfigDict(
        json_schema_extra={
            "defaultSnippets": [
                {
                    "label": "new scenario",
                    "description": "Every required field, a first node and two endings.",
                    "body": {
                        "format": "^1",
                        "id": "${1:my-scenario}",
                        "title": "$2",
                        "summary": "$3",
                        "persona": {"name": "$4", "kind": "${5|angry,confused,rude|}"},
                        "setting": "$6",
                        "difficulty": "${7|easy,medium,hard|}",
                        "minutes": "^${8:5}",
                        "focus": ["${9:empathy}"],
                        "briefing": "$10",
                        "pass_mark": "^${11:60}",
                        "nodes": [
                            {
                                "id": "${12:opening}",
                                "customer": "$13",
                                "replies": [
                                    {"text": "$14", "to": "resolved", "traits": {"empathy": "^2"}, "why": "$15"},
                                    {
                                        "text": "$16",
                                        "to": "lost",
                                        "traits": {"timeliness": "^1", "empathy": "^-1"},
                                        "why": "$17",
                                    },
                                ],
                            },
                            {"id": "resolved", "ending": {"outcome": "resolved", "summary": "$18"}},
                            {"id": "lost", "ending": {"outcome": "customer_lost", "summary": "$19"}},
                        ],
                    },
                }
            ]
        }
    )

    format: Literal[1] = Field(description="Format version; always 1.")
    id: Identifier = Field(description="Unique id of the scenario, used in records.")
    title: Text = Field(description="Title shown in the library.")
    summary: Text = Field(description="One or two sentences for the library.")
    persona: Persona = Field(description="The customer: name and kind are required.")
    setting: Text = Field(description="Where this happens, e.g. 'Phone support at a broadband provider'.")
    difficulty: Literal["easy", "medium", "hard"] = Field(
        description="How hard the customer is to serve: easy, medium or hard."
    )
    minutes: int = Field(ge=1, le=120, description="Estimated minutes to play, 1 to 120.", examples=[5])
    focus: list[Identifier] = Field(
        min_length=1,
        description="Rubric trait ids this scenario is mainly about, at least 1.",
        json_schema_extra=lambda schema: _trait_examples(schema),
    )
    briefing: Text = Field(description="What the trainee reads before starting.")
    pass_mark: int = Field(ge=0, le=100, description="Overall score needed to pass, 0 to 100.", examples=[60])
    start: Identifier | None = Field(
        default=None,
        description="The id of the first node; default: the first node in the list. The editor cannot check that "
        "the node exists; frontline lint does (FL200).",
    )
    nodes: list[Node] = Field(min_length=1, max_length=10_000, description="The conversation's nodes, 1 to 10,000.")
    checks: list[Check] = Field(
        default_factory=list,
        max_length=MAX_CHECKS,
        description="Self-tests, at most 100, that frontline lint plays: each a path of choices and the ending, "
        "scores and pass or fail it must give. They never change how the scenario plays.",
    )

    _by_id: dict[str, Node] = PrivateAttr(default_factory=dict)

    def model_post_init(self, __context: Any) -> None:
        for node in self.nodes:
            self._by_id.setdefault(node.id, node)

    @property
    def start_id(self) -> str:
        return self.start or self.nodes[0].id

    @property
    def _nodes_by_id(self) -> dict[str, Node]:
        # Not `self._by_id`: reading a private attribute goes through BaseModel.__getattr__, slow on hot paths.
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]
        by_id: dict[str, Node] = private["_by_id"]
        return by_id

    def node(self, node_id: str) -> Node:
        return self._nodes_by_id[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._nodes_by_id

    def fingerprint(self) -> str:
        """A digest of everything the file says about play, kept with each attempt: when a saved attempt's
        fingerprint no longer matches, the scenario changed under it and cannot be resumed safely.
        The checks are left out: they never change how the scenario plays."""
        played = self.model_dump_json(exclude={"checks"})
        return "sha256:" + hashlib.sha256(played.encode("utf-8")).hexdigest()


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

    @property
    def _traits_by_id(self) -> dict[str, Trait]:
        # Not `self._by_id`: reading a private attribute goes through BaseModel.__getattr__, slow on hot paths.
        private: dict[str, Any] = self.__pydantic_private__  # type: ignore[assignment]
        by_id: dict[str, Trait] = private["_by_id"]
        return by_id

    def trait(self, trait_id: str) -> Trait:
        return self._traits_by_id[trait_id]

    def has_trait(self, trait_id: str) -> bool:
        return trait_id in self._traits_by_id

    @property
    def trait_ids(self) -> list[str]:
        return [t.id for t in self.traits]


@lru_cache(maxsize=1)
def _bundled_traits() -> tuple[tuple[str, str, str], ...]:
    """(id, name, description) of each trait of the bundled rubric, for the schema's completions."""
    from .loader import load_rubric  # the loader validates with these models

    return tuple((t.id, t.name, t.description) for t in load_rubric().traits)


def _trait_properties(schema: dict[str, Any]) -> None:
    """Name the bundled rubric's traits as properties of a trait map, so an editor completes and explains them.

    Other trait ids stay valid (a library may have its own rubric): lint checks them against the rubric."""
    value = dict(next(iter(schema.get("patternProperties", {}).values()), {}))
    limits = value.pop("description", "")
    schema["properties"] = {
        trait_id: {**value, "description": f"{name}: {description} {limits}".strip()}
        for trait_id, name, description in _bundled_traits()
    }


def _trait_examples(schema: dict[str, Any]) -> None:
    items = schema.get("items")
    if isinstance(items, dict):
        items["examples"] = [trait_id for trait_id, _, _ in _bundled_traits()]


class _EditorSchema(GenerateJsonSchema):
    """The schema as an editor should see it: an optional field is written by leaving its key out, never as
    null, so completing it inserts a usable value instead of null."""

    def nullable_schema(self, schema: core_schema.NullableSchema) -> JsonSchemaValue:
        return self.generate_inner(schema["schema"])

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> JsonSchemaValue:
        if "default" in schema and schema["default"] is None:
            return self.generate_inner(schema["schema"])
        return super().default_schema(schema)

    def _sort_recursive(self, value: Any, parent_key: str | None = None) -> Any:
        if parent_key == "defaultSnippets":
            return value  # a snippet inserts its keys in the order written: id first, as a trainer writes a node
        return super()._sort_recursive(value, parent_key)


def scenario_json_schema() -> dict[str, Any]:
    schema = Scenario.model_json_schema(by_alias=True, schema_generator=_EditorSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "frontline-scenario-1.schema.json",
        **schema,
    }
