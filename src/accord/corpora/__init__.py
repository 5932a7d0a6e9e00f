"""Corpora of recorded negotiations, read as ordinary cases and evaluated with the pyramid (DOMAIN §5).

A *corpus adapter* turns each record of a corpus file (a line of a dialogue corpus, say) into an ordinary
:class:`~accord.model.Case`, the agreement the negotiators reached (or None) and the record's raw metadata.
Everything after that is the same for every corpus: :func:`evaluate_corpus` evaluates each agreement with
:func:`accord.analysis.pyramid.evaluate` — the engine behind ``accord evaluate`` — and sums the corpus up.

Adding a corpus is one short module. Write a class with a ``name``, a one-line ``description`` and a
``records(path)`` generator of :class:`CorpusRecord`, and register an instance::

    # src/accord/corpora/mycorpus.py
    from accord.corpora import CorpusRecord, register

    class MyCorpus:
        name = "mycorpus"
        description = "One line per negotiation of ..."

        def records(self, path):
            for n, line in enumerate(open(path, encoding="utf-8"), start=1):
                case, agreement = ...            # build an ordinary Case; agreement = option indices or None
                yield CorpusRecord(n, case, agreement, "agreement" if agreement else "no agreement", {})

    register(MyCorpus())

Every module of this package (except private ``_`` ones) is imported when a corpus is looked up, so dropping
the module here is enough; adapters that live in other packages register through the ``accord.corpora``
entry-point group (``name = "package.module:ADAPTER"``). ``accord corpus NAME FILE`` then works for it.
Malformed records raise :class:`~accord.errors.FormatError` naming the file and the line.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from accord.errors import RequestError

if TYPE_CHECKING:
    from accord.analysis.pyramid import Evaluation
    from accord.model import Case, Package


@dataclass(frozen=True)
class CorpusRecord:
    """One negotiation of a corpus, as an ordinary case.

    Attributes
    ----------
    line : int
        Where the record is in its file (1-based line number), for messages and per-line output.
    case : Case
        The negotiation as an ordinary case.
    agreement : Package or None
        The agreement reached (option indices), or None when there was none.
    outcome : str
        ``"agreement"`` or the corpus's own word for why there is none (e.g. ``"<disagree>"``).
    meta : mapping
        Raw facts of the record worth keeping in per-line output (flat: names to numbers or text).
    """

    line: int
    case: Case
    agreement: Package | None
    outcome: str
    meta: Mapping[str, Any] = field(default_factory=dict)


@runtime_checkable
class CorpusAdapter(Protocol):
    """What a corpus plug-in provides."""

    name: str
    description: str

    def records(self, path: str) -> Iterator[CorpusRecord]:
        """Yield one :class:`CorpusRecord` per record of the file at ``path``; raise
        :class:`~accord.errors.FormatError` (with file and line) for a malformed record."""
        ...


_REGISTRY: dict[str, CorpusAdapter] = {}
_LOADED: list[bool] = []


def register(adapter: CorpusAdapter) -> CorpusAdapter:
    """Register a corpus adapter under its ``name`` (the last registration of a name wins)."""
    if not isinstance(adapter, CorpusAdapter):
        raise TypeError(f"{adapter!r} is not a corpus adapter: it needs name, description and records(path)")
    _REGISTRY[adapter.name] = adapter
    return adapter


def _load() -> None:
    """Import the built-in adapter modules and the ``accord.corpora`` entry points, once."""
    if _LOADED:
        return
    _LOADED.append(True)
    for mod in pkgutil.iter_modules(__path__):
        if not mod.name.startswith("_"):
            importlib.import_module(f"{__name__}.{mod.name}")
    from importlib.metadata import entry_points

    for ep in entry_points(group="accord.corpora"):
        obj = ep.load()
        if isinstance(obj, CorpusAdapter):
            register(obj)


def corpus_names() -> tuple[str, ...]:
    """Names of every known corpus adapter, sorted."""
    _load()
    return tuple(sorted(_REGISTRY))


def get_adapter(name: str) -> CorpusAdapter:
    """The adapter registered as ``name``.

    Raises
    ------
    RequestError
        For an unknown name, listing the known ones.

    Examples
    --------
    >>> get_adapter("dealornodeal").name
    'dealornodeal'
    """
    _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise RequestError(f"unknown corpus {name!r}; known corpora: {', '.join(corpus_names())}") from None


# ---------------------------------------------------------------------------------------------------------
# evaluating a corpus
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CorpusEvaluation:
    """Every record of a corpus file evaluated, and the figures that sum it up.

    Attributes
    ----------
    corpus : str
    file : str
    rows : tuple of dict
        One row per record: line, outcome, the record's metadata and (for agreements) the evaluation.
    evaluations : tuple of (int, Evaluation)
        The line and full evaluation of every agreement.
    aggregates : dict
        ``lines``, ``agreements``, ``agreement_rate`` (over all lines), and over agreed lines
        ``mean_points`` (mean of the parties' average points), ``mean_joint_points``,
        ``mean_max_joint_points``, ``pareto_optimal_rate``, ``max_joint_rate``, ``nash_rate``; plus
        ``outcomes`` (count per outcome), ``pareto_optimal_count``, ``level_counts`` and ``scale``.
    """

    corpus: str
    file: str
    rows: tuple[dict[str, Any], ...]
    evaluations: tuple[tuple[int, Evaluation], ...]
    aggregates: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The aggregates with the corpus name and file (per-line rows are written separately)."""
        return {"corpus": self.corpus, "file": self.file, **self.aggregates}


def _mean(values: list[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def evaluate_corpus(corpus: str | CorpusAdapter, path: str) -> CorpusEvaluation:
    """Evaluate every agreement of a corpus file with :func:`accord.analysis.pyramid.evaluate`.

    Parameters
    ----------
    corpus : str or CorpusAdapter
        A registered corpus name (see :func:`corpus_names`) or an adapter.
    path : str
        The corpus file.

    Returns
    -------
    CorpusEvaluation

    Raises
    ------
    RequestError
        Unknown corpus name.
    FormatError
        A malformed record (the message names the file and line).

    Notes
    -----
    Records whose case has the same issues, parties and preferences share one pyramid reference (frontier,
    compromise package, Nash and joint maxima), computed once: a corpus of many dialogues over few distinct
    games costs little more than one evaluation per agreement. Rates count lines, as corpus papers do (a
    dialogue recorded from both sides counts twice).
    """
    from accord.analysis.pyramid import PyramidReference, evaluate, reference_for

    adapter = get_adapter(corpus) if isinstance(corpus, str) else corpus
    cache: dict[tuple[Any, ...], PyramidReference] = {}
    rows: list[dict[str, Any]] = []
    evaluations: list[tuple[int, Evaluation]] = []
    outcomes: dict[str, int] = {}
    for rec in adapter.records(path):
        outcomes[rec.outcome] = outcomes.get(rec.outcome, 0) + 1
        row: dict[str, Any] = {"line": rec.line, "outcome": rec.outcome, "agreed": rec.agreement is not None}
        row.update(rec.meta)
        if rec.agreement is not None:
            case = rec.case
            key = (case.issues, case.parties, case.preferences, case.shared_scales)
            ref = cache.get(key)
            if ref is None:
                ref = cache[key] = reference_for(case)
            ev = evaluate(case, rec.agreement, reference=ref)
            evaluations.append((rec.line, ev))
            row.update(_evaluation_columns(ev))
        rows.append(row)
    agreed = [ev for _, ev in evaluations]
    n_lines = len(rows)
    levels = {str(k): sum(1 for ev in agreed if ev.level == k) for k in range(4)}
    pareto = sum(1 for ev in agreed if ev.pareto_optimal)
    aggregates: dict[str, Any] = {
        "lines": n_lines,
        "agreements": len(agreed),
        "agreement_rate": len(agreed) / n_lines if n_lines else float("nan"),
        "mean_points": _mean([sum(ev.utilities.values()) / len(ev.utilities) for ev in agreed]),
        "mean_joint_points": _mean([ev.joint_value for ev in agreed]),
        "mean_max_joint_points": _mean([ev.max_joint_value for ev in agreed]),
        "pareto_optimal_rate": pareto / len(agreed) if agreed else float("nan"),
        "max_joint_rate": _mean([float(ev.at_max_joint) for ev in agreed]),
        "nash_rate": _mean([float(bool(ev.nash_optimal)) for ev in agreed]),
        "pareto_optimal_count": pareto,
        "outcomes": outcomes,
        "level_counts": levels,
        "scale": agreed[0].scale if agreed else None,
        "distinct_games": len(cache),
    }
    return CorpusEvaluation(adapter.name, path, tuple(rows), tuple(evaluations), aggregates)


def _evaluation_columns(ev: Evaluation) -> dict[str, Any]:
    """The per-line columns of one evaluation (flat, for CSV)."""
    out: dict[str, Any] = {}
    for issue, option in ev.package.items():
        out[f"agreement_{issue}"] = option
    for p, u in ev.utilities.items():
        out[f"points_{p}"] = u
    out["joint_value"] = ev.joint_value
    out["max_joint_value"] = ev.max_joint_value
    out["level"] = ev.level
    out["individually_rational"] = ev.individually_rational
    out["pareto_optimal"] = ev.pareto_optimal
    out["at_max_joint"] = ev.at_max_joint
    out["nash_optimal"] = ev.nash_optimal
    for p, v in ev.value_left.items():
        out[f"value_left_{p}"] = v
    out["improvement_count"] = ev.improvement_count
    out["distance"] = ev.distance
    return out


__all__ = [
    "CorpusAdapter",
    "CorpusEvaluation",
    "CorpusRecord",
    "corpus_names",
    "evaluate_corpus",
    "get_adapter",
    "register",
]
