"""Frontline's pure-Python core: format, loader, lint, analysis, engine, scoring. Never imports Qt.

Names are imported from their submodule on first use, so `frontline lint FILE` pays only for the
loader and its rules, never for storage, sessions, exports or the state search it does not run.
"""

from __future__ import annotations

import importlib
import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .analysis import TIMEOUT_CHOICE, Analysis, Bounds, Choice, analyse
    from .codes import LOADER_AND_SCHEMA_CODES, CodeInfo
    from .conditions import ConditionError, evaluate, parse_condition
    from .coverage import Coverage, coverage
    from .diagnostics import FORMATTERS, Diagnostic, Severity, format_github, format_json, format_text
    from .engine import Option, PlayState, Step, StepResult, Story, allowed_seconds, new_seed, reading_seconds
    from .errors import (
        ExportError,
        FrontlineError,
        LoadError,
        ScenarioChangedError,
        StorageBusyError,
        StorageError,
        StoryError,
    )
    from .explore import Exploration, explore
    from .library import (
        BUNDLED_LABEL,
        LibraryFolder,
        PlayableScenario,
        iter_library,
        library_rubric,
        load_library,
        load_playable,
    )
    from .loader import (
        RUBRIC_FILE_NAME,
        ScenarioFile,
        analyse_or_raise,
        is_rubric_file,
        iter_scenario_files,
        iter_yaml_files,
        lint_paths,
        load_rubric,
        load_rubric_file,
        load_scenario,
        rubric_for,
    )
    from .models import Ending, Node, Persona, Reply, Route, Rubric, Scenario, Timeout, Trait, scenario_json_schema
    from .mood import MoodState, mood_state
    from .paths import AppPaths
    from .replay import parse_choices, replay
    from .scoring import Debrief, StepReview, TraitScore, build_debrief, outcome_words
    from .session import Line, Session
    from .storage import AttemptRecord, AttemptStore

# Where each public name lives: the submodule is imported the first time one of its names is asked for.
_SUBMODULES: dict[str, tuple[str, ...]] = {
    "analysis": ("Analysis", "Bounds", "Choice", "TIMEOUT_CHOICE", "analyse"),
    "codes": ("CodeInfo", "LOADER_AND_SCHEMA_CODES"),
    "conditions": ("ConditionError", "evaluate", "parse_condition"),
    "coverage": ("Coverage", "coverage"),
    "diagnostics": ("Diagnostic", "FORMATTERS", "Severity", "format_github", "format_json", "format_text"),
    "engine": ("Option", "PlayState", "Step", "StepResult", "Story", "allowed_seconds", "new_seed", "reading_seconds"),
    "errors": (
        "ExportError",
        "FrontlineError",
        "LoadError",
        "ScenarioChangedError",
        "StorageBusyError",
        "StorageError",
        "StoryError",
    ),
    "explore": ("Exploration", "explore"),
    "library": (
        "BUNDLED_LABEL",
        "LibraryFolder",
        "PlayableScenario",
        "iter_library",
        "library_rubric",
        "load_library",
        "load_playable",
    ),
    "loader": (
        "RUBRIC_FILE_NAME",
        "ScenarioFile",
        "analyse_or_raise",
        "is_rubric_file",
        "iter_scenario_files",
        "iter_yaml_files",
        "lint_paths",
        "load_rubric",
        "load_rubric_file",
        "load_scenario",
        "rubric_for",
    ),
    "models": (
        "Ending",
        "Node",
        "Persona",
        "Reply",
        "Route",
        "Rubric",
        "Scenario",
        "Timeout",
        "Trait",
        "scenario_json_schema",
    ),
    "mood": ("MoodState", "mood_state"),
    "paths": ("AppPaths",),
    "replay": ("parse_choices", "replay"),
    "scoring": ("Debrief", "StepReview", "TraitScore", "build_debrief", "outcome_words"),
    "session": ("Line", "Session"),
    "storage": ("AttemptRecord", "AttemptStore"),
}
_WHERE = {name: module for module, names in _SUBMODULES.items() for name in names}


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_WHERE))


class _Core(ModuleType):
    """This package, keeping ``replay``, ``explore`` and ``coverage`` the functions their names promise.

    Importing a submodule binds it on its package under its own name, so once ``.replay`` was imported
    anywhere, ``from simulator.core import replay`` would give the module. Eager imports avoided that by
    binding the function afterwards; this does the same whenever the import system binds a submodule."""

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, ModuleType) and _WHERE.get(name) == name:
            value = getattr(value, name, value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Core


__all__ = [
    "BUNDLED_LABEL",
    "FORMATTERS",
    "LOADER_AND_SCHEMA_CODES",
    "RUBRIC_FILE_NAME",
    "TIMEOUT_CHOICE",
    "Analysis",
    "AppPaths",
    "AttemptRecord",
    "AttemptStore",
    "Bounds",
    "Choice",
    "CodeInfo",
    "ConditionError",
    "Coverage",
    "Debrief",
    "Diagnostic",
    "Ending",
    "Exploration",
    "ExportError",
    "FrontlineError",
    "LibraryFolder",
    "Line",
    "LoadError",
    "MoodState",
    "Node",
    "Option",
    "Persona",
    "PlayState",
    "PlayableScenario",
    "Reply",
    "Route",
    "Rubric",
    "Scenario",
    "ScenarioChangedError",
    "ScenarioFile",
    "Session",
    "Severity",
    "Step",
    "StepResult",
    "StepReview",
    "StorageBusyError",
    "StorageError",
    "Story",
    "StoryError",
    "Timeout",
    "Trait",
    "TraitScore",
    "allowed_seconds",
    "analyse",
    "analyse_or_raise",
    "build_debrief",
    "coverage",
    "evaluate",
    "explore",
    "format_github",
    "format_json",
    "format_text",
    "is_rubric_file",
    "iter_library",
    "iter_scenario_files",
    "iter_yaml_files",
    "library_rubric",
    "lint_paths",
    "load_library",
    "load_playable",
    "load_rubric",
    "load_rubric_file",
    "load_scenario",
    "mood_state",
    "new_seed",
    "outcome_words",
    "parse_choices",
    "parse_condition",
    "reading_seconds",
    "replay",
    "rubric_for",
    "scenario_json_schema",
]
