"""What the library screen shows of each file, and a cache of it on disk so an unchanged library lists at once.

A ``LibraryEntry`` is the few strings and numbers a library row and its details pane need: a few
hundred bytes where the full ``PlayableScenario`` (scenario, rubric, analysis) is about a hundred
times more. The full models are built again only when a scenario is opened (``LibraryEntry.load``).

``LibraryIndex`` keeps the entries of the last load in one JSON file, each under its file's path with
the file's size and modification time and the stamp of the rubric that scored it; the whole index also
carries Frontline's version and the stamps of the modules that decide what a file means. Any of those
changing, or a file that cannot be read or parsed, means the entry (or the whole index) is loaded
again: a stale cache is never shown, and a broken one is simply replaced.

This module imports neither pydantic nor the YAML parser: start-up needs neither for unchanged files.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Severity

if TYPE_CHECKING:
    from .library import LibraryFolder, PlayableScenario

log = logging.getLogger(__name__)

INDEX_VARIABLE = "FRONTLINE_LIBRARY_INDEX"  # another index file (tests, benchmarks); "off" keeps none
INDEX_FILE_NAME = "library-index.json"
RUBRIC_FILE_NAME = "rubric.yaml"  # a library's own rubric (the loader takes the name from here)
_FORMAT = 1  # bump when LibraryEntry's fields change
# The modules whose code decides what a file loads as: any change to them (a developer's checkout, an
# update installed over the same version number) makes every cached entry stale.
_MEANING_MODULES = ("loader.py", "models.py", "analysis.py", "library.py", "library_index.py", "safe_yaml.py")

Stamp = tuple[int, int]  # size, mtime_ns


class ListedFile:
    """What a library file says of itself whether it is loaded in full or only listed."""

    __slots__ = ()
    path: Path
    folder: LibraryFolder | None
    diagnostics: Sequence[Diagnostic]

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def problems(self) -> list[str]:
        """Every diagnostic as the `path:line:col: severity: CODE message` line lint prints."""
        return [str(d) for d in self.diagnostics]

    @property
    def source(self) -> str:
        return self.folder.name if self.folder is not None else str(self.path.parent)

    @property
    def added_folder(self) -> str | None:
        return self.folder.added if self.folder is not None else None


@dataclass(slots=True)
class LibraryEntry(ListedFile):
    """One file of the library as the list shows it; ``load`` builds the full, playable scenario."""

    path: Path
    folder: LibraryFolder | None = None
    ok: bool = False
    id: str = ""  # the scenario's id ("" when the file could not be read far enough to have one)
    scenario_title: str = ""  # "" when none was read
    kind: str = ""
    persona_name: str = ""
    difficulty: str = ""
    minutes: int = 0
    pass_mark: int = 0
    summary: str = ""
    setting: str = ""
    focus: tuple[str, ...] = ()  # trait ids
    focus_names: tuple[str, ...] = ()  # the same traits as the rubric names them
    diagnostics: tuple[Diagnostic, ...] = ()
    _haystack: str = field(default="", repr=False, compare=False)

    def __post_init__(self) -> None:
        # Searched on every keystroke, so lower-cased once here rather than per row per key.
        self._haystack = " ".join((self.scenario_title, self.summary, self.setting)).lower()

    @classmethod
    def from_playable(cls, playable: PlayableScenario) -> LibraryEntry:
        scenario = playable.scenario
        if scenario is None:
            return cls(playable.path, playable.folder, diagnostics=tuple(playable.diagnostics))
        return cls(
            playable.path,
            playable.folder,
            ok=playable.ok,
            id=scenario.id,
            scenario_title=scenario.title,
            kind=scenario.persona.kind,
            persona_name=scenario.persona.name,
            difficulty=scenario.difficulty,
            minutes=scenario.minutes,
            pass_mark=scenario.pass_mark,
            summary=scenario.summary,
            setting=scenario.setting,
            focus=tuple(scenario.focus),
            focus_names=tuple(playable.focus_names()),
            diagnostics=tuple(playable.diagnostics),
        )

    @classmethod
    def broken(cls, path: Path, folder: LibraryFolder | None, message: str) -> LibraryEntry:
        """A file that cannot be listed for a reason of its own (missing folder, a worker that died on it)."""
        return cls(path, folder, diagnostics=(Diagnostic(str(path), 1, 1, "FL000", Severity.ERROR, message),))

    def load(self) -> PlayableScenario:
        """The full scenario, rubric and analysis, read again from the file; never raises."""
        from .library import load_playable

        return load_playable(self.path, self.folder)

    @property
    def title(self) -> str:
        return self.scenario_title if self.ok else self.path.name

    def matches(self, kind: str | None, search: str) -> bool:
        """Whether a library filter (customer kind, search words) keeps this file in view."""
        needle = search.strip().lower()
        if not self.ok:
            # A broken file has no kind; it stays visible unless the trainee narrowed the list.
            return kind is None and (not needle or needle in self.path.name.lower())
        if kind is not None and self.kind != kind:
            return False
        return not needle or needle in self._haystack

    # ---- the index's JSON form (the folder is not stored: it is the caller's, at lookup) ----
    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "id": self.id,
            "title": self.scenario_title,
            "kind": self.kind,
            "persona": self.persona_name,
            "difficulty": self.difficulty,
            "minutes": self.minutes,
            "pass_mark": self.pass_mark,
            "summary": self.summary,
            "setting": self.setting,
            "focus": list(self.focus),
            "focus_names": list(self.focus_names),
            "diagnostics": [
                [d.path, d.line, d.col, d.code, d.severity.value, d.message, d.fix] for d in self.diagnostics
            ],
        }

    @classmethod
    def from_json(cls, path: Path, folder: LibraryFolder | None, data: dict[str, Any]) -> LibraryEntry:
        """The entry stored by ``to_json``; a KeyError, TypeError or ValueError for anything else."""
        diagnostics = tuple(
            Diagnostic(str(p), int(line), int(col), str(code), Severity(severity), str(message), fix)
            for p, line, col, code, severity, message, fix in data["diagnostics"]
        )
        entry = cls(
            path,
            folder,
            ok=bool(data["ok"]),
            id=_text(data["id"]),
            scenario_title=_text(data["title"]),
            kind=_text(data["kind"]),
            persona_name=_text(data["persona"]),
            difficulty=_text(data["difficulty"]),
            minutes=int(data["minutes"]),
            pass_mark=int(data["pass_mark"]),
            summary=_text(data["summary"]),
            setting=_text(data["setting"]),
            focus=tuple(_text(t) for t in data["focus"]),
            focus_names=tuple(_text(t) for t in data["focus_names"]),
            diagnostics=diagnostics,
        )
        return entry


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, found {type(value).__name__}")
    return value


def file_stamp(path: Path) -> Stamp | None:
    """The file's size and modification time, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_size, st.st_mtime_ns


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files under a folder, in Path's order. Here rather than in the loader, which lint and the
    library share through ``iter_yaml_files``, so the library lists a folder without importing the loader."""
    found = [p for p in folder.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()]
    # Path's own order, part by part, without its comparison methods (a third of the listing's time).
    return sorted(found, key=lambda p: tuple(map(os.path.normcase, p.parts)))


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files under a folder, in the order the library lists them: YAML files but its rubric."""
    return [p for p in yaml_files(folder) if p.name != RUBRIC_FILE_NAME]


def _bundled_rubric() -> Path:
    from .resources import bundled_rubric_path

    return bundled_rubric_path()


def _meaning_stamp() -> list[object]:
    """What makes this Frontline read files the way it does: its modules' stamps (a new version, or a
    developer's edit, changes them) and, in a frozen build without module files, its executable's."""
    here = Path(__file__).parent
    build = file_stamp(Path(sys.executable)) if getattr(sys, "frozen", False) else None
    return [_FORMAT, build, *(file_stamp(here / name) for name in _MEANING_MODULES)]


def default_index_path() -> Path | None:
    """Where the index lives: ``FRONTLINE_LIBRARY_INDEX``, else the cache folder (under ``FRONTLINE_HOME``
    when set); None when ``FRONTLINE_LIBRARY_INDEX=off``."""
    override = os.environ.get(INDEX_VARIABLE)
    if override:
        return None if override == "off" else Path(override)
    from .paths import APP_NAME, HOME_VARIABLE

    home = os.environ.get(HOME_VARIABLE)
    if home:
        return Path(home) / "cache" / INDEX_FILE_NAME
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False)) / INDEX_FILE_NAME


class LibraryIndex:
    """Entries of the last load, each valid while its file, its rubric and Frontline are unchanged."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        # As it reads back from JSON: lists, not tuples. Not needed for an index that is never read or written.
        self._meaning = json.loads(json.dumps(_meaning_stamp())) if path is not None else []
        self._rubric_stamps: dict[str, list[object]] = {}
        self._stored: dict[str, dict[str, Any]] = {}
        self._fresh: dict[str, dict[str, Any]] = {}
        self._changed = False  # whether save() has anything to write that the file does not hold
        self._read()

    def _read(self) -> None:
        if self.path is None:
            return
        try:
            data = json.loads(self.path.read_bytes())
        except FileNotFoundError:
            return
        except (OSError, ValueError) as exc:
            log.info("the library index %s cannot be read (%s); it will be rebuilt", self.path, exc)
            return
        if not isinstance(data, dict) or data.get("meaning") != self._meaning:
            return  # another Frontline wrote it: every entry may mean something else now
        entries = data.get("entries")
        if isinstance(entries, dict):
            self._stored = entries

    def rubric_stamp(self, folder: Path) -> list[object]:
        """What scores the files in a folder: its own rubric file's stamp, else the bundled rubric's."""
        stamp = self._rubric_stamps.get(str(folder))
        if stamp is None:
            local = folder / RUBRIC_FILE_NAME
            own = file_stamp(local)
            rubric = local if own is not None else _bundled_rubric()
            stamp = [str(rubric), *(own or file_stamp(rubric) or (-1, -1))]
            self._rubric_stamps[str(folder)] = stamp
        return stamp

    def key(self, path: Path) -> list[object] | None:
        """Everything an entry depends on, taken before the file is read; None when it cannot be read."""
        stamp = file_stamp(path)
        if stamp is None:
            return None
        return [*stamp, *self.rubric_stamp(path.parent)]

    def lookup(self, path: Path, folder: LibraryFolder | None) -> LibraryEntry | None:
        """The cached entry while nothing it depends on changed, else None (the file must be loaded)."""
        record = self._stored.get(str(path))
        if record is None:
            return None
        key = self.key(path)
        if key is None or record.get("key") != key:
            return None
        try:
            entry = LibraryEntry.from_json(path, folder, record["entry"])
        except (KeyError, TypeError, ValueError) as exc:
            log.info("the library index's entry for %s is unusable (%s); loading the file", path, exc)
            return None
        self._fresh[str(path)] = record
        return entry

    def store(self, entry: LibraryEntry, key: Sequence[object] | None) -> None:
        """Remember an entry loaded from the file whose ``key`` was taken before it was read."""
        if key is None:
            return
        self._fresh[str(entry.path)] = {"key": list(key), "entry": entry.to_json()}
        self._changed = True

    def save(self) -> None:
        """Write the entries looked up or stored since this index was read, atomically; never raises."""
        if self.path is None or not (self._changed or self._fresh.keys() != self._stored.keys()):
            return  # an unchanged library: nothing to write
        data = {"meaning": self._meaning, "entries": self._fresh}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, temp = tempfile.mkstemp(prefix=".library-index-", dir=self.path.parent)
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    out.write(json.dumps(data, separators=(",", ":")))  # the C encoder: dump() is pure Python
                os.replace(temp, self.path)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
        except OSError as exc:
            log.warning("the library index %s cannot be written (%s); the next start loads every file", self.path, exc)
