"""Hypothesis profiles for the property tests: "default" (200 examples, make test) and "fuzz" (10,000, make fuzz).

Pick one with HYPOTHESIS_PROFILE. No profile has a per-example deadline, because this machine's load varies
and a deadline would make the suite flaky; the tests keep each example cheap instead (bounded input sizes,
hostile inputs of unbounded cost only in a subprocess with a memory cap).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# The default profile is derandomised so that make test is repeatable: it runs the same 200 examples
# every time, and a failure there is a regression, not a new find. The fuzz profile explores afresh
# each run and keeps what fails in hypothesis' example database so that the next run tries it first.
settings.register_profile(
    "default",
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    # Generating whole scenario documents is slower than hypothesis expects of a strategy; the sizes are
    # already bounded, so a slow draw is not a sign of a runaway strategy.
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "fuzz",
    max_examples=10_000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
