"""Benchmark: load + validate + analyse a generated 5,000-node scenario, as a ratio to a bare C yaml.load.

Both are timed in the same process, interleaved, best of several runs, so the ratio holds on a noisy
machine. Target: 3x or less.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import yaml

from simulator.core import load_scenario

NODES = 5_000
RUNS = 5
TARGET = 3.0
TRAITS = ["empathy", "active_listening", "patience", "clear_communication", "ownership", "memory"]


def generate(nodes: int = NODES) -> str:
    """A layered scenario: every node offers three replies into the next layer, the last layer ends."""
    lines = [
        "format: 1",
        "id: bench",
        "title: Benchmark",
        "summary: A generated scenario for timing the loader.",
        "persona: {name: Bench Mark, kind: angry}",
        "setting: Nowhere",
        "difficulty: hard",
        "minutes: 60",
        "focus: [empathy]",
        "briefing: Generated.",
        "pass_mark: 50",
        "nodes:",
    ]
    width = 50
    endings = 3
    for i in range(nodes - endings):
        layer_next = min(((i // width) + 1) * width, nodes - endings)
        lines += [
            f"  - id: n{i}",
            f'    customer: "Customer line number {i}, with a few more words to read."',
            "    replies:",
        ]
        for r in range(3):
            target = layer_next + (i + r) % width
            target_id = f"n{target}" if target < nodes - endings else f"end{(i + r) % endings}"
            a, b = TRAITS[(i + r) % len(TRAITS)], TRAITS[(i + r + 1) % len(TRAITS)]
            lines += [
                f'      - text: "Reply {r} at node {i}"',
                f"        to: {target_id}",
                f"        traits: {{{a}: {r - 1 or 1}, {b}: {1 - r or -1}}}",
                f'        why: "Reason {r}."',
            ]
    for e in range(endings):
        lines += [f"  - id: end{e}", f"    ending: {{outcome: outcome{e}, summary: Done.}}"]
    return "\n".join(lines) + "\n"


def best_of(fn, runs: int = RUNS) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.yaml"
        path.write_text(generate(), encoding="utf-8")
        size = path.stat().st_size

        def bare() -> None:
            with path.open("rb") as f:
                yaml.load(f, Loader=yaml.CSafeLoader)

        def ours() -> None:
            loaded = load_scenario(path)
            assert loaded.ok, loaded.diagnostics[:3]

        ours()  # warm caches (the rubric, imports) once, outside the timing
        bare_t = min(best_of(bare), best_of(bare))
        ours_t = best_of(ours)
        ratio = ours_t / bare_t
        print(f"{NODES} nodes, {size / 1e6:.1f} MB")
        print(f"bare yaml.load (C): {bare_t * 1000:.0f} ms")
        print(f"frontline load + validate + lint + analyse: {ours_t * 1000:.0f} ms")
        print(f"ratio: {ratio:.2f}x (target {TARGET:.1f}x or less) {'OK' if ratio <= TARGET else 'OVER TARGET'}")
        return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
