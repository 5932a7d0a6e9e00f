"""Opponent models: what a negotiator learns about the other side's priorities, and how accurate it is.

* :class:`FrequencyModel` — the classic frequency heuristic: options the other side offers often are the ones
  it likes, and issues on which its offers stay put are the ones it cares about (Hard-Headed, ANAC 2011).
* :class:`BayesianPriorityModel` — a probability over hypotheses about the other side's priorities, the MESO
  belief of :mod:`accord.tactics.meso` (its hypothesis family, logit choice model and Bayes update), fed by
  every choice the other side makes: a MESO pick, or proposing its own package instead of accepting ours
  (read as "it preferred its package to ours"), and by a revealed priority order.

Accuracy (:func:`model_accuracy`) is measured by the simulator, which knows the truth: the Pearson correlation
of estimated and true utilities over a fixed sample of packages, and the rank agreement (Kendall's τ) of the
estimated and true issue priorities (Baarslag, Hendrikx, Hindriks & Jonker 2013).

References
----------
van Krimpen, T., Looije, D., Hajizadeh, S. (2013). HardHeaded. In *Complex Automated Negotiations*.
Baarslag, T., Hendrikx, M., Hindriks, K., Jonker, C. (2013). Predicting the performance of opponent models
in automated negotiation. *IEEE/WIC/ACM WI-IAT*.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from accord.model import Case, Estimate, Package, Party, Preferences
from accord.model.preferences import FloatArray
from accord.negotiation.view import PrivateView
from accord.tactics.meso import Belief, default_belief, update_belief

__all__ = ["Accuracy", "BayesianPriorityModel", "FrequencyModel", "kendall_tau", "model_accuracy"]

#: Logit rationality used when reading a counter-offer as a choice (offers are noisier than MESO picks).
OFFER_RATIONALITY = 4.0
#: Strength of the evidence of a revealed priority order (likelihood ∝ exp(λ · τ)).
REVEAL_STRENGTH = 8.0


class FrequencyModel:
    """Frequency-based estimate of one other party's points per option.

    Notes
    -----
    Option value v_k(o) = (n_k(o) + p_k(o)) / max_o (n_k(o) + p_k(o)) over the offers seen, with the prior
    p_k(o) = 1 − e_k(o) — before any offer, the other side is assumed to like least what the holder likes most
    (e_k = the holder's own points on issue k scaled to [0, 1]); issue weight w_k starts at
    1/m and gains 1/(10 m) whenever two consecutive offers keep issue k unchanged, then is renormalised. A
    revealed priority order sets the weights to (m − rank) / Σ. Estimate: w_k · v_k(o).
    """

    def __init__(self, view: PrivateView) -> None:
        self.sizes = [issue.size for issue in view.issues]
        m = len(self.sizes)
        self.counts = [np.zeros(n) for n in self.sizes]
        self.prior = []
        for t in view.tables:
            r = float(t.max() - t.min())
            self.prior.append(1.0 - (t - t.min()) / r if r > 0 else np.ones(len(t)))
        self.weights = np.full(m, 1.0 / m)
        self.last: Package | None = None
        self.names = [issue.name for issue in view.issues]
        self.seen = 0

    def observe_offer(self, package: Package) -> None:
        for k, o in enumerate(package):
            self.counts[k][o] += 1
        if self.last is not None:
            same = np.array([a == b for a, b in zip(self.last, package, strict=True)], dtype=float)
            self.weights = self.weights + same / (10 * len(self.sizes))
            self.weights = self.weights / self.weights.sum()
        self.last = package
        self.seen += 1

    def observe_priorities(self, priorities: Sequence[str]) -> None:
        m = len(self.names)
        rank = {name: r for r, name in enumerate(priorities)}
        w = np.array([m - rank.get(n, m - 1) for n in self.names], dtype=float)
        self.weights = w / w.sum()

    def estimate(self) -> tuple[FloatArray, ...]:
        return tuple(self.weights[k] * (c + p) / (c + p).max()
                     for k, (c, p) in enumerate(zip(self.counts, self.prior, strict=True)))


def private_case(view: PrivateView) -> Case:
    """A stand-in case holding only what ``view`` may see: its own points, its own estimates, and for the
    others the estimate when it has one, else the fixed-pie placeholder (the negative of its own points)."""
    prefs = []
    for p in view.parties:
        tables = view.tables if p == view.party else view.estimates.get(p, view.fixed_pie_proxy())
        prefs.append(Preferences(tuple(tuple(float(x) for x in t) for t in tables)))
    ests = tuple(Estimate(view.party, about, Preferences(tuple(tuple(float(x) for x in t) for t in tables)))
                 for about, tables in view.estimates.items())
    return Case("private view", view.issues, tuple(Party(p) for p in view.parties), tuple(prefs),
                view.shared_scales, ests)


class BayesianPriorityModel:
    """Probability over hypotheses about one other party's priorities (the MESO belief).

    Parameters
    ----------
    view : PrivateView
        The holder's view (only its own points and estimates are used).
    about : str
        The party modelled.
    """

    def __init__(self, view: PrivateView, about: str, *, count: int | None = None) -> None:
        case = private_case(view)
        m = len(view.issues)
        self.belief: Belief = default_belief(case, view.party, about, count=count or m + 1)
        self.names = [issue.name for issue in view.issues]

    def observe_choice(self, chosen: int, offered: Sequence[Package], rationality: float | None = None) -> None:
        """The other side preferred ``offered[chosen]`` to the rest (MESO pick or counter-offer)."""
        if len(offered) < 2 or len({tuple(p) for p in offered}) < 2:
            return
        self.belief = update_belief(self.belief, chosen, list(offered), rationality=rationality)

    def observe_counter(self, ours: Package, theirs: Package) -> None:
        """The other side rejected ``ours`` and proposed ``theirs``: it prefers its own (a noisy choice)."""
        self.observe_choice(1, [ours, theirs], rationality=OFFER_RATIONALITY)

    def observe_priorities(self, priorities: Sequence[str]) -> None:
        """Bayes with likelihood exp(λ τ_h), τ_h = Kendall's τ between hypothesis h's stakes and the order."""
        m = len(self.names)
        rank = {name: r for r, name in enumerate(priorities)}
        told = np.array([m - rank.get(n, m - 1) for n in self.names], dtype=float)
        stakes = np.stack([t.max(axis=1) - t.min(axis=1) for t in self.belief.tables], axis=1)  # (H, m)
        tau = np.array([kendall_tau(stakes[h], told) for h in range(stakes.shape[0])])
        log_post = np.log(np.maximum(self.belief.probabilities, 1e-300)) + REVEAL_STRENGTH * tau
        post = np.exp(log_post - log_post.max())
        self.belief = replace(self.belief, probabilities=post / post.sum())

    def estimate(self) -> tuple[FloatArray, ...]:
        return tuple(self.belief.mean_tables())

    def hypothesis(self, h: int) -> tuple[FloatArray, ...]:
        return tuple(self.belief.hypothesis_tables(h))


def kendall_tau(a: FloatArray, b: FloatArray) -> float:
    """Kendall's τ-b between two score vectors (0 when either is constant).

    Examples
    --------
    >>> kendall_tau(np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0]))
    -1.0
    """
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    i, j = np.triu_indices(len(a), 1)
    sa = np.sign(a[i] - a[j])
    sb = np.sign(b[i] - b[j])
    na = float(np.count_nonzero(sa))
    nb = float(np.count_nonzero(sb))
    if na == 0 or nb == 0:
        return 0.0
    return float((sa * sb).sum() / np.sqrt(na * nb))


@dataclass(frozen=True)
class Accuracy:
    """How well an opponent model knows the other side.

    Attributes
    ----------
    pearson : float
        Correlation of estimated and true utilities over the sample of packages (NaN when either is constant).
    priority_tau : float
        Kendall's τ between estimated and true issue stakes (1 = same priority order).
    """

    pearson: float
    priority_tau: float

    def to_dict(self) -> dict[str, float | None]:
        return {"pearson": None if np.isnan(self.pearson) else self.pearson, "priority_tau": self.priority_tau}


def model_accuracy(estimate: Sequence[FloatArray], truth: Sequence[FloatArray], sample: np.ndarray) -> Accuracy:
    """Accuracy of ``estimate`` against the ``truth`` (points per option per issue) over ``sample`` packages."""
    est_u = np.zeros(sample.shape[0])
    true_u = np.zeros(sample.shape[0])
    for k, (e, t) in enumerate(zip(estimate, truth, strict=True)):
        est_u += np.asarray(e)[sample[:, k]]
        true_u += np.asarray(t)[sample[:, k]]
    r = float("nan") if est_u.std() == 0 or true_u.std() == 0 else float(np.corrcoef(est_u, true_u)[0, 1])
    est_s = np.array([float(np.max(e) - np.min(e)) for e in estimate])
    true_s = np.array([float(np.max(t) - np.min(t)) for t in truth])
    return Accuracy(r, kendall_tau(est_s, true_s))
