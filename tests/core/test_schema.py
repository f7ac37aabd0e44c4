"""The JSON Schema as the YAML language server uses it: completions insert usable values, hovers read as plain
text with their limits, and the bundled rubric's trait ids complete inside `traits:`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.core import Scenario, lint_paths, load_rubric, scenario_json_schema
from simulator.core.models import Check, Node, Reply

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return scenario_json_schema()


def _walk(value: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object with where it sits, leaving out snippet bodies (they are sample data)."""
    if isinstance(value, dict):
        yield where, value
        for key, item in value.items():
            if key not in ("defaultSnippets", "examples"):
                yield from _walk(item, f"{where}/{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{where}/{index}")


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any], dict[str, Any]]]:
    """(model, property name, property schema, model schema) for the root and every definition."""
    models = {"Scenario": schema, **schema["$defs"]}
    for model, model_schema in models.items():
        for name, prop in model_schema.get("properties", {}).items():
            yield model, name, prop, model_schema


def test_the_schema_file_is_current(schema: dict[str, Any]) -> None:
    on_disk = json.loads((REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert on_disk == schema, "regenerate it: .venv/bin/frontline schema > docs/scenario.schema.json"


def test_nothing_is_nullable_so_no_completion_inserts_null(schema: dict[str, Any]) -> None:
    for where, part in _walk(schema):
        assert part.get("type") != "null", where
        assert not ("default" in part and part["default"] is None), where
    node = schema["$defs"]["Node"]["properties"]
    # Accepting routes, ending or timeout inserts their structure: an array of objects, or an object.
    assert node["routes"]["type"] == "array" and node["routes"]["items"] == {"$ref": "#/$defs/Route"}
    assert node["ending"]["$ref"] == "#/$defs/Ending" and node["timeout"]["$ref"] == "#/$defs/Timeout"
    assert schema["$defs"]["Reply"]["properties"]["if"]["type"] == "string"
    assert schema["properties"]["start"]["type"] == "string"


def test_no_number_completes_to_a_value_out_of_range(schema: dict[str, Any]) -> None:
    # Without a default or an example the language server inserts 0 for a number (`minutes: 0`, invalid).
    for model, name, prop, _ in _properties(schema):
        if prop.get("type") != "integer":
            continue
        low, high = prop.get("minimum"), prop.get("maximum")
        first = prop["default"] if "default" in prop else (prop.get("examples") or [0])[0]
        assert low is None or first >= low, f"{model}.{name} would insert {first}"
        assert high is None or first <= high, f"{model}.{name} would insert {first}"
    assert schema["properties"]["minutes"]["examples"] == [5]
    assert schema["$defs"]["Timeout"]["properties"]["seconds"]["examples"] == [30]


def test_hovers_are_plain_text_and_state_their_limits(schema: dict[str, Any]) -> None:
    described = 0
    for where, part in _walk(schema):
        text = part.get("description")
        if not isinstance(text, str):
            continue
        described += 1
        assert "`" not in text, f"{where}: backticks show escaped in a hover"
        for key in ("minimum", "maximum", "minItems", "maxItems"):
            if key in part and not (key == "minItems" and part[key] == 0):
                assert f"{part[key]:,}" in text or str(part[key]) in text, f"{where}: {key} {part[key]} not in {text!r}"
    assert described > 50
    seconds = schema["$defs"]["Timeout"]["properties"]["seconds"]["description"]
    assert "3 to 600" in seconds


def test_every_model_field_has_a_hover(schema: dict[str, Any]) -> None:
    for model, name, prop, _ in _properties(schema):
        assert prop.get("description"), f"{model}.{name} has no description"


def test_trait_ids_of_the_bundled_rubric_complete_inside_traits(schema: dict[str, Any]) -> None:
    rubric = load_rubric()
    defs = schema["$defs"]
    for model in ("Reply", "Timeout", "Check"):
        traits = defs[model]["properties"]["traits"]
        assert list(traits["properties"]) == rubric.trait_ids, model
        empathy = traits["properties"]["empathy"]
        assert empathy["description"].startswith(rubric.trait("empathy").name + ": ")
        # A library with its own rubric may use other ids: lint checks them, the editor lets them be.
        assert traits["patternProperties"], model
    delta = defs["Reply"]["properties"]["traits"]["properties"]["empathy"]
    assert (delta["minimum"], delta["maximum"]) == (-3, 3) and "-3 to 3" in delta["description"]
    assert schema["properties"]["focus"]["items"]["examples"] == rubric.trait_ids


def _fill(snippet: Any) -> Any:
    """A snippet body as the data it inserts, with each placeholder's default (or x1, x2, ...) filled in."""
    if isinstance(snippet, dict):
        return {_fill(k): _fill(v) for k, v in snippet.items()}
    if isinstance(snippet, list):
        return [_fill(v) for v in snippet]
    raw = snippet.startswith("^")
    text = re.sub(r"\$\{\d+\|([^,|]*)[^}]*\}", r"\1", snippet.lstrip("^"))
    text = re.sub(r"\$\{\d+:([^}]*)\}", r"\1", text)
    text = re.sub(r"\$(\d+)", r"x\1", text)
    return yaml.safe_load(text) if raw else text


def test_snippets_insert_valid_parts(schema: dict[str, Any], tmp_path: Path) -> None:
    [new] = schema["defaultSnippets"]
    data = _fill(new["body"])
    assert list(data)[:3] == ["format", "id", "title"], "snippets keep the order a trainer writes"
    path = tmp_path / "new.yaml"
    path.write_text(
        "# yaml-language-server: $schema=../docs/scenario.schema.json\n" + yaml.safe_dump(data, sort_keys=False),
        encoding="utf-8",
    )
    assert lint_paths([path]) == []
    nodes = schema["$defs"]["Node"]["defaultSnippets"]
    assert [s["label"] for s in nodes] == ["node with replies", "ending node", "routing node"]
    for snippet in nodes:
        Node.model_validate(_fill(snippet["body"]))
    for snippet in schema["$defs"]["Reply"]["defaultSnippets"]:
        Reply.model_validate(_fill(snippet["body"]))
    for snippet in schema["$defs"]["Check"]["defaultSnippets"]:
        Check.model_validate(_fill(snippet["body"]))
    assert Scenario.model_validate(data).nodes[0].replies
