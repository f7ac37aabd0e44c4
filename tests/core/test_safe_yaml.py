"""The loader refuses hostile YAML cheaply and keeps YAML 1.1 surprises out."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from simulator.core import lint_paths, load_scenario
from simulator.core.safe_yaml import MAX_BYTES, MAX_DEPTH, LocDict, load_yaml

CLEAN = Path(__file__).parent / "lint_fixtures" / "clean.yaml"


def _codes(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.code) for d in load_yaml(text, "x.yaml").diagnostics]


def test_plain_no_stays_text_and_positions_are_one_based() -> None:
    result = load_yaml("a: no\nb: yes\nc: on\nd: true\ne: 012\nf: ~\n", "x.yaml")
    assert result.data == {"a": "no", "b": "yes", "c": "on", "d": True, "e": 12, "f": None}
    assert isinstance(result.data, LocDict)
    assert result.data.key_pos["c"] == (3, 1)
    assert result.data.value_pos["c"] == (3, 4)


# Deep nesting is stopped either by the loader (past MAX_DEPTH) or, for a long line of brackets,
# by libyaml itself (1,000 levels since 0.2.6), which reads that far ahead before the loader sees
# an event. The trainer must get the same single FL007 either way; the column says only which
# layer noticed, so these tests pin the code, the words and the line, never the column.
DEEP = 60_000  # PyYAML's C composer segfaults near 50,000
DEEP_CASES = {
    "flow lists": ("a: " + "[" * DEEP + "]" * DEEP + "\n", 1),
    "flow lists left open": ("a: " + "[" * DEEP + "\n", 1),
    "flow mappings": ("a: " + "{a: " * 5_000 + "}" * 5_000 + "\n", 1),
    "block lists on one line": ("a:\n  " + "- " * 5_000 + "x\n", 2),
    # one level per line: the line is where the limit is crossed (the top-level mapping is level 1)
    "block mappings": ("".join("  " * i + f"k{i}:\n" for i in range(5_000)) + "  " * 5_000 + "x\n", MAX_DEPTH + 1),
    "block lists": ("".join("  " * i + "-\n" for i in range(5_000)), MAX_DEPTH + 1),
}


@pytest.mark.parametrize("case", list(DEEP_CASES))
def test_deep_nesting_is_one_clear_diagnostic(case: str) -> None:
    text, line = DEEP_CASES[case]
    diags = load_yaml(text, "x.yaml").diagnostics
    assert [(d.line, d.code) for d in diags] == [(line, "FL007")], [str(d) for d in diags]
    message = diags[0].message
    assert message.startswith("nested too deeply"), message
    assert f"at most {MAX_DEPTH} levels" in message, message
    assert "flatten" in message, message


def test_nesting_up_to_the_limit_loads() -> None:
    inner = MAX_DEPTH - 1  # the top-level mapping is the first level
    result = load_yaml("a: " + "[" * inner + "]" * inner + "\n", "x.yaml")
    assert result.diagnostics == []
    deeper = load_yaml("a: " + "[" * (inner + 1) + "]" * (inner + 1) + "\n", "x.yaml").diagnostics
    assert [(d.line, d.code) for d in deeper] == [(1, "FL007")]


def test_deep_nesting_does_not_crash_the_process() -> None:
    """In a child process, so a parser that recursed and overflowed the C stack fails this test, not the run."""
    code = (
        "from simulator.core.safe_yaml import load_yaml; "
        f"d = load_yaml('a: ' + '[' * {DEEP} + ']' * {DEEP} + '\\n', 'x.yaml').diagnostics; "
        "print([x.code for x in d])"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr[-2000:]}"
    assert result.stdout.strip() == "['FL007']"


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    codes = {c for _, _, c in _codes("\n".join(lines) + "\n")}
    assert codes == {"FL005"}


def test_merge_key_bomb_is_refused() -> None:
    assert "FL006" in {c for _, _, c in _codes("a: {x: 1}\nb:\n  <<: {x: 2}\n")}


def test_duplicate_key_names_both_lines() -> None:
    diags = load_yaml("a: 1\nb: 2\na: 3\n", "x.yaml").diagnostics
    assert [(d.line, d.col, d.code) for d in diags] == [(3, 1, "FL008")]
    assert "first at line 1" in diags[0].message


def test_several_documents_are_refused() -> None:
    assert _codes("a: 1\n---\nb: 2\n") == [(2, 1, "FL010")]


def test_oversized_file_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * MAX_BYTES + b"\n")
    assert [(d.line, d.col, d.code) for d in lint_paths([path])] == [(1, 1, "FL002")]


def test_too_many_elements(tmp_path: Path) -> None:
    text = "a: [" + ",".join(["1"] * 1_000_001) + "]\n"
    assert [c for _, _, c in _codes(text)] == ["FL009"]


def test_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    loaded = load_scenario(tmp_path / "nope.yaml")
    assert loaded.scenario is None
    assert [(d.line, d.col, d.code) for d in loaded.diagnostics] == [(1, 1, "FL000")]


def test_control_characters_are_a_syntax_error(tmp_path: Path) -> None:
    path = tmp_path / "ctl.yaml"
    path.write_text(CLEAN.read_text().replace("Be kind.", "Be \x07kind."))
    assert [(d.line, d.code) for d in lint_paths([path])] == [(10, "FL003")]


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert [(d.line, d.col, d.code) for d in lint_paths([path])] == [(1, 1, "FL010")]
