"""Corpora of recorded negotiations, read as ordinary cases and evaluated with the pyramid
(docs/concepts.md#the-pyramid).

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
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from accord.errors import RequestError

if TYPE_CHECKING:
    from accord.model import Case, Package


@dataclass(frozen=True)
class CorpusRecord:
    """One negotiation of a corpus, as an ordinary case.

    Attributes
    ----------
    line : int
        Where the record is in its file (1-based line number, or record number for JSON files), for messages
        and per-row output.
    case : Case
        The negotiation as an ordinary case.
    agreement : Package or None
        The agreement reached (option indices), or None when there was none.
    outcome : str
        ``"agreement"`` or the corpus's own word for why there is none (e.g. ``"<disagree>"``).
    meta : mapping
        Raw facts of the record worth keeping in per-row output (flat: names to numbers or text).
    game : hashable, optional
        Records with the same ``game`` key share one pyramid reference (frontier, maxima), computed once. The
        adapter promises that their cases are the same game up to the order of the issues: the same parties,
        BATNAs, scales and agreement rule, and per-party the same score tables in some issue order (so every
        package's utilities, hence every measure, are the same). Default: cases equal in issues, parties,
        preferences, scales and rule share a reference.
    group : str, optional
        A label to break the figures down by (e.g. CaSiNo's preference alignment).
    """

    line: int
    case: Case
    agreement: Package | None
    outcome: str
    meta: Mapping[str, Any] = field(default_factory=dict)
    game: Hashable | None = None
    group: str | None = None


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
    if name not in _REGISTRY and not _LOADED and name.isidentifier() and not name.startswith("_"):
        # a built-in adapter lives in the module of its name: import just that one (start-up matters for
        # ``accord corpus``; scanning every module and the installed packages' entry points costs more)
        try:
            importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as err:
            if err.name != f"{__name__}.{name}":
                raise
    if name not in _REGISTRY:
        _load()
    try:
        return _REGISTRY[name]
    except KeyError:
        raise RequestError(f"unknown corpus {name!r}; known corpora: {', '.join(corpus_names())}") from None


# ---------------------------------------------------------------------------------------------------------
# evaluating a corpus
# ---------------------------------------------------------------------------------------------------------
#: Calls ``progress(stage, done, total)``: stage ``"read"`` (records read so far, total None) then
#: ``"evaluate"`` (agreements evaluated of the total).
CorpusProgress = Callable[[str, int, "int | None"], None]


@dataclass(frozen=True)
class CorpusEvaluation:
    """Every record of a corpus evaluated, and the figures that sum it up.

    Attributes
    ----------
    corpus : str
    file : str
        The file (several: joined with ", ").
    rows : tuple of dict
        One row per record: line (and file when there are several), outcome, the record's metadata and (for
        agreements) the pyramid measures — the same numbers ``accord evaluate`` gives for that agreement.
    aggregates : dict
        ``records`` (also under the adapter's ``unit``: ``lines``, ``dialogues``, ...), ``agreements``,
        ``agreement_rate`` (over all records), and over agreements ``mean_points`` (mean of the parties'
        average points), ``mean_points_by_party``, ``mean_joint_points``, ``mean_max_joint_points``,
        ``pareto_optimal_rate``, ``max_joint_rate``, ``nash_rate``; plus ``outcomes`` (count per outcome),
        ``pareto_optimal_count``, ``level_counts``, ``scale``, ``distinct_games`` and, when the adapter labels
        records, ``by_group`` (the same figures per label).
    """

    corpus: str
    file: str
    rows: tuple[dict[str, Any], ...]
    aggregates: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """The aggregates with the corpus name and file (per-row output is written separately)."""
        return {"corpus": self.corpus, "file": self.file, **self.aggregates}


def _mean(values: Sequence[float]) -> float:
    return float(sum(values) / len(values)) if len(values) else float("nan")


def _structural_key(case: Case) -> tuple[Any, ...]:
    return (case.issues, case.parties, case.preferences, case.shared_scales, case.agreement)


def evaluate_corpus(corpus: str | CorpusAdapter, path: str | Sequence[str], *,
                    progress: CorpusProgress | None = None) -> CorpusEvaluation:
    """Evaluate every agreement of one or more corpus files on the pyramid, game by game.

    Parameters
    ----------
    corpus : str or CorpusAdapter
        A registered corpus name (see :func:`corpus_names`) or an adapter.
    path : str or sequence of str
        The corpus file(s).
    progress : callable, optional
        See :data:`CorpusProgress`.

    Returns
    -------
    CorpusEvaluation

    Raises
    ------
    RequestError
        Unknown corpus name, or no file.
    FormatError
        A malformed record (the message names the file and the record).

    Notes
    -----
    Records are grouped by game (:attr:`CorpusRecord.game`, else equal cases): each game's pyramid reference
    (frontier, compromise package, Nash and joint maxima) is computed once, and all its agreements are
    measured at once by :func:`accord.analysis.pyramid.assess` — the engine behind ``accord evaluate`` — so a
    corpus of many records over few games costs one frontier per game plus numpy work per record. Rates count
    records, as corpus papers do (a dialogue recorded from both sides counts twice).
    """
    import numpy as np

    from accord.analysis.pyramid import assess, reference_for

    adapter = get_adapter(corpus) if isinstance(corpus, str) else corpus
    files = [path] if isinstance(path, str) else list(path)
    if not files:
        raise RequestError("no corpus file given")
    unit = str(getattr(adapter, "unit", "lines"))
    records: list[tuple[int, CorpusRecord]] = []
    for f, name in enumerate(files):
        for rec in adapter.records(name):
            records.append((f, rec))
            if progress is not None and len(records) % 1000 == 0:
                progress("read", len(records), None)
    # group agreements by game; within a game, by case object (to compute utilities in one call per case).
    # Structural keys are big nested tuples whose hash is recomputed on every use: number them once per case.
    game_of: dict[int, int] = {}
    numbers: dict[Hashable, int] = {}
    games: dict[int, dict[int, list[int]]] = {}
    for j, (_, rec) in enumerate(records):
        if rec.agreement is None:
            continue
        cid = id(rec.case)
        g = game_of.get(cid) if rec.game is None else None
        if g is None:
            key = rec.game if rec.game is not None else _structural_key(rec.case)
            g = numbers.setdefault(key, len(numbers))
            if rec.game is None:
                game_of[cid] = g
        games.setdefault(g, {}).setdefault(cid, []).append(j)
    n_agreed = sum(len(v) for g in games.values() for v in g.values())
    measured: dict[int, dict[str, Any]] = {}
    scales: set[str] = set()
    done = 0
    for by_case in games.values():
        first = records[next(iter(by_case.values()))[0]][1].case
        ref = reference_for(first)
        scales.add(ref.scale)
        order: list[int] = []
        parts = []
        labels: list[list[tuple[str, str]]] = []
        for idx in by_case.values():
            case = records[idx[0]][1].case
            pk = np.asarray([records[j][1].agreement for j in idx], dtype=np.int64)
            parts.append(case.utilities(pk))
            order.extend(idx)
            cols = [f"agreement_{i.name}" for i in case.issues]
            columns = [[issue.options[x] for x in pk[:, k].tolist()] for k, issue in enumerate(case.issues)]
            labels.extend([list(zip(cols, row, strict=True)) for row in zip(*columns, strict=True)])
        u = np.concatenate(parts)
        res = assess(ref, u)
        improvements = _improvement_counts(ref.frontier.utilities, np.asarray(ref.frontier.package_counts,
                                                                              dtype=object), u, ref.tol)
        names = first.party_names
        point_cols = [f"points_{p}" for p in names]
        left_cols = [f"value_left_{p}" for p in names]
        # plain Python values once per game (numpy scalars per cell would dominate the time)
        u_l = u.tolist()
        joint = res.joint_values.tolist()
        level = res.levels.tolist()
        rational = res.individually_rational.tolist()
        passing = (res.individually_rational if res.passes is None else res.passes).tolist()
        pareto = res.pareto_optimal.tolist()
        at_max = res.at_max_joint.tolist()
        nash = [None] * len(order) if res.nash_optimal is None else res.nash_optimal.tolist()
        left = res.value_left.tolist()
        dist = res.distance.tolist()
        imp = [int(x) for x in improvements]
        for r, j in enumerate(order):
            out: dict[str, Any] = dict(labels[r])
            out.update(zip(point_cols, u_l[r], strict=True))
            out["joint_value"] = joint[r]
            out["max_joint_value"] = ref.max_joint_value
            out["level"] = level[r]
            out["individually_rational"] = rational[r]
            out["passes"] = passing[r]
            out["pareto_optimal"] = pareto[r]
            out["at_max_joint"] = at_max[r]
            out["nash_optimal"] = nash[r]
            out.update(zip(left_cols, left[r], strict=True))
            out["improvement_count"] = imp[r]
            out["distance"] = dist[r]
            measured[j] = out
        done += len(order)
        if progress is not None:
            progress("evaluate", done, n_agreed)
    several = len(files) > 1
    rows: list[dict[str, Any]] = []
    outcomes: dict[str, int] = {}
    for j, (f, rec) in enumerate(records):
        outcomes[rec.outcome] = outcomes.get(rec.outcome, 0) + 1
        row: dict[str, Any] = {"file": files[f]} if several else {}
        row["line"] = rec.line
        row["outcome"] = rec.outcome
        row["agreed"] = rec.agreement is not None
        if rec.group is not None:
            row["group"] = rec.group
        row.update(rec.meta)
        m = measured.get(j)
        if m is not None:
            row.update(m)
        rows.append(row)
    parties = [rec.case.party_names if rec.agreement is not None else () for _, rec in records]
    aggregates = _figures(rows, parties, range(len(rows)), unit)
    aggregates["outcomes"] = outcomes
    aggregates["scale"] = None if not scales else scales.pop() if len(scales) == 1 else "mixed"
    aggregates["distinct_games"] = len(games)
    rank = {g: k for k, g in enumerate(getattr(adapter, "groups", ()))}
    members: dict[str, list[int]] = {}
    for j, (_, rec) in enumerate(records):
        if rec.group is not None:
            members.setdefault(rec.group, []).append(j)
    if members:
        aggregates["by_group"] = {g: _figures(rows, parties, members[g], unit)
                                  for g in sorted(members, key=lambda g: rank.get(g, len(rank)))}  # stable
    return CorpusEvaluation(adapter.name, ", ".join(files), tuple(rows), aggregates)


def _figures(rows: Sequence[dict[str, Any]], parties: Sequence[tuple[str, ...]], which: Iterable[int],
             unit: str) -> dict[str, Any]:
    """The corpus figures of some rows (all, or one group); ``parties[j]`` names row j's parties."""
    n = 0
    agreed = []
    for j in which:
        n += 1
        if rows[j]["agreed"]:
            agreed.append(j)
    by_party: dict[str, list[float]] = {}
    per_row_means = []
    for j in agreed:
        row = rows[j]
        pts = [row["points_" + p] for p in parties[j]]
        per_row_means.append(sum(pts) / len(pts))
        for p, x in zip(parties[j], pts, strict=True):
            by_party.setdefault(p, []).append(x)
    pareto = sum(1 for j in agreed if rows[j]["pareto_optimal"])
    levels = [0, 0, 0, 0]
    for j in agreed:
        levels[rows[j]["level"]] += 1
    return {
        "records": n,
        unit: n,
        "agreements": len(agreed),
        "agreement_rate": len(agreed) / n if n else float("nan"),
        "mean_points": _mean(per_row_means),
        "mean_points_by_party": {p: _mean(v) for p, v in by_party.items()},
        "mean_joint_points": _mean([rows[j]["joint_value"] for j in agreed]),
        "mean_max_joint_points": _mean([rows[j]["max_joint_value"] for j in agreed]),
        "pareto_optimal_rate": pareto / len(agreed) if agreed else float("nan"),
        "max_joint_rate": _mean([float(rows[j]["at_max_joint"]) for j in agreed]),
        "nash_rate": _mean([float(bool(rows[j]["nash_optimal"])) for j in agreed]),
        "pareto_optimal_count": pareto,
        "level_counts": {str(k): levels[k] for k in range(4)},
    }


def _improvement_counts(front: Any, counts: Any, u: Any, tol: float) -> Any:
    """Packages that dominate each row (on the frontier points weakly above it, other than its own point),
    as :func:`accord.analysis.pyramid.evaluate` counts its ``improvement_count``; in bounded chunks."""
    import numpy as np

    out = np.zeros(u.shape[0], dtype=object)
    if not front.shape[0]:
        return out
    step = max(1, 4_000_000 // max(1, front.shape[0] * front.shape[1]))
    weights = counts.astype(float) if sum(int(c) for c in counts) < 2**53 else None  # exact float sums
    for lo in range(0, u.shape[0], step):
        a = u[lo:lo + step]
        weakly = np.all(front[None, :, :] >= a[:, None, :] - tol, axis=2)
        same = np.all(front[None, :, :] <= a[:, None, :] + tol, axis=2)
        imp = weakly & ~same
        if weights is not None:
            out[lo:lo + step] = np.rint(imp.astype(float) @ weights).astype(np.int64)
        else:  # astronomically many packages per point: exact Python integers
            out[lo:lo + step] = [sum(counts[imp[r]]) for r in range(imp.shape[0])]
    return out


__all__ = [
    "CorpusAdapter",
    "CorpusEvaluation",
    "CorpusProgress",
    "CorpusRecord",
    "corpus_names",
    "evaluate_corpus",
    "get_adapter",
    "register",
]
