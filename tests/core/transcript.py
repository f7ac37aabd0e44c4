"""Turns a headless play into a plain-text transcript, the format of the golden testplans."""

from __future__ import annotations

from simulator.core import TIMEOUT_CHOICE, Choice, Story, build_debrief, load_rubric


def transcript(loaded, choices: list[Choice]) -> str:  # type: ignore[no-untyped-def]
    scenario, analysis = loaded.scenario, loaded.analysis
    story = Story(scenario, mode="assessment", timed=False)
    lines = []
    for choice in choices:
        node = story.current_node
        if node.customer:
            lines.append(f"customer: {node.customer}")
        if choice == TIMEOUT_CHOICE:
            story.time_out()
            lines.append("(time runs out)")
        else:
            option = story.options[int(choice) - 1]
            result = story.choose(int(choice), 1.0)
            deltas = ", ".join(f"{k} {v:+d}" for k, v in sorted(result.step.deltas.items()))
            lines.append(f"choose {choice}: {option.text} [{deltas}] mood {result.step.mood_after}")
    debrief = build_debrief(scenario, story.state, load_rubric(), analysis)
    lines.append(f"outcome: {debrief.outcome}")
    lines.append(f"overall: {debrief.overall} ({'passed' if debrief.passed else 'not passed'})")
    for trait in debrief.traits:
        if trait.score is not None:
            lines.append(f"trait {trait.id}: {trait.score}")
    for step in debrief.steps:
        if step.best is not None:
            lines.append(f"step {step.index} better: {step.best.number}")
    return "\n".join(lines) + "\n"
