"""Where Frontline keeps the trainee's files: one object, built once at start-up and passed in.

The CLI and the GUI both build it with :meth:`AppPaths.default`, so they find the same attempt
records, log and settings. ``FRONTLINE_HOME`` puts everything under one folder instead (tests,
soak runs and a training room's shared set-up use it).

A training room's IT department sets things up for every trainee of a machine in the system-wide
settings file (:func:`system_settings_path`): shared library folders (``[library] folders``, read by
:func:`shared_library_dirs`) and the learning record store (``[lrs]``, read by ``LrsSettings.load``).
"""

from __future__ import annotations

import configparser
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "Frontline"
HOME_VARIABLE = "FRONTLINE_HOME"
SYSTEM_SETTINGS_VARIABLE = "FRONTLINE_SYSTEM_SETTINGS"  # another system-wide settings file than the usual
LIBRARY_VARIABLE = "FRONTLINE_LIBRARY"  # shared library folders, separated like PATH (instead of the file's)


@dataclass(frozen=True)
class AppPaths:
    """The data, log and config folders, and the files Frontline keeps in them."""

    data_dir: Path
    log_dir: Path
    config_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        """The per-user folders of this platform, or the folder ``FRONTLINE_HOME`` names."""
        home = os.environ.get(HOME_VARIABLE)
        if home:
            return cls.under(Path(home))
        # appauthor=False: one "Frontline" folder, never Frontline/Frontline on Windows.
        dirs = PlatformDirs(APP_NAME, appauthor=False)
        return cls(Path(dirs.user_data_dir), Path(dirs.user_log_dir), Path(dirs.user_config_dir))

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        """Everything in one folder: ``data/``, ``logs/`` and ``config/``."""
        return cls(root / "data", root / "logs", root / "config")

    @property
    def attempts_db(self) -> Path:
        return self.data_dir / "attempts.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "frontline.log"


def system_settings_path() -> Path:
    """The settings file an administrator writes for every user of the machine (INI, like the user's own).

    On Linux it is ``/etc/xdg/Frontline/Frontline.ini``, where Qt also looks for defaults of the app's
    settings; on Windows ``%ProgramData%\\Frontline\\Frontline.ini``; on macOS
    ``/Library/Application Support/Frontline/Frontline.ini``. ``FRONTLINE_SYSTEM_SETTINGS`` names another.
    """
    override = os.environ.get(SYSTEM_SETTINGS_VARIABLE)
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("PROGRAMDATA") or r"C:\ProgramData") / APP_NAME / "Frontline.ini"
    if sys.platform == "darwin":
        return Path("/Library/Application Support") / APP_NAME / "Frontline.ini"
    return Path("/etc/xdg") / APP_NAME / "Frontline.ini"


def _split_folders(text: str) -> list[Path]:
    parts = (part.strip() for line in text.splitlines() for part in line.split(os.pathsep))
    return [Path(part).expanduser() for part in parts if part]


def shared_library_dirs() -> list[Path]:
    """Library folders every trainee sees besides the bundled one, as an administrator set them up.

    ``FRONTLINE_LIBRARY`` (folders separated by ``:``, or ``;`` on Windows) wins when it is set;
    otherwise ``folders`` in the ``[library]`` section of the system-wide settings file (one folder a
    line, or separated the same way). An unreadable file sets up nothing.
    """
    env = os.environ.get(LIBRARY_VARIABLE)
    if env is not None:
        return _split_folders(env)
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(system_settings_path(), encoding="utf-8")
    except (configparser.Error, OSError, UnicodeDecodeError):
        return []
    return _split_folders(parser.get("library", "folders", fallback=""))
