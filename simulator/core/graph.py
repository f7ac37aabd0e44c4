"""A scenario's branch graph as plain data: nodes, labelled edges, a layered layout, extreme paths, exports.

The author window draws exactly these nodes and edges, and ``frontline graph`` writes them as
Graphviz DOT or Mermaid text, so the picture in the app and the exported one always agree.

Paths are taken over the graph as :mod:`analysis` takes them: loop-free, every condition assumed
possible, a loop cut at the edge that returns to a node already on the path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from .analysis import TIMEOUT_CHOICE, Analysis, Choice, extreme_edges
from .models import Node, Scenario
from .safe_yaml import LocDict, LocList, load_yaml

NodeKind = Literal["replies", "routes", "ending"]
OVERALL = ""  # the "trait" that means every trait together, weighted as the overall score weighs them
SNIPPET_CHARS = 60

# Fill colours shared by the app and the exports: a node's kind, and an ending's outcome.
KIND_COLOURS: dict[str, str] = {"replies": "#dbe8fb", "routes": "#e8def8"}
OUTCOME_COLOURS: dict[str, str] = {"resolved": "#c8e6c9", "escalated": "#ffe0b2", "customer_lost": "#ffcdd2"}
OTHER_OUTCOME_COLOUR = "#b2dfdb"  # an outcome of the author's own (partial_refund)
BEST_COLOUR = "#2e7d32"
WORST_COLOUR = "#c62828"


@dataclass(frozen=True)
class GraphNode:
    id: str
    kind: NodeKind
    outcome: str | None  # the ending's outcome; None unless kind == "ending"
    snippet: str  # the start of what the customer says (or the narration), on one line
    layer: int  # column of the layered layout: steps from the start (unreachable nodes after the last)
    row: int  # place within its column
    reachable: bool
    is_start: bool

    @property
    def colour(self) -> str:
        if self.kind == "ending":
            return OUTCOME_COLOURS.get(self.outcome or "", OTHER_OUTCOME_COLOUR)
        return KIND_COLOURS[self.kind]


@dataclass(frozen=True)
class GraphEdge:
    source: str
    target: str
    choice: Choice | None  # the reply's 1-based number in file order, "t" for the timeout, None for a route
    deltas: dict[str, int]
    condition: str | None = None

    @property
    def label(self) -> str:
        """'2: empathy +2, ownership -1', 'timeout: patience -1', or a route's condition ('if mood >= 0')."""
        if self.choice is None:
            return f"if {self.condition}" if self.condition else "otherwise"
        name = "timeout" if self.choice == TIMEOUT_CHOICE else str(self.choice)
        effects = ", ".join(f"{trait} {delta:+d}" for trait, delta in self.deltas.items() if delta)
        return f"{name}: {effects}" if effects else name


@dataclass
class ScenarioGraph:
    scenario_id: str
    title: str
    start: str
    nodes: list[GraphNode]
    edges: list[GraphEdge]  # edges to nodes that do not exist are left out (lint reports them)
    layers: int
    _by_id: dict[str, GraphNode] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {n.id: n for n in self.nodes}

    def node(self, node_id: str) -> GraphNode:
        return self._by_id[node_id]

    def has_node(self, node_id: str) -> bool:
        return node_id in self._by_id

    def out_edges(self) -> dict[str, list[int]]:
        """Each node's outgoing edges, as indexes into ``edges``, in file order."""
        out: dict[str, list[int]] = {n.id: [] for n in self.nodes}
        for index, edge in enumerate(self.edges):
            out[edge.source].append(index)
        return out

    @property
    def traits(self) -> list[str]:
        """Every trait some edge scores, sorted."""
        return sorted({t for e in self.edges for t, d in e.deltas.items() if d})


def _snippet(node: Node) -> str:
    text = " ".join((node.customer or node.narration or "").split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _kind(node: Node) -> NodeKind:
    if node.ending is not None:
        return "ending"
    return "routes" if node.routes is not None else "replies"


def _edges_of(node: Node) -> Iterator[GraphEdge]:
    if node.replies is not None:
        for number, reply in enumerate(node.replies, start=1):
            yield GraphEdge(node.id, reply.to, number, dict(reply.traits), reply.condition)
        if node.timeout is not None:
            yield GraphEdge(node.id, node.timeout.to, TIMEOUT_CHOICE, dict(node.timeout.traits))
    elif node.routes is not None:
        for route in node.routes:
            yield GraphEdge(node.id, route.to, None, {}, route.condition)


def build_graph(scenario: Scenario) -> ScenarioGraph:
    """Nodes and edges of a scenario, laid out in columns by their distance from the start."""
    nodes: list[Node] = []
    seen: set[str] = set()
    for node in scenario.nodes:
        if node.id not in seen:  # a duplicate id is a lint error; the first one counts, as in play
            seen.add(node.id)
            nodes.append(node)
    edges = [e for n in nodes for e in _edges_of(n) if e.target in seen]
    start = scenario.start_id
    layer_of = _layers(start, [n.id for n in nodes], edges)
    rows = _rows(layer_of, edges, [n.id for n in nodes])
    last = max(layer_of.values(), default=-1)
    reachable = {n for n, layer in layer_of.items() if layer >= 0}
    unreachable_layer = last + 1
    graph_nodes = [
        GraphNode(
            id=n.id,
            kind=_kind(n),
            outcome=n.ending.outcome if n.ending is not None else None,
            snippet=_snippet(n),
            layer=layer_of[n.id] if n.id in reachable else unreachable_layer,
            row=rows[n.id],
            reachable=n.id in reachable,
            is_start=n.id == start,
        )
        for n in nodes
    ]
    layers = last + (2 if len(reachable) < len(nodes) else 1)
    return ScenarioGraph(scenario.id, scenario.title, start, graph_nodes, edges, layers)


def _layers(start: str, ids: list[str], edges: list[GraphEdge]) -> dict[str, int]:
    """Breadth-first distance from the start; -1 for a node the start never leads to."""
    out: dict[str, list[str]] = {i: [] for i in ids}
    for edge in edges:
        out[edge.source].append(edge.target)
    layer = dict.fromkeys(ids, -1)
    if start not in layer:
        return layer
    layer[start] = 0
    frontier = [start]
    while frontier:
        following: list[str] = []
        for node_id in frontier:
            for target in out[node_id]:
                if layer[target] < 0:
                    layer[target] = layer[node_id] + 1
                    following.append(target)
        frontier = following
    return layer


def _rows(layer_of: dict[str, int], edges: list[GraphEdge], ids: list[str]) -> dict[str, int]:
    """Order each column by the mean row of the nodes that lead into it (fewer crossings), then file order."""
    columns: dict[int, list[str]] = {}
    for node_id in ids:
        columns.setdefault(layer_of[node_id], []).append(node_id)
    parents: dict[str, list[str]] = {i: [] for i in ids}
    for edge in edges:
        if layer_of[edge.source] >= 0 and layer_of[edge.source] < layer_of[edge.target]:
            parents[edge.target].append(edge.source)
    row: dict[str, int] = {}
    order = {node_id: i for i, node_id in enumerate(ids)}
    for layer in sorted(columns):
        members = columns[layer]
        if layer > 0:

            def weight(node_id: str) -> tuple[float, int]:
                placed = [row[p] for p in parents[node_id] if p in row]
                return (sum(placed) / len(placed) if placed else float("inf"), order[node_id])

            members = sorted(members, key=weight)
        for index, node_id in enumerate(members):
            row[node_id] = index
    return row


# ---- extreme paths -------------------------------------------------------------------------------
def extreme_path(
    graph: ScenarioGraph, score: Callable[[GraphEdge], float], *, maximise: bool, start: str | None = None
) -> list[int]:
    """The edges (indexes into ``graph.edges``) of the loop-free path from ``start`` to an ending whose edges
    score most (or least) in total; [] when no ending can be reached. Ties go to the earlier edge in the file."""
    out = graph.out_edges()
    origin = graph.start if start is None else start
    if origin not in out:
        return []
    order, forward = _postorder(graph, out, origin)
    return extreme_edges(
        order,
        forward,
        origin,
        is_ending=lambda node_id: graph.node(node_id).kind == "ending",
        target=lambda index: graph.edges[index].target,
        score=lambda index: score(graph.edges[index]),
        maximise=maximise,
    )


def _postorder(graph: ScenarioGraph, out: dict[str, list[int]], start: str) -> tuple[list[str], dict[str, list[int]]]:
    """Iterative depth-first search: nodes in post-order and each node's edges without those closing a loop."""
    order: list[str] = []
    forward: dict[str, list[int]] = {start: []}
    on_path = {start}
    visited = {start}
    stack: list[tuple[str, Iterator[int]]] = [(start, iter(out[start]))]
    while stack:
        node_id, edges = stack[-1]
        for index in edges:
            target = graph.edges[index].target
            if target in on_path:
                continue
            forward[node_id].append(index)
            if target not in visited:
                visited.add(target)
                on_path.add(target)
                forward[target] = []
                stack.append((target, iter(out[target])))
                break
        else:
            stack.pop()
            on_path.discard(node_id)
            order.append(node_id)
    return order, forward


def trait_score(graph: ScenarioGraph, analysis: Analysis | None, trait: str) -> Callable[[GraphEdge], float]:
    """How an edge counts towards ``trait``, or towards the overall score when ``trait`` is OVERALL."""
    if trait != OVERALL:
        return lambda edge: float(edge.deltas.get(trait, 0))
    if analysis is not None:
        return lambda edge: analysis.weighted(edge.deltas)
    return lambda edge: float(sum(edge.deltas.values()))


def best_and_worst(
    graph: ScenarioGraph, analysis: Analysis | None, trait: str = OVERALL, start: str | None = None
) -> tuple[list[int], list[int]]:
    """The best and the worst path's edges for one trait (or overall), from the start or from ``start``."""
    score = trait_score(graph, analysis, trait)
    return (
        extreme_path(graph, score, maximise=True, start=start),
        extreme_path(graph, score, maximise=False, start=start),
    )


def path_choices(graph: ScenarioGraph, path: Iterable[int]) -> list[Choice]:
    """The reply numbers (and 't') along a path of edges, as ``frontline replay --choices`` takes them."""
    return [c for c in (graph.edges[i].choice for i in path) if c is not None]


# ---- where each node stands in the file ----------------------------------------------------------
def node_lines(text: str) -> list[tuple[int, str]]:
    """(first line, id) of each node in a scenario's YAML text, in file order; [] when it cannot be read.

    Works on a file that does not validate, so the author window can tie a diagnostic to its node.
    """
    result = load_yaml(text, "<scenario>")
    data: Any = result.data
    if not isinstance(data, LocDict):
        return []
    nodes = data.get("nodes")
    if not isinstance(nodes, LocList):
        return []
    found: list[tuple[int, str]] = []
    for position, raw in zip(nodes.item_pos, nodes, strict=True):
        node_id = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(node_id, str):
            found.append((position[0], node_id))
    return found


def node_at_line(lines: list[tuple[int, str]], line: int) -> str | None:
    """The id of the node whose text holds ``line``, or None for a line before the first node."""
    found: str | None = None
    for first, node_id in lines:
        if first > line:
            break
        found = node_id
    return found


# ---- exports -------------------------------------------------------------------------------------
def _dot_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(graph: ScenarioGraph) -> str:
    """Graphviz DOT: boxes coloured by kind and outcome, edges labelled with reply number and trait deltas."""
    lines = [
        f"digraph {_dot_string(graph.scenario_id)} {{",
        f"  label={_dot_string(graph.title)};",
        "  labelloc=t;",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ]
    for node in graph.nodes:
        text = node.id if not node.snippet else f"{node.id}\n{node.snippet}"
        if node.kind == "ending":
            text += f"\n[{node.outcome}]"
        styles = (
            ["rounded", "filled"] + (["bold"] if node.kind == "ending" else []) + ([] if node.reachable else ["dashed"])
        )
        attrs = [f"label={_dot_string(text)}", f'fillcolor="{node.colour}"', f'style="{",".join(styles)}"']
        if node.kind == "routes":
            attrs.append("shape=diamond")
        if node.is_start:
            attrs.append("penwidth=2")
        lines.append(f"  {_dot_string(node.id)} [{', '.join(attrs)}];")
    for edge in graph.edges:
        attrs = [f"label={_dot_string(edge.label)}"]
        if edge.choice is None or edge.choice == TIMEOUT_CHOICE:
            attrs.append("style=dashed")
        lines.append(f"  {_dot_string(edge.source)} -> {_dot_string(edge.target)} [{', '.join(attrs)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_MERMAID_ESCAPES = {'"': "#quot;", "<": "#lt;", ">": "#gt;", "#": "#35;", "|": "#124;", "`": "#96;"}
_MERMAID_UNSAFE = re.compile(r'["<>#|`]')


def _mermaid_text(text: str) -> str:
    one_line = " ".join(text.split())
    return '"' + _MERMAID_UNSAFE.sub(lambda m: _MERMAID_ESCAPES[m.group(0)], one_line) + '"'


def _mermaid_class(node: GraphNode) -> str:
    if node.kind != "ending":
        return node.kind
    return f"outcome_{node.outcome}" if node.outcome in OUTCOME_COLOURS else "outcome_other"


def to_mermaid(graph: ScenarioGraph) -> str:
    """A Mermaid flowchart. Node ids become n0, n1, ... (an id such as 'end' would break Mermaid's syntax);
    the node's own id leads its label."""
    short = {node.id: f"n{i}" for i, node in enumerate(graph.nodes)}
    lines = [f"%% {' '.join(graph.title.split())} ({graph.scenario_id})", "flowchart LR"]
    for node in graph.nodes:
        text = node.id if not node.snippet else f"{node.id}: {node.snippet}"
        if node.kind == "ending":
            text += f" [{node.outcome}]"
            shape = f"([{_mermaid_text(text)}])"
        elif node.kind == "routes":
            shape = f"{{{_mermaid_text(text)}}}"
        else:
            shape = f"[{_mermaid_text(text)}]"
        lines.append(f"  {short[node.id]}{shape}")
    for edge in graph.edges:
        arrow = "-.->" if edge.choice is None or edge.choice == TIMEOUT_CHOICE else "-->"
        lines.append(f"  {short[edge.source]} {arrow}|{_mermaid_text(edge.label)}| {short[edge.target]}")
    classes: dict[str, list[str]] = {}
    for node in graph.nodes:
        classes.setdefault(_mermaid_class(node), []).append(short[node.id])
    fills = {**KIND_COLOURS, **{f"outcome_{k}": v for k, v in OUTCOME_COLOURS.items()}}
    fills["outcome_other"] = OTHER_OUTCOME_COLOUR
    for name in sorted(classes):
        lines.append(f"  classDef {name} fill:{fills[name]},stroke:#555")
        lines.append(f"  class {','.join(classes[name])} {name}")
    unreachable = [short[n.id] for n in graph.nodes if not n.reachable]
    if unreachable:
        lines.append("  classDef unreachable stroke-dasharray:4 3")
        lines.append(f"  class {','.join(unreachable)} unreachable")
    start = short.get(graph.start)
    if start is not None:
        lines.append(f"  style {start} stroke-width:3px")
    return "\n".join(lines) + "\n"


GRAPH_FORMATS: dict[str, Callable[[ScenarioGraph], str]] = {"dot": to_dot, "mermaid": to_mermaid}
