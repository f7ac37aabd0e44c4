"""The library index: an entry is reused only while its file, its rubric and Frontline are unchanged."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from simulator.core import library_index
from simulator.core.library import LibraryFolder, load_playable
from simulator.core.library_index import LibraryEntry, LibraryIndex, default_index_path
from simulator.core.resources import bundled_rubric_path

RUBRIC = bundled_rubric_path()


def _remember(index_file: Path, *paths: Path) -> None:
    """Load these files and save them in a new index, as a finished library load does."""
    index = LibraryIndex(index_file)
    for path in paths:
        key = index.key(path)
        index.store(LibraryEntry.from_playable(load_playable(path, LibraryFolder(path.parent))), key)
    index.save()


def _touch(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_an_unchanged_file_is_answered_from_the_index(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario, broken = library / "late-parcel.yaml", library / "broken.yaml"
    _remember(index_file, scenario, broken)
    folder = LibraryFolder(library, "Mine", added=str(library))
    index = LibraryIndex(index_file)
    cached = index.lookup(scenario, folder)
    assert cached == LibraryEntry.from_playable(load_playable(scenario, folder))
    assert cached is not None and cached.ok and cached.source == "Mine" and cached.added_folder == str(library)
    assert cached.title == "The parcel that never came" and cached.focus_names
    cached_broken = index.lookup(broken, folder)
    assert cached_broken is not None and not cached_broken.ok and cached_broken.problems
    assert cached_broken.problems == [str(d) for d in load_playable(broken).diagnostics]


def test_a_file_never_loaded_is_a_miss(tmp_path: Path, library: Path) -> None:
    _remember(tmp_path / "index.json", library / "broken.yaml")
    assert LibraryIndex(tmp_path / "index.json").lookup(library / "late-parcel.yaml", None) is None
    assert LibraryIndex(tmp_path / "nothing-yet.json").lookup(library / "broken.yaml", None) is None


def test_an_edited_file_is_loaded_again(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario = library / "late-parcel.yaml"
    _remember(index_file, scenario)
    _touch(scenario)  # same size, newer time
    assert LibraryIndex(index_file).lookup(scenario, None) is None
    _remember(index_file, scenario)
    text = scenario.read_text(encoding="utf-8")
    stat = scenario.stat()
    scenario.write_text(text.replace("The parcel that never came", "The parcel that came late"), encoding="utf-8")
    os.utime(scenario, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same time, another size
    assert LibraryIndex(index_file).lookup(scenario, None) is None
    scenario.unlink()
    assert LibraryIndex(index_file).lookup(scenario, None) is None


def test_a_changed_rubric_reloads_every_file_it_scores(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario = library / "late-parcel.yaml"
    _remember(index_file, scenario)
    shutil.copy(RUBRIC, library / "rubric.yaml")  # a rubric of its own replaces the bundled one
    assert LibraryIndex(index_file).lookup(scenario, None) is None
    _remember(index_file, scenario)
    assert LibraryIndex(index_file).lookup(scenario, None) is not None
    _touch(library / "rubric.yaml")
    assert LibraryIndex(index_file).lookup(scenario, None) is None


def test_another_frontline_version_ignores_the_whole_index(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    index_file = tmp_path / "index.json"
    _remember(index_file, library / "late-parcel.yaml")
    real = library_index._meaning_stamp
    monkeypatch.setattr(library_index, "_meaning_stamp", lambda: [*real(), "a newer release"])
    assert LibraryIndex(index_file).lookup(library / "late-parcel.yaml", None) is None


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b"\xff\xfe\x00",
        b"[1, 2, 3]",
        b'{"meaning": 1, "entries": []}',
    ],
)
def test_a_corrupt_index_is_ignored_and_rewritten(tmp_path: Path, library: Path, damage: bytes) -> None:
    index_file = tmp_path / "index.json"
    index_file.write_bytes(damage)
    scenario = library / "late-parcel.yaml"
    index = LibraryIndex(index_file)
    assert index.lookup(scenario, None) is None
    index.store(LibraryEntry.from_playable(load_playable(scenario)), index.key(scenario))
    index.save()
    assert LibraryIndex(index_file).lookup(scenario, None) is not None


def test_a_tampered_entry_is_loaded_again(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario = library / "late-parcel.yaml"
    _remember(index_file, scenario)
    data = json.loads(index_file.read_text(encoding="utf-8"))
    data["entries"][str(scenario)]["entry"]["minutes"] = "many"
    data["entries"][str(scenario)]["entry"].pop("title")
    index_file.write_text(json.dumps(data), encoding="utf-8")
    assert LibraryIndex(index_file).lookup(scenario, None) is None


def test_saving_keeps_only_what_this_load_saw(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario, broken = library / "late-parcel.yaml", library / "broken.yaml"
    _remember(index_file, scenario, broken)
    index = LibraryIndex(index_file)
    assert index.lookup(scenario, None) is not None
    index.save()  # broken.yaml was not listed this time (its folder was removed, say)
    assert LibraryIndex(index_file).lookup(broken, None) is None
    assert LibraryIndex(index_file).lookup(scenario, None) is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.json", "lib"]  # no temporary file left


def test_an_unwritable_index_is_not_an_error(tmp_path: Path, library: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    index = LibraryIndex(blocker / "index.json")  # its folder cannot be made: a file is in the way
    index.store(LibraryEntry.from_playable(load_playable(library / "broken.yaml")), index.key(library / "broken.yaml"))
    index.save()
    assert not (blocker / "index.json").exists()


def test_where_the_index_lives(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(library_index.INDEX_VARIABLE, str(tmp_path / "x.json"))
    assert default_index_path() == tmp_path / "x.json"
    monkeypatch.setenv(library_index.INDEX_VARIABLE, "off")
    assert default_index_path() is None
    monkeypatch.delenv(library_index.INDEX_VARIABLE)
    monkeypatch.setenv("FRONTLINE_HOME", str(tmp_path))
    assert default_index_path() == tmp_path / "cache" / library_index.INDEX_FILE_NAME


def test_search_and_kind_filter_on_entries(library: Path) -> None:
    good = LibraryEntry.from_playable(load_playable(library / "late-parcel.yaml"))
    broken = LibraryEntry.from_playable(load_playable(library / "broken.yaml"))
    assert good.matches(None, "") and good.matches("angry", "PARCEL") and not good.matches("rude", "")
    assert not good.matches(None, "no such words")
    assert broken.matches(None, "") and broken.matches(None, "broken") and not broken.matches("angry", "")


def test_an_unchanged_library_does_not_rewrite_the_index(tmp_path: Path, library: Path) -> None:
    index_file = tmp_path / "index.json"
    scenario, broken = library / "late-parcel.yaml", library / "broken.yaml"
    _remember(index_file, scenario, broken)
    before = index_file.stat()
    index = LibraryIndex(index_file)
    assert index.lookup(scenario, None) is not None and index.lookup(broken, None) is not None
    index.save()
    after = index_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_new_frozen_build_ignores_the_whole_index(
    tmp_path: Path, library: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A built app has no module files to stamp: its executable's stamp changes with each install."""
    executable = tmp_path / "frontline"
    executable.write_bytes(b"build 1")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(executable))
    index_file = tmp_path / "index.json"
    _remember(index_file, library / "late-parcel.yaml")
    assert LibraryIndex(index_file).lookup(library / "late-parcel.yaml", None) is not None
    executable.write_bytes(b"build 22")
    assert LibraryIndex(index_file).lookup(library / "late-parcel.yaml", None) is None
