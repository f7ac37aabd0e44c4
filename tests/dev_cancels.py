"""Dev wants to cancel: the tiny scenario the endings, replay and debrief tests share, one step then an ending."""

from __future__ import annotations


def header(
    scenario_id: str = "endings", title: str = "Endings", summary: str = "Two replies, each to an ending."
) -> str:
    """Everything above the nodes; the caller appends node text."""
    return f"""\
format: 1
id: {scenario_id}
title: {title}
summary: {summary}
persona: {{name: Dev Malhotra, kind: rude}}
setting: Phone support at a mobile network
difficulty: easy
minutes: 2
focus: [empathy]
briefing: Dev wants to cancel.
pass_mark: 60
nodes:
"""


def zero_sum(scenario_id: str, title: str, lost_title: str = "") -> str:
    """Both replies add up to 1 (so no choice is assessed): reply 1 keeps Dev, reply 2 loses him."""
    named = f" title: {lost_title}," if lost_title else ""
    return (
        header(scenario_id, title, "Every reply adds up to the same total.")
        + f"""\
  - id: start
    customer: "Cancel my contract."
    replies:
      - {{text: "I'm sorry it came to this.", to: kept, traits: {{empathy: 1}}, why: Kind.}}
      - {{text: "Let me look at your account.", to: lost, traits: {{patience: 1}}, why: Calm.}}
  - id: kept
    ending: {{outcome: resolved, summary: Dev stays.}}
  - id: lost
    ending: {{outcome: customer_lost,{named} summary: Dev cancelled his contract.}}
"""
    )
