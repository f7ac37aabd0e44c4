"""Load + validate + lint + analyse one generated scenario, against the C parser's event stream over the same text.

The baseline is the least any loader of this text must do: libyaml's parser (``yaml.parse`` with the C
loader) drained of every event, in the same process, interleaved with ours. Two rows: the ratio at
5,000 nodes (target 3x or less), and whether the cost grows linearly from 500 to 10,000 nodes (the
exponent of a least-squares fit of log time on log nodes; 1.0 is linear; target: at most 0.1 above the
C parser's own exponent, measured in the same run).
"""

from __future__ import annotations

import math
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from benchmarks.common import Row, interleave, median, print_rows, ratio_row, spread, timed  # noqa: E402
from simulator.core.loader import load_scenario  # noqa: E402

NODES = 5_000
SIZES = (500, 1_000, 2_500, 5_000, 10_000)
RUNS = 7
SIZE_RUNS = 5
TARGET = 3.0
# Linear means growing no faster than the C parser, which is linear by construction: on a quiet machine
# its exponent is 1.0, and a busy one bends both curves alike (it measured 1.1 to 1.3 while others ran).
LINEAR_MARGIN = 0.1
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


class Pair:
    """The baseline and our loader over one generated file."""

    def __init__(self, folder: Path, nodes: int) -> None:
        self.path = folder / f"bench-{nodes}.yaml"
        self.path.write_text(generate(nodes), encoding="utf-8")
        self.nodes = nodes

    def baseline(self) -> None:
        text = self.path.read_text(encoding="utf-8")
        for _ in yaml.parse(text, Loader=yaml.CSafeLoader):
            pass

    def ours(self) -> None:
        loaded = load_scenario(self.path)
        if not loaded.ok:
            raise RuntimeError(f"the generated scenario does not load: {loaded.diagnostics[:3]}")


def exponent(sizes: list[int], seconds: list[float]) -> float:
    """The slope of log(seconds) on log(nodes): 1.0 when the cost is proportional to the size."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(s) for s in seconds]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)


def rows(runs: int = RUNS, size_runs: int = SIZE_RUNS) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        pairs = {n: Pair(Path(tmp), n) for n in SIZES}
        main_pair = pairs[NODES]
        base, ours = interleave(timed(main_pair.baseline), timed(main_pair.ours), runs)
        size_mb = main_pair.path.stat().st_size / 1e6
        ratio = ratio_row(
            f"load + validate + lint + analyse one {NODES:,}-node file ({size_mb:.1f} MB)",
            "the C parser's event stream over the same text",
            base,
            ours,
            TARGET,
        )
        per_node: dict[int, tuple[float, float]] = {}
        for n, pair in pairs.items():
            b, o = interleave(timed(pair.baseline), timed(pair.ours), size_runs)
            per_node[n] = (median(b), median(o))
    sizes = sorted(per_node)
    ours_exp = exponent(sizes, [per_node[n][1] for n in sizes])
    base_exp = exponent(sizes, [per_node[n][0] for n in sizes])
    per_node_us = ", ".join(f"{n:,}: {per_node[n][1] / n * 1e6:.0f}" for n in sizes)
    linear = Row(
        measure="the same, growth from 500 to 10,000 nodes (fitted exponent of time on nodes)",
        baseline="the C parser's exponent",
        baseline_value=base_exp,
        value=ours_exp,
        unit="",
        target=f"linear: an exponent at most {LINEAR_MARGIN:g} above the C parser's",
        met=ours_exp <= base_exp + LINEAR_MARGIN,
        spread=f"microseconds per node, ours: {per_node_us}; medians of {size_runs} runs",
        extra={f"ours_s_{n}": per_node[n][1] for n in sizes} | {f"baseline_s_{n}": per_node[n][0] for n in sizes},
    )
    ratio.extra = {"baseline_ms": median(base) * 1000, "ours_ms": median(ours) * 1000}
    ratio.spread = f"baseline {spread(base, 'ms', 1000)}; ours {spread(ours, 'ms', 1000)}"
    return [ratio, linear]


def main() -> None:
    print_rows(rows())


if __name__ == "__main__":
    main()
