"""Shared test helpers: paths to the repository's own folders and fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture(autouse=True)
def isolated_library_index(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The library index (the app's cache of listed files) lives in tmp_path, never in the user's cache."""
    index = tmp_path / "library-index.json"
    monkeypatch.setenv("FRONTLINE_LIBRARY_INDEX", str(index))
    return index
