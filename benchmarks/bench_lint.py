"""`frontline lint` as a trainer runs it, whole process, against the least a Python program reading the same YAML pays.

Two rows, each a pair of processes interleaved in the same run:

- 1,000 files (the bundled scenarios copied under new ids, about 24 KiB each, with the rubric):
  ``frontline lint DIR`` against one ``python -c`` that ``yaml.load``s every file with the C loader.
  Target 1x or less.
- one bundled file: ``frontline lint FILE`` against ``python -c "import yaml"``. Target 2.5x or less.

Both sides run with the same interpreter and environment, bytecode cached (the first, untimed run of
each writes it to a folder of the benchmark's own), as an installed Frontline would have it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import PYTHON, ROOT, Row, interleave, print_rows, ratio_row, timed_process  # noqa: E402

FILES = 1_000
MANY_RUNS = 5
ONE_RUNS = 15
MANY_TARGET = 1.0
ONE_TARGET = 2.5
SCENARIOS = ROOT / "scenarios"
ONE_FILE = SCENARIOS / "angry-retail-refund.yaml"

BARE_LOAD = (
    "import pathlib, sys, yaml\n"
    "for path in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    with open(path, 'rb') as handle:\n"
    "        yaml.load(handle, Loader=yaml.CSafeLoader)\n"
)

_ID = re.compile(r"^id: (\S+)$", re.MULTILINE)


def library(folder: Path, files: int = FILES) -> Path:
    """``files`` scenarios made from the bundled ones, each with an id of its own, beside the bundled rubric."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(SCENARIOS / "rubric.yaml", folder / "rubric.yaml")
    sources = sorted(p for p in SCENARIOS.glob("*.yaml") if p.name != "rubric.yaml")
    texts = [p.read_text(encoding="utf-8") for p in sources]
    for i in range(files):
        text, count = _ID.subn(f"id: copy-{i:04d}-\\1", texts[i % len(texts)], count=1)
        if count != 1:
            raise RuntimeError(f"{sources[i % len(sources)]} has no top-level id line to rename")
        (folder / f"s{i:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


def frontline() -> list[str]:
    """The installed `frontline` command beside this interpreter, else `python -m simulator`."""
    script = Path(PYTHON).with_name("frontline")
    return [str(script)] if script.is_file() else [PYTHON, "-m", "simulator"]


def environment(pycache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def rows(many_runs: int = MANY_RUNS, one_runs: int = ONE_RUNS, files: int = FILES) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp:
        env = environment(Path(tmp) / "pycache")
        folder = library(Path(tmp) / "library", files)
        size_kib = sum(p.stat().st_size for p in folder.glob("s*.yaml")) / files / 1024
        base, ours = interleave(
            timed_process([PYTHON, "-c", BARE_LOAD, str(folder)], env=env),
            timed_process([*frontline(), "lint", str(folder)], env=env),
            many_runs,
        )
        many = ratio_row(
            f"`frontline lint` on {files:,} files ({size_kib:.0f} KiB each), whole process",
            "bare yaml.load (C loader) of the same files in one process",
            base,
            ours,
            MANY_TARGET,
        )
        base, ours = interleave(
            timed_process([PYTHON, "-c", "import yaml"], env=env),
            timed_process([*frontline(), "lint", str(ONE_FILE)], env=env),
            one_runs,
        )
        one = ratio_row(
            f"`frontline lint FILE` ({ONE_FILE.name}), whole process",
            'python -c "import yaml"',
            base,
            ours,
            ONE_TARGET,
        )
    return [many, one]


def main() -> None:
    print_rows(rows())


if __name__ == "__main__":
    main()
