"""The library as plain data: every scenario file in some folders, loaded, linted and analysed.

``PlayableScenario`` is assembled here and nowhere else, so the GUI, the CLI and the tests agree on
which rubric scores a scenario and on when a file can be played. A library whose own
``rubric.yaml`` is broken is an error for every scenario in it, never a silent fall back to the
bundled rubric.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .diagnostics import Diagnostic, Severity, sort_diagnostics
from .errors import LoadError
from .library_index import RUBRIC_FILE_NAME, ListedFile, scenario_files

if TYPE_CHECKING:
    from .analysis import Analysis
    from .models import Rubric, Scenario

log = logging.getLogger(__name__)

BUNDLED_LABEL = "Bundled library"


@dataclass(frozen=True)
class LibraryFolder:
    """A folder of scenarios: where it is, how the trainee sees it named, and whether they added it."""

    path: Path
    label: str = ""
    added: str | None = None  # the saved setting, when the trainee added the folder and may remove it

    @property
    def name(self) -> str:
        return self.label or str(self.path)


@dataclass
class PlayableScenario(ListedFile):
    """One file of the library: the scenario, its rubric and analysis when it can be played, and why not otherwise."""

    path: Path
    folder: LibraryFolder | None = None
    scenario: Scenario | None = None
    rubric: Rubric | None = None
    analysis: Analysis | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.scenario is not None and self.rubric is not None and self.analysis is not None and not self.errors

    @property
    def title(self) -> str:
        return self.scenario.title if self.scenario is not None and self.ok else self.path.name

    @property
    def library_dir(self) -> Path:
        """The folder the file sits in: where its rubric and its own avatar sets are looked up."""
        return self.path.parent

    def trait_name(self, trait_id: str) -> str:
        if self.rubric is not None and self.rubric.has_trait(trait_id):
            return self.rubric.trait(trait_id).name
        return trait_id.replace("_", " ").capitalize()

    def focus_names(self) -> list[str]:
        return [self.trait_name(t) for t in self.scenario.focus] if self.scenario is not None else []

    def require_ok(self) -> PlayableScenario:
        """This scenario when it can be played; otherwise a LoadError carrying its errors."""
        if not self.ok:
            raise LoadError(str(self.path), self.errors or self.diagnostics)
        return self


def library_rubric(folder: Path) -> tuple[Rubric | None, list[Diagnostic]]:
    """The rubric that scores the scenarios in a folder: its own rubric.yaml, else the bundled one.

    Returns the rubric, or None and the diagnostics that say why it cannot be used.
    """
    from .loader import load_rubric

    local = folder / RUBRIC_FILE_NAME
    try:
        return load_rubric(local if local.is_file() else None), []
    except LoadError as exc:
        return None, list(exc.diagnostics)


def _rubric_problem(path: Path, rubric_diags: list[Diagnostic]) -> list[Diagnostic]:
    rubric_path = path.parent / RUBRIC_FILE_NAME
    first = rubric_diags[0] if rubric_diags else None
    where = f" (first problem: line {first.line}: {first.message})" if first is not None else ""
    return [
        Diagnostic(
            str(path),
            1,
            1,
            "FL000",
            Severity.ERROR,
            f"cannot be scored: this library's rubric {rubric_path} has errors{where}; "
            f"fix it (frontline lint {rubric_path}) or remove it to use the bundled rubric",
        ),
        *rubric_diags,
    ]


def load_playable(path: Path | str, folder: LibraryFolder | None = None) -> PlayableScenario:
    """Load, lint and analyse one scenario file against its library's rubric; never raises."""
    # Imported here: listing a cached library needs neither pydantic nor the YAML parser.
    from .analysis import analyse
    from .loader import load_scenario

    path = Path(path)
    entry = PlayableScenario(path=path, folder=folder)
    try:
        rubric, rubric_diags = library_rubric(path.parent)
        loaded = load_scenario(path, rubric)
        entry.rubric = rubric
        entry.diagnostics = list(loaded.diagnostics)
        if rubric is None:
            entry.diagnostics = sort_diagnostics(_rubric_problem(path, rubric_diags) + entry.diagnostics)
            entry.scenario = loaded.scenario
            return entry
        entry.scenario = loaded.scenario
        if loaded.ok and loaded.scenario is not None:
            entry.analysis = loaded.analysis or analyse(loaded.scenario)
    except Exception as exc:  # noqa: BLE001 - one file's failure must be that file's diagnostic, not the library's
        log.exception("loading %s failed", path)
        entry.analysis = None
        entry.diagnostics.append(
            Diagnostic(
                str(path), 1, 1, "FL000", Severity.ERROR, f"could not be loaded: {exc.__class__.__name__}: {exc}"
            )
        )
    return entry


def missing_folder(folder: LibraryFolder) -> PlayableScenario:
    message = "this folder cannot be found (moved, renamed or on a drive that is not connected?)"
    return PlayableScenario(
        path=folder.path,
        folder=folder,
        diagnostics=[Diagnostic(str(folder.path), 1, 1, "FL000", Severity.ERROR, message)],
    )


def library_files(folders: Iterable[LibraryFolder]) -> Iterator[tuple[LibraryFolder, Path | None]]:
    """Each folder's scenario files in order; a folder that cannot be found yields (folder, None)."""
    for folder in folders:
        if not folder.path.is_dir():
            yield folder, None
            continue
        for path in scenario_files(folder.path):
            yield folder, path


def iter_library(folders: Iterable[LibraryFolder], skip: Iterable[Path] = ()) -> Iterator[PlayableScenario]:
    """Load the folders one file at a time, so a caller can show each as it arrives."""
    skipped = set(skip)
    for folder, path in library_files(folders):
        if path is None:
            yield missing_folder(folder)
        elif path not in skipped:
            yield load_playable(path, folder)


def load_library(folders: Iterable[LibraryFolder]) -> list[PlayableScenario]:
    """Every scenario file in the folders, loaded; broken files are entries with their diagnostics."""
    return list(iter_library(folders))


def bundled_folder() -> LibraryFolder:
    """The library that ships with Frontline."""
    from .resources import bundled_scenarios_dir

    return LibraryFolder(bundled_scenarios_dir(), BUNDLED_LABEL)
