"""A scenario that goes round two nodes until the call is closed, for tests of long attempts."""

from __future__ import annotations

ROUND_AGAIN = """\
format: 1
id: round-again
title: "Round again"
summary: "A caller who comes back to the same two questions until the call is closed."
persona: {name: Lee Park, kind: confused, mood: 0, description: "A patient caller."}
setting: "Phone support"
difficulty: easy
minutes: 3
focus: [empathy]
briefing: "Answer until you close the call."
pass_mark: 50
nodes:
  - id: ask
    narration: "The line clicks."
    customer: "And the letter?"
    timeout: {seconds: 10, to: tell, why: "Silence."}
    replies:
      - {text: "Let me explain it plainly.", to: tell, traits: {empathy: 1}, why: "Plain words."}
      - {text: "Read it again.", to: tell, traits: {empathy: -1}, why: "Sends the caller away."}
  - id: tell
    customer: "And the bill?"
    replies:
      - {text: "Here is what each line means.", to: ask, traits: {empathy: 1}, why: "Explains."}
      - {text: "That covers it, goodbye.", to: done, traits: {empathy: 0}, why: "Closes."}
  - id: done
    ending: {outcome: resolved, title: "Done", summary: "Lee understood."}
"""
