"""One attempt's lifecycle: offers, choose, time out, rewind, finish into a Debrief, saved after every step.

The conversation screen renders a ``Session`` and calls it; ``frontline replay`` drives the same
object headless. Neither sequences the engine, scoring and storage itself, so both always agree
on what was chosen, what was saved and what the debrief says.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from typing import Any, Literal

from .analysis import Analysis
from .engine import Mode, Option, PlayState, Step, StepResult, Story
from .errors import ScenarioChangedError, StorageError, StoryError
from .library import PlayableScenario
from .models import Node, Rubric, Scenario
from .scoring import Debrief, build_debrief
from .storage import AttemptRecord, AttemptStore
from .text import reflow

LineKind = Literal["narration", "customer", "trainee", "system"]
TIMED_OUT_LINE = "(You did not answer in time.)"


@dataclass(frozen=True)
class Line:
    """One line of the transcript, the same words in every front end."""

    kind: LineKind
    speaker: str  # who says it: the customer's name, "You", or "" for narration
    text: str

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text}" if self.speaker else self.text


class Session:
    """Plays one attempt of a scenario and records it.

    Every step is saved to the attempt store as soon as it is taken. A store that fails does not
    stop practice: the problem is kept in ``save_problem`` and passed to ``on_save_problem``.
    """

    def __init__(
        self,
        scenario: Scenario,
        rubric: Rubric,
        analysis: Analysis | None = None,
        *,
        mode: Mode = "practice",
        timed: bool = True,
        store: AttemptStore | None = None,
        state: PlayState | None = None,
        start_at: str | None = None,
        mood: int | None = None,
        flags: Iterable[str] = (),
        seed: int | None = None,
        on_save_problem: Callable[[str], None] | None = None,
        trainee: str = "",
    ) -> None:
        self.scenario = scenario
        self.rubric = rubric
        self.analysis = analysis
        self.store = store
        self.trainee = trainee
        self.fingerprint = scenario.fingerprint()
        self.save_problem: str | None = None
        self._on_save_problem = on_save_problem
        self._debrief: Debrief | None = None
        # The transcript and the saved state grow one step at a time: each step's lines and its saved
        # form are made once and kept, beside the step they came from (see _sync_steps).
        self._steps_seen: list[Step] = []
        self._step_lines: list[list[Line]] = []
        self._step_records: list[list[dict[str, str]]] = []
        self._step_dicts: list[dict[str, Any]] = []
        if state is not None:
            check_state_fits(scenario, state)
        self._story = Story(
            scenario, mode=mode, timed=timed, state=state, start_at=start_at, mood=mood, flags=flags, seed=seed
        )
        self._save()

    @classmethod
    def start(
        cls,
        playable: PlayableScenario,
        *,
        mode: Mode = "practice",
        timed: bool = True,
        store: AttemptStore | None = None,
        seed: int | None = None,
        on_save_problem: Callable[[str], None] | None = None,
        trainee: str = "",
    ) -> Session:
        """A new attempt at a library scenario; StoryError when the file cannot be played.

        Replies are shown in an order drawn from ``seed`` (give it ``new_seed()`` for a trainee's
        attempt), kept in the play state so a resumed attempt shows the same order; None keeps the
        file's order.
        """
        scenario, rubric = _playable(playable)
        return cls(
            scenario,
            rubric,
            playable.analysis,
            mode=mode,
            timed=timed,
            store=store,
            seed=seed,
            on_save_problem=on_save_problem,
            trainee=trainee,
        )

    @classmethod
    def resume(
        cls,
        playable: PlayableScenario,
        record: AttemptRecord,
        store: AttemptStore,
        *,
        on_save_problem: Callable[[str], None] | None = None,
    ) -> Session:
        """Carry on an unfinished attempt exactly where it was saved: state, transcript, times, mode,
        timer setting and reply order.

        Raises ScenarioChangedError when the scenario file changed since the attempt began (its
        fingerprint no longer matches): the saved steps may name nodes or replies that moved or went,
        so the attempt is never replayed against the new file. StoryError or StorageError when the
        saved attempt cannot be read.
        """
        scenario, rubric = _playable(playable)
        if record.fingerprint and record.fingerprint != scenario.fingerprint():
            raise ScenarioChangedError(
                f"{playable.path.name} has changed since this attempt began, so it cannot carry on where it "
                "left off. Start again, or read the attempt as it was saved."
            )
        state = store.unfinished_state(record.id)
        if state is None:
            raise StoryError(f"attempt {record.id[:8]} is no longer unfinished")
        session = cls(
            scenario,
            rubric,
            playable.analysis,
            store=store,
            state=state,
            on_save_problem=on_save_problem,
            trainee=record.trainee,
        )
        if session.finished:
            session.finish()  # saved at its ending by a Frontline that stopped before recording the debrief
        return session

    # ---- reading ---------------------------------------------------------------------------
    @property
    def state(self) -> PlayState:
        return self._story.state

    @property
    def mode(self) -> Mode:
        return self._story.state.mode

    @property
    def timed(self) -> bool:
        return self._story.state.timed

    @property
    def node(self) -> Node:
        return self._story.current_node

    @property
    def offers(self) -> list[Option]:
        return self._story.options

    @property
    def finished(self) -> bool:
        return self._story.finished

    @property
    def outcome(self) -> str | None:
        return self._story.outcome

    @property
    def time_limited(self) -> bool:
        """Whether the reply now awaited runs against a clock."""
        return self._story.time_limited

    @property
    def allowed_seconds(self) -> float:
        return self._story.allowed_seconds

    @property
    def can_rewind(self) -> bool:
        return self._story.can_rewind

    @property
    def debrief(self) -> Debrief | None:
        """The debrief once :meth:`finish` has run."""
        return self._debrief

    # ---- acting ----------------------------------------------------------------------------
    def choose(self, number: int, response_time: float = 0.0) -> StepResult:
        """Answer with the reply shown as ``number`` (1-based), after ``response_time`` seconds."""
        result = self._story.choose(number, response_time)
        self._after_step()
        return result

    def time_out(self, response_time: float | None = None) -> StepResult:
        """The clock ran out: follow the node's timeout branch."""
        result = self._story.time_out(response_time)
        self._after_step()
        return result

    def rewind(self) -> None:
        """Practice only: take back the last reply (an attempt taken back from its ending is open again)."""
        self._story.rewind()
        self._debrief = None
        self._save()

    def _after_step(self) -> None:
        # An attempt that reached an ending is finished even if the debrief is never opened.
        if self.finished:
            self.finish()
        else:
            self._save()

    def finish(self) -> Debrief:
        """The debrief of the attempt as it stands, recorded as finished when an ending was reached."""
        if self._debrief is not None:
            return self._debrief
        debrief = build_debrief(self.scenario, self.state, self.rubric, self.analysis)
        if not debrief.finished:
            raise StoryError("the conversation has not reached an ending yet")
        self._debrief = debrief
        if self.store is not None:
            try:
                self.store.finish(self.state, debrief, **self._record())
            except StorageError as exc:
                self._report(str(exc))
        return debrief

    def debrief_so_far(self) -> Debrief:
        """The debrief of the attempt as it stands, ended or not; nothing is recorded."""
        return self._debrief or build_debrief(self.scenario, self.state, self.rubric, self.analysis)

    # ---- the transcript --------------------------------------------------------------------
    def node_lines(self, node: Node) -> list[Line]:
        lines = []
        if node.narration:
            lines.append(Line("narration", "", reflow(node.narration)))
        if node.customer:
            lines.append(Line("customer", self.scenario.persona.name, reflow(node.customer)))
        return lines

    def transcript(self, include_current: bool = True) -> list[Line]:
        """Every line so far, following the play state, so a taken-back reply disappears exactly."""
        self._sync_steps()
        lines = [line for step in self._step_lines for line in step]
        if include_current:
            lines.extend(self.node_lines(self.node))
        return lines

    def _step_transcript(self, step: Step) -> list[Line]:
        node = self.scenario.node(step.node_id)
        lines = self.node_lines(node)
        if step.timed_out or step.reply_index is None:
            lines.append(Line("system", "", TIMED_OUT_LINE))
        else:
            lines.append(Line("trainee", "You", (node.replies or [])[step.reply_index].text))
        return lines

    def _sync_steps(self) -> None:
        """Bring the kept lines and saved forms in line with the play state's steps.

        A step, once taken, is never changed, so the kept ones that still match the state's steps stay
        and only new steps are made: a choice costs the same at step 300 as at step 3. A take-back
        (the state goes back to a copy) drops what follows the steps that still match.
        """
        steps = self.state.steps
        seen = self._steps_seen
        keep = min(len(seen), len(steps))
        for i in range(keep):
            if seen[i] is not steps[i] and seen[i] != steps[i]:
                keep = i
                break
        if keep < len(seen):
            for kept in (seen, self._step_lines, self._step_records, self._step_dicts):
                del kept[keep:]
        for step in steps[keep:]:
            lines = self._step_transcript(step)
            seen.append(step)
            self._step_lines.append(lines)
            self._step_records.append([_line_record(line) for line in lines])
            self._step_dicts.append({f.name: getattr(step, f.name) for f in fields(step)})

    # ---- storage ---------------------------------------------------------------------------
    def _record(self) -> dict[str, Any]:
        self._sync_steps()
        transcript = [record for step in self._step_records for record in step]
        transcript.extend(_line_record(line) for line in self.node_lines(self.node))
        return {
            "trainee": self.trainee,
            "fingerprint": self.fingerprint,
            "transcript": transcript,
            "state_json": self.state.to_json(self._step_dicts),
        }

    def _save(self) -> None:
        if self.store is None:
            return
        try:
            self.store.save_progress(self.state, **self._record())
        except StorageError as exc:
            self._report(str(exc))

    def _report(self, problem: str) -> None:
        self.save_problem = problem
        if self._on_save_problem is not None:
            self._on_save_problem(problem)


def _line_record(line: Line) -> dict[str, str]:
    # The same keys, in the same order, as dataclasses.asdict(line), which the records always held.
    return {"kind": line.kind, "speaker": line.speaker, "text": line.text}


def _playable(playable: PlayableScenario) -> tuple[Scenario, Rubric]:
    if not playable.ok or playable.scenario is None or playable.rubric is None:
        first = playable.errors[0].message if playable.errors else "it has errors"
        raise StoryError(f"{playable.path.name} cannot be played: {first}")
    return playable.scenario, playable.rubric


def check_state_fits(scenario: Scenario, state: PlayState) -> None:
    """StoryError unless every saved step names a node and reply the scenario has, as they were.

    A fingerprint catches a changed file; this catches a state saved without one (older records) or
    edited by hand, before scoring could index a reply that is not there.
    """
    if state.scenario_id != scenario.id:
        raise StoryError(f"the saved attempt is for scenario '{state.scenario_id}', not '{scenario.id}'")
    for number, step in enumerate(state.steps, start=1):
        if not scenario.has_node(step.node_id):
            raise ScenarioChangedError(
                f"step {number} of the saved attempt was at node '{step.node_id}', which the scenario no longer has"
            )
        replies = scenario.node(step.node_id).replies or []
        indexes = ([] if step.reply_index is None else [step.reply_index]) + list(step.offered)
        if any(i >= len(replies) for i in indexes):
            raise ScenarioChangedError(
                f"step {number} of the saved attempt names a reply that node '{step.node_id}' no longer has"
            )
        if step.reply_index is not None and step.reply_id and replies[step.reply_index].reply_id != step.reply_id:
            raise ScenarioChangedError(
                f"the reply chosen at step {number} has moved or changed in node '{step.node_id}'"
            )
    if not scenario.has_node(state.node_id):
        raise ScenarioChangedError(
            f"the saved attempt stands at node '{state.node_id}', which the scenario no longer has"
        )
