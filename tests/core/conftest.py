"""Fixtures for the core tests: a small library folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

GOLDEN = Path(__file__).parent / "golden" / "late-parcel.yaml"


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library of two files: the docs' complete example and a file with errors."""
    folder = tmp_path / "lib"
    folder.mkdir()
    shutil.copy(GOLDEN, folder / "late-parcel.yaml")
    (folder / "broken.yaml").write_text("format: 1\nid: broken\n", encoding="utf-8")
    return folder
