"""Tournaments: every assignment of negotiators to parties on every case, roles swapped, repeated.

For each case, every ordered assignment of the negotiators to the case's parties (with two parties: every
ordered pair, including a negotiator against itself, so each plays each role), each party opening in turn, and
``repetitions`` repetitions. Each negotiation's seed is derived with :class:`numpy.random.SeedSequence` from
(seed, case, assignment, opener, repetition) — its identity, never its position in a queue — so the rows are the
same, value for value, whatever the backend and the number of workers.

Rows (one per negotiation and party) are written to CSV or Parquet as the work finishes, so an interrupted run
can be resumed (``resume=True`` skips the negotiations already in the file). When the run completes, the file is
rewritten sorted by negotiation and party, so its bytes do not depend on the order in which work finished.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import itertools
import os
import pickle
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import RequestError
from accord.model import Case
from accord.negotiation.arena import Arena
from accord.negotiation.backends import Backend, make_backend
from accord.negotiation.measures import Measurer
from accord.negotiation.meso_exchange import DEFAULT_MESO
from accord.negotiation.registry import resolve
from accord.negotiation.simulate import check_request, negotiate

__all__ = ["COLUMNS", "MAX_NEGOTIATIONS", "Job", "TournamentResult", "jobs_for", "negotiation_seed", "run_chunk",
           "summarise", "tournament"]

#: Bound on the negotiations one tournament may hold.
MAX_NEGOTIATIONS = 5_000_000

COLUMNS = ("job", "case", "protocol", "deadline", "seed", "repetition", "opener", "party", "negotiator",
           "opponents", "agreement", "rounds", "utility", "batna", "gain", "surplus_share", "joint_value",
           "pareto_optimal", "level", "distance_frontier", "distance_nash", "lose_lose")


@dataclass(frozen=True)
class Job:
    """One negotiation of a tournament."""

    key: str
    case: int
    assignment: tuple[tuple[str, str], ...]  # (party, negotiator) in the case's party order
    opener: str
    repetition: int
    seed: int


@dataclass(frozen=True)
class _Task:
    case: Case
    label: str
    fingerprint: str
    jobs: tuple[Job, ...]
    protocol: str
    rounds: int
    meso: int
    deadline_seed: int


def negotiation_seed(seed: int, case: str, assignment: Sequence[tuple[str, str]], opener: str,
                     repetition: int) -> int:
    """The seed of one negotiation, from its identity alone (party-order free: the assignment is sorted).

    Examples
    --------
    >>> negotiation_seed(0, "c", [("A", "x"), ("B", "y")], "A", 0) == negotiation_seed(0, "c", [("B", "y"),
    ...     ("A", "x")], "A", 0)
    True
    """
    ident = "|".join(f"{p}={n}" for p, n in sorted(assignment))
    words = [int(seed) % 2**32, zlib.crc32(case.encode()), zlib.crc32(ident.encode()), zlib.crc32(opener.encode()),
             int(repetition)]
    return int(np.random.SeedSequence(words).generate_state(1, dtype=np.uint64)[0] % np.uint64(2**63))


def _labels(cases: Sequence[Case]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for c in cases:
        seen[c.name] = seen.get(c.name, 0) + 1
        out.append(c.name if seen[c.name] == 1 else f"{c.name} #{seen[c.name]}")
    return out


def jobs_for(cases: Sequence[Case], negotiators: Sequence[str], *, repetitions: int, seed: int) -> list[Job]:
    """Every negotiation of the tournament, in a fixed order."""
    labels = _labels(cases)
    out = []
    for ci, (case, label) in enumerate(zip(cases, labels, strict=True)):
        for combo in itertools.product(negotiators, repeat=case.n_parties):
            assignment = tuple(zip(case.party_names, combo, strict=True))
            for opener in case.party_names:
                for rep in range(repetitions):
                    # party names sorted: the key (and the rows' order) does not depend on the case's party order
                    key = f"{label}|{'|'.join(f'{p}={n}' for p, n in sorted(assignment))}|open={opener}|rep={rep}"
                    out.append(Job(key, ci, assignment, opener, rep,
                                   negotiation_seed(seed, label, assignment, opener, rep)))
    return out


_ARENAS: dict[str, tuple[Arena, Measurer]] = {}


def run_chunk(task: _Task) -> list[dict[str, Any]]:
    """Run a chunk of one case's negotiations (module level, so worker processes can import it)."""
    hit = _ARENAS.get(task.fingerprint)
    if hit is None:
        if len(_ARENAS) > 64:
            _ARENAS.clear()
        hit = (Arena(task.case), Measurer(task.case))
        _ARENAS[task.fingerprint] = hit
    arena, measurer = hit
    case = task.case
    factories = {}
    outcomes = []
    for job in task.jobs:
        names = dict(job.assignment)
        for n in names.values():
            if n not in factories:
                factories[n] = resolve(n)
        k = case.party_names.index(job.opener)
        order = case.party_names[k:] + case.party_names[:k]
        out = negotiate(arena, {p: factories[names[p]] for p in case.party_names}, order, protocol=task.protocol,
                        rounds=task.rounds, seed=job.seed, meso=task.meso)
        outcomes.append(out)
    measures = measurer.measure([o.package for o in outcomes])
    ideal = measurer.ideal
    b = case.batnas
    rows = []
    for job, out, m in zip(task.jobs, outcomes, measures, strict=True):
        names = dict(job.assignment)
        for i, p in enumerate(case.party_names):
            span = float(ideal[i] - b[i])
            u = m.utilities[p]
            rows.append({
                "job": job.key, "case": task.label, "protocol": task.protocol, "deadline": task.rounds,
                "seed": task.deadline_seed, "repetition": job.repetition, "opener": job.opener, "party": p,
                "negotiator": names[p], "opponents": ",".join(names[q] for q in case.party_names if q != p),
                "agreement": int(m.agreement), "rounds": out.rounds, "utility": u, "batna": float(b[i]),
                "gain": (u - float(b[i])) / span if span > 0 else 0.0, "surplus_share": _finite(m.shares[p]),
                "joint_value": m.joint_value, "pareto_optimal": int(m.pareto_optimal), "level": m.level,
                "distance_frontier": m.distance_frontier, "distance_nash": m.distance_nash, "lose_lose": m.lose_lose,
            })
    return rows


def _finite(x: float) -> float | None:
    """NaN (nobody gains, so no share) becomes None: rows must compare equal to themselves."""
    return float(x) if np.isfinite(x) else None


# -- files ---------------------------------------------------------------------------------------------------
def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return "" if not np.isfinite(v) else repr(v)
    return str(v)


def _parse(col: str, text: str) -> Any:
    if text == "":
        return None
    if col in ("deadline", "seed", "repetition", "agreement", "rounds", "pareto_optimal", "level", "lose_lose"):
        return int(text)
    if col in ("utility", "batna", "gain", "surplus_share", "joint_value", "distance_frontier", "distance_nash"):
        return float(text)
    return text


def _journal(path: Path) -> Path:
    return path if path.suffix.lower() == ".csv" else path.with_name(path.name + ".partial.csv")


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a tournament file (CSV or Parquet) — or of its unfinished journal."""
    p = Path(path)
    if p.suffix.lower() == ".parquet" and p.exists():
        pq: Any = importlib.import_module("pyarrow.parquet")  # no type information in pyarrow
        table = pq.read_table(p)
        rows: list[dict[str, Any]] = table.to_pylist()
        return rows
    j = _journal(p)
    if not j.exists():
        return []
    with j.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or tuple(reader.fieldnames) != COLUMNS:
            raise RequestError("this is not an Accord tournament file (its columns differ); choose another -o",
                               file=str(j))
        # a row cut short by an interruption has missing cells: drop it (its negotiation runs again)
        return [{c: _parse(c, r[c]) for c in COLUMNS} for r in reader if None not in r.values()]


def _write_final(path: Path, rows: list[dict[str, Any]]) -> None:
    rows = sorted(rows, key=lambda r: (r["job"], r["party"]))
    tmp = path.with_name(path.name + ".tmp")
    if path.suffix.lower() == ".parquet":
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
        pq.write_table(pa.Table.from_pylist(rows), tmp)
    else:
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(COLUMNS)
            for r in rows:
                w.writerow([_cell(r[c]) for c in COLUMNS])
    os.replace(tmp, path)
    j = _journal(path)
    if j != path and j.exists():
        j.unlink()


# -- summary -------------------------------------------------------------------------------------------------
def summarise(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per negotiator and protocol: negotiations, mean utility and gain, agreement rate, mean joint value,
    Pareto rate, mean surplus share (over agreements)."""
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["negotiator"], r["protocol"]), []).append(r)
    out = []
    for (neg, proto), rs in sorted(groups.items()):
        agreed = [r for r in rs if r["agreement"]]
        shares = [r["surplus_share"] for r in agreed if r["surplus_share"] is not None]
        out.append({
            "negotiator": neg, "protocol": proto, "negotiations": len(rs),
            "mean_utility": float(np.mean([r["utility"] for r in rs])),
            "mean_gain": float(np.mean([r["gain"] for r in rs])),
            "agreement_rate": len(agreed) / len(rs),
            "mean_joint_value": float(np.mean([r["joint_value"] for r in rs])),
            "pareto_rate": float(np.mean([r["pareto_optimal"] for r in rs])),
            "mean_surplus_share": float(np.mean(shares)) if shares else None,
        })
    return out


@dataclass(frozen=True)
class TournamentResult:
    """Rows (one per negotiation and party, sorted) and the summary per negotiator and protocol."""

    rows: tuple[dict[str, Any], ...]
    summary: tuple[dict[str, Any], ...]
    negotiations: int
    skipped: int
    backend: str
    workers: int
    output: str | None = None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {"negotiations": self.negotiations, "resumed_from_file": self.skipped, "backend": self.backend,
                "workers": self.workers, "output": self.output, "summary": list(self.summary),
                "notes": list(self.notes)}


def tournament(cases: Sequence[Case], negotiators: Sequence[str], *, protocol: str = "alternating",
               rounds: int = 100, repetitions: int = 1, seed: int = 0, meso: int = DEFAULT_MESO,
               backend: str | Backend = "serial", workers: int | None = None, scheduler: str | None = None,
               output: str | None = None, resume: bool = False, overwrite: bool = False,
               chunk: int | None = None, progress: Callable[[int, int], None] | None = None) -> TournamentResult:
    """Run a tournament.

    Parameters
    ----------
    cases : sequence of Case
    negotiators : sequence of str
        Registered names or ``module:Class`` (every worker must be able to import them).
    protocol, rounds, seed, meso
        As in :func:`accord.negotiation.simulate.simulate`.
    repetitions : int
        Runs of each (case, assignment, opener) with different derived seeds.
    backend : {"serial", "processes", "dask"} or Backend
    workers : int, optional
        Worker processes (default: the machine's cores).
    scheduler : str, optional
        Address of an existing Dask scheduler (``tcp://host:8786``).
    output : str, optional
        ``.csv`` or ``.parquet`` file for the rows.
    resume : bool
        Skip the negotiations already in ``output`` (same protocol, deadline and seed required).
    overwrite : bool
        Replace an existing ``output`` instead of refusing.
    chunk : int, optional
        Negotiations per task (default: each case in as few tasks as give about 4 tasks per worker).
    progress : callable, optional
        ``progress(done, total)`` after every finished task.

    Returns
    -------
    TournamentResult

    Raises
    ------
    RequestError
        Unknown negotiator, protocol or backend; too many negotiations; an existing output without
        ``resume``/``overwrite``; an output of another tournament.
    """
    if not negotiators:
        raise RequestError("give at least one negotiator")
    for n in negotiators:
        resolve(n)
    if not cases:
        raise RequestError("give at least one case")
    for c in cases:
        check_request(protocol, rounds, c, meso)
    if not 1 <= repetitions <= 10_000:
        raise RequestError(f"repetitions must be between 1 and 10000, not {repetitions}")
    total = sum(len(negotiators) ** c.n_parties * c.n_parties for c in cases) * repetitions
    if total > MAX_NEGOTIATIONS:
        raise RequestError(f"this tournament holds {total:,} negotiations, more than {MAX_NEGOTIATIONS:,}; use fewer "
                           "negotiators, cases or repetitions")
    out_path = Path(output) if output else None
    if out_path is not None and out_path.suffix.lower() not in (".csv", ".parquet"):
        raise RequestError("the output must end in .csv or .parquet", file=str(out_path))
    all_jobs = jobs_for(cases, negotiators, repetitions=repetitions, seed=seed)
    done_rows: list[dict[str, Any]] = []
    if out_path is not None:
        exists = out_path.exists() or _journal(out_path).exists()
        if exists and resume:
            done_rows = read_rows(out_path)
            for r in done_rows[:1]:
                if (r["protocol"], r["deadline"], r["seed"]) != (protocol, rounds, seed):
                    raise RequestError(f"the file holds a tournament with protocol {r['protocol']}, {r['deadline']} "
                                       f"rounds and seed {r['seed']}; resume with the same settings",
                                       file=str(out_path))
        elif exists and not overwrite:
            raise RequestError("the output file exists; pass --resume to continue it or --overwrite to replace it",
                               file=str(out_path))
    parties_per_job = {j.key: cases[j.case].n_parties for j in all_jobs}
    counts: dict[str, int] = {}
    for r in done_rows:
        counts[r["job"]] = counts.get(r["job"], 0) + 1
    finished = {k for k, v in counts.items() if v == parties_per_job.get(k)}
    done_rows = [r for r in done_rows if r["job"] in finished]
    todo = [j for j in all_jobs if j.key not in finished]
    be = backend if isinstance(backend, Backend) else make_backend(backend, workers, scheduler)
    labels = _labels(cases)
    fps = [hashlib.sha1(pickle.dumps((c.name, c.issues, c.parties, c.preferences, c.shared_scales))).hexdigest()
           for c in cases]
    tasks = []
    by_case: dict[int, list[Job]] = {}
    for j in todo:
        by_case.setdefault(j.case, []).append(j)
    # Each worker builds a case's arena and measures once per case it sees, so a case is split over as few
    # tasks as still keep every worker busy (about 4 tasks per worker in all).
    pieces = max(1, -(-4 * be.workers // max(1, len(by_case))))
    for ci, js in by_case.items():
        size = chunk or max(1, -(-len(js) // pieces))
        for s in range(0, len(js), size):
            tasks.append(_Task(cases[ci], labels[ci], fps[ci], tuple(js[s:s + size]), protocol, rounds, meso, seed))
    rows = list(done_rows)
    journal = _journal(out_path) if out_path is not None else None
    fh = None
    try:
        if journal is not None:
            fresh = not journal.exists() or not resume
            fh = journal.open("w" if fresh else "a", newline="", encoding="utf-8")
            writer = csv.writer(fh, lineterminator="\n")
            if fresh:
                writer.writerow(COLUMNS)
                for r in done_rows:
                    writer.writerow([_cell(r[c]) for c in COLUMNS])
            fh.flush()
        done = len(finished)
        if progress is not None:
            progress(done, len(all_jobs))
        for result in be.run(run_chunk, tasks):
            rows.extend(result)
            if fh is not None:
                for r in result:
                    writer.writerow([_cell(r[c]) for c in COLUMNS])
                fh.flush()
            done += len({r["job"] for r in result})
            if progress is not None:
                progress(done, len(all_jobs))
    finally:
        if fh is not None:
            fh.close()
        if not isinstance(backend, Backend):
            be.close()
    rows.sort(key=lambda r: (r["job"], r["party"]))
    if out_path is not None:
        _write_final(out_path, rows)
    return TournamentResult(tuple(rows), tuple(summarise(rows)), len(all_jobs), len(finished), be.name, be.workers,
                            str(out_path) if out_path else None)
