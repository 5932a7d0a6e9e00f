"""Analysis: issue kinds, win-win potential, the frontier, bargaining zone and solution points, the pyramid.

The public names are re-exported here::

    from accord.analysis import analyze, evaluate, pareto_frontier
    front = pareto_frontier(case)
    verdict = evaluate(case, "salary=95k,start=August")

The imports are eager: importing any analysis module loads numpy anyway, and two public functions share their
module's name (``bargaining``, ``perception``), which only an eager import keeps unambiguous:
``accord.analysis.bargaining`` is always the function, never sometimes the module depending on what was
imported first. Reach those two modules with ``from accord.analysis.bargaining import compromise_package``
(or ``sys.modules["accord.analysis.bargaining"]``); ``import accord.analysis.bargaining as m`` binds the
function. The command line never imports this package at start-up (``accord --help`` stays free of numpy),
only inside the commands that need it.
"""

from accord.analysis.bargaining import (
    Bargaining,
    SolutionPoint,
    bargaining,
    compromise_package,
    nash_point,
    normalised_gains,
    scale_of,
)
from accord.analysis.batch import BatchEvaluation, Debrief, debrief, evaluate_batch
from accord.analysis.frontier import Frontier, grid_note, grid_point, pareto_frontier
from accord.analysis.issues import IssueKinds, classify_issues
from accord.analysis.optimize import best_improvement, best_utilities, is_pareto_optimal
from accord.analysis.perception import Perception, check_estimate, perception
from accord.analysis.potential import Potential, win_win_potential
from accord.analysis.pyramid import Evaluation, PyramidReference, assess, evaluate, reference_for, zone_distribution
from accord.analysis.report import Analysis, analyze

__all__ = [
    "Analysis",
    "Bargaining",
    "BatchEvaluation",
    "Debrief",
    "Evaluation",
    "Frontier",
    "IssueKinds",
    "Perception",
    "Potential",
    "PyramidReference",
    "SolutionPoint",
    "analyze",
    "assess",
    "bargaining",
    "best_improvement",
    "best_utilities",
    "check_estimate",
    "classify_issues",
    "compromise_package",
    "debrief",
    "evaluate",
    "evaluate_batch",
    "grid_note",
    "grid_point",
    "is_pareto_optimal",
    "nash_point",
    "normalised_gains",
    "pareto_frontier",
    "perception",
    "reference_for",
    "scale_of",
    "win_win_potential",
    "zone_distribution",
]
