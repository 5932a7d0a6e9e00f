"""The case model: issues, parties, preferences, events, packages — immutable, validated, vectorised."""

from accord.model.case import UNANIMITY, AgreementRule, Case, Estimate
from accord.model.event import Event
from accord.model.issue import DEFAULT_GRID, Issue
from accord.model.package import Package, PartialPackage, parse_assignment
from accord.model.party import Party
from accord.model.preferences import Interaction, Preferences

__all__ = [
    "DEFAULT_GRID",
    "UNANIMITY",
    "AgreementRule",
    "Case",
    "Estimate",
    "Event",
    "Interaction",
    "Issue",
    "Package",
    "PartialPackage",
    "Party",
    "Preferences",
    "parse_assignment",
]
