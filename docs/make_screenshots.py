"""Takes screenshots of every screen at 1280x800 and 1024x640, in the light and the dark theme, into docs/screenshots/.

Light pictures are NAME-WIDTH.png, dark ones NAME-WIDTH-dark.png. Run it under Xvfb; see the Makefile.
``--zoom N`` takes them with the text N steps larger (Ctrl++ N times) and ``--out DIR`` writes them
elsewhere, for checking a layout zoomed without replacing the pictures in the docs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from simulator.core import AttemptStore, Story, StoryError, iter_scenario_files, load_scenario
from simulator.core.resources import bundled_scenarios_dir
from simulator.gui.main_window import MainWindow
from simulator.gui.theme import MOTION_KEY, THEME_KEY

ROOT = Path(__file__).resolve().parent
OUT = ROOT / "screenshots"
SIZES = ((1280, 800), (1024, 640))
THEMES = ("light", "dark")
BASE_FONT = QFont()


class StepClock:
    """A clock that moves only when told, so the countdown in the pictures is the same every run."""

    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t


def wait_until(condition: Callable[[], bool], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the window did not get there in time")
        QApplication.processEvents()
        time.sleep(0.02)


def settle() -> None:
    for _ in range(10):
        QApplication.processEvents()
        time.sleep(0.01)


def docs_example(folder: Path) -> Path:
    # The golden copy of the docs' complete example (a test keeps the two identical).
    path = folder / "late-parcel.yaml"
    path.write_text((ROOT.parent / "tests" / "core" / "golden" / "late-parcel.yaml").read_text(encoding="utf-8"))
    return path


def pick_scenario(fallback_dir: Path) -> tuple[Path, list[Path]]:
    """The first bundled scenario that loads, else the example from the format docs."""
    for path in iter_scenario_files([bundled_scenarios_dir()]):
        if load_scenario(path).ok:
            return path, []
    return docs_example(fallback_dir), [fallback_dir]


def finishing_path(path: Path) -> list[int]:
    scenario = load_scenario(path).scenario
    assert scenario is not None
    for policy in (lambda i, n: 1, lambda i, n: (i % n) + 1, lambda i, n: n):
        story = Story(scenario, mode="practice", timed=False)
        choices: list[int] = []
        try:
            while not story.finished and len(choices) < 80:
                choices.append(policy(len(choices), len(story.options)))
                story.choose(choices[-1])
        except StoryError:
            continue
        if story.finished:
            return choices
    raise SystemExit(f"cannot find a path through {path}")


def _grab(window: MainWindow, name: str, width: int, theme: str = "light", out: Path = OUT) -> None:
    settle()
    target = out / f"{name}-{width}{'' if theme == 'light' else '-' + theme}.png"
    if not window.grab().save(str(target)):
        raise SystemExit(f"could not save {target}")
    print(f"wrote {target}")


def shoot(
    size: tuple[int, int],
    store: AttemptStore,
    scenario: Path,
    extra: list[Path],
    theme: str = "light",
    *,
    zoom: int = 0,
    out: Path = OUT,
) -> None:
    width, height = size
    QApplication.setFont(BASE_FONT)  # each set starts at the normal text size, then zooms by itself
    settings = QSettings()
    settings.remove("view/zoom_steps")
    settings.setValue(THEME_KEY, theme)  # the window applies the saved theme as it starts
    settings.setValue(MOTION_KEY, "false")  # no typing pause: each picture shows a settled screen
    settings.sync()
    clock = StepClock()
    # Replies in the file's order, so the path found headless plays the same way on screen.
    window = MainWindow(store=store, extra_library_dirs=extra, clock=clock, reply_order=lambda: None)
    window.resize(width, height)
    window.show()
    window.activateWindow()  # so keyboard focus, and its focus frame, shows in the pictures
    for _ in range(zoom):
        window.zoom_in()
    wait_until(lambda: not window.library.loading)
    window.library.select_path(scenario)

    def grab(name: str) -> None:
        _grab(window, name, width, theme, out)

    grab("library")

    window.library.open_current()
    grab("briefing")

    window.briefing.practice_radio.setChecked(True)
    window.briefing.timer_check.setChecked(True)
    window.briefing.start_button.click()
    screen = window.conversation
    choices = finishing_path(scenario)
    clock.t += 6
    screen.tick()
    grab("conversation-replies")

    # Mid-way: a couple of replies in, with the practice feedback on the last of them showing.
    midway = max(1, min(2, len(choices) - 1))
    for index, number in enumerate(choices):
        clock.t += 4
        screen.choose(number)
        if index == midway - 1:
            grab("conversation")
        screen.continue_on()
    wait_until(lambda: window.current_screen() is window.debrief)
    grab("debrief")
    bar = window.debrief.scroll.verticalScrollBar()
    bar.setValue(window.debrief.tips_heading.y() - 8)
    grab("debrief-tips")
    bar.setValue(bar.maximum())
    grab("debrief-steps")
    window.close()
    window.deleteLater()
    QApplication.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="where the pictures go (default: docs/screenshots)")
    parser.add_argument("--zoom", type=int, default=0, help="Ctrl++ this many times before each set")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="frontline-shots-") as tmp_name:
        tmp = Path(tmp_name)
        app = QApplication(sys.argv[:1])
        # Temporary settings and records, so the pictures never touch (or show) a real trainee's data.
        QCoreApplication.setOrganizationName("FrontlineScreenshots")
        QCoreApplication.setApplicationName("Frontline")
        QStandardPaths.setTestModeEnabled(True)
        QSettings.setDefaultFormat(QSettings.Format.IniFormat)
        QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp / "settings"))
        global BASE_FONT
        BASE_FONT = QFont(QApplication.font())
        examples = tmp / "examples"
        examples.mkdir()
        scenario, extra = pick_scenario(examples)
        for theme in THEMES:
            for size in SIZES:
                # Fresh records for each set, so every picture of the library shows the same thing.
                store = AttemptStore(tmp / f"attempts-{theme}-{size[0]}.sqlite3")
                shoot(size, store, scenario, extra, theme, zoom=args.zoom, out=args.out)
                store.close()
        del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
