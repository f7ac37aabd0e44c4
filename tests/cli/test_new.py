"""frontline new: a starter scenario for each kind that lints clean (checks included), never overwriting a file."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from simulator.cli.main import main
from simulator.core import lint_paths, load_scenario


@pytest.mark.parametrize("kind", ["angry", "confused", "rude"])
def test_each_kind_starts_clean(tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / f"my-{kind}"), "--kind", kind]) == 0
    path = tmp_path / f"my-{kind}.yaml"
    assert f"wrote {path}" in capsys.readouterr().out
    assert lint_paths([path]) == []  # strict: no warnings either, and its checks: pass
    loaded = load_scenario(path)
    assert loaded.scenario is not None
    scenario = loaded.scenario
    assert (scenario.id, scenario.persona.kind) == (f"my-{kind}", kind)
    assert len(scenario.checks) == 1
    assert path.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=scenario.schema.json\n")
    assert (tmp_path / "scenario.schema.json").read_text(encoding="utf-8").lstrip().startswith("{")


def test_it_never_overwrites_and_refuses_a_bad_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = tmp_path / "mine.yaml"
    existing.write_text("keep me", encoding="utf-8")
    assert main(["new", str(existing)]) == 2
    assert "already exists" in capsys.readouterr().err and existing.read_text(encoding="utf-8") == "keep me"
    assert main(["new", str(tmp_path / "9lives.yaml")]) == 2
    assert "cannot be a scenario id" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "missing" / "x.yaml")]) == 2
    assert "no such folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]


@pytest.mark.skipif(not hasattr(os, "fchmod"), reason="file modes are POSIX")
def test_the_new_file_is_an_ordinary_file_not_a_private_one(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert main(["new", str(tmp_path / "open.yaml")]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "open.yaml").stat().st_mode) == 0o644
