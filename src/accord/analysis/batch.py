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
    """An issue on which some option is best for every party (docs/concepts.md#kinds-of-issue).

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
            "passes": bool(res.individually_rational[r] if res.passes is None else res.passes[r]),
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
            "passes_share": share(res.individually_rational if res.passes is None else res.passes),
            "agreement_rule": self.case.agreement.describe(self.case.n_parties),
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
    """Evaluate many agreements of one case at once (docs/concepts.md#the-pyramid for each).

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
        raise RequestError(f"row {int(bad[0]) + 1} has an option index out of range; the issues take "
                           + ", ".join(f"0..{s - 1}" for s in case.sizes))
    row_ids = tuple(str(i) for i in ids) if ids is not None else tuple(str(r + 1) for r in range(len(arr)))
    if len(row_ids) != len(arr):
        raise RequestError(f"{len(row_ids)} ids for {len(arr)} agreements")
    ref = reference if reference is not None else reference_for(case, frontier=frontier, cap=cap)
    result = assess(ref, case.utilities(arr))
    comp, missed = lose_lose(case, arr)
    return BatchEvaluation(case, row_ids, arr, result, ref, comp, missed)


def lose_lose(case: Case, packages: np.ndarray) -> tuple[tuple[CompatibleIssue, ...], np.ndarray]:
    """The compatible issues, and which of them each package settles on an option not best for everyone.

    One implementation for ``accord evaluate`` with one agreement and with a CSV of agreements.

    Parameters
    ----------
    case : Case
    packages : array of int, shape (R, issues)

    Returns
    -------
    compatible : tuple of CompatibleIssue
        From :func:`compatible_issues`.
    missed : ndarray of bool, shape (R, len(compatible))
        True where row r is lose-lose on compatible issue j.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [0, 1], "b": [1, 0]}})
    >>> comp, missed = lose_lose(case, np.array([[0, 0], [1, 1]]))
    >>> [c.issue for c in comp], missed.tolist()
    (['a'], [[True], [False]])
    """
    arr = np.atleast_2d(np.asarray(packages, dtype=np.int64))
    comp = compatible_issues(case)
    missed = np.zeros((len(arr), len(comp)), dtype=bool)
    for j, c in enumerate(comp):
        missed[:, j] = ~np.isin(arr[:, c.index], np.asarray(c.best, dtype=np.int64))
    return comp, missed


# -- the classroom debrief ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LogrollOutcome:
    """How the class did on one logrolling pair (docs/concepts.md#kinds-of-issue).

    Attributes
    ----------
    parties : (str, str)
        The two parties that trade.
    issues : (str, str)
        The two issues.
    gets : dict
        ``{issue: (party, option)}``: the trade of :class:`accord.analysis.issues.LogrollPair` — on each issue,
        the party it moves towards and the option.
    joint_gain : float
        The trade's joint gain over the compromise package (``scale`` of the case).
    traded : int
        Agreements that traded the right way: on each of the two issues, the party the trade favours gets at
        least as many points as the trade's option gives it.
    share : float
        ``traded`` / agreements (NaN without agreements).
    """

    parties: tuple[str, str]
    issues: tuple[str, str]
    gets: dict[str, tuple[str, str]]
    joint_gain: float
    traded: int
    share: float

    def to_dict(self) -> dict[str, Any]:
        return {"parties": list(self.parties), "issues": list(self.issues),
                "trade": {k: {"party": p, "option": o} for k, (p, o) in self.gets.items()},
                "joint_gain": self.joint_gain, "traded": self.traded, "share": _finite(self.share)}


def _finite(x: float) -> float | None:
    """JSON has no NaN: undefined figures (no agreement yet) are ``null``."""
    return float(x) if np.isfinite(x) else None


@dataclass(frozen=True)
class Debrief:
    """The debrief of a classroom exercise: every group's result measured against the case.

    One computation for the instructor's live page, its exports and ``accord evaluate --agreements ...
    --report``. Figures over *agreements* leave impasses out (an impasse has no package to place on the
    pyramid); ``groups`` and ``submitted`` count every group.

    Attributes
    ----------
    batch : BatchEvaluation
        The agreements (impasses excluded), evaluated on the pyramid.
    groups : int
        Groups in the exercise (or rows of the file).
    impasses : tuple of str
        Ids of the groups that reported an impasse.
    logrolls : tuple of LogrollOutcome
        One per logrolling pair that has a trade.
    mean_surplus_share : ndarray, shape (parties,)
        Each party's mean share of the surplus over the agreements where the surplus is positive (raw
        surplus with shared scales, else normalised gains: :func:`accord.analysis.bargaining.surplus_shares`).
    traded : ndarray of bool, shape (agreements, len(logrolls))
        Whether agreement r traded logrolling pair j the right way.
    """

    batch: BatchEvaluation
    groups: int
    impasses: tuple[str, ...]
    logrolls: tuple[LogrollOutcome, ...]
    mean_surplus_share: np.ndarray
    traded: np.ndarray

    @property
    def agreements(self) -> int:
        return len(self.batch)

    @property
    def submitted(self) -> int:
        return len(self.batch) + len(self.impasses)

    def levels(self) -> dict[str, int]:
        counts = np.bincount(self.batch.result.levels, minlength=4) if len(self.batch) else np.zeros(4, int)
        return {str(k): int(counts[k]) for k in range(4)}

    def lose_lose(self) -> dict[str, float | None]:
        n = len(self.batch)
        return {c.issue: (_finite(float(self.batch.missed[:, j].mean())) if n else None)
                for j, c in enumerate(self.batch.compatible)}

    def roles(self) -> dict[str, dict[str, float | None]]:
        u = self.batch.result.utilities
        n = len(self.batch)
        return {p: {"mean_points": _finite(float(u[:, i].mean())) if n else None,
                    "mean_surplus_share": _finite(float(self.mean_surplus_share[i]))}
                for i, p in enumerate(self.batch.case.party_names)}

    def rows(self, *, anonymous: bool = False) -> list[dict[str, Any]]:
        """One row per submitted group: agreements first (pyramid figures), then impasses.

        ``anonymous`` drops the ids (what the class sees after the reveal) and orders rows by joint value, so
        that not even the position of a row tells whose it is.
        """
        out = []
        for r, row in enumerate(self.batch.rows()):
            row["impasse"] = False
            row["traded"] = [f"{lr.issues[0]} × {lr.issues[1]}"
                             for lr, t in zip(self.logrolls, self.traded[r], strict=True) if t]
            out.append(row)
        case = self.batch.case
        for gid in self.impasses:
            out.append({"id": gid, "impasse": True, "package": None, "level": None, "level_name": "impasse",
                        "utilities": {p: float(b) for p, b in zip(case.party_names, case.batnas, strict=True)},
                        "joint_value": None, "pareto_optimal": False, "compatible_missed": [], "traded": []})
        if anonymous:
            out.sort(key=lambda r: (r["impasse"], -(r["joint_value"] or 0.0),
                                    sorted((r["package"] or {}).items())))
            for row in out:
                row.pop("id", None)
        return out

    def to_dict(self, *, anonymous: bool = False) -> dict[str, Any]:
        """JSON-ready form: ``{"case", "scale", "groups", "submitted", "agreements", "impasses", "levels",
        "mean_joint_value", "max_joint_value", "lose_lose", "logrolls", "roles", "rows"}``."""
        agg = self.batch.aggregates()
        return {
            "case": self.batch.case.name,
            "scale": self.batch.reference.scale,
            "groups": self.groups,
            "submitted": self.submitted,
            "agreements": self.agreements,
            "impasses": len(self.impasses),
            "levels": self.levels(),
            "mean_joint_value": _finite(agg["mean_joint_value"]),
            "max_joint_value": _finite(agg["max_joint_value"]),
            "lose_lose": self.lose_lose(),
            "logrolls": [lr.to_dict() for lr in self.logrolls],
            "roles": self.roles(),
            "rows": self.rows(anonymous=anonymous),
        }


#: Most groups (rows) one debrief evaluates.
MAX_GROUPS = 100_000


def debrief(
    case: Case,
    packages: IntArray | Sequence[Sequence[int]],
    *,
    ids: Sequence[str] | None = None,
    impasses: Sequence[str] = (),
    groups: int | None = None,
    frontier: Frontier | None = None,
    cap: int = DEFAULT_CAP,
) -> Debrief:
    """Debrief a class: the pyramid, joint value, lose-lose issues, logrolls and each role's share.

    Parameters
    ----------
    case : Case
    packages : array of int, shape (R, issues)
        The agreements (option indices), one per group that agreed.
    ids : sequence of str, optional
        The agreeing groups' ids.
    impasses : sequence of str
        Ids of the groups that reported an impasse (each party keeps its BATNA).
    groups : int, optional
        Groups in the exercise (default: agreements + impasses); at least that many.
    frontier : Frontier, optional
    cap : int

    Returns
    -------
    Debrief

    Raises
    ------
    RequestError
        Bad packages or ids (see :func:`evaluate_batch`), more than :data:`MAX_GROUPS` rows, or ``groups``
        smaller than the rows given.

    Notes
    -----
    Pyramid levels, joint values and lose-lose issues come from :func:`evaluate_batch`. A logrolling pair
    (from :func:`accord.analysis.issues.classify_issues`, whose trades come from
    :func:`accord.analysis.logroll.logrolls`) counts as *traded the right way* by an agreement when, on each of
    its two issues, the party the trade favours gets at least the points of the trade's option — each side
    won the issue it values relatively more. Surplus shares follow docs/concepts.md#solution-points and are
    averaged over the agreements with a positive total surplus.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q", "r"]},
    ...     {"A": {"a": [0, 4, 8], "b": [2, 1, 0]}, "B": {"a": [2, 1, 0], "b": [0, 4, 8]}}, shared_scales=True)
    >>> d = debrief(case, [[2, 2], [1, 1]], ids=["g1", "g2"], impasses=["g3"], groups=4)
    >>> d.to_dict()["levels"], d.submitted, [(lr.issues, lr.traded) for lr in d.logrolls]
    ({'0': 0, '1': 1, '2': 0, '3': 1}, 3, [(('a', 'b'), 1)])
    """
    from accord.analysis.bargaining import surplus_shares
    from accord.analysis.issues import classify_issues

    arr = np.asarray(packages, dtype=np.int64)
    if arr.size == 0:
        arr = arr.reshape(0, case.n_issues)
    total = len(arr) + len(impasses)
    if total > MAX_GROUPS:
        raise RequestError(f"{total:,} groups to debrief; at most {MAX_GROUPS:,}")
    if groups is not None and groups < total:
        raise RequestError(f"{total} results for {groups} groups")
    batch = evaluate_batch(case, arr, ids=ids, frontier=frontier, cap=cap)
    pairs = [p for p in classify_issues(case, frontier=batch.reference.frontier).logrolling if p.both_gain]
    traded = np.zeros((len(arr), len(pairs)), dtype=bool)
    outcomes = []
    for j, p in enumerate(pairs):
        ok = np.ones(len(arr), dtype=bool)
        for issue, (party, option) in p.gets.items():
            k = case.issue_index(issue)
            s = case.scores[k][case.party_names.index(party)]
            target = s[case.issues[k].index(option)]
            ok &= s[arr[:, k]] >= target - _SLACK * max(1.0, abs(float(target)))
        traded[:, j] = ok
        outcomes.append(LogrollOutcome(p.parties, p.issues, dict(p.gets), p.joint_gain, int(ok.sum()),
                                       float(ok.mean()) if len(arr) else float("nan")))
    u = batch.result.utilities
    shares = np.array([surplus_shares(case, u[r], batch.reference.ideal) for r in range(len(arr))]
                      ).reshape(len(arr), case.n_parties)
    defined = np.all(np.isfinite(shares), axis=1)
    mean_share = (shares[defined].mean(axis=0) if defined.any()
                  else np.full(case.n_parties, np.nan))
    return Debrief(batch, groups if groups is not None else total, tuple(str(i) for i in impasses),
                   tuple(outcomes), mean_share, traded)
