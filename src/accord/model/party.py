"""Parties: who negotiates, their BATNA, and their attitudes to risk and time."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.errors import CaseError


@dataclass(frozen=True)
class Party:
    """A negotiating party.

    Parameters
    ----------
    name : str
        Unique name within the case.
    batna : float, optional
        Points of the best alternative to a negotiated agreement (the reservation point). When
        ``batna_package`` is given instead, the BATNA is that package's utility (see :meth:`Case.batna`).
        When neither is given the BATNA is 0 points.
    batna_package : tuple of (issue, option) pairs, optional
        A package that represents the walk-away deal.
    risk_aversion : float
        Constant absolute risk aversion coefficient for money (0 = risk neutral), used by contingency
        contracts: u(x) = (1 − e^(−a·x)) / a.
    discount_rate : float
        Yearly discount rate for money received later (contingency contracts).
    discount_factor : float, optional
        GENIUS-style deadline discount d: utilities are multiplied by d^t at time t ∈ [0, 1] of the
        deadline (kept for simulation; None = no discount).
    description : str
        Free text.
    """

    name: str
    batna: float | None = None
    batna_package: tuple[tuple[str, str], ...] | None = None
    risk_aversion: float = 0.0
    discount_rate: float = 0.0
    discount_factor: float | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not self.name:
            raise CaseError("a party needs a non-empty name")
        if self.batna is not None and self.batna_package is not None:
            raise CaseError(f"party {self.name!r}: give the BATNA as points or as a package, not both")
        if self.batna is not None and not (abs(self.batna) < float("inf")):
            raise CaseError(f"party {self.name!r}: the BATNA must be a finite number, not {self.batna!r}")
        if self.discount_rate <= -1:
            raise CaseError(f"party {self.name!r}: discount_rate must be above -1, not {self.discount_rate}")

    def to_dict(self) -> dict[str, Any]:
        """Case-file form."""
        d: dict[str, Any] = {}
        if self.batna_package is not None:
            d["batna"] = {"package": dict(self.batna_package)}
        elif self.batna is not None:
            d["batna"] = self.batna
        if self.risk_aversion:
            d["risk_aversion"] = self.risk_aversion
        if self.discount_rate:
            d["discount_rate"] = self.discount_rate
        if self.discount_factor is not None:
            d["discount_factor"] = self.discount_factor
        if self.description:
            d["description"] = self.description
        return d
