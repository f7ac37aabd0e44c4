"""What every fuzz property checks of a loader's answer, and the bundled scenarios the properties start from."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from simulator.core import (
    Diagnostic,
    PlayableScenario,
    ScenarioFile,
    lint_paths,
    load_playable,
    load_rubric,
    load_scenario,
)
from simulator.core.lintdocs import all_codes

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = REPO / "scenarios"
FIXTURES = Path(__file__).parent / "fixtures"
KNOWN_CODES = frozenset(info.code for info in all_codes())
# The words of the two catch-alls (loader.internal_error and library.load_playable): a diagnostic that says
# Frontline itself failed is a crash that was caught, and a crash is what these properties look for.
_CRASH_WORDS = ("this is a bug in Frontline", "could not be loaded: ")


@lru_cache(maxsize=1)
def bundled_scenarios() -> tuple[Path, ...]:
    found = tuple(sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "rubric.yaml"))
    assert len(found) >= 20, "the bundled library went missing: the properties would check nothing"
    return found


@lru_cache(maxsize=1)
def bundled_texts() -> tuple[str, ...]:
    return tuple(p.read_text(encoding="utf-8") for p in bundled_scenarios())


def _line_lengths(data: bytes) -> list[int]:
    """Each line's length in bytes (an upper bound on its length in characters), by every line break YAML knows."""
    text = data.decode("utf-8", errors="replace")
    # YAML breaks lines at \r, \x85, U+2028 and U+2029 too, so a position may count those lines.
    by_newline = [len(line.encode("utf-8")) for line in text.split("\n")]
    by_any = [len(line.encode("utf-8")) for line in text.splitlines()] or [0]
    longest = max(by_newline + by_any)
    return [longest] * max(len(by_newline), len(by_any) + 1)


def check_diagnostics(diagnostics: Iterable[Diagnostic], display: str, data: bytes) -> list[Diagnostic]:
    """Every diagnostic is about this file, at a 1-based line and column inside it, with a stable code,
    and none says that Frontline itself failed."""
    found = list(diagnostics)
    lengths = _line_lengths(data)
    for diag in found:
        assert isinstance(diag, Diagnostic), diag
        assert diag.path == display, diag
        assert diag.code in KNOWN_CODES, diag
        assert 1 <= diag.line <= len(lengths), (diag, len(lengths))
        assert 1 <= diag.col <= lengths[diag.line - 1] + 1, (diag, lengths[diag.line - 1])
        assert diag.message.strip(), diag
        assert not any(words in diag.message for words in _CRASH_WORDS), diag
    return found


@contextmanager
def scenario_file(data: bytes, name: str = "fuzzed.yaml") -> Iterator[Path]:
    """The bytes as a scenario file in a folder of its own (so the bundled rubric scores it)."""
    with tempfile.TemporaryDirectory(prefix="frontline-fuzz-") as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        yield path


def load_everywhere(data: bytes, *, lint: bool = True) -> tuple[ScenarioFile, PlayableScenario]:
    """Load the bytes as the lint command, the library and the app do, checking every answer on the way."""
    with scenario_file(data) as path:
        display = str(path)
        loaded = load_scenario(path, load_rubric())
        check_diagnostics(loaded.diagnostics, display, data)
        assert loaded.scenario is not None or loaded.errors, "neither a scenario nor an error"
        if loaded.ok:
            assert loaded.analysis is not None
        playable = load_playable(path)
        check_diagnostics(playable.diagnostics, display, data)
        assert playable.ok == loaded.ok, (playable.diagnostics, loaded.diagnostics)
        if lint:
            linted = check_diagnostics(lint_paths([path]), display, data)
            assert {(d.line, d.col, d.code) for d in linted} == {(d.line, d.col, d.code) for d in loaded.diagnostics}
    return loaded, playable


def paths_into(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into nested lists and dicts (keys and indexes), the empty path first: where a mutation can go."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found.extend(paths_into(value, (*prefix, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found.extend(paths_into(value, (*prefix, i)))
    return found
