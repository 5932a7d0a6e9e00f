"""The case-file schema (pydantic v2): the shapes a YAML or JSON case file may take.

This module only describes structure; :mod:`accord.io.casefile` turns a validated file into a
:class:`accord.model.Case` and checks the cross-references (unknown party, issue or option, missing points).
``accord schema`` prints :func:`json_schema`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

#: Largest size of any number in a case file (points, bounds, weights, money): beyond it sums of points stop
#: being exact in the frontier engine's integer grid long before they overflow (see docs/case-files.md, Limits).
MAX_MAGNITUDE = 1e12
#: Strict: ``true`` or ``"10"`` are not silently read as 1 and 10 points.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)]
OptionName = str | int | float


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class IssueSpec(_Strict):
    """An issue: a list of options (categorical or, with ``ordered``, ordinal), an integer range or a real
    interval analysed on a grid."""

    type: Literal["categorical", "ordinal", "integer", "real"] | None = Field(
        None, description="Default: categorical when options are listed, integer/real when min/max are given.")
    options: list[OptionName] | None = Field(None, description="Option labels, in order.")
    ordered: bool = Field(False, description="The listed options are ordered (an ordinal issue).")
    min: Number | None = Field(None, description="Lower bound of an integer range or real interval.")
    max: Number | None = Field(None, description="Upper bound of an integer range or real interval.")
    step: int | None = Field(None, description="Step of an integer range (default 1).")
    grid: int | None = Field(None, description="Grid points a real interval is analysed on (default 11).")
    unit: str | None = None
    description: str = ""


class BatnaPackage(_Strict):
    """A BATNA given as the package that represents the walk-away deal."""

    package: dict[str, OptionName]


class PartySpec(_Strict):
    """A party: its BATNA (points or a package) and attitudes used by contingency contracts."""

    batna: Number | BatnaPackage | None = Field(None, description="Points of no agreement, or a package.")
    risk_aversion: Number = Field(0.0, description="CARA coefficient for money (0 = risk neutral).")
    discount_rate: Number = Field(0.0, description="Yearly discount rate for money received later.")
    discount_factor: Number | None = Field(None, description="GENIUS deadline discount (simulation).")
    description: str = ""


class AgreementSpec(_Strict):
    """Who must accept a package: at least ``quorum`` parties at or above their BATNA, every ``veto`` party
    among them (default: unanimity)."""

    quorum: int | None = Field(None, description="How many parties must accept (default: all).")
    veto: list[str] = Field(default_factory=list, description="Parties whose acceptance is always required.")


class LinearParams(_Strict):
    at_min: Number = Field(description="Value at the issue's lowest option.")
    at_max: Number = Field(description="Value at the issue's highest option.")


class LinearValue(_Strict):
    """Value linear in the option's number (integer, real) or rank (ordinal)."""

    linear: LinearParams


class TriangularParams(_Strict):
    low: Number = Field(description="Value 0 at and below this number.")
    peak: Number = Field(description="Value 1 at this number.")
    high: Number = Field(description="Value 0 at and above this number.")


class TriangularValue(_Strict):
    """Value 1 at ``peak``, falling linearly to 0 at ``low`` and ``high``."""

    triangular: TriangularParams


def _value_kind(v: Any) -> str:
    if isinstance(v, dict) and "linear" in v:
        return "<linear>"
    if isinstance(v, dict) and "triangular" in v:
        return "<triangular>"
    if isinstance(v, BaseModel):
        return "<linear>" if isinstance(v, LinearValue) else "<triangular>"
    return "<table>"


#: Points (or values, when weights are given) per option, or a value function.
ValueSpec = Annotated[
    Annotated[dict[OptionName, Number], Tag("<table>")]
    | Annotated[LinearValue, Tag("<linear>")]
    | Annotated[TriangularValue, Tag("<triangular>")],
    Discriminator(_value_kind),
]


class RangeCondition(_Strict):
    """Options of an ordered issue between two bounds (numbers, or option labels), inclusive."""

    min: Number | None = None
    max: Number | None = None
    from_: OptionName | None = Field(None, alias="from")
    to: OptionName | None = None


class InteractionSpec(_Strict):
    """Extra points when the package's options fall in the given sets on two or more issues."""

    when: dict[str, list[OptionName] | RangeCondition] = Field(
        description="issue → list of options, or {min, max} / {from, to} range on an ordered issue")
    points: Number
    label: str = ""


class PreferenceSpec(BaseModel):
    """One party's preferences: for each issue, points per option (or a value function, multiplied by
    ``weights`` and ``scale`` when given), plus optional interaction terms and a cap."""

    model_config = ConfigDict(extra="allow", allow_inf_nan=False)
    __pydantic_extra__: dict[str, ValueSpec] = Field(init=False)

    weights: dict[str, Number] | None = Field(None, description="Weight per issue (default 1 each).")
    scale: Number = Field(1.0, description="Multiplier applied to weight × value.")
    cap: Number | None = Field(None, description="Upper cap on total utility (GENIUS: 1).")
    interactions: list[InteractionSpec] = Field(default_factory=list)


class CapSpec(_Strict):
    min: Number | None = None
    max: Number | None = None


class MoneySpec(_Strict):
    """The money a contingent term on an event moves, and what it is worth to each party."""

    unit: str = "money"
    points_per_unit: dict[str, Number] = Field(default_factory=dict)
    exposure: dict[str, dict[str, Number]] = Field(
        default_factory=dict, description="party → outcome → money it receives anyway in that outcome")
    cap: CapSpec | None = Field(None, description="Bounds on the payment in any outcome.")
    payer: str | None = None
    payee: str | None = None


class EventSpec(_Strict):
    """An uncertain event: outcomes, each party's probabilities, and the facts the four conditions need."""

    outcomes: list[str]
    beliefs: dict[str, dict[str, Number]] = Field(description="party → outcome → probability")
    values: dict[str, Number] | None = Field(None, description="A number measured in each outcome.")
    money: MoneySpec = Field(default_factory=MoneySpec)
    resolves_in: Number = Field(0.0, description="Years until the outcome is known.")
    controlled_by: list[str] | None = Field(None, description="Parties that can influence the outcome.")
    measured_by: str = ""
    resolves: str = ""
    enforced_by: str = ""
    continued_interaction: bool | None = None
    description: str = ""


class CaseFile(_Strict):
    """A negotiation case file (YAML or JSON)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, title="Accord case file")

    name: str
    description: str = ""
    shared_scales: bool = Field(False, description="The parties' points are on one scale.")
    agreement: AgreementSpec | None = Field(None, description="The agreement rule (default: unanimity).")
    parties: dict[str, PartySpec | None]
    issues: dict[str, IssueSpec | list[OptionName]]
    preferences: dict[str, PreferenceSpec]
    estimates: dict[str, dict[str, PreferenceSpec]] = Field(
        default_factory=dict, description="holder → about → estimated preferences")
    events: dict[str, EventSpec] = Field(default_factory=dict)


def json_schema() -> dict[str, Any]:
    """JSON Schema of the case file."""
    return CaseFile.model_json_schema(by_alias=True)
