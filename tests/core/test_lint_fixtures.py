"""Each lint code has a fixture whose trailing `# expect: LINE:COL CODE` lines list every diagnostic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core import lint_paths
from simulator.core.lintdocs import all_codes

FIXTURES = Path(__file__).parent / "lint_fixtures"
EXPECT = re.compile(rb"^# expect: (\d+):(\d+) (FL\d+)$", re.M)
EXPLORE = re.compile(rb"^# lint: --explore (\d+)$", re.M)  # a fixture for FL210 plays random paths
# Codes whose trigger is too big for a file in the repository; test_safe_yaml covers them.
GENERATED = {"FL000", "FL002", "FL009"}


def _expected(path: Path) -> list[tuple[int, int, str]]:
    return [(int(a), int(b), c.decode()) for a, b, c in EXPECT.findall(path.read_bytes())]


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_fixture_reports_exactly_what_it_expects(fixture: Path) -> None:
    explore = EXPLORE.search(fixture.read_bytes())
    found = [(d.line, d.col, d.code) for d in lint_paths([fixture], explore=int(explore.group(1)) if explore else 0)]
    assert found == _expected(fixture)


# A code about several files together (FL209) has a folder of fixtures, linted as one library.
@pytest.mark.parametrize("folder", sorted(p for p in FIXTURES.glob("FL*") if p.is_dir()), ids=lambda p: p.name)
def test_folder_fixture_reports_exactly_what_its_files_expect(folder: Path) -> None:
    found = [(Path(d.path).name, d.line, d.col, d.code) for d in lint_paths([folder])]
    expected = [(f.name, *e) for f in sorted(folder.glob("*.yaml")) for e in _expected(f)]
    assert found == expected and expected


def test_clean_fixture_is_clean() -> None:
    assert _expected(FIXTURES / "clean.yaml") == []
    assert lint_paths([FIXTURES / "clean.yaml"]) == []


def test_every_code_has_a_fixture() -> None:
    covered = {p.stem for p in FIXTURES.glob("FL*.yaml")} | {p.name for p in FIXTURES.glob("FL*") if p.is_dir()}
    codes = {c.code for c in all_codes()}
    assert codes - GENERATED <= covered
    for code in covered:
        files = (
            [FIXTURES / f"{code}.yaml"] if (FIXTURES / f"{code}.yaml").is_file() else (FIXTURES / code).glob("*.yaml")
        )
        raised = [c for f in files for _, _, c in _expected(f)]
        assert code in raised, f"the fixture for {code} does not raise {code}"


def test_all_problems_in_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (FIXTURES / "clean.yaml").read_text()
    text = (
        text.replace("minutes: 2", 'minutes: "2"')
        .replace("to: lost", "to: lots")
        .replace("summary: Sorted.}", "summary: Sorted., tone: calm}")
    )
    path = tmp_path / "many.yaml"
    path.write_text(text)
    found = [(d.line, d.col, d.code) for d in lint_paths([path])]
    # The schema errors no longer hide the graph: 'lost' is now unreachable, and that is said too.
    assert found == [(8, 10, "FL101"), (21, 13, "FL200"), (25, 51, "FL102"), (26, 9, "FL202")]
