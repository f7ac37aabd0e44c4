"""`frontline lint --explore N`: play N random paths with the real engine and report any that fail.

A random play picks, at each step, one of the replies on offer (or lets the time run out where the
node has a timeout), as a trainee clicking at random would. A play fails when the engine stops it
(no reply or route applies, routing goes round without end, a target is missing) or when it goes on
for ``max_steps`` steps without reaching an ending. Plays are drawn from ``seed``, so a run repeats
exactly; each distinct problem is reported once, with the first path that met it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .analysis import TIMEOUT_CHOICE, Choice
from .engine import Story
from .errors import StoryError
from .models import Scenario

MIN_STEPS = 1_000


@dataclass(frozen=True)
class PlayProblem:
    node_id: str  # where the play stopped, or a node of the loop it could not leave
    message: str
    fix: str


def _path(choices: list[Choice]) -> str:
    if not choices:
        return "no choices"
    shown = ",".join(str(c) for c in choices[:30])
    return f"choices {shown}" + (f",... ({len(choices)} in all)" if len(choices) > 30 else "")


def random_plays(scenario: Scenario, plays: int, seed: int = 0, max_steps: int | None = None) -> list[PlayProblem]:
    """The problems ``plays`` random plays meet, each distinct one once (choices are in the file's order)."""
    limit = max_steps if max_steps is not None else max(MIN_STEPS, 4 * len(scenario.nodes))
    problems: dict[tuple[str, str], PlayProblem] = {}
    for number in range(1, plays + 1):
        rng = random.Random(f"{seed}:{number}")
        choices: list[Choice] = []
        trail: list[str] = []
        story: Story | None = None
        where = scenario.start_id
        try:
            story = Story(scenario, mode="assessment", timed=True)
            while not story.finished:
                where = story.state.node_id
                trail.append(where)
                if len(choices) >= limit:
                    loop = sorted(set(trail[-limit // 2 :]))
                    shown = ", ".join(f"'{n}'" for n in loop[:8]) + (", ..." if len(loop) > 8 else "")
                    key = ("loop", ",".join(loop))
                    problems.setdefault(
                        key,
                        PlayProblem(
                            loop[0],
                            f"random play {number} ({_path(choices)}) went on for {limit:,} steps without reaching an "
                            f"ending, going round {shown}; give that loop a way out a trainee will take",
                            "give the loop a reply or route that leads on to an ending",
                        ),
                    )
                    break
                moves: list[Choice] = [o.number for o in story.options]
                if story.current_node.timeout is not None:
                    moves.append(TIMEOUT_CHOICE)
                move = rng.choice(moves)
                choices.append(move)
                if move == TIMEOUT_CHOICE:
                    story.time_out()
                else:
                    story.choose(int(move))
        except StoryError as exc:
            if story is not None:
                where = story.state.node_id
            problems.setdefault(
                ("stuck", where + str(exc)),
                PlayProblem(
                    where,
                    f"random play {number} ({_path(choices)}) got stuck at node '{where}': {exc}; a trainee who "
                    "chose the same would have nothing to do",
                    "give that node a reply or a last route without `if:`",
                ),
            )
        except Exception as exc:  # noqa: BLE001 - an engine failure is this file's finding, never a traceback
            problems.setdefault(
                ("failed", where),
                PlayProblem(
                    where,
                    f"random play {number} ({_path(choices)}) made Frontline fail at node '{where}' "
                    f"({exc.__class__.__name__}: {exc}); this is a bug in Frontline, please report it with the file",
                    "report it as a bug",
                ),
            )
    return list(problems.values())
