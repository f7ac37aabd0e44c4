"""Scores and debrief data for a finished (or abandoned) attempt, computed from its PlayState."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .analysis import Analysis
from .engine import PlayState, Step
from .models import Ending, Rubric, Scenario

TIMELINESS = "timeliness"
KEY_MOMENTS = 3
TIP_COUNT = 3
# Outcomes that cannot pass unless the ending says `can_pass: true`.
FAILING_OUTCOMES = frozenset({"customer_lost"})
NOT_ASSESSED = "every reply on this path scored the same"


@dataclass
class TraitScore:
    id: str
    name: str
    score: int | None  # 0-100, or None when the scenario does not assess it
    raw: int
    worst: int  # the lowest total the replies offered on this path allowed
    best: int  # what the model answers (or the trainee's own better choices) would have scored
    in_focus: bool

    @property
    def assessed(self) -> bool:
        return self.score is not None


@dataclass
class Alternative:
    number: int
    text: str
    deltas: dict[str, int]
    why: str


@dataclass
class StepReview:
    index: int  # 1-based step number
    node_id: str
    customer: str
    chosen_number: int | None
    chosen_text: str
    deltas: dict[str, int]
    why: str
    feedback: str | None
    timed_out: bool
    response_time: float
    allowed_time: float
    on_time: bool
    mood_before: int
    mood_after: int
    value: float  # the reply's worth as the overall score counts it: the sum of its deltas
    best: Alternative | None  # None when the chosen reply was already the best on offer
    # Whether this step ran against the clock: the timer was on and its node has a time limit.
    # Untimed steps ("No time limit on this reply") never count toward pace and have no allowance.
    time_limited: bool = True


@dataclass
class KeyMoment:
    step: int
    kind: str  # "gain" or "loss"
    value: float
    text: str
    why: str


@dataclass
class Tip:
    trait_id: str
    trait_name: str
    score: int
    advice: str
    quote: str
    document: str
    document_title: str


@dataclass
class Debrief:
    scenario_id: str
    title: str
    outcome: str | None
    outcome_title: str
    ending_summary: str
    finished: bool
    overall: int | None
    passed: bool
    pass_mark: int
    mode: str
    timed: bool
    traits: list[TraitScore] = field(default_factory=list)
    steps: list[StepReview] = field(default_factory=list)
    key_moments: list[KeyMoment] = field(default_factory=list)
    tips: list[Tip] = field(default_factory=list)
    # One sentence on why the result is what it is, when the ending reached (its pass rule or score
    # cap) or a path with nothing to assess decided it rather than the score alone; otherwise "".
    result_reason: str = ""

    def trait_scores(self) -> dict[str, int | None]:
        return {t.id: t.score for t in self.traits}

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["traits"] = {t.id: t.score for t in self.traits}
        data["trait_details"] = [asdict(t) for t in self.traits]
        return data


def outcome_words(outcome: str | None) -> str:
    if outcome is None:
        return "Not finished"
    return outcome.replace("_", " ").replace("-", " ").capitalize()


def ending_can_pass(ending: Ending) -> bool:
    """Whether an attempt that ends here can pass: the ending's `can_pass`, else not for customer_lost."""
    return ending.can_pass if ending.can_pass is not None else ending.outcome not in FAILING_OUTCOMES


def ending_allows_pass(ending: Ending, pass_mark: int) -> bool:
    """Whether any score can pass at this ending: it can pass, and its score cap (if any) reaches the pass mark."""
    return ending_can_pass(ending) and (ending.max_score is None or ending.max_score >= pass_mark)


def normalise(raw: int, worst: int, best: int) -> int:
    if best <= worst:
        return 100 if raw >= best else 0
    return round(max(0.0, min(1.0, (raw - worst) / (best - worst))) * 100)


def punctuality(response_time: float, allowed: float, timed_out: bool) -> float:
    """1 when answered within the allowance, falling to 0 at twice the allowance or a timeout."""
    if timed_out:
        return 0.0
    if response_time <= allowed:
        return 1.0
    return max(0.0, 1.0 - (response_time - allowed) / allowed)


def time_limited(scenario: Scenario, state: PlayState, step: Step) -> bool:
    """Whether a step was answered against the clock: the timer was on and its node sets a time limit."""
    return state.timed and scenario.node(step.node_id).timeout is not None


def pace(scenario: Scenario, state: PlayState) -> float | None:
    """0-100 for how punctually the timed steps were answered; None when no step was timed.

    Steps at nodes without a `timeout` say "No time limit on this reply", so they never count.
    """
    timed = [s for s in state.steps if time_limited(scenario, state, s)]
    if not timed:
        return None
    return 100 * sum(punctuality(s.response_time, s.allowed_time, s.timed_out) for s in timed) / len(timed)


def build_debrief(scenario: Scenario, state: PlayState, rubric: Rubric, analysis: Analysis | None = None) -> Debrief:
    """The debrief; ``analysis`` is accepted for callers that have it, scores need only the path."""
    node = scenario.node(state.node_id)
    finished = node.is_ending
    ending = node.ending

    path_bounds = _path_bounds(scenario, state)
    path_pace = pace(scenario, state)
    traits: list[TraitScore] = []
    for trait in rubric.traits:
        worst, best = path_bounds.get(trait.id, (0, 0))
        raw = state.totals.get(trait.id, 0)
        score: int | None = normalise(raw, worst, best) if best > worst else None
        if trait.id == TIMELINESS and path_pace is not None:
            rounded = round(path_pace)
            score = rounded if score is None else round((score + rounded) / 2)
        traits.append(
            TraitScore(
                id=trait.id,
                name=trait.name,
                score=score,
                raw=raw,
                worst=worst,
                best=best,
                in_focus=trait.id in scenario.focus,
            )
        )
    earned = _overall(scenario, state, path_pace) if finished else None
    overall = earned
    if ending is not None and ending.max_score is not None and earned is not None:
        overall = min(earned, ending.max_score)
    if ending is None:
        passed = False
    elif overall is None:
        # No choice on this path changed the score, so there is nothing to fail on: the ending decides.
        passed = ending_allows_pass(ending, scenario.pass_mark)
    else:
        passed = ending_can_pass(ending) and overall >= scenario.pass_mark
    outcome_title = ending.title if ending and ending.title else outcome_words(ending.outcome if ending else None)

    steps = [_review(scenario, i, s, time_limited(scenario, state, s)) for i, s in enumerate(state.steps, start=1)]
    return Debrief(
        scenario_id=scenario.id,
        title=scenario.title,
        outcome=ending.outcome if ending else None,
        outcome_title=outcome_title,
        ending_summary=ending.summary if ending else "",
        finished=finished,
        overall=overall,
        passed=passed,
        pass_mark=scenario.pass_mark,
        mode=state.mode,
        timed=state.timed,
        traits=traits,
        steps=steps,
        key_moments=_key_moments(steps),
        tips=_tips(rubric, traits),
        result_reason=result_reason(scenario, ending, outcome_title, earned) if ending is not None else "",
    )


def result_reason(scenario: Scenario, ending: Ending, outcome_title: str, earned: int | None) -> str:
    """Why an attempt that reached this ending with this score (before any cap) passed or not, in one sentence.

    Empty when the score against the pass mark says it all.
    """
    first_name = scenario.persona.name.split()[0]
    pass_mark = scenario.pass_mark
    ended = f"the conversation with {first_name} ended in “{outcome_title}”"
    cap = ending.max_score
    if earned is None:
        if not ending_can_pass(ending):
            return f"Every reply on this path scored the same, and {ended}: that ending cannot pass."
        if cap is not None and cap < pass_mark:
            return (
                f"Every reply on this path scored the same, and {ended}, "
                f"which caps the score at {cap}, under the pass mark of {pass_mark}."
            )
        return f"Every reply on this path scored the same, so there was nothing to fail on, and {ended}: it can pass."
    if not ending_can_pass(ending):
        if earned >= pass_mark:
            return f"Your replies earned {earned}, enough to pass, but {ended}: that ending cannot pass."
        return (
            f"Your replies earned {earned}, under the pass mark of {pass_mark}, and {ended}, "
            "an ending that cannot pass."
        )
    if cap is not None and cap < earned:
        under = f", under the pass mark of {pass_mark}" if cap < pass_mark else ""
        return f"Your replies earned {earned}, but {ended}, which caps the score at {cap}{under}."
    return ""


def _choices_at(scenario: Scenario, state: PlayState, step: Step) -> list[dict[str, int]]:
    """The trait deltas of everything the trainee could have done at a step."""
    node = scenario.node(step.node_id)
    replies = node.replies or []
    choices = [dict(replies[i].traits) for i in step.offered if i < len(replies)]
    if node.timeout is not None and (state.timed or step.timed_out):
        choices.append(dict(node.timeout.traits))
    return choices


def step_value(deltas: dict[str, int]) -> int:
    """What a reply is worth overall: every trait point counts the same."""
    return sum(deltas.values())


def _overall(scenario: Scenario, state: PlayState, path_pace: float | None) -> int | None:
    """Choices placed between the worst and best the offers allowed (90%), and pace when any step was timed (10%)."""
    raw = worst = best = 0
    for step in state.steps:
        values = [step_value(c) for c in _choices_at(scenario, state, step)]
        if values:
            raw += step_value(step.deltas)
            worst += min(values)
            best += max(values)
    if best <= worst:
        return None
    score = normalise(raw, worst, best)
    if path_pace is not None:
        score = round(0.9 * score + 0.1 * path_pace)
    return score


def _path_bounds(scenario: Scenario, state: PlayState) -> dict[str, tuple[int, int]]:
    """Per trait, the worst and best totals the trainee could fairly have reached on this path.

    At each step the worst is the lowest the offers gave the trait, and the best is what the
    model answer (the offer worth most overall) gave it, or what the trainee's own choice gave,
    whichever is higher. So choosing the model answer every time scores 100 on every trait, a
    trait that only weaker replies would have shown is not held against the trainee, and a trait
    no step let them show is not assessed rather than 0.
    """
    totals: dict[str, list[int]] = {}
    for step in state.steps:
        choices = _choices_at(scenario, state, step)
        if not choices:
            continue
        top = max(step_value(c) for c in choices)
        # Where several offers tie for the most, the one the trainee chose is the model.
        models = [step.deltas] if step_value(step.deltas) >= top else [c for c in choices if step_value(c) == top]
        for trait in {t for c in choices for t in c}:
            bounds = totals.setdefault(trait, [0, 0])
            bounds[0] += min(c.get(trait, 0) for c in choices)
            bounds[1] += max(max(m.get(trait, 0) for m in models), step.deltas.get(trait, 0))
    return {t: (w, b) for t, (w, b) in totals.items()}


def _review(scenario: Scenario, index: int, step: Step, limited: bool) -> StepReview:
    node = scenario.node(step.node_id)
    replies = node.replies or []
    chosen = replies[step.reply_index] if step.reply_index is not None else None
    value = float(step_value(step.deltas))
    best: Alternative | None = None
    offered = [(n, i) for n, i in enumerate(step.offered, start=1) if i < len(replies)]
    if offered:
        number, top = max(offered, key=lambda p: step_value(replies[p[1]].traits))
        top_reply = replies[top]
        if step_value(top_reply.traits) > value:
            best = Alternative(number, top_reply.text, dict(top_reply.traits), top_reply.why)
    timeout_why = node.timeout.why if node.timeout is not None else ""
    return StepReview(
        index=index,
        node_id=node.id,
        customer=node.customer or node.narration or "",
        chosen_number=step.number,
        chosen_text=chosen.text if chosen else "(no answer: time ran out)",
        deltas=dict(step.deltas),
        why=chosen.why if chosen else timeout_why,
        feedback=chosen.feedback if chosen else None,
        timed_out=step.timed_out,
        response_time=step.response_time,
        allowed_time=step.allowed_time,
        on_time=not step.timed_out and (not limited or step.response_time <= step.allowed_time),
        mood_before=step.mood_before,
        mood_after=step.mood_after,
        value=value,
        best=best,
        time_limited=limited,
    )


def _key_moments(steps: list[StepReview]) -> list[KeyMoment]:
    """The largest gains and losses, by what each choice was worth overall."""
    gains = sorted((s for s in steps if s.value > 0), key=lambda s: -s.value)[:KEY_MOMENTS]
    losses = sorted((s for s in steps if s.value < 0), key=lambda s: s.value)[:KEY_MOMENTS]
    moments = [KeyMoment(s.index, "gain", round(s.value, 3), s.chosen_text, s.why) for s in gains]
    moments += [KeyMoment(s.index, "loss", round(s.value, 3), s.chosen_text, s.why) for s in losses]
    return sorted(moments, key=lambda m: m.step)


def _tips(rubric: Rubric, traits: list[TraitScore]) -> list[Tip]:
    weakest = sorted((t for t in traits if t.score is not None and t.score < 100), key=lambda t: (t.score, t.id))
    tips = []
    for score in weakest[:TIP_COUNT]:
        trait = rubric.trait(score.id)
        source = trait.sources[0]
        tips.append(
            Tip(
                trait_id=trait.id,
                trait_name=trait.name,
                score=score.score or 0,
                advice=trait.good,
                quote=source.quote,
                document=source.document,
                document_title=rubric.documents.get(source.document, source.document),
            )
        )
    return tips
