"""How many examples each fuzzed entry point gets.

The default profile keeps the folder quick and deterministic (fixed seed, no example
database); `HYPOTHESIS_PROFILE=fuzz-long` runs many more, randomised, for a longer hunt.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.database import DirectoryBasedExampleDatabase

EXAMPLES = {"fuzz": 15, "fuzz-long": 400}
_SLOW_IS_FINE = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]

settings.register_profile(
    "fuzz",
    max_examples=EXAMPLES["fuzz"],
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "fuzz-long",
    max_examples=EXAMPLES["fuzz-long"],
    deadline=None,
    suppress_health_check=_SLOW_IS_FINE,
    # Failures are replayed first next time; kept out of the working tree.
    database=DirectoryBasedExampleDatabase(Path(tempfile.gettempdir()) / "tiepdan-fuzz"),
)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fuzz")
if PROFILE not in EXAMPLES:
    PROFILE = "fuzz"
# Examples per entry point in this run (each parametrised case is one entry point).
PER_ENTRY_POINT = EXAMPLES[PROFILE]
fuzz = settings(settings.get_profile(PROFILE))
