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


def _gui_sources() -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in (REPO / "simulator" / "gui").glob("*.py")}


def test_screens_call_the_application_layer_instead_of_sequencing_the_core() -> None:
    # The Session plays, scores and records an attempt; load_library assembles scenarios.
    for name, text in _gui_sources().items():
        for assembled_elsewhere in ("Story(", "build_debrief(", "save_progress(", "load_scenario(", "rubric_for("):
            assert assembled_elsewhere not in text, f"simulator/gui/{name} calls {assembled_elsewhere}"


def test_the_gui_runs_no_python_threads_and_leaves_the_collector_alone() -> None:
    # Qt objects and a Python worker thread must never share the heap: heavy work runs in a process.
    for name, text in _gui_sources().items():
        for forbidden in ("QThreadPool", "QRunnable", "QThread(", "threading.Thread", "gc.disable", "import gc"):
            assert forbidden not in text, f"simulator/gui/{name} uses {forbidden}"


def test_the_cli_uses_the_library_loader_for_rubrics() -> None:
    text = (REPO / "simulator" / "cli" / "main.py").read_text(encoding="utf-8")
    assert "rubric_for(" not in text and "load_rubric()" not in text, "a broken library rubric must never fall back"


def test_no_tracked_symlinks() -> None:
    # A Windows checkout with core.symlinks=false turns each into a small text file.
    result = subprocess.run(["git", "ls-files", "-s"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    links = [line.split("\t", 1)[1] for line in result.stdout.splitlines() if line.startswith("120000")]
    assert links == []
