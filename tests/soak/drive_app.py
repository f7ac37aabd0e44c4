"""Drives the real app in this process for the soak checks in tests/soak/soak.py; one subcommand per check.

Each subcommand starts Frontline through ``simulator.gui.app.run()`` with the folders ``FRONTLINE_HOME``
names, lets a QTimer script work the main window through its widgets (one action per tick, so the event
loop runs in between as it would for a trainee), closes the window and exits with run()'s code, or with
SCRIPT_FAILED when run() returned 0 but the script found a problem. Results are printed as ``SOAK key=value``
lines for the parent to read; problems go to stderr.

    drive_app.py open-close --folder DIR --expect N
    drive_app.py play --replies N
    drive_app.py folders --folder DIR --expect N --cycles N
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from simulator.core import AppPaths, PlayableScenario
from simulator.gui import app as app_module
from simulator.gui.main_window import MainWindow

SCRIPT_FAILED = 3
TICK_MS = 1


def report(**values: object) -> None:
    print("SOAK " + " ".join(f"{k}={v}" for k, v in values.items()), flush=True)


def in_folder(entries: list[PlayableScenario], folder: Path) -> list[PlayableScenario]:
    return [e for e in entries if folder in e.path.resolve().parents]


class Script:
    """Polls for the main window, then calls ``step`` every tick until it calls ``finish`` or ``fail``."""

    def __init__(self, timeout_s: float) -> None:
        self.window: MainWindow | None = None
        self.failure: str | None = None
        self.finished = False
        self._timeout_ms = int(timeout_s * 1000)
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def seconds(self) -> float:
        return self._clock.elapsed() / 1000

    def _tick(self) -> None:
        if self.finished:
            return
        try:
            if self._clock.elapsed() > self._timeout_ms:
                self.fail(f"timed out after {self._timeout_ms // 1000} s ({self.where()})")
                return
            if self.window is None:
                self.window = next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)
                if self.window is None or not self.window.isVisible():
                    self.window = None
                    return
            self.step(self.window)
        except Exception:  # noqa: BLE001 - a script error must close the app, not hang it
            self.fail("the soak script raised:\n" + traceback.format_exc())

    def where(self) -> str:
        return "the main window never appeared" if self.window is None else "still running"

    def step(self, window: MainWindow) -> None:
        raise NotImplementedError

    def fail(self, message: str) -> None:
        if self.failure is None:
            self.failure = message
            print(f"SOAK FAILURE: {message}", file=sys.stderr, flush=True)
        self.finish()

    def finish(self) -> None:
        if self.finished:
            return
        self.finished = True
        self._timer.stop()
        if self.window is not None:
            self.window.close()  # the last window closing ends app.exec(), as when a trainee closes it
        else:
            QApplication.quit()


class OpenClose(Script):
    """Wait until the library (bundled plus a big folder) has loaded, check it lists the folder, close."""

    def __init__(self, folder: Path, expect: int, timeout_s: float) -> None:
        super().__init__(timeout_s)
        self.folder = folder.resolve()
        self.expect = expect

    def step(self, window: MainWindow) -> None:
        library = window.library
        if library.loading:
            return
        ours = in_folder(library.entries, self.folder)
        playable = sum(1 for e in ours if e.ok)
        with_problems = sum(1 for e in ours if e.problems)
        report(
            listed=library.list.model().rowCount(),
            folder_entries=len(ours),
            playable=playable,
            with_problems=with_problems,
            load_seconds=f"{self.seconds():.1f}",
        )
        if library.list.model().rowCount() < self.expect or len(ours) != self.expect or playable != self.expect:
            self.fail(
                f"expected {self.expect} playable entries from {self.folder}, the library lists "
                f"{library.list.model().rowCount()} in all, {len(ours)} from the folder, {playable} playable"
            )
        elif with_problems:
            example = next(e for e in ours if e.problems)
            self.fail(f"{with_problems} generated files have lint problems, e.g. {example.path}: {example.problems}")
        else:
            self.finish()


class Play(Script):
    """Play the bundled scenarios through the widgets until ``target`` replies were made."""

    DEBRIEF_ACTIONS = ("retry", "library", "another")

    def __init__(self, target: int, per_play: int, timeout_s: float, seed: int) -> None:
        super().__init__(timeout_s)
        self.target = target
        self.per_play = per_play
        self.random = random.Random(seed)
        self.clicks = 0
        self.choices_seen = 0
        self.replies_this_play = 0
        self.plays = 0
        self.debriefs = 0
        self.left = 0
        self.continues = 0
        self.modes = {"practice": 0, "assessment": 0}
        self.next_entry = 0
        self.idle_ticks = 0
        self._session: object = None
        self._connected = False

    def where(self) -> str:
        return f"{self.clicks} replies, {self.plays} plays, on {self.screen_name()}"

    def screen_name(self) -> str:
        if self.window is None:
            return "no window"
        screen = self.window.current_screen()
        return next(
            name for name in ("library", "briefing", "conversation", "debrief") if getattr(self.window, name) is screen
        )

    def _count_choice(self, _result: object) -> None:
        self.choices_seen += 1

    def step(self, window: MainWindow) -> None:
        if not self._connected:
            window.conversation.choice_made.connect(self._count_choice)
            self._connected = True
        screen = window.current_screen()
        acted = True
        if screen is window.library:
            acted = self.open_next(window)
        elif screen is window.briefing:
            self.start(window)
        elif screen is window.conversation:
            acted = self.converse(window)
        elif screen is window.debrief:
            self.debriefs += 1
            action = self.DEBRIEF_ACTIONS[self.debriefs % len(self.DEBRIEF_ACTIONS)]
            getattr(window.debrief, f"{action}_button").click()
        self.idle_ticks = 0 if acted else self.idle_ticks + 1
        if self.idle_ticks > 5000:
            self.fail(f"no action possible for 5000 ticks ({self.where()})")

    def open_next(self, window: MainWindow) -> bool:
        library = window.library
        if library.loading:
            return False
        playable = [e for e in library.entries if e.ok]
        if not playable:
            self.fail("the library lists no playable scenario")
            return False
        entry = playable[self.next_entry % len(playable)]
        self.next_entry += 1
        if not library.select_path(entry.path):
            self.fail(f"cannot select {entry.path} in the library")
            return False
        library.open_button.click()
        if window.current_screen() is not window.briefing:
            self.fail(f"Open briefing did not open the briefing of {entry.path}")
        return True

    def start(self, window: MainWindow) -> None:
        briefing = window.briefing
        mode = "practice" if self.plays % 2 == 0 else "assessment"
        (briefing.practice_radio if mode == "practice" else briefing.assessment_radio).click()
        if briefing.timer_check.isChecked():
            briefing.timer_check.click()
        briefing.start_button.click()
        if window.current_screen() is not window.conversation:
            self.fail(f"Start conversation did not start {briefing.entry.path if briefing.entry else '?'}")

    def converse(self, window: MainWindow) -> bool:
        conversation = window.conversation
        session = conversation.session
        if session is not None and session is not self._session:  # a new play: from the briefing or Retry
            self._session = session
            self.plays += 1
            self.modes[session.state.mode] += 1
            self.replies_this_play = 0
        if conversation.feedback_visible:
            conversation.continue_button.click()
            self.continues += 1
            return True
        if not conversation.awaiting_reply or not conversation.reply_buttons:
            return False
        if self.replies_this_play >= self.per_play:
            conversation.leave_button.click()  # a scenario that loops under this policy: leave, as a trainee may
            self.left += 1
            return True
        buttons = conversation.reply_buttons
        buttons[self.random.randrange(len(buttons))].click()
        self.clicks += 1
        self.replies_this_play += 1
        if self.clicks >= self.target:
            report(
                replies=self.clicks,
                choices_made=self.choices_seen,
                plays=self.plays,
                debriefs=self.debriefs,
                left=self.left,
                continues=self.continues,
                practice=self.modes["practice"],
                assessment=self.modes["assessment"],
                seconds=f"{self.seconds():.1f}",
            )
            if self.choices_seen != self.clicks:
                self.fail(f"{self.clicks} reply clicks made only {self.choices_seen} choices")
            else:
                self.finish()
        return True


class Folders(Script):
    """Add the folder, check it is listed, select one of its entries and remove its folder, ``cycles`` times."""

    def __init__(self, folder: Path, expect: int, cycles: int, timeout_s: float) -> None:
        super().__init__(timeout_s)
        self.folder = folder
        self.resolved = folder.resolve()
        self.expect = expect
        self.cycles = cycles
        self.done = 0
        self.phase = "initial"
        self.baseline = -1

    def where(self) -> str:
        return f"cycle {self.done + 1} of {self.cycles}, waiting for {self.phase}"

    def step(self, window: MainWindow) -> None:
        library = window.library
        if library.loading:
            return
        ours = in_folder(library.entries, self.resolved)
        if self.phase == "initial":
            if ours:
                self.fail(f"{self.folder} is listed before it was added")
                return
            self.baseline = len(library.entries)
        elif self.phase == "add":
            if len(ours) != self.expect or not all(e.ok for e in ours):
                self.fail(
                    f"cycle {self.done + 1}: after adding {self.folder} the library lists {len(ours)} of its "
                    f"{self.expect} scenarios ({sum(1 for e in ours if e.ok)} playable)"
                )
                return
            if not library.select_path(ours[0].path):
                self.fail(f"cycle {self.done + 1}: cannot select {ours[0].path}")
                return
            if library.current_entry() is None or library.current_entry().added_folder is None:
                self.fail(f"cycle {self.done + 1}: the selected entry does not come from an added folder")
                return
            self.phase = "remove"
            library.remove_current_folder()
            return
        elif self.phase == "remove":
            if ours or len(library.entries) != self.baseline:
                self.fail(
                    f"cycle {self.done + 1}: after removing {self.folder} the library still lists {len(ours)} "
                    f"of its scenarios ({len(library.entries)} entries, {self.baseline} before adding it)"
                )
                return
            self.done += 1
            if self.done >= self.cycles:
                report(
                    cycles=self.done,
                    folder_entries=self.expect,
                    other_entries=self.baseline,
                    seconds=f"{self.seconds():.1f}",
                )
                self.finish()
                return
        self.phase = "add"
        library.add_folder_path(self.folder)


def report_instead_of_box(reporter: app_module.ExceptionReporter, message: str) -> None:
    """An unexpected error in the app fails the soak; the modal box it would show would only hang it."""
    SCRIPT[0].fail(f"the app reported an unexpected error: {message}")


SCRIPT: list[Script] = []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--timeout", type=float, default=600, help="seconds before the script gives up")
    commands = parser.add_subparsers(dest="command", required=True)
    open_close = commands.add_parser("open-close", help="open the app with a big folder, wait for it, close")
    open_close.add_argument("--folder", type=Path, required=True)
    open_close.add_argument("--expect", type=int, required=True)
    play = commands.add_parser("play", help="play the bundled scenarios until N replies were made, then close")
    play.add_argument("--replies", type=int, default=500)
    play.add_argument("--per-play", type=int, default=60, help="leave a conversation after this many replies")
    play.add_argument("--seed", type=int, default=1)
    folders = commands.add_parser("folders", help="add and remove a folder N times, then close")
    folders.add_argument("--folder", type=Path, required=True)
    folders.add_argument("--expect", type=int, required=True)
    folders.add_argument("--cycles", type=int, default=20)
    args = parser.parse_args(argv)

    home = os.environ.get("FRONTLINE_HOME")
    if not home:
        parser.error("set FRONTLINE_HOME to a throwaway folder: the soak must not touch the real user folders")

    qapp = QApplication.instance() or QApplication(sys.argv[:1])  # so the script's timer exists before run() starts
    extra: list[Path] = []
    script: Script
    if args.command == "open-close":
        extra = [args.folder]
        script = OpenClose(args.folder, args.expect, args.timeout)
    elif args.command == "play":
        script = Play(args.replies, args.per_play, args.timeout, args.seed)
    else:
        script = Folders(args.folder, args.expect, args.cycles, args.timeout)
    SCRIPT.append(script)
    app_module.ExceptionReporter.show_message = report_instead_of_box  # type: ignore[method-assign]

    code = app_module.run(extra, AppPaths.under(Path(home)))  # uses qapp
    del qapp
    report(run_exit=code, script_ok=script.failure is None)
    if code != 0:
        return code
    if not script.finished:
        print("SOAK FAILURE: the app stopped before the script finished", file=sys.stderr, flush=True)
        return SCRIPT_FAILED
    return SCRIPT_FAILED if script.failure else 0


if __name__ == "__main__":
    sys.exit(main())
