"""``accord tournament``: every negotiator against every other on every case, on one machine or a Dask cluster."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, load_case_arg, print_json


@app.command()
def tournament(
    cases: Annotated[list[str], typer.Argument(help="Case files (YAML or JSON).")],
    negotiators: Annotated[str, typer.Option(
        "--negotiators", "-n", help="Comma-separated negotiators (names or module:Class).")],
    output: Annotated[str, typer.Option("-o", "--output", help="Rows go to this .csv or .parquet file.")],
    protocol: Annotated[str, typer.Option(
        "--protocol", help="alternating | issue-by-issue | meso | mediated.")] = "alternating",
    repetitions: Annotated[int, typer.Option("--repetitions", help="Runs of each pairing (1–10000).")] = 1,
    rounds: Annotated[int, typer.Option("--rounds", help="Deadline: proposals per party.")] = 100,
    seed: Annotated[int, typer.Option("--seed", help="Base seed; each negotiation's seed derives from it.")] = 0,
    meso: Annotated[int, typer.Option("--meso", help="Packages per offer in the MESO exchange.")] = 3,
    backend: Annotated[str, typer.Option("--backend", help="serial | processes | dask.")] = "serial",
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes (default: the cores).")] = None,
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Address of a running Dask scheduler (tcp://HOST:PORT); needs --backend dask.")] = None,
    resume: Annotated[bool, typer.Option("--resume", help="Continue an interrupted run: skip the rows already "
                                                          "in the output.")] = False,
    overwrite: Annotated[bool, typer.Option("--overwrite", help="Replace an existing output file.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
) -> None:
    """Run a tournament: every ordered pairing on every case, each party opening in turn; deterministic rows."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from accord.negotiation.tournament import tournament as run
    from accord.report._console import literal_table as Table  # names print literally

    loaded = [load_case_arg(c) for c in cases]
    names = [s.strip() for s in negotiators.split(",") if s.strip()]
    err = console(stderr=True)
    with Progress(TextColumn("negotiations"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=err, transient=True, disable=json_out) as bar:
        task = bar.add_task("run", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = run(loaded, names, protocol=protocol, rounds=rounds, repetitions=repetitions, seed=seed, meso=meso,
                     backend=backend, workers=workers, scheduler=scheduler, output=output, resume=resume,
                     overwrite=overwrite, progress=progress)
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    out.print(f"{result.negotiations} negotiations ({result.skipped} already in the file) on {len(loaded)} case(s), "
              f"backend {result.backend} with {result.workers} worker(s); rows in {output}", markup=False)
    table = Table(title=f"Summary per negotiator ({protocol})")
    for col in ("negotiator", "protocol", "negotiations", "mean utility", "mean gain", "agreement rate",
                "mean joint value", "Pareto rate", "surplus share"):
        table.add_column(col, justify="left" if col in ("negotiator", "protocol") else "right")
    for s in result.summary:
        share = "—" if s["mean_surplus_share"] is None else f"{s['mean_surplus_share']:.2f}"
        table.add_row(s["negotiator"], s["protocol"], str(s["negotiations"]), f"{s['mean_utility']:,.4g}",
                      f"{s['mean_gain']:.3f}", f"{s['agreement_rate']:.2f}", f"{s['mean_joint_value']:,.4g}",
                      f"{s['pareto_rate']:.2f}", share)
    out.print(table)
    out.print("[dim]gain = (u − BATNA)/(best − BATNA) of the party played; surplus share over agreements[/dim]")
