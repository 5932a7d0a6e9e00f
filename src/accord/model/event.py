"""Uncertain events that contingency contracts can depend on (docs/concepts.md#the-case, #contingency-contracts).

An event has a finite set of outcomes (states), each party's own subjective probabilities for them, and the
facts the seed's four conditions ask about: who controls it, how it is measured, when it resolves, how a
contingent term on it is enforced. The contingent term is paid in a money unit; each party converts money to
points at its own rate, and caps bound what may be at stake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from accord.errors import CaseError


@dataclass(frozen=True)
class Event:
    """An uncertain future event.

    Parameters
    ----------
    name : str
        Unique name within the case.
    outcomes : tuple of str
        The possible states, e.g. ``("low", "medium", "high")``.
    beliefs : tuple of (party, tuple of float)
        Each party's probabilities for the outcomes (each row sums to 1).
    values : tuple of float, optional
        A number measured in each outcome (e.g. units sold), for display and for terms linear in it.
    unit : str
        The money unit of a contingent term on this event (e.g. "kEUR").
    points_per_unit : tuple of (party, float)
        How many of its own points each party gets per unit of money.
    exposure : tuple of (party, tuple of float)
        Money each party already receives in each outcome without any contingent term (its risk position).
    cap_low, cap_high : float, optional
        Bounds on the contingent payment in any outcome (money from the first party to the second when
        positive; see ``payer``/``payee``).
    payer, payee : str, optional
        Who pays a positive contingent amount to whom (default: the first two parties of the case).
    resolves_in : float
        Years until the event resolves (for discounting).
    controlled_by : tuple of str
        Parties that can influence the outcome (a conflict of interest if non-empty).
    measured_by, resolves, enforced_by : str
        How the outcome is measured, when it resolves, how a term on it is enforced (empty = not stated).
    continued_interaction : bool, optional
        Whether the parties keep interacting until the event resolves (None = not stated).
    description : str
        Free text.
    """

    name: str
    outcomes: tuple[str, ...]
    beliefs: tuple[tuple[str, tuple[float, ...]], ...]
    values: tuple[float, ...] | None = None
    unit: str = "money"
    points_per_unit: tuple[tuple[str, float], ...] = ()
    exposure: tuple[tuple[str, tuple[float, ...]], ...] = ()
    cap_low: float | None = None
    cap_high: float | None = None
    payer: str | None = None
    payee: str | None = None
    resolves_in: float = 0.0
    controlled_by: tuple[str, ...] = ()
    measured_by: str = ""
    resolves: str = ""
    enforced_by: str = ""
    continued_interaction: bool | None = None
    description: str = ""
    _beliefs: dict[str, tuple[float, ...]] = field(default_factory=dict, init=False, repr=False,
                                                    compare=False)

    def __post_init__(self) -> None:
        if len(self.outcomes) < 2:
            raise CaseError(f"event {self.name!r} needs at least two outcomes")
        if len(set(self.outcomes)) != len(self.outcomes):
            raise CaseError(f"event {self.name!r} lists an outcome twice")
        table: dict[str, tuple[float, ...]] = {}
        for party, probs in self.beliefs:
            p = np.asarray(probs, dtype=float)
            if p.shape != (len(self.outcomes),):
                raise CaseError(f"event {self.name!r}: {party!r} gives {p.size} probabilities for "
                                f"{len(self.outcomes)} outcomes")
            if not np.all(np.isfinite(p)) or np.any(p < 0) or abs(p.sum() - 1) > 1e-6:
                raise CaseError(f"event {self.name!r}: {party!r}'s probabilities must be non-negative "
                                f"and sum to 1 (they sum to {p.sum():g})")
            table[party] = tuple(float(x) for x in p)
        if self.values is not None and len(self.values) != len(self.outcomes):
            raise CaseError(f"event {self.name!r}: {len(self.values)} values for {len(self.outcomes)} outcomes")
        if self.cap_low is not None and self.cap_high is not None and self.cap_low > self.cap_high:
            raise CaseError(f"event {self.name!r}: cap min {self.cap_low} is above cap max {self.cap_high}")
        object.__setattr__(self, "_beliefs", table)

    def probabilities(self, party: str) -> tuple[float, ...]:
        """``party``'s probabilities for the outcomes; raises if the case gives none."""
        try:
            return self._beliefs[party]
        except KeyError:
            raise CaseError(f"event {self.name!r} gives no probabilities for party {party!r}; "
                            f"add events.{self.name}.beliefs.{party}") from None

    def rate(self, party: str) -> float:
        """Points per unit of money for ``party`` (default 1)."""
        return dict(self.points_per_unit).get(party, 1.0)

    def exposure_of(self, party: str) -> tuple[float, ...]:
        """Money ``party`` receives in each outcome without a contingent term (default 0)."""
        return dict(self.exposure).get(party, tuple(0.0 for _ in self.outcomes))

    def to_dict(self) -> dict[str, Any]:
        """Case-file form."""
        d: dict[str, Any] = {
            "outcomes": list(self.outcomes),
            "beliefs": {p: dict(zip(self.outcomes, pr, strict=True)) for p, pr in self.beliefs},
        }
        if self.values is not None:
            d["values"] = dict(zip(self.outcomes, self.values, strict=True))
        money: dict[str, Any] = {"unit": self.unit}
        if self.points_per_unit:
            money["points_per_unit"] = dict(self.points_per_unit)
        if self.exposure:
            money["exposure"] = {p: dict(zip(self.outcomes, x, strict=True)) for p, x in self.exposure}
        if self.cap_low is not None or self.cap_high is not None:
            money["cap"] = {k: v for k, v in (("min", self.cap_low), ("max", self.cap_high)) if v is not None}
        if self.payer:
            money["payer"] = self.payer
        if self.payee:
            money["payee"] = self.payee
        d["money"] = money
        for key in ("measured_by", "resolves", "enforced_by", "description"):
            if getattr(self, key):
                d[key] = getattr(self, key)
        if self.resolves_in:
            d["resolves_in"] = self.resolves_in
        d["controlled_by"] = list(self.controlled_by)
        if self.continued_interaction is not None:
            d["continued_interaction"] = self.continued_interaction
        return d
