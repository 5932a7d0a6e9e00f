"""Where tournament work runs: in this process, in local worker processes, or on a Dask cluster.

One small interface, :class:`Backend`: ``run(fn, tasks)`` yields each task's result as soon as it is done (in
completion order — the caller sorts), and ``close()``. ``fn`` must be a module-level function so that worker
processes and Dask workers can import it; tasks and results must pickle.

* ``serial`` — a loop in this process.
* ``processes`` — :class:`concurrent.futures.ProcessPoolExecutor` with ``workers`` processes (the ``spawn``
  start method, so workers never inherit the parent's threads or locks).
* ``dask`` — a :class:`dask.distributed.Client` on a new ``LocalCluster`` of ``workers`` single-threaded worker
  processes, or on an existing scheduler (``scheduler="tcp://host:8786"``). Workers of a real cluster need
  the same version of Accord (and numpy) installed as the machine that submits the tournament.

Results never depend on the backend: every negotiation's seed is derived from its own identity, not from
where or when it runs (see :mod:`accord.negotiation.tournament`).
"""

from __future__ import annotations

import contextlib
import importlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from accord.errors import RequestError

__all__ = ["BACKENDS", "Backend", "DaskBackend", "ProcessBackend", "SerialBackend", "make_backend"]

BACKENDS = ("serial", "processes", "dask")
#: Bound on worker processes a user may ask for on this machine.
MAX_WORKERS = 256


class Backend:
    """Run module-level ``fn`` over ``tasks``; yield results as they finish."""

    name = "backend"
    workers = 1

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        raise NotImplementedError

    def close(self) -> None:
        return None

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SerialBackend(Backend):
    name = "serial"

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        for task in tasks:
            yield fn(task)


class ProcessBackend(Backend):
    name = "processes"

    def __init__(self, workers: int) -> None:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self.workers = workers
        self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        from concurrent.futures import as_completed

        futures = [self.pool.submit(fn, t) for t in tasks]
        for fut in as_completed(futures):
            yield fut.result()

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskBackend(Backend):
    name = "dask"

    def __init__(self, workers: int, scheduler: str | None = None, *, processes: bool = True) -> None:
        try:
            # imported as a module object: dask.distributed ships no type information
            dd: Any = importlib.import_module("dask.distributed")
        except ImportError:
            raise RequestError("the dask backend needs dask.distributed: pip install 'accord[dask]'") from None
        self.cluster: Any = None
        if scheduler:
            try:
                self.client = dd.Client(scheduler, timeout="10s")
            except OSError as err:
                raise RequestError(f"cannot reach the Dask scheduler at {scheduler} ({err}); start it with "
                                   "'dask scheduler' and check the address") from None
            self.workers = max(1, len(self.client.scheduler_info().get("workers", {})))
        else:
            self.cluster = dd.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                        dashboard_address=None, silence_logs=40)
            self.client = dd.Client(self.cluster)
            self.workers = workers

    def run(self, fn: Callable[[Any], Any], tasks: Iterable[Any]) -> Iterator[Any]:
        dd: Any = importlib.import_module("dask.distributed")
        futures = [self.client.submit(fn, t, pure=False) for t in tasks]
        for fut in dd.as_completed(futures):
            yield fut.result()

    def close(self) -> None:
        # the results are in by now: a comm that closes untidily on a busy machine must not fail the run
        # (dask's CommClosedError is an OSError)
        with contextlib.suppress(OSError, TimeoutError, RuntimeError):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(OSError, TimeoutError, RuntimeError):
                self.cluster.close()


def make_backend(name: str, workers: int | None = None, scheduler: str | None = None, *,
                 dask_processes: bool = True) -> Backend:
    """The backend called ``name`` (``serial``, ``processes`` or ``dask``).

    Raises
    ------
    RequestError
        Unknown backend, a worker count outside 1..256, or a scheduler given for another backend.
    """
    if name not in BACKENDS:
        raise RequestError(f"unknown backend {name!r}; choose one of {', '.join(BACKENDS)}")
    if scheduler and name != "dask":
        raise RequestError("--scheduler goes with --backend dask")
    n = workers if workers is not None else (os.cpu_count() or 1)
    if not 1 <= n <= MAX_WORKERS:
        raise RequestError(f"workers must be between 1 and {MAX_WORKERS}, not {n}")
    if name == "serial":
        return SerialBackend()
    if name == "processes":
        return ProcessBackend(n)
    return DaskBackend(n, scheduler, processes=dask_processes)
