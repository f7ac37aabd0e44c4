"""Static analysis of a scenario's branch graph: reachability, traps and score bounds.

Bounds are taken over complete loop-free paths from the start to an ending, with every
condition assumed satisfiable (so they are the widest the scenario could reach). Loops are
cut at their back edge, the edge that returns to a node already on the path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from operator import add
from typing import TypeVar

from .models import Node, Scenario

Choice = int | str  # a 1-based reply number, or "t" for letting the time run out
TIMEOUT_CHOICE = "t"
E = TypeVar("E")


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    deltas: dict[str, int]
    choice: Choice | None  # None for an automatic route


def edges_of(node: Node) -> Iterator[Edge]:
    if node.replies is not None:
        for number, reply in enumerate(node.replies, start=1):
            yield Edge(node.id, reply.to, dict(reply.traits), number)
        if node.timeout is not None:
            yield Edge(node.id, node.timeout.to, dict(node.timeout.traits), TIMEOUT_CHOICE)
    elif node.routes is not None:
        for route in node.routes:
            yield Edge(node.id, route.to, {}, None)


@dataclass(frozen=True)
class Bounds:
    worst: int
    best: int

    @property
    def span(self) -> int:
        return self.best - self.worst


@dataclass
class Analysis:
    start: str
    reachable: set[str]
    can_finish: set[str]
    trait_bounds: dict[str, Bounds]
    scored_traits: set[str]
    path_count: int
    best_path: list[Choice]
    worst_path: list[Choice]
    endings: list[str] = field(default_factory=list)

    def weight(self, trait: str) -> float:
        """How much one point of a trait moves the overall score, so traits count equally."""
        bounds = self.trait_bounds.get(trait)
        return 1.0 / bounds.span if bounds is not None and bounds.span > 0 else 0.0

    def weighted(self, deltas: dict[str, int]) -> float:
        return sum(self.weight(t) * d for t, d in deltas.items())


def _graph(scenario: Scenario) -> dict[str, list[Edge]]:
    graph: dict[str, list[Edge]] = {}
    for node in scenario.nodes:
        if node.id not in graph:  # a duplicate id is a lint error; the first one counts
            graph[node.id] = [e for e in edges_of(node) if scenario.has_node(e.target)]
    return graph


def _reachable(graph: dict[str, list[Edge]], start: str) -> set[str]:
    seen = {start} if start in graph else set()
    todo = list(seen)
    while todo:
        for edge in graph[todo.pop()]:
            if edge.target not in seen:
                seen.add(edge.target)
                todo.append(edge.target)
    return seen


def _can_finish(graph: dict[str, list[Edge]], endings: set[str]) -> set[str]:
    reverse: dict[str, list[str]] = {n: [] for n in graph}
    for source, edges in graph.items():
        for edge in edges:
            reverse[edge.target].append(source)
    done = set(endings)
    todo = list(endings)
    while todo:
        for source in reverse[todo.pop()]:
            if source not in done:
                done.add(source)
                todo.append(source)
    return done


def _postorder_without_back_edges(graph: dict[str, list[Edge]], start: str) -> tuple[list[str], dict[str, list[Edge]]]:
    """Iterative DFS: nodes in post-order, and each node's edges minus those that close a loop."""
    order: list[str] = []
    forward: dict[str, list[Edge]] = {}
    on_path: set[str] = set()
    visited: set[str] = set()
    if start not in graph:
        return order, forward
    stack: list[tuple[str, Iterator[Edge]]] = [(start, iter(graph[start]))]
    visited.add(start)
    on_path.add(start)
    forward[start] = []
    while stack:
        node_id, it = stack[-1]
        for edge in it:
            if edge.target in on_path:
                continue  # back edge: cutting it keeps every path finite
            forward[node_id].append(edge)
            if edge.target not in visited:
                visited.add(edge.target)
                on_path.add(edge.target)
                forward[edge.target] = []
                stack.append((edge.target, iter(graph[edge.target])))
                break
        else:
            stack.pop()
            on_path.discard(node_id)
            order.append(node_id)
    return order, forward


def analyse(scenario: Scenario) -> Analysis:
    graph = _graph(scenario)
    start = scenario.start_id
    endings = {n.id for n in scenario.nodes if n.is_ending}
    reachable = _reachable(graph, start)
    can_finish = _can_finish(graph, endings)
    order, forward = _postorder_without_back_edges(graph, start)

    scored = sorted({t for n in order for e in graph[n] for t, d in e.deltas.items() if d != 0})
    # Bounds as vectors in `scored` order: a node's are the element-wise max (min) over its edges of the
    # edge's deltas plus the target's, added and compared by map() rather than one trait at a time.
    best: dict[str, tuple[int, ...]] = {}
    worst: dict[str, tuple[int, ...]] = {}
    count: dict[str, int] = {}
    zero = (0,) * len(scored)
    for node_id in order:
        if node_id in endings:
            best[node_id] = worst[node_id] = zero
            count[node_id] = 1
            continue
        live = [e for e in forward[node_id] if e.target in best]
        count[node_id] = sum(count[e.target] for e in live)
        if not live:
            continue
        ups: list[tuple[int, ...]] = []
        downs: list[tuple[int, ...]] = []
        for e in live:
            vector = [e.deltas.get(t, 0) for t in scored]
            ups.append(tuple(map(add, vector, best[e.target])))
            downs.append(tuple(map(add, vector, worst[e.target])))
        best[node_id] = tuple(map(max, *ups)) if len(ups) > 1 else ups[0]
        worst[node_id] = tuple(map(min, *downs)) if len(downs) > 1 else downs[0]

    if start in best:
        trait_bounds = {t: Bounds(worst[start][i], best[start][i]) for i, t in enumerate(scored)}
    else:
        trait_bounds = {}
    analysis = Analysis(
        start=start,
        reachable=reachable,
        can_finish=can_finish,
        trait_bounds=trait_bounds,
        scored_traits=set(scored),
        path_count=count.get(start, 0),
        best_path=[],
        worst_path=[],
        endings=sorted(endings),
    )
    analysis.best_path = _extreme_path(analysis, order, forward, endings, start, maximise=True)
    analysis.worst_path = _extreme_path(analysis, order, forward, endings, start, maximise=False)
    return analysis


def _extreme_path(
    analysis: Analysis,
    order: list[str],
    forward: dict[str, list[Edge]],
    endings: set[str],
    start: str,
    maximise: bool,
) -> list[Choice]:
    # The weights once, not per edge: the same products summed in the same order as Analysis.weighted.
    weights = {t: analysis.weight(t) for t in analysis.trait_bounds}

    def score(edge: Edge) -> float:
        return sum(weights.get(t, 0.0) * d for t, d in edge.deltas.items())

    edges = extreme_edges(
        order,
        forward,
        start,
        is_ending=endings.__contains__,
        target=lambda edge: edge.target,
        score=score,
        maximise=maximise,
    )
    return [edge.choice for edge in edges if edge.choice is not None]


def extreme_edges(
    order: Sequence[str],
    forward: Mapping[str, Sequence[E]],
    start: str,
    *,
    is_ending: Callable[[str], bool],
    target: Callable[[E], str],
    score: Callable[[E], float],
    maximise: bool,
) -> list[E]:
    """The edges of the path from ``start`` to an ending whose edges score most (or least) in total.

    ``order`` lists nodes children first and ``forward`` gives each node's edges without those that
    close a loop, so one pass settles every node; ties go to the earlier edge. [] when no ending is
    reached. The analysis (choices) and the author graph (edge indexes) both use it.
    """
    value: dict[str, float] = {}
    pick: dict[str, E] = {}
    sign = 1.0 if maximise else -1.0
    for node_id in order:
        if is_ending(node_id):
            value[node_id] = 0.0
            continue
        for edge in forward.get(node_id, ()):
            to = target(edge)
            if to not in value:
                continue
            candidate = sign * score(edge) + value[to]
            if node_id not in value or candidate > value[node_id] + 1e-12:
                value[node_id] = candidate
                pick[node_id] = edge
    path: list[E] = []
    node_id = start
    while node_id in pick:
        path.append(pick[node_id])
        node_id = target(pick[node_id])
    return path
