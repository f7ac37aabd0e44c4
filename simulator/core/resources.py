"""Where the bundled scenario library, rubric and assets live, inside the installed package."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from .errors import FrontlineError

AVATAR_MOODS = ("furious", "annoyed", "neutral", "confused", "satisfied")


def bundled_dir(name: str) -> Path:
    """A bundled folder ("scenarios" or "assets"), found through the package's resources.

    An installed wheel holds them as package data in ``simulator/bundled/`` (the build maps the
    repository's top-level folders there). A source checkout or an editable install reads the
    top-level folders themselves, next to the package. Both are real folders on disk:
    ``files()`` of a package installed as files is the folder itself, so no temporary copy is
    made and none can vanish under the caller.
    """
    packaged = files("simulator.bundled") / name
    if isinstance(packaged, Path) and packaged.is_dir():
        return packaged
    package = files("simulator")
    if isinstance(package, Path) and (package.parent / name).is_dir():
        return package.parent / name
    raise FrontlineError(
        f"the bundled {name} folder is missing from this installation ({packaged}); reinstall Frontline"
    )


def bundled_scenarios_dir() -> Path:
    return bundled_dir("scenarios")


def bundled_assets_dir() -> Path:
    return bundled_dir("assets")


def bundled_rubric_path() -> Path:
    return bundled_scenarios_dir() / "rubric.yaml"


def avatar_dirs_for(scenario_path: Path | None) -> list[Path]:
    """Folders holding avatar sets, most specific first: the scenario's own library, then the bundle."""
    dirs = []
    if scenario_path is not None:
        dirs.append(scenario_path.parent / "assets" / "avatars")
    dirs.append(bundled_assets_dir() / "avatars")
    return dirs


def resolve_avatar(scenario_path: Path | None, avatar: str) -> tuple[Path | None, str | None]:
    """The avatar set folder, or None and why: missing, or a path that leaves its library."""
    for base in avatar_dirs_for(scenario_path):
        candidate = (base / avatar).resolve()
        root = base.resolve()
        if candidate != root and root not in candidate.parents:
            return None, "escapes"
        if candidate.is_dir():
            return candidate, None
    return None, "missing"


def avatar_file(set_dir: Path, mood: str) -> Path:
    return set_dir / f"{mood}.svg"
