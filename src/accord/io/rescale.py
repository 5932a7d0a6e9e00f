"""Positive affine maps that fit a party's points into what GENIUS or GeniusWeb files can hold.

GENIUS writes a party's utility as U = min(1, Σ_k w_k · e_k) with weights w_k ≥ 0 and evaluations e_k in
[0, 1] (or, for non-linear profiles, as a sum of hyper-rectangle utilities capped at 1); GeniusWeb as
U = Σ_k w_k · u_k with Σ w_k = 1 and u_k in [0, 1], without a cap. Accord's point tables are freer (negative
points, scores in the thousands, any cap). Preferences do not change under a positive affine map
u' = a · u + b with a > 0 (the same packages are preferred, the same ones are rational against the mapped
BATNA), so an export maps each party's points by such a map — the identity whenever the points already fit —
records it in the files' description and reports it. Importing the files back gives a · u + b.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord._format import fmt_number
from accord.errors import RequestError
from accord.model import Interaction, Preferences
from accord.model.preferences import FloatArray

#: Marker written in exported files' descriptions, followed by ``a=<float> b=<float>``.
MAP_MARK = "accord-map"


@dataclass(frozen=True)
class AffineMap:
    """The map u' = a · u + b (a > 0) from a party's Accord points to the exported utility.

    Attributes
    ----------
    party : str
    a, b : float
    reasons : tuple of str
        Why the points had to be mapped (empty for the identity).

    Examples
    --------
    >>> m = AffineMap("buyer", 0.5, 0.25, ("points above 1",))
    >>> m.apply(1.0)
    0.75
    >>> m.describe()
    'accord-map a=0.5 b=0.25: exported utility = 0.5 * Accord points + 0.25 (points above 1)'
    """

    party: str
    a: float
    b: float
    reasons: tuple[str, ...] = ()

    @property
    def identity(self) -> bool:
        """True when the exported utilities are the Accord points themselves."""
        return self.a == 1.0 and self.b == 0.0

    def apply(self, points: float) -> float:
        """The exported utility of ``points``."""
        return self.a * points + self.b

    def describe(self) -> str:
        """One line for the files' description: machine-readable ``a=... b=...`` then the words."""
        why = f" ({'; '.join(self.reasons)})" if self.reasons else ""
        return (f"{MAP_MARK} a={self.a!r} b={self.b!r}: exported utility = {self.a!r} * Accord points + "
                f"{self.b!r}{why}")

    def to_dict(self) -> dict[str, Any]:
        return {"party": self.party, "a": self.a, "b": self.b, "identity": self.identity,
                "reasons": list(self.reasons)}


def parse_map(text: str, party: str = "") -> AffineMap | None:
    """Read back the map :meth:`AffineMap.describe` wrote into a description (None when there is none).

    Examples
    --------
    >>> parse_map("accord-map a=0.5 b=-1.0: exported utility = ...", "x")
    AffineMap(party='x', a=0.5, b=-1.0, reasons=())
    """
    at = text.find(MAP_MARK)
    if at < 0:
        return None
    fields = dict(part.split("=", 1) for part in text[at + len(MAP_MARK):].split(":", 1)[0].split() if "=" in part)
    try:
        return AffineMap(party, float(fields["a"]), float(fields["b"]))
    except (KeyError, ValueError):
        return None


@dataclass(frozen=True)
class MappedPoints:
    """One party's points after the map, ready to be written.

    Attributes
    ----------
    map : AffineMap
    scores : tuple of ndarray
        Mapped additive points per issue (each ≥ 0).
    interactions : tuple of Interaction
        Interaction terms with mapped points (GENIUS non-linear export only).
    weights : tuple of float
        GeniusWeb only: issue weights (sum 1); ``scores[k] / weights[k]`` are the value utilities in [0, 1].
    reservation : float
        The mapped BATNA.
    """

    map: AffineMap
    scores: tuple[FloatArray, ...]
    interactions: tuple[Interaction, ...]
    weights: tuple[float, ...]
    reservation: float


def _bounds(prefs: Preferences) -> tuple[FloatArray, FloatArray, float, float]:
    mins = np.array([prefs.table(k).min() for k in range(len(prefs.scores))])
    maxs = np.array([prefs.table(k).max() for k in range(len(prefs.scores))])
    neg = float(sum(min(0.0, t.points) for t in prefs.interactions))
    pos = float(sum(max(0.0, t.points) for t in prefs.interactions))
    return mins, maxs, neg, pos


def map_for_genius(prefs: Preferences, batna: float, party: str, *, nonlinear: bool) -> MappedPoints:
    """Map a party's points into GENIUS's form U = min(1, Σ_k w_k e_k) (+ hyper-rectangles when non-linear).

    Parameters
    ----------
    prefs : Preferences
    batna : float
        The party's BATNA in Accord points (becomes the reservation value).
    party : str
    nonlinear : bool
        Whether the export is a non-linear (hyper-rectangle) profile; required when ``prefs`` has interaction
        terms.

    Returns
    -------
    MappedPoints

    Raises
    ------
    RequestError
        When the cap is at or below the lowest possible points (every package would be worth the cap).

    Notes
    -----
    With s_k the points of issue k, shift_k = min(0, min s_k) and N = Σ_t min(0, p_t) over the interaction
    points, c0 = Σ_k shift_k + N is a lower bound of the uncapped utility X and Ub = Σ_k max s_k + Σ_t
    max(0, p_t) an upper bound. If the cap c binds (c < Ub), a = 1 / (c − c0) so the cap lands on GENIUS's 1;
    otherwise a = 1 when Ub − c0 ≤ 1, else 1 / (Ub − c0). Then b = −a · c0, every exported issue table
    a · (s_k − shift_k) is ≥ 0, and min(1, a · X + b) = a · min(c, X) + b for every package.

    Examples
    --------
    >>> m = map_for_genius(Preferences(((0.0, 2.0), (-1.0, 1.0))), 0.0, "p", nonlinear=False)
    >>> (m.map.a, m.map.b), [t.tolist() for t in m.scores], m.reservation
    ((0.25, 0.25), [[0.0, 0.5], [0.0, 0.5]], 0.25)
    """
    if prefs.interactions and not nonlinear:
        raise RequestError(f"party {party!r} has interaction terms; GENIUS holds them only in a non-linear "
                           "(hyper-rectangle) profile")
    mins, maxs, neg, pos = _bounds(prefs)
    shift = np.minimum(0.0, mins)
    c0 = float(shift.sum()) + neg
    upper = float(maxs.sum()) + pos
    reasons: list[str] = []
    if np.any(shift < 0) or neg < 0:
        reasons.append("negative points")
    if prefs.cap is not None and prefs.cap < upper:
        if prefs.cap <= c0:
            raise RequestError(f"party {party!r}: the cap {prefs.cap:g} is at or below the lowest possible "
                               f"points {c0:g}, so every package is worth the cap; remove or raise the cap")
        a = 1.0 / (prefs.cap - c0)
        if prefs.cap != 1.0:
            reasons.append(f"cap {prefs.cap:g} mapped to GENIUS's cap 1")
    else:
        span = upper - c0
        a = 1.0 if span <= 1.0 else 1.0 / span
        if span > 1.0:
            reasons.append(f"points reach {fmt_number(upper, digits=6)}, above GENIUS's 1")
    b = -a * c0 if c0 != 0.0 else 0.0
    scores = [a * (prefs.table(k) - shift[k]) for k in range(len(prefs.scores))]
    if neg < 0 and scores:
        # negative interaction points are kept as negative rectangles; their lowest sum is paid back on
        # the first issue so the total stays ≥ 0
        scores[0] = scores[0] - a * neg
    inter = tuple(Interaction(t.conditions, a * t.points, t.label) for t in prefs.interactions)
    amap = AffineMap(party, a, b, tuple(reasons))
    return MappedPoints(amap, tuple(scores), inter, (), amap.apply(batna))


def map_for_geniusweb(prefs: Preferences, batna: float, party: str) -> MappedPoints:
    """Map a party's points into GeniusWeb's form U = Σ_k w_k u_k (Σ w_k = 1, u_k in [0, 1], no cap).

    Parameters
    ----------
    prefs : Preferences
    batna : float
    party : str

    Returns
    -------
    MappedPoints
        With ``weights`` set; value utilities are ``scores[k] / weights[k]`` (0 where the weight is 0).

    Raises
    ------
    RequestError
        When the party has interaction terms or a cap that binds: GeniusWeb's linear additive utility space
        holds neither, and no affine map can make up for them.

    Notes
    -----
    When every point is ≥ 0 and Σ_k max s_k ≤ 1 the map is the identity: w_k = max s_k plus an equal share of
    the slack 1 − Σ_k max s_k. Otherwise a = 1 / Σ_k (max s_k − min s_k), b = −a · Σ_k min s_k and
    w_k = a · (max s_k − min s_k).

    Examples
    --------
    >>> m = map_for_geniusweb(Preferences(((0.1, 0.3), (0.0, 0.5))), 0.0, "p")
    >>> m.map.identity, [round(w, 3) for w in m.weights]
    (True, [0.4, 0.6])
    """
    if prefs.interactions:
        raise RequestError(f"party {party!r} has interaction terms, which GeniusWeb's linear additive utility "
                           "space cannot hold; export to GENIUS instead (non-linear profile)")
    mins, maxs, _, _ = _bounds(prefs)
    upper = float(maxs.sum())
    if prefs.cap is not None and prefs.cap < upper:
        raise RequestError(f"party {party!r}: utilities are capped at {prefs.cap:g} and the cap binds (points "
                           f"reach {upper:.10g}); GeniusWeb has no cap, so its utilities would differ — export "
                           "to GENIUS instead, which caps at 1")
    m = len(prefs.scores)
    if np.all(mins >= 0) and upper <= 1.0:
        slack = (1.0 - upper) / m
        weights = tuple(float(x) + slack for x in maxs)
        amap = AffineMap(party, 1.0, 0.0)
        scores = tuple(prefs.table(k).astype(float) for k in range(m))
        return MappedPoints(amap, scores, (), weights, batna)
    stakes = maxs - mins
    total = float(stakes.sum())
    a = 1.0 / total if total > 0 else 1.0
    b = -a * float(mins.sum())
    reasons = []
    if np.any(mins < 0):
        reasons.append("negative points")
    if upper > 1.0:
        reasons.append(f"points reach {fmt_number(upper, digits=6)}, above GeniusWeb's 1")
    if not reasons:
        reasons.append("GeniusWeb weights must sum to 1")
    weights = tuple(float(x) for x in a * stakes) if total > 0 else tuple(1.0 / m for _ in range(m))
    scores = tuple(a * (prefs.table(k) - mins[k]) for k in range(m))
    amap = AffineMap(party, a, b, tuple(reasons))
    return MappedPoints(amap, scores, (), weights, amap.apply(batna))
