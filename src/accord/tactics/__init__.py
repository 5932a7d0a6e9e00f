"""Tactics that create value (docs/concepts.md#tactics-that-create-value): logrolls, MESOs, contingency contracts,
pre- and post-settlement."""

# Logrolls, MESOs, pre- and post-settlement settlements. (Each tactic adds its own names; the list is extended
# rather than replaced so the modules can be added independently.)
from accord.tactics.contingency import ContingencyResult, contingency_contracts
from accord.tactics.logroll import Logrolls, Trade, logrolls
from accord.tactics.meso import (
    Belief,
    MesoOffer,
    MesoSet,
    default_belief,
    lose_lose_options,
    meso_set,
    update_belief,
)
from accord.tactics.plan import Plan, build_plan
from accord.tactics.settlement import Improvement, PostSettlement, PreSettlement, improve, presettle

__all__ = [
    *globals().get("__all__", []),
    "Belief",
    "ContingencyResult",
    "Improvement",
    "Logrolls",
    "MesoOffer",
    "MesoSet",
    "Plan",
    "PostSettlement",
    "PreSettlement",
    "Trade",
    "build_plan",
    "contingency_contracts",
    "default_belief",
    "improve",
    "logrolls",
    "lose_lose_options",
    "meso_set",
    "presettle",
    "update_belief",
]
