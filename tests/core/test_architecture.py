"""The core stays free of Qt, and the generated docs stay in step with the code."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from simulator.core import lint_paths, scenario_json_schema
from simulator.core.lintdocs import lint_codes_markdown

REPO = Path(__file__).resolve().parents[2]


def test_importing_the_core_and_cli_does_not_import_qt() -> None:
    code = (
        "import sys, simulator.core, simulator.cli.main; "
        "from simulator.core import *; "
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_core_module_mentions_qt() -> None:
    for path in (REPO / "simulator" / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide6" not in text and "shiboken" not in text, path


def test_lint_codes_doc_is_generated_from_the_rules() -> None:
    assert (REPO / "docs" / "lint-codes.md").read_text(encoding="utf-8") == lint_codes_markdown()


def test_schema_file_matches_the_models() -> None:
    on_disk = json.loads((REPO / "docs" / "scenario.schema.json").read_text(encoding="utf-8"))
    assert on_disk == scenario_json_schema()
    assert on_disk["$schema"].endswith("2020-12/schema")
    reply = on_disk["$defs"]["Reply"]["properties"]
    assert "if" in reply and reply["why"]["description"]


def test_documented_example_is_lint_clean(tmp_path: Path) -> None:
    text = (REPO / "docs" / "scenario-format.md").read_text(encoding="utf-8")
    block = text.split("## A complete example", 1)[1].split("```yaml\n", 1)[1].split("```", 1)[0]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    assert lint_paths([path]) == []
    golden = (REPO / "tests" / "core" / "golden" / "late-parcel.yaml").read_text(encoding="utf-8")
    assert golden == block, "the golden copy of the example must match the docs"
