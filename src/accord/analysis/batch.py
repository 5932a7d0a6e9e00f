"""Batch evaluation: many agreements of one case at once — a class of negotiating pairs, a tournament.

The classroom situation: every pair of a class negotiated the same case and reached its own agreement (or
none). :func:`evaluate_batch` places every agreement on Thompson's pyramid with the same engine as
:func:`accord.analysis.pyramid.evaluate` (:func:`~accord.analysis.pyramid.assess`: one frontier, numpy
comparisons for all rows at once) and sums the class up: the share at each level, the mean joint value
against the largest possible, and the *lose-lose* agreements — compatible issues (an option is best for
everyone) settled on another option, value that nobody wanted to give away.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*: the pyramid model; compatible issues and lose-lose
agreements (about a fifth of negotiators settle a compatible issue on a worse option).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.frontier import DEFAULT_CAP, Frontier
from accord.analysis.pyramid import LEVEL_NAMES, Assessment, PyramidReference, assess, reference_for
from accord.errors import RequestError
from accord.model import Case
from accord.model.preferences import IntArray

#: Slack when deciding which options are best for a party (argmax sets).
_SLACK = 1e-9


@dataclass(frozen=True)
class CompatibleIssue:
    """An issue on which some option is best for every party (DOMAIN §2).

    Attributes
    ----------
    issue : str
    index : int
        Position of the issue in the case.
    best : tuple of int
        The options best for every party (the intersection of the parties' argmax sets).
    labels : tuple of str
        Their labels.
    """

    issue: str
    index: int
    best: tuple[int, ...]
    labels: tuple[str, ...]


def compatible_issues(case: Case) -> tuple[CompatibleIssue, ...]:
    """The compatible issues of ``case`` with the options best for everyone.

    Uses :func:`accord.analysis.issues.classify_issues` (kind ``"compatible"``; with more than two parties
    every pair must be compatible) and intersects the parties' argmax sets; failing to pick one of those
    options is a lose-lose agreement on that issue.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [0, 1], "b": [1, 0]}})
    >>> [(c.issue, c.labels) for c in compatible_issues(case)]
    [('a', ('y',))]
    """
    try:
        from accord.analysis.issues import classify_issues
    except ImportError:  # pragma: no cover - the issue classifier ships with Accord
        kinds: list[str] | None = None
    else:
        kinds = [ik.kind for ik in classify_issues(case, max_pairs=0).issues]
    out = []
    for k, (issue, s) in enumerate(zip(case.issues, case.scores, strict=True)):
        top = s.max(axis=1, keepdims=True)
        slack = _SLACK * np.maximum(1.0, np.abs(s).max(axis=1, keepdims=True))
        shared = np.all(s >= top - slack, axis=0)
        if not shared.any() or (kinds is not None and kinds[k] != "compatible"):
            continue
        best = tuple(int(o) for o in np.flatnonzero(shared))
        out.append(CompatibleIssue(issue.name, k, best, tuple(issue.options[o] for o in best)))
    return tuple(out)


@dataclass(frozen=True)
class BatchEvaluation:
    """The pyramid evaluation of many agreements of one case (row r = agreement r).

    Attributes
    ----------
    case : Case
    ids : tuple of str
        One id per row (e.g. the pair's name).
    packages : ndarray of int, shape (R, issues)
    result : Assessment
        Per-row arrays: level, utilities, Pareto-optimality, value left, distance, ...
    reference : PyramidReference
        The frontier and case-wide numbers every row was measured against.
    compatible : tuple of CompatibleIssue
    missed : ndarray of bool, shape (R, len(compatible))
        Whether row r settled compatible issue c on an option that is not best for everyone (lose-lose).
    """

    case: Case
    ids: tuple[str, ...]
    packages: IntArray
    result: Assessment
    reference: PyramidReference
    compatible: tuple[CompatibleIssue, ...]
    missed: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def row(self, r: int) -> dict[str, Any]:
        """Row ``r`` as plain data."""
        case = self.case
        res = self.result
        names = case.party_names

        def per(x: np.ndarray) -> dict[str, float]:
            return {n: float(v) for n, v in zip(names, x, strict=True)}

        level = int(res.levels[r])
        return {
            "id": self.ids[r],
            "package": case.labels(self.packages[r]),
            "level": level,
            "level_name": LEVEL_NAMES[level],
            "individually_rational": bool(res.individually_rational[r]),
            "pareto_optimal": bool(res.pareto_optimal[r]),
            "dominates_compromise": bool(res.dominates_compromise[r]),
            "utilities": per(res.utilities[r]),
            "joint_value": float(res.joint_values[r]),
            "value_left": per(res.value_left[r]),
            "value_left_points": per(res.value_left_points[r]),
            "value_left_joint": float(res.joint_gain[r]),
            "distance": float(res.distance[r]),
            "at_max_joint": bool(res.at_max_joint[r]),
            "nash_optimal": None if res.nash_optimal is None else bool(res.nash_optimal[r]),
            "compatible_missed": [c.issue for c, m in zip(self.compatible, self.missed[r], strict=True) if m],
        }

    def rows(self) -> list[dict[str, Any]]:
        """Every row as plain data."""
        return [self.row(r) for r in range(len(self))]

    def aggregates(self) -> dict[str, Any]:
        """The class summed up: share at each level, mean joint value vs the maximum, lose-lose issues.

        ``mean_joint_value`` and ``max_joint_value`` are on ``scale`` (raw points with shared scales, else
        normalised gains); ``joint_value_ratio`` is their ratio.
        """
        res = self.result
        n = len(self)
        names = self.case.party_names
        counts = np.bincount(res.levels, minlength=4) if n else np.zeros(4, dtype=np.int64)
        mean_joint = float(res.joint_values.mean()) if n else float("nan")
        max_joint = self.reference.max_joint_value
        any_missed = np.asarray(self.missed.any(axis=1), dtype=bool).reshape(n)

        def share(x: np.ndarray) -> float:
            return float(np.mean(x)) if n else float("nan")

        return {
            "rows": n,
            "scale": self.reference.scale,
            "level_counts": {str(k): int(counts[k]) for k in range(4)},
            "level_shares": {str(k): (float(counts[k]) / n if n else float("nan")) for k in range(4)},
            "level_names": {str(k): v for k, v in LEVEL_NAMES.items()},
            "individually_rational_share": share(res.individually_rational),
            "pareto_optimal_share": share(res.pareto_optimal),
            "mean_utilities": {p: (float(res.utilities[:, i].mean()) if n else float("nan"))
                               for i, p in enumerate(names)},
            "mean_joint_value": mean_joint,
            "max_joint_value": max_joint,
            "joint_value_ratio": mean_joint / max_joint if max_joint > 0 else float("nan"),
            "at_max_joint_share": share(res.at_max_joint),
            "nash_optimal_share": None if res.nash_optimal is None else share(res.nash_optimal),
            "mean_value_left_joint": float(res.joint_gain.mean()) if n else float("nan"),
            "compatible_issues": [
                {"issue": c.issue, "best": list(c.labels), "missed": int(self.missed[:, j].sum()),
                 "missed_share": share(self.missed[:, j])}
                for j, c in enumerate(self.compatible)
            ],
            "lose_lose_rows": int(any_missed.sum()),
            "lose_lose_share": share(any_missed),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form: ``{"case", "parties", "scale", "compromise", "frontier_size", "grid", "aggregates",
        "rows"}`` (``grid``: the grids real issues were analysed on, "" if none)."""
        return {
            "case": self.case.name,
            "parties": list(self.case.party_names),
            "scale": self.reference.scale,
            "compromise": {"package": self.case.labels(self.reference.compromise),
                           "utilities": {p: float(x) for p, x in zip(self.case.party_names,
                                                                      self.reference.compromise_utilities,
                                                                      strict=True)}},
            "frontier_size": len(self.reference.frontier),
            "grid": self.reference.frontier.grid,
            "aggregates": self.aggregates(),
            "rows": self.rows(),
        }


def evaluate_batch(
    case: Case,
    packages: IntArray | Sequence[Sequence[int]],
    *,
    ids: Sequence[str] | None = None,
    frontier: Frontier | None = None,
    reference: PyramidReference | None = None,
    cap: int = DEFAULT_CAP,
) -> BatchEvaluation:
    """Evaluate many agreements of one case at once (DOMAIN §5 for each).

    Parameters
    ----------
    case : Case
    packages : ndarray of int, shape (R, issues)
        One agreement per row, as option indices (``case.package(...)`` turns labels into indices).
    ids : sequence of str, optional
        A name per row (default ``"1"``, ``"2"``, ...).
    frontier : Frontier, optional
        The case's full frontier, if already computed.
    reference : PyramidReference, optional
        A reference from :func:`accord.analysis.pyramid.reference_for`.
    cap : int
        Packages kept per frontier point when the frontier is computed here.

    Returns
    -------
    BatchEvaluation

    Raises
    ------
    RequestError
        When ``packages`` has the wrong shape or an option index out of range, or ``ids`` the wrong length.
    TooLargeError
        When the case's frontier cannot be computed.

    Notes
    -----
    One frontier computation, then :func:`~accord.analysis.pyramid.assess` on all rows: O(R · F · P) numpy
    work for R agreements and F frontier points, in bounded-memory chunks. Row r's level, Pareto-optimality,
    value left and distance are exactly what ``evaluate(case, packages[r])`` reports.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 1]}, "B": {"a": [1, 0, 1]}},
    ...                         shared_scales=True)
    >>> batch = evaluate_batch(case, [[0], [2], [2]], ids=["pair 1", "pair 2", "pair 3"])
    >>> batch.aggregates()["level_counts"]
    {'0': 0, '1': 1, '2': 0, '3': 2}
    """
    arr = np.asarray(packages, dtype=np.int64)
    if arr.ndim != 2 or arr.shape[1] != case.n_issues:
        raise RequestError(f"agreements must be a table with one option index per issue ({case.n_issues} "
                           f"columns); got shape {arr.shape}")
    sizes = np.asarray(case.sizes, dtype=np.int64)
    bad = np.flatnonzero(np.any((arr < 0) | (arr >= sizes[None, :]), axis=1))
    if bad.size:
        raise RequestError(f"row {int(bad[0]) + 1} has an option index out of range; each issue k takes "
                           f"0..{', '.join(str(s - 1) for s in case.sizes)}")
    row_ids = tuple(str(i) for i in ids) if ids is not None else tuple(str(r + 1) for r in range(len(arr)))
    if len(row_ids) != len(arr):
        raise RequestError(f"{len(row_ids)} ids for {len(arr)} agreements")
    ref = reference if reference is not None else reference_for(case, frontier=frontier, cap=cap)
    result = assess(ref, case.utilities(arr))
    comp = compatible_issues(case)
    missed = np.zeros((len(arr), len(comp)), dtype=bool)
    for j, c in enumerate(comp):
        missed[:, j] = ~np.isin(arr[:, c.index], np.asarray(c.best, dtype=np.int64))
    return BatchEvaluation(case, row_ids, arr, result, ref, comp, missed)
