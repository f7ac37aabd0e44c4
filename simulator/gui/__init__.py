"""Frontline's Qt desktop app: library, briefing, conversation and debrief screens on top of the core."""
