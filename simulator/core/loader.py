"""Load and lint scenario and rubric files: safe YAML, model validation, then every lint rule."""

from __future__ import annotations

import difflib
import logging
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .analysis import Analysis, analyse
from .codes import LOADER_AND_SCHEMA_CODES
from .diagnostics import Diagnostic, Severity, sort_diagnostics
from .errors import LoadError
from .models import Ending, Node, Persona, Reply, Route, Rubric, Scenario, Source, Timeout, Trait
from .resources import bundled_rubric_path
from .rules import RULES
from .rules._base import LintContext
from .safe_yaml import MAX_BYTES, LocDict, decode_utf8, load_yaml, position_of, too_large

log = logging.getLogger(__name__)

RUBRIC_FILE_NAME = "rubric.yaml"


def _max_items(model: type[BaseModel], name: str) -> int:
    """A list field's ``max_length`` from the model, so the early count and validation agree."""
    for meta in model.model_fields[name].metadata:
        most = getattr(meta, "max_length", None)
        if isinstance(most, int):
            return most
    raise LookupError(f"{model.__name__}.{name} has no max_length")  # pragma: no cover - a models.py slip


MAX_NODES = _max_items(Scenario, "nodes")
# Read while parsing: a file with too many nodes stops at the first one over, not after parsing them all.
_SCENARIO_LIMITS: Mapping[str, tuple[int, str]] = {
    "nodes": (
        MAX_NODES,
        f"this is node {MAX_NODES + 1:,}, and a scenario may have at most {MAX_NODES:,} nodes, so reading "
        "stopped here; split the conversation into several scenarios",
    )
}

# Which model a mapping is, from the name of the field that holds it, for "did you mean".
_SCENARIO_PARTS: dict[str, type[BaseModel]] = {
    "": Scenario,
    "persona": Persona,
    "nodes": Node,
    "replies": Reply,
    "routes": Route,
    "ending": Ending,
    "timeout": Timeout,
}
_RUBRIC_PARTS: dict[str, type[BaseModel]] = {"": Rubric, "traits": Trait, "sources": Source}


@dataclass
class ScenarioFile:
    """The outcome of loading one scenario file: the scenario when it is usable, and every diagnostic."""

    path: str
    scenario: Scenario | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    analysis: Analysis | None = None
    file_path: Path | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.errors


def _keys_of(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _parent_model(loc: tuple[Any, ...], parts: dict[str, type[BaseModel]]) -> type[BaseModel] | None:
    names = [p for p in loc if isinstance(p, str)]
    return parts.get(names[-1] if names else "")


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value[:40]!r}"
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + "..."


def validation_diagnostics(
    exc: ValidationError, data: Any, path: str, parts: dict[str, type[BaseModel]]
) -> list[Diagnostic]:
    diags = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        kind = error["type"]
        where = ".".join(str(p) for p in loc) or "top level"
        if kind == "missing":
            code, pos = "FL100", position_of(data, loc[:-1])
            message = f"missing required field '{loc[-1]}'" + (
                f" in {'.'.join(map(str, loc[:-1]))}" if loc[:-1] else ""
            )
        elif kind == "extra_forbidden":
            code, pos = "FL102", position_of(data, loc, want_key=True)
            model = _parent_model(loc[:-1], parts)
            hint = ""
            if model is not None:
                close = difflib.get_close_matches(str(loc[-1]), _keys_of(model), n=1, cutoff=0.5)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
            message = f"unknown key '{loc[-1]}'{hint}"
        elif kind == "condition_syntax":
            code, pos = "FL104", position_of(data, loc)
            message = f"invalid condition: {error['msg']}"
        elif kind == "node_shape":
            code, pos = "FL105", position_of(data, loc)
            message = error["msg"]
        elif loc == ("format",) or loc == ("rubric",):
            code, pos = "FL103", position_of(data, loc)
            message = f"unsupported format {_describe(error.get('input'))}; this Frontline reads format 1"
        else:
            code, pos = "FL101", position_of(data, loc)
            message = f"{where}: {error['msg'][0].lower()}{error['msg'][1:]}, got {_describe(error.get('input'))}"
        info = LOADER_AND_SCHEMA_CODES[code]
        diags.append(Diagnostic(path, pos[0], pos[1], code, info.severity, message))
    return diags


def _not_a_file(mode: int) -> str | None:
    """Why a file of this mode cannot be a scenario, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "this is a folder, not a file; lint the folder to check every scenario in it"
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else ("a socket" if stat.S_ISSOCK(mode) else "not a regular file")
    )
    return f"this is {kind}, not a regular file, so it was not read; save the scenario as an ordinary file"


def _cannot_read(display: str, message: str) -> list[Diagnostic]:
    return [Diagnostic(display, 1, 1, "FL000", Severity.ERROR, message)]


def read_capped(file_path: Path, display: str, limit: int = MAX_BYTES) -> tuple[bytes | None, list[Diagnostic]]:
    """The file's bytes, or why not: its type and size are checked before reading, and at most
    ``limit + 1`` bytes are ever read, so a FIFO, ``/dev/zero`` or a huge file costs nothing."""
    try:
        before = os.stat(file_path)  # follows links: a link to /dev/zero is a device
        problem = _not_a_file(before.st_mode)
        if problem is not None:
            return None, _cannot_read(display, problem)
        if before.st_size > limit:
            return None, [too_large(display, before.st_size)]
        # O_NONBLOCK: should the path become a FIFO after the check, opening it still returns at once.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(file_path, flags)
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the path
        reason = getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__
        return None, _cannot_read(display, f"cannot read file: {reason}")
    with os.fdopen(fd, "rb") as handle:
        try:
            opened = os.fstat(handle.fileno())  # what was opened, in case the path changed since the check
            problem = _not_a_file(opened.st_mode)
            if problem is not None:
                return None, _cannot_read(display, problem)
            raw = handle.read(limit + 1)
        except OSError as exc:
            return None, _cannot_read(display, f"cannot read file: {exc.strerror or exc.__class__.__name__}")
    if len(raw) > limit:  # it grew after the check
        return None, [too_large(display, limit, exact=False)]
    return raw, []


def read_yaml_file(
    file_path: Path, display: str, list_limits: Mapping[str, tuple[int, str]] | None = None
) -> tuple[LocDict | None, list[Diagnostic]]:
    raw, diags = read_capped(file_path, display)
    if raw is None:
        return None, diags
    text, diags = decode_utf8(raw, display)
    del raw
    if text is None:
        return None, diags
    result = load_yaml(text, display, list_limits)
    return result.data, result.diagnostics


def _partial_scenario(data: LocDict) -> tuple[Scenario, list[tuple[int, Node]]]:
    """The parts of an invalid scenario that did validate, so graph rules can still report."""
    nodes: list[tuple[int, Node]] = []
    raw_nodes = data.get("nodes")
    if isinstance(raw_nodes, list):
        for index, raw in enumerate(raw_nodes):
            try:
                nodes.append((index, Node.model_validate(raw)))
            except ValidationError:
                continue
    start = data.get("start")
    focus = data.get("focus")
    fields: dict[str, Any] = {
        "nodes": [n for _, n in nodes],
        "start": start if isinstance(start, str) else None,
        "focus": [f for f in focus if isinstance(f, str)] if isinstance(focus, list) else [],
    }
    try:
        fields["persona"] = Persona.model_validate(data.get("persona"))
    except ValidationError:
        fields["persona"] = None
    return Scenario.model_construct(**fields), nodes


def _raw_ids(data: LocDict) -> set[str]:
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list):
        return set()
    return {n["id"] for n in raw_nodes if isinstance(n, dict) and isinstance(n.get("id"), str)}


def run_rules(ctx: LintContext, complete: bool = True) -> list[Diagnostic]:
    """Run the rules; with an incomplete scenario, only those that judge a node on its own."""
    diags = []
    for rule in RULES:
        if not complete and getattr(rule, "WHOLE_SCENARIO", False):
            continue
        severity = Severity(rule.SEVERITY)
        for finding in rule.check(ctx):
            loc, message = finding[0], finding[1]
            want_key = len(finding) > 2 and bool(finding[2])
            line, col = position_of(ctx.data, loc, want_key=want_key)
            diags.append(Diagnostic(ctx.path, line, col, rule.CODE, severity, message))
    return diags


def internal_error(display: str, exc: BaseException) -> Diagnostic:
    """FL000 for a file that made Frontline itself fail: that file's diagnostic, never a traceback."""
    log.error("checking %s failed", display, exc_info=exc)
    detail = f"{exc.__class__.__name__}: {exc}"
    if len(detail) > 200:
        detail = detail[:200] + "..."
    return Diagnostic(
        display,
        1,
        1,
        "FL000",
        Severity.ERROR,
        f"Frontline failed while checking this file ({detail}); this is a bug in Frontline, not in your file, "
        "so please report it with the file attached; other files were checked as usual",
    )


def load_scenario(file_path: Path | str, rubric: Rubric | None = None, display: str | None = None) -> ScenarioFile:
    """Read, validate and lint one scenario; never raises for a bad file (a failure is its FL000)."""
    file_path = Path(file_path)
    display = display or str(file_path)
    try:
        return _load_scenario(file_path, rubric, display)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's diagnostic
        return ScenarioFile(display, None, [internal_error(display, exc)], file_path=file_path)


def _load_scenario(file_path: Path, rubric: Rubric | None, display: str) -> ScenarioFile:
    if rubric is None:
        rubric = rubric_for(file_path)
    data, diags = read_yaml_file(file_path, display, _SCENARIO_LIMITS)
    if data is None:
        return ScenarioFile(display, None, diags, file_path=file_path)
    scenario: Scenario | None
    try:
        scenario = Scenario.model_validate(data)
        nodes = list(enumerate(scenario.nodes))
        valid = True
    except ValidationError as exc:
        diags.extend(validation_diagnostics(exc, data, display, _SCENARIO_PARTS))
        scenario, nodes = _partial_scenario(data)
        valid = False
    ctx = LintContext(display, file_path, data, scenario, nodes, _raw_ids(data), rubric)
    if nodes:
        diags.extend(run_rules(ctx, complete=valid))
    diags = sort_diagnostics(diags)
    if not valid:
        return ScenarioFile(display, None, diags, file_path=file_path)
    return ScenarioFile(display, scenario, diags, ctx.analysis, file_path=file_path)


def load_rubric_file(file_path: Path | str, display: str | None = None) -> tuple[Rubric | None, list[Diagnostic]]:
    """Read and validate a rubric; never raises for a bad file (a failure is its FL000)."""
    file_path = Path(file_path)
    display = display or str(file_path)
    try:
        return _load_rubric_file(file_path, display)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's diagnostic
        return None, [internal_error(display, exc)]


def _load_rubric_file(file_path: Path, display: str) -> tuple[Rubric | None, list[Diagnostic]]:
    data, diags = read_yaml_file(file_path, display)
    if data is None:
        return None, diags
    try:
        return Rubric.model_validate(data), diags
    except ValidationError as exc:
        return None, diags + validation_diagnostics(exc, data, display, _RUBRIC_PARTS)


@lru_cache(maxsize=32)
def _cached_rubric(file_path: Path, mtime_ns: int) -> Rubric:
    rubric, diags = load_rubric_file(file_path)
    if rubric is None:
        raise LoadError(str(file_path), diags)
    return rubric


def load_rubric(file_path: Path | str | None = None) -> Rubric:
    """The rubric at a path (default: the bundled one); raises LoadError with diagnostics."""
    path = Path(file_path) if file_path is not None else bundled_rubric_path()
    try:
        mtime = path.stat().st_mtime_ns
    except OSError as exc:
        raise LoadError(
            str(path), [Diagnostic(str(path), 1, 1, "FL000", Severity.ERROR, f"cannot read file: {exc.strerror}")]
        ) from None
    return _cached_rubric(path.resolve(), mtime)


def rubric_for(scenario_path: Path) -> Rubric | None:
    """The rubric a scenario is scored against: a rubric.yaml beside it, else the bundled one."""
    local = scenario_path.parent / RUBRIC_FILE_NAME
    try:
        return load_rubric(local if local.is_file() else None)
    except LoadError:
        return None


def is_rubric_file(file_path: Path) -> bool:
    return file_path.name == RUBRIC_FILE_NAME


def iter_yaml_files(paths: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml") and q.is_file()))
        else:
            files.append(p)
    return files


def iter_scenario_files(paths: Iterable[Path | str]) -> list[Path]:
    """The scenario files at these paths: YAML files other than a library's rubric."""
    return [p for p in iter_yaml_files(paths) if not is_rubric_file(p)]


def lint_paths(paths: Iterable[Path | str]) -> list[Diagnostic]:
    """Every diagnostic for the scenario and rubric files at these paths (folders are searched)."""
    diags: list[Diagnostic] = []
    for file_path in iter_yaml_files(paths):
        try:
            diags.extend(_lint_file(file_path))
        except Exception as exc:  # noqa: BLE001 - one file's failure never hides the other files' diagnostics
            diags.append(internal_error(str(file_path), exc))
    return sort_diagnostics(diags)


def _lint_file(file_path: Path) -> list[Diagnostic]:
    if is_rubric_file(file_path):
        return load_rubric_file(file_path)[1]
    diags = []
    rubric = rubric_for(file_path)
    if rubric is None:
        local = file_path.parent / RUBRIC_FILE_NAME
        diags.append(
            Diagnostic(str(file_path), 1, 1, "FL000", Severity.ERROR, f"cannot load the rubric {local}; lint it first")
        )
    diags.extend(load_scenario(file_path, rubric).diagnostics)
    return diags


def analyse_or_raise(loaded: ScenarioFile) -> tuple[Scenario, Analysis]:
    if loaded.scenario is None or loaded.errors:
        raise LoadError(loaded.path, loaded.errors or loaded.diagnostics)
    return loaded.scenario, loaded.analysis or analyse(loaded.scenario)
