"""The `frontline` command: lint, schema, stats, replay and coverage on the core; no arguments starts the app."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

# Only what every command needs is imported here; each command imports the rest itself, so
# `frontline lint FILE` never pays for storage, sessions, exports, xAPI or the JSON Schema.
from simulator.core.diagnostics import FORMATTERS, printable
from simulator.core.errors import FrontlineError, LoadError, StorageError
from simulator.core.library_worker import WORKER_COMMAND
from simulator.core.starter import KINDS

if TYPE_CHECKING:
    from simulator.core.analysis import Analysis
    from simulator.core.explore import Play
    from simulator.core.models import Rubric, Scenario
    from simulator.core.scoring import Debrief
    from simulator.core.session import Session
    from simulator.core.storage import AttemptRecord, AttemptStore

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="frontline",
        description="Frontline: practise hard customer conversations. With no command, starts the app.",
    )
    parser.add_argument("--library", action="append", default=[], metavar="DIR", help="also show scenarios from DIR")
    parser.add_argument(
        "--self-test",
        nargs="?",
        const="",
        metavar="PDF",
        help="start the app, play the best path of a bundled scenario through its window, save the debrief as PDF "
        "(default: self-test-debrief.pdf in the data folder), check the library, and exit 0 when all is well",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    lint = sub.add_parser("lint", help="check scenario and rubric files; exit 1 on errors")
    lint.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    lint.add_argument("--strict", action="store_true", help="treat warnings as errors")
    lint.add_argument(
        "--format",
        choices=sorted(FORMATTERS),
        default="text",
        help="text (default); json: a summary (files checked, errors, warnings) and each diagnostic with its fix; "
        "github: annotations for a CI job",
    )
    lint.add_argument(
        "--explore",
        type=_play_count,
        default=0,
        metavar="N",
        help="also play N random paths through each valid scenario and report any that get stuck or never end (FL210)",
    )
    lint.add_argument("--seed", type=int, default=0, metavar="S", help="with --explore: draw the paths from seed S")
    lint.add_argument(
        "--jobs",
        type=_job_count,
        default=None,
        metavar="N",
        help="check 8 or more files in N processes (default: one a core, at most 2); 1 checks them in this one. "
        "The output is the same either way",
    )

    sub.add_parser("schema", help="print the JSON Schema of the scenario format")

    stats = sub.add_parser("stats", help="size, score bounds and best/worst paths of a scenario")
    stats.add_argument("file", type=Path)
    stats.add_argument("--json", action="store_true")
    stats.add_argument(
        "--budget",
        type=float,
        default=STATS_BUDGET,
        metavar="SECONDS",
        help=f"search for at most this long (default {STATS_BUDGET:g}); a search cut short reports bounds and says so",
    )

    rep = sub.add_parser("replay", help="play a path headless and print the debrief")
    rep.add_argument("file", type=Path)
    rep.add_argument(
        "--choices", required=True, help="reply numbers as the trainee sees them, e.g. 1,3,2 ('t' = timeout)"
    )
    rep.add_argument(
        "--seed",
        type=int,
        default=None,
        help="number the replies in the shuffled order an attempt with this seed showed (default: the file's order)",
    )
    rep.add_argument("--json", action="store_true", help="the debrief as JSON (fields: docs/authoring-tools.md)")
    rep.add_argument(
        "--partial",
        action="store_true",
        help="allow choices that stop before an ending and show the attempt so far (otherwise that is an error)",
    )
    rep.add_argument(
        "--record", action="store_true", help="save the replayed path as an attempt in the records (see history)"
    )
    rep.add_argument(
        "--trainee", default="", metavar="NAME", help="with --record: the trainee profile to save it under"
    )

    hist = sub.add_parser("history", help="list the attempts saved on this machine")
    hist.add_argument("--json", action="store_true")
    hist.add_argument("--trainee", metavar="NAME", help="only this trainee's attempts")

    exp = sub.add_parser("export", help="write saved attempts to a file: CSV, JSON, xAPI statements, or a debrief PDF")
    exp.add_argument(
        "--format",
        choices=["csv", "json", "xapi", "pdf"],
        required=True,
        help="pdf: one attempt's debrief (--attempt, or the newest finished attempt)",
    )
    exp.add_argument("--attempt", metavar="ID", help="only this attempt (its id, or the start of it, from history)")
    exp.add_argument("--trainee", metavar="NAME", help="only this trainee's attempts")
    exp.add_argument("-o", "--output", type=Path, required=True, metavar="PATH", help="the file to write")

    syn = sub.add_parser(
        "sync",
        help="send finished attempts to the learning record store (FRONTLINE_LRS_ENDPOINT or the [lrs] settings)",
    )
    for command in (rep, hist, exp, syn):
        command.add_argument(
            "--records",
            type=Path,
            metavar="FILE",
            help="the attempt records file (default: attempts.sqlite3 in the user data folder)",
        )

    sub.add_parser("codes", help="print the documentation of every lint code (Markdown)")

    cov = sub.add_parser("coverage", help="which traits each scenario scores up and down")
    cov.add_argument("dir", type=Path, metavar="PATH", help="a library folder, or one scenario file")
    cov.add_argument("--json", action="store_true")
    cov.add_argument(
        "--tells",
        action="store_true",
        help="instead, how often shortcuts (press 1, pick the longest, ...) find the model answer, against chance",
    )
    cov.add_argument(
        "--max-above-chance",
        type=float,
        metavar="N",
        help="with --tells: exit 1 if any shortcut beats chance by more than N points overall, "
        "the model answer is the only reply without a flaw at more than half the decision points, "
        "or fewer than one decision point in five is a close call",
    )

    graph = sub.add_parser("graph", help="write a scenario's branch graph as Graphviz DOT, Mermaid or SVG")
    graph.add_argument("file", type=Path)
    graph.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="OUT",
        help="out.dot, out.mmd or out.svg (SVG needs Graphviz's dot); default: DOT on standard output",
    )

    new = sub.add_parser("new", help="write a commented starter scenario that lints clean, to grow into your own")
    new.add_argument("path", type=Path, metavar="PATH", help="the new file, e.g. my-library/late-parcel.yaml")
    new.add_argument("--kind", choices=list(KINDS), default="angry", help="the kind of customer (default: angry)")

    author = sub.add_parser("author", help="open a scenario file (or a folder of them) in the authoring window")
    author.add_argument("path", type=Path, metavar="FILE|DIR")

    # The GUI's library loader runs in this hidden command's process (see core/library_worker.py).
    sub.add_parser(WORKER_COMMAND)
    return parser


def _load_ok(path: Path) -> tuple[Scenario, Analysis, Rubric]:
    """A scenario that can be played, with its library's rubric; LoadError otherwise."""
    from simulator.core.library import load_playable

    playable = load_playable(path).require_ok()
    assert playable.scenario is not None and playable.analysis is not None and playable.rubric is not None
    return playable.scenario, playable.analysis, playable.rubric


def _count(what: str, low: int, high: int) -> Callable[[str], int]:
    """An argparse type for a whole number of ``what`` from ``low`` to ``high``, with a message in words."""

    def parse(text: str) -> int:
        try:
            count = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of {what}") from None
        if not low <= count <= high:
            raise argparse.ArgumentTypeError(f"the number of {what} is {low:,} to {high:,}")
        return count

    return parse


_play_count = _count("plays", 0, 1_000_000)
_job_count = _count("processes", 1, 64)


def cmd_lint(args: argparse.Namespace) -> int:
    from simulator.core.diagnostics import format_json_report
    from simulator.core.loader import default_jobs, iter_yaml_files, lint_paths

    jobs = args.jobs if args.jobs is not None else default_jobs()
    # A missing path is a file that cannot be read: its FL000 comes out in every format, like any other problem.
    diags = lint_paths(args.paths, explore=args.explore, seed=args.seed, jobs=jobs)
    files = len(iter_yaml_files(args.paths))
    errors = sum(1 for d in diags if d.is_error)
    if args.format == "json":
        output = format_json_report(diags, files)
    else:
        output = FORMATTERS[args.format](diags)
    if output:
        print(output)
    failing = [d for d in diags if d.is_error or args.strict]
    if args.format == "text":
        print(f"{files} file(s) checked: {errors} error(s), {len(diags) - errors} warning(s)", file=sys.stderr)
    return EXIT_PROBLEMS if failing else EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from simulator.core.models import scenario_json_schema

    print(json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False))
    return EXIT_OK


def cmd_codes(args: argparse.Namespace) -> int:
    from simulator.core.lintdocs import lint_codes_markdown

    print(lint_codes_markdown(), end="")
    return EXIT_OK


STATS_BUDGET = 5.0  # seconds of search: with loading and replays, `frontline stats` answers well within 10 s


def cmd_stats(args: argparse.Namespace) -> int:
    if not 0 < args.budget <= 86_400:
        print("frontline stats: --budget is a number of seconds, more than 0 and at most 86400", file=sys.stderr)
        return EXIT_USAGE
    import time  # here, not at the top: only stats keeps time

    from simulator.core.explore import check_pass, explore

    scenario, analysis, rubric = _load_ok(args.file)
    started = time.monotonic()
    try:
        # Most of the budget for the plays and their best and worst; the rest for whether any play can pass.
        found = explore(scenario, rubric, analysis, deadline=started + 0.5 * args.budget)
        can_pass = check_pass(scenario, rubric, analysis, deadline=started + args.budget)
    except (MemoryError, RecursionError) as exc:
        what = "memory" if isinstance(exc, MemoryError) else "room for nested calls"
        print(
            f"frontline stats: ran out of {what} searching the plays of {args.file}; "
            "try a smaller --budget, or split the scenario",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    passing = can_pass.passing
    exact = found.complete
    why = {"time": f"the {args.budget:g} s budget ran out", "states": "the search met its limit of states"}
    data = {
        "id": scenario.id,
        "title": scenario.title,
        "kind": scenario.persona.kind,
        "nodes": len(scenario.nodes),
        "endings": len(analysis.endings),
        # None when a play can go round a loop and still finish: there is no limit to the number of plays.
        "paths": None if found.loops else found.plays,
        "paths_unlimited": found.loops,
        "traits": {t: {"min": b.worst, "max": b.best} for t, b in sorted(analysis.trait_bounds.items())},
        "best_path": found.best.choices if found.best else None,
        "worst_path": found.worst.choices if found.worst else None,
        "best_overall": found.best.overall if found.best else None,
        "worst_overall": found.worst.overall if found.worst else None,
        "best_outcome": found.best.outcome if found.best else None,
        "worst_outcome": found.worst.outcome if found.worst else None,
        "best_passes": found.best.passed if found.best else None,
        # The best-scoring play may end where no attempt passes (customer_lost): name one that passes.
        "passing_path": passing.choices if passing else None,
        "passing_overall": passing.overall if passing else None,
        "passing_outcome": passing.outcome if passing else None,
        "outcomes": {k: (None if found.loops else v) for k, v in found.outcomes.items()},
        "exhaustive": exact,
        # Exact: every play was searched. Otherwise each figure is a bound, and `bound` says which way.
        "exact": exact,
        "bound": None
        if exact
        else {
            "reason": why.get(found.stopped, found.stopped),
            "paths": "at least",
            "outcomes": "at least",
            "best_overall": "at least",
            "worst_overall": "at most",
        },
        "states": found.states,
        "budget_seconds": args.budget,
        "path_order": "file",  # reply numbers in paths follow the file, not an attempt's shuffled order
    }
    if args.json:
        print(json.dumps(data, indent=2))
        return EXIT_OK
    at_least = "" if exact else "at least "
    print(f"{data['title']} ({data['id']}), {data['kind']} customer")
    if found.loops:
        count = "unlimited complete paths (a play can go round a loop and still finish)"
    else:
        count = f"{at_least}{found.plays} complete paths"
    print(f"  {data['nodes']} nodes, {data['endings']} endings, {count}")
    if found.loops:
        print(f"  outcomes: {', '.join(sorted(found.outcomes))}")
    else:
        print(f"  outcomes: {at_least}{', '.join(f'{k} x{v}' for k, v in sorted(found.outcomes.items()))}")
    print("  (paths are reply numbers in the file's order; the app shuffles replies on screen)")
    found_word = "" if exact else " found"
    best_bound = "" if exact else "  (the best play scores at least this)"
    worst_bound = "" if exact else "  (the worst play scores at most this)"
    if found.best is None or found.worst is None:
        print("  no play reaches an ending" + ("" if exact else " within the search"))
    else:
        print(f"  best path{found_word}:  {_path(found.best.choices)}  {_verdict(found.best)}{best_bound}")
        print(f"  worst path{found_word}: {_path(found.worst.choices)}  {_verdict(found.worst)}{worst_bound}")
    if passing is not None and (found.best is None or not found.best.passed):
        print(f"  a passing path: {_path(passing.choices)}  {_verdict(passing)}")
    elif passing is None and can_pass.complete:
        print("  no play passes (frontline lint explains why: FL206)")
    elif passing is None:
        print("  whether any play passes is not known: the search stopped before it could tell")
    print("  trait bounds (worst..best raw points):")
    for trait, b in data["traits"].items():
        print(f"    {trait:<22} {b['min']:>4} .. {b['max']:<4}")
    if not exact:
        print(
            f"  (a bound, not exact: {why.get(found.stopped, found.stopped)} after {found.states} states; "
            "paths, outcomes, best and worst are from the plays found so far; --budget SECONDS searches longer)"
        )
    return EXIT_OK


def _verdict(play: Play | None) -> str:
    """'overall 84, resolved, passes' or 'not assessed, customer_lost, cannot pass'."""
    if play is None:
        return ""
    score = "not assessed" if play.overall is None else f"overall {play.overall}"
    return f"{score}, {play.outcome}, {'passes' if play.passed else 'does not pass'}"


def _path(choices: Sequence[object]) -> str:
    return ",".join(str(c) for c in choices) or "(none)"


def cmd_replay(args: argparse.Namespace) -> int:
    from simulator.core.replay import parse_choices, replay

    scenario, analysis, rubric = _load_ok(args.file)
    try:
        choices = parse_choices(args.choices)
    except ValueError as exc:
        print(f"frontline replay: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    if args.trainee and not args.record:
        print("frontline replay: --trainee needs --record", file=sys.stderr)
        return EXIT_USAGE
    # Played once without the records first, so a path that stops short is never saved as an attempt.
    session, debrief = replay(scenario, rubric, analysis, choices, seed=args.seed)
    if not debrief.finished and not args.partial:
        offers = ", ".join(str(o.number) for o in session.offers) or "none"
        print(
            f"frontline replay: the choices stop at node '{session.node.id}' before an ending (replies on offer "
            f"there: {offers}); give the rest of the path, or add --partial to see the attempt so far",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    if args.record:
        store = _open_store(args.records)
        try:
            session, debrief = replay(
                scenario, rubric, analysis, choices, seed=args.seed, store=store, trainee=args.trainee
            )
        finally:
            store.close()
        if session.save_problem:
            print(f"frontline replay: not recorded: {session.save_problem}", file=sys.stderr)
            return EXIT_PROBLEMS
        print(f"recorded as attempt {session.state.attempt_id[:8]} in {store.path}", file=sys.stderr)
    if args.json:
        data = {**debrief.to_dict(), "node": session.node.id}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK
    _print_replay(session, debrief)
    return EXIT_OK


def _print_replay(session: Session, debrief: Debrief) -> None:
    """The debrief in text, each step with its node id and what the customer said there."""
    from simulator.core.scoring import NOT_ASSESSED

    print(f"{debrief.title}: {debrief.outcome_title}")
    if not debrief.finished:
        print(f"  not finished: the conversation stands at node '{session.node.id}'")
    else:
        overall = f"overall {debrief.overall}/100"
        if debrief.overall is None:
            overall = f"overall: not assessed ({NOT_ASSESSED})"
        print(f"  {overall}, pass mark {debrief.pass_mark}: {'PASSED' if debrief.passed else 'not passed'}")
        if debrief.result_reason:
            print(f"  {debrief.result_reason}")
    for trait in debrief.traits:
        shown = "not assessed" if trait.score is None else f"{trait.score:>3}"
        print(f"    {trait.name:<58} {shown}")
    print("  steps:")
    for step in debrief.steps:
        print(f"    {step.index}. at node '{step.node_id}'")
        for line in session.node_lines(session.scenario.node(step.node_id)):
            print(f"       {line}")
        deltas = ", ".join(f"{k} {v:+d}" for k, v in step.deltas.items()) or "no change"
        chosen = "(time ran out)" if step.timed_out else step.chosen_text
        print(f"       [{step.chosen_number or 't'}] {chosen}")
        print(f"       {deltas}. {step.why}")
        if step.best is not None:
            print(f"       better: [{step.best.number}] {step.best.text}")
    node = session.node
    if debrief.finished:
        print(f"  ended at node '{node.id}': {debrief.ending_summary}")
        return
    print(f"  now at node '{node.id}'")
    for line in session.node_lines(node):
        print(f"       {line}")
    for option in session.offers:
        print(f"       [{option.number}] {option.text}")
    if session.time_limited:
        print("       [t] (let the time run out)")


def _open_store(path: Path | None = None) -> AttemptStore:
    from simulator.core.paths import AppPaths
    from simulator.core.storage import AttemptStore

    store = AttemptStore(path or AppPaths.default().attempts_db)
    if store.notice:
        print(f"frontline: {store.notice}", file=sys.stderr)
    return store


def _records(store: AttemptStore, trainee: str | None, attempt: str | None = None) -> list[AttemptRecord]:
    if attempt is not None:
        record = store.attempt(attempt)
        if record is None:
            raise StorageError(f"no attempt has the id '{attempt}', or it starts more than one; see frontline history")
        return [record]
    return store.attempts(trainee=trainee)


def cmd_history(args: argparse.Namespace) -> int:
    from simulator.core.exports import history_json

    store = _open_store(args.records)
    try:
        records = _records(store, args.trainee)
    finally:
        store.close()
    if args.json:
        print(history_json(records))
        return EXIT_OK
    if not records:
        print(f"No attempts saved yet in {store.path}.")
        return EXIT_OK
    print(f"{'attempt':<9} {'started':<17} {'trainee':<16} {'scenario':<30} {'mode':<10} {'outcome':<16} overall")
    for r in records:
        overall = "unfinished" if not r.finished else ("-" if r.overall is None else str(r.overall))
        verdict = "" if r.passed is None else (" passed" if r.passed else " not passed")
        print(
            f"{r.id[:8]:<9} {r.started_at.replace('T', ' ')[:16]:<17} {(r.trainee or '-')[:16]:<16} "
            f"{r.scenario_id[:30]:<30} {r.mode:<10} {(r.outcome or '-')[:16]:<16} {overall}{verdict}"
        )
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from simulator.core.exports import history_csv, history_json, write_atomic

    store = _open_store(args.records)
    try:
        records = _records(store, args.trainee, args.attempt)
    finally:
        store.close()
    if args.format == "pdf":
        return _export_pdf(records, args.output)
    if args.format == "csv":
        text = history_csv(records)
    elif args.format == "json":
        text = history_json(records)
    else:
        from simulator.core.lrs import LrsSettings
        from simulator.core.xapi import DEFAULT_HOME_PAGE, attempt_statements

        settings = LrsSettings.load()
        home_page = settings.home_page if settings else DEFAULT_HOME_PAGE
        statements = [st for r in records for st in attempt_statements(r, r.state, home_page)]
        text = json.dumps(statements, indent=2, ensure_ascii=False)
    write_atomic(args.output, text.encode("utf-8"))
    print(f"wrote {len(records)} attempt(s) to {args.output}", file=sys.stderr)
    return EXIT_OK


def _export_pdf(records: list[AttemptRecord], output: Path) -> int:
    done = [r for r in records if r.finished and r.debrief]
    if not done:
        print("frontline export: no finished attempt to write as a PDF", file=sys.stderr)
        return EXIT_PROBLEMS
    record = max(done, key=lambda r: r.updated_at)
    # Qt draws the PDF (the app's own code), so it is imported only for this format.
    from simulator.core.history import debrief_from_dict
    from simulator.gui.pdf_export import PdfError, write_debrief_pdf_headless

    try:
        write_debrief_pdf_headless(debrief_from_dict(record.debrief or {}), output)
    except (PdfError, ValueError) as exc:
        print(f"frontline export: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote the debrief of attempt {record.id[:8]} to {output}", file=sys.stderr)
    return EXIT_OK


def cmd_sync(args: argparse.Namespace) -> int:
    from simulator.core.lrs import LrsSettings, sync

    settings = LrsSettings.load()
    store = _open_store(args.records)
    try:
        report = sync(store, settings)
    finally:
        store.close()
    print(f"frontline sync: {report}", file=sys.stderr if report.problem else sys.stdout)
    return EXIT_PROBLEMS if report.problem else EXIT_OK


def cmd_coverage(args: argparse.Namespace) -> int:
    from simulator.core.coverage import coverage
    from simulator.core.library import LibraryFolder, PlayableScenario, library_rubric, load_library, load_playable
    from simulator.core.tells import tells_report

    if not args.dir.is_dir() and not args.dir.is_file():
        print(f"frontline coverage: no such file or folder: {args.dir}", file=sys.stderr)
        return EXIT_USAGE
    if args.max_above_chance is not None and not args.tells:
        print("frontline coverage: --max-above-chance needs --tells", file=sys.stderr)
        return EXIT_USAGE
    folder = args.dir if args.dir.is_dir() else args.dir.parent
    rubric, rubric_problems = library_rubric(folder)
    if rubric is None:
        raise LoadError(str(folder), rubric_problems)
    scenarios = []
    analyses = []
    problems = 0
    entries: list[PlayableScenario] = (
        load_library([LibraryFolder(args.dir)]) if args.dir.is_dir() else [load_playable(args.dir)]
    )
    for entry in entries:
        if not entry.ok or entry.scenario is None:
            problems += 1
            print(f"{entry.path}: skipped, it has errors (run frontline lint)", file=sys.stderr)
            continue
        scenarios.append(entry.scenario)
        analyses.append(entry.analysis)
    if args.tells:
        report = tells_report(zip(scenarios, analyses, strict=True))
        print(json.dumps(report.to_dict(), indent=2) if args.json else report.table())
        failures = report.failures(args.max_above_chance) if args.max_above_chance is not None else []
        for failure in failures:
            print(f"frontline coverage: {failure}", file=sys.stderr)
        return EXIT_PROBLEMS if problems or failures else EXIT_OK
    cov = coverage(scenarios, rubric)
    if args.json:
        print(
            json.dumps(
                {t: {"positive": cov.count(t, "+"), "negative": cov.count(t, "-")} for t in cov.trait_ids}, indent=2
            )
        )
    else:
        print(cov.table())
    return EXIT_PROBLEMS if problems else EXIT_OK


def _no_display() -> bool:
    """On Linux without X11, Wayland or a chosen Qt platform, Qt would abort the process."""
    if not sys.platform.startswith("linux"):
        return False
    return not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def cmd_gui(args: argparse.Namespace) -> int:
    from simulator.core.paths import AppPaths

    if _no_display():
        print(
            "frontline: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the app cannot open a "
            "window; run it from a desktop session. The lint, stats, replay and coverage commands work anywhere.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        from simulator.gui.app import run
    except ImportError as exc:
        print(
            f"frontline: the app cannot start here ({exc}); the lint, stats and replay commands still work",
            file=sys.stderr,
        )
        return EXIT_USAGE
    from simulator.core.paths import shared_library_dirs

    paths = AppPaths.default()
    library = [Path(p) for p in args.library] + shared_library_dirs()
    if args.self_test is None:
        return run(library, paths=paths)
    from simulator.gui.app import SELF_TEST_PDF

    pdf = Path(args.self_test) if args.self_test else paths.data_dir / SELF_TEST_PDF
    return run(library, paths=paths, self_test=pdf)


def cmd_new(args: argparse.Namespace) -> int:
    from simulator.core.exports import write_atomic
    from simulator.core.models import scenario_json_schema
    from simulator.core.starter import starter_scenario

    path: Path = args.path if args.path.suffix in (".yaml", ".yml") else args.path.with_suffix(".yaml")
    if path.exists():
        print(f"frontline new: {printable(str(path))} already exists; choose another name", file=sys.stderr)
        return EXIT_USAGE
    if not path.parent.is_dir():
        print(f"frontline new: no such folder: {printable(str(path.parent))}", file=sys.stderr)
        return EXIT_USAGE
    schema = path.parent / "scenario.schema.json"
    try:
        text = starter_scenario(path.stem, args.kind, schema.name)
    except ValueError as exc:
        print(f"frontline new: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        write_atomic(path, text.encode("utf-8"))
        if not schema.exists():  # the modeline's schema, so an editor completes fields at once
            write_atomic(schema, (json.dumps(scenario_json_schema(), indent=2, ensure_ascii=False) + "\n").encode())
    except FrontlineError as exc:
        print(f"frontline new: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote {printable(str(path))}: check it with `frontline lint {printable(str(path))}`")
    return EXIT_OK


def cmd_graph(args: argparse.Namespace) -> int:
    import shutil
    import subprocess

    from simulator.core.exports import write_atomic
    from simulator.core.graph import build_graph, to_dot, to_mermaid

    suffixes = {".dot": "dot", ".gv": "dot", ".mmd": "mermaid", ".mermaid": "mermaid", ".svg": "svg"}
    out: Path | None = args.output
    kind = "dot" if out is None else suffixes.get(out.suffix.lower())
    if kind is None:
        print(
            f"frontline graph: cannot tell the format from '{out}'; end the name in .dot, .mmd or .svg",
            file=sys.stderr,
        )
        return EXIT_USAGE
    dot_program = shutil.which("dot") if kind == "svg" else None
    if kind == "svg" and dot_program is None:
        print(
            "frontline graph: SVG needs Graphviz, and its 'dot' program was not found on PATH. Install Graphviz "
            "(e.g. 'apt install graphviz' or 'brew install graphviz'), or write out.dot or out.mmd instead.",
            file=sys.stderr,
        )
        return EXIT_PROBLEMS
    scenario, _analysis, _rubric = _load_ok(args.file)
    graph = build_graph(scenario)
    text = to_mermaid(graph) if kind == "mermaid" else to_dot(graph)
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    data = text.encode("utf-8")
    if dot_program is not None:
        done = subprocess.run([dot_program, "-Tsvg"], input=data, capture_output=True, timeout=120, check=False)
        if done.returncode != 0:
            problem = done.stderr.decode("utf-8", "replace").strip() or f"exit code {done.returncode}"
            print(f"frontline graph: Graphviz could not draw the graph: {problem}", file=sys.stderr)
            return EXIT_PROBLEMS
        data = done.stdout
    write_atomic(out, data)
    print(f"wrote {out} ({len(graph.nodes)} nodes, {len(graph.edges)} edges)", file=sys.stderr)
    return EXIT_OK


def cmd_author(args: argparse.Namespace) -> int:
    from simulator.core.paths import AppPaths

    if not args.path.exists():
        print(f"frontline author: no such file or folder: {args.path}", file=sys.stderr)
        return EXIT_USAGE
    if _no_display():
        print(
            "frontline: no display found (DISPLAY and WAYLAND_DISPLAY are not set), so the authoring window "
            "cannot open; 'frontline lint' and 'frontline graph' work anywhere.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        from simulator.gui.author_window import run_author
    except ImportError as exc:
        print(f"frontline: the authoring window cannot start here ({exc}); lint and graph still work", file=sys.stderr)
        return EXIT_USAGE
    return run_author(args.path, paths=AppPaths.default())


def cmd_library_worker(args: argparse.Namespace) -> int:
    from simulator.core.library_worker import main as library_worker_main

    return library_worker_main()


COMMANDS = {
    "lint": cmd_lint,
    "schema": cmd_schema,
    "stats": cmd_stats,
    "replay": cmd_replay,
    "coverage": cmd_coverage,
    "codes": cmd_codes,
    "history": cmd_history,
    "export": cmd_export,
    "sync": cmd_sync,
    "graph": cmd_graph,
    "new": cmd_new,
    "author": cmd_author,
    WORKER_COMMAND: cmd_library_worker,
    None: cmd_gui,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LoadError as exc:
        for diag in exc.diagnostics:
            print(diag, file=sys.stderr)
        print(f"frontline: {exc.path} has errors; fix them first (frontline lint {exc.path})", file=sys.stderr)
        return EXIT_PROBLEMS
    except FrontlineError as exc:
        print(f"frontline: {exc}", file=sys.stderr)
        return EXIT_PROBLEMS
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
