"""The branch graph as data, its DOT and Mermaid exports, `frontline graph`, and starting play at any node."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.cli.main import main as cli_main
from simulator.core import Session, Story, load_playable
from simulator.core.graph import (
    OVERALL,
    best_and_worst,
    build_graph,
    node_at_line,
    node_lines,
    path_choices,
    to_dot,
    to_mermaid,
)
from simulator.core.resources import bundled_scenarios_dir

EXAMPLE = Path(__file__).parent / "golden" / "late-parcel.yaml"
BUNDLED = sorted(p for p in bundled_scenarios_dir().glob("*.yaml") if p.name != "rubric.yaml")

SMALL = """\
format: 1
id: small
title: 'Say "hi" <now>'
summary: A tiny scenario.
persona: {name: Sam, kind: confused, mood: 0}
setting: A desk
difficulty: easy
minutes: 1
focus: [empathy]
briefing: Be kind.
pass_mark: 50
nodes:
  - id: hello
    customer: 'He said "what | now?" #1'
    replies:
      - text: Kind
        to: check
        traits: {empathy: 2}
        set: [kind]
        why: Kind.
      - text: Curt
        to: bad
        traits: {empathy: -1}
        why: Curt.
  - id: check
    routes:
      - if: kind and mood >= 0
        to: good
      - to: bad
  - id: good
    ending: {outcome: resolved, summary: Good.}
  - id: bad
    ending: {outcome: partial_refund, summary: Meh.}
  - id: island
    customer: Nobody gets here.
    replies:
      - {text: Hm, to: good, why: Hm.}
"""


def _playable(tmp_path: Path, text: str = SMALL) -> object:
    path = tmp_path / "small.yaml"
    path.write_text(text, encoding="utf-8")
    return load_playable(path)


def test_the_graph_has_every_node_and_labelled_edge() -> None:
    entry = load_playable(EXAMPLE)
    assert entry.scenario is not None
    graph = build_graph(entry.scenario)
    assert [n.id for n in graph.nodes] == ["opening", "silence", "blame", "order_number", "choice", "resolved", "lost"]
    assert graph.node("opening").is_start and graph.node("opening").layer == 0
    assert graph.node("order_number").layer == 1 and graph.node("choice").layer == 2
    assert graph.node("lost").kind == "ending" and graph.node("lost").outcome == "customer_lost"
    labels = [(e.source, e.target, e.label) for e in graph.edges if e.source == "opening"]
    assert labels == [
        ("opening", "order_number", "1: empathy +2, ownership +1"),
        ("opening", "order_number", "2: empathy -1, timeliness +1"),
        ("opening", "blame", "3: empathy -2, ownership -2, knowledge +1"),
        ("opening", "silence", "timeout"),
    ]


def test_dot_export(tmp_path: Path) -> None:
    entry = load_playable(EXAMPLE)
    assert entry.scenario is not None
    dot = to_dot(build_graph(entry.scenario)).splitlines()
    assert dot[0] == 'digraph "late-parcel" {'
    assert dot[-1] == "}"
    assert '  label="The parcel that never came";' in dot
    assert "  rankdir=LR;" in dot
    assert (
        '  "silence" [label="silence\\nHello?? Is anyone even there?", fillcolor="#dbe8fb", style="rounded,filled"];'
        in dot
    )
    assert '  "lost" [label="lost\\n[customer_lost]", fillcolor="#ffcdd2", style="rounded,filled,bold"];' in dot
    assert '  "opening" -> "order_number" [label="1: empathy +2, ownership +1"];' in dot
    assert '  "opening" -> "silence" [label="timeout", style=dashed];' in dot
    assert sum(" -> " in line for line in dot) == 13


def test_dot_export_escapes_quotes_and_marks_routes_and_unreachable_nodes(tmp_path: Path) -> None:
    entry = _playable(tmp_path)
    graph = build_graph(entry.scenario)  # type: ignore[attr-defined]
    dot = to_dot(graph).splitlines()
    assert '  label="Say \\"hi\\" <now>";' in dot
    assert '  "hello" [label="hello\\nHe said \\"what | now?\\" #1", fillcolor="#dbe8fb", ' in dot[6]
    assert '  "check" [label="check", fillcolor="#e8def8", style="rounded,filled", shape=diamond];' in dot
    assert '  "check" -> "good" [label="if kind and mood >= 0", style=dashed];' in dot
    assert '  "check" -> "bad" [label="otherwise", style=dashed];' in dot
    assert any(line.startswith('  "island"') and 'style="rounded,filled,dashed"' in line for line in dot)
    assert '  "bad" [label="bad\\n[partial_refund]", fillcolor="#b2dfdb", style="rounded,filled,bold"];' in dot


def test_mermaid_export() -> None:
    entry = load_playable(EXAMPLE)
    assert entry.scenario is not None
    text = to_mermaid(build_graph(entry.scenario))
    lines = text.splitlines()
    assert lines[:3] == [
        "%% The parcel that never came (late-parcel)",
        "flowchart LR",
        '  n0["opening: Nine days! It was for my daughter\'s birthday, which was yes…"]',
    ]
    assert '  n5(["resolved [resolved]"])' in lines
    assert '  n0 -->|"1: empathy +2, ownership +1"| n3' in lines
    assert '  n0 -.->|"timeout"| n1' in lines
    assert "  classDef outcome_customer_lost fill:#ffcdd2,stroke:#555" in lines
    assert "  class n6 outcome_customer_lost" in lines
    assert "  class n0,n1,n2,n3,n4 replies" in lines
    assert lines[-1] == "  style n0 stroke-width:3px"


def test_mermaid_export_escapes_what_would_break_the_syntax(tmp_path: Path) -> None:
    entry = _playable(tmp_path)
    lines = to_mermaid(build_graph(entry.scenario)).splitlines()  # type: ignore[attr-defined]
    assert lines[0] == '%% Say "hi" <now> (small)'
    assert '  n0["hello: He said #quot;what #124; now?#quot; #35;1"]' in lines
    assert '  n1{"check"}' in lines
    assert '  n1 -.->|"if kind and mood #gt;= 0"| n2' in lines
    assert "  class n4 unreachable" in lines
    assert "  class n3 outcome_other" in lines


def test_overall_paths_match_the_analysis_for_every_bundled_scenario() -> None:
    for path in BUNDLED:
        entry = load_playable(path)
        assert entry.scenario is not None and entry.analysis is not None, path
        graph = build_graph(entry.scenario)
        best, worst = best_and_worst(graph, entry.analysis, OVERALL)
        assert path_choices(graph, best) == entry.analysis.best_path, path.name
        assert path_choices(graph, worst) == entry.analysis.worst_path, path.name
        assert graph.edges[best[-1]].target in entry.analysis.endings


def test_trait_paths_reach_the_trait_bounds() -> None:
    for path in BUNDLED[:6]:
        entry = load_playable(path)
        assert entry.scenario is not None and entry.analysis is not None
        graph = build_graph(entry.scenario)
        for trait, bounds in entry.analysis.trait_bounds.items():
            best, worst = best_and_worst(graph, entry.analysis, trait)
            assert sum(graph.edges[i].deltas.get(trait, 0) for i in best) == bounds.best, (path.name, trait)
            assert sum(graph.edges[i].deltas.get(trait, 0) for i in worst) == bounds.worst, (path.name, trait)


def test_paths_from_a_chosen_node(tmp_path: Path) -> None:
    entry = _playable(tmp_path)
    graph = build_graph(entry.scenario)  # type: ignore[attr-defined]
    best, worst = best_and_worst(graph, None, "empathy", start="island")
    assert [graph.edges[i].target for i in best] == ["good"]
    best, worst = best_and_worst(graph, None, "empathy")
    assert path_choices(graph, best) == [1] and path_choices(graph, worst) == [2]


def test_node_lines_find_nodes_even_in_a_file_that_does_not_validate() -> None:
    text = EXAMPLE.read_text(encoding="utf-8").replace("pass_mark: 60", "pass_mark: high")
    lines = node_lines(text)
    assert [node for _, node in lines][:3] == ["opening", "silence", "blame"]
    opening, silence = lines[0][0], lines[1][0]
    assert text.splitlines()[opening - 1].strip() == "- id: opening"
    assert node_at_line(lines, opening + 3) == "opening"
    assert node_at_line(lines, silence) == "silence"
    assert node_at_line(lines, 2) is None
    assert node_lines("nodes: [unclosed") == []


def test_play_can_start_at_any_node_with_a_mood_and_flags(tmp_path: Path) -> None:
    entry = _playable(tmp_path)
    scenario = entry.scenario  # type: ignore[attr-defined]
    story = Story(scenario, start_at="check", mood=1, flags=["kind", "kind"])
    assert story.state.flags == ["kind"]
    assert story.state.node_id == "good" and story.finished  # the route read both
    assert Story(scenario, start_at="check", mood=-1, flags=["kind"]).state.node_id == "bad"
    assert Story(scenario, start_at="check", mood=1).state.node_id == "bad"
    session = Session(scenario, entry.rubric, entry.analysis, start_at="hello", mood=-4, flags=["vip"])  # type: ignore[attr-defined]
    assert session.state.node_id == "hello" and session.state.mood == -4 and session.state.flags == ["vip"]
    assert session.state.start_node == "hello"


def test_cli_graph_writes_dot_and_mermaid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "g.dot"
    assert cli_main(["graph", str(EXAMPLE), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith('digraph "late-parcel" {')
    mmd = tmp_path / "g.mmd"
    assert cli_main(["graph", str(EXAMPLE), "-o", str(mmd)]) == 0
    assert mmd.read_text(encoding="utf-8").splitlines()[1] == "flowchart LR"
    capsys.readouterr()
    assert cli_main(["graph", str(EXAMPLE)]) == 0
    assert capsys.readouterr().out.startswith('digraph "late-parcel" {')
    assert cli_main(["graph", str(EXAMPLE), "-o", str(tmp_path / "g.png")]) == 2
    assert "end the name in .dot, .mmd or .svg" in capsys.readouterr().err


def test_cli_graph_svg_without_graphviz_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    out = tmp_path / "g.svg"
    assert cli_main(["graph", str(EXAMPLE), "-o", str(out)]) == 1
    assert "SVG needs Graphviz" in capsys.readouterr().err
    assert not out.exists()


def test_cli_graph_svg_with_graphviz(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in 'dot' that answers like Graphviz, so the SVG path is tested without Graphviz installed.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text('#!/bin/sh\n[ "$1" = "-Tsvg" ] || exit 3\nwhile read -r _; do :; done\necho "<svg>drawn</svg>"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "g.svg"
    assert cli_main(["graph", str(EXAMPLE), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").strip() == "<svg>drawn</svg>"


def test_cli_graph_of_a_broken_file_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL.replace("pass_mark: 50", "pass_mark: high"), encoding="utf-8")
    assert cli_main(["graph", str(broken), "-o", str(tmp_path / "b.dot")]) == 1
    assert "pass_mark" in capsys.readouterr().err
    assert not (tmp_path / "b.dot").exists()
