"""Fixed-pie perception and illusory conflict: where a party's picture of the other side is wrong
(docs/concepts.md#win-win-potential).

Thompson calls the fixed-pie perception the biggest obstacle to integrative agreements: negotiators assume
the other side's interests are directly opposed to theirs and equally weighted. A case may carry one party's
*estimate* of another's preferences (``case.estimates``); this module compares the issue kinds the holder
would see with its estimate against the kinds that hold in truth, for the pair (holder, other), and flags
each mistake with the believed and the true numbers.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. 8 ("fixed-pie perception", "false or illusory
conflict", "develop an accurate understanding of the other party").
Thompson, L., Hastie, R. (1990). Social perception in negotiation. *Organizational Behavior and Human
Decision Processes* 47(1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from accord.analysis.issues import (
    DEFAULT_TAU,
    PairKind,
    check_tau,
    fmt,
    logrolling_candidates,
    pair_kinds,
    pct,
)
from accord.model import Case

Flag = Literal["illusory_conflict", "assumed_agreement", "fixed_pie", "imagined_difference"]

#: What each flag means, for outputs.
FLAG_MEANINGS: dict[str, str] = {
    "illusory_conflict": "believed opposed, but both want the same option (compatible)",
    "assumed_agreement": "believed compatible, but the parties' best options differ (opposed)",
    "fixed_pie": "believed equally important to both, but it is not (a trade is being missed)",
    "imagined_difference": "believed to matter more to one side, but both weigh it equally",
}


@dataclass(frozen=True)
class PerceptionFlag:
    """One mistaken belief about one issue.

    Attributes
    ----------
    holder, about : str
        Who holds the estimate, and whose preferences it estimates.
    issue : str
    flag : {"illusory_conflict", "assumed_agreement", "fixed_pie", "imagined_difference"}
    believed_kind, true_kind : str
        The issue's kind for (holder, about) under the estimate and in truth.
    holder_best : tuple of str
        The holder's own best options.
    believed_best, true_best : tuple of str
        ``about``'s best options as estimated and in truth.
    holder_importance : float
        The holder's own stake (shared scales) or importance share.
    believed_importance, true_importance : float
        ``about``'s stake or importance share, as estimated and in truth.
    basis : str
        ``"raw stakes"`` or ``"importance shares"``.
    text : str
        The flag in words, with the numbers.
    """

    holder: str
    about: str
    issue: str
    flag: Flag
    believed_kind: str
    true_kind: str
    holder_best: tuple[str, ...]
    believed_best: tuple[str, ...]
    true_best: tuple[str, ...]
    holder_importance: float
    believed_importance: float
    true_importance: float
    basis: str
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "about": self.about,
            "issue": self.issue,
            "flag": self.flag,
            "meaning": FLAG_MEANINGS[self.flag],
            "believed_kind": self.believed_kind,
            "true_kind": self.true_kind,
            "holder_best": list(self.holder_best),
            "believed_best": list(self.believed_best),
            "true_best": list(self.true_best),
            "basis": self.basis,
            "holder_importance": self.holder_importance,
            "believed_importance": self.believed_importance,
            "true_importance": self.true_importance,
            "text": self.text,
        }


@dataclass(frozen=True)
class EstimateCheck:
    """How one party's estimate of another compares with the truth.

    Attributes
    ----------
    holder, about : str
    flags : tuple of PerceptionFlag
    believed_kinds, true_kinds : dict
        ``{issue: kind}`` for the pair (holder, about), under the estimate and in truth.
    believed_trades, true_trades : int
        Number of logrolling pairs (docs/concepts.md#kinds-of-issue) the holder would see vs. the true number.
    fixed_pie : bool
        Some issue is believed equally important to both when it is not.
    illusory_conflict : bool
        Some issue is believed opposed when it is compatible.
    summary : str
    """

    holder: str
    about: str
    flags: tuple[PerceptionFlag, ...]
    believed_kinds: dict[str, str]
    true_kinds: dict[str, str]
    believed_trades: int
    true_trades: int
    fixed_pie: bool
    illusory_conflict: bool
    summary: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "holder": self.holder,
            "about": self.about,
            "fixed_pie_perception": self.fixed_pie,
            "illusory_conflict": self.illusory_conflict,
            "believed_kinds": dict(self.believed_kinds),
            "true_kinds": dict(self.true_kinds),
            "believed_logrolling_pairs": self.believed_trades,
            "true_logrolling_pairs": self.true_trades,
            "flags": [f.to_dict() for f in self.flags],
            "summary": self.summary,
        }


@dataclass(frozen=True)
class Perception:
    """Every estimate in a case checked against the truth (result of :func:`perception`).

    Attributes
    ----------
    tau : float
    checks : tuple of EstimateCheck
        One per estimate, in the case's order (empty when the case carries no estimate).
    """

    tau: float
    checks: tuple[EstimateCheck, ...]

    @property
    def flags(self) -> tuple[PerceptionFlag, ...]:
        """All flags of all estimates."""
        return tuple(f for c in self.checks for f in c.flags)

    @property
    def advice(self) -> tuple[str, ...]:
        """One sentence per mistaken belief, most consequential (illusory conflict, fixed pie) first."""
        order = {"illusory_conflict": 0, "fixed_pie": 1, "assumed_agreement": 2, "imagined_difference": 3}
        return tuple(f.text for f in sorted(self.flags, key=lambda f: order[f.flag]))

    def to_dict(self) -> dict[str, Any]:
        return {"tau": self.tau, "estimates": [c.to_dict() for c in self.checks],
                "flag_meanings": dict(FLAG_MEANINGS)}


def _importance(pk: PairKind, which: int) -> float:
    return pk.stakes[which] if pk.basis == "raw stakes" else pk.shares[which]


def _show(x: float, basis: str) -> str:
    return f"{fmt(x)} points" if basis == "raw stakes" else pct(x)


def _flag_text(flag: Flag, holder: str, about: str, issue: str, believed: PairKind, true: PairKind) -> str:
    basis = true.basis
    hb = " or ".join(true.best[0])
    bb, tb = " or ".join(believed.best[1]), " or ".join(true.best[1])
    own = _show(_importance(true, 0), basis)
    b_imp, t_imp = _show(_importance(believed, 1), basis), _show(_importance(true, 1), basis)
    weight = "stake" if basis == "raw stakes" else "importance share"
    if flag == "illusory_conflict":
        return (f"Illusory conflict on {issue}: {holder} believes {about} wants {bb} while {holder} wants {hb}, "
                f"but {about} actually prefers {tb} too — both want {' or '.join(true.common_best)}. Don't "
                f"concede or bargain over it; propose it.")
    if flag == "assumed_agreement":
        return (f"Assumed agreement on {issue}: {holder} believes {about} also wants {bb}, but {about} prefers "
                f"{tb} ({holder} wants {hb}). Expect to negotiate it.")
    if flag == "fixed_pie":
        return (f"Fixed-pie perception on {issue}: {holder} believes it matters about as much to {about} "
                f"({weight} {b_imp}) as to itself ({own}), but {about}'s true {weight} is {t_imp}, so it can be "
                f"traded. Ask {about} about its priorities.")
    return (f"Imagined difference on {issue}: {holder} believes {about}'s {weight} is {b_imp} against its own "
            f"{own}, but it is {t_imp} — about equal, so there is less to trade here than {holder} thinks.")


def check_estimate(case: Case, holder: str, about: str, *, tau: float = DEFAULT_TAU) -> EstimateCheck:
    """Compare ``holder``'s estimate of ``about`` with ``about``'s true preferences.

    Parameters
    ----------
    case : Case
    holder, about : str
        Party names; the case must carry ``holder``'s estimate of ``about``.
    tau : float, default 0.1

    Returns
    -------
    EstimateCheck

    Raises
    ------
    RequestError
        If a party is unknown or the case carries no such estimate.

    Notes
    -----
    The *believed* case is the true case with ``about``'s preferences replaced by the estimate; the holder's
    own preferences are its true ones. Issue kinds are computed for the pair (holder, about) in both cases
    with the definitions of docs/concepts.md#kinds-of-issue (:func:`~accord.analysis.issues.pair_kinds`). Per issue:

    * ``illusory_conflict`` — believed opposed (no common best option), truly compatible;
    * ``assumed_agreement`` — believed compatible, truly opposed;
    * ``fixed_pie`` — believed equally important to both (|π_hk − π̂_ak| ≤ τ · max, raw stakes with shared
      scales), truly not: the holder sees a fixed-sum issue where a trade is possible;
    * ``imagined_difference`` — the reverse: believed unequally important, truly equal.

    The importance flags are only raised where the issue is opposed in truth or in belief (on an issue
    compatible both ways, importance changes nothing). Fixed-pie perception and illusory conflict are the
    mistakes docs/concepts.md#win-win-potential names; the two reverse flags are reported because they cost value too.

    Examples
    --------
    >>> from accord.model import Estimate, Preferences
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [0, 1]}})
    >>> guess = Estimate("A", "B", Preferences(((1.0, 0.0), (1.0, 0.0))))
    >>> case = Case(case.name, case.issues, case.parties, case.preferences, estimates=(guess,))
    >>> [(f.issue, f.flag) for f in check_estimate(case, "A", "B").flags]
    [('b', 'illusory_conflict')]
    """
    tau = check_tau(tau)
    h, a = case.party_index(holder), case.party_index(about)
    if h == a:
        from accord.errors import RequestError

        raise RequestError(f"an estimate compares two different parties, not {holder!r} with itself")
    est = case.estimate(holder, about)
    if est is None:
        from accord.errors import RequestError

        raise RequestError(f"the case has no estimate by {holder!r} of {about!r}")
    believed_case = case.replace_preferences(about, est)
    # pair_kinds orders the pair by index; flip so that position 0 is always the holder.
    def ordered(c: Case) -> tuple[PairKind, ...]:
        pks = pair_kinds(c, min(h, a), max(h, a), tau=tau)
        if h < a:
            return pks
        return tuple(_flip(pk) for pk in pks)

    true_kinds, believed_kinds = ordered(case), ordered(believed_case)
    flags: list[PerceptionFlag] = []
    for k, issue in enumerate(case.issues):
        t, b = true_kinds[k], believed_kinds[k]
        found: list[Flag] = []
        b_opp, t_opp = b.kind != "compatible", t.kind != "compatible"
        if b_opp and not t_opp:
            found.append("illusory_conflict")
        if t_opp and not b_opp:
            found.append("assumed_agreement")
        if b_opp or t_opp:
            if b.equal_importance and not t.equal_importance:
                found.append("fixed_pie")
            if t.equal_importance and not b.equal_importance:
                found.append("imagined_difference")
        for flag in found:
            flags.append(PerceptionFlag(
                holder, about, issue.name, flag, b.kind, t.kind, t.best[0], b.best[1], t.best[1],
                _importance(t, 0), _importance(b, 1), _importance(t, 1), t.basis,
                _flag_text(flag, holder, about, issue.name, b, t),
            ))
    believed_trades = len(logrolling_candidates(believed_case, h, a, tau=tau))
    true_trades = len(logrolling_candidates(case, h, a, tau=tau))
    fixed = any(f.flag == "fixed_pie" for f in flags)
    illusory = any(f.flag == "illusory_conflict" for f in flags)
    if flags:
        kinds = ", ".join(sorted({f.flag.replace("_", " ") for f in flags}))
        summary = (f"{holder}'s picture of {about} is wrong on {len({f.issue for f in flags})} issue(s) ({kinds}); "
                   f"it sees {believed_trades} possible trade(s) where there are {true_trades}")
    else:
        summary = (f"{holder}'s estimate of {about} gets every issue's kind and weight right "
                   f"({true_trades} possible trade(s))")
    return EstimateCheck(holder, about, tuple(flags), {i.name: b.kind for i, b in zip(case.issues, believed_kinds,
                                                                                    strict=True)},
                         {i.name: t.kind for i, t in zip(case.issues, true_kinds, strict=True)}, believed_trades,
                         true_trades, fixed, illusory, summary)


def _flip(pk: PairKind) -> PairKind:
    """The same evidence with the two parties swapped."""
    return PairKind(pk.issue, (pk.parties[1], pk.parties[0]), pk.kind, (pk.stakes[1], pk.stakes[0]),
                    (pk.shares[1], pk.shares[0]), pk.basis, pk.importance_gap, pk.importance_limit,
                    pk.equal_importance, pk.spread, pk.spread_limit, pk.complementary, (pk.best[1], pk.best[0]),
                    pk.common_best, pk.spearman, pk.kendall, pk.single_opposed, pk.reason)


def perception(case: Case, *, tau: float = DEFAULT_TAU) -> Perception:
    """Check every estimate a case carries (see :func:`check_estimate`).

    Parameters
    ----------
    case : Case
    tau : float, default 0.1

    Returns
    -------
    Perception
        With no estimates in the case, ``checks`` is empty.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}})
    >>> perception(case).checks
    ()
    """
    tau = check_tau(tau)
    return Perception(tau, tuple(check_estimate(case, e.holder, e.about, tau=tau) for e in case.estimates))
