"""Crash soak for the Qt binding (`make soak`, also run by CI): long runs that must all exit with code 0.

A Qt binding that leaks or loses references can pass every test once and still abort Python at exit
(exit 134, "Fatal Python error: none_dealloc") after enough calls. So every check runs a child process and
requires its EXIT CODE to be 0; a signal, 134 or any other code fails the check, as does a fatal error on stderr.

1. gui-suite: the GUI tests, --gui-runs times in a row.
2. open-close: the app opened and closed --app-runs times with a library of --files generated scenarios.
3. play: one session of --replies replies across plays through the widgets, then a clean exit.
4. folders: --cycles add-and-remove-folder cycles in one session, then a clean exit.

Each child gets QT_QPA_PLATFORM=offscreen and FRONTLINE_HOME in a temporary folder, so no real user folder is
touched. Usage: python tests/soak/soak.py [--gui-runs N] [--app-runs N] [--files N] [--replies N] [--cycles N]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DRIVER = HERE / "drive_app.py"
FIXTURE = REPO / "tests" / "gui" / "fixtures" / "router_reset.yaml"
CHECKS = ("gui-suite", "open-close", "play", "folders")
TAIL_LINES = 20
FATAL = re.compile(r"Fatal Python error[^\n]*")


@dataclass
class Child:
    """One finished child process."""

    command: list[str]
    code: int
    stdout: str
    stderr: str
    seconds: float
    timed_out: bool = False

    def values(self) -> dict[str, str]:
        """The ``SOAK key=value`` lines the driver printed, merged."""
        found: dict[str, str] = {}
        for line in self.stdout.splitlines():
            if line.startswith("SOAK "):
                found.update(part.split("=", 1) for part in line[5:].split() if "=" in part)
        return found

    def problem(self) -> str | None:
        """Why this run failed, or None: the exit code first, then a fatal error printed despite exit 0."""
        if self.timed_out:
            return f"timed out after {self.seconds:.0f} s and was killed"
        if self.code != 0:
            return describe_exit(self.code)
        fatal = FATAL.search(self.stderr)
        if fatal:
            return f"exit code 0 but stderr says {fatal.group(0)!r}"
        return None

    def tails(self) -> str:
        parts = []
        for name, text in (("stderr", self.stderr), ("stdout", self.stdout)):
            lines = [line for line in text.splitlines() if line.strip()][-TAIL_LINES:]
            if lines:
                parts.append(f"  last {name} lines:\n" + "\n".join(f"    | {line}" for line in lines))
        return "\n".join(parts) or "  (nothing printed)"


def describe_exit(code: int) -> str:
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        why = " (Python aborted: a fatal error such as none_dealloc)" if -code == signal.SIGABRT else ""
        return f"exit code {code}: killed by {name}{why}"
    if code == 128 + signal.SIGABRT:
        return f"exit code {code}: SIGABRT (Python aborted: a fatal error such as none_dealloc)"
    if code > 128:
        try:
            return f"exit code {code}: {signal.Signals(code - 128).name}"
        except ValueError:
            pass
    return f"exit code {code}"


def run_child(command: Sequence[str], env: dict[str, str], timeout: float) -> Child:
    """Run one child in its own process group (its library workers too), killing the group on timeout."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(command),
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    timed_out = False
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    return Child(list(command), process.returncode, stdout, stderr, time.monotonic() - started, timed_out)


def child_env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["FRONTLINE_HOME"] = str(home)
    env["PYTHONFAULTHANDLER"] = "1"  # a crash prints the Python stack of every thread to stderr
    env.pop("PYTEST_ADDOPTS", None)
    return env


def write_library(folder: Path, count: int, tag: str) -> Path:
    """``count`` lint-clean scenario files: the GUI tests' fixture with a unique id and title each."""
    folder.mkdir(parents=True)
    text = FIXTURE.read_text(encoding="utf-8")
    for number in range(1, count + 1):
        body, ids = re.subn(r"(?m)^id: .*$", f"id: soak-{tag}-{number:05d}", text)
        title = f'title: "Soak {tag} {number}: the router that keeps blinking"'
        body, titles = re.subn(r"(?m)^title: .*$", title, body)
        if ids != 1 or titles != 1:
            raise SystemExit(f"{FIXTURE} no longer has exactly one top-level id: and title: line; update write_library")
        (folder / f"soak-{tag}-{number:05d}.yaml").write_text(body, encoding="utf-8")
    return folder


@dataclass
class Result:
    name: str
    seconds: float = 0.0
    summary: str = ""
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


class Soak:
    def __init__(self, args: argparse.Namespace, work: Path) -> None:
        self.args = args
        self.work = work
        self.python = sys.executable

    def home(self, name: str) -> Path:
        path = self.work / "homes" / name
        path.mkdir(parents=True, exist_ok=True)
        return path

    def driver(self, *arguments: str) -> list[str]:
        return [self.python, str(DRIVER), "--timeout", str(self.args.timeout), *arguments]

    def fail(self, result: Result, label: str, child: Child, why: str) -> None:
        result.failures.append(f"{result.name} {label}: {why}\n  command: {' '.join(child.command)}\n{child.tails()}")

    def check_gui_suite(self, result: Result) -> None:
        command = [self.python, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/gui"]
        counts = set()
        for run in range(1, self.args.gui_runs + 1):
            child = run_child(command, child_env(self.home(f"gui-{run}")), self.args.timeout)
            label = f"run {run}/{self.args.gui_runs}"
            summary = next((m.group(0) for m in re.finditer(r"\d+ passed[^\n]*", child.stdout)), "")
            print(
                f"  {result.name} {label}: exit {child.code} in {child.seconds:.1f} s; {summary or 'no summary'}",
                flush=True,
            )
            why = child.problem()
            if why is None and not summary:
                why = "pytest printed no 'N passed' summary"
            if why:
                self.fail(result, label, child, why)
            else:
                counts.add(re.sub(r" in [\d.]+s.*", "", summary))
        passed = self.args.gui_runs - len(result.failures)
        tests = ", ".join(sorted(counts)) or "-"
        result.summary = f"{passed}/{self.args.gui_runs} runs of tests/gui exited 0 ({tests})"

    def check_open_close(self, result: Result) -> None:
        folder = write_library(self.work / "big-library", self.args.files, "open")
        home = self.home("open-close")
        loads = []
        for run in range(1, self.args.app_runs + 1):
            child = run_child(
                self.driver("open-close", "--folder", str(folder), "--expect", str(self.args.files)),
                child_env(home),
                self.args.timeout + 60,
            )
            label = f"run {run}/{self.args.app_runs}"
            values = child.values()
            print(
                f"  {result.name} {label}: exit {child.code} in {child.seconds:.1f} s; listed "
                f"{values.get('folder_entries', '?')} of the folder's files ({values.get('listed', '?')} in all), "
                f"loaded in {values.get('load_seconds', '?')} s",
                flush=True,
            )
            why = child.problem()
            if why is None and values.get("folder_entries") != str(self.args.files):
                why = f"the library listed {values.get('folder_entries', 'no')} of the {self.args.files} files"
            if why:
                self.fail(result, label, child, why)
            else:
                loads.append(float(values.get("load_seconds", "0")))
        passed = self.args.app_runs - len(result.failures)
        slowest = f", library loaded in {min(loads):.1f}-{max(loads):.1f} s" if loads else ""
        result.summary = (
            f"{passed}/{self.args.app_runs} app runs with {self.args.files} files listed them all and exited 0{slowest}"
        )

    def _drive(self, result: Result, args: list[str], home: str, key: str, expected: int, counted: str) -> Child:
        """Run one driver session; it fails when the child fails or counts other than ``expected`` ``key``."""
        child = run_child(self.driver(*args), child_env(self.home(home)), self.args.timeout + 60)
        found = child.values().get(key)
        why = child.problem()
        if why is None and found != str(expected):
            why = f"the driver {counted} {found or 'no'} {key}, not {expected}"
        if why:
            self.fail(result, "session", child, why)
        return child

    def check_play(self, result: Result) -> None:
        child = self._drive(
            result, ["play", "--replies", str(self.args.replies)], "play", "replies", self.args.replies, "counted"
        )
        values = child.values()
        result.summary = (
            f"{values.get('replies', '?')} replies ({values.get('choices_made', '?')} choices made) in "
            f"{values.get('plays', '?')} plays ({values.get('practice', '?')} practice, "
            f"{values.get('assessment', '?')} assessment; {values.get('debriefs', '?')} debriefs, "
            f"{values.get('left', '?')} left early), exit {child.code}"
        )

    def check_folders(self, result: Result) -> None:
        folder = write_library(self.work / "added-folder", self.args.cycle_files, "add")
        args = ["folders", "--folder", str(folder), "--expect", str(self.args.cycle_files)]
        args += ["--cycles", str(self.args.cycles)]
        child = self._drive(result, args, "folders", "cycles", self.args.cycles, "finished")
        result.summary = (
            f"{child.values().get('cycles', '?')} cycles adding and removing a {self.args.cycle_files}-file folder "
            f"(listed after each add, gone after each remove), exit {child.code}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gui-runs", type=int, default=10, help="runs of the GUI test suite (default 10)")
    parser.add_argument("--app-runs", type=int, default=10, help="times the app is opened and closed (default 10)")
    parser.add_argument("--files", type=int, default=2000, help="scenario files in the open-close library (2000)")
    parser.add_argument("--replies", type=int, default=500, help="replies in the play session (default 500)")
    parser.add_argument("--cycles", type=int, default=20, help="add-and-remove-folder cycles (default 20)")
    parser.add_argument("--cycle-files", type=int, default=50, help="scenario files in the added folder (50)")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one child may take (default 900)")
    parser.add_argument("--checks", default=",".join(CHECKS), help=f"comma-separated subset of {','.join(CHECKS)}")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder even when all checks pass")
    args = parser.parse_args(argv)
    chosen = [c.strip() for c in args.checks.split(",") if c.strip()]
    unknown = sorted(set(chosen) - set(CHECKS))
    if unknown:
        parser.error(f"unknown check(s) {', '.join(unknown)}; choose from {', '.join(CHECKS)}")

    work = Path(tempfile.mkdtemp(prefix="frontline-soak-"))
    soak = Soak(args, work)
    runners: dict[str, Callable[[Result], None]] = {
        "gui-suite": soak.check_gui_suite,
        "open-close": soak.check_open_close,
        "play": soak.check_play,
        "folders": soak.check_folders,
    }
    print(f"soak: Python {sys.version.split()[0]} at {sys.executable}; temporary folder {work}", flush=True)
    results = []
    started = time.monotonic()
    for name in CHECKS:
        if name not in chosen:
            continue
        result = Result(name)
        began = time.monotonic()
        runners[name](result)
        result.seconds = time.monotonic() - began
        results.append(result)
        print(f"{'PASS' if result.ok else 'FAIL'} {name}: {result.summary} [{result.seconds:.1f} s]", flush=True)
        for failure in result.failures:
            print(f"FAILURE in {failure}", file=sys.stderr, flush=True)

    failed = [r.name for r in results if not r.ok]
    total = time.monotonic() - started
    if failed:
        print(
            f"soak FAILED: {', '.join(failed)} ({len(results) - len(failed)}/{len(results)} checks passed, "
            f"{total:.1f} s); logs and homes kept in {work}",
            flush=True,
        )
        return 1
    if args.keep:
        print(f"soak: kept {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    print(f"soak passed: {len(results)} checks in {total:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
