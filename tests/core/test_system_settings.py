"""What an IT department sets up for every trainee of a machine: the system-wide settings file and variables."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from simulator.core import AppPaths
from simulator.core.lrs import LrsSettings, settings_path
from simulator.core.paths import shared_library_dirs, system_settings_path


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    for name in list(os.environ):
        if name.startswith("FRONTLINE_"):
            monkeypatch.delenv(name)
    system = tmp_path / "etc" / "Frontline.ini"
    monkeypatch.setenv("FRONTLINE_SYSTEM_SETTINGS", str(system))
    return system


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_system_file_is_where_each_platform_keeps_machine_wide_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FRONTLINE_SYSTEM_SETTINGS")
    monkeypatch.setattr(sys, "platform", "linux")
    assert system_settings_path() == Path("/etc/xdg/Frontline/Frontline.ini")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("PROGRAMDATA", "D:\\Data")
    assert system_settings_path() == Path("D:\\Data") / "Frontline" / "Frontline.ini"
    monkeypatch.setattr(sys, "platform", "darwin")
    assert system_settings_path() == Path("/Library/Application Support/Frontline/Frontline.ini")


def test_no_system_file_means_no_shared_library(clean_environment: Path) -> None:
    assert not clean_environment.exists()
    assert shared_library_dirs() == []


def test_the_system_file_names_shared_library_folders(clean_environment: Path) -> None:
    write(clean_environment, f"[library]\nfolders = /srv/training/scenarios\n  /srv/team{os.pathsep}/srv/more\n")
    assert shared_library_dirs() == [Path("/srv/training/scenarios"), Path("/srv/team"), Path("/srv/more")]


def test_the_variable_wins_over_the_file(monkeypatch: pytest.MonkeyPatch, clean_environment: Path) -> None:
    write(clean_environment, "[library]\nfolders = /srv/from-file\n")
    monkeypatch.setenv("FRONTLINE_LIBRARY", f"/a{os.pathsep}/b")
    assert shared_library_dirs() == [Path("/a"), Path("/b")]
    monkeypatch.setenv("FRONTLINE_LIBRARY", "")  # set but empty: no shared folder at all
    assert shared_library_dirs() == []


def test_a_broken_system_file_sets_up_nothing(clean_environment: Path) -> None:
    write(clean_environment, "this is not [an ini file\n")
    assert shared_library_dirs() == []
    assert LrsSettings.load(AppPaths.under(clean_environment.parent / "user")) is None


def test_the_lrs_comes_from_the_system_file(clean_environment: Path, tmp_path: Path) -> None:
    write(clean_environment, "[lrs]\nendpoint = https://lrs.example.org/xapi\nusername = room1\npassword = s3cret\n")
    settings = LrsSettings.load(AppPaths.under(tmp_path / "user"))
    assert settings is not None
    assert (settings.endpoint, settings.username, settings.password) == (
        "https://lrs.example.org/xapi",
        "room1",
        "s3cret",
    )


def test_the_users_own_settings_and_the_environment_win(
    monkeypatch: pytest.MonkeyPatch, clean_environment: Path, tmp_path: Path
) -> None:
    write(clean_environment, "[lrs]\nendpoint = https://machine.example.org/xapi\nusername = room1\n")
    paths = AppPaths.under(tmp_path / "user")
    write(settings_path(paths), "[lrs]\nendpoint = https://mine.example.org/xapi\n")
    settings = LrsSettings.load(paths)
    assert settings is not None
    assert (settings.endpoint, settings.username) == ("https://mine.example.org/xapi", "room1")
    monkeypatch.setenv("FRONTLINE_LRS_ENDPOINT", "https://env.example.org/xapi")
    settings = LrsSettings.load(paths)
    assert settings is not None and settings.endpoint == "https://env.example.org/xapi"
