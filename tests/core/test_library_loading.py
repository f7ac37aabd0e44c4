"""load_library and load_playable: one place assembles a playable scenario, its rubric and its analysis."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from simulator.core import LibraryFolder, LoadError, iter_library, load_library, load_playable
from simulator.core import loader as loader_module
from simulator.core.library import bundled_folder
from simulator.core.library_index import LibraryEntry
from simulator.core.library_worker import FrameReader, encode_request, run_worker

from .conftest import GOLDEN

BROKEN_RUBRIC = "format: 1\ntraits:\n  - id: empathy\n    name: 12\n"


def test_a_playable_scenario_carries_scenario_rubric_and_analysis() -> None:
    entry = load_playable(GOLDEN)
    assert entry.ok and entry.scenario is not None and entry.rubric is not None and entry.analysis is not None
    assert entry.title == entry.scenario.title
    assert entry.focus_names() and all(" " in name or name.istitle() for name in entry.focus_names())
    assert entry.require_ok() is entry


def test_a_library_lists_broken_files_with_their_diagnostics(library: Path) -> None:
    folder = LibraryFolder(library, "Mine", added=str(library))
    entries = load_library([folder])
    assert [(e.path.name, e.ok) for e in entries] == [("broken.yaml", False), ("late-parcel.yaml", True)]
    broken = entries[0]
    assert broken.errors and broken.problems[0].startswith(f"{library / 'broken.yaml'}:")
    assert broken.source == "Mine" and broken.added_folder == str(library)
    with pytest.raises(LoadError):
        broken.require_ok()


def test_a_broken_library_rubric_is_an_error_for_every_scenario(library: Path) -> None:
    (library / "rubric.yaml").write_text(BROKEN_RUBRIC, encoding="utf-8")
    entry = load_playable(library / "late-parcel.yaml")
    assert not entry.ok and entry.rubric is None
    first = entry.errors[0]
    assert (first.path, first.line, first.col, first.code) == (str(library / "late-parcel.yaml"), 1, 1, "FL000")
    assert "this library's rubric" in first.message and "has errors" in first.message
    assert any(d.path == str(library / "rubric.yaml") for d in entry.diagnostics), "the rubric's own errors are listed"


def test_a_missing_folder_is_an_entry_that_says_so(tmp_path: Path) -> None:
    [entry] = load_library([LibraryFolder(tmp_path / "gone", "USB stick")])
    assert not entry.ok and "cannot be found" in entry.errors[0].message


def test_one_file_that_raises_does_not_stop_the_rest(library: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = loader_module.load_scenario

    def explode_on_one(path, rubric=None, display=None):  # type: ignore[no-untyped-def]
        if Path(path).name == "broken.yaml":
            raise RuntimeError("parser bug")
        return real(path, rubric, display)

    monkeypatch.setattr(loader_module, "load_scenario", explode_on_one)  # load_playable imports it when called
    entries = load_library([LibraryFolder(library)])
    assert [e.ok for e in entries] == [False, True]
    assert entries[0].errors[0].message == "could not be loaded: RuntimeError: parser bug"


def test_skip_leaves_out_files_already_loaded(library: Path) -> None:
    entries = list(iter_library([LibraryFolder(library)], skip=[library / "broken.yaml"]))
    assert [e.path.name for e in entries] == ["late-parcel.yaml"]


def test_the_bundled_library_loads_clean() -> None:
    entries = load_library([bundled_folder()])
    assert len(entries) >= 12 and all(e.ok for e in entries), [e.problems for e in entries if not e.ok][:3]
    assert {e.source for e in entries} == {"Bundled library"}


def test_the_worker_streams_the_same_entries(library: Path) -> None:
    out = io.BytesIO()
    mine, other = LibraryFolder(library, "Mine"), LibraryFolder(library, "Other")
    files = [(mine, library / "broken.yaml"), (other, library / "late-parcel.yaml")]
    assert run_worker(io.BytesIO(encode_request(files)), out) == 0
    messages = list(FrameReader().feed(out.getvalue()))
    kinds = [kind for kind, _ in messages]
    assert kinds == ["start", "entry", "start", "entry", "done"]
    entries: list[LibraryEntry] = [value[0] for kind, value in messages if kind == "entry"]
    assert [(e.path.name, e.ok, e.source) for e in entries] == [
        ("broken.yaml", False, "Mine"),
        ("late-parcel.yaml", True, "Other"),
    ]
    assert entries[1] == LibraryEntry.from_playable(load_playable(library / "late-parcel.yaml", other))
    # Each entry comes with its file's stamp, taken before the file was read, for the parent's index.
    keys = [value[1] for kind, value in messages if kind == "entry"]
    assert keys[1][:2] == [
        (library / "late-parcel.yaml").stat().st_size,
        (library / "late-parcel.yaml").stat().st_mtime_ns,
    ]
    assert messages[-1] == ("done", 2)


def test_frames_survive_arriving_a_byte_at_a_time(library: Path) -> None:
    out = io.BytesIO()
    run_worker(io.BytesIO(encode_request([(LibraryFolder(library), library / "late-parcel.yaml")])), out)
    reader = FrameReader()
    messages = [m for byte in out.getvalue() for m in reader.feed(bytes([byte]))]
    assert [kind for kind, _ in messages] == ["start", "entry", "done"]
