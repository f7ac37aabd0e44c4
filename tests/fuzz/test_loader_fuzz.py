"""Property: whatever is in a scenario file, loading, the library and lint answer with a scenario or
diagnostics (each at a line and column inside the file, with a stable code), never anything else.

Inputs: any bytes, any text, generated YAML documents with the scenario's keys, and mutations of every
bundled scenario, both of its data (keys deleted, swapped, retyped) and of its text (lines deleted,
duplicated or swapped, anchors and aliases, tags, deep nesting, huge numbers, odd characters).
"""

from __future__ import annotations

import pickle
import string
from functools import lru_cache
from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from .support import bundled_scenarios, bundled_texts, load_everywhere, paths_into

# Sizes stay small in process: a hostile input of unbounded cost runs in a capped child (test_hostile_child).
MAX_TEXT = 3_000

SCENARIO_KEYS = [
    "format", "id", "title", "summary", "persona", "setting", "difficulty", "minutes", "focus", "briefing",
    "pass_mark", "start", "nodes", "checks", "tags", "name", "kind", "avatar", "mood", "description",
    "customer", "narration", "replies", "routes", "ending", "timeout", "text", "to", "traits", "why", "if",
    "set", "clear", "feedback", "outcome", "max_score", "seconds", "shuffle", "empathy", "knowledge",
]  # fmt: skip

# Values that have broken parsers before: big and odd numbers, special floats, bidi and null characters,
# condition look-alikes, YAML 1.1 booleans, and strings that YAML would read as something else.
ODD_SCALARS = [
    0, -1, 1, 2**31, -(2**63), 10**40, 1e308, float("inf"), float("-inf"), float("nan"), True, False, None,
    "", " ", "\u202e", "a\0b", "\ufeff", "\t", "\r\n", "yes", "no", "on", "~", "null", ".inf", "0x1F", "0o17",
    "1_000", "1e3", "١٢", "mood > ١٢", "mood >= -5 and (not calm or score.empathy > 2)", "((((", "visits.",
    "score.", "…", "😀", "../../etc/passwd", "/dev/zero", "C:\\con", "*alias", "&anchor", "!tag", "{", "[",
    "=> 3", "x" * 300,
]  # fmt: skip

scalars = st.one_of(
    st.sampled_from(ODD_SCALARS),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(SCENARIO_KEYS),
)
yaml_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5),
        st.dictionaries(st.one_of(st.sampled_from(SCENARIO_KEYS), st.text(max_size=10)), inner, max_size=6),
    ),
    max_leaves=40,
)


def _node(draw: st.DrawFn, ids: list[str]) -> dict[str, Any]:
    node: dict[str, Any] = {"id": draw(st.sampled_from(ids))}
    shape = draw(st.sampled_from(["replies", "routes", "ending", "mixed"]))
    if shape in ("replies", "mixed"):
        node["customer"] = draw(st.text(max_size=30))
        node["replies"] = [
            {
                "text": draw(st.text(min_size=1, max_size=20)),
                "to": draw(st.sampled_from(ids)),
                "traits": draw(st.dictionaries(st.sampled_from(["empathy", "knowledge", "nope"]), st.integers(-4, 4))),
                **(
                    {"if": draw(st.sampled_from(ODD_SCALARS[-25:] + ["mood > 0", "calm"]))}
                    if draw(st.booleans())
                    else {}
                ),
            }
            for _ in range(draw(st.integers(0, 3)))
        ]
    if shape in ("routes", "mixed"):
        node["routes"] = [{"to": draw(st.sampled_from(ids)), "if": draw(st.sampled_from(["mood > 0", "calm", "x"]))}]
    if shape in ("ending", "mixed"):
        node["ending"] = {"outcome": draw(st.sampled_from(["resolved", "escalated", "x y"])), "summary": "done"}
    if draw(st.booleans()):
        node["timeout"] = {"seconds": draw(st.integers(-5, 700)), "to": draw(st.sampled_from(ids))}
    return node


@st.composite
def scenario_documents(draw: st.DrawFn) -> str:
    """A YAML document shaped like a scenario: mostly right, with wrong types and values mixed in."""
    ids = draw(st.lists(st.sampled_from(["start", "a", "b", "end", "A", "x-1", ""]), min_size=1, max_size=5))
    doc: dict[str, Any] = {
        "format": draw(st.sampled_from([1, 2, "1", None])),
        "id": draw(st.sampled_from(["fuzz", "Fuzz Id", "", 7])),
        "title": "T",
        "summary": "S",
        "persona": {"name": "P", "kind": draw(st.sampled_from(["angry", "confused", "rude", "calm"]))},
        "setting": "here",
        "nodes": [_node(draw, ids) for _ in range(draw(st.integers(0, 6)))],
    }
    for key in draw(st.lists(st.sampled_from(list(doc)), max_size=3)):
        if draw(st.booleans()):
            doc.pop(key, None)
        else:
            doc[key] = draw(yaml_values)
    for key, value in draw(st.dictionaries(st.sampled_from(SCENARIO_KEYS), yaml_values, max_size=3)).items():
        doc[key] = value
    return yaml.dump(
        doc,
        Dumper=yaml.CSafeDumper,
        allow_unicode=draw(st.booleans()),
        sort_keys=False,
        width=draw(st.integers(20, 200)),
    )


@lru_cache(maxsize=1)
def _bundled_data() -> tuple[bytes, ...]:
    return tuple(pickle.dumps(yaml.load(text, Loader=yaml.CSafeLoader)) for text in bundled_texts())


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


@st.composite
def data_mutations(draw: st.DrawFn) -> str:
    """A bundled scenario with a few of its keys deleted, swapped or given other values, dumped again."""
    data = pickle.loads(draw(st.sampled_from(_bundled_data())))  # a fresh copy, faster than deepcopy
    for _ in range(draw(st.integers(1, 4))):
        paths = [p for p in paths_into(data) if p]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _at(data, path[:-1]), path[-1]
        action = draw(st.sampled_from(["delete", "retype", "swap", "copy"]))
        if action == "delete":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(yaml_values)
        elif action == "swap":
            other = draw(st.sampled_from(paths))
            if other[: len(path)] != path and path[: len(other)] != other:
                other_parent = _at(data, other[:-1])
                parent[last], other_parent[other[-1]] = other_parent[other[-1]], parent[last]
        else:
            # A copy: the same object placed inside itself (an ancestor copied into its own child) is a cycle.
            value = pickle.loads(pickle.dumps(_at(data, draw(st.sampled_from(paths)))))
            if isinstance(parent, list):
                parent.append(value)  # an element repeated: a duplicate node, reply or route
            else:
                parent[last] = value
    paths = [p for p in paths_into(data) if p]
    if paths and draw(st.booleans()):
        # Nested once, at the end: around the loader's depth limit (64), without nesting the nests.
        path = draw(st.sampled_from(paths))
        parent, last = _at(data, path[:-1]), path[-1]
        value: Any = parent[last]
        for _ in range(draw(st.integers(1, 70))):
            value = draw(st.sampled_from([[value], {"k": value}]))
        parent[last] = value
    return yaml.dump(data, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False)


# Lines to splice into a file's text: what a hand edit or a hostile author could write.
SPLICES = [
    "anchor: &a {x: 1}", "again: *a", "<<: *a", "- &n {id: n}", "- *n", "key: !!python/object:os.system x",
    "tagged: !custom 1", "tagged: !!binary aGk=", "%YAML 1.1", "%TAG ! tag:x,2000:", "---", "...", "? complex",
    ": value", "\tid: tab", "id: a\0b", "big: " + "9" * 5000, "big: -" + "1" * 120, "float: 1e99999",
    "deep: " + "[" * 80 + "]" * 80, "deep: " + "{a: " * 70 + "1" + "}" * 70, "if: " + "(" * 200 + "x" + ")" * 200,
    "if: " + "not " * 1000 + "x", "if: " + " or ".join(["x"] * 1000), "if: mood > ١٢", "bidi: \u202eevil",
    "bom: \ufeff", "line\u2028break: 1", "nel\x85: 1", "cr: a\rb", "  - id: orphan", "mood: .nan", "mood: 0x10",
    "minutes: 1_0", "empty:", "- - - -", "'unterminated", '"esc \\x" ', "a: b: c", "{[}]", "&", "*", "!",
]  # fmt: skip


@st.composite
def text_mutations(draw: st.DrawFn) -> str:
    """A bundled scenario's text with lines deleted, duplicated, swapped or spliced in, or characters changed."""
    lines = draw(st.sampled_from(bundled_texts())).split("\n")
    for _ in range(draw(st.integers(1, 5))):
        i = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "splice", "replace", "indent", "chars"]))
        if action == "delete" and len(lines) > 1:
            del lines[i]
        elif action == "duplicate":
            lines.insert(i, lines[i])
        elif action == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif action == "splice":
            indent = len(lines[i]) - len(lines[i].lstrip(" "))
            lines.insert(i, " " * indent + draw(st.sampled_from(SPLICES)))
        elif action == "replace" and ":" in lines[i]:
            head = lines[i].split(":", 1)[0]
            lines[i] = head + ": " + draw(st.sampled_from(SPLICES + [str(v) for v in ODD_SCALARS]))
        elif action == "indent":
            lines[i] = " " * draw(st.integers(0, 9)) + lines[i].lstrip(" ")
        else:
            chars = list(lines[i])
            at = draw(st.integers(0, len(chars)))
            chars[at:at] = draw(st.text(min_size=1, max_size=4))
            lines[i] = "".join(chars)
    return "\n".join(lines)


@given(st.binary(max_size=MAX_TEXT))
@example(b"\xff\xfe\x00")
@example(b"\x00")
@example(b"\xef\xbb\xbfid: x\n")
def test_any_bytes(data: bytes) -> None:
    load_everywhere(data)


@given(st.text(max_size=MAX_TEXT))
@example("\u0800\n\xa0\x1f")  # found by make fuzz: a control character's column was counted in UTF-8 bytes
@example("\u2028\u2028: [")
@example("\r\r\r- x\r\x85\x85{")
def test_any_text(text: str) -> None:
    load_everywhere(text.encode("utf-8", errors="surrogatepass"))


@given(st.text(alphabet=string.printable + "{}[]:-&*!|>%@`'\"#?, ", max_size=MAX_TEXT))
def test_yaml_punctuation(text: str) -> None:
    load_everywhere(text.encode("utf-8"))


@given(scenario_documents())
def test_scenario_shaped_documents(text: str) -> None:
    load_everywhere(text.encode("utf-8"))


@given(data_mutations())
def test_mutated_bundled_data(text: str) -> None:
    load_everywhere(text.encode("utf-8"), lint=False)


@given(text_mutations())
def test_mutated_bundled_text(text: str) -> None:
    load_everywhere(text.encode("utf-8", errors="surrogatepass"), lint=False)


def test_every_bundled_scenario_loads_clean() -> None:
    """The mutations start from sound files: each bundled scenario loads without errors as it is."""
    for path in bundled_scenarios():
        loaded, playable = load_everywhere(path.read_bytes(), lint=False)
        assert loaded.ok and playable.ok, (path, loaded.errors)
