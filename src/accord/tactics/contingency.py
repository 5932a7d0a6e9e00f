"""Contingency contracts: terms that depend on an uncertain event and make both parties better off
(docs/concepts.md#contingency-contracts).

When two parties differ in what they expect (their probabilities for an event), in how much risk they will
bear, in how patient they are, or in what they already stand to gain or lose in each outcome (their
"capabilities"), a payment that depends on the event — a bet, a payment schedule, a risk transfer — can raise
*both* parties' expected utility, each judged by its own beliefs and attitudes (Bazerman & Gillespie 1999;
Thompson, "structure contingency contracts by capitalizing on differences"). This module designs such terms by
optimisation, shows what each side expects to gain and what it stands to lose in its worst outcome, and checks
the seed's four cautionary conditions against what the case file says about the event.

References
----------
Bazerman, M. H., Gillespie, J. J. (1999). Betting on the future: the virtues of contingent contracts.
*Harvard Business Review* 77(5).
Thompson, L. *The Mind and Heart of the Negotiator*, ch. on integrative negotiation.
Raiffa, H. (1982). *The Art and Science of Negotiation*, ch. on contingent contracts and risk sharing.
Nash, J. (1950). The bargaining problem. *Econometrica* 18(2).
Pratt, J. W. (1964). Risk aversion in the small and in the large. *Econometrica* 32(1) (certainty equivalents).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from accord.errors import RequestError
from accord.model import Case, Event, Package
from accord.model.preferences import FloatArray

#: The non-contingent agreement every gain is measured from.
BASELINE = (
    "the non-contingent agreement: the same deal without the term (no payment; each party keeps its exposure). "
    "Any other constant transfer the parties might agree instead only shifts the fixed part; the contingent "
    "payments do not depend on it"
)
#: What is maximised.
OBJECTIVE = (
    "max ΔCE_payer · ΔCE_payee, the Nash product of the parties' certainty-equivalent gains (each under its own "
    "probabilities, CARA risk attitude and discount rate), contingent payments within the caps; the uncapped "
    "fixed part splits the value, so the optimum maximises the joint gain J and gives each side J/2 in today's "
    "money"
)

Status = Literal["pass", "fail", "not stated"]

#: The seed's four cautionary conditions, in its order.
CONDITIONS = ("no_conflict_of_interest", "enforceable", "measurable", "continued_interaction")

#: Each condition as a question a negotiator asks about the term (plain words, for every output).
CONDITION_QUESTIONS = {
    "no_conflict_of_interest": "Can either side steer the outcome?",
    "enforceable": "Can the term be enforced?",
    "measurable": "Can the outcome be measured clearly?",
    "continued_interaction": "Do the sides stay in contact until the outcome is known?",
}
#: The plain answer that makes each condition hold.
_GOOD_ANSWER = {"no_conflict_of_interest": "no", "enforceable": "yes", "measurable": "yes",
                "continued_interaction": "yes"}
_BAD_ANSWER = {"no_conflict_of_interest": "yes", "enforceable": "no", "measurable": "no",
               "continued_interaction": "no"}

#: The warning every contingent term carries (Thompson; Bazerman and Gillespie 1999).
EAGER_WARNING = (
    "If the other side is eager to take this bet, ask why: it may know more about the outcome than you do. "
    "Check its forecast against independent information before you sign."
)
#: How the term is chosen, in plain words (the exact objective is in the JSON output).
PLAIN_OBJECTIVE = (
    "the payments are chosen to make the product of the two sides' gains as large as possible (the Nash "
    "bargaining solution), which gives each side half of the value created"
)

# Below this |a|·(spread of money) the CARA certainty equivalent is computed by its second-order expansion,
# because −log E[e^(−aX)]/a loses all precision as a → 0.
_SMALL_RISK = 1e-6


# -- certainty equivalents ---------------------------------------------------------------------------------------
def certainty_equivalent(money: Any, probabilities: Any, risk_aversion: float) -> float:
    """Certainty equivalent of a lottery under constant absolute risk aversion (CARA).

    Parameters
    ----------
    money : array_like, shape (outcomes,)
        Money received in each outcome.
    probabilities : array_like, shape (outcomes,)
        The holder's own probabilities.
    risk_aversion : float
        CARA coefficient a: u(x) = (1 − e^(−a·x)) / a; a = 0 is risk neutral, a < 0 risk seeking.

    Returns
    -------
    float
        CE = u⁻¹(E[u(X)]) = −(1/a) · log E[e^(−a·X)] (the expectation E[X] when a = 0).

    Examples
    --------
    >>> certainty_equivalent([0.0, 100.0], [0.5, 0.5], 0.0)
    50.0
    >>> round(certainty_equivalent([0.0, 100.0], [0.5, 0.5], 0.05), 3)
    13.729
    """
    return float(_ce_and_weights(np.asarray(money, dtype=float), np.asarray(probabilities, dtype=float),
                                 float(risk_aversion))[0])


def _ce_and_weights(x: FloatArray, p: FloatArray, a: float) -> tuple[float, FloatArray]:
    """CE of money ``x`` under probabilities ``p`` and CARA ``a``, and its gradient dCE/dx.

    The gradient is the vector of risk-adjusted probabilities w_s = p_s e^(−a x_s) / Σ p e^(−a x).
    """
    live = p > 0
    if a == 0.0:
        return float(p @ x), p.copy()
    xs = x[live]
    spread = float(xs.max() - xs.min()) if xs.size else 0.0
    if abs(a) * max(spread, 1e-300) < _SMALL_RISK:
        mean = float(p @ x)
        var = float(p @ (x - mean) ** 2)
        # d/dx_s of (mean − a/2 · var) = p_s (1 − a (x_s − mean))
        return mean - 0.5 * a * var, p * (1.0 - a * (x - mean))
    z = -a * xs
    zmax = float(z.max())
    ez = p[live] * np.exp(z - zmax)
    total = float(ez.sum())
    ce = -(zmax + np.log(total)) / a
    w = np.zeros_like(p)
    w[live] = ez / total
    return float(ce), w


# -- the four conditions -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """One of the seed's four conditions for a contingency contract, checked against the case file.

    Attributes
    ----------
    name : str
        ``no_conflict_of_interest``, ``enforceable``, ``measurable`` or ``continued_interaction``.
    condition : str
        The condition in the seed's words.
    status : str
        ``"pass"``, ``"fail"`` or ``"not stated"`` (the case file is silent: treat as a flag).
    evidence : str
        What the case file says.
    fix : str
        What to do about a flag ("" when it passes).
    """

    name: str
    condition: str
    status: Status
    evidence: str
    fix: str = ""

    @property
    def ok(self) -> bool:
        """True when the condition passes."""
        return self.status == "pass"

    @property
    def plain(self) -> str:
        """The condition as a question and its answer in the user's words, with the fix when it fails."""
        question = CONDITION_QUESTIONS[self.name]
        if self.status == "pass":
            answer = _GOOD_ANSWER[self.name]
        elif self.status == "fail":
            answer = _BAD_ANSWER[self.name]
        else:
            answer = "the case does not say"
        text = f"{question} {answer.capitalize()}: {self.evidence}"
        return text + (f". To do: {self.fix}." if self.fix else ".")

    def to_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "status": self.status, "condition": self.condition, "evidence": self.evidence,
                "fix": self.fix, "in_words": self.plain}


def check_conditions(event: Event) -> tuple[Check, ...]:
    """The seed's four cautionary conditions for a contingent term on ``event``.

    Parameters
    ----------
    event : Event

    Returns
    -------
    tuple of Check
        In the seed's order: no conflict of interest (fails when any party controls the event), enforceable
        (``enforced_by`` stated), clearly measurable (``measured_by`` stated), continued interaction until it
        resolves (``continued_interaction`` true; false fails; silent is "not stated").

    Examples
    --------
    >>> ev = Event("sales", ("low", "high"), (("A", (0.5, 0.5)),), controlled_by=("A",),
    ...            measured_by="audited report")
    >>> [(c.name, c.status) for c in check_conditions(ev)]  # doctest: +NORMALIZE_WHITESPACE
    [('no_conflict_of_interest', 'fail'), ('enforceable', 'not stated'), ('measurable', 'pass'),
     ('continued_interaction', 'not stated')]
    """
    place = f"events.{event.name}"
    if event.controlled_by:
        who = ", ".join(event.controlled_by)
        conflict = Check(
            CONDITIONS[0], "not create a conflict of interest", "fail",
            f"{who} can influence the outcome, so a term on it gives {who} a reason to steer it",
            f"tie the term to an outcome no party controls, or add safeguards (audits, floors) and list them in "
            f"{place}.description")
    else:
        conflict = Check(CONDITIONS[0], "not create a conflict of interest", "pass",
                         "no party is listed as controlling the outcome (controlled_by is empty)")
    if event.enforced_by:
        enforce = Check(CONDITIONS[1], "be enforceable (usually a written contract)", "pass", event.enforced_by)
    else:
        enforce = Check(CONDITIONS[1], "be enforceable (usually a written contract)", "not stated",
                        "the case does not say how the term is enforced",
                        f"write the term into the contract and state it in {place}.enforced_by")
    if event.measured_by:
        measure = Check(CONDITIONS[2], "be clear, measurable and readily evaluated", "pass", event.measured_by)
    else:
        measure = Check(CONDITIONS[2], "be clear, measurable and readily evaluated", "not stated",
                        "the case does not say who measures the outcome, or how",
                        f"name an objective measure (an audited figure, a public index) in {place}.measured_by")
    when = event.resolves or (f"in {event.resolves_in:g} years" if event.resolves_in else "")
    when_text = f"resolves {when}" if when else "the case does not say when it resolves"
    if event.continued_interaction is True:
        cont = Check(CONDITIONS[3], "continued interaction among the parties until it resolves", "pass",
                     f"the parties keep working together; {when_text}")
    elif event.continued_interaction is False:
        cont = Check(CONDITIONS[3], "continued interaction among the parties until it resolves", "fail",
                     f"the parties stop interacting before it resolves; {when_text}",
                     "shorten the horizon, add an escrow or a guarantee, or pick an earlier event")
    else:
        cont = Check(CONDITIONS[3], "continued interaction among the parties until it resolves", "not stated",
                     when_text,
                     f"state whether the parties keep interacting until it resolves ({place}.continued_interaction)")
    return (conflict, enforce, measure, cont)


# -- differences -------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Differences:
    """How payer and payee differ on an event — the differences a contingent term can capitalise on.

    Attributes
    ----------
    event : str
    parties : tuple of str
        (payer, payee).
    beliefs, risk, time, capability : bool
        Whether they differ in probabilities, CARA coefficient, discount rate (only counted when the event
        resolves in the future) and exposure (money each gets anyway per outcome, counted when the difference
        of the two exposures is not constant).
    probabilities, risk_aversion, discount_rate, exposure : dict
        The numbers, per party.
    expected_value : dict or None
        Each party's expectation of the event's measured value (when the event has values).
    """

    event: str
    parties: tuple[str, str]
    beliefs: bool
    risk: bool
    time: bool
    capability: bool
    probabilities: dict[str, tuple[float, ...]]
    risk_aversion: dict[str, float]
    discount_rate: dict[str, float]
    exposure: dict[str, tuple[float, ...]]
    expected_value: dict[str, float] | None

    @property
    def any(self) -> bool:
        return self.beliefs or self.risk or self.time or self.capability

    @property
    def kinds(self) -> tuple[str, ...]:
        """Names of the differences present, in the seed's words."""
        names = (("beliefs", "expectations"), ("risk", "risk attitudes"), ("time", "time preferences"),
                 ("capability", "capabilities (exposure)"))
        return tuple(label for attr, label in names if getattr(self, attr))

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "parties": list(self.parties),
            "expectations": self.beliefs, "risk_attitudes": self.risk, "time_preferences": self.time,
            "capabilities": self.capability,
            "probabilities": {p: list(v) for p, v in self.probabilities.items()},
            "risk_aversion": dict(self.risk_aversion), "discount_rate": dict(self.discount_rate),
            "exposure": {p: list(v) for p, v in self.exposure.items()},
            "expected_value": self.expected_value,
        }


def payer_and_payee(case: Case, event: Event) -> tuple[str, str]:
    """Who pays a positive contingent amount on ``event`` to whom (default: the case's first two parties)."""
    payer = event.payer or case.party_names[0]
    payee = event.payee or (case.party_names[1] if payer != case.party_names[1] else case.party_names[0])
    if payer == payee:
        raise RequestError(f"event {event.name!r}: payer and payee are both {payer!r}; name two different "
                           f"parties in events.{event.name}.money.payer/payee")
    return payer, payee


def differences(case: Case, event: Event) -> Differences:
    """How the payer and payee of ``event`` differ in beliefs, risk attitude, time preference and exposure.

    Raises
    ------
    CaseError
        When the event gives no probabilities for the payer or the payee.
    """
    pair = payer_and_payee(case, event)
    probs = {p: event.probabilities(p) for p in pair}
    risk = {p: case.party(p).risk_aversion for p in pair}
    rate = {p: case.party(p).discount_rate for p in pair}
    expo = {p: event.exposure_of(p) for p in pair}
    pa, pb = (np.asarray(probs[p]) for p in pair)
    diff = np.asarray(expo[pair[0]]) - np.asarray(expo[pair[1]])
    ev = None
    if event.values is not None:
        v = np.asarray(event.values, dtype=float)
        ev = {p: float(np.asarray(probs[p]) @ v) for p in pair}
    return Differences(
        event.name, pair,
        beliefs=bool(np.max(np.abs(pa - pb)) > 1e-9),
        risk=risk[pair[0]] != risk[pair[1]],
        time=rate[pair[0]] != rate[pair[1]] and event.resolves_in > 0,
        capability=bool(np.ptp(diff) > 1e-9 * max(1.0, float(np.max(np.abs(diff))))),
        probabilities=probs, risk_aversion=risk, discount_rate=rate, exposure=expo, expected_value=ev,
    )


# -- results -----------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorstCase:
    """A party's worst outcome under a contract: the outcome where its money position is lowest.

    Attributes
    ----------
    outcome : str
    probability : float
        The party's own probability of it.
    payment : float
        Nominal money the party receives from the term in it (negative = pays): fixed part + payment.
    points : float
        That payment in the party's points, discounted to today.
    position : float
        Exposure plus payment (nominal money) in that outcome.
    position_without : float
        The party's lowest exposure without the term (to compare: insurance raises it, a bet lowers it).
    """

    outcome: str
    probability: float
    payment: float
    points: float
    position: float
    position_without: float

    def to_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "probability": self.probability, "payment": self.payment,
                "points": self.points, "position": self.position, "position_without_term": self.position_without}


@dataclass(frozen=True)
class ContingentContract:
    """A contingent term on one event, optimal by the Nash product of certainty-equivalent gains.

    Attributes
    ----------
    event : str
    outcomes : tuple of str
    payer, payee : str
        Positive amounts go from payer to payee.
    unit : str
        Money unit.
    resolves_in : float
        Years until the event resolves (when the contingent payments are made).
    fixed : float
        Fixed amount paid by payer to payee at signing (negative = payee pays): the non-contingent part that
        splits the value created (in practice a change to an upfront fee or price).
    payments : ndarray, shape (outcomes,)
        Contingent amount paid by payer to payee when the event resolves, in each outcome (within the caps).
    caps : tuple of (float or None, float or None)
        (min, max) bounds on the contingent payment in any outcome.
    gain_money : dict
        Certainty-equivalent gain of each party (money, today's value), under its own beliefs and attitudes.
    gain_points : dict
        The same in each party's own points (money × points per unit).
    expected_payment : dict
        Expected present value of the money each party receives from the term, under its own beliefs
        (negative = expects to pay; a risk-averse party may accept a negative one for insurance).
    worst_case : dict of str to WorstCase
    checks : tuple of Check
    differences : Differences
    value_created : float
        J = ΔCE_payer + ΔCE_payee in today's money: the value the term creates.
    nash_product : float
        ΔCE_payer · ΔCE_payee (money²).
    method : str
    base : dict or None
        The base package, each party's points in it and with the term (when a base was given).
    """

    event: str
    outcomes: tuple[str, ...]
    payer: str
    payee: str
    unit: str
    resolves_in: float
    fixed: float
    payments: FloatArray
    caps: tuple[float | None, float | None]
    gain_money: dict[str, float]
    gain_points: dict[str, float]
    expected_payment: dict[str, float]
    worst_case: dict[str, WorstCase]
    checks: tuple[Check, ...]
    differences: Differences
    value_created: float
    nash_product: float
    method: str
    base: dict[str, Any] | None = None

    @property
    def flags(self) -> tuple[str, ...]:
        """Names of the four conditions that do not pass."""
        return tuple(c.name for c in self.checks if not c.ok)

    def explanation(self) -> list[str]:
        """What the value created is, in plain words: each side's expected value under its own beliefs, and
        that after the event the term only moves money from one side to the other."""
        a, b, u = self.payer, self.payee, self.unit
        d = self.differences
        why = {"expectations": "the two sides forecast the event differently",
               "risk attitudes": "one side minds risk more than the other",
               "time preferences": "one side is more patient than the other",
               "capabilities (exposure)": "the event hits the two sides' own positions differently"}
        reasons = [why.get(k, k) for k in d.kinds]
        lines = [
            f"Value created: {self.value_created:,.2f} {u} in today's money. It is not new money: each side values "
            f"the term by its own forecast of {self.event}"
            + (", its own attitude to risk and its own patience" if len(d.kinds) > 1 else "")
            + f", and by those measures {a} gains {self.gain_money[a]:+,.2f} {u} and {b} "
            f"{self.gain_money[b]:+,.2f} {u}.",
            f"By its own probabilities, {a} expects to receive {self.expected_payment[a]:+,.2f} {u} from the term "
            f"and {b} {self.expected_payment[b]:+,.2f} {u} (today's value). Both can be right only in their own "
            "eyes: " + ("; ".join(reasons) if reasons else "the sides differ") + ".",
            f"Once {self.event} is known, the term is a transfer: one side pays the other the amount its outcome "
            "says, and one side will have done worse than its forecast promised.",
        ]
        for p in (a, b):
            w = self.worst_case[p]
            if w.payment < 0:
                lines.append(f"Worst case for {p}: {self.event} is {w.outcome!r} (its own probability "
                             f"{w.probability:.0%}), where {p} pays {abs(w.payment):,.2f} {u} in all.")
        return lines

    def cautions(self) -> list[str]:
        """The four cautionary conditions in plain words, then the warning about an eager counterpart."""
        return [c.plain for c in self.checks] + [EAGER_WARNING]

    def wording(self) -> list[str]:
        """The term in plain words, one line per part."""
        size = max(1.0, abs(self.fixed), float(np.max(np.abs(self.payments))))
        lines = []
        if abs(self.fixed) > 1e-9 * size:
            giver, taker = (self.payer, self.payee) if self.fixed > 0 else (self.payee, self.payer)
            lines.append(f"at signing, {giver} pays {taker} {abs(self.fixed):,.4g} {self.unit} (fixed part: in "
                         "practice a change to a fixed fee or price)")
        when = f"in {self.resolves_in:g} years" if self.resolves_in else "when it is known"
        for o, t in zip(self.outcomes, self.payments, strict=True):
            if abs(t) <= 1e-9 * size:
                lines.append(f"if {self.event} is {o!r}: no payment")
                continue
            giver, taker = (self.payer, self.payee) if t > 0 else (self.payee, self.payer)
            lines.append(f"if {self.event} is {o!r}: {giver} pays {taker} {abs(t):,.4g} {self.unit} {when}")
        return lines

    def to_dict(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "terms": {
                "payer": self.payer,
                "payee": self.payee,
                "unit": self.unit,
                "payments": {o: float(t) for o, t in zip(self.outcomes, self.payments, strict=True)},
                "timing": {"fixed_at_signing": float(self.fixed),
                           "payments_when_resolved_in_years": float(self.resolves_in)},
                "caps": {"min": self.caps[0], "max": self.caps[1]},
                "wording": self.wording(),
            },
            "expected_gain": dict(self.gain_points),
            "expected_gain_money": dict(self.gain_money),
            "expected_payment": dict(self.expected_payment),
            "value_created": self.value_created,
            # value_created and nash_product combine the parties' certainty equivalents in today's money
            "scale": f"money ({self.unit}, today's value)",
            "worst_case": {p: w.to_dict() for p, w in self.worst_case.items()},
            "checks": {c.name: c.to_dict() for c in self.checks},
            "flags": list(self.flags),
            "explanation": self.explanation(),
            "cautions": self.cautions(),
            "differences": self.differences.to_dict(),
            "nash_product": self.nash_product,
            "method": self.method,
            "base": self.base,
        }


@dataclass(frozen=True)
class NoValue:
    """An event on which no contingent term raises both parties' expected utility, and why."""

    event: str
    reason: str
    differences: Differences
    checks: tuple[Check, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"event": self.event, "reason": self.reason, "differences": self.differences.to_dict(),
                "checks": {c.name: c.to_dict() for c in self.checks}}


@dataclass(frozen=True)
class ContingencyResult:
    """Contingent terms for the events of a case.

    Attributes
    ----------
    case : str
        The case's name.
    contracts : tuple of ContingentContract
        One per event on which a term creates value.
    no_value : tuple of NoValue
        Events on which none does, with the reason (e.g. the parties agree on everything).
    """

    case: str
    contracts: tuple[ContingentContract, ...]
    no_value: tuple[NoValue, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "contracts": [c.to_dict() for c in self.contracts],
            "no_value": [n.to_dict() for n in self.no_value],
            "baseline": BASELINE,
            "objective": OBJECTIVE,
        }


# -- the optimisation --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Problem:
    """The numbers of one event's design problem: row 0 is the payer, row 1 the payee."""

    p: FloatArray        # (2, S) probabilities
    a: FloatArray        # (2,) CARA coefficients
    d: FloatArray        # (2,) discount factors for money at resolution
    e: FloatArray        # (2, S) nominal exposure

    @property
    def n_out(self) -> int:
        return int(self.p.shape[1])

    def baseline(self) -> FloatArray:
        """Each party's CE without the term (its discounted exposure)."""
        return np.array([_ce_and_weights(self.d[i] * self.e[i], self.p[i], float(self.a[i]))[0]
                         for i in range(2)])

    def gains(self, t: FloatArray, base: FloatArray) -> tuple[FloatArray, FloatArray]:
        """CE gains (2,) of the contingent payments ``t`` alone, and their Jacobian (2, S)."""
        g = np.empty(2)
        jac = np.empty((2, self.n_out))
        for i, sign in enumerate(_SIGNS):
            ce, w = _ce_and_weights(self.d[i] * (self.e[i] + sign * t), self.p[i], float(self.a[i]))
            g[i] = ce - base[i]
            jac[i] = sign * self.d[i] * w
        return g, jac

    def joint_coefficients(self) -> FloatArray:
        """For risk-neutral parties J(t) = c · t with c_s = d_B p_B(s) − d_A p_A(s)."""
        out: FloatArray = self.d[1] * self.p[1] - self.d[0] * self.p[0]
        return out


#: Sign of the money a party receives from a positive payment: the payer (row 0) gives, the payee receives.
_SIGNS = (-1.0, 1.0)


class _Unbounded(Exception):
    pass


def _scale(prob: _Problem, low: float | None, high: float | None) -> float:
    caps = [abs(c) for c in (low, high) if c is not None]
    return max([*caps, float(np.max(np.abs(prob.e))), 1.0])


def _joint_linear(prob: _Problem, low: float | None, high: float | None, scale: float) -> FloatArray:
    """max J(t) = c · t over the caps by linear programming (risk-neutral parties), tie-broken.

    Among the optima, first the one with the smallest fixed part |f| (f is linear in t here), then the
    smallest Σ|t_s|, so that outcomes both parties weigh alike carry no pointless payment.
    """
    from scipy.optimize import linprog

    c = prob.joint_coefficients()
    n = prob.n_out
    box = [(low, high)] * n
    res = linprog(-c, bounds=box, method="highs")
    if res.status == 3:
        raise _Unbounded
    if res.status != 0:  # pragma: no cover - a box LP is always feasible
        raise RequestError(f"the contingency LP failed: {res.message}")
    best = float(c @ res.x)
    slack = 1e-12 * scale * n
    # f(t) = (g_A − g_B)/2 = −(d_A p_A + d_B p_B) · t / 2 for risk-neutral parties
    fvec = -(prob.d[0] * prob.p[0] + prob.d[1] * prob.p[1]) / 2.0
    # variables (t, u): min u s.t. u ≥ ±f(t), c · t ≥ J* − slack
    a1 = np.vstack([np.append(fvec, -1.0), np.append(-fvec, -1.0), np.append(-c, 0.0)])
    r1 = linprog(np.append(np.zeros(n), 1.0), A_ub=a1, b_ub=[0.0, 0.0, -(best - slack)],
                 bounds=[*box, (0, None)], method="highs")
    t = np.asarray(res.x, dtype=float)
    if r1.status == 0:
        t = np.asarray(r1.x[:n], dtype=float)
        f_best = float(fvec @ t)
        # variables (t, s): min Σ s, s ≥ |t|, J and f kept
        eye = np.eye(n)
        a2 = np.vstack([np.hstack([eye, -eye]), np.hstack([-eye, -eye]),
                        np.concatenate([-c, np.zeros(n)])[None, :]])
        r2 = linprog(np.concatenate([np.zeros(n), np.ones(n)]), A_ub=a2,
                     b_ub=np.concatenate([np.zeros(2 * n), [-(best - slack)]]),
                     A_eq=np.concatenate([fvec, np.zeros(n)])[None, :], b_eq=[f_best],
                     bounds=[*box, *[(0, None)] * n], method="highs")
        if r2.status == 0:
            t = np.asarray(r2.x[:n], dtype=float)
    return _snap(t, low, high, scale)


def _snap(t: FloatArray, low: float | None, high: float | None, scale: float) -> FloatArray:
    """Round the LP solver's last-digit noise onto the caps and zero (HiGHS works to about 1e-9 relative)."""
    near = 1e-8 * scale
    out = np.where(np.abs(t) < near, 0.0, t)
    if low is not None:
        out = np.where(np.abs(out - low) < near, low, out)
    if high is not None:
        out = np.where(np.abs(out - high) < near, high, out)
    return out


def _smallest_fixed_part(prob: _Problem, t: FloatArray, low: float | None, high: float | None) -> FloatArray:
    """When both parties discount alike, t + k·1 has the same joint gain for every k (a constant paid at
    resolution is worth the same to both): pick the k, within the caps, that makes the fixed part smallest, so
    the contract is as purely contingent as the caps allow."""
    if prob.d[0] != prob.d[1]:
        return t
    g = prob.gains(t, prob.baseline())[0]
    k = float(g[0] - g[1]) / 2.0 / float(prob.d[0])  # f(t + k) = f(t) − d·k
    k_lo = (low - float(t.min())) if low is not None else -np.inf
    k_hi = (high - float(t.max())) if high is not None else np.inf
    shifted: FloatArray = t + float(np.clip(k, min(k_lo, 0.0), max(k_hi, 0.0)))
    return shifted


def _joint_nonlinear(prob: _Problem, low: float | None, high: float | None, scale: float) -> FloatArray:
    """max J(t) = ΔCE_payer(t) + ΔCE_payee(t) over the caps by SLSQP on scaled variables (y = t / scale).

    With risk-averse (or neutral) parties each CE is concave in t, so J is concave and the local optimum is
    global. With a risk-seeking party it is not: SLSQP then also starts from the risk-neutral LP optimum and
    from seeded points in the box, and the best local optimum is kept.
    """
    from scipy.optimize import minimize

    base = prob.baseline()
    n = prob.n_out
    box = 1e4 * scale  # stands in for a missing cap; an optimum out there means "unbounded"
    lo = (low if low is not None else -box) / scale
    hi = (high if high is not None else box) / scale

    def f(y: FloatArray) -> float:
        return -float(prob.gains(y * scale, base)[0].sum()) / scale

    def f_jac(y: FloatArray) -> FloatArray:
        out: FloatArray = -prob.gains(y * scale, base)[1].sum(axis=0)
        return out

    starts = [np.clip(np.zeros(n), lo, hi)]
    if np.any(prob.a < 0):
        c = prob.joint_coefficients()
        starts.append(np.where(c > 0, hi, np.where(c < 0, lo, np.clip(0.0, lo, hi))))
        rng = np.random.default_rng(0)
        starts += [rng.uniform(lo, hi, n) for _ in range(8)]
    best_y, best_val = starts[0], f(starts[0])
    for y0 in starts:
        r = minimize(f, y0, jac=f_jac, method="SLSQP", bounds=[(lo, hi)] * n,
                     options={"maxiter": 1000, "ftol": 1e-15})
        y = np.clip(np.asarray(r.x, dtype=float), lo, hi)
        val = f(y)
        if val < best_val:
            best_val, best_y = val, y
    t = best_y * scale
    if (low is None or high is None) and float(np.max(np.abs(t))) > 0.5 * box:
        raise _Unbounded
    return _snap(t, low, high, scale)


def _solve(prob: _Problem, low: float | None, high: float | None) -> tuple[FloatArray, FloatArray, str]:
    """The contingent payments t maximising the joint CE gain J, their gains (2,), and the method used."""
    scale = _scale(prob, low, high)
    if np.all(prob.a == 0):
        t = _joint_linear(prob, low, high, scale)
        method = ("scipy.optimize.linprog (HiGHS), exact: with the split fixed by the fixed payment the Nash "
                  "product is maximised by max J(t), a linear programme; the smallest (L1) optimum is reported")
    else:
        t = _smallest_fixed_part(prob, _joint_nonlinear(prob, low, high, scale), low, high)
        method = ("scipy.optimize.minimize (SLSQP) with analytic gradients: with the split fixed by the fixed "
                  "payment the Nash product is maximised by max J(t), concave for CARA parties"
                  + (" (multi-start: a party is risk seeking, J is not concave)" if np.any(prob.a < 0) else ""))
    return t, prob.gains(t, prob.baseline())[0], method


def _problem(case: Case, event: Event, payer: str, payee: str) -> _Problem:
    pair = (payer, payee)
    for q in pair:
        if event.rate(q) <= 0:
            raise RequestError(f"event {event.name!r}: {q!r} gets {event.rate(q):g} points per "
                               f"{event.unit}; events.{event.name}.money.points_per_unit must be positive")
    p = np.array([event.probabilities(q) for q in pair], dtype=float)
    a = np.array([case.party(q).risk_aversion for q in pair], dtype=float)
    r = np.array([case.party(q).discount_rate for q in pair], dtype=float)
    d = (1.0 + r) ** (-float(event.resolves_in))
    e = np.array([event.exposure_of(q) for q in pair], dtype=float)
    return _Problem(p, a, d, e)


def _no_value_reason(diff: Differences, prob: _Problem) -> str:
    if not diff.any:
        return ("the parties agree on everything a contingent term could use (same probabilities, risk attitude, "
                "time preference and exposure): no contingent term creates value")
    if not diff.beliefs and not diff.time and np.all(prob.a == 0):
        return (f"the parties differ only in {', '.join(diff.kinds)}, but both are risk neutral and agree on the "
                "probabilities, so moving risk between them changes nothing: no contingent term creates value")
    return (f"the parties differ in {', '.join(diff.kinds)}, but no term on this event raises both parties' "
            "certainty equivalents: no contingent term creates value")


def _design(case: Case, event: Event, base: Package | None) -> ContingentContract | NoValue:
    payer, payee = payer_and_payee(case, event)
    diff = differences(case, event)
    checks = check_conditions(event)
    low, high = event.cap_low, event.cap_high
    place = f"events.{event.name}.money.cap"
    prob = _problem(case, event, payer, payee)
    scale = _scale(prob, low, high)
    tol = 1e-9 * scale
    try:
        t, g, method = _solve(prob, low, high)
    except _Unbounded:
        raise RequestError(
            f"event {event.name!r}: without caps both parties would take ever larger positions (their "
            f"{', '.join(diff.kinds) or 'differences'} make every bigger term look better to both); "
            f"set {place}.min and {place}.max") from None
    joint = float(g.sum())
    if joint <= tol:
        if (low is not None or high is not None) and diff.any:
            try:
                _, g_free, _ = _solve(prob, None, None)
                creates = float(g_free.sum()) > tol
            except _Unbounded:
                creates = True
            if creates:
                shown = f"min {low if low is not None else '-inf'}, max {high if high is not None else 'inf'}"
                raise RequestError(
                    f"event {event.name!r}: the caps ({shown}) make every contract infeasible — the parties' "
                    f"{', '.join(diff.kinds)} would create value, but no payment within the caps raises both "
                    f"parties' certainty equivalents; widen {place}")
        return NoValue(event.name, _no_value_reason(diff, prob), diff, checks)
    # The fixed payment moves money one-for-one in today's value, so it splits J without changing it; the Nash
    # product (J/2 + δ)(J/2 − δ) is largest at δ = 0: both gain J/2. Payer's gain g_A − f, payee's g_B + f.
    fixed = float(g[0] - g[1]) / 2.0
    fixed = 0.0 if abs(fixed) < 1e-9 * scale else fixed
    gains = np.array([g[0] - fixed, g[1] + fixed])
    pair = (payer, payee)
    rates = [event.rate(q) for q in pair]
    gain_money = {q: float(gains[i]) for i, q in enumerate(pair)}
    gain_points = {q: float(gains[i] * rates[i]) for i, q in enumerate(pair)}
    expected = {q: float(_SIGNS[i] * (fixed + prob.d[i] * (prob.p[i] @ t))) for i, q in enumerate(pair)}
    worst: dict[str, WorstCase] = {}
    for i, q in enumerate(pair):
        pay = _SIGNS[i] * (fixed + t)
        pos = prob.e[i] + pay
        s = int(np.argmin(pos))
        worst[q] = WorstCase(event.outcomes[s], float(prob.p[i][s]), float(pay[s]),
                             float(rates[i] * _SIGNS[i] * (fixed + prob.d[i] * t[s])), float(pos[s]),
                             float(prob.e[i].min()))
    base_info = None
    if base is not None:
        u = case.utility(base)
        base_info = {
            "package": case.labels(base),
            "points": {q: float(u[case.party_index(q)]) for q in case.party_names},
            "with_term": {q: float(u[case.party_index(q)] + gain_points.get(q, 0.0)) for q in case.party_names},
            "batna": {q: case.batna(q) for q in case.party_names},
        }
    return ContingentContract(
        event.name, event.outcomes, payer, payee, event.unit, float(event.resolves_in), fixed,
        np.asarray(t, dtype=float), (low, high), gain_money, gain_points, expected, worst, checks, diff,
        joint, float(gains[0] * gains[1]), method, base_info,
    )


def contingency_contracts(
    case: Case,
    *,
    event: str | None = None,
    base: Mapping[str, str | int | float] | str | Package | None = None,
) -> ContingencyResult:
    """Design contingent terms that raise both parties' expected utility, each under its own beliefs.

    Parameters
    ----------
    case : Case
        A case with at least one event (``events`` in the case file).
    event : str, optional
        Only this event (default: every event of the case).
    base : mapping, str or Package, optional
        The non-contingent agreement the term is added to. It does not change the design (points from the
        package and from the term add up); when given, each contract also reports every party's points in the
        base package with and without the term, beside its BATNA.

    Returns
    -------
    ContingencyResult
        A contract for each event on which one creates value; the other events with the reason.

    Raises
    ------
    RequestError
        An unknown event; a case without events; points per unit that are not positive; caps that make every
        contract infeasible (a term would create value, but not within the caps); or missing caps where the
        best term would be unbounded (e.g. risk-neutral parties who disagree about the probabilities).
    CaseError
        The event gives no probabilities for the payer or the payee.

    Notes
    -----
    Let the event have outcomes s = 1..S. The term has a **fixed part** f, paid by the payer A to the payee B at
    signing, and a **contingent part** t_s paid when the event resolves, T = ``resolves_in`` years from now
    (negative amounts flow from B to A). Party i has probabilities p_i(s), CARA coefficient a_i
    (u(x) = (1 − e^(−a x))/a), discount factor d_i = (1 + r_i)^(−T) and exposure e_i(s) (money it receives at
    resolution anyway: its "capability"). In today's money its position in outcome s is

        X_A(s) = d_A·e_A(s) − f − d_A·t_s,        X_B(s) = d_B·e_B(s) + f + d_B·t_s,

    and its certainty equivalent is CE_i = −(1/a_i) · log Σ_s p_i(s) e^(−a_i X_i(s)) (E_i[X_i] when a_i = 0).
    CARA is applied to present values (a choice; it makes a certain amount add one-for-one to the CE).

    **Baseline.** Gains are ΔCE_i = CE_i(f, t) − CE_i(0, 0), over the non-contingent agreement: the same deal
    without the term (each party keeps its exposure). Any other non-contingent agreement the parties might
    reach instead — a different constant transfer, say a different upfront fee — only shifts the fixed part:
    the optimal contingent part t* does not depend on it, and ``fixed`` is reported relative to the deal
    without the term (e.g. "the upfront fee drops by 150").

    **Objective.** max ΔCE_A · ΔCE_B subject to ΔCE_A > 0, ΔCE_B > 0 and cap_min ≤ t_s ≤ cap_max in every
    outcome. The fixed part is not capped: it moves money one-for-one between the parties today, so it only
    splits the value. Write g_A(t), g_B(t) for the CE gains of t alone and J(t) = g_A(t) + g_B(t) for the joint
    gain; then ΔCE_A = g_A − f, ΔCE_B = g_B + f and, for fixed t, (g_A − f)(g_B + f) is largest at
    f = (g_A − g_B)/2 with value (J(t)/2)². So the Nash optimum is **t* = argmax J(t) within the caps, split
    equally in today's money** (in points, each party gets J*/2 times its points per unit; the Nash product
    is invariant to those rates). Both gain iff J* > 0.

    **Solvers.** With risk-neutral parties J(t) = Σ_s (d_B p_B(s) − d_A p_A(s)) t_s is linear: the problem is
    a linear programme once the split is fixed, solved exactly by ``scipy.optimize.linprog`` (HiGHS); among
    the optima the smallest in L1 norm is reported, so outcomes both weigh alike carry no pointless payment.
    Otherwise ``scipy.optimize.minimize`` (SLSQP, analytic gradients) maximises J; with risk-averse parties
    (a ≥ 0) each CE is concave in t, so the optimum is global; with a risk-seeking party it uses several
    starts.

    **What creates value.** Different probabilities make a bet attractive to both (each expects to win it);
    different risk attitudes or exposures make a risk transfer attractive (with one risk-neutral party, full
    insurance — the risk-averse party's position made constant — is optimal); different discount rates make a
    schedule attractive: a payment at resolution is worth d_i to party i today, so the optimum has the **more
    patient party receive the later payments**, paid for by the fixed part now (a loan from the patient to
    the impatient party at an interest rate between their two). If the parties agree on all four, J ≤ 0 for
    every t and no contingent term creates value: the result says so instead of inventing one.

    Each contract reports both sides' expected gains (CE gain in money and in own points, and the plain
    expected payment under own beliefs), each side's worst outcome (lowest position: exposure + payments),
    and the seed's four cautionary conditions (:func:`check_conditions`); a contract is reported even when a
    condition fails, with the flag.

    Examples
    --------
    >>> from accord.model import Case, Event
    >>> base = Case.from_tables("t", {"x": ["a", "b"]}, {"A": {"x": [0, 1]}, "B": {"x": [1, 0]}})
    >>> ev = Event("demand", ("low", "high"), (("A", (0.7, 0.3)), ("B", (0.3, 0.7))),
    ...            cap_low=-100.0, cap_high=100.0, enforced_by="contract", measured_by="audit",
    ...            continued_interaction=True)
    >>> case = Case(base.name, base.issues, base.parties, base.preferences, events=(ev,))
    >>> c = contingency_contracts(case).contracts[0]
    >>> [round(float(x)) for x in c.payments]      # A pays if demand is high (B's bet), B pays if low
    [-100, 100]
    >>> {k: round(v, 6) for k, v in c.gain_money.items()}  # each expects to win 40 under its own beliefs
    {'A': 40.0, 'B': 40.0}

    References
    ----------
    Bazerman & Gillespie (1999); Raiffa (1982), risk sharing; Nash (1950); Pratt (1964).
    """
    if not case.events:
        raise RequestError(f"the case {case.name!r} has no events; add an events section (outcomes, each "
                           "party's beliefs, money) to design a contingency contract")
    events = (case.event(event),) if event is not None else case.events
    pkg = case.package(base) if base is not None else None
    contracts: list[ContingentContract] = []
    none: list[NoValue] = []
    for ev in events:
        out = _design(case, ev, pkg)
        if isinstance(out, ContingentContract):
            contracts.append(out)
        else:
            none.append(out)
    return ContingencyResult(case.name, tuple(contracts), tuple(none))
