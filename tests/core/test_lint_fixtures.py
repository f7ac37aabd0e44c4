"""Each lint code has a fixture whose trailing `# expect: LINE:COL CODE` lines list every diagnostic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.core import lint_paths
from simulator.core.lintdocs import all_codes

FIXTURES = Path(__file__).parent / "lint_fixtures"
EXPECT = re.compile(rb"^# expect: (\d+):(\d+) (FL\d+)$", re.M)
# Codes whose trigger is too big for a file in the repository; test_safe_yaml covers them.
GENERATED = {"FL000", "FL002", "FL009"}


def _expected(path: Path) -> list[tuple[int, int, str]]:
    return [(int(a), int(b), c.decode()) for a, b, c in EXPECT.findall(path.read_bytes())]


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_fixture_reports_exactly_what_it_expects(fixture: Path) -> None:
    found = [(d.line, d.col, d.code) for d in lint_paths([fixture])]
    assert found == _expected(fixture)


def test_clean_fixture_is_clean() -> None:
    assert _expected(FIXTURES / "clean.yaml") == []
    assert lint_paths([FIXTURES / "clean.yaml"]) == []


def test_every_code_has_a_fixture() -> None:
    covered = {p.stem for p in FIXTURES.glob("FL*.yaml")}
    codes = {c.code for c in all_codes()}
    assert codes - GENERATED <= covered
    for code in covered:
        assert code in [c for _, _, c in _expected(FIXTURES / f"{code}.yaml")], f"{code}.yaml does not raise {code}"


def test_all_problems_in_a_file_are_reported_at_once(tmp_path: Path) -> None:
    text = (FIXTURES / "clean.yaml").read_text()
    text = (
        text.replace("minutes: 2", 'minutes: "2"')
        .replace("to: lost", "to: lots")
        .replace("summary: Sorted.}", "summary: Sorted., tone: calm}")
    )
    path = tmp_path / "many.yaml"
    path.write_text(text)
    codes = sorted(d.code for d in lint_paths([path]))
    assert codes == ["FL101", "FL102", "FL200"]
