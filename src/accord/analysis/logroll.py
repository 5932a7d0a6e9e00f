"""Logrolling and package deals: trades between issue pairs that give each party what it values more.

This is the one place where Accord decides what a *trade* is: ``accord analyze`` (its trade table, its
advice and the logrolling pairs beside the issue kinds), ``accord logroll`` and the planning document all
call :func:`logrolls` (re-exported by :mod:`accord.tactics.logroll`), so they always agree.

Thompson's first source of joint gain is a difference in *strength of preference*: when party A cares more
about issue k and party B about issue l, B concedes on k and A concedes on l, and both end up better off than
if each issue had been split down the middle. This module finds those trades exactly, measured from a
reference package (by default the compromise package, see docs/concepts.md), ranks them by the joint gain they
create, and states each as a concrete change of a whole package ("candidate gives start_date 1 June → 1 March,
gets remote_days 1 → 3: candidate +1000, employer +800"). It also works from one party's *estimate* of the
other side — what a negotiator preparing alone can see — and then reports the true gains beside the believed
ones, so a misjudged trade shows up.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. "Win-win negotiation: expanding the pie"
(logrolling; "make package deals, not single-issue offers").
Froman, L. A., Cohen, M. D. (1970). Compromise and logroll: comparing the efficiency of two bargaining
processes. *Behavioral Science* 15(2).
Pruitt, D. G. (1981). *Negotiation Behavior*. Academic Press (logrolling as a route to integrative agreements).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.bargaining import Scale, compromise_package, first_package, scale_of
from accord.analysis.frontier import Frontier, grid_note
from accord.analysis.optimize import best_utilities
from accord.errors import RequestError, TooLargeError
from accord.model import Case, Package
from accord.model.preferences import FloatArray

#: Default number of trades returned.
DEFAULT_LIMIT = 10
#: Relative slack below which a change in points counts as no change.
EPS = 1e-9


@dataclass(frozen=True)
class Change:
    """One issue of a package moved from one option to another."""

    issue: str
    before: str
    after: str

    def to_dict(self) -> dict[str, str]:
        return {"issue": self.issue, "from": self.before, "to": self.after}


@dataclass(frozen=True)
class Trade:
    """A whole-package change from the reference and what it is worth to each party.

    Attributes
    ----------
    package : dict
        The package after the trade, ``{issue: option}``.
    package_index : tuple of int
        The same as option indices.
    changes : tuple of Change
        The issues that differ from the reference.
    gains : dict
        Each party's gain over the reference in its own points, as the analysis sees it (the true preferences,
        or the holder's estimate of the other side).
    joint_gain : float
        Σ gains over the trading parties, in points with shared scales, else in normalised gains.
    true_gains : dict or None
        With an estimate: each party's gain under the true preferences (None when the view is the truth).
    description : str
        One line a negotiator can say at the table (it names every party that loses by the trade).
    hurts : tuple of str
        Parties outside the trading ones whose points fall (the description says by how much); empty when
        every party trades, or when nobody outside the trade loses.
    """

    package: dict[str, str]
    package_index: Package
    changes: tuple[Change, ...]
    gains: dict[str, float]
    joint_gain: float
    true_gains: dict[str, float] | None
    description: str
    hurts: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "package": dict(self.package),
            "changes": [c.to_dict() for c in self.changes],
            "gains": dict(self.gains),
            "joint_gain": self.joint_gain,
            "description": self.description,
            "hurts": list(self.hurts),
        }
        if self.true_gains is not None:
            d["true_gains"] = dict(self.true_gains)
            d["truly_mutual"] = all(v > 0 for p, v in self.true_gains.items() if p in self.gains)
        return d


@dataclass(frozen=True)
class Logrolls:
    """The logrolls available from a reference package.

    Attributes
    ----------
    parties : tuple of str
        All parties of the case.
    between : tuple of str
        The parties that trade; every reported trade raises each of them (see ``condition``).
    view : str
        ``"true preferences"`` or ``"as <holder> believes"``.
    scale : str
        The scale of ``joint_gain``: ``"points"`` (shared scales) or ``"normalised gains"``.
    reference : dict
        The package trades are measured from.
    reference_utilities : dict
        Each party's points at the reference, in the view (believed for estimated parties).
    trades : tuple of Trade
        Two-issue trades, best first, at most ``limit`` (one per issue pair unless all options were asked).
    count : int
        How many two-issue trades (issue pair × option pair) meet the condition in all.
    pairs : int
        How many issue pairs admit at least one.
    free_gains : tuple of Trade
        Single-issue changes nobody trading loses by (compatible issues left open at the reference).
    package_deal : Trade or None
        The package, changing any number of issues, that maximises the joint gain among those meeting the
        condition (a frontier point); None if there is none or the frontier is too large to compute.
    condition : str
        The precise rule a trade had to meet.
    notes : tuple of str
    grid : str
        The grids real issues were analysed on ("" if none).
    baseline : str
        What the reference package is, in words ("the compromise package ..." or "the package you gave").
    message : str
        When no two-issue trade meets the condition: that plain fact and where to look instead (package
        deals); "" otherwise.
    """

    parties: tuple[str, ...]
    between: tuple[str, ...]
    view: str
    scale: Scale
    reference: dict[str, str]
    reference_index: Package
    reference_utilities: dict[str, float]
    trades: tuple[Trade, ...]
    count: int
    pairs: int
    free_gains: tuple[Trade, ...]
    package_deal: Trade | None
    condition: str
    notes: tuple[str, ...] = ()
    grid: str = ""
    baseline: str = ""
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "between": list(self.between),
            "view": self.view,
            "scale": self.scale,
            "condition": self.condition,
            "baseline": self.baseline,
            "message": self.message,
            "reference": dict(self.reference),
            "reference_utilities": dict(self.reference_utilities),
            "trades": [t.to_dict() for t in self.trades],
            "count": self.count,
            "pairs": self.pairs,
            "free_gains": [t.to_dict() for t in self.free_gains],
            "package_deal": None if self.package_deal is None else self.package_deal.to_dict(),
            "notes": list(self.notes),
            "grid": self.grid,
        }


def _fmt(x: float) -> str:
    return f"{x:+,.0f}" if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)) else f"{x:+,.4g}"


def believed_case(case: Case, holder: str, about: Sequence[str]) -> Case:
    """The case as ``holder`` believes it: each party in ``about`` gets ``holder``'s estimate of it.

    Raises
    ------
    RequestError
        If the case holds no estimate by ``holder`` of one of them.
    """
    view = case
    for other in about:
        if other == holder:
            continue
        est = case.estimate(holder, other)
        if est is None:
            raise RequestError(f"the case holds no estimate by {holder!r} of {other!r}; add one under "
                               f"estimates: {holder}: {other}: in the case file")
        view = view.replace_preferences(other, est)
    return view


def _resolve_reference(case: Case, reference: Package | Mapping[str, str] | str | None) -> Package:
    base = compromise_package(case)
    if reference is None:
        return base
    if isinstance(reference, tuple):
        return case.package(reference)
    # a partial reference overrides the compromise package on the issues it names
    given = case.partial(reference).as_mapping()
    return tuple(given.get(k, o) for k, o in enumerate(base))


def logrolls(
    case: Case,
    *,
    between: Sequence[str] | None = None,
    reference: Package | Mapping[str, str] | str | None = None,
    use_estimate_of: str | None = None,
    limit: int = DEFAULT_LIMIT,
    strict: bool = True,
    all_options: bool = False,
    package_deal: bool = True,
    frontier: Frontier | None = None,
) -> Logrolls:
    """Trades between issue pairs that raise every trading party's points, ranked by joint gain.

    Parameters
    ----------
    case : Case
    between : sequence of str, optional
        The parties that trade (default: all parties; with ``use_estimate_of``, the holder and every party it
        holds an estimate of). Other parties' gains are shown but not constrained.
    reference : package, mapping or "issue=option,..." text, optional
        Where trades start from. Default: the compromise package (see docs/concepts.md) *of the view* — with an
        estimate,
        the compromise the holder would compute. A partial mapping overrides the compromise on those issues.
    use_estimate_of : str, optional
        Work from this party's point of view: its own true preferences, its estimates of the others.
    limit : int
        Most trades returned (the count of all is reported).
    strict : bool
        True (default): every trading party gains strictly. False: every trading party gains weakly and at
        least one strictly (a Pareto improvement for them).
    all_options : bool
        False (default): keep only the best trade of each issue pair. True: every option pair.
    package_deal : bool
        Also find the best multi-issue package deal (needs the frontier of the view).
    frontier : Frontier, optional
        The case's unrestricted frontier, if already computed (used for the package deal when the view is the
        true preferences; it must list the packages of every point in option order up to its cap).

    Returns
    -------
    Logrolls

    Raises
    ------
    RequestError
        Unknown parties or options, a missing estimate, fewer than two trading parties, ``limit`` < 1.

    Notes
    -----
    From reference r, a two-issue trade moves issue k to option o and issue l to option o' (o ≠ r_k,
    o' ≠ r_l). With Δ_i the change in party i's points, it is reported when, for the trading parties S,

    * Δ_i > 0 for every i ∈ S (``strict``; else Δ_i ≥ 0 for all and > 0 for one), and
    * it is a genuine trade: moving k alone makes some i ∈ S strictly worse off, and so does moving l alone
      (otherwise one half is a free gain, reported in ``free_gains``). With two parties this means each
      party concedes on one issue and is paid on the other — it gets what it values more.

    Parties outside S are not constrained, but every trade states their change, lists those who lose in
    ``hurts`` and names them in its description, so a trade that costs a third party is never silent.

    The joint gain is Σ_{i∈S} Δ_i with shared scales, else Σ_{i∈S} Δ_i / (u_i^max − b_i) (the change in
    normalised gains, see docs/concepts.md). Comparisons use a relative slack of 1e-9. Trades are evaluated with whole
    packages (interaction terms included), vectorised over the option pairs of each issue pair: O(m² d²)
    for m issues of d options. The package deal is the frontier point meeting the same condition with the
    largest joint gain: the best multi-issue logroll.

    *Party order never matters.* Trades are ranked by joint gain, then by the smallest weighted gain of a
    trading party (the more balanced first), then by issue and option order; sums are taken over sorted
    terms so that listing the parties in another order cannot change a float and so the ranking. The
    package deal breaks ties the same way.

    Examples
    --------
    >>> case = Case.from_tables("t", {"salary": ["90k", "95k", "100k"], "start": ["June", "July", "Aug"]},
    ...     {"cand": {"salary": [0, 500, 1000], "start": [0, 100, 200]},
    ...      "firm": {"salary": [200, 100, 0], "start": [1000, 500, 0]}}, shared_scales=True)
    >>> result = logrolls(case)
    >>> result.reference
    {'salary': '95k', 'start': 'July'}
    >>> best = result.trades[0]
    >>> best.package, best.gains
    ({'salary': '100k', 'start': 'June'}, {'cand': 400.0, 'firm': 400.0})
    >>> best.description
    'cand gives start July → June, gets salary 95k → 100k: cand +400, firm +400'
    """
    if limit < 1:
        raise RequestError(f"limit must be at least 1, not {limit}")
    names = case.party_names
    if use_estimate_of is not None:
        case.party_index(use_estimate_of)
        if between is None:
            between = [use_estimate_of] + [e.about for e in case.estimates
                                          if e.holder == use_estimate_of and e.about != use_estimate_of]
            if len(between) < 2:
                raise RequestError(f"the case holds no estimate by {use_estimate_of!r} of another party; add "
                                   f"one under estimates: {use_estimate_of}: in the case file")
        view = believed_case(case, use_estimate_of, between)
        view_label = f"as {use_estimate_of} believes"
    else:
        view = case
        view_label = "true preferences"
    between = list(names if between is None else between)
    s_idx = [case.party_index(p) for p in between]
    if len(set(s_idx)) != len(s_idx) or len(s_idx) < 2:
        raise RequestError("a logroll needs at least two different trading parties, e.g. --between A B")
    shown = s_idx if use_estimate_of is not None else list(range(case.n_parties))
    ref = _resolve_reference(view, reference)
    ref_arr = np.asarray(ref, dtype=np.int64)
    u_ref = view.utilities(ref_arr[None, :])[0]
    span = best_utilities(view) - view.batnas
    weight = np.ones(case.n_parties) if case.shared_scales else np.where(span > 0, 1.0 / np.where(
        span > 0, span, 1.0), 0.0)
    tol = EPS * max(1.0, float(np.abs(np.concatenate([u_ref, span])).max()))
    single = _single_changes(view, ref_arr, u_ref)

    # every (k, l, o, o') meeting the condition, vectorised over option pairs per issue pair
    found_k, found_l, found_o, found_p, found_g = [], [], [], [], []
    m = case.n_issues
    for k in range(m):
        hurt_k = np.any(single[k][s_idx] < -tol, axis=0)
        for q in range(k + 1, m):
            hurt_q = np.any(single[q][s_idx] < -tol, axis=0)
            if not hurt_k.any() or not hurt_q.any():
                continue
            g = _pair_changes(view, ref_arr, u_ref, single, k, q)
            gs = g[s_idx]
            ok = np.all(gs > tol, axis=0) if strict else np.all(gs >= -tol, axis=0) & np.any(gs > tol, axis=0)
            ok &= hurt_k[:, None] & hurt_q[None, :]
            ok[ref[k], :] = False
            ok[:, ref[q]] = False
            oo, pp = np.nonzero(ok)
            if oo.size:
                found_k.append(np.full(oo.size, k))
                found_l.append(np.full(oo.size, q))
                found_o.append(oo)
                found_p.append(pp)
                found_g.append(g[:, oo, pp].T)
    condition = ("every trading party gains strictly" if strict else
                 "every trading party gains weakly and one strictly") + \
        "; each issue moved alone would leave a trading party worse off"
    trades: list[Trade] = []
    count = pairs = 0
    notes: list[str] = []
    if found_k:
        kk, ll = np.concatenate(found_k), np.concatenate(found_l)
        oo, pp = np.concatenate(found_o), np.concatenate(found_p)
        gains = np.concatenate(found_g)  # (N, parties)
        # sorted before summing: the same float whatever the order of the parties in the file
        joint = np.sort(gains[:, s_idx] * weight[s_idx], axis=1).sum(axis=1)
        least = (gains[:, s_idx] * weight[s_idx]).min(axis=1)
        order = np.lexsort((pp, oo, ll, kk, -least, -joint))
        count = int(order.size)
        pair_id = kk[order] * m + ll[order]
        _, first = np.unique(pair_id, return_index=True)
        pairs = int(first.size)
        if not all_options:
            order = order[np.sort(first)]
        for j in order[:limit]:
            pkg = list(ref)
            pkg[kk[j]] = int(oo[j])
            pkg[ll[j]] = int(pp[j])
            trades.append(_trade(case, view, tuple(pkg), ref, u_ref, float(joint[j]), between, shown,
                                 use_estimate_of is not None))
    free = _free_gains(case, view, ref, u_ref, single, s_idx, weight, tol, strict, between, shown,
                       use_estimate_of is not None, limit)
    deal = None
    if package_deal:
        try:
            deal = _package_deal(case, view, ref, u_ref, s_idx, weight, tol, strict, between, shown,
                                 use_estimate_of is not None, None if use_estimate_of is not None else frontier)
        except TooLargeError as err:
            notes.append(f"package deal not computed: {err.message}")
    given = reference is not None
    baseline = ("the package given as the starting point" if given else
                "the compromise package (on each issue the option whose worse-off party is best off, "
                "see docs/concepts.md)") + f": {', '.join(f'{k}={v}' for k, v in view.labels(ref).items())}"
    message = ""
    if not trades:
        better = ("; the best package deal changes " + str(len(deal.changes)) + " issues: "
                  + deal.description) if deal is not None else (
            "; no package deal does either" if package_deal and not notes else "")
        who = " and ".join(between) if len(between) == 2 else ", ".join(between[:-1]) + " and " + between[-1]
        message = (f"no two-issue trade leaves {who} "
                   f"{'strictly ' if strict else ''}better off than {'that package' if given else 'the compromise'}"
                   f"; look for package deals that move three or more issues at once instead{better}")
    if use_estimate_of is not None:
        notes.append(f"gains are what {use_estimate_of} believes (its estimate of "
                     f"{', '.join(p for p in between if p != use_estimate_of)}); true_gains use the true "
                     "preferences; BATNAs are the case's")
    return Logrolls(
        names, tuple(between), view_label, scale_of(case), view.labels(ref), ref,
        {names[i]: float(u_ref[i]) for i in shown}, tuple(trades), count, pairs, tuple(free), deal,
        condition, tuple(notes), grid_note(case), baseline, message,
    )


def _single_changes(view: Case, ref: np.ndarray, u_ref: FloatArray) -> list[FloatArray]:
    """Per issue k, an array (parties, options of k): the change in points from moving k alone."""
    out = []
    for k in range(view.n_issues):
        if view.additive:
            out.append(view.scores[k] - view.scores[k][:, [ref[k]]])
        else:
            pk = np.repeat(ref[None, :], view.sizes[k], axis=0)
            pk[:, k] = np.arange(view.sizes[k])
            out.append((view.utilities(pk) - u_ref[None, :]).T)
    return out


def _pair_changes(view: Case, ref: np.ndarray, u_ref: FloatArray, single: list[FloatArray], k: int,
                  q: int) -> FloatArray:
    """Array (parties, options of k, options of q): the change in points from moving k and q together."""
    if view.additive:
        out: FloatArray = single[k][:, :, None] + single[q][:, None, :]
        return out
    nk, nl = view.sizes[k], view.sizes[q]
    pk = np.repeat(ref[None, :], nk * nl, axis=0)
    pk[:, k] = np.repeat(np.arange(nk), nl)
    pk[:, q] = np.tile(np.arange(nl), nk)
    out = (view.utilities(pk) - u_ref[None, :]).T.reshape(view.n_parties, nk, nl)
    return out


def _trade(case: Case, view: Case, pkg: Package, ref: Package, u_ref: FloatArray, joint: float,
           between: Sequence[str], shown: Sequence[int], estimated: bool) -> Trade:
    names = case.party_names
    arr = np.asarray(pkg, dtype=np.int64)[None, :]
    gain = view.utilities(arr)[0] - u_ref
    true_gain = case.utilities(arr)[0] - case.utilities(np.asarray(ref)[None, :])[0] if estimated else None
    changes = tuple(Change(view.issues[k].name, view.issues[k].options[ref[k]], view.issues[k].options[o])
                    for k, o in enumerate(pkg) if o != ref[k])
    gains = {names[i]: float(gain[i]) for i in shown}
    text = ", ".join(f"{p} {_fmt(v)}" for p, v in gains.items())
    trading = set(between)
    tol = EPS * max(1.0, float(np.abs(u_ref).max(initial=0.0)))
    hurts = tuple(p for p, v in gains.items() if p not in trading and v < -tol)
    if hurts:
        text += " (costs " + ", ".join(f"{p} {_fmt(-gains[p])[1:]} points" for p in hurts) + ")"
    moved = [k for k, o in enumerate(pkg) if o != ref[k]]
    first = view.party_index(between[0])

    def says(k: int) -> str:
        return f"{view.issues[k].name} {view.issues[k].options[ref[k]]} → {view.issues[k].options[pkg[k]]}"

    if len(moved) == 2:
        # who gives what: the first trading party concedes on the issue that, moved alone, costs it points
        ref_arr = np.asarray(ref, dtype=np.int64)
        alone = []
        for k in moved:
            one = ref_arr.copy()
            one[k] = pkg[k]
            alone.append(float(view.utilities(one[None, :])[0, first] - u_ref[first]))
        give, get = (moved[0], moved[1]) if alone[0] < alone[1] else (moved[1], moved[0])
        description = f"{between[0]} gives {says(give)}, gets {says(get)}: {text}"
    else:
        description = "change " + "; ".join(says(k) for k in moved) + f": {text}"
    return Trade(view.labels(pkg), pkg, changes, gains, joint,
                 None if true_gain is None else {names[i]: float(true_gain[i]) for i in range(len(names))},
                 description, hurts)


def _meets(g: FloatArray, tol: float, strict: bool) -> np.ndarray:
    """Rows of g (N, |S|) that meet the trade condition."""
    if strict:
        out: np.ndarray = np.all(g > tol, axis=1)
        return out
    out = np.all(g >= -tol, axis=1) & np.any(g > tol, axis=1)
    return out


def _free_gains(case: Case, view: Case, ref: Package, u_ref: FloatArray, single: list[FloatArray],
                s_idx: list[int], weight: FloatArray, tol: float, strict: bool, between: Sequence[str],
                shown: Sequence[int], estimated: bool, limit: int) -> list[Trade]:
    found: list[tuple[float, int, int]] = []
    for k, d in enumerate(single):
        ok = np.all(d[s_idx] >= -tol, axis=0) & np.any(d[s_idx] > tol, axis=0)
        ok[ref[k]] = False
        for o in np.flatnonzero(ok):
            found.append((float(np.sort(d[s_idx, o] * weight[s_idx]).sum()), k, int(o)))
    found.sort(key=lambda t: (-round(t[0], 12), t[1], t[2]))
    out = []
    for joint, issue, option in found[:limit]:
        pkg = list(ref)
        pkg[issue] = option
        out.append(_trade(case, view, tuple(pkg), ref, u_ref, joint, between, shown, estimated))
    return out


def _package_deal(case: Case, view: Case, ref: Package, u_ref: FloatArray, s_idx: list[int],
                  weight: FloatArray, tol: float, strict: bool, between: Sequence[str], shown: Sequence[int],
                  estimated: bool, frontier: Frontier | None) -> Trade | None:
    from accord.analysis.frontier import pareto_frontier

    # The best improvement for S is reached at a frontier point: any package that dominates it is no worse.
    everyone = len(s_idx) == view.n_parties
    listed = frontier is not None and frontier.cap > 0  # a frontier listing no package cannot name the deal
    front = frontier if frontier is not None and listed else pareto_frontier(
        view, cap=1, preferred_to=ref if everyone else None)
    g = front.utilities - u_ref[None, :]
    ok = _meets(g[:, s_idx], tol, strict)
    if not ok.any():
        return None
    w = g[:, s_idx] * weight[s_idx]
    joint = np.sort(w, axis=1).sum(axis=1)
    least = w.min(axis=1)
    idx = np.flatnonzero(ok)
    # ties (within float noise): the more balanced, then the first package in option order — never party order
    top = float(joint[idx].max())
    idx = idx[joint[idx] >= top - 1e-9 * max(1.0, abs(top))]
    low = float(least[idx].max())
    idx = idx[least[idx] >= low - 1e-9 * max(1.0, abs(low))]
    # the first package in option order reaching each tied point (found exactly when the listing is capped)
    pkgs = [first_package(view, front, int(j)) for j in idx]
    c = min(range(len(idx)), key=lambda q: pkgs[q])
    j = int(idx[c])
    return _trade(case, view, pkgs[c], ref, u_ref, float(joint[j]), between, shown, estimated)
