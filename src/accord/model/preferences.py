"""A party's preferences: additive points per option, interaction terms, and an optional cap.

u(ω) = min(cap, Σ_k s_k(ω_k) + Σ_t points_t · [ω satisfies t])   (docs/concepts.md#the-case)

The additive part s_k is a point table per issue (classroom cases), however it was written in the case file
(points, or weight × value function); the interaction terms make preferences non-additive (GENIUS
hyper-rectangles are interaction terms too). The cap (GENIUS caps utilities at 1) is applied last.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import CaseError
from accord.model.issue import Issue

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


@dataclass(frozen=True)
class Interaction:
    """Extra points when a package meets a condition on two or more issues.

    Parameters
    ----------
    conditions : tuple of (issue index, frozenset of option indices)
        The package satisfies the term when, for every condition, its option on that issue is in the set.
        Ranges on ordered issues and GENIUS hyper-rectangles (INCLUDES/EXCLUDES) become such sets.
    points : float
        Points added when the term is satisfied (may be negative).
    label : str
        Optional description, for display.
    """

    conditions: tuple[tuple[int, frozenset[int]], ...]
    points: float
    label: str = ""

    def __post_init__(self) -> None:
        if not np.isfinite(self.points):
            raise CaseError(f"interaction {self.label or ''} has non-finite points {self.points!r}")
        issues = [k for k, _ in self.conditions]
        if len(set(issues)) != len(issues):
            raise CaseError("an interaction names the same issue twice; merge the option sets")

    @property
    def issues(self) -> tuple[int, ...]:
        """Indices of the issues this term looks at."""
        return tuple(k for k, _ in self.conditions)

    def mask(self, packages: IntArray) -> NDArray[np.bool_]:
        """Boolean vector: which rows of ``packages`` (N × issues option indices) satisfy the term."""
        ok = np.ones(packages.shape[0], dtype=bool)
        for k, allowed in self.conditions:
            ok &= np.isin(packages[:, k], np.fromiter(allowed, dtype=np.int64, count=len(allowed)))
        return ok

    def to_dict(self, issues: tuple[Issue, ...]) -> dict[str, Any]:
        """Case-file form: ``{"when": {issue: [options]}, "points": p}``."""
        when = {issues[k].name: [issues[k].options[o] for o in sorted(s)] for k, s in self.conditions}
        d: dict[str, Any] = {"when": when, "points": self.points}
        if self.label:
            d["label"] = self.label
        return d


@dataclass(frozen=True)
class Preferences:
    """Preferences of one party over the packages of a case.

    Parameters
    ----------
    scores : tuple of tuple of float
        ``scores[k][o]``: points for option ``o`` of issue ``k`` (the additive part).
    interactions : tuple of Interaction
        Non-additive terms.
    cap : float, optional
        Upper cap on total utility (GENIUS: 1).

    Examples
    --------
    >>> p = Preferences(((0.0, 1.0), (2.0, 0.0)))
    >>> float(p.utility((1, 0)))
    3.0
    """

    scores: tuple[tuple[float, ...], ...]
    interactions: tuple[Interaction, ...] = ()
    cap: float | None = None
    _arrays: tuple[FloatArray, ...] = field(default=(), init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        arrays = []
        for k, row in enumerate(self.scores):
            a = np.asarray(row, dtype=float)
            if not np.all(np.isfinite(a)):
                raise CaseError(f"issue #{k + 1} has NaN or infinite points; every option needs a finite number")
            a.setflags(write=False)
            arrays.append(a)
        if self.cap is not None and not np.isfinite(self.cap):
            raise CaseError(f"cap must be a finite number, not {self.cap!r}")
        object.__setattr__(self, "_arrays", tuple(arrays))

    @property
    def additive(self) -> bool:
        """True when there are no interaction terms and no cap that can bind."""
        return not self.interactions and (self.cap is None or self.cap >= self.max_additive())

    def table(self, k: int) -> FloatArray:
        """Read-only array of points for the options of issue ``k``."""
        return self._arrays[k]

    def max_additive(self) -> float:
        """Largest additive sum (ignoring interactions and the cap)."""
        return float(sum(a.max() for a in self._arrays))

    def min_additive(self) -> float:
        """Smallest additive sum (ignoring interactions and the cap)."""
        return float(sum(a.min() for a in self._arrays))

    def utilities(self, packages: IntArray) -> FloatArray:
        """Utilities of many packages at once.

        Parameters
        ----------
        packages : ndarray of int, shape (N, issues)
            Option index per issue, one package per row.

        Returns
        -------
        ndarray of float, shape (N,)
        """
        packages = np.asarray(packages, dtype=np.int64)
        if packages.ndim == 1:
            packages = packages[None, :]
        total = np.zeros(packages.shape[0])
        for k, a in enumerate(self._arrays):
            total += a[packages[:, k]]
        for t in self.interactions:
            total += t.points * t.mask(packages)
        if self.cap is not None:
            np.minimum(total, self.cap, out=total)
        return total

    def utility(self, package: tuple[int, ...] | list[int]) -> float:
        """Utility of one package given as option indices."""
        return float(self.utilities(np.asarray(package, dtype=np.int64)[None, :])[0])

    def uncapped(self) -> Preferences:
        """The same preferences without the cap."""
        return Preferences(self.scores, self.interactions, None)

    def to_dict(self, issues: tuple[Issue, ...]) -> dict[str, Any]:
        """Case-file form: points per option per issue, plus interactions and cap if any."""
        d: dict[str, Any] = {
            issue.name: {o: float(v) for o, v in zip(issue.options, row, strict=True)}
            for issue, row in zip(issues, self.scores, strict=True)
        }
        if self.interactions:
            d["interactions"] = [t.to_dict(issues) for t in self.interactions]
        if self.cap is not None:
            d["cap"] = self.cap
        return d
