"""MESOs: multiple equivalent simultaneous offers, and learning from the one the other side prefers.

A proposer A makes k whole-package offers at once, all worth the same to A, that differ as much as possible
for the other side B (Medvec et al. 2005; Leonardelli et al. 2019). A is seen as flexible, and B's choice
reveals B's priorities — the seed's "inductive reasoning". This module makes that precise
(docs/concepts.md#mesos):

* **Equal value.** Every offer's normalised gain for A, g_A = (u_A − b_A) / (u_A^max − b_A), lies within
  ``tolerance`` of a ``level`` (or of a points ``target`` converted to a level).
* **Belief.** A holds hypotheses h about B's priorities — utility tables U_h scaled so B's worst package is
  0 and its best 1 — with probabilities p_h (:class:`Belief`). The default family is built around an
  estimate of B (the estimate, "issue k matters most" for every k by swapping priorities, all issues equal):
  A's estimate of B when the case holds one, otherwise B's preferences as the case file states them (used as
  A's estimate, and said so). The fixed-pie assumption — "B is opposed to A on every issue" — is used only
  when asked for (``assume="fixed-pie"``), to show the contrast: on a case with compatible issues it offers
  what is worse for both sides (Thompson's fixed-pie perception). Every result names the belief it used.
* **No lose-lose options.** Whatever the belief, an option that every party ranks strictly below another
  option of the same issue (on a compatible issue: anything but the shared best) is never put on the table
  (:func:`lose_lose_options`); issues touched by interaction terms are left alone, since there swapping one
  option for another need not help everyone.
* **Offers.** For each hypothesis, the package best for h among A's equal-value packages, found exactly
  (vectorised enumeration when the space is small, otherwise a 0/1 integer programme). From these
  candidates, the k whose answer teaches the most: the subset maximising the mutual information between the
  hypothesis and B's choice.
* **Choice model and update.** B picks offer j with the logit probability
  P(j | h) = exp(λ U_h(ω_j)) / Σ_l exp(λ U_h(ω_l)), λ = ``rationality``; after B's pick, Bayes' rule gives
  p_h ∝ p_h · P(pick | h) (:func:`update_belief`).

References
----------
Medvec, V. H., Leonardelli, G. J., Galinsky, A. D., Claussen-Schulz, A. (2005). Choice and achievement at
the bargaining table: the distributive, integrative, and interpersonal advantages of making multiple
equivalent simultaneous offers. IACM 18th Annual Conference.
Leonardelli, G. J., Gu, J., McRuer, G., Medvec, V. H., Galinsky, A. D. (2019). Multiple equivalent
simultaneous offers (MESOs) reduce the negotiator dilemma. *Organizational Behavior and Human Decision
Processes* 152.
Thompson, L. *The Mind and Heart of the Negotiator* ("make multiple offers of equivalent value").
McFadden, D. (1974). Conditional logit analysis of qualitative choice behavior (the logit choice model).
Lindley, D. V. (1956). On a measure of the information provided by an experiment. *Ann. Math. Stat.* 27(4).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import combinations
from math import comb
from typing import Any, Literal

import numpy as np

from accord.analysis.agreement import below_batna_warning
from accord.analysis.frontier import grid_note
from accord.errors import RequestError
from accord.model import Case, Package, Preferences
from accord.model.preferences import FloatArray, IntArray
from accord.tactics._exact import (
    ENUMERATION_LIMIT,
    Band,
    enumerate_packages,
    optimise,
    restricted_size,
)

#: Level used when neither a level nor a target is given (80 % of the way from A's BATNA to its best).
DEFAULT_LEVEL = 0.8
#: Default logit rationality λ on hypothesis utilities scaled to [0, 1].
DEFAULT_RATIONALITY = 10.0
#: Default tolerance on A's normalised gain.
DEFAULT_TOLERANCE = 0.02
#: Weight of the top issue relative to each other issue in the default "issue k matters most" hypotheses.
TOP_WEIGHT = 3.0
#: Subsets of candidates scored exhaustively up to this many; beyond, greedy forward selection.
SUBSET_LIMIT = 20_000
#: Ties in hypothesis utility are within this absolute slack (utilities are in [0, 1]).
TIE = 1e-9

#: What the default belief is built around: an estimate of the other side (the case's estimate, else the case
#: file's preferences for it), or the fixed-pie assumption (opposed on every issue), only when asked for.
Assumption = Literal["estimate", "fixed-pie"]
ASSUMPTIONS: tuple[str, ...] = ("estimate", "fixed-pie")
#: Subtracted from a hypothesis table for a lose-lose option, so the integer programme never picks one while
#: any other package is in the band (hypothesis utilities lie in [0, 1]).
_LOSE_LOSE_PENALTY = 2.0

CHOICE_MODEL = ("logit: P(j | h) = exp(λ·U_h(offer j)) / Σ_l exp(λ·U_h(offer l)), U_h scaled to 0 at the "
                "other side's worst package and 1 at its best under hypothesis h")


# ---------------------------------------------------------------------------------------------------------
# beliefs
# ---------------------------------------------------------------------------------------------------------
def _normalise_tables(tables: Sequence[FloatArray]) -> tuple[FloatArray, ...]:
    """Scale each hypothesis (row) so its worst package scores 0 and its best 1 (indifference stays 0)."""
    shifted = [np.asarray(t, dtype=float) - np.asarray(t, dtype=float).min(axis=1, keepdims=True)
               for t in tables]
    total = sum(t.max(axis=1) for t in shifted)
    scale = np.where(total > 0, total, 1.0)
    out = []
    for t in shifted:
        a = t / scale[:, None]
        a.setflags(write=False)
        out.append(a)
    return tuple(out)


@dataclass(frozen=True, eq=False)
class Belief:
    """Hypotheses about one party's priorities, with probabilities (what a proposer believes).

    Attributes
    ----------
    about : str
        The party the belief is about.
    issues : tuple of str
    options : tuple of tuple of str
        Option labels per issue (the belief is tied to a case's issues).
    names : tuple of str
        One name per hypothesis.
    tables : tuple of ndarray
        ``tables[k]`` has shape (hypotheses, options of k): U_h's points for the options of issue k, scaled
        so Σ_k min = 0 and Σ_k max = 1 for each hypothesis.
    probabilities : ndarray
        p_h, summing to 1.
    rationality : float
        λ of the logit choice model.
    proposer : str or None
        Who holds the belief.
    offers : tuple of Package
        The last offers shown with this belief (what ``--update`` applies the answer to).
    history : tuple of (offers, chosen index)
        Earlier rounds.
    source : str
        What the belief was built from, in words (e.g. "the case file's preferences for B, used as A's
        estimate"); every MESO result repeats it.

    Examples
    --------
    >>> b = Belief.from_weights("B", ("x", "y"), (("0", "1"), ("0", "1")),
    ...     [np.array([0.0, 1.0]), np.array([0.0, 1.0])], [[0.9, 0.1], [0.1, 0.9]], ["x first", "y first"])
    >>> b.utilities(np.array([[1, 0], [0, 1]])).round(2).tolist()
    [[0.9, 0.1], [0.1, 0.9]]
    >>> update_belief(b, 0, [(1, 0), (0, 1)]).probabilities.round(4).tolist()
    [0.9997, 0.0003]
    """

    about: str
    issues: tuple[str, ...]
    options: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    tables: tuple[FloatArray, ...]
    probabilities: FloatArray
    rationality: float = DEFAULT_RATIONALITY
    proposer: str | None = None
    offers: tuple[Package, ...] = ()
    history: tuple[tuple[tuple[Package, ...], int], ...] = ()
    source: str = ""

    def __post_init__(self) -> None:
        p = np.asarray(self.probabilities, dtype=float)
        h = len(self.names)
        if h < 1:
            raise RequestError("a belief needs at least one hypothesis")
        if len(set(self.names)) != h:
            raise RequestError("hypothesis names in a belief must be unique")
        if p.shape != (h,) or not np.all(np.isfinite(p)) or np.any(p < 0) or p.sum() <= 0:
            raise RequestError("belief probabilities must be non-negative numbers, one per hypothesis, not all 0")
        if len(self.tables) != len(self.issues) or any(t.shape != (h, len(o))
                                                        for t, o in zip(self.tables, self.options, strict=False)):
            raise RequestError("belief tables must give every hypothesis a value for every option")
        if not (np.isfinite(self.rationality) and self.rationality > 0):
            raise RequestError(f"rationality must be a positive number, not {self.rationality!r}")
        p = p / p.sum()
        p.setflags(write=False)
        object.__setattr__(self, "probabilities", p)

    # -- construction --------------------------------------------------------------------------------------
    @classmethod
    def from_tables(cls, about: str, issues: Sequence[str], options: Sequence[Sequence[str]],
                    tables: Sequence[FloatArray], names: Sequence[str],
                    probabilities: Sequence[float] | FloatArray | None = None, *,
                    rationality: float = DEFAULT_RATIONALITY, proposer: str | None = None,
                    source: str = "") -> Belief:
        """A belief from raw per-issue tables (hypotheses × options); tables are rescaled to [0, 1]."""
        h = len(names)
        p = np.full(h, 1.0 / max(h, 1)) if probabilities is None else np.asarray(probabilities, dtype=float)
        return cls(about, tuple(issues), tuple(tuple(o) for o in options), tuple(names),
                   _normalise_tables([np.atleast_2d(np.asarray(t, dtype=float)) for t in tables]), p,
                   float(rationality), proposer, source=source)

    @classmethod
    def from_weights(cls, about: str, issues: Sequence[str], options: Sequence[Sequence[str]],
                     shapes: Sequence[FloatArray], weights: Sequence[Sequence[float]] | FloatArray,
                     names: Sequence[str], probabilities: Sequence[float] | FloatArray | None = None, *,
                     rationality: float = DEFAULT_RATIONALITY, proposer: str | None = None,
                     source: str = "") -> Belief:
        """A belief from per-issue value shapes e_k (in [0, 1]) and one weight vector per hypothesis."""
        w = np.atleast_2d(np.asarray(weights, dtype=float))
        if w.shape[1] != len(issues) or np.any(w < 0):
            raise RequestError("each hypothesis needs one non-negative weight per issue")
        tables = [w[:, k][:, None] * np.asarray(shapes[k], dtype=float)[None, :] for k in range(len(issues))]
        return cls.from_tables(about, issues, options, tables, names, probabilities, rationality=rationality,
                               proposer=proposer, source=source)

    # -- evaluation ----------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        return len(self.names)

    def utilities(self, packages: IntArray | Sequence[Package]) -> FloatArray:
        """U_h of each package: array (N, hypotheses)."""
        arr = np.atleast_2d(np.asarray(packages, dtype=np.int64))
        total = np.zeros((arr.shape[0], self.size))
        for k, t in enumerate(self.tables):
            total += t[:, arr[:, k]].T
        return total

    def hypothesis_tables(self, h: int) -> list[FloatArray]:
        """Per-issue tables of hypothesis ``h`` (for the exact optimiser)."""
        return [t[h] for t in self.tables]

    def mean_tables(self) -> list[FloatArray]:
        """Per-issue tables of Σ_h p_h U_h (the believed expected utility)."""
        return [self.probabilities @ t for t in self.tables]

    def choice_probabilities(self, offers: IntArray | Sequence[Package], rationality: float | None = None
                             ) -> FloatArray:
        """P(j | h) under the logit model: array (hypotheses, offers)."""
        lam = self.rationality if rationality is None else rationality
        return _logit(lam * self.utilities(offers).T)

    def information_gain(self, offers: IntArray | Sequence[Package], rationality: float | None = None) -> float:
        """Expected information gain (bits) about the hypothesis from learning which offer is picked."""
        lam = self.rationality if rationality is None else rationality
        u = self.utilities(offers).T[None, :, :]  # (1, H, k)
        return float(_mutual_information(lam * u, self.probabilities)[0])

    def entropy(self) -> float:
        """Entropy of the belief in bits (the most any answer can teach)."""
        p = self.probabilities[self.probabilities > 0]
        return float(-(p * np.log2(p)).sum())

    def most_likely(self) -> tuple[str, float]:
        h = int(np.argmax(self.probabilities))
        return self.names[h], float(self.probabilities[h])

    def check(self, case: Case) -> None:
        """Raise unless the belief is about a party of ``case`` and uses its issues and options."""
        case.party_index(self.about)
        if self.issues != case.issue_names or self.options != tuple(i.options for i in case.issues):
            raise RequestError("the belief was made for other issues or options than this case's; make a new one "
                               "with accord meso --save-belief")

    # -- files ---------------------------------------------------------------------------------------------
    def _labels(self, pkg: Package) -> dict[str, str]:
        return {i: o[x] for i, o, x in zip(self.issues, self.options, pkg, strict=True)}

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (what ``--belief FILE`` reads back with :meth:`from_dict`)."""
        return {
            "format": "accord-belief",
            "version": 1,
            "about": self.about,
            "proposer": self.proposer,
            "source": self.source,
            "choice_model": {"rule": "logit", "rationality": self.rationality, "definition": CHOICE_MODEL},
            "issues": {i: list(o) for i, o in zip(self.issues, self.options, strict=True)},
            "hypotheses": [
                {"name": n, "probability": float(self.probabilities[h]),
                 "scores": {i: {o: float(t[h, j]) for j, o in enumerate(opts)}
                            for i, opts, t in zip(self.issues, self.options, self.tables, strict=True)}}
                for h, n in enumerate(self.names)
            ],
            "offers": [self._labels(p) for p in self.offers],
            "history": [{"offers": [self._labels(p) for p in offers], "chosen": chosen}
                        for offers, chosen in self.history],
        }

    @classmethod
    def from_dict(cls, data: Any, case: Case) -> Belief:
        """Read a belief written by :meth:`to_dict` (or by hand) for ``case``.

        Each hypothesis gives ``scores`` (``{issue: {option: value}}``; issues left out count 0) or
        ``weights`` (``{issue: weight}``, combined with top-level ``shapes`` ``{issue: {option: value}}`` or,
        without shapes, the default shapes for ``proposer``). Probabilities are renormalised.

        Raises
        ------
        RequestError
            Naming the place in the data that is wrong.
        """
        if not isinstance(data, Mapping):
            raise RequestError("a belief must be a JSON object with 'about' and 'hypotheses'")
        about = data.get("about")
        if not isinstance(about, str):
            raise RequestError("the belief needs 'about': the party it is about", place="about")
        case.party_index(about)
        proposer = data.get("proposer")
        if proposer is not None and not isinstance(proposer, str):
            raise RequestError("'proposer' must be a party name", place="proposer")
        if isinstance(data.get("issues"), Mapping):
            given = {str(k): [str(o) for o in v] for k, v in data["issues"].items()}
            if given != {i.name: list(i.options) for i in case.issues}:
                raise RequestError("the belief was made for other issues or options than this case's",
                                   place="issues")
        model = data.get("choice_model") or {}
        rationality = model.get("rationality", DEFAULT_RATIONALITY) if isinstance(model, Mapping) else None
        if not isinstance(rationality, int | float) or isinstance(rationality, bool):
            raise RequestError("choice_model.rationality must be a number", place="choice_model.rationality")
        hyps = data.get("hypotheses")
        if not isinstance(hyps, list) or not hyps:
            raise RequestError("'hypotheses' must be a non-empty list", place="hypotheses")
        shapes = None
        if data.get("shapes") is not None:
            # issues left out of the shapes are flat: the hypotheses give them no weight
            if not isinstance(data["shapes"], Mapping):
                raise RequestError("'shapes' must be {issue: {option: value}}", place="shapes")
            shapes = [_option_values(case, k, data["shapes"].get(case.issues[k].name), "shapes")
                      for k in range(case.n_issues)]
        names, probs, rows = [], [], []
        for h, spec in enumerate(hyps):
            where = f"hypotheses[{h}]"
            if not isinstance(spec, Mapping):
                raise RequestError("each hypothesis must be an object", place=where)
            names.append(str(spec.get("name", f"hypothesis {h + 1}")))
            p = spec.get("probability", 1.0)
            if not isinstance(p, int | float) or isinstance(p, bool) or not p >= 0:
                raise RequestError("probability must be a non-negative number", place=f"{where}.probability")
            probs.append(float(p))
            if "scores" in spec and isinstance(spec["scores"], Mapping):
                unknown = set(spec["scores"]) - set(case.issue_names)
                if unknown:
                    raise RequestError(f"unknown issue {sorted(unknown)[0]!r}", place=f"{where}.scores")
                rows.append([_option_values(case, k, spec["scores"].get(case.issues[k].name), f"{where}.scores")
                             for k in range(case.n_issues)])
            elif "weights" in spec and isinstance(spec["weights"], Mapping):
                w = spec["weights"]
                unknown = set(w) - set(case.issue_names)
                if unknown:
                    raise RequestError(f"unknown issue {sorted(unknown)[0]!r}", place=f"{where}.weights")
                if any(not isinstance(v, int | float) or v < 0 for v in w.values()):
                    raise RequestError("weights must be non-negative numbers", place=f"{where}.weights")
                if shapes is None:
                    if proposer is None:
                        raise RequestError("weights need top-level 'shapes' or a 'proposer'", place=where)
                    shapes = list(default_shapes(case, proposer, about)[0])
                rows.append([float(w.get(i.name, 0.0)) * np.asarray(shapes[k], dtype=float)
                             for k, i in enumerate(case.issues)])
            else:
                raise RequestError("each hypothesis needs 'scores' or 'weights'", place=where)
        tables = [np.stack([row[k] for row in rows]) for k in range(case.n_issues)]
        source = data.get("source")
        belief = cls.from_tables(about, case.issue_names, [i.options for i in case.issues], tables, names, probs,
                                 rationality=float(rationality), proposer=proposer,
                                 source=source if isinstance(source, str) else "")
        offers = tuple(_read_package(case, x, f"offers[{j}]") for j, x in enumerate(data.get("offers") or []))
        history = []
        for r, rnd in enumerate(data.get("history") or []):
            if not isinstance(rnd, Mapping) or not isinstance(rnd.get("chosen"), int):
                raise RequestError("each history round needs 'offers' and 'chosen'", place=f"history[{r}]")
            past = tuple(_read_package(case, x, f"history[{r}].offers[{j}]")
                         for j, x in enumerate(rnd.get("offers") or []))
            history.append((past, int(rnd["chosen"])))
        return replace(belief, offers=offers, history=tuple(history))


def _option_values(case: Case, k: int, spec: Any, where: str) -> FloatArray:
    issue = case.issues[k]
    if spec is None:
        return np.zeros(issue.size)
    if isinstance(spec, list):
        if len(spec) != issue.size:
            raise RequestError(f"{issue.name} needs {issue.size} values", place=f"{where}.{issue.name}")
        values = spec
    elif isinstance(spec, Mapping):
        missing = [o for o in issue.options if o not in {str(x) for x in spec}]
        if missing:
            raise RequestError(f"no value for option {missing[0]!r}", place=f"{where}.{issue.name}")
        lookup = {str(x): v for x, v in spec.items()}
        values = [lookup[o] for o in issue.options]
    else:
        raise RequestError("give {option: value}", place=f"{where}.{issue.name}")
    if any(not isinstance(v, int | float) or isinstance(v, bool) or not np.isfinite(v) for v in values):
        raise RequestError("values must be finite numbers", place=f"{where}.{issue.name}")
    return np.asarray(values, dtype=float)


def _read_package(case: Case, spec: Any, where: str) -> Package:
    if not isinstance(spec, Mapping):
        raise RequestError("a package must be {issue: option}", place=where)
    try:
        return case.package({str(k): str(v) for k, v in spec.items()})
    except RequestError as err:
        raise RequestError(err.message, place=where) from None


def belief_source(case: Case, proposer: str, about: str, assume: Assumption = "estimate") -> str:
    """In words, what :func:`default_shapes` builds the belief about ``about`` from (every output repeats it)."""
    _check_assumption(assume)
    if assume == "fixed-pie":
        return (f"the fixed-pie assumption, on request: {about} is taken to be opposed to {proposer} on every "
                "issue")
    if case.estimate(proposer, about) is not None:
        return f"{proposer}'s estimate of {about} (from the case file)"
    return (f"the case file's preferences for {about}, used as {proposer}'s estimate (the case holds no estimate "
            f"of {proposer}'s; check them at the table)")


def _check_assumption(assume: str) -> None:
    if assume not in ASSUMPTIONS:
        raise RequestError(f"unknown assumption {assume!r}; use one of: {', '.join(ASSUMPTIONS)}")


def default_shapes(case: Case, proposer: str, about: str, assume: Assumption = "estimate"
                   ) -> tuple[list[FloatArray], FloatArray | None, str]:
    """Per-issue value shapes e_k ∈ [0, 1] assumed for ``about``, its estimated weights, and their source.

    From ``proposer``'s estimate of ``about`` when the case holds one, otherwise from ``about``'s preferences
    in the case file, which stand in for the proposer's estimate (their additive part; weights are the
    importance shares r_k / Σ_l r_l, with r_k the stake on issue k). Only with ``assume="fixed-pie"`` is
    ``about`` taken to be opposed to the proposer on every issue, e_k = 1 − e_{proposer,k} (issues the proposer
    does not care about get a flat shape, and the weights are left to the hypotheses): Thompson's fixed-pie
    perception, useful to show what it costs.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [0, 3], "b": [1, 0]}})
    >>> shapes, weights, _ = default_shapes(case, "A", "B")
    >>> [s.tolist() for s in shapes], weights.tolist()
    ([[0.0, 1.0], [1.0, 0.0]], [0.75, 0.25])
    >>> [s.tolist() for s in default_shapes(case, "A", "B", "fixed-pie")[0]]
    [[1.0, 0.0], [1.0, 0.0]]
    """
    source = belief_source(case, proposer, about, assume)
    if assume != "fixed-pie":
        est: Preferences | None = case.estimate(proposer, about)
        prefs = est if est is not None else case.preferences[case.party_index(about)]
        shapes, stakes = [], []
        for row in prefs.scores:
            a = np.asarray(row, dtype=float)
            r = float(a.max() - a.min())
            shapes.append((a - a.min()) / r if r > 0 else np.zeros_like(a))
            stakes.append(r)
        w = np.asarray(stakes)
        weights = w / w.sum() if w.sum() > 0 else np.full(len(w), 1.0 / len(w))
        return shapes, weights, source
    a_idx = case.party_index(proposer)
    shapes = []
    for s in case.scores:
        a = s[a_idx]
        r = float(a.max() - a.min())
        shapes.append(1.0 - (a - a.min()) / r if r > 0 else np.zeros_like(a))
    return shapes, None, source


def default_belief(case: Case, proposer: str, about: str | None = None, *, count: int = 3, seed: int = 0,
                   rationality: float = DEFAULT_RATIONALITY, assume: Assumption = "estimate") -> Belief:
    """The default hypothesis family about ``about``'s priorities, with uniform probabilities.

    Around an estimate of ``about`` (``proposer``'s estimate from the case, else ``about``'s preferences in the
    case file; see :func:`default_shapes`): the estimate's own priorities (importance shares π_k), for each
    issue k "k matters most" (π_k swapped with the largest share), and "all issues equal". With
    ``assume="fixed-pie"``: the opposed shapes with, for each issue k, weight 3 on k and 1 on each other issue
    (normalised), and "all issues equal". Identical weight vectors are merged; if fewer than ``count``
    remain, seeded random perturbations (half the estimate, half a Dirichlet(1) draw) are added. The belief's
    ``source`` says which of these it was built from.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [2, 0]}})
    >>> default_belief(case, "A").names
    ('as in the case file', 'a matters most', 'all issues equal')
    >>> default_belief(case, "A", assume="fixed-pie").names
    ('a matters most', 'b matters most', 'all issues equal')
    """
    if about is None:
        about = next(p for p in case.party_names if p != proposer)
    m = case.n_issues
    shapes, est_w, source = default_shapes(case, proposer, about, assume)
    names: list[str] = []
    weights: list[FloatArray] = []

    def add(name: str, w: FloatArray) -> None:
        w = w / w.sum()
        if not any(np.allclose(w, x, atol=1e-12) for x in weights):
            names.append(name)
            weights.append(w)

    if est_w is not None:
        add("as estimated" if case.estimate(proposer, about) is not None else "as in the case file", est_w)
        top = int(np.argmax(est_w))
        for k in range(m):
            w = est_w.copy()
            w[k], w[top] = est_w[top], est_w[k]
            add(f"{case.issues[k].name} matters most", w)
    else:
        for k in range(m):
            w = np.ones(m)
            w[k] = TOP_WEIGHT
            add(f"{case.issues[k].name} matters most", w)
    add("all issues equal", np.ones(m))
    base = est_w if est_w is not None else np.full(m, 1.0 / m)
    rng = np.random.default_rng(seed)
    tries = 0
    while len(names) < count and tries < 100 * count:
        tries += 1
        add(f"perturbation {len(names) + 1}", 0.5 * base + 0.5 * rng.dirichlet(np.ones(m)))
    return Belief.from_weights(about, case.issue_names, [i.options for i in case.issues], shapes,
                               np.stack(weights), names, rationality=rationality, proposer=proposer, source=source)


def _logit(x: FloatArray) -> FloatArray:
    """Softmax over the last axis."""
    z = x - x.max(axis=-1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=-1, keepdims=True)
    return out


def _mutual_information(scaled: FloatArray, prior: FloatArray) -> FloatArray:
    """I(H; choice) in bits for each set: ``scaled`` is λ·U with shape (sets, hypotheses, offers)."""
    z = scaled - scaled.max(axis=-1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))  # log P(j | h)
    p = np.exp(log_p)
    marginal = np.einsum("h,shj->sj", prior, p)  # P(j)
    out: FloatArray = np.einsum("h,shj->s", prior, p * (log_p - np.log(marginal)[:, None, :])) / np.log(2)
    return np.maximum(out, 0.0)


def update_belief(belief: Belief, chosen_index: int, offers: MesoSet | Sequence[Package] | IntArray | None = None,
                  *, rationality: float | None = None) -> Belief:
    """Bayes' rule after the other side says which offer it prefers.

    Parameters
    ----------
    belief : Belief
    chosen_index : int
        Position (0-based) of the offer the other side picked.
    offers : MesoSet or sequence of packages, optional
        The offers shown (default: ``belief.offers``, the set last proposed with this belief).
    rationality : float, optional
        λ of the logit choice model (default: the belief's).

    Returns
    -------
    Belief
        Posterior p_h ∝ p_h · P(chosen | h), with the round appended to ``history`` and no pending offers.

    Raises
    ------
    RequestError
        No offers to update on, or ``chosen_index`` out of range.

    Notes
    -----
    Choice model (McFadden's conditional logit): P(j | h) = exp(λ U_h(ω_j)) / Σ_l exp(λ U_h(ω_l)), with U_h
    scaled to [0, 1] so λ has the same meaning in every case (λ = 10: an offer better by 0.1 of the other
    side's range is e ≈ 2.7 times as likely to be picked). Computed in log space.
    """
    if isinstance(offers, MesoSet):
        shown = tuple(o.package_index for o in offers.offers)
    elif offers is None:
        shown = belief.offers
    else:
        shown = tuple(tuple(int(x) for x in p) for p in np.atleast_2d(np.asarray(offers, dtype=np.int64)))
    if not shown:
        raise RequestError("there are no offers to update the belief on; propose a MESO set first")
    if not 0 <= chosen_index < len(shown):
        raise RequestError(f"the chosen offer must be one of 1..{len(shown)} (as numbered), not {chosen_index + 1}")
    lam = belief.rationality if rationality is None else float(rationality)
    if not (np.isfinite(lam) and lam > 0):
        raise RequestError(f"rationality must be a positive number, not {lam!r}")
    z = lam * belief.utilities(shown).T  # (H, k)
    z = z - z.max(axis=1, keepdims=True)
    log_like = z[:, chosen_index] - np.log(np.exp(z).sum(axis=1))
    with np.errstate(divide="ignore"):
        log_post = np.log(belief.probabilities) + log_like
    post = np.exp(log_post - log_post.max())
    return replace(belief, probabilities=post / post.sum(), offers=(),
                   history=(*belief.history, (shown, int(chosen_index))))


# ---------------------------------------------------------------------------------------------------------
# MESO sets
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class MesoOffer:
    """One offer of a MESO set.

    Attributes
    ----------
    package : dict
    package_index : tuple of int
    utilities : dict
        Each party's true points.
    gain : float
        The proposer's normalised gain g_A.
    serves : str
        The hypothesis this offer is best for (among A's equal-value packages); for a seeded mixture of
        hypotheses, "mixture ..."; "variant on k" when every hypothesis points at the same few packages and
        this one is the believed-best package that changes issue k from the first candidate.
    best_for : tuple of str
        Every hypothesis of the belief it is best for.
    expected_utility : float
        Σ_h p_h U_h: its believed value to the other side, on the 0–1 scale.
    choice_probability : float
        Σ_h p_h P(this | h): how likely the other side is to pick it, under the belief.
    """

    package: dict[str, str]
    package_index: Package
    utilities: dict[str, float]
    gain: float
    serves: str
    best_for: tuple[str, ...]
    expected_utility: float
    choice_probability: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "package": dict(self.package),
            "utilities": dict(self.utilities),
            "gain": self.gain,
            "serves": self.serves,
            "best_for": list(self.best_for),
            "expected_utility": self.expected_utility,
            "choice_probability": self.choice_probability,
        }


@dataclass(frozen=True)
class MesoSet:
    """A set of multiple equivalent simultaneous offers and what it is expected to teach.

    Attributes
    ----------
    party, counterpart : str
        The proposer A and the party the offers are aimed at.
    level : float
        Target normalised gain of A.
    target : float
        The same in A's points.
    tolerance : float
        Half-width of the band on g_A.
    band : (float, float)
        A's points every offer lies within.
    offers : tuple of MesoOffer
    spread : float
        max − min of A's points over the offers (``spread_gain``: the same in g_A).
    diversity : float
        Mean pairwise Hamming distance of the offers (issues on which two offers differ).
    hypothesis_distance : float
        Mean pairwise Euclidean distance of the offers' vectors (U_h)_h in hypothesis-utility space.
    expected_value : float
        Σ_h p_h Σ_j P(j | h) U_h(ω_j): the believed value to the other side of the offer it picks (0–1 scale).
    information_gain : float
        Mutual information (bits) between the hypothesis and the other side's pick, under the belief.
    belief : Belief
        The belief used, with these offers recorded (save it for ``--update``).
    method : str
    notes : tuple of str
    grid : str
        The grids real issues were analysed on ("" if none): offers are packages of grid options.
    belief_source : str
        What the belief was built from, in words (the counterpart's estimate, the case file's preferences
        used as one, a belief given by the caller, or the fixed-pie assumption on request).
    left_off : tuple of str
        Options never put on the table because every party ranks them below another option of the same issue
        (``"issue: option"``; see :func:`lose_lose_options`).
    below_batna : tuple of int
        Numbers (1, 2, ...) of the offers worth less to the counterpart than its BATNA under the case's
        preferences (an analyst's check; the notes warn about them).
    """

    party: str
    counterpart: str
    level: float
    target: float
    tolerance: float
    band: tuple[float, float]
    offers: tuple[MesoOffer, ...]
    spread: float
    spread_gain: float
    diversity: float
    hypothesis_distance: float
    expected_value: float
    information_gain: float
    belief: Belief
    method: str
    notes: tuple[str, ...] = ()
    grid: str = ""
    belief_source: str = ""
    left_off: tuple[str, ...] = ()
    below_batna: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "party": self.party,
            "counterpart": self.counterpart,
            "belief_source": self.belief_source,
            "left_off": list(self.left_off),
            "below_batna": list(self.below_batna),
            "level": self.level,
            "target": self.target,
            "tolerance": self.tolerance,
            "band": {"low": self.band[0], "high": self.band[1]},
            "offers": [{"number": j + 1, **o.to_dict()} for j, o in enumerate(self.offers)],
            "spread": self.spread,
            "spread_gain": self.spread_gain,
            "diversity": self.diversity,
            "diversity_definition": "mean pairwise Hamming distance (issues on which two offers differ)",
            "hypothesis_distance": self.hypothesis_distance,
            "expected_value": self.expected_value,
            "information_gain": self.information_gain,
            "information_gain_unit": "bits",
            "belief_entropy": self.belief.entropy(),
            "choice_model": {"rule": "logit", "rationality": self.belief.rationality, "definition": CHOICE_MODEL},
            "belief": {n: float(p) for n, p in zip(self.belief.names, self.belief.probabilities, strict=True)},
            "method": self.method,
            "notes": list(self.notes),
            "grid": self.grid,
        }


def lose_lose_options(case: Case) -> tuple[tuple[int, ...], ...]:
    """Per issue, the options that every party ranks strictly below another option of the same issue.

    On a compatible issue (some option is best for every party; see docs/concepts.md) these are the options
    that make an agreement lose-lose there; on any issue, swapping such an option for the one every party
    prefers raises every party's points, so no offer should contain it. Issues that some party's interaction
    terms touch are left alone (there a swap need not raise everyone's points).

    Parameters
    ----------
    case : Case

    Returns
    -------
    tuple of tuple of int
        Option indices per issue (empty where there are none).

    Notes
    -----
    Option o of issue k is left off when ∃ o' : s_ik(o') > s_ik(o) for every party i (the parties' own points,
    so no common scale is needed). O(Σ_k |options_k|² · n).

    Examples
    --------
    >>> case = Case.from_tables("t", {"room": ["small", "large", "hall"], "fee": ["low", "high"]},
    ...     {"A": {"room": [0, 2, 1], "fee": [0, 1]}, "B": {"room": [1, 3, 0], "fee": [1, 0]}})
    >>> lose_lose_options(case)
    ((0, 2), ())
    """
    touched = {k for prefs in case.preferences for term in prefs.interactions for k in term.issues}
    out: list[tuple[int, ...]] = []
    for k, scores in enumerate(case.scores):
        s = np.asarray(scores, dtype=float)  # (parties, options)
        if k in touched:
            out.append(())
            continue
        # better[o', o] is True when every party strictly prefers o' to o
        better = np.all(s[:, :, None] > s[:, None, :], axis=0)
        out.append(tuple(int(o) for o in np.flatnonzero(better.any(axis=0))))
    return tuple(out)


def _allowed_mask(packages: IntArray, left_off: tuple[tuple[int, ...], ...]) -> np.ndarray:
    """Rows of ``packages`` that use no left-off option."""
    keep = np.ones(packages.shape[0], dtype=bool)
    for k, opts in enumerate(left_off):
        if opts:
            keep &= ~np.isin(packages[:, k], opts)
    return keep


def _penalised(tables: Sequence[FloatArray], left_off: tuple[tuple[int, ...], ...]) -> list[FloatArray]:
    """Hypothesis tables with every left-off option made worse than any package without one."""
    out = []
    for t, opts in zip(tables, left_off, strict=True):
        t = np.array(t, dtype=float)
        if opts:
            t[list(opts)] -= _LOSE_LOSE_PENALTY
        out.append(t)
    return out


def _party_best(case: Case, a: int, maximise: bool = True) -> float:
    prefs = case.preferences[a]
    if prefs.additive:
        return prefs.max_additive() if maximise else prefs.min_additive()
    found = optimise(case, a, maximise=maximise)
    assert found is not None
    return found[1]


def meso_set(
    case: Case,
    party: str,
    *,
    target: float | None = None,
    level: float | None = None,
    count: int = 3,
    tolerance: float = DEFAULT_TOLERANCE,
    belief: Belief | None = None,
    seed: int = 0,
    counterpart: str | None = None,
    rationality: float | None = None,
    assume: Assumption = "estimate",
) -> MesoSet:
    """A MESO set: ``count`` packages of equal value to ``party``, each best for a different hypothesis.

    Parameters
    ----------
    case : Case
    party : str
        The proposer A.
    target : float, optional
        A's points every offer should be worth (converted to a level).
    level : float, optional
        A's normalised gain g_A ∈ [0, 1] (default 0.8 when no target is given either).
    count : int
        How many offers (at least 1).
    tolerance : float
        Half-width of the band on g_A (> 0; default 0.02).
    belief : Belief, optional
        Hypotheses about the other side; default :func:`default_belief` (built around the proposer's estimate
        of the counterpart, else the counterpart's preferences in the case file).
    seed : int
        Seed for the perturbation hypotheses (default belief) and mixture hypotheses (too few candidates).
    counterpart : str, optional
        The party the offers are aimed at (default: the belief's subject, or the first other party).
    rationality : float, optional
        λ of the logit choice model (default: the belief's, 10).
    assume : {"estimate", "fixed-pie"}
        What the default belief is built around; ``"fixed-pie"`` (the counterpart opposed on every issue) only
        to show the contrast. Not with ``belief``.

    Returns
    -------
    MesoSet

    Raises
    ------
    RequestError
        A target above A's best package or below its BATNA, a level outside [0, 1], tolerance ≤ 0, count < 1,
        both target and level, no package in the band, or a belief that does not fit the case.

    Notes
    -----
    Options that every party ranks below another option of the same issue (:func:`lose_lose_options`) are
    never offered, whatever the belief; offers worth less to the counterpart than its BATNA under the case's
    preferences are listed in ``below_batna`` with a note.

    Band: g_A ∈ [level − tolerance, level + tolerance], i.e. u_A ∈ b_A + (level ± tolerance)(u_A^max − b_A)
    (A's true utility, interactions included). For each hypothesis h the candidate is
    argmax {U_h(ω) : ω in the band} — exact: vectorised enumeration when at most
    :data:`~accord.tactics._exact.ENUMERATION_LIMIT` packages exist, otherwise a 0/1 integer programme (HiGHS,
    zero gap). Ties in U_h go to the larger believed expected utility Σ p_h U_h, then to the first package.
    If the hypotheses give fewer distinct candidates than ``count``, candidates for seeded random mixtures
    of the hypotheses are added. The set is the subset of ``count`` candidates that maximises the mutual
    information I(H; choice) = Σ_h p_h Σ_j P(j|h) log2 (P(j|h) / P(j)) (exhaustively up to
    :data:`SUBSET_LIMIT` subsets, else greedily); ties: larger hypothesis distance, then larger diversity.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["0", "1", "2"], "b": ["0", "1", "2"]},
    ...     {"A": {"a": [0, 1, 2], "b": [0, 1, 2]}, "B": {"a": [2, 1, 0], "b": [4, 2, 0]}})
    >>> s = meso_set(case, "A", level=0.5, count=2)
    >>> [o.package for o in s.offers]
    [{'a': '2', 'b': '0'}, {'a': '0', 'b': '2'}]
    >>> [o.utilities["A"] for o in s.offers]
    [2.0, 2.0]
    """
    if count < 1:
        raise RequestError(f"count must be at least 1, not {count}")
    if not (np.isfinite(tolerance) and tolerance > 0):
        raise RequestError(f"tolerance must be a positive number, not {tolerance}")
    if target is not None and level is not None:
        raise RequestError("give a target in points or a level, not both")
    a = case.party_index(party)
    if counterpart is None:
        counterpart = belief.about if belief is not None else next(p for p in case.party_names if p != party)
    if case.party_index(counterpart) == a:
        raise RequestError(f"a MESO set is aimed at another party, not at the proposer {party!r}")
    best = _party_best(case, a)
    b = float(case.batnas[a])
    span = best - b
    eps = 1e-9 * max(1.0, abs(best), abs(b))
    if span <= eps:
        raise RequestError(f"{party}'s best package ({best:g} points) is no better than its BATNA ({b:g}); there "
                           "is nothing to offer")
    if target is not None:
        if not np.isfinite(target):
            raise RequestError(f"target must be a number, not {target}")
        if target > best + eps:
            raise RequestError(f"target {target:g} is above {party}'s best package ({best:g} points); choose at most "
                               f"{best:g}")
        if target < b - eps:
            raise RequestError(f"target {target:g} is below {party}'s BATNA ({b:g} points); a MESO must beat "
                               "walking away")
        level = (target - b) / span
    notes: list[str] = []
    defaulted = level is None and target is None
    if level is None:
        level = DEFAULT_LEVEL
    if not (np.isfinite(level) and 0 <= level <= 1):
        raise RequestError(f"level must be between 0 (the BATNA) and 1 (the best package), not {level}")
    _check_assumption(assume)
    if belief is None:
        belief = default_belief(case, party, counterpart, count=count, seed=seed,
                                rationality=DEFAULT_RATIONALITY if rationality is None else rationality,
                                assume=assume)
    else:
        if assume != "estimate":
            raise RequestError(f"give a belief or assume {assume!r}, not both")
        belief.check(case)
        if belief.about != counterpart:
            raise RequestError(f"the belief is about {belief.about!r}, not {counterpart!r}")
    if rationality is not None:
        belief = replace(belief, rationality=float(rationality))
    source = belief.source or "a belief given by the caller"
    if belief.history:
        source += f"; updated by Bayes' rule after {len(belief.history)} answer(s)"
    left_off = lose_lose_options(case)
    small = restricted_size(case) <= ENUMERATION_LIMIT
    if defaulted and small:
        chosen_level = _default_level(case, a, b, span, tolerance, belief, count, left_off)
        if abs(chosen_level - level) > 1e-12:
            notes.append(f"no package set worth g = {DEFAULT_LEVEL:g} ± {tolerance:g} to {party} serves {count} "
                         f"hypotheses; used g = {chosen_level:.3g}, the nearest level that serves the most")
            level = chosen_level
    band = Band(a, b + (level - tolerance) * span, b + (level + tolerance) * span)
    if optimise(case, a, band=band) is None:
        below, above = _nearest(case, band)
        if not defaulted:
            near = " and ".join(f"g = {(v - b) / span:.3g}" for v in (below, above) if v is not None)
            raise RequestError(f"no package is worth g = {level:.3g} ± {tolerance:g} to {party} (nearest: "
                               f"{near or 'none'}); widen the tolerance or choose another level")
        # no level was asked for: use the achievable level nearest the default rather than fail
        options = [(v - b) / span for v in (below, above) if v is not None and 0 <= (v - b) / span <= 1]
        snapped = min(options, key=lambda g: abs(g - DEFAULT_LEVEL))
        notes.append(f"no package is worth g = {DEFAULT_LEVEL:g} ± {tolerance:g} to {party}; used the nearest "
                     f"achievable level g = {snapped:.3g}")
        level = snapped
        band = Band(a, b + (level - tolerance) * span, b + (level + tolerance) * span)
    if any(left_off) and not _band_has_allowed(case, band, left_off, small):
        raise RequestError(f"every package worth g = {level:.3g} ± {tolerance:g} to {party} contains an option "
                           f"that every party ranks below another ({_left_off_text(case, left_off)}); choose "
                           "another level or widen the tolerance")
    if small:
        cands, best_for, method = _candidates_enumerated(case, band, belief, count, seed, left_off)
    else:
        cands, best_for, method = _candidates_milp(case, band, belief, count, seed, left_off)
    if len(cands) < count:
        notes.append(f"only {len(cands)} distinct package(s) serve the hypotheses within g = {level:.3g} ± "
                     f"{tolerance:g}; widen the tolerance for more")
    pkgs = np.asarray([c for c, _ in cands], dtype=np.int64)
    u_c = belief.utilities(pkgs)  # (c, H)
    chosen = _select(pkgs, u_c, belief, min(count, len(cands)))
    chosen = sorted(chosen)
    pkgs_s = pkgs[chosen]
    u_s = u_c[chosen]
    lam = belief.rationality
    p_jh = _logit(lam * u_s.T)  # (H, k)
    util = case.utilities(pkgs_s)
    offers = []
    for j, c in enumerate(chosen):
        pkg = tuple(int(x) for x in pkgs_s[j])
        offers.append(MesoOffer(
            case.labels(pkg), pkg, {p: float(util[j, i]) for i, p in enumerate(case.party_names)},
            float((util[j, a] - b) / span), cands[c][1], best_for.get(pkg, ()),
            float(u_s[j] @ belief.probabilities), float(belief.probabilities @ p_jh[:, j])))
    c_idx = case.party_index(counterpart)
    c_eps = 1e-9 * max(1.0, abs(float(case.batnas[c_idx])))
    short = [j + 1 for j in range(len(offers)) if util[j, c_idx] < case.batnas[c_idx] - c_eps]
    if short:
        # an analyst's check with the case's preferences (a proposer who only has its estimate cannot see it)
        # the case's agreement rule decides whether such an offer is hopeless or can pass without them
        notes.append(below_batna_warning(case, util, counterpart, tuple(short),
                                         basis="under the case file's preferences")
                     + "; a lower level may be needed")
    if any(left_off):
        notes.append(f"never offered, since every party ranks them below another option: "
                     f"{_left_off_text(case, left_off)}")
    ua = util[:, a]
    k = len(offers)
    pairs = list(combinations(range(k), 2))
    diversity = float(np.mean([np.sum(pkgs_s[i] != pkgs_s[j]) for i, j in pairs])) if pairs else 0.0
    hdist = float(np.mean([np.linalg.norm(u_s[i] - u_s[j]) for i, j in pairs])) if pairs else 0.0
    expected = float(belief.probabilities @ (p_jh * u_s.T).sum(axis=1))
    info = float(_mutual_information(lam * u_s.T[None, :, :], belief.probabilities)[0])
    shown = replace(belief, offers=tuple(o.package_index for o in offers))
    return MesoSet(party, counterpart, float(level), b + level * span, float(tolerance), (band.low, band.high),
                   tuple(offers), float(ua.max() - ua.min()), float((ua.max() - ua.min()) / span), diversity, hdist,
                   expected, info, shown, method, tuple(notes), grid_note(case), source,
                   tuple(f"{case.issues[k].name}: {case.issues[k].options[o]}"
                         for k, opts in enumerate(left_off) for o in opts), tuple(short))


def _left_off_text(case: Case, left_off: tuple[tuple[int, ...], ...]) -> str:
    return "; ".join(f"{case.issues[k].name}: {', '.join(case.issues[k].options[o] for o in opts)}"
                     for k, opts in enumerate(left_off) if opts)


def _band_has_allowed(case: Case, band: Band, left_off: tuple[tuple[int, ...], ...], small: bool) -> bool:
    """Whether some package in the band uses no left-off option (exact: enumeration or the 0/1 programme)."""
    if small:
        packages = enumerate_packages(case)
        inside = band.contains(case.preferences[band.party].utilities(packages))
        return bool(np.any(inside & _allowed_mask(packages, left_off)))
    zero = [np.zeros(n) for n in case.sizes]
    found = optimise(case, _penalised(zero, left_off), band=band, method="milp")
    return found is not None and found[1] > -_LOSE_LOSE_PENALTY / 2


def _nearest(case: Case, band: Band) -> tuple[float | None, float | None]:
    """The party's utilities nearest below and above an empty band."""
    a = band.party
    below = optimise(case, a, band=Band(a, _party_best(case, a, False), band.low))
    above = optimise(case, a, maximise=False, band=Band(a, band.high, _party_best(case, a)))
    return (below[1] if below else None), (above[1] if above else None)


_Candidates = tuple[list[tuple[Package, str]], dict[Package, tuple[str, ...]], str]


def _best_rows(values: FloatArray, mean: FloatArray) -> IntArray:
    """Per column of ``values`` (N, X): the row maximising it; ties to the larger ``mean``, then the first row."""
    top = values.max(axis=0)
    tied = values >= top[None, :] - TIE
    score = np.where(tied, mean[:, None], -np.inf)
    # means equal up to rounding (the same sum taken over other terms) are a tie too: the first row wins
    out: IntArray = np.argmax(score >= score.max(axis=0)[None, :] - TIE, axis=0)
    return out


#: When no level is asked for, levels this far from the default are tried at most (small spaces only).
LEVEL_SEARCH = 0.2


def _default_level(case: Case, a: int, b: float, span: float, tolerance: float, belief: Belief, count: int,
                   left_off: tuple[tuple[int, ...], ...] = ()) -> float:
    """The level nearest :data:`DEFAULT_LEVEL` whose band serves ``count`` hypotheses with distinct packages.

    Only used when the caller gave neither a level nor a target and the space is small enough to enumerate:
    coarse classroom point tables often have no three equal-value packages at exactly g = 0.8. Levels tried
    are 0.8 and every achievable g within :data:`LEVEL_SEARCH` of it, nearest first; if none serves
    ``count``, the one serving the most (nearest on ties).
    """
    packages = enumerate_packages(case)
    if any(left_off):
        packages = packages[_allowed_mask(packages, left_off)]
    g = (case.preferences[a].utilities(packages) - b) / span
    u = belief.utilities(packages)
    mean = u @ belief.probabilities
    centres = np.unique(g[(g >= 0) & (g <= 1) & (np.abs(g - DEFAULT_LEVEL) <= LEVEL_SEARCH)])
    centres = np.concatenate([[DEFAULT_LEVEL], centres[np.argsort(np.abs(centres - DEFAULT_LEVEL), kind="stable")]])
    best_level, best_served = DEFAULT_LEVEL, 0
    for c in centres[:60]:
        inside = np.abs(g - c) <= tolerance + 1e-9
        if not inside.any():
            continue
        rows = _best_rows(u[inside], mean[inside])
        served = len({tuple(r) for r in packages[inside][rows]})
        if served > best_served:
            best_level, best_served = float(c), served
        if served >= count:
            break
    return best_level


def _mixtures(belief: Belief, rng: np.random.Generator, n: int) -> tuple[FloatArray, list[str]]:
    alphas = rng.dirichlet(np.ones(belief.size), size=n)
    names = []
    for al in alphas:
        top = np.argsort(-al)[:2]
        names.append("mixture " + " + ".join(f"{al[h]:.2f}·{belief.names[h]}" for h in top))
    return alphas, names


def _variant_name(case: Case, k: int) -> str:
    return f"variant on {case.issues[k].name}"


def _candidates_enumerated(case: Case, band: Band, belief: Belief, count: int, seed: int,
                           left_off: tuple[tuple[int, ...], ...] = ()) -> _Candidates:
    packages = enumerate_packages(case)
    keep = band.contains(case.preferences[band.party].utilities(packages))
    if any(left_off):
        keep &= _allowed_mask(packages, left_off)
    inside = packages[keep]
    u = belief.utilities(inside)  # (N, H)
    mean = u @ belief.probabilities
    rows = _best_rows(u, mean)
    cands: list[tuple[Package, str]] = []
    seen: set[Package] = set()
    best_for: dict[Package, list[str]] = {}
    for h in range(belief.size):
        pkg = tuple(int(x) for x in inside[rows[h]])
        if pkg not in seen:
            seen.add(pkg)
            cands.append((pkg, belief.names[h]))
    if len(cands) < count:
        rng = np.random.default_rng(seed)
        alphas, names = _mixtures(belief, rng, 20 * count)
        mix_rows = _best_rows(u @ alphas.T, mean)
        for r, name in zip(mix_rows, names, strict=True):
            pkg = tuple(int(x) for x in inside[r])
            if pkg not in seen and len(cands) < 3 * count:
                seen.add(pkg)
                cands.append((pkg, name))
                best_for[pkg] = []
    if len(cands) < count:
        # every hypothesis and mixture points at the same few packages (a sharp belief): add, for each issue,
        # the package the belief likes best among those that change that issue from the first candidate
        first = cands[0][0]
        for k in range(case.n_issues):
            other = np.flatnonzero(inside[:, k] != first[k])
            if other.size == 0:
                continue
            pkg = tuple(int(x) for x in inside[other[int(np.argmax(mean[other]))]])
            if pkg not in seen and len(cands) < 3 * count:
                seen.add(pkg)
                cands.append((pkg, _variant_name(case, k)))
    # every hypothesis each candidate is (one of the) best for in the band: mixtures and variants included
    top = u.max(axis=0)
    for pkg, _ in cands:
        vals = belief.utilities([pkg])[0]
        best_for[pkg] = [belief.names[h] for h in range(belief.size) if vals[h] >= top[h] - TIE]
    method = f"exact enumeration of {case.space_size:,} packages ({inside.shape[0]:,} in the band)"
    return cands, {k: tuple(v) for k, v in best_for.items()}, method


def _candidates_milp(case: Case, band: Band, belief: Belief, count: int, seed: int,
                     left_off: tuple[tuple[int, ...], ...] = ()) -> _Candidates:
    mean_t = belief.mean_tables()

    def best(tables: list[FloatArray]) -> Package | None:
        # left-off options cost more than any hypothesis utility (in [0, 1]) can repay; the caller checked
        # that the band holds a package without one, so the optimum has none, and neither does any package
        # meeting the floor below
        tables = _penalised(tables, left_off) if any(left_off) else tables
        found = optimise(case, tables, band=band, method="milp")
        if found is None:
            return None
        floor = (tables, found[1] - TIE)
        tied = optimise(case, mean_t, band=band, floor=floor, method="milp")
        if tied is None:  # pragma: no cover - ``found`` itself meets the floor
            return found[0]
        return _first_tied(case, mean_t, band, floor, tied)

    cands: list[tuple[Package, str]] = []
    seen: set[Package] = set()
    for h in range(belief.size):
        pkg = best(belief.hypothesis_tables(h))
        if pkg is None:  # pragma: no cover - the band was checked non-empty
            raise RequestError("no package lies in the band")
        if pkg not in seen:
            seen.add(pkg)
            cands.append((pkg, belief.names[h]))
    best_for: dict[Package, list[str]] = {}
    if len(cands) < count:
        rng = np.random.default_rng(seed)
        alphas, names = _mixtures(belief, rng, 4 * count)
        for al, name in zip(alphas, names, strict=True):
            tables = [al @ t for t in belief.tables]
            pkg = best(tables)
            if pkg is not None and pkg not in seen:
                seen.add(pkg)
                cands.append((pkg, name))
            if len(cands) >= count:
                break
    if len(cands) < count:
        # as in the enumeration: per issue, the best package for the mean belief that changes that issue
        first = cands[0][0]
        for k in range(case.n_issues):
            if len(cands) >= 3 * count:
                break
            tables = _penalised(mean_t, left_off)
            tables[k][first[k]] -= _LOSE_LOSE_PENALTY
            found = optimise(case, tables, band=band, method="milp")
            if found is None or found[1] <= -_LOSE_LOSE_PENALTY / 2:
                continue  # no package in the band changes issue k without a left-off option
            if found[0] not in seen and len(cands) < 3 * count:
                seen.add(found[0])
                cands.append((found[0], _variant_name(case, k)))
    # every hypothesis each candidate is (one of the) best for: each hypothesis's own pick is its optimum in
    # the band, so the best candidate value is the band's best; mixtures and variants are included
    u = belief.utilities([p for p, _ in cands])
    for j, (pkg, _) in enumerate(cands):
        best_for[pkg] = [belief.names[h] for h in range(belief.size) if u[j, h] >= u[:, h].max() - TIE]
    method = f"exact 0/1 programme (HiGHS) per hypothesis over {case.space_size:,} packages"
    return cands, {k: tuple(v) for k, v in best_for.items()}, method


def _first_tied(case: Case, mean_t: list[FloatArray], band: Band, floor: tuple[list[FloatArray], float],
                tied: tuple[Package, float]) -> Package:
    """The first package (in enumeration order: issue 0 most significant) among those meeting ``floor`` in
    the band whose believed mean is within :data:`TIE` of the best, ``tied`` = (a best package, its mean).

    The tie rule of the enumeration (:func:`_best_rows`), applied with one 0/1 programme per option tried:
    issue by issue, the smallest option below the current witness's that still reaches the best mean is
    fixed (its solution becomes the witness), else the witness's own option. At most Σ_k (|O_k| − 1)
    programmes, and none when the witness takes every issue's first option.
    """
    witness, best_mean = tied
    fixed: dict[int, int] = {}
    for k in range(case.n_issues):
        for o in range(witness[k]):
            found = optimise(case, mean_t, fixed={**fixed, k: o}, band=band, floor=floor, method="milp")
            if found is not None and found[1] >= best_mean - TIE:
                witness = found[0]
                break
        fixed[k] = witness[k]
    return witness


def _select(pkgs: IntArray, u: FloatArray, belief: Belief, k: int) -> list[int]:
    """Indices of the k candidates whose pick is most informative.

    Ties (within 1e-9): larger hypothesis distance, larger diversity, larger believed value to the other side.
    """
    c = u.shape[0]
    if k >= c:
        return list(range(c))
    lam = belief.rationality
    prior = belief.probabilities
    mean = u @ prior

    def order(subsets: IntArray) -> IntArray:
        us = u[subsets]  # (S, k, H)
        mi = _mutual_information(lam * np.transpose(us, (0, 2, 1)), prior)
        i, j = np.triu_indices(subsets.shape[1], 1)
        if i.size:
            dist = np.linalg.norm(us[:, i, :] - us[:, j, :], axis=2).mean(axis=1)
            ham = (pkgs[subsets][:, i, :] != pkgs[subsets][:, j, :]).sum(axis=2).mean(axis=1)
        else:
            dist = ham = np.zeros(len(us))
        value = mean[subsets].sum(axis=1)
        # rounded so that float noise does not decide between equally informative sets
        out: IntArray = np.lexsort((-np.round(value, 9), -ham, -np.round(dist, 9), -np.round(mi, 9)))
        return out

    if comb(c, k) <= SUBSET_LIMIT:
        subsets = np.asarray(list(combinations(range(c), k)), dtype=np.int64)
        return [int(x) for x in subsets[int(order(subsets)[0])]]
    chosen: list[int] = []
    while len(chosen) < k:
        rest = [j for j in range(c) if j not in chosen]
        subsets = np.asarray([[*chosen, j] for j in rest], dtype=np.int64)
        chosen.append(rest[int(order(subsets)[0])])
    return chosen
