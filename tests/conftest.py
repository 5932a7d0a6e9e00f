"""Shared fixtures: paths to the examples and to the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
# The shared data sits beside the work tree (../shared/data); CI lays a copy of shared/ beside the clone.
DATA = ROOT.parent / "shared" / "data"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


@pytest.fixture
def examples_dir() -> Path:
    return EXAMPLES


@pytest.fixture
def data_dir() -> Path:
    if not DATA.exists():
        pytest.skip("../shared/data is not present")
    return DATA
