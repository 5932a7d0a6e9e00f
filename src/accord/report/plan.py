"""The planning document: the seed's strategic framework, worked out for one side before it meets the other.

Thompson closes the chapter on integrative negotiation with a framework a negotiator can prepare alone:
**resource assessment** (the issue mix, the options, what to add or unbundle), **assessment of differences**
(priorities, expectations, risk attitudes, time preferences), **offers and trade-offs** (target and
reservation, an opening set of multiple equivalent offers, logrolls, a contingent term where one helps),
the **acceptance/rejection decision** (walk away below the BATNA) and **renegotiation** (a post-settlement
search once a deal is reached). :func:`build_plan` fills in each step for one party with the numbers from
Accord's analyses and tactics — computed from that party's preferences and its *estimate* of the other side
when the case holds one, since that is all a negotiator preparing alone knows — together with the questions
to ask about the other side's interests and priorities and what to reveal (priorities, never the BATNA).
:func:`render_plan_html` and :func:`render_plan_markdown` lay the same document out as a self-contained HTML
page (plotly.js embedded from the installed package, no CDN) or as Markdown with PNG figures inlined.

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

import base64
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from accord.analysis.bargaining import compromise_package
from accord.analysis.issues import fmt, pct
from accord.analysis.report import Analysis, analyze
from accord.errors import AccordError
from accord.model import Case

if TYPE_CHECKING:
    import plotly.graph_objects as go
    from matplotlib.figure import Figure

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


# -- the document model shared by the HTML and Markdown renderings ---------------------------------------------
@dataclass(frozen=True)
class Block:
    """One piece of a section: a paragraph, a bullet list, a table, a call-out or a figure.

    Attributes
    ----------
    kind : {"text", "bullets", "table", "callout", "figure"}
    text : str
        Paragraph or call-out text (for a table: its caption; for a figure: its caption).
    items : tuple of str
        Bullet items.
    headers, rows : tuple
        Table cells as text.
    figure : str
        Key of a figure (see :func:`plan_figures`).
    """

    kind: Literal["text", "bullets", "table", "callout", "figure"]
    text: str = ""
    items: tuple[str, ...] = ()
    headers: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    figure: str = ""


@dataclass(frozen=True)
class Section:
    """A titled section of the plan (one step of the framework)."""

    key: str
    title: str
    blocks: tuple[Block, ...]


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

    @property
    def title(self) -> str:
        return f"Negotiation plan for {self.party}: {self.case.name}"

    def sections(self) -> tuple[Section, ...]:
        """The document, step by step (what both renderings lay out)."""
        return _sections(self)

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


def _short(pkg: dict[str, str]) -> str:
    return ", ".join(f"{k} = {v}" for k, v in pkg.items())


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


def _opening(case: Case, party: str, counterpart: str, target_gain: float | None) -> tuple[MesoSet | None, str]:
    """An ambitious MESO set: halfway from the target to the party's best package, relaxed if nothing fits."""
    from accord.tactics.meso import meso_set

    tries: list[tuple[float, float]] = []
    base = target_gain if target_gain is not None else 0.6
    level = round(min(0.95, base + (1.0 - base) / 2.0), 2)
    tries = [(level, 0.02), (level, 0.05), (round(base, 2), 0.05)]
    last = ""
    for lv, tol in tries:
        try:
            s = meso_set(case, party, level=lv, tolerance=tol, count=MESO_COUNT, counterpart=counterpart)
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
        return lr, "no two-issue trade raises both sides from the compromise package (as you see the case)"
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


def build_plan(case: Case, party: str, *, counterpart: str | None = None) -> Plan:
    """Prepare one side's negotiation following the seed's strategic framework.

    Parameters
    ----------
    case : Case
    party : str
        The side the plan is for.
    counterpart : str, optional
        The side it negotiates with (default: the first other party).

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
    compromise package (DOMAIN §5), the renegotiation example runs a post-settlement search from that same
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
    >>> [s.title for s in plan.sections()][:2]
    ['Resource assessment', 'Assessment of differences']
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
    opening, opening_note = _opening(case, party, counterpart, target_gain)
    trades, trades_note = _trades(case, view, party, counterpart)
    contracts, cnotes, diffs = _contingency(case, party)
    reneg = _renegotiation(view)
    acceptable, zone, total = _count(view, party)
    partial = _Partial(case, view, an, party, counterpart, reservation, best, target, target_pkg, trades,
                       contracts, diffs, reneg, acceptable, zone, total)
    notes = [f"computed from {basis}", *an.notes]
    if diffs:
        notes.append("for events, the other side's probabilities, risk attitude and discount rate are the ones the "
                     "case file states: treat them as your estimate and test them with the questions above")
    return Plan(
        case, party, counterpart, basis, view, an, reservation, best, target, target_pkg, target_gain, opening,
        opening_note, trades, trades_note, contracts, cnotes, diffs, reneg, acceptable, zone, total,
        _suggestions(partial), _differences(partial), _acceptance(partial), _questions(partial),
        _reveal(partial), _conceal(partial), tuple(notes),
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
        out.append("As you see the case there is no bargaining zone: no package gives both sides their BATNA. "
                   "Test your estimate of their BATNA, add issues, or walk away.")
    if p.acceptable is not None and p.total is not None:
        out.append(f"{p.acceptable:,} of the {p.total:,} packages pass your walk-away test; {p.zone or 0:,} pass "
                   "both sides' (as you estimate theirs) — accept only packages on the Pareto frontier among them, "
                   "or ask for a post-settlement search first.")
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


# -- sections ----------------------------------------------------------------------------------------------------
def _sections(plan: Plan) -> tuple[Section, ...]:
    an = plan.analysis
    me, them = plan.party, plan.counterpart
    issues = Block("table", text=f"{plan.case.n_issues} issues, {plan.case.space_size:,} packages. Shares are "
                   "importance shares π (stake over the sum of stakes); the other side's are your estimate.",
                   headers=("issue", "kind", "options", "your share", f"{them}'s share", "your best",
                            f"{them}'s best"),
                   rows=tuple((k.name, k.kind, str(len(k.options)), pct(k.shares[me]), pct(k.shares[them]),
                               ", ".join(k.best_options[me]), ", ".join(k.best_options[them])) for k in an.issues))
    resource = Section("resource", "Resource assessment", (
        Block("text", text=f"Computed from {plan.basis}."),
        issues,
        Block("bullets", items=plan.suggestions) if plan.suggestions else Block("text", text="The issue mix "
              "already has room to trade."),
    ))
    differences = Section("differences", "Assessment of differences", (
        Block("bullets", items=plan.differences),
        Block("figure", text="Importance shares per issue: yours and (estimated) theirs. Issues where the bars "
              "differ are the ones to trade.", figure="priorities"),
    ))
    offers: list[Block] = []
    offers.append(Block("table", headers=("", "points", "g"), rows=(
        ("your best package", fmt(plan.best), "1"),
        ("target (Nash point you see)", fmt(plan.target) if plan.target is not None else "—",
         f"{plan.target_gain:.2f}" if plan.target_gain is not None else "—"),
        ("reservation (BATNA)", fmt(plan.reservation), "0"),
    ), text=("Target package: " + _short(plan.target_package)) if plan.target_package else
        "No bargaining zone as you see the case."))
    offers.append(Block("figure", text="The outcome space as you see it: every package, the Pareto frontier, "
                        "both BATNAs and your target.", figure="outcome_space"))
    if plan.opening is not None:
        rows = []
        for j, o in enumerate(plan.opening.offers, 1):
            their = float(plan.view.utility(o.package_index)[plan.view.party_index(them)])
            rows.append((str(j), _short(o.package), fmt(o.utilities[me]), fmt(their), o.serves,
                         f"{o.choice_probability:.0%}"))
        offers.append(Block("table", text=f"Opening offers — make all {len(rows)} at once ({plan.opening_note}). "
                            f"Whichever they pick tells you about their priorities (expected information "
                            f"{plan.opening.information_gain:.2f} bits).",
                            headers=("#", "package", "your points", f"{them}'s points (estimated)",
                                     "best if they care most about", "chance they pick it"), rows=tuple(rows)))
    else:
        offers.append(Block("callout", text=plan.opening_note))
    if plan.trades is not None and plan.trades.trades:
        offers.append(Block("table", text=f"Logrolls: {plan.trades_note}. Say them as whole packages.",
                            headers=("trade", f"you ({me})", f"{them} (estimated)"),
                            rows=tuple((t.description, f"{t.gains[me]:+,.4g}", f"{t.gains[them]:+,.4g}")
                                       for t in plan.trades.trades)))
        deal = plan.trades.package_deal
        if deal is not None:
            offers.append(Block("text", text=f"Best package deal from the compromise: {_short(deal.package)} "
                                f"(you {deal.gains[me]:+,.4g}, {them} {deal.gains[them]:+,.4g})."))
    else:
        offers.append(Block("callout", text=plan.trades_note))
    for c in plan.contracts:
        w = c.worst_case[me]
        offers.append(Block("bullets", text=f"Contingency proposal on {c.event} ({c.unit}): it creates "
                            f"{c.value_created:,.2f} {c.unit} of value (today's money), split equally.",
                            items=(*c.wording(),
                                   f"You gain {c.gain_money[me]:+,.2f} {c.unit} ({c.gain_points[me]:+,.2f} points) "
                                   f"as a certainty equivalent under your beliefs; {them} gains "
                                   f"{c.gain_money[them]:+,.2f} {c.unit} under theirs.",
                                   f"Your worst outcome is {w.outcome} (p = {w.probability:.0%} by your beliefs): "
                                   f"the term {'pays you' if w.payment >= 0 else 'costs you'} {abs(w.payment):,.2f} "
                                   f"{c.unit} net there, leaving you {w.position:,.2f} instead of "
                                   f"{w.position_without:,.2f}.")))
        offers.append(Block("table", text="The seed's four conditions for a contingent contract.",
                            headers=("condition", "status", "what the case says", "fix"),
                            rows=tuple((ch.condition, ch.status, ch.evidence, ch.fix) for ch in c.checks)))
        offers.append(Block("figure", text=f"Payments on {c.event}: what you receive in each outcome, with both "
                            "sides' probabilities.", figure=f"contingency:{c.event}"))
    for note in plan.contingency_notes:
        offers.append(Block("callout", text=f"No contingent term: {note}"))
    offer_section = Section("offers", "Offers and trade-offs", tuple(offers))
    acceptance = Section("acceptance", "Acceptance / rejection decision", (Block("bullets", items=plan.acceptance),))
    reneg_blocks: list[Block] = [Block("text", text=(
        "Once you have a deal, propose a post-settlement settlement (Raiffa): 'Now that we have an agreement, let "
        "us check together whether a package exists that we both prefer; if not, we keep this one.' The current "
        "agreement becomes both sides' BATNA, so each can reveal its preferences to a neutral party without "
        "risk. Run accord improve CASE --agreement issue=option,... with the agreement."))]
    r = plan.renegotiation
    if r is not None:
        if r.proposal is not None:
            reneg_blocks.append(Block("text", text=(
                f"Example: if you settle on the compromise package ({_short(r.agreement)}), {r.improvement_count} "
                f"better package(s) exist as you see the case; the Nash proposal {_short(r.proposal.package)} "
                f"gives you {r.proposal.gains[me]:+,.4g} and {them} {r.proposal.gains[them]:+,.4g} points.")))
        else:
            reneg_blocks.append(Block("text", text=f"The compromise package ({_short(r.agreement)}) is already "
                                      "Pareto-optimal as you see the case."))
    renegotiation = Section("renegotiation", "Prolonging negotiation and renegotiation", tuple(reneg_blocks))
    talk = Section("talk", "At the table: what to ask and what to reveal", (
        Block("bullets", text="Questions to ask about their interests and priorities (diagnostic, not "
              "defensive):", items=plan.questions),
        Block("bullets", text="Reveal:", items=plan.reveal),
        Block("bullets", text="Do not reveal:", items=plan.conceal),
    ))
    notes = Section("notes", "Notes", (Block("bullets", items=plan.notes),))
    return (resource, differences, offer_section, acceptance, renegotiation, talk, notes)


# -- figures -----------------------------------------------------------------------------------------------------
def plan_figures(plan: Plan) -> dict[str, go.Figure]:
    """The plan's plotly figures by key: ``outcome_space``, ``priorities`` and ``contingency:<event>``."""
    import plotly.graph_objects as go

    from accord.report.plots import outcome_space_figure

    an = plan.analysis
    me, them = plan.party, plan.counterpart
    agreements = {"your target": plan.target_package} if plan.target_package else None
    space = outcome_space_figure(plan.view, an.frontier, an.bargaining, agreements=agreements,
                                 title=f"{plan.case.name} — as {me} sees it")
    if plan.target is not None and plan.view.n_parties == 2:
        if plan.view.party_index(me) == 0:
            space.add_vline(x=plan.target, line_dash="dot", line_color="#2e8b57", annotation_text="your target")
        else:
            space.add_hline(y=plan.target, line_dash="dot", line_color="#2e8b57", annotation_text="your target")
    names = [k.name for k in an.issues]
    prio = go.Figure([
        go.Bar(name=f"{me} (you)", x=names, y=[k.shares[me] for k in an.issues], marker_color="#1f77b4"),
        go.Bar(name=f"{them} (estimated)", x=names, y=[k.shares[them] for k in an.issues], marker_color="#ff7f0e"),
    ])
    prio.update_layout(barmode="group", template="plotly_white", height=380, yaxis_tickformat=".0%",
                       title="Importance shares per issue", margin={"l": 60, "r": 20, "t": 60, "b": 60})
    figs: dict[str, go.Figure] = {"outcome_space": space, "priorities": prio}
    for c in plan.contracts:
        sign = -1.0 if c.payer == me else 1.0
        recv = [sign * float(t) for t in c.payments]
        fig = go.Figure([go.Bar(name="you receive when resolved", x=list(c.outcomes), y=recv, marker_color="#2e8b57",
                                yaxis="y")])
        for who, color in ((me, "#1f77b4"), (them, "#ff7f0e")):
            fig.add_trace(go.Scatter(name=f"P({who})", x=list(c.outcomes), y=list(c.differences.probabilities[who]),
                                     mode="lines+markers", yaxis="y2", line={"color": color}))
        fig.update_layout(template="plotly_white", height=380,
                          title=f"Contingent term on {c.event} ({_fixed_text(c, me)})",
                          yaxis={"title": c.unit}, yaxis2={"title": "probability", "overlaying": "y", "side": "right",
                                                           "range": [0, 1], "tickformat": ".0%"},
                          margin={"l": 60, "r": 60, "t": 60, "b": 50})
        figs[f"contingency:{c.event}"] = fig
    return figs


def _fixed_text(c: ContingentContract, me: str) -> str:
    mine = -c.fixed if c.payer == me else c.fixed
    if mine == 0:
        return "no fixed part"
    return f"fixed part at signing: you {'receive' if mine > 0 else 'pay'} {abs(mine):,.2f} {c.unit}"


def _png(fig: Figure) -> str:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    import matplotlib.pyplot as plt

    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode("ascii")


def plan_pngs(plan: Plan) -> dict[str, str]:
    """The plan's figures as base64 PNG (matplotlib, Agg), by the same keys as :func:`plan_figures`."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    an = plan.analysis
    me, them = plan.party, plan.counterpart
    out: dict[str, str] = {}
    a, b = plan.view.party_index(me), plan.view.party_index(them)
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    if plan.view.space_size <= 20_000:
        pk = np.indices(plan.view.sizes).reshape(plan.view.n_issues, -1).T
        u = plan.view.utilities(pk)
        ax.scatter(u[:, a], u[:, b], s=6, color="#b0b7c3", alpha=0.6, label="packages")
    f = an.frontier.utilities
    order = np.argsort(f[:, a])
    ax.plot(f[order, a], f[order, b], "-o", color="#1f77b4", ms=4, label="Pareto frontier", drawstyle="steps-post")
    ax.axvline(plan.view.batnas[a], ls="--", color="#555", lw=1, label=f"BATNA {me}")
    ax.axhline(plan.view.batnas[b], ls=":", color="#555", lw=1, label=f"BATNA {them}")
    if plan.target is not None:
        ax.axvline(plan.target, ls="-.", color="#2e8b57", lw=1.2, label="your target")
    ax.set_xlabel(f"{me} (points)")
    ax.set_ylabel(f"{them} (points, estimated)")
    ax.set_title(f"Outcome space as {me} sees it")
    ax.legend(fontsize=7)
    out["outcome_space"] = _png(fig)
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    x = np.arange(len(an.issues))
    ax.bar(x - 0.2, [k.shares[me] for k in an.issues], 0.4, label=f"{me} (you)", color="#1f77b4")
    ax.bar(x + 0.2, [k.shares[them] for k in an.issues], 0.4, label=f"{them} (estimated)", color="#ff7f0e")
    ax.set_xticks(x, [k.name for k in an.issues], rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("importance share")
    ax.set_title("Importance shares per issue")
    ax.legend(fontsize=8)
    out["priorities"] = _png(fig)
    for c in plan.contracts:
        sign = -1.0 if c.payer == me else 1.0
        fig, ax = plt.subplots(figsize=(6.4, 3.6))
        ax.bar(list(c.outcomes), [sign * float(t) for t in c.payments], color="#2e8b57", label="you receive")
        ax.set_ylabel(c.unit)
        ax2 = ax.twinx()
        for who, color in ((me, "#1f77b4"), (them, "#ff7f0e")):
            ax2.plot(list(c.outcomes), c.differences.probabilities[who], "o-", color=color, label=f"P({who})")
        ax2.set_ylim(0, 1)
        ax2.set_ylabel("probability")
        ax.set_title(f"Contingent term on {c.event} ({_fixed_text(c, me)})", fontsize=9)
        ax2.legend(fontsize=8, loc="upper left")
        out[f"contingency:{c.event}"] = _png(fig)
    return out


# -- rendering ---------------------------------------------------------------------------------------------------
def _env(autoescape: bool) -> Any:
    import jinja2

    return jinja2.Environment(loader=jinja2.PackageLoader("accord.report", "templates"), autoescape=autoescape,
                              trim_blocks=True, lstrip_blocks=True, undefined=jinja2.StrictUndefined,
                              keep_trailing_newline=True)


def render_plan_html(plan: Plan) -> str:
    """The plan as one self-contained HTML page (plotly.js inline from the installed package, no CDN).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [3, 0]}})
    >>> page = render_plan_html(build_plan(case, "A"))
    >>> page.startswith("<!DOCTYPE html>"), "https://cdn" in page, "<script src" in page
    (True, False, False)
    """
    from accord import __version__
    from accord.report.plots import figure_div, plotly_js

    figs = {key: figure_div(fig, "fig-" + key.replace(":", "-").replace(" ", "-"))
            for key, fig in plan_figures(plan).items()}
    return str(_env(True).get_template("plan.html.j2").render(
        title=plan.title, plan=plan, sections=plan.sections(), figures=figs, plotly_js=plotly_js(),
        version=__version__, source=plan.case.source or "a case object", description=plan.case.description,
    ))


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", "<br>")


def render_plan_markdown(plan: Plan) -> str:
    """The plan as Markdown, figures inlined as base64 PNG images.

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 2], "b": [0, 1]}, "B": {"a": [1, 0], "b": [3, 0]}})
    >>> render_plan_markdown(build_plan(case, "A")).splitlines()[0]
    '# Negotiation plan for A: t'
    """
    from accord import __version__

    env = _env(False)
    env.filters["md"] = _md_cell
    return str(env.get_template("plan.md.j2").render(
        title=plan.title, plan=plan, sections=plan.sections(), pngs=plan_pngs(plan), version=__version__,
        source=plan.case.source or "a case object", description=(plan.case.description or "").strip(),
    ))
