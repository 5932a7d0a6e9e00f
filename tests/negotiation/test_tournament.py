"""Tournaments: the same rows on every backend (serial, processes, Dask LocalCluster), resume, seeds."""

from __future__ import annotations

from pathlib import Path

import pytest

from accord.errors import RequestError
from accord.io import load_case
from accord.negotiation.backends import DaskBackend
from accord.negotiation.tournament import COLUMNS, jobs_for, read_rows, tournament

ROOT = Path(__file__).resolve().parents[2]
CASES = [load_case(ROOT / "examples" / f"{n}.yaml") for n in ("job-offer", "item-split")]
NEGS = ["boulware", "conceder", "random", "tit-for-tat"]


def test_rows_are_identical_on_every_backend(tmp_path: Path) -> None:
    serial = tournament(CASES, NEGS, rounds=30, repetitions=2, seed=7, output=str(tmp_path / "s.csv"))
    procs = tournament(CASES, NEGS, rounds=30, repetitions=2, seed=7, backend="processes", workers=2,
                       output=str(tmp_path / "p.csv"))
    # a Dask LocalCluster with 2 workers; processes=False keeps the test fast (the task function is
    # module-level, so process workers run it as well: see benchmarks/bench_negotiation.py)
    be = DaskBackend(2, processes=False)
    try:
        dask = tournament(CASES, NEGS, rounds=30, repetitions=2, seed=7, backend=be,
                          output=str(tmp_path / "d.parquet"))
    finally:
        be.close()
    assert be.workers == 2
    assert serial.negotiations == 2 * 16 * 2 * 2
    assert serial.rows == procs.rows == dask.rows
    assert (tmp_path / "s.csv").read_bytes() == (tmp_path / "p.csv").read_bytes()
    assert read_rows(tmp_path / "d.parquet") == list(serial.rows)
    other = tournament(CASES, NEGS, rounds=30, repetitions=2, seed=8)
    assert other.rows != serial.rows  # the seed matters (random negotiators)


def test_resume_skips_finished_negotiations_and_gives_the_same_file(tmp_path: Path) -> None:
    full = tmp_path / "full.csv"
    tournament(CASES, NEGS, rounds=25, output=str(full))
    lines = full.read_text().splitlines()
    part = tmp_path / "part.csv"
    # an interrupted run: a header, some rows, and a row cut in the middle
    part.write_text("\n".join(lines[:31]) + "\n" + lines[31][:20] + "\n")
    seen: list[tuple[int, int]] = []
    res = tournament(CASES, NEGS, rounds=25, output=str(part), resume=True,
                     progress=lambda d, t: seen.append((d, t)))
    assert res.skipped == 15 and seen[0] == (15, res.negotiations)
    assert part.read_bytes() == full.read_bytes()
    with pytest.raises(RequestError, match="resume with the same settings"):
        tournament(CASES, NEGS, rounds=26, output=str(part), resume=True)
    with pytest.raises(RequestError, match="exists"):
        tournament(CASES, NEGS, rounds=25, output=str(part))
    assert tuple(full.read_text().splitlines()[0].split(",")) == COLUMNS


def test_every_ordered_pairing_each_opener() -> None:
    jobs = jobs_for(CASES[:1], ["a", "b"], repetitions=3, seed=0)
    assert len(jobs) == 4 * 2 * 3 and len({j.key for j in jobs}) == len(jobs)
    assert len({j.seed for j in jobs}) == len(jobs)
    with pytest.raises(RequestError, match="unknown backend"):
        tournament(CASES, NEGS, backend="cloud")
    with pytest.raises(RequestError, match="unknown negotiator"):
        tournament(CASES, ["boulware", "nobody"])
