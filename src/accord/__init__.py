"""Accord: integrative, win-win negotiation analysis.

The public API is re-exported here (lazily, so that ``accord --help`` stays instant)::

    import accord
    case = accord.load_case("examples/job-offer.yaml")
    front = accord.pareto_frontier(case)      # front.utilities: (points, parties) numpy array
    kinds = accord.classify_issues(case)
    result = accord.evaluate(case, {"salary": "95k", "start": "July"})
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_case": "accord.io.casefile",
    "save_case": "accord.io.casefile",
    "parse_case": "accord.io.casefile",
    "Case": "accord.model",
    "Issue": "accord.model",
    "Party": "accord.model",
    "Preferences": "accord.model",
    "Interaction": "accord.model",
    "Event": "accord.model",
    "AccordError": "accord.errors",
    "pareto_frontier": "accord.analysis.frontier",
    "Frontier": "accord.analysis.frontier",
    "classify_issues": "accord.analysis.issues",
    "evaluate": "accord.analysis.pyramid",
    "analyze": "accord.analysis.report",
    "simulate": "accord.negotiation.simulate",
    "tournament": "accord.negotiation.tournament",
}

if TYPE_CHECKING:
    from accord.analysis.frontier import Frontier, pareto_frontier
    from accord.errors import AccordError
    from accord.io.casefile import load_case, parse_case, save_case
    from accord.model import Case, Event, Interaction, Issue, Party, Preferences
    from accord.negotiation.simulate import simulate
    from accord.negotiation.tournament import tournament


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'accord' has no attribute {name!r}")


__all__ = [
    "AccordError",
    "Case",
    "Event",
    "Frontier",
    "Interaction",
    "Issue",
    "Party",
    "Preferences",
    "analyze",
    "classify_issues",
    "evaluate",
    "load_case",
    "pareto_frontier",
    "parse_case",
    "save_case",
    "simulate",
    "tournament",
]
