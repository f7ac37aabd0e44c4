"""How a mood number (-5 to 5) reads as a picture and in words, per customer kind."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MoodState:
    picture: str  # the avatar file stem: furious, annoyed, neutral, confused or satisfied
    words: str  # what the mood meter says


def mood_state(mood: int, kind: str) -> MoodState:
    if mood <= -4:
        return MoodState("furious", "Furious")
    if kind == "confused" and mood <= 1:
        return MoodState("confused", "Confused and frustrated" if mood <= -2 else "Confused")
    if mood <= -2:
        return MoodState("annoyed", "Annoyed")
    if mood <= 1:
        return MoodState("neutral", "Calmer" if mood >= 0 else "Tense")
    return MoodState("satisfied", "Satisfied" if mood < 4 else "Delighted")
