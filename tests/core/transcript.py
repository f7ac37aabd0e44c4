"""Turns a headless play into a plain-text transcript, the format of the golden testplans."""

from __future__ import annotations

from simulator.core import TIMEOUT_CHOICE, Choice, Session, load_rubric


def transcript(loaded, choices: list[Choice]) -> str:  # type: ignore[no-untyped-def]
    """Play through a Session, as the app and `frontline replay` do, and write down what happened."""
    session = Session(loaded.scenario, load_rubric(), loaded.analysis, mode="assessment", timed=False)
    lines = []
    for choice in choices:
        node = session.node
        if node.customer:
            lines.append(f"customer: {node.customer}")
        if choice == TIMEOUT_CHOICE:
            session.time_out()
            lines.append("(time runs out)")
        else:
            option = session.offers[int(choice) - 1]
            result = session.choose(int(choice), 1.0)
            deltas = ", ".join(f"{k} {v:+d}" for k, v in sorted(result.step.deltas.items()))
            lines.append(f"choose {choice}: {option.text} [{deltas}] mood {result.step.mood_after}")
    debrief = session.finish() if session.finished else session.debrief_so_far()
    lines.append(f"outcome: {debrief.outcome}")
    lines.append(f"overall: {debrief.overall} ({'passed' if debrief.passed else 'not passed'})")
    for trait in debrief.traits:
        if trait.score is not None:
            lines.append(f"trait {trait.id}: {trait.score}")
    for step in debrief.steps:
        if step.best is not None:
            lines.append(f"step {step.index} better: {step.best.number}")
    return "\n".join(lines) + "\n"
