"""The negotiation plan's content: the seed's strategic framework, worked out for one side before it meets the other.

Thompson closes the chapter on integrative negotiation with a framework a negotiator can prepare alone:
**resource assessment** (the issue mix, the options, what to add or unbundle), **assessment of differences**
(priorities, expectations, risk attitudes, time preferences), **offers and trade-offs** (target and
reservation, an opening set of multiple equivalent offers, logrolls, a contingent term where one helps),
the **acceptance/rejection decision** (walk away below the BATNA) and **renegotiation** (a post-settlement
search once a deal is reached). :func:`build_plan` fills in each step for one party with the numbers from
Accord's analyses and tactics — computed from that party's preferences and its *estimate* of the other side
(the case's estimate when it holds one, otherwise the case file's preferences, said so; the fixed-pie
assumption only on request) — together with the questions to ask about the other side's interests and
priorities and what to reveal (priorities, never the BATNA). The result is a frozen :class:`Plan` with
``to_dict()``; :mod:`accord.report.plan` lays it out as HTML or Markdown and computes nothing of its own.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. "Win-win negotiation: expanding the pie" (a strategic
framework for reaching integrative agreements; ask questions about interests and priorities; provide
information about your interests and priorities, not your BATNA; unbundle the issues; MESOs; contingency
contracts; post-settlement settlements).
Medvec, V. H., Leonardelli, G. J., Galinsky, A. D., Claussen-Schulz, A. (2005). Choice and achievement at the
bargaining table: the distributive, integrative, and interpersonal advantages of making multiple equivalent
simultaneous offers.
Raiffa, H. (1985). Post-settlement settlements. *Negotiation Journal* 1(1).
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from accord.analysis.bargaining import compromise_package
from accord.analysis.issues import fmt, pct
from accord.analysis.report import Analysis, analyze
from accord.errors import AccordError
from accord.model import Case
from accord.tactics.meso import Assumption

if TYPE_CHECKING:
    from accord.tactics.contingency import ContingentContract, Differences
    from accord.tactics.logroll import Logrolls
    from accord.tactics.meso import MesoSet
    from accord.tactics.settlement import PostSettlement

#: Packages counted exactly for the acceptance rule (above this the count is skipped, and the plan says so).
COUNT_LIMIT = 2_000_000
#: Trades listed in the plan.
MAX_TRADES = 5
#: MESO offers in the opening set.
MESO_COUNT = 3

# -- the plan ----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Plan:
    """One side's negotiation plan, following Thompson's strategic framework.

    Attributes
    ----------
    case : Case
        The case as given.
    party, counterpart : str
        Who the plan is for, and the side it negotiates with (the first other party by default).
    basis : str
        Whose preferences the plan is computed from (the party's own, and its estimate of the others when the
        case holds one).
    view : Case
        The case as the party sees it (its estimate in place of the others' preferences, when it has one).
    analysis : Analysis
        :func:`~accord.analysis.report.analyze` of ``view``.
    reservation, best : float
        The party's BATNA (walk-away point) and its best package's points.
    target : float or None
        Its points at the Nash point of the bargaining zone it sees (None when that zone is empty).
    target_package : dict or None
    target_gain : float or None
        The target as a normalised gain g (0 at the BATNA, 1 at the best package).
    opening : MesoSet or None
        The opening set of multiple equivalent simultaneous offers.
    opening_note : str
    belief : str
        What the opening offers assume about the counterpart, in words: the party's estimate of it from the
        case, else the case file's preferences used as that estimate, or the fixed-pie assumption on request.
    opening_below_batna : tuple of int
        Numbers (1, 2, ...) of opening offers worth less to the counterpart than its BATNA as the party
        estimates both (the plan warns: such an offer invites a no).
    opening_warning : str
        That warning in words, under the case's agreement rule ("" when no offer is short): such an offer cannot
        pass when the counterpart's acceptance is required (unanimity, or a veto), but under a quorum rule it
        may still pass without the counterpart (see :func:`~accord.analysis.agreement.below_batna_warning`).
    trades : Logrolls or None
        Logrolls between the party and the counterpart, from the compromise package, as the party sees them.
    trades_note : str
    contracts : tuple of ContingentContract
        Contingent terms on events the party pays or receives on.
    contingency_notes : tuple of str
        Why an event gave no contract (no value, a bad cap, ...).
    event_differences : tuple of Differences
    renegotiation : PostSettlement or None
        A post-settlement search from the compromise package (as the party sees the case).
    acceptable_count, zone_count, package_count : int or None
        Packages worth at least the party's BATNA; packages inside the bargaining zone it sees; all packages
        (None when the space is too large to count, above :data:`COUNT_LIMIT`).
    suggestions, differences, acceptance, questions, reveal, conceal, notes : tuple of str
        The plan's advice, in words.
    """

    case: Case
    party: str
    counterpart: str
    basis: str
    view: Case
    analysis: Analysis
    reservation: float
    best: float
    target: float | None
    target_package: dict[str, str] | None
    target_gain: float | None
    opening: MesoSet | None
    opening_note: str
    belief: str
    opening_below_batna: tuple[int, ...]
    trades: Logrolls | None
    trades_note: str
    contracts: tuple[ContingentContract, ...]
    contingency_notes: tuple[str, ...]
    event_differences: tuple[Differences, ...]
    renegotiation: PostSettlement | None
    acceptable_count: int | None
    zone_count: int | None
    package_count: int | None
    suggestions: tuple[str, ...]
    differences: tuple[str, ...]
    acceptance: tuple[str, ...]
    questions: tuple[str, ...]
    reveal: tuple[str, ...]
    conceal: tuple[str, ...]
    notes: tuple[str, ...] = field(default=())
    opening_warning: str = ""

    @property
    def title(self) -> str:
        return f"Negotiation plan for {self.party}: {self.case.name}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form of every number and piece of advice in the plan."""
        kinds = self.analysis.issues
        return {
            "case": self.case.name,
            "party": self.party,
            "counterpart": self.counterpart,
            "basis": self.basis,
            "resource_assessment": {
                "issues": [
                    {"issue": k.name, "kind": k.kind, "options": list(k.options),
                     "your_share": k.shares[self.party], "their_share": k.shares[self.counterpart],
                     "your_best": list(k.best_options[self.party]),
                     "their_best": list(k.best_options[self.counterpart]), "why": k.why}
                    for k in kinds
                ],
                "packages": self.case.space_size,
                "suggestions": list(self.suggestions),
            },
            "assessment_of_differences": {
                "lines": list(self.differences),
                "logrolling_pairs": [p.to_dict() for p in kinds.logrolling if set(p.parties) ==
                                     {self.party, self.counterpart}],
                "events": [d.to_dict() for d in self.event_differences],
            },
            "offers_and_tradeoffs": {
                "reservation": self.reservation,
                "best": self.best,
                "target": self.target,
                "target_gain": self.target_gain,
                "target_package": self.target_package,
                "opening_meso": None if self.opening is None else self.opening.to_dict(),
                "opening_note": self.opening_note,
                "belief": self.belief,
                "opening_below_batna": list(self.opening_below_batna),
                "opening_warning": self.opening_warning,
                "logrolls": None if self.trades is None else self.trades.to_dict(),
                "logrolls_note": self.trades_note,
                "contingency": [c.to_dict() for c in self.contracts],
                "contingency_notes": list(self.contingency_notes),
            },
            "acceptance": {
                "rules": list(self.acceptance),
                "walk_away_below": self.reservation,
                "acceptable_packages": self.acceptable_count,
                "zone_packages": self.zone_count,
                "packages": self.package_count,
            },
            "renegotiation": None if self.renegotiation is None else self.renegotiation.to_dict(),
            "questions": list(self.questions),
            "reveal": list(self.reveal),
            "do_not_reveal": list(self.conceal),
            "notes": list(self.notes),
        }


def _view(case: Case, party: str) -> tuple[Case, str]:
    """The case as ``party`` sees it, and a sentence saying so."""
    from accord.tactics.logroll import believed_case

    others = [p for p in case.party_names if p != party]
    held = [p for p in others if case.estimate(party, p) is not None]
    if held and len(held) == len(others):
        return believed_case(case, party, others), (
            f"your own preferences and your estimate of {', '.join(others)}'s (from the case file); the other "
            "side's true preferences are not used, since you would not know them")
    return case, (
        f"your own preferences and, for {', '.join(p for p in others if p not in held)}, the preferences in the "
        "case file (the case holds no estimate of yours: the plan treats the file as your best guess, so check "
        "it at the table)")


def _count(view: Case, party: str) -> tuple[int | None, int | None, int]:
    """Packages worth at least the party's BATNA, packages in the zone (None when too many to count), all."""
    from accord.analysis.pyramid import zone_size

    return (zone_size(view, parties=[party], limit=COUNT_LIMIT), zone_size(view, limit=COUNT_LIMIT),
            view.space_size)


def _opening(case: Case, party: str, counterpart: str, target_gain: float | None, assume: Assumption
             ) -> tuple[MesoSet | None, str]:
    """An ambitious MESO set: halfway from the target to the party's best package, relaxed if nothing fits."""
    from accord.tactics.meso import meso_set

    tries: list[tuple[float, float]] = []
    base = target_gain if target_gain is not None else 0.6
    level = round(min(0.95, base + (1.0 - base) / 2.0), 2)
    tries = [(level, 0.02), (level, 0.05), (round(base, 2), 0.05)]
    last = ""
    for lv, tol in tries:
        try:
            s = meso_set(case, party, level=lv, tolerance=tol, count=MESO_COUNT, counterpart=counterpart,
                         assume=assume)
        except AccordError as err:
            last = str(err)
            continue
        why = ("halfway between your target and your best package (anchor high: Thompson, 'be aggressive in "
               "anchoring')") if lv == level else "at your target (nothing fits higher)"
        return s, f"level g = {lv:g} ± {tol:g}: {why}"
    return None, f"no opening MESO set could be built: {last}"


def _trades(case: Case, view: Case, party: str, counterpart: str) -> tuple[Logrolls | None, str]:
    from accord.tactics.logroll import logrolls

    try:
        if view is case:
            lr = logrolls(case, between=(party, counterpart), limit=MAX_TRADES)
        else:
            lr = logrolls(case, between=(party, counterpart), use_estimate_of=party, limit=MAX_TRADES)
    except AccordError as err:
        return None, f"no logrolls: {err}"
    if not lr.trades:
        # the logroll tactic says what to do instead (package deals), in the same words as accord logroll
        return lr, (lr.message or "no two-issue trade raises both sides from the compromise package") + \
            " (as you see the case)"
    return lr, (f"{lr.count} trade(s) in {lr.pairs} issue pair(s) raise both sides from the compromise package; "
                f"the best {len(lr.trades)} are listed")


def _contingency(case: Case, party: str) -> tuple[tuple[ContingentContract, ...], tuple[str, ...],
                                                    tuple[Differences, ...]]:
    from accord.tactics.contingency import contingency_contracts, differences, payer_and_payee

    contracts: list[ContingentContract] = []
    notes: list[str] = []
    diffs: list[Differences] = []
    for ev in case.events:
        try:
            pair = payer_and_payee(case, ev)
        except AccordError as err:
            notes.append(f"{ev.name}: {err}")
            continue
        if party not in pair:
            continue
        try:
            diffs.append(differences(case, ev))
            result = contingency_contracts(case, event=ev.name)
        except AccordError as err:
            notes.append(f"{ev.name}: {err}")
            continue
        contracts.extend(result.contracts)
        notes.extend(f"{nv.event}: {nv.reason}" for nv in result.no_value)
    return tuple(contracts), tuple(notes), tuple(diffs)


def _renegotiation(view: Case) -> PostSettlement | None:
    from accord.tactics.settlement import improve

    try:
        return improve(view, compromise_package(view))
    except AccordError:
        return None


def _below_batna(view: Case, opening: MesoSet | None, counterpart: str) -> tuple[int, ...]:
    """Opening offers worth less to the counterpart than its BATNA, both as the party sees them (the view)."""
    if opening is None:
        return ()
    c = view.party_index(counterpart)
    b = float(view.batnas[c])
    eps = 1e-9 * max(1.0, abs(b))
    return tuple(j for j, o in enumerate(opening.offers, 1) if float(view.utility(o.package_index)[c]) < b - eps)


def _opening_warning(view: Case, opening: MesoSet | None, counterpart: str, short: tuple[int, ...]) -> str:
    """The warning about short opening offers, under the case's agreement rule (see ``Plan.opening_warning``)."""
    if opening is None or not short:
        return ""
    from accord.analysis.agreement import below_batna_warning

    util = view.utilities([o.package_index for o in opening.offers])
    return below_batna_warning(view, util, counterpart, short, basis="as you estimate both")


def build_plan(case: Case, party: str, *, counterpart: str | None = None, assume: Assumption = "estimate") -> Plan:
    """Prepare one side's negotiation following the seed's strategic framework.

    Parameters
    ----------
    case : Case
    party : str
        The side the plan is for.
    counterpart : str, optional
        The side it negotiates with (default: the first other party).
    assume : {"estimate", "fixed-pie"}
        What the opening offers assume about the counterpart: its estimate (default; the case's estimate, else
        the case file's preferences) or, only to show the contrast, a fixed pie (opposed on every issue).

    Returns
    -------
    Plan

    Raises
    ------
    RequestError
        An unknown party or counterpart, or a counterpart equal to the party.
    TooLargeError
        When the exact frontier of the case does not fit (see :func:`~accord.analysis.frontier.pareto_frontier`).

    Notes
    -----
    Everything is computed from the party's point of view: its own preferences and, when the case holds them,
    its estimates of the other parties (:func:`~accord.tactics.logroll.believed_case`); otherwise the file's
    preferences stand in for its guess, and the plan says so. The **reservation** point is the party's BATNA;
    the **target** is its points at the Nash point of the bargaining zone it sees (max Π (u_i − b_i), Nash
    1950) — a principled claim on the surplus; the **opening MESO set** sits halfway between the target's
    normalised gain and 1 (relaxed to the target when no package fits). Logrolls are measured from the
    compromise package (docs/concepts.md#the-pyramid), the renegotiation example runs a post-settlement search from
    that same
    package, and contingent terms are designed on every event the party pays or receives on
    (:func:`~accord.tactics.contingency.contingency_contracts`, with the beliefs, risk attitudes and discount
    rates the case states — for the other side, the party's estimate of them).

    Examples
    --------
    >>> case = Case.from_tables("Job", {"salary": ["90k", "100k"], "start": ["June", "Sept"]},
    ...     {"cand": {"salary": [0, 10], "start": [0, 2]}, "emp": {"salary": [10, 0], "start": [8, 0]}},
    ...     batnas={"cand": 2, "emp": 2})
    >>> plan = build_plan(case, "cand")
    >>> plan.reservation, plan.target, plan.target_package
    (2.0, 10.0, {'salary': '100k', 'start': 'June'})
    >>> plan.belief.split(" (")[0]
    "the case file's preferences for emp, used as cand's estimate"
    """
    a = case.party_index(party)
    others = [p for p in case.party_names if p != party]
    if counterpart is None:
        counterpart = others[0]
    elif case.party_index(counterpart) == a:
        from accord.errors import RequestError

        raise RequestError(f"the counterpart must be another party than {party!r}; the case has: "
                           f"{', '.join(others)}")
    view, basis = _view(case, party)
    an = analyze(view)
    bar = an.bargaining
    reservation = float(view.batnas[a])
    best = float(bar.ideal[a])
    nash = bar.solutions.get("nash")
    target = float(nash.utilities[a]) if nash is not None else None
    target_pkg = dict(nash.package) if nash is not None else None
    span = best - reservation
    target_gain = (target - reservation) / span if target is not None and span > 0 else None
    from accord.tactics.meso import belief_source

    belief = belief_source(case, party, counterpart, assume)
    opening, opening_note = _opening(case, party, counterpart, target_gain, assume)
    short = _below_batna(view, opening, counterpart)
    trades, trades_note = _trades(case, view, party, counterpart)
    contracts, cnotes, diffs = _contingency(case, party)
    reneg = _renegotiation(view)
    acceptable, zone, total = _count(view, party)
    partial = _Partial(case, view, an, party, counterpart, reservation, best, target, target_pkg, trades,
                       contracts, diffs, reneg, acceptable, zone, total)
    notes = [f"computed from {basis}", f"opening offers assume about {counterpart}: {belief}", *an.notes]
    if opening is not None and opening.left_off:
        notes.append("never offered, since every party ranks them below another option of the same issue: "
                     + ", ".join(opening.left_off))
    if diffs:
        notes.append("for events, the other side's probabilities, risk attitude and discount rate are the ones the "
                     "case file states: treat them as your estimate and test them with the questions above")
    return Plan(
        case, party, counterpart, basis, view, an, reservation, best, target, target_pkg, target_gain, opening,
        opening_note, belief, short, trades, trades_note, contracts, cnotes, diffs, reneg, acceptable, zone, total,
        _suggestions(partial), _differences(partial), _acceptance(partial), _questions(partial),
        _reveal(partial), _conceal(partial), tuple(notes), _opening_warning(view, opening, counterpart, short),
    )


@dataclass(frozen=True)
class _Partial:
    """What the advice writers need (the plan before its words exist)."""

    case: Case
    view: Case
    an: Analysis
    party: str
    other: str
    reservation: float
    best: float
    target: float | None
    target_pkg: dict[str, str] | None
    trades: Logrolls | None
    contracts: tuple[ContingentContract, ...]
    diffs: tuple[Differences, ...]
    reneg: PostSettlement | None
    acceptable: int | None
    zone: int | None
    total: int | None

    def ranked(self, who: str) -> list[tuple[str, float]]:
        """Issues by ``who``'s importance share (as the party sees it), most important first."""
        return sorted(((k.name, k.shares[who]) for k in self.an.issues), key=lambda x: -x[1])


# -- the advice, in words ----------------------------------------------------------------------------------------
def _suggestions(p: _Partial) -> tuple[str, ...]:
    kinds = p.an.issues
    out: list[str] = []
    if p.view.n_issues == 1:
        issue = p.view.issues[0].name
        out.append(f"This is a single-issue negotiation on {issue}: whatever one side gains, the other loses. "
                   f"Unbundle {issue} (split it into parts that are paid, delivered or measured differently) and "
                   "add issues both sides care about unequally, so that there is something to trade.")
    opposed = [k for k in kinds if k.kind != "compatible"]
    if p.view.n_issues > 1 and opposed and all(k.kind == "distributive" for k in opposed):
        out.append("Every opposed issue looks distributive from where you stand (equal importance, fixed sum): "
                   "as it is, this is a pie-slicing negotiation. Add or unbundle issues — timing, payment "
                   "schedule, guarantees, services — on which your priorities differ from theirs.")
    integ = kinds.of_kind("integrative")
    if integ:
        out.append(f"Trade on the integrative issues ({', '.join(integ)}): one side cares more about each than the "
                   "other, so concessions there buy more than they cost. Offer whole packages, never one issue "
                   "at a time.")
    for k in kinds:
        if k.kind == "compatible":
            both = ", ".join(k.pair(p.party, p.other).common_best) if len(k.pairs) else ""
            out.append(f"{k.name} is compatible: you both want {both or 'the same option'}. Make sure the deal has it "
                       "(anything else is lose-lose) and do not 'concede' it as if it were a favour.")
        elif len(k.options) == 2:
            out.append(f"{k.name} has only two options ({' / '.join(k.options)}): consider intermediate options "
                       "(partial, conditional or time-limited) so a trade can meet in between.")
    if p.contracts:
        out.append(f"Add a contingent term on {', '.join(sorted({c.event for c in p.contracts}))}: your "
                   "different forecasts, risk attitudes or time preferences make one worth more to both sides "
                   "than any fixed price (see Offers and trade-offs).")
    elif not p.case.events:
        out.append("Where you and they forecast something differently (sales, dates, costs), a term that depends "
                   "on it can bridge the gap: add the event to the case (events section) to design one.")
    return tuple(out)


def _differences(p: _Partial) -> tuple[str, ...]:
    out: list[str] = []
    mine = p.ranked(p.party)
    theirs = p.ranked(p.other)
    out.append("Your priorities: " + ", ".join(f"{n} ({pct(s)})" for n, s in mine) + ".")
    out.append(f"{p.other}'s priorities as you estimate them: " + ", ".join(f"{n} ({pct(s)})" for n, s in theirs)
               + ".")
    pairs = [lp for lp in p.an.issues.logrolling if set(lp.parties) == {p.party, p.other}]
    if pairs:
        out.append("Priority differences worth trading on: " + "; ".join(
            f"{lp.issues[0]} vs {lp.issues[1]} (ratios {fmt(lp.ratios[0])} vs {fmt(lp.ratios[1])})"
            for lp in pairs[:MAX_TRADES]) + ".")
    else:
        out.append("No pair of issues shows a priority difference large enough to trade on (τ = "
                   f"{p.an.tau:g}); ask about priorities before assuming a fixed pie.")
    me, them = p.case.party(p.party), p.case.party(p.other)
    for d in p.diffs:
        ev = p.case.event(d.event)
        if set(d.parties) != {p.party, p.other}:
            continue
        probs_me = ", ".join(f"{o} {x:.0%}" for o, x in zip(ev.outcomes, d.probabilities[p.party], strict=True))
        probs_them = ", ".join(f"{o} {x:.0%}" for o, x in zip(ev.outcomes, d.probabilities[p.other], strict=True))
        line = f"Expectations on {ev.name}: you {probs_me}; {p.other} (your estimate) {probs_them}"
        if d.expected_value is not None:
            line += (f" — expected value {fmt(d.expected_value[p.party])} vs {fmt(d.expected_value[p.other])}")
        out.append(line + ("." if d.beliefs else " (no difference)."))
    if me.risk_aversion != them.risk_aversion:
        more = p.party if me.risk_aversion > them.risk_aversion else p.other
        out.append(f"Risk: your CARA coefficient {me.risk_aversion:g} vs theirs {them.risk_aversion:g} — {more} is "
                   "the more risk-averse side, so shifting risk to the other side creates value.")
    else:
        out.append(f"Risk: you and they have the same risk attitude (CARA {me.risk_aversion:g}) as far as the case "
                   "says.")
    if me.discount_rate != them.discount_rate:
        patient = p.party if me.discount_rate < them.discount_rate else p.other
        out.append(f"Time: your discount rate {me.discount_rate:.0%}/year vs theirs {them.discount_rate:.0%} — "
                   f"{patient} is more patient: on time alone, later payments should go to {patient} and earlier "
                   "ones to the other side.")
    else:
        out.append(f"Time: the same discount rate ({me.discount_rate:.0%}/year) on both sides as far as the case "
                   "says.")
    for d in p.diffs:
        if d.capability and set(d.parties) == {p.party, p.other}:
            out.append("Capabilities: " + "; ".join(
                f"{who} stands to receive {', '.join(fmt(x) for x in d.exposure[who])} across the outcomes anyway"
                for who in d.parties) + " — the side that can carry the swing should carry it.")
    return tuple(out)


def _acceptance(p: _Partial) -> tuple[str, ...]:
    out = [f"Walk away from any package worth less than your BATNA: {fmt(p.reservation)} points."]
    if p.target is not None:
        out.append(f"Aim for {fmt(p.target)} points (your target); between {fmt(p.reservation)} and "
                   f"{fmt(p.target)}, counter with a new set of equivalent offers before accepting.")
    else:
        why = ("no package gives both sides their BATNA" if p.view.unanimous else
               f"no package passes the agreement rule ({p.view.agreement.describe(p.view.n_parties)})")
        out.append(f"As you see the case there is no bargaining zone: {why}. "
                   "Test your estimate of their BATNA, add issues, or walk away.")
    if p.acceptable is not None and p.total is not None:
        # under a quorum rule the zone is what passes the rule, not what clears every side's BATNA
        zone = ("pass both sides' (as you estimate theirs)" if p.view.unanimous else
                f"pass the agreement rule ({p.view.agreement.describe(p.view.n_parties)}, as you estimate the "
                "others)")
        out.append(f"{p.acceptable:,} of the {p.total:,} packages pass your walk-away test; {p.zone or 0:,} "
                   f"{zone} — accept only packages on the Pareto frontier among them, or ask for a "
                   "post-settlement search first.")
    out.append("Judge every offer as a whole package against your BATNA, not issue by issue.")
    return tuple(out)


def _questions(p: _Partial) -> tuple[str, ...]:
    kinds = p.an.issues
    out = [f"What would make this agreement a success for {p.other}, beyond the numbers on the table?"]
    for lp in [lp for lp in kinds.logrolling if set(lp.parties) == {p.party, p.other}][:3]:
        out.append(f"Which matters more to you: {lp.issues[0]} or {lp.issues[1]}? Why?")
    for k in kinds:
        if k.kind == "integrative":
            out.append(f"On {k.name}, which option works best for you, and what makes it important?")
        elif k.kind == "compatible":
            both = ", ".join(k.pair(p.party, p.other).common_best)
            out.append(f"It seems we both prefer {both} on {k.name} — is that right?")
    top_theirs = p.ranked(p.other)[0][0]
    out.append(f"Is {top_theirs} really your most important issue, or is there something we have not put on the "
               "table yet?")
    for d in p.diffs:
        if set(d.parties) != {p.party, p.other}:
            continue
        ev = p.case.event(d.event)
        out.append(f"What do you expect for {ev.name} ({' / '.join(ev.outcomes)}), and how sure are you?")
        out.append(f"How would a bad outcome on {ev.name} affect you? Would you rather fix the amount or share the "
                   "risk?")
        if ev.resolves_in:
            when = ev.resolves or f"in {ev.resolves_in:g} years"
            out.append(f"Do you prefer money now or after {ev.name} is known ({when})?")
    return tuple(out)


def _reveal(p: _Partial) -> tuple[str, ...]:
    mine = p.ranked(p.party)
    out = [f"Your priorities: {mine[0][0]} matters most to you"
           + (f", then {mine[1][0]}" if len(mine) > 1 else "")
           + (f"; you are flexible on {mine[-1][0]}" if len(mine) > 2 else "") + "."]
    out.append("The interests behind them (why they matter), so the other side can look for options that serve "
               "them.")
    if p.contracts:
        out.append("Your forecast for the event a contingent term rests on: the difference in forecasts is what "
                   "makes the term worth more to both.")
    out.append("Share in steps and expect reciprocity: never ask a question you would not answer truthfully.")
    return tuple(out)


def _conceal(p: _Partial) -> tuple[str, ...]:
    who = p.case.party(p.party).description or p.party
    return (
        f"Your BATNA ({fmt(p.reservation)} points for {who}): revealing it slices the pie, it does not expand it.",
        "Your reservation point and your target: they anchor the split against you.",
    )


