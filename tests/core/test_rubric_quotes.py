"""The trait rubric: it validates, and every quote appears word for word in the document it cites.

The documents live in the repository, in docs/sources/, so these tests run (and fail, never skip)
on any checkout. They are copies of the team's seed folder, shared/seeds/ beside the checkout; the
last test keeps the copies identical to it wherever that folder is present.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from simulator.core.models import Rubric

REPO = Path(__file__).resolve().parents[2]
RUBRIC_PATH = REPO / "scenarios" / "rubric.yaml"
SOURCES_DIR = REPO / "docs" / "sources"
SEEDS_DIR = Path(__file__).parents[3] / "shared" / "seeds"

EXPECTED_IDS = [
    "empathy",
    "active_listening",
    "patience",
    "clear_communication",
    "knowledge",
    "solution_orientation",
    "honesty_fairness",
    "professionalism",
    "friendliness",
    "personal_touch",
    "ownership",
    "timeliness",
    "negotiation",
    "memory",
    "extra_mile",
]
EXPECTED_DOCUMENTS = 5


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _documents(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.txt")}


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    with RUBRIC_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return Rubric.model_validate(data)


def _assert_sources_complete(rubric: Rubric) -> None:
    """docs/sources/ holds the README and every document the rubric lists, none of them empty."""
    assert SOURCES_DIR.is_dir(), (
        f"{SOURCES_DIR} is missing: it holds the articles the rubric quotes. Copy shared/seeds/*.txt "
        "into it (and its README.md, under the header line) and commit them."
    )
    wanted = set(rubric.documents) | {"README.md"}
    present = {p.name for p in SOURCES_DIR.iterdir() if p.is_file() and p.stat().st_size > 0}
    missing = sorted(wanted - present)
    assert not missing, f"{SOURCES_DIR} is incomplete: missing or empty {missing}; copy them from shared/seeds/"


@pytest.fixture(scope="module")
def sources_dir(rubric: Rubric) -> Path:
    _assert_sources_complete(rubric)
    return SOURCES_DIR


def test_quotes_appear_in_cited_documents(rubric: Rubric, sources_dir: Path) -> None:
    texts: dict[str, str] = {}
    missing = []
    for trait in rubric.traits:
        for source in trait.sources:
            path = sources_dir / source.document
            if not path.is_file():
                missing.append(f"{trait.id}: document {source.document} not found in {sources_dir}")
                continue
            if source.document not in texts:
                texts[source.document] = _collapse(path.read_text(encoding="utf-8"))
            if _collapse(source.quote) not in texts[source.document]:
                missing.append(f"{trait.id}: quote not in {source.document}: {source.quote!r}")
    assert not missing, "\n".join(missing)


def test_cited_documents_listed_exist_and_all_cited(rubric: Rubric, sources_dir: Path) -> None:
    cited = {source.document for trait in rubric.traits for source in trait.sources}
    docs = _documents(sources_dir)
    listed = set(rubric.documents)
    assert len(docs) == EXPECTED_DOCUMENTS, f"expected five documents in {sources_dir}, found {sorted(docs)}"
    assert not cited - listed, f"cited but not listed under documents: {sorted(cited - listed)}"
    assert not cited - docs, f"cited but not in {sources_dir}: {sorted(cited - docs)}"
    assert not listed - docs, f"listed but not in {sources_dir}: {sorted(listed - docs)}"
    assert not docs - cited, f"documents never cited: {sorted(docs - cited)}"


def test_trait_ids(rubric: Rubric) -> None:
    ids = rubric.trait_ids
    assert len(ids) == len(set(ids)), f"duplicate trait ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    assert 12 <= len(ids) <= 16, f"expected 12 to 16 traits, found {len(ids)}"
    assert ids == EXPECTED_IDS


def test_sources_are_copies_of_the_seed_folder(rubric: Rubric) -> None:
    """Byte for byte where shared/seeds/ sits beside the checkout; without it, docs/sources/ must still be complete."""
    _assert_sources_complete(rubric)
    if not SEEDS_DIR.is_dir():
        return  # nothing to compare against here; docs/sources/ was checked complete just above
    seeds = _documents(SEEDS_DIR)
    copies = _documents(SOURCES_DIR)
    assert seeds == copies, (
        f"documents differ: only in {SEEDS_DIR}: {sorted(seeds - copies)}, "
        f"only in {SOURCES_DIR}: {sorted(copies - seeds)}"
    )
    changed = [name for name in sorted(seeds) if (SEEDS_DIR / name).read_bytes() != (SOURCES_DIR / name).read_bytes()]
    assert not changed, f"docs/sources/ copies differ from {SEEDS_DIR}: {changed}; copy them again"
    # docs/sources/README.md is the seed README under a short header saying where it comes from
    seed_readme = (SEEDS_DIR / "README.md").read_bytes()
    assert (SOURCES_DIR / "README.md").read_bytes().endswith(seed_readme), (
        f"docs/sources/README.md must end with {SEEDS_DIR / 'README.md'} byte for byte; copy it again under the header"
    )
