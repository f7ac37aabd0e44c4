"""Play a fixed list of choices headless, as `frontline replay` and the golden tests do."""

from __future__ import annotations

from collections.abc import Sequence

from .analysis import TIMEOUT_CHOICE, Analysis, Choice
from .engine import Mode
from .errors import StoryError
from .models import Rubric, Scenario
from .scoring import Debrief
from .session import Session
from .storage import AttemptStore


def parse_choices(text: str) -> list[Choice]:
    """'1,3,t,2' -> [1, 3, 't', 2]; raises ValueError with a clear message."""
    choices: list[Choice] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        if part.lower() == TIMEOUT_CHOICE:
            choices.append(TIMEOUT_CHOICE)
        elif part.isascii() and part.isdigit() and int(part) >= 1:
            choices.append(int(part))
        else:
            raise ValueError(f"'{part}' is not a reply number (1-9) or 't' for a timeout")
    return choices


def replay(
    scenario: Scenario,
    rubric: Rubric,
    analysis: Analysis | None,
    choices: Sequence[Choice],
    *,
    response_times: Sequence[float] | None = None,
    mode: Mode = "assessment",
    timed: bool = False,
    store: AttemptStore | None = None,
    seed: int | None = None,
    trainee: str = "",
) -> tuple[Session, Debrief]:
    """Play the choices in order through a Session; a choice not on offer raises StoryError naming the step.

    Reply numbers follow the file's order unless ``seed`` gives the shuffled order an attempt with
    that seed showed. The debrief is the finished one when the choices reach an ending, else the
    attempt so far.
    """
    session = Session(scenario, rubric, analysis, mode=mode, timed=timed, store=store, seed=seed, trainee=trainee)
    for step, choice in enumerate(choices, start=1):
        seconds = response_times[step - 1] if response_times and step <= len(response_times) else 0.0
        if session.finished:
            raise StoryError(
                f"step {step}: the conversation already ended ({session.outcome}) after {step - 1} choices"
            )
        try:
            if choice == TIMEOUT_CHOICE:
                session.time_out(seconds or None)
            else:
                session.choose(int(choice), seconds)
        except StoryError as exc:
            raise StoryError(f"step {step} (node '{session.node.id}'): {exc}") from None
    debrief = session.finish() if session.finished else session.debrief_so_far()
    return session, debrief
