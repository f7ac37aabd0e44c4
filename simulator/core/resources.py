"""Where the bundled scenario library, rubric and assets live, inside the installed package."""

from __future__ import annotations

import os
import stat
import unicodedata
from dataclasses import dataclass
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


# A mood picture larger than this is refused (FL402) and never read by the app: the bundled ones are
# about 3 KB, and Qt takes seconds and gigabytes to draw an SVG of tens of megabytes.
MAX_AVATAR_BYTES = 1024 * 1024


@dataclass(frozen=True)
class AvatarFileProblem:
    """Why one mood picture of a set cannot be shown: ``missing``, ``escapes`` (a link that leaves
    the library's avatars folder; ``detail`` is where it leads), ``not_file`` (``detail`` says what
    it is instead) or ``too_large`` (``detail`` is its size in bytes)."""

    mood: str
    kind: str
    detail: str = ""

    @property
    def file_name(self) -> str:
        return f"{self.mood}.svg"


@dataclass(frozen=True)
class AvatarCheck:
    """What lint and the app know about a persona's avatar set.

    ``problem`` is about the set itself: ``invalid`` (a name no folder can have), ``missing`` or
    ``escapes`` (the name leads outside the avatars folder). ``files`` lists each mood picture of a
    found set that cannot be shown.
    """

    folder: Path | None
    problem: str | None
    files: tuple[AvatarFileProblem, ...] = ()

    @property
    def usable(self) -> bool:
        """True when the app may read the set: found, and no picture is a link out, too large or odd."""
        return self.folder is not None and all(f.kind == "missing" for f in self.files)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _check_mood_file(folder: Path, root: Path, mood: str) -> AvatarFileProblem | None:
    picture = avatar_file(folder, mood)
    try:
        info = os.lstat(picture)
        if stat.S_ISLNK(info.st_mode):  # only a link can lead out of the set's folder (which is inside root)
            target = picture.resolve()
            if not _inside(target, root):
                return AvatarFileProblem(mood, "escapes", str(target))
            info = os.stat(target)
    except (OSError, RuntimeError):  # missing, a dangling link, a link loop
        return AvatarFileProblem(mood, "missing")
    if not stat.S_ISREG(info.st_mode):
        return AvatarFileProblem(mood, "not_file", _kind_of(info.st_mode))
    if info.st_size > MAX_AVATAR_BYTES:
        return AvatarFileProblem(mood, "too_large", str(info.st_size))
    return None


def inspect_avatar(scenario_path: Path | None, avatar: str) -> AvatarCheck:
    """Find the avatar set and check every mood picture in it, without reading any of them."""
    if not avatar or any(unicodedata.category(c) in ("Cc", "Cs") for c in avatar):
        return AvatarCheck(None, "invalid")  # NUL and other control characters: no folder has such a name
    for base in avatar_dirs_for(scenario_path):
        try:
            root = base.resolve()
            candidate = (base / avatar).resolve()
        except (OSError, RuntimeError, ValueError):  # a link loop, or a name the system refuses
            return AvatarCheck(None, "invalid")
        if not _inside(candidate, root):
            return AvatarCheck(None, "escapes")
        if candidate == root or not candidate.is_dir():
            continue
        problems = (_check_mood_file(candidate, root, mood) for mood in AVATAR_MOODS)
        return AvatarCheck(candidate, None, tuple(p for p in problems if p is not None))
    return AvatarCheck(None, "missing")


def resolve_avatar(scenario_path: Path | None, avatar: str) -> tuple[Path | None, str | None]:
    """The avatar set folder the app may read, or None and why: ``missing``, ``escapes``, ``invalid``,
    or ``unsafe`` (a mood picture is a link out of the library, too large, or not a regular file)."""
    check = inspect_avatar(scenario_path, avatar)
    if check.folder is not None and not check.usable:
        return None, "unsafe"
    return check.folder, check.problem


def avatar_file(set_dir: Path, mood: str) -> Path:
    return set_dir / f"{mood}.svg"
