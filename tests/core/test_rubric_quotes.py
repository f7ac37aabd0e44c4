"""The trait rubric: it validates, and every quote appears word for word in the document it cites."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from simulator.core.models import Rubric

RUBRIC_PATH = Path(__file__).parents[2] / "scenarios" / "rubric.yaml"
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


def _collapse(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    with RUBRIC_PATH.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    return Rubric.model_validate(data)


@pytest.fixture(scope="module")
def seeds_dir() -> Path:
    if not SEEDS_DIR.is_dir():
        pytest.skip(f"seed documents not found at {SEEDS_DIR} (shared/ is not checked out beside the repository)")
    return SEEDS_DIR


def _seed_documents(seeds_dir: Path) -> set[str]:
    return {p.name for p in seeds_dir.glob("*.txt")}


def test_quotes_appear_in_cited_documents(rubric: Rubric, seeds_dir: Path) -> None:
    texts: dict[str, str] = {}
    missing = []
    for trait in rubric.traits:
        for source in trait.sources:
            path = seeds_dir / source.document
            if not path.is_file():
                missing.append(f"{trait.id}: document {source.document} not found")
                continue
            if source.document not in texts:
                texts[source.document] = _collapse(path.read_text(encoding="utf-8"))
            if _collapse(source.quote) not in texts[source.document]:
                missing.append(f"{trait.id}: quote not in {source.document}: {source.quote!r}")
    assert not missing, "\n".join(missing)


def test_cited_documents_listed_exist_and_all_cited(rubric: Rubric, seeds_dir: Path) -> None:
    cited = {source.document for trait in rubric.traits for source in trait.sources}
    seeds = _seed_documents(seeds_dir)
    assert len(seeds) == 5, f"expected five seed documents in {seeds_dir}, found {sorted(seeds)}"
    assert not cited - set(rubric.documents), f"cited but not listed under documents: {sorted(cited - set(rubric.documents))}"
    assert not cited - seeds, f"cited but not in the seeds folder: {sorted(cited - seeds)}"
    assert not set(rubric.documents) - seeds, f"listed but not in the seeds folder: {sorted(set(rubric.documents) - seeds)}"
    assert not seeds - cited, f"seed documents never cited: {sorted(seeds - cited)}"


def test_trait_ids(rubric: Rubric) -> None:
    ids = rubric.trait_ids
    assert len(ids) == len(set(ids)), f"duplicate trait ids: {sorted({i for i in ids if ids.count(i) > 1})}"
    assert 12 <= len(ids) <= 16, f"expected 12 to 16 traits, found {len(ids)}"
    assert ids == EXPECTED_IDS
