"""Where Frontline keeps the trainee's files: one object, built once at start-up and passed in.

The CLI and the GUI both build it with :meth:`AppPaths.default`, so they find the same attempt
records, log and settings. ``FRONTLINE_HOME`` puts everything under one folder instead (tests,
soak runs and a training room's shared set-up use it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from platformdirs import PlatformDirs

APP_NAME = "Frontline"
HOME_VARIABLE = "FRONTLINE_HOME"


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
