"""`frontline lint FILE` imports only what linting needs: start-up is most of its time on one file."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SCENARIO = REPO / "scenarios" / "angry-retail-refund.yaml"

# What lint of one file never uses: the app, records export and sync, trainer reports, the codes doc, the
# random plays of --explore, the network.
NOT_FOR_LINT = (
    "PySide6",
    "shiboken6",
    "simulator.gui",
    "simulator.core.exports",
    "simulator.core.xapi",
    "simulator.core.lrs",
    "simulator.core.history",
    "simulator.core.tells",
    "simulator.core.graph",
    "simulator.core.coverage",
    "simulator.core.lintdocs",
    "simulator.core.playtest",  # only `lint --explore` plays
    "urllib.request",
    "http.client",
)


def _modules_after(argv: list[str]) -> tuple[int, set[str]]:
    code = (
        "import json, sys\n"
        "from simulator.cli.main import main\n"
        f"status = main({argv!r})\n"
        "sys.stdout.flush()\n"
        "print('\\nMODULES ' + json.dumps(sorted(sys.modules)))\n"
        "sys.exit(status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    marker = done.stdout.rfind("MODULES ")
    assert marker >= 0, done.stdout + done.stderr
    return done.returncode, set(json.loads(done.stdout[marker + len("MODULES ") :]))


def test_lint_of_one_file_imports_nothing_it_does_not_use() -> None:
    status, modules = _modules_after(["lint", str(SCENARIO)])
    assert status == 0
    assert "simulator.core.loader" in modules  # it did lint
    unused = sorted(m for m in modules if m.startswith(NOT_FOR_LINT))
    assert unused == []


def test_the_commands_that_need_more_still_import_it() -> None:
    # The lazy imports must not leave a command without its module: `codes` needs lintdocs.
    status, modules = _modules_after(["codes"])
    assert status == 0
    assert "simulator.core.lintdocs" in modules
    assert not any(m.startswith(("PySide6", "simulator.core.storage")) for m in modules)


def test_core_names_stay_functions_after_their_submodules_are_imported() -> None:
    # Importing `simulator.core.replay` binds the module on the package; the name must still be the function.
    code = (
        "import simulator.core.explore, simulator.core.coverage, simulator.core.replay\n"
        "from simulator.core import coverage, explore, replay\n"
        "import simulator.core as core\n"
        "print([callable(f) and not isinstance(f, type(core)) for f in (coverage, explore, replay)])\n"
        "print(sorted(n for n in core.__all__ if getattr(core, n, None) is None))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["[True, True, True]", "[]"]


def test_the_typing_imports_name_the_same_things_as_the_lazy_table() -> None:
    # mypy reads the TYPE_CHECKING imports, the running program the table, ruff and importers the literal
    # __all__: a name in one of them only would type-check and then fail at run time (or the reverse).
    source = (REPO / "simulator" / "core" / "__init__.py").read_text(encoding="utf-8")
    guarded = next(
        node
        for node in ast.parse(source).body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    typed = {
        (str(node.module), alias.name)
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    import simulator.core as core

    table = {(module, name) for module, names in core._SUBMODULES.items() for name in names}
    assert typed == table
    assert sorted(core.__all__) == sorted(name for _, name in table)
