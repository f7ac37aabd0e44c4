"""The authoring guide stays true to the code: its lint codes exist, its links resolve, README links it."""

from __future__ import annotations

import re
from pathlib import Path

from simulator.core.lintdocs import all_codes

REPO = Path(__file__).resolve().parents[2]
GUIDE = REPO / "docs" / "authoring.md"


def test_the_guide_names_real_codes_and_links_the_full_list() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    named = set(re.findall(r"\bFL\d{3}\b", text))
    known = {c.code for c in all_codes()}
    assert named <= known, named - known
    assert {"FL101", "FL200", "FL302", "FL500"} <= named
    assert "(lint-codes.md)" in text


def test_the_guides_links_resolve_and_readme_links_it() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", text)
    assert targets
    for target in targets:
        assert (GUIDE.parent / target).exists(), target
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    writing = readme.split("## Writing scenarios", 1)[1].split("\n## ", 1)[0]
    assert "(docs/authoring.md)" in writing
