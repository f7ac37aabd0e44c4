# ruff: noqa: E501  (the templates are YAML text a trainer reads; their lines are as long as the replies)
"""`frontline new`: a commented starter scenario that lints clean and that a trainer can grow.

One template per kind of customer. Each is small but complete: a briefing that gives the
trainee every fact the replies use, decision points whose weaker replies have real strengths,
a later node that remembers what was promised (a flag), three endings, and `checks:` that pin
the best and the worst play so an edit that changes an outcome is caught by `frontline lint`.
"""

from __future__ import annotations

import re

KINDS = ("angry", "confused", "rude")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")

_HEADER = """\
# yaml-language-server: $schema={schema}
# A starter scenario made by `frontline new`. Check it as you write with `frontline lint {file_name}`;
# play it with `frontline replay {file_name} --choices 1,2` or in the app (Tools > Author a scenario).
# The format: docs/scenario-format.md. How to write replies a trainee must judge: docs/authoring.md.
format: 1
id: {scenario_id}
"""

# Each template's text is a plain, believable conversation; replace it with your own. The comments
# say what each part is for, so they can be deleted once the scenario is yours.
_BODIES = {
    "angry": """\
title: "The order that went to the wrong address"
summary: "A customer whose order was delivered to the wrong house wants to know what you will do about it."
persona:
  name: Sam Taylor
  kind: angry
  # avatar: default      # a folder under assets/avatars/ with five mood pictures
  mood: -3               # -5 furious to 5 delighted
  description: "Works shifts at the hospital and came home to an empty doorstep."
setting: "Phone support for an online homeware shop"
difficulty: easy
minutes: 3
focus: [empathy, ownership, timeliness]
# Everything a good reply relies on must be here: the trainee cannot know what you did not say.
briefing: |
  Sam's order (a kettle and two mugs, £46) shows as delivered yesterday, but the courier's photo is
  of a different front door. You can send a replacement by next-day courier at no cost, or refund in
  full today. Couriers take up to five working days to look into a wrong delivery.
pass_mark: 60
nodes:
  - id: opening
    customer: "The tracking says delivered. It wasn't. Someone else has my kettle and I've had no tea since yesterday."
    replies:
      # Put the best reply anywhere: each attempt shows replies in its own order.
      - text: "Sorry about that. Can you check with your neighbours first? Parcels often turn up next door."
        to: neighbours
        traits: {solution_orientation: 1, empathy: 1, ownership: -1}
        why: "Often true and quick to try, but it hands the job back to Sam when the photo already shows the wrong door."
      - text: "That's maddening, and I'm sorry. The courier's photo isn't your door. Let me sort a replacement now."
        to: choice
        traits: {empathy: 2, ownership: 1}
        mood: 1
        why: "A specific apology, the fact that proves Sam right, and ownership of the fix."
      - text: "I'll open an investigation with the courier; they'll come back to us within five working days."
        to: neighbours
        traits: {knowledge: 1, timeliness: -1}
        mood: -1
        why: "The right procedure, but five days without a kettle is the problem Sam called about."

  - id: neighbours
    customer: "I'm not knocking on doors after a night shift. It's your courier. You sort it."
    replies:
      - text: "I understand. I'll log it, and someone will email you an update."
        to: lost
        traits: {patience: 1, honesty_fairness: 1, ownership: -1, timeliness: -1}
        mood: -2
        why: "Calm and honest about the process, but 'someone' and 'an update' give Sam nothing to hold on to."
      - text: "Of course. Would a full refund today suit you better than a replacement tomorrow?"
        to: choice
        traits: {solution_orientation: 2}
        why: "A real choice, offered plainly; a little less ownership than simply sending one."
      - text: "Fair enough, it's ours to sort. I'll send a replacement by next-day courier, free."
        to: choice
        traits: {ownership: 2, patience: 1}
        mood: 1
        why: "Taking the point without arguing, and fixing it."

  - id: choice
    customer: "Tomorrow's fine. Will it actually come this time?"
    replies:
      - text: "Yes. I'll text you the tracking by six tonight, and I'll check it's on the van in the morning."
        to: resolved
        set: [promised_text]     # flags remember what was promised, for a later node or ending
        traits: {timeliness: 2, ownership: 1}
        why: "Says when you will get back, then a second check: trust earned by a promise you can keep."
      - text: "It should do. Next-day is usually reliable."
        to: resolved
        traits: {honesty_fairness: 1, timeliness: -1}
        why: "Honest about the uncertainty, but it gives Sam no way to know before tomorrow."
      - text: "I'll ask a supervisor to guarantee it; they'll ring you back."
        to: escalated
        traits: {solution_orientation: 1, ownership: -1}
        why: "Well meant, but nobody can guarantee a courier, and a call-back adds a wait."

  - id: resolved
    ending:
      outcome: resolved
      summary: "Sam has a replacement on the way tomorrow and knows what happens next."
  - id: escalated
    ending:
      outcome: escalated
      summary: "Sam waits for a supervisor's call about a promise nobody can make."
      max_score: 70        # an ending can cap the score, or forbid a pass with can_pass: false
  - id: lost
    ending:
      outcome: customer_lost
      summary: "Sam cancels the order and says he will not shop here again."
""",
    "confused": """\
title: "What is this charge on my statement?"
summary: "A customer does not recognise a charge and is worried it is fraud."
persona:
  name: Jo Mensah
  kind: confused
  mood: -1
  description: "Signed up for a free trial last month and has forgotten about it."
setting: "Live chat for a streaming service"
difficulty: easy
minutes: 3
focus: [clear_communication, patience, honesty_fairness]
briefing: |
  Jo's card was charged £8.99 on the 3rd: the free trial Jo started a month ago has become a monthly
  plan. You can cancel it now (no further charges) and refund this first charge once, as goodwill,
  when the account has not been used since the trial ended, which is true here.
pass_mark: 60
nodes:
  - id: opening
    customer: "Sorry if this is silly, but there's £8.99 on my card from you and I don't know what it is. Is it fraud?"
    replies:
      - text: "Let me check. Can you tell me the last four digits of the card?"
        to: options
        traits: {active_listening: 1, timeliness: -1}
        why: "Careful, but Jo is worried about fraud, and the account already shows the charge: answer that first."
      - text: "Not silly at all. It's not fraud: it's the free trial you started last month, which has now become a monthly plan."
        to: options
        traits: {clear_communication: 2, patience: 1}
        mood: 1
        why: "Welcomes the question, answers the worry first, and explains in plain words."
      - text: "That's the auto-renewal of your trial subscription per our terms of service."
        to: jargon
        traits: {knowledge: 1, clear_communication: -2}
        why: "Correct, but 'auto-renewal per our terms' is the company's language, not Jo's."

  - id: jargon
    customer: "Auto-what? I never agreed to pay anything. I thought it was free."
    replies:
      - text: "You'd have ticked a box agreeing to the terms when you signed up."
        to: options
        traits: {honesty_fairness: 1, empathy: -1}
        mood: -1
        why: "True, but it sounds like blame, and Jo still does not know what to do."
      - text: "Don't worry, I can cancel it for you right now."
        to: options
        traits: {solution_orientation: 1, timeliness: 1}
        why: "Quick and kind, but it skips the question: Jo still does not know why there was a charge."
      - text: "The trial was free for a month, and then it started charging monthly. I'm sorry nobody made that clearer."
        to: options
        traits: {clear_communication: 2, empathy: 1}
        mood: 1
        why: "Says it again plainly and owns that it was easy to miss."

  - id: options
    customer: "Oh. So can I stop it? And is the money gone?"
    replies:
      - text: "I can cancel it now so nothing more is charged, and refund the £8.99 today since you haven't used it."
        to: resolved
        traits: {solution_orientation: 2, honesty_fairness: 1}
        why: "Both questions answered, with what you can really do."
      - text: "I can cancel it, but I'm afraid the charge can't be refunded."
        to: lost
        traits: {honesty_fairness: -1, clear_communication: 1}
        mood: -2
        why: "Clear, but not true here: the briefing allows a goodwill refund for an unused account."
      - text: "Let me pass you to billing; they handle refunds."
        to: escalated
        traits: {knowledge: 1, ownership: -1}
        why: "Billing do handle refunds, but you are allowed to give this one, and Jo waits longer."

  - id: resolved
    ending:
      outcome: resolved
      summary: "Jo's plan is cancelled and the £8.99 is on its way back; Jo knows it was the trial, not fraud."
  - id: escalated
    ending:
      outcome: escalated
      summary: "Jo waits in a queue for billing for a refund you could have given."
      max_score: 70
  - id: lost
    ending:
      outcome: customer_lost
      summary: "Jo cancels, disputes the charge with the bank and leaves a one-star review."
""",
    "rude": """\
title: "Are you even listening?"
summary: "A customer who is short with you wants a late-delivery fee back."
persona:
  name: Chris Hart
  kind: rude
  mood: -2
  description: "Runs a small building firm and has no patience for being passed around."
setting: "Phone support for a builders' merchant"
difficulty: easy
minutes: 3
focus: [patience, professionalism, honesty_fairness]
briefing: |
  Chris paid a £25 express fee for delivery by 8 am; the lorry arrived at 11:40. The express fee is
  refunded when a delivery misses its slot, so you can refund it now. You cannot pay for the crew's
  lost morning; Chris can claim that in writing to the customer relations team.
pass_mark: 60
nodes:
  - id: opening
    customer: "Your lorry was four hours late. I want my money back. And don't read me a script."
    replies:
      - text: "I'm so sorry, I completely understand how frustrating that must be for you."
        to: crew
        traits: {empathy: 1, professionalism: -1}
        mood: -1
        why: "Kind, but it sounds like the script Chris just asked you not to read."
      - text: "It was late, and you paid for eight o'clock. I'm refunding the £25 express fee now."
        to: crew
        traits: {honesty_fairness: 2, timeliness: 1, patience: 1}
        mood: 1
        why: "Brisk, true, unruffled and done: exactly what a customer who wants no script needs."
      - text: "Let me pull up the delivery record first, and then we'll see what can be done."
        to: lost
        traits: {professionalism: 1, timeliness: -1, honesty_fairness: -1}
        mood: -2
        why: "Careful, but you already know it was late: making Chris wait for a record sounds like a stall."

  - id: crew
    customer: "Twenty-five quid. I had three men standing around all morning. Who pays for that?"
    replies:
      - text: "I can't pay for the crew's time myself, but customer relations can. I'll email you the address and what to send them."
        to: resolved
        traits: {honesty_fairness: 2, solution_orientation: 1}
        why: "Honest about your limit, and a real route for the rest."
      - text: "I'll ask my team leader whether we can cover the crew's time, and she'll ring you back."
        to: escalated
        traits: {solution_orientation: 1, empathy: 1, ownership: -1}
        why: "Kind and passing it up sounds helpful, but the team leader cannot pay it either."
      - text: "That's not something we cover, I'm afraid."
        to: lost
        traits: {honesty_fairness: 1, timeliness: 1, solution_orientation: -2}
        mood: -2
        why: "Quick and true as far as it goes, but there is a way to claim, and Chris leaves without it."

  - id: resolved
    ending:
      outcome: resolved
      summary: "Chris has the £25 back and knows how to claim for the crew's morning."
  - id: escalated
    ending:
      outcome: escalated
      summary: "Chris waits for a call from a team leader who cannot help with the crew's time."
      max_score: 70
  - id: lost
    ending:
      outcome: customer_lost
      summary: "Chris moves the firm's account to another merchant."
""",
}

# Each template's best play, as reply numbers in the file's order (the app shows them shuffled).
BEST_PATHS = {"angry": "[2, 1]", "confused": "[2, 1]", "rude": "[2, 1]"}

_FOOTER = """
# Self-tests: `frontline lint` plays each path and fails if it no longer ends as written here.
checks:
  - name: best play
    path: {best}
    ending: resolved
    overall: 100
    passes: true
"""


def starter_scenario(scenario_id: str, kind: str = "angry", schema: str = "scenario.schema.json") -> str:
    """The YAML text of a starter scenario; ValueError when the id or kind cannot be used."""
    if kind not in KINDS:
        raise ValueError(f"the kind of customer must be one of {', '.join(KINDS)}, not '{kind}'")
    if not _ID.match(scenario_id):
        raise ValueError(
            f"'{scenario_id}' cannot be a scenario id: use letters, digits, '_' and '-', starting with a letter "
            "(the id is the file's name without .yaml)"
        )
    header = _HEADER.format(schema=schema, scenario_id=scenario_id, file_name=f"{scenario_id}.yaml")
    return header + _BODIES[kind] + _FOOTER.format(best=BEST_PATHS[kind])
