"""Win-win potential: Thompson's "telltale signs", each with its evidence, and advice in plain words
(docs/concepts.md#win-win-potential).

Before negotiating, Thompson asks: is there more than one issue? Do the parties have different strengths of
preference across issues? Are some interests compatible? Is the pie fixed, or can it be expanded? This
module answers each question with numbers from the case — the issue kinds and logrolling pairs of
:mod:`accord.analysis.issues`, the exact frontier and the bargaining zone — and turns them into advice a
negotiator can act on. Every sentence is built from those numbers; nothing is canned.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. 8 ("telltale signs of win-win potential",
"strategies that work", "don't forget about claiming").
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. 10.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from accord.analysis.bargaining import Bargaining, bargaining, compromise_package, joint_values, middle_package
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.issues import DEFAULT_TAU, IssueKinds, check_tau, classify_issues, fmt, pct
from accord.model import Case
from accord.model.preferences import FloatArray

if TYPE_CHECKING:
    from accord.analysis.logroll import Logrolls

#: How many items a sentence of advice lists before saying "and N more".
_LIST_CAP = 4


@dataclass(frozen=True)
class Sign:
    """One telltale sign of win-win potential.

    Attributes
    ----------
    name : str
        ``"several_issues"``, ``"different_priorities"``, ``"compatible_issues"``, ``"joint_value_varies"``
        or ``"pie_larger_than_even_split"``.
    question : str
        Thompson's question the sign answers.
    present : bool
    text : str
        The answer, written from the evidence.
    evidence : dict
        The numbers (JSON-ready).
    """

    name: str
    question: str
    present: bool
    text: str
    evidence: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "question": self.question, "present": self.present, "text": self.text,
                "evidence": self.evidence}


@dataclass(frozen=True)
class Potential:
    """The win-win potential of a case (result of :func:`win_win_potential`).

    Attributes
    ----------
    scale : str
        ``"points"`` (shared scales) or ``"normalised gains"``: the scale of joint values.
    signs : tuple of Sign
    max_joint_value : float
        The largest joint value over all packages (the size of the pie).
    even_split_value : float
        Joint value of the compromise package (every issue split down the middle, docs/concepts.md#the-pyramid).
    even_split_package : dict
        The compromise package.
    even_split_utilities : dict
        Each party's points at the compromise package.
    even_split_rational : bool
        Whether the compromise gives every party at least its BATNA.
    even_split_dominated_by : int
        How many frontier points are better for every party (weakly, one strictly) than the compromise.
    frontier_size : int
    frontier_spread : dict
        ``{party: [min, max]}`` of each party's points over the frontier.
    advice : tuple of str
        What to do, in plain words, computed from the above.
    middle_package : dict
        The literal middle of every ordered issue (the compromise option elsewhere), see
        :func:`~accord.analysis.bargaining.middle_package`; what a class splitting every issue reaches.
    middle_issues : tuple of str
        The issues that have a literal middle (the ordered ones).
    middle_utilities : dict
        Each party's points at the middle package.
    middle_value : float
        Its joint value (same scale as ``max_joint_value``).
    """

    scale: str
    signs: tuple[Sign, ...]
    max_joint_value: float
    even_split_value: float
    even_split_package: dict[str, str]
    even_split_utilities: dict[str, float]
    even_split_rational: bool
    even_split_dominated_by: int
    frontier_size: int
    frontier_spread: dict[str, tuple[float, float]]
    advice: tuple[str, ...]
    middle_package: dict[str, str] = field(default_factory=dict)
    middle_issues: tuple[str, ...] = ()
    middle_utilities: dict[str, float] = field(default_factory=dict)
    middle_value: float = 0.0

    def sign(self, name: str) -> Sign:
        """The sign called ``name``."""
        for s in self.signs:
            if s.name == name:
                return s
        raise KeyError(name)

    @property
    def score(self) -> int:
        """How many of the signs are present (0–5)."""
        return sum(s.present for s in self.signs)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scale": self.scale,
            "score": self.score,
            "signs": [s.to_dict() for s in self.signs],
            "max_joint_value": self.max_joint_value,
            "even_split": {
                "value": self.even_split_value,
                "package": dict(self.even_split_package),
                "utilities": dict(self.even_split_utilities),
                "individually_rational": self.even_split_rational,
                "dominated_by_frontier_points": self.even_split_dominated_by,
                "what": "the compromise package: on each issue the option whose worse-off party is best off",
            },
            "middle": {
                "package": dict(self.middle_package),
                "ordered_issues": list(self.middle_issues),
                "utilities": dict(self.middle_utilities),
                "value": self.middle_value,
                "what": "the literal middle option of every ordered issue; the compromise option elsewhere",
            },
            "gain_over_even_split": self.max_joint_value - self.even_split_value,
            "frontier_size": self.frontier_size,
            "frontier_spread": {p: list(v) for p, v in self.frontier_spread.items()},
            "advice": list(self.advice),
        }


def _value(x: float, scale: str, signed: bool = False) -> str:
    """A joint value on its scale: points as integers-with-commas, normalised gains with 2 decimals."""
    if scale == "points":
        text = fmt(x)
        return ("+" + text) if signed and x > 0 else text
    return f"{x:+.2f}" if signed else f"{x:.2f}"


def _unit(scale: str) -> str:
    return "joint points" if scale == "points" else "joint normalised gain (Σ g)"


def _listing(items: list[str]) -> str:
    shown = items[:_LIST_CAP]
    more = len(items) - len(shown)
    text = ", ".join(shown[:-1]) + (" and " if len(shown) > 1 else "") + shown[-1] if shown else ""
    return text + (f" (and {more} more)" if more else "")


def _package_text(pkg: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pkg.items())


def _dominators(frontier: Frontier, u: FloatArray) -> int:
    f = frontier.utilities
    tol = 1e-9 * max(1.0, float(np.abs(f).max(initial=0.0)))
    ge = np.all(f >= u[None, :] - tol, axis=1)
    gt = np.any(f > u[None, :] + tol, axis=1)
    return int(np.sum(ge & gt))


def win_win_potential(
    case: Case,
    *,
    tau: float = DEFAULT_TAU,
    kinds: IssueKinds | None = None,
    frontier: Frontier | None = None,
    bargain: Bargaining | None = None,
    trades: Logrolls | None = None,
) -> Potential:
    """Thompson's telltale signs of win-win potential, with evidence and advice.

    Parameters
    ----------
    case : Case
    tau : float, default 0.1
        Tolerance of docs/concepts.md#kinds-of-issue (used if ``kinds`` must be computed).
    kinds : IssueKinds, optional
        Result of :func:`~accord.analysis.issues.classify_issues`, if already computed.
    frontier : Frontier, optional
        The case's (unrestricted) Pareto frontier, if already computed.
    bargain : Bargaining, optional
        Result of :func:`~accord.analysis.bargaining.bargaining`, if already computed.
    trades : Logrolls, optional
        Result of :func:`~accord.analysis.logroll.logrolls` between all parties from the compromise package,
        if already computed (the trades of sign 2 and of the advice).

    Returns
    -------
    Potential

    Notes
    -----
    The five signs and what makes each present:

    1. *several issues*: at least two issues on which some party has a stake (r_ik > 0);
    2. *different priorities*: some two-issue trade leaves every party strictly better off than the
       compromise package (:func:`~accord.analysis.logroll.logrolls`, the same trades ``accord logroll``
       lists); the evidence also counts the logrolling pairs (opposed issues with different priorities);
    3. *compatible issues*: some issue has an option that every party likes best (a lose-lose trap to avoid);
       its evidence is the joint value lost by settling it at the worst option instead of the common best
       (with n > 2 an issue can be compatible for every pair without one option best for all: it is not
       counted here), in joint points with shared scales, else in normalised gains Σ g;
    4. *joint value varies*: some issue's joint value (Σ_i s_ik with shared scales, else its contribution to
       Σ_i g_i) varies across options by more than τ times the largest stake on the same scale;
    5. *pie larger than an even split*: the maximum joint value over all packages exceeds the joint value of
       the compromise package (docs/concepts.md#the-pyramid: on each issue the option whose worse-off party is
       best off), i.e. compromising issue by issue leaves value unclaimed. The literal middle of every ordered
       issue (:func:`~accord.analysis.bargaining.middle_package`) is reported beside it, not instead of it.

    Joint values use raw points with shared scales, otherwise normalised gains
    (docs/concepts.md#scales-and-normalised-gains).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q", "r"]},
    ...     {"A": {"a": [0, 5, 10], "b": [0, 1, 2]}, "B": {"a": [2, 1, 0], "b": [10, 5, 0]}},
    ...     shared_scales=True)
    >>> pot = win_win_potential(case)
    >>> pot.sign("different_priorities").present, pot.max_joint_value, pot.even_split_value
    (True, 20.0, 12.0)
    """
    from accord.analysis.logroll import logrolls

    tau = check_tau(tau)
    front = frontier if frontier is not None else pareto_frontier(case)
    kinds = kinds if kinds is not None else classify_issues(case, tau=tau, frontier=front)
    bar = bargain if bargain is not None else bargaining(case, front)
    trades = trades if trades is not None else logrolls(case, frontier=front)
    scale = bar.scale
    names = case.party_names

    signs: list[Sign] = []
    # 1. More than one issue?
    staked = [i.name for i in kinds if max(i.stakes.values()) > 0]
    several = len(staked) >= 2
    if several:
        text = f"{case.n_issues} issues are on the table, {len(staked)} of them with something at stake"
    elif staked:
        text = (f"only one issue ({staked[0]}) is at stake: whatever one side gains there, the other loses "
                "unless its joint value varies; unbundle it or bring other issues in")
    else:
        text = "no party has anything at stake on any issue"
    signs.append(Sign("several_issues", "Does the negotiation contain more than one issue?", several, text,
                      {"issues": case.n_issues, "issues_with_stakes": staked}))

    # 2. Different priorities: two-issue trades that leave every party strictly better off (one trade search).
    found = list(trades.trades)
    pairs_text = (f"{kinds.logrolling_count} pair(s) of opposed issues have different priorities"
                  if kinds.logrolling_count else "no two opposed issues differ in priority beyond τ")
    if found:
        best = found[0]
        text = (f"{pairs_text}; {trades.count} two-issue trade(s) over {trades.pairs} issue pair(s) leave "
                f"{'both sides' if len(trades.between) == 2 else 'every party'} strictly better off than the "
                f"compromise package; the best, {' for '.join(c.issue for c in best.changes)}, creates "
                f"{_value(best.joint_gain, scale, True)} {_unit(scale)}")
    else:
        text = (f"{pairs_text}; but no two-issue trade leaves every party strictly better off than the compromise "
                "package: look for package deals that move three or more issues at once")
    signs.append(Sign(
        "different_priorities", "Do the parties have different strengths of preference across issues?",
        bool(found), text,
        {"logrolling_pairs": kinds.logrolling_count,
         "pairs_with_a_trade": sum(1 for p in kinds.logrolling if p.both_gain),
         "trades": trades.count, "issue_pairs_with_a_trade": trades.pairs,
         "best_trades": [t.to_dict() for t in found[:5]]},
    ))

    # 3. Compatible issues.
    compat: list[dict[str, Any]] = []
    for issue in kinds:
        if issue.kind != "compatible" or max(issue.stakes.values()) == 0:
            continue
        common = set(issue.options)
        for opts in issue.best_options.values():
            common &= set(opts)
        best_opts = [o for o in issue.options if o in common]
        if not best_opts:
            # n > 2: every pair shares a best option, but no option is best for all at once.
            continue
        # issue.joint_values are on the one combined scale: raw points (shared scales) or Σ g
        jv = dict(zip(issue.options, issue.joint_values, strict=True))
        at_best = max(jv[o] for o in best_opts)
        compat.append({"issue": issue.name, "options": best_opts, "joint_value_at_best": at_best,
                       "worst_joint_value": min(issue.joint_values),
                       "lost_if_missed": at_best - min(issue.joint_values), "joint_scale": issue.joint_scale})
    if compat:
        text = "both sides want the same thing on " + _listing(
            [f"{c['issue']} ({' or '.join(c['options'])})" for c in compat])
    else:
        text = "no issue has an option that every party likes best"
    signs.append(Sign("compatible_issues", "Are some interests compatible (do the parties want the same thing)?",
                      bool(compat), text, {"issues": compat}))

    # 4. Issues whose joint value varies.
    varies: list[dict[str, Any]] = [{"issue": i.name, "spread": i.joint_spread, "joint_scale": i.joint_scale,
               "best_option": i.options[int(np.argmax(i.joint_values))]} for i in kinds if i.joint_varies]
    if varies:
        text = "some options create more joint value than others on " + _listing(
            [f"{v['issue']} (spread {_value(v['spread'], scale)})"
             for v in varies])
    else:
        text = "on every issue each option gives the same joint value: each issue on its own is fixed-sum"
    signs.append(Sign("joint_value_varies", "Do some options create more joint value than others?",
                      bool(varies), text, {"issues": varies, "tau": tau}))

    # 5. The size of the pie vs an even split.
    comp = compromise_package(case)
    u_comp = case.utilities([comp])[0]
    comp_labels = case.labels(comp)
    middle, ordered = middle_package(case)
    u_mid = case.utilities([middle])[0]
    mid_value = float(joint_values(case, u_mid[None, :], bar.ideal)[0])
    rational = bool(np.all(u_comp >= case.batnas - 1e-9 * np.maximum(1.0, np.abs(case.batnas))))
    dominated_by = _dominators(front, u_comp)
    gain = bar.max_joint_value - bar.even_split_value
    tol = 1e-9 * max(1.0, abs(bar.max_joint_value))
    bigger = gain > tol
    spread = {p: (float(front.utilities[:, q].min()), float(front.utilities[:, q].max()))
              for q, p in enumerate(names)}
    if bigger:
        rel = f", {pct(gain / bar.even_split_value)} more" if bar.even_split_value > tol else ""
        text = (f"the compromise package (on each issue the option whose worse-off party is best off: "
                f"{_package_text(comp_labels)}) gives {_value(bar.even_split_value, scale)} {_unit(scale)}; "
                f"the best packages give {_value(bar.max_joint_value, scale)} ({_value(gain, scale, True)}{rel})")
        if dominated_by:
            text += f"; {dominated_by} frontier point(s) are better for every party than that compromise"
    else:
        text = (f"the compromise package ({_package_text(comp_labels)}) already reaches the largest joint value "
                f"({_value(bar.max_joint_value, scale)} {_unit(scale)})")
    if ordered and middle != comp:
        text += (f"; the literal middle of every ordered issue ({_package_text(case.labels(middle))}) gives "
                 f"{_value(mid_value, scale)}")
    signs.append(Sign(
        "pie_larger_than_even_split", "Can the pie be expanded beyond an even split?", bigger, text,
        {"max_joint_value": bar.max_joint_value, "even_split_value": bar.even_split_value, "gain": gain,
         "even_split_package": comp_labels, "middle_package": case.labels(middle), "middle_value": mid_value,
         "dominated_by_frontier_points": dominated_by,
         "frontier_size": len(front), "scale": scale},
    ))

    potential = Potential(
        scale, tuple(signs), bar.max_joint_value, bar.even_split_value, comp_labels,
        {p: float(x) for p, x in zip(names, u_comp, strict=True)}, rational, dominated_by, len(front), spread, (),
        case.labels(middle), ordered, {p: float(x) for p, x in zip(names, u_mid, strict=True)}, mid_value,
    )
    advice = _advice(case, kinds, bar, potential, compat, trades)
    return Potential(**{**potential.__dict__, "advice": tuple(advice)})


def _advice(case: Case, kinds: IssueKinds, bar: Bargaining, pot: Potential, compat: list[dict[str, Any]],
            found: Logrolls) -> list[str]:
    """Plain-words advice, most valuable first, every sentence built from the analysis numbers."""
    scale = pot.scale
    names = case.party_names
    out: list[str] = []
    if bar.zopa_empty:
        short = [f"{p} (BATNA {fmt(b)}, best possible {fmt(top)})" for p, b, top
                 in zip(names, bar.batnas, bar.ideal, strict=True) if top < b]
        why = (f"{_listing(short)} cannot reach its BATNA with any package" if short
               else "each party can reach its BATNA, but no single package does it for all at once")
        if not case.unanimous:  # a quorum rule: some parties may be left short, yet no package passes
            why = (f"no package passes the agreement rule ({case.agreement.describe(case.n_parties)})"
                   + (f"; {_listing(short)} cannot reach its BATNA with any package" if short else ""))
        out.append(f"No deal is possible as the case stands: {why}. Add issues or options (unbundle, side deals) "
                   "or revisit the BATNAs before negotiating.")
    everyone = "both sides" if case.n_parties == 2 else "all parties"
    for c in compat[:_LIST_CAP]:
        loss = _value(c["lost_if_missed"], scale)
        out.append(f"Settle {c['issue']} at {' or '.join(c['options'])} early: {everyone} prefer it, and any other "
                   f"option wastes up to {loss} {_unit(scale)} (a lose-lose agreement). Say so rather than "
                   "conceding it.")
    # Trades come from the one trade search (accord logroll): each leaves every party strictly better off than
    # the compromise package. Suggest up to three on disjoint issues, best first: then their gains add up (for
    # additive preferences) and no concession is counted twice.
    chosen: list[Any] = []
    moved: set[str] = set()
    for t in found.trades:
        issues = {c.issue for c in t.changes}
        if len(chosen) < 3 and not issues & moved:
            chosen.append(t)
            moved |= issues
    for t in chosen:
        pair = [c.issue for c in t.changes]
        out.append(f"Trade {pair[0]} against {pair[1]}: {t.description} points. Measured from the compromise "
                   f"package that is {_value(t.joint_gain, scale, True)} {_unit(scale)}, and {everyone} end up "
                   "strictly better off.")
    deal = found.package_deal
    if not chosen and len([i for i in kinds if i.opposed]) >= 2:
        if deal is not None:
            out.append(f"No two-issue trade leaves {everyone} strictly better off than the compromise package: make "
                       f"package offers that move three or more issues at once instead. For example: "
                       f"{deal.description} points.")
        else:
            out.append(f"No trade leaves {everyone} strictly better off than the compromise package — not two issues "
                       "at a time, not as a package deal: from there any gain for one side costs another, so "
                       "prepare to claim value.")
    elif deal is not None and len(deal.changes) > 2 and deal.joint_gain > sum(t.joint_gain for t in chosen) + 1e-9:
        out.append(f"Better still, as one package deal: {deal.description} points "
                   f"({_value(deal.joint_gain, scale, True)} {_unit(scale)} over the compromise package, "
                   f"{everyone} strictly better off).")
    if pot.max_joint_value - pot.even_split_value > 1e-9 * max(1.0, abs(pot.max_joint_value)):
        mj = bar.solutions["max_joint"]
        ties = (f", one of {mj.tied_packages:,} packages with that value" if mj.tied_packages > 1 else "")
        # under a quorum rule the zone is "passes the rule", not "every party at its BATNA"
        where = ("" if mj.in_zone else "; no package with that value gives every party its BATNA" if case.unanimous
                 else f"; no package with that value passes the agreement rule "
                      f"({case.agreement.describe(case.n_parties)})")
        extra = ""
        if pot.even_split_dominated_by:
            extra = f" {pot.even_split_dominated_by} frontier point(s) are better for everyone than the compromise."
        if not pot.even_split_rational:
            below = [p for p, u, b in zip(names, pot.even_split_utilities.values(), bar.batnas, strict=True)
                     if u < b - 1e-9 * max(1.0, abs(b))]
            extra += f" The compromise even leaves {_listing(below)} below the BATNA."
        if pot.middle_issues and pot.middle_package != pot.even_split_package:
            extra += (f" Splitting every ordered issue literally down the middle "
                      f"({_package_text(pot.middle_package)}) gives {_value(pot.middle_value, scale)}.")
        out.append(f"Expand the pie with package offers, not issue-by-issue concessions: the compromise package "
                   f"(each issue settled at the option whose worse-off party is best off: "
                   f"{_package_text(pot.even_split_package)}) gives {_value(pot.even_split_value, scale)} "
                   f"{_unit(scale)}, while the best packages give {_value(mj.joint_value, scale)} "
                   f"(e.g. {_package_text(mj.package)}{ties}{where}).{extra}")
    distributive = list(kinds.of_kind("distributive"))
    if distributive:
        verb = "is" if len(distributive) == 1 else "are"
        own = "its" if len(distributive) == 1 else "their"
        tail = ("use them as currency in package offers" if kinds.logrolling_count
                else "there is little to trade, so prepare your anchor and concessions carefully")
        out.append(f"{_listing(distributive)} {verb} win-lose on {own} own: claim value there with a "
                   f"well-prepared anchor, and {tail}.")
    if not pot.sign("several_issues").present:
        out.append("With a single issue at stake, whatever one side gains the other loses: unbundle it into "
                   "several issues or bring in new ones (timing, extras, side deals) to create room for trades.")
    nash = bar.solutions.get("nash")
    if nash is not None:
        shares = ", ".join(f"{p} {fmt(u)} points ({pct(s)} of the surplus)"
                           for p, u, s in zip(names, nash.utilities, nash.shares, strict=True))
        batnas = ", ".join(f"{p} {fmt(b)}" for p, b in zip(names, bar.batnas, strict=True))
        out.append(f"Don't forget to claim: the Nash point ({_package_text(nash.package)}) gives {shares}. "
                   f"Know the BATNAs ({batnas}) and never settle below your own.")
    return out
