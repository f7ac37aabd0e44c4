"""The exceptions the core raises.

FrontlineError
├── LoadError        a file could not be read as a valid scenario or rubric (carries diagnostics)
├── StoryError       the engine was asked for something the story cannot do
│   └── ScenarioChangedError  a saved attempt no longer fits its scenario file
├── StorageError     the attempt store could not be read or written
│   └── StorageBusyError  another program holds the attempt store; the save is retried with the next one
└── ExportError      an export could not be written
"""

from __future__ import annotations

from .diagnostics import Diagnostic


class FrontlineError(Exception):
    """Base of every error the core raises on purpose."""


class LoadError(FrontlineError):
    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        first = diagnostics[0] if diagnostics else None
        super().__init__(str(first) if first else f"{path}: could not be loaded")


class StoryError(FrontlineError):
    pass


class ScenarioChangedError(StoryError):
    pass


class StorageError(FrontlineError):
    pass


class StorageBusyError(StorageError):
    pass


class ExportError(FrontlineError):
    pass
