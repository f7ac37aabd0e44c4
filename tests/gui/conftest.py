"""Fixtures for the GUI tests: isolated QSettings and store, a fake clock, scenario files and a window factory."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from simulator.core import AttemptStore
from simulator.gui.main_window import MainWindow
from simulator.gui.theme import MOTION_KEY
from tests.gui.helpers import FakeClock

FIXTURES = Path(__file__).parent / "fixtures"
ROUTER_RESET = FIXTURES / "router_reset.yaml"
# The docs' complete example; tests/core/test_architecture.py keeps this copy identical to it.
DOCS_EXAMPLE = Path(__file__).parents[1] / "core" / "golden" / "late-parcel.yaml"


@pytest.fixture(autouse=True)
def isolated_settings(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """QSettings and QStandardPaths point into tmp_path, never at the trainee's real ones."""
    folder = tmp_path / "settings"
    QCoreApplication.setOrganizationName("FrontlineTests")
    QCoreApplication.setApplicationName("FrontlineGuiTests")
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    # No typing pause and no smooth scrolling: each step shows at once (test_conversation_feel.py turns them on).
    QSettings().setValue(MOTION_KEY, "false")
    font = QApplication.font()
    palette = QApplication.palette()
    yield folder
    QApplication.setFont(font)
    QApplication.setPalette(palette)  # a test that changed the theme leaves the next one as it found it


@pytest.fixture
def store(tmp_path: Path) -> Iterator[AttemptStore]:
    attempts = AttemptStore(tmp_path / "x.db")
    yield attempts
    attempts.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fixture_dir(tmp_path: Path) -> Path:
    """A library folder with the test scenario and the docs example, both lint-clean."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / ROUTER_RESET.name).write_text(ROUTER_RESET.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "late-parcel.yaml").write_text(DOCS_EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


@pytest.fixture
def make_window(qtbot, store: AttemptStore, clock: FakeClock) -> Callable[..., MainWindow]:
    """A shown main window whose library has finished loading."""

    def factory(*dirs: Path, include_bundled: bool = False, **kwargs) -> MainWindow:
        kwargs.setdefault("store", store)
        kwargs.setdefault("clock", clock)
        # Reply numbers in these tests follow the file, as `frontline replay` numbers them by default;
        # test_play.py checks the shuffled order the app uses for trainees.
        kwargs.setdefault("reply_order", lambda: None)
        window = MainWindow(extra_library_dirs=list(dirs), include_bundled=include_bundled, **kwargs)
        qtbot.addWidget(window)
        window.resize(1024, 640)
        window.show()
        qtbot.waitUntil(lambda: not window.library.loading, timeout=20_000)
        return window

    return factory
