"""Shared fixtures (paths to the examples and to the shared data folder) and the Hypothesis profiles.

Profiles (see docs/testing.md):

- ``dev`` (default on a workstation): random seeds, so repeated runs explore new examples; a failure prints the
  seed and a ``@reproduce_failure`` blob, and the example database replays it next time.
- ``ci`` (selected when the environment says ``CI=true``): *derandomised* — every run of a test draws the same
  examples (the seed is derived from the test's name), no example database, so CI never fails at random.
- ``mutation``: like ``ci`` (scripts/mutation.sh selects it with ``HYPOTHESIS_PROFILE=mutation``), so a mutant
  is judged on the same examples every time.

``HYPOTHESIS_PROFILE`` overrides the choice. An explicit ``--hypothesis-seed=N`` always wins: Hypothesis would
otherwise ignore it under ``derandomize``, so the derandomised profiles are swapped for their seeded twin.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The shared data sits beside the work tree (../shared/data); CI lays a copy of shared/ beside the clone.
DATA = ROOT.parent / "shared" / "data"

# Property tests compare with brute force on small cases; some examples are slow by design, never by accident.
_COMMON = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow], "print_blob": True}
settings.register_profile("dev", **_COMMON)
settings.register_profile("ci", derandomize=True, database=None, **_COMMON)
settings.register_profile("mutation", derandomize=True, database=None, **_COMMON)
settings.register_profile("seeded", database=None, **_COMMON)  # derandomize off, so --hypothesis-seed applies


def _profile_name() -> str:
    chosen = os.environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev"


# Loaded at import (before any test module is imported): ``@settings(...)`` on a test inherits the profile that
# is current when the decorator runs.
settings.load_profile(_profile_name())


def pytest_configure(config: pytest.Config) -> None:
    seed = config.getoption("hypothesis_seed", default=None)
    if seed is not None and settings.default.derandomize:
        settings.load_profile("seeded")


def pytest_report_header(config: pytest.Config) -> str:
    seed = config.getoption("hypothesis_seed", default=None)
    name = settings._current_profile  # type: ignore[attr-defined]
    return f"hypothesis profile: {name}" + (f", seed {seed}" if seed is not None else "")


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def data_dir() -> Path:
    if not DATA.exists():
        pytest.skip("../shared/data is not present")
    return DATA
