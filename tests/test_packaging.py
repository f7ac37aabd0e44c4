"""A real wheel carries the bundled library inside the package and nothing at the top of site-packages."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(REPO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    [path] = out.glob("frontline-*.whl")
    return path


def test_wheel_holds_scenarios_rubric_and_assets_inside_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"simulator", next(t for t in tops if t.endswith(".dist-info"))}
    assert "simulator/bundled/scenarios/rubric.yaml" in names
    assert "simulator/bundled/assets/avatars/default/furious.svg" in names
    repo_scenarios = {p.name for p in (REPO / "scenarios").glob("*.yaml")}
    packed = {n.rsplit("/", 1)[1] for n in names if n.startswith("simulator/bundled/scenarios/")}
    assert repo_scenarios <= packed


def test_installed_layout_lints_its_own_library(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "from simulator.cli.main import main; from simulator.core.resources import bundled_scenarios_dir; "
        "import sys; d = bundled_scenarios_dir(); assert str(d).startswith(sys.argv[1]), d; "
        "sys.exit(main(['lint', '--strict', str(d)]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
