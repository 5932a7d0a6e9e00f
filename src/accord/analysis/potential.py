"""Win-win potential: Thompson's "telltale signs", each with its evidence, and advice in plain words (DOMAIN §3).

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

from dataclasses import dataclass
from typing import Any

import numpy as np

from accord.analysis.bargaining import Bargaining, bargaining, compromise_package
from accord.analysis.frontier import Frontier, pareto_frontier
from accord.analysis.issues import DEFAULT_TAU, IssueKinds, check_tau, classify_issues, fmt, pct
from accord.model import Case
from accord.model.preferences import FloatArray

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
        Joint value of the compromise package (every issue split down the middle, DOMAIN §5).
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
) -> Potential:
    """Thompson's telltale signs of win-win potential, with evidence and advice.

    Parameters
    ----------
    case : Case
    tau : float, default 0.1
        Tolerance of DOMAIN §2 (used if ``kinds`` must be computed).
    kinds : IssueKinds, optional
        Result of :func:`~accord.analysis.issues.classify_issues`, if already computed.
    frontier : Frontier, optional
        The case's (unrestricted) Pareto frontier, if already computed.
    bargain : Bargaining, optional
        Result of :func:`~accord.analysis.bargaining.bargaining`, if already computed.

    Returns
    -------
    Potential

    Notes
    -----
    The five signs and what makes each present:

    1. *several issues*: at least two issues on which some party has a stake (r_ik > 0);
    2. *different priorities*: some logrolling pair (DOMAIN §2) creates a positive joint gain over the
       compromise package;
    3. *compatible issues*: some issue has an option that every party likes best (a lose-lose trap to avoid);
       its evidence is the joint value lost by settling it at the worst option instead of the common best
       (with n > 2 an issue can be compatible for every pair without one option best for all: it is not
       counted here);
    4. *joint value varies*: some issue's joint value (Σ_i s_ik with shared scales, else Σ_i e_ik) varies
       across options by more than τ · max stake (resp. τ);
    5. *pie larger than an even split*: the maximum joint value over all packages exceeds the joint value of
       the compromise package (DOMAIN §5), i.e. splitting every issue down the middle leaves value unclaimed.

    Joint values use raw points with shared scales, otherwise normalised gains (DOMAIN §1).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y", "z"], "b": ["p", "q", "r"]},
    ...     {"A": {"a": [0, 5, 10], "b": [0, 1, 2]}, "B": {"a": [2, 1, 0], "b": [10, 5, 0]}},
    ...     shared_scales=True)
    >>> pot = win_win_potential(case)
    >>> pot.sign("different_priorities").present, pot.max_joint_value, pot.even_split_value
    (True, 20.0, 12.0)
    """
    tau = check_tau(tau)
    front = frontier if frontier is not None else pareto_frontier(case)
    kinds = kinds if kinds is not None else classify_issues(case, tau=tau, frontier=front)
    bar = bargain if bargain is not None else bargaining(case, front)
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

    # 2. Different priorities: logrolling pairs that create joint value.
    positive = [p for p in kinds.logrolling if p.joint_gain > 1e-9]
    if positive:
        best = positive[0]
        text = (f"{kinds.logrolling_count} pair(s) of opposed issues have different priorities; the best trade, "
                f"{best.issues[0]} for {best.issues[1]}, creates {_value(best.joint_gain, scale, True)} "
                f"{_unit(scale)} over the compromise package")
    elif kinds.logrolling_count:
        text = (f"{kinds.logrolling_count} pair(s) of opposed issues have different priorities, but no trade "
                "between them beats the compromise package")
    else:
        text = "the parties rank their opposed issues alike (or fewer than two issues are opposed): nothing to trade"
    signs.append(Sign(
        "different_priorities", "Do the parties have different strengths of preference across issues?",
        bool(positive), text,
        {"logrolling_pairs": kinds.logrolling_count, "with_positive_joint_gain": len(positive),
         "best_trades": [{"issues": list(p.issues), "parties": list(p.parties), "joint_gain": p.joint_gain,
                          "trade": {k: {"party": w, "option": o} for k, (w, o) in p.gets.items()}}
                         for p in positive[:5]]},
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
            [f"{v['issue']} (spread {_value(v['spread'], 'points' if v['joint_scale'] == 'points' else 'e')})"
             for v in varies])
    else:
        text = "on every issue each option gives the same joint value: each issue on its own is fixed-sum"
    signs.append(Sign("joint_value_varies", "Do some options create more joint value than others?",
                      bool(varies), text, {"issues": varies, "tau": tau}))

    # 5. The size of the pie vs an even split.
    comp = compromise_package(case)
    u_comp = case.utilities([comp])[0]
    comp_labels = case.labels(comp)
    rational = bool(np.all(u_comp >= case.batnas - 1e-9 * np.maximum(1.0, np.abs(case.batnas))))
    dominated_by = _dominators(front, u_comp)
    gain = bar.max_joint_value - bar.even_split_value
    tol = 1e-9 * max(1.0, abs(bar.max_joint_value))
    bigger = gain > tol
    spread = {p: (float(front.utilities[:, q].min()), float(front.utilities[:, q].max()))
              for q, p in enumerate(names)}
    if bigger:
        rel = f", {pct(gain / bar.even_split_value)} more" if bar.even_split_value > tol else ""
        text = (f"splitting every issue down the middle gives {_value(bar.even_split_value, scale)} {_unit(scale)}; "
                f"the best packages give {_value(bar.max_joint_value, scale)} ({_value(gain, scale, True)}{rel})")
        if dominated_by:
            text += f"; {dominated_by} frontier point(s) are better for every party than that compromise"
    else:
        text = (f"the compromise package already reaches the largest joint value "
                f"({_value(bar.max_joint_value, scale)} {_unit(scale)})")
    signs.append(Sign(
        "pie_larger_than_even_split", "Can the pie be expanded beyond an even split?", bigger, text,
        {"max_joint_value": bar.max_joint_value, "even_split_value": bar.even_split_value, "gain": gain,
         "even_split_package": comp_labels, "dominated_by_frontier_points": dominated_by,
         "frontier_size": len(front), "scale": scale},
    ))

    potential = Potential(
        scale, tuple(signs), bar.max_joint_value, bar.even_split_value, comp_labels,
        {p: float(x) for p, x in zip(names, u_comp, strict=True)}, rational, dominated_by, len(front), spread, (),
    )
    advice = _advice(case, kinds, bar, potential, compat, positive)
    return Potential(**{**potential.__dict__, "advice": tuple(advice)})


def _advice(case: Case, kinds: IssueKinds, bar: Bargaining, pot: Potential, compat: list[dict[str, Any]],
            positive: list[Any]) -> list[str]:
    """Plain-words advice, most valuable first, every sentence built from the analysis numbers."""
    scale = pot.scale
    names = case.party_names
    out: list[str] = []
    if bar.zopa_empty:
        short = [f"{p} (BATNA {fmt(b)}, best possible {fmt(top)})" for p, b, top
                 in zip(names, bar.batnas, bar.ideal, strict=True) if top < b]
        why = (f"{_listing(short)} cannot reach its BATNA with any package" if short
               else "each party can reach its BATNA, but no single package does it for all at once")
        out.append(f"No deal is possible as the case stands: {why}. Add issues or options (unbundle, side deals) "
                   "or revisit the BATNAs before negotiating.")
    everyone = "both sides" if case.n_parties == 2 else "all parties"
    for c in compat[:_LIST_CAP]:
        loss = _value(c["lost_if_missed"], "points" if c["joint_scale"] == "points" else "e")
        unit = "joint points" if c["joint_scale"] == "points" else "of joint normalised score (Σ e)"
        out.append(f"Settle {c['issue']} at {' or '.join(c['options'])} early: {everyone} prefer it, and any other "
                   f"option wastes up to {loss} {unit} (a lose-lose agreement). Say so rather than conceding it.")
    # Suggest win-win trades that can all be made together: greedily, best first, skipping a trade that would
    # settle an issue differently from one already suggested.
    trades: list[Any] = []
    settled: dict[str, tuple[str, str]] = {}
    win_win = [p for p in positive if p.both_gain]
    for p in win_win or positive[:1]:
        if len(trades) < 3 and all(settled.get(k, v) == v for k, v in p.gets.items()):
            trades.append(p)
            settled.update(p.gets)
    for p in trades:
        moves = " and ".join(f"{w} gets {o} on {k}" for k, (w, o) in p.gets.items())
        deltas = ", ".join(f"{q} {'+' if v >= 0 else ''}{fmt(v)}" for q, v in p.changes.items())
        out.append(f"Trade {p.issues[0]} against {p.issues[1]}: {moves}. Compared with splitting both down the "
                   f"middle that is {_value(p.joint_gain, scale, True)} {_unit(scale)} ({deltas} points).")
    if pot.max_joint_value - pot.even_split_value > 1e-9 * max(1.0, abs(pot.max_joint_value)):
        # With shared scales the utilitarian point is a max-joint package inside the zone that splits the
        # surplus most evenly among the ties; it reads better as an example than an arbitrary max-joint package.
        mj = bar.solutions.get("utilitarian") or bar.solutions["max_joint"]
        extra = ""
        if pot.even_split_dominated_by:
            extra = f" {pot.even_split_dominated_by} frontier point(s) are better for everyone than the compromise."
        if not pot.even_split_rational:
            below = [p for p, u, b in zip(names, pot.even_split_utilities.values(), bar.batnas, strict=True)
                     if u < b - 1e-9 * max(1.0, abs(b))]
            extra += f" The compromise even leaves {_listing(below)} below the BATNA."
        out.append(f"Expand the pie with package offers, not issue-by-issue concessions: splitting every issue "
                   f"down the middle gives {_value(pot.even_split_value, scale)} {_unit(scale)}, while "
                   f"the best packages give {_value(mj.joint_value, scale)} (e.g. {_package_text(mj.package)})."
                   f"{extra}")
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
