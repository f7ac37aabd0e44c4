"""`frontline stats` always answers: hostile but lint-clean scenarios (loops, `visits.` and `score.` conditions,
200 nodes) get an exact answer or an honest bound within the budget, under a memory cap, never a traceback."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.core import lint_paths

BUDGET = 3.0
SLACK = 20.0  # a generous hard upper bound: loading, replays and a slow machine
MEMORY_CAP = 700 * 1024 * 1024  # address space; resident memory must stay under 500 MB
RSS_LIMIT_KB = 500 * 1024


def hostile(n: int, kind: str) -> str:
    """``n`` nodes: a chain of n-2 conversation nodes, each with a reply back round a loop, and two endings."""
    body = n - 2
    lines = [
        "format: 1",
        f"id: hostile-{kind}-{n}",
        f"title: Hostile {kind} {n}",
        "summary: Generated.",
        "persona: {name: Sam Lee, kind: angry}",
        "setting: Phone support",
        "difficulty: hard",
        "minutes: 5",
        "focus: [empathy]",
        "briefing: Be kind.",
        "pass_mark: 50",
        "nodes:",
    ]
    for i in range(body):
        nxt = f"n{i + 1}" if i + 1 < body else "win"
        lines += [f"  - id: n{i}", f'    customer: "Step {i}?"', "    replies:"]
        lines += [f'      - text: "Forward {i}."', f"        to: {nxt}", "        traits: {empathy: 2}"]
        lines += [f"        set: [f{i}]", "        why: Good."]
        if kind == "visits":
            cond = f"visits.n{i} < 4"
        elif kind == "score":
            cond = f"score.empathy >= {i % 7} and score.ownership < {i % 5 + 1}"
        else:
            cond = f"f{max(0, i - 1)} or mood > -3"
        lines += [f'      - text: "Back {i}."', f"        to: n{max(0, i - 3)}", f'        if: "{cond}"']
        lines += ["        traits: {empathy: -1, ownership: 1}", "        mood: -1", "        why: Loops."]
        if kind == "score":
            lines += [f'      - text: "Down {i}."', f"        to: n{max(0, i - 1)}"]
            lines += ["        traits: {ownership: -1, empathy: 1, patience: 1}", "        mood: 1"]
            lines += ["        why: Loops down."]
        lines += [f'      - text: "Leave {i}."', "        to: lose", "        traits: {empathy: -2, timeliness: 1}"]
        lines += ["        why: Bad."]
    lines += ["  - id: win", "    ending: {outcome: resolved, summary: Sorted.}"]
    lines += ["  - id: lose", "    ending: {outcome: customer_lost, summary: Gone.}"]
    return "\n".join(lines) + "\n"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def _stats(path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "simulator.cli.main", "stats", str(path), "--budget", str(BUDGET), *extra]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=2 * BUDGET + SLACK, preexec_fn=_cap_memory, check=False
    )


# (nodes, kind, whether the whole state space fits the budget)
CASES = [(13, "visits", False), (20, "flags", True), (200, "flags", True), (50, "score", False), (200, "visits", False)]


@pytest.mark.parametrize(("nodes", "kind", "exact"), CASES, ids=lambda c: str(c))
def test_stats_answers_exact_or_says_it_is_a_bound(tmp_path: Path, nodes: int, kind: str, exact: bool) -> None:
    path = tmp_path / f"{kind}-{nodes}.yaml"
    path.write_text(hostile(nodes, kind), encoding="utf-8")
    assert lint_paths([path]) == []  # lint-clean, warnings included
    done = _stats(path, "--json")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < RSS_LIMIT_KB
    data = json.loads(done.stdout)
    assert data["exact"] is exact and data["exhaustive"] is exact
    assert data["best_path"] and data["worst_path"]
    if exact:
        assert data["bound"] is None
    else:
        assert data["bound"]["best_overall"] == "at least" and data["bound"]["worst_overall"] == "at most"
        assert data["bound"]["reason"]
    if data["paths_unlimited"]:
        assert data["paths"] is None
    else:
        assert isinstance(data["paths"], int) and data["paths"] > 0


def test_a_bound_says_so_in_text(tmp_path: Path) -> None:
    path = tmp_path / "visits-13.yaml"
    path.write_text(hostile(13, "visits"), encoding="utf-8")
    done = _stats(path)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "a bound, not exact" in done.stdout and "at least" in done.stdout
    assert "static analysis" not in done.stdout


def test_a_loop_that_can_finish_means_unlimited_paths(tmp_path: Path) -> None:
    path = tmp_path / "flags-20.yaml"
    path.write_text(hostile(20, "flags"), encoding="utf-8")
    done = _stats(path)
    assert done.returncode == 0 and "unlimited complete paths" in done.stdout
    assert "a bound, not exact" not in done.stdout


def test_a_budget_must_be_positive(tmp_path: Path) -> None:
    path = tmp_path / "flags-20.yaml"
    path.write_text(hostile(20, "flags"), encoding="utf-8")
    done = _stats(path, "--budget", "0")
    assert done.returncode == 2 and "--budget" in done.stderr and "Traceback" not in done.stderr
