"""Load and lint scenario and rubric files: safe YAML, model validation, then every lint rule."""

from __future__ import annotations

import gc
import logging
import os
import re
import stat
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from .analysis import Analysis, analyse
from .codes import LOADER_AND_SCHEMA_CODES
from .diagnostics import Diagnostic, Severity, sort_diagnostics
from .errors import LoadError
from .library_index import RUBRIC_FILE_NAME as RUBRIC_FILE_NAME  # re-exported: the loader is where callers look for it
from .library_index import yaml_files
from .models import Ending, Node, Persona, Reply, Route, Rubric, Scenario, Source, Timeout, Trait
from .resources import bundled_rubric_path
from .rules import RULES
from .rules._base import LintContext
from .safe_yaml import MAX_BYTES, LocDict, decode_utf8, load_yaml, position_of, too_large
from .salvage import salvage_node
from .schema_messages import explain

log = logging.getLogger(__name__)


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
    # The `id:` as written, even in an invalid file, and where: lint compares ids across a library (FL209).
    scenario_id: str | None = None
    id_pos: tuple[int, int] | None = None

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.is_error]

    @property
    def ok(self) -> bool:
        return self.scenario is not None and not self.errors


# Explaining a validation error looks for the closest known name; a file with 10,000 bad nodes took
# seconds to list 30,000 of them, which no one reads. The rest are counted in the last one listed.
MAX_EXPLAINED = 500


def validation_diagnostics(
    exc: ValidationError, data: Any, path: str, parts: dict[str, type[BaseModel]]
) -> list[Diagnostic]:
    """Each validation error in a trainer's words, at the 1-based position of the mistake itself."""
    source = getattr(data, "source", None)
    lines = source.split("\n") if isinstance(source, str) else None
    diags = []
    errors = exc.errors()
    for number, error in enumerate(errors[: MAX_EXPLAINED + 1], start=1):
        found = explain(error, data, parts, lines)
        info = LOADER_AND_SCHEMA_CODES[found.code]
        message = found.message
        if number > MAX_EXPLAINED:
            message += f" (and {len(errors) - number:,} more like these, not listed: fix these first, then lint again)"
        diags.append(Diagnostic(path, found.pos[0], found.pos[1], found.code, info.severity, message, found.fix))
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
    except FileNotFoundError:
        fix = "check the spelling of the name and the folder it is in"
        return None, [
            Diagnostic(
                display, 1, 1, "FL000", Severity.ERROR, f"cannot read file: there is no file or folder here; {fix}", fix
            )
        ]
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


@dataclass
class _Partial:
    """What of an invalid scenario can still be checked."""

    scenario: Scenario
    nodes: list[tuple[int, Node]]
    repaired: set[int]  # raw indexes of nodes that validate only after salvage_node repaired them
    kept: dict[tuple[int, str], list[int]]  # (node index, "replies"/"routes"): raw index of each kept item
    whole: bool  # every node is there, so the rules that need the whole graph can run


def _partial_scenario(data: LocDict, errors: list[tuple[Any, ...]]) -> _Partial:
    """The parts of an invalid scenario that validate, invalid nodes repaired, so graph rules can still report."""
    nodes: list[tuple[int, Node]] = []
    repaired: set[int] = set()
    kept: dict[tuple[int, str], list[int]] = {}
    raw_nodes = data.get("nodes")
    whole = isinstance(raw_nodes, list) and not any(loc[:1] == ("start",) for loc in errors)
    if isinstance(raw_nodes, list):
        ids = sorted(_raw_ids(data))
        for index, raw in enumerate(raw_nodes):
            found = salvage_node(raw, ids)
            if found is None:
                whole = False
                continue
            nodes.append((index, found.node))
            if found.repaired:
                repaired.add(index)
                for name, indexes in found.kept.items():
                    kept[(index, name)] = indexes
    start = data.get("start")
    focus = data.get("focus")
    fields: dict[str, Any] = {
        "nodes": [n for _, n in nodes],
        "start": start if isinstance(start, str) else None,
        "focus": [f for f in focus if isinstance(f, str)] if isinstance(focus, list) else [],
        "pass_mark": data.get("pass_mark") if isinstance(data.get("pass_mark"), int) else 0,
    }
    try:
        fields["persona"] = Persona.model_validate(data.get("persona"))
    except ValidationError:
        fields["persona"] = None
    return _Partial(Scenario.model_construct(**fields), nodes, repaired, kept, whole)


def _raw_ids(data: LocDict) -> set[str]:
    raw_nodes = data.get("nodes")
    if not isinstance(raw_nodes, list):
        return set()
    return {n["id"] for n in raw_nodes if isinstance(n, dict) and isinstance(n.get("id"), str)}


# The rules that need the whole graph and still hold on an invalid file whose nodes were all kept
# (repaired where needed); the others that need the whole scenario judge scores, plays or checks,
# which mean nothing until the file is valid.
_GRAPH_RULES = frozenset({"FL202", "FL204", "FL205", "FL303", "FL304"})
# Rules that judge a node's own content: a repaired node's placeholders would mislead them.
_JUDGES_CONTENT = frozenset({"FL203", "FL207", "FL301", "FL302"})


def run_rules(ctx: LintContext, complete: bool = True, partial: _Partial | None = None) -> list[Diagnostic]:
    """Run the rules. For an invalid file (``partial``), the graph rules run on its repaired nodes when
    every node could be kept, and findings inside a repaired node are kept only when they are about the
    graph, not the node's content."""
    diags = []
    for rule in RULES:
        if not complete and getattr(rule, "WHOLE_SCENARIO", False):
            if partial is None or not partial.whole or rule.CODE not in _GRAPH_RULES:
                continue
        severity = Severity(rule.SEVERITY)
        for finding in rule.check(ctx):
            loc, message = finding[0], finding[1]
            if partial is not None:
                if rule.CODE in _JUDGES_CONTENT and _in_repaired(loc, partial):
                    continue
                loc = _raw_loc(loc, partial)
            want_key = len(finding) > 2 and bool(finding[2])
            line, col = position_of(ctx.data, loc, want_key=want_key)
            diags.append(Diagnostic(ctx.path, line, col, rule.CODE, severity, message, _fix_from(message)))
    return diags


def _in_repaired(loc: tuple[Any, ...], partial: _Partial) -> bool:
    return len(loc) >= 2 and loc[0] == "nodes" and loc[1] in partial.repaired


def _raw_loc(loc: tuple[Any, ...], partial: _Partial) -> tuple[Any, ...]:
    """A finding's location in the file: a repaired node's replies and routes are renumbered as written."""
    if len(loc) >= 4 and loc[0] == "nodes" and isinstance(loc[3], int):
        indexes = partial.kept.get((loc[1], loc[2]))
        if indexes is not None and loc[3] < len(indexes):
            return loc[:3] + (indexes[loc[3]],) + loc[4:]
    return loc


_DID_YOU_MEAN = re.compile(r"\(did you mean '([^']+)'\?\)")


def _fix_from(message: str) -> str | None:
    """The fix a rule's message suggests, for ``--format json``: its "did you mean" becomes "write 'X'"."""
    match = _DID_YOU_MEAN.search(message)
    return f"write '{match.group(1)}'" if match else None


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


@contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while one file is read and checked.

    Parsing and validation make hundreds of thousands of objects and no reference cycles, so every
    collection the allocations trigger finds nothing, yet each full one walks everything made so far:
    that made loading grow faster than the file (n^1.28). Collection resumes when the file is done."""
    if not gc.isenabled():  # nested, or the caller manages the collector itself
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def load_scenario(
    file_path: Path | str,
    rubric: Rubric | None = None,
    display: str | None = None,
    *,
    explore: int = 0,
    seed: int = 0,
) -> ScenarioFile:
    """Read, validate and lint one scenario; never raises for a bad file (a failure is its FL000).

    ``explore`` random plays (from ``seed``) are played through a valid scenario, and each problem
    they meet is an FL210 diagnostic."""
    file_path = Path(file_path)
    display = display or str(file_path)
    try:
        with paused_gc():
            return _load_scenario(file_path, rubric, display, explore, seed)
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's diagnostic
        return ScenarioFile(display, None, [internal_error(display, exc)], file_path=file_path)


def _load_scenario(file_path: Path, rubric: Rubric | None, display: str, explore: int, seed: int) -> ScenarioFile:
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
        partial = None
    except ValidationError as exc:
        diags.extend(validation_diagnostics(exc, data, display, _SCENARIO_PARTS))
        partial = _partial_scenario(data, [tuple(e["loc"]) for e in exc.errors()])
        scenario, nodes = partial.scenario, partial.nodes
        valid = False
    ctx = LintContext(display, file_path, data, scenario, nodes, _raw_ids(data), rubric)
    if nodes:
        diags.extend(run_rules(ctx, complete=valid, partial=partial))
    if valid and explore > 0 and not any(d.is_error for d in diags):
        diags.extend(_explore(ctx, explore, seed))
    diags = sort_diagnostics(diags)
    raw_id = data.get("id")
    ids: dict[str, Any] = {}
    if isinstance(raw_id, str) and raw_id:
        ids = {"scenario_id": raw_id, "id_pos": data.value_pos["id"]}
    if not valid:
        return ScenarioFile(display, None, diags, file_path=file_path, **ids)
    return ScenarioFile(display, scenario, diags, ctx.analysis, file_path=file_path, **ids)


def _explore(ctx: LintContext, plays: int, seed: int) -> list[Diagnostic]:
    from .playtest import random_plays  # only `lint --explore` plays: the rest never import it

    index: dict[str, int] = {}
    for i, node in ctx.nodes:
        index.setdefault(node.id, i)
    info = LOADER_AND_SCHEMA_CODES["FL210"]
    diags = []
    for problem in random_plays(ctx.scenario, plays, seed):
        line, col = position_of(ctx.data, ("nodes", index.get(problem.node_id, 0), "id"))
        diags.append(Diagnostic(ctx.path, line, col, info.code, info.severity, problem.message, problem.fix))
    return diags


def load_rubric_file(file_path: Path | str, display: str | None = None) -> tuple[Rubric | None, list[Diagnostic]]:
    """Read and validate a rubric; never raises for a bad file (a failure is its FL000)."""
    file_path = Path(file_path)
    display = display or str(file_path)
    try:
        with paused_gc():
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
            files.extend(yaml_files(p))
        else:
            files.append(p)
    return files


def iter_scenario_files(paths: Iterable[Path | str]) -> list[Path]:
    """The scenario files at these paths: YAML files other than a library's rubric."""
    return [p for p in iter_yaml_files(paths) if not is_rubric_file(p)]


# A batch this size or larger is checked in several processes when lint_paths is given jobs > 1: below
# it, starting the processes costs more than they save.
PARALLEL_FROM = 8

# One file's outcome as a worker hands it back: its diagnostics, and (path, id, position) when it is
# playable, for FL209. Plain data, so it crosses a process boundary cheaply.
_FileOutcome = tuple[list[Diagnostic], tuple[str, str, tuple[int, int]] | None]


def lint_paths(paths: Iterable[Path | str], *, explore: int = 0, seed: int = 0, jobs: int = 1) -> list[Diagnostic]:
    """Every diagnostic for the scenario and rubric files at these paths (folders are searched).

    Files found under one folder given, or given together from one folder, form a library, in which no
    two scenarios may share an id (FL209). ``explore`` random plays go through each valid scenario (FL210).
    ``jobs`` > 1 checks a batch of ``PARALLEL_FROM`` or more files in that many forked processes, where
    the system can fork; the diagnostics are the same, in the same order, either way.
    """
    files = _files_by_library(paths)
    outcomes = _lint_parallel([f for f, _ in files], explore, seed, jobs)
    if outcomes is None:
        outcomes = [_lint_outcome(f, explore, seed) for f, _ in files]
    diags: list[Diagnostic] = []
    ids: dict[tuple[Path, str], list[tuple[str, tuple[int, int]]]] = {}
    for (_, library), (found, playable) in zip(files, outcomes, strict=True):
        diags.extend(found)
        if playable is not None:
            path, scenario_id, id_pos = playable
            ids.setdefault((library, scenario_id), []).append((path, id_pos))
    diags.extend(_shared_ids(ids))
    return sort_diagnostics(diags)


def _lint_outcome(file_path: Path, explore: int = 0, seed: int = 0) -> _FileOutcome:
    try:
        found, loaded = _lint_file(file_path, explore, seed)
    except Exception as exc:  # noqa: BLE001 - one file's failure never hides the other files' diagnostics
        return [internal_error(str(file_path), exc)], None
    # Only playable files are compared: the app leaves a file with errors out of the library, and its
    # clash (if any) is reported once its errors are fixed.
    if loaded is not None and loaded.ok and loaded.scenario_id is not None and loaded.id_pos is not None:
        return found, (loaded.path, loaded.scenario_id, loaded.id_pos)
    return found, None


def _lint_parallel(files: list[Path], explore: int, seed: int, jobs: int) -> list[_FileOutcome] | None:
    """The files' outcomes, in order, from ``jobs`` forked processes; None when that is not worth it or
    not possible here, and the caller checks them in this process instead."""
    import multiprocessing

    if jobs < 2 or len(files) < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return None
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool
    from functools import partial

    # Forked workers share what is loaded already: the bundled rubric, read once here, is read by none of them.
    rubric_for(files[0])
    workers = min(jobs, len(files))
    chunk = max(1, min(32, len(files) // (workers * 4)))
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            return list(pool.map(partial(_lint_outcome, explore=explore, seed=seed), files, chunksize=chunk))
    except (BrokenProcessPool, OSError) as exc:
        # A worker that died (or could not start) leaves no outcome for its files: check them all here.
        log.warning("checking files in %d processes failed (%s); checking them in this one", workers, exc)
        return None


def default_jobs() -> int:
    """How many processes `frontline lint` checks a large batch in: one a core, at most two (the
    measured gain stops there on a desktop, and lint should leave the machine usable)."""
    try:
        cores = len(os.sched_getaffinity(0))  # the cores this process may run on, not the machine's
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(2, cores))


def _files_by_library(paths: Iterable[Path | str]) -> list[tuple[Path, Path]]:
    """Each file to lint, with the library it belongs to: the folder given, or a file's own folder."""
    found: list[tuple[Path, Path]] = []
    for p in map(Path, paths):
        if p.is_dir():
            library = _resolved(p)
            found.extend((f, library) for f in iter_yaml_files([p]))
        else:
            found.append((p, _resolved(p.parent)))
    return found


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return path


def _shared_ids(ids: dict[tuple[Path, str], list[tuple[str, tuple[int, int]]]]) -> list[Diagnostic]:
    info = LOADER_AND_SCHEMA_CODES["FL209"]
    diags = []
    for (_, scenario_id), files in ids.items():
        if len(files) < 2:
            continue
        for path, (line, col) in files:
            others = ", ".join(other for other, _ in files if other != path) or "another file"
            fix = "give one of them an id of its own"
            diags.append(
                Diagnostic(
                    path,
                    line,
                    col,
                    info.code,
                    info.severity,
                    f"scenario id '{scenario_id}' is also the id of {others} in the same library; attempt records "
                    f"are kept by scenario id, so the two would mix; {fix}",
                    fix,
                )
            )
    return diags


def _lint_file(file_path: Path, explore: int = 0, seed: int = 0) -> tuple[list[Diagnostic], ScenarioFile | None]:
    if is_rubric_file(file_path):
        return load_rubric_file(file_path)[1], None
    diags = []
    rubric = rubric_for(file_path)
    if rubric is None:
        local = file_path.parent / RUBRIC_FILE_NAME
        diags.append(
            Diagnostic(str(file_path), 1, 1, "FL000", Severity.ERROR, f"cannot load the rubric {local}; lint it first")
        )
    loaded = load_scenario(file_path, rubric, explore=explore, seed=seed)
    diags.extend(loaded.diagnostics)
    return diags, loaded


def analyse_or_raise(loaded: ScenarioFile) -> tuple[Scenario, Analysis]:
    if loaded.scenario is None or loaded.errors:
        raise LoadError(loaded.path, loaded.errors or loaded.diagnostics)
    return loaded.scenario, loaded.analysis or analyse(loaded.scenario)
