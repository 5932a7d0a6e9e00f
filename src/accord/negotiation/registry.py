"""Negotiators by name: the built-in ones, those installed under the entry-point group ``accord.negotiators``,
and any class given as ``module:Class``.

A user's negotiator is a class with the :class:`~accord.negotiation.base.Negotiator` interface and a
constructor callable without arguments. Register it in a package's ``pyproject.toml``::

    [project.entry-points."accord.negotiators"]
    my-agent = "my_package.agents:MyAgent"

or name it directly: ``accord simulate case.yaml --negotiators my_package.agents:MyAgent,boulware``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from importlib.metadata import entry_points

from accord.errors import RequestError
from accord.negotiation.archetypes import Enlightened, EnlightenedSilent, FlowerChild, OldFashioned
from accord.negotiation.base import Negotiator
from accord.negotiation.random_ import RandomNegotiator
from accord.negotiation.timedependent import Boulware, Conceder, Linear
from accord.negotiation.titfortat import TitForTat

__all__ = ["BUILTIN", "ENTRY_POINT_GROUP", "available", "make_negotiator", "resolve"]

ENTRY_POINT_GROUP = "accord.negotiators"

BUILTIN: dict[str, Callable[[], Negotiator]] = {
    "boulware": Boulware,
    "linear": Linear,
    "conceder": Conceder,
    "old-fashioned": OldFashioned,
    "flower-child": FlowerChild,
    "enlightened": Enlightened,
    "enlightened-silent": EnlightenedSilent,
    "tit-for-tat": TitForTat,
    "random": RandomNegotiator,
}


def available() -> list[str]:
    """Built-in names, then installed entry points."""
    names = list(BUILTIN)
    names += sorted(ep.name for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name not in BUILTIN)
    return names


def resolve(spec: str) -> Callable[[], Negotiator]:
    """The factory for ``spec``: a built-in name, an entry-point name or ``module:Class``.

    Raises
    ------
    RequestError
        Unknown name, a module that cannot be imported, or a class without the negotiator interface.

    Examples
    --------
    >>> resolve("boulware")().name
    'boulware'
    >>> resolve("accord.negotiation.timedependent:Conceder")().name
    'conceder'
    """
    key = spec.strip().lower().replace("_", "-")
    if key in BUILTIN:
        return BUILTIN[key]
    if ":" in spec:
        module_name, _, attr = spec.strip().partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as err:
            raise RequestError(f"negotiator {spec!r}: cannot import module {module_name!r} ({err}); check "
                               "that it is installed and on the Python path") from None
        factory = getattr(module, attr, None)
        if factory is None:
            raise RequestError(f"negotiator {spec!r}: module {module_name!r} has no {attr!r}")
    else:
        found = [ep for ep in entry_points(group=ENTRY_POINT_GROUP) if ep.name == spec.strip()]
        if not found:
            raise RequestError(f"unknown negotiator {spec!r}; choose one of {', '.join(available())} or give "
                               "module:Class")
        factory = found[0].load()
    if not callable(factory) or not all(hasattr(factory, a) for a in ("propose", "respond")):
        raise RequestError(f"negotiator {spec!r} is not a class with propose() and respond() methods")
    return factory  # type: ignore[no-any-return]


def make_negotiator(spec: str) -> Negotiator:
    """A fresh negotiator for ``spec`` (see :func:`resolve`)."""
    return resolve(spec)()
