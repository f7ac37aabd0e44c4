"""The loader refuses hostile YAML cheaply and keeps YAML 1.1 surprises out."""

from __future__ import annotations

from pathlib import Path

from simulator.core import lint_paths, load_scenario
from simulator.core.safe_yaml import MAX_BYTES, LocDict, load_yaml

CLEAN = Path(__file__).parent / "lint_fixtures" / "clean.yaml"


def _codes(text: str) -> list[tuple[int, int, str]]:
    return [(d.line, d.col, d.code) for d in load_yaml(text, "x.yaml").diagnostics]


def test_plain_no_stays_text_and_positions_are_one_based() -> None:
    result = load_yaml("a: no\nb: yes\nc: on\nd: true\ne: 012\nf: ~\n", "x.yaml")
    assert result.data == {"a": "no", "b": "yes", "c": "on", "d": True, "e": 12, "f": None}
    assert isinstance(result.data, LocDict)
    assert result.data.key_pos["c"] == (3, 1)
    assert result.data.value_pos["c"] == (3, 4)


def test_deep_nesting_is_refused_without_recursing() -> None:
    depth = 60_000  # the C composer segfaults near 50,000
    assert _codes("a: " + "[" * depth + "]" * depth + "\n") == [(1, 67, "FL007")]


def test_billion_laughs_is_refused_before_expansion() -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    codes = {c for _, _, c in _codes("\n".join(lines) + "\n")}
    assert codes == {"FL005"}


def test_merge_key_bomb_is_refused() -> None:
    assert ("FL006" in {c for _, _, c in _codes("a: {x: 1}\nb:\n  <<: {x: 2}\n")})


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
