"""``accord experiment seed-claims``: the seed's behavioural claims, measured with confidence intervals."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, print_json, write_output

experiment_app = typer.Typer(help="Experiments that test the seed's claims by simulation.", no_args_is_help=True)
app.add_typer(experiment_app, name="experiment")


@experiment_app.command("seed-claims")
def seed_claims(
    output: Annotated[str | None, typer.Option("-o", "--output", help="Write the HTML report to this file.")] = None,
    cases: Annotated[int, typer.Option("--cases", help="Seeded random cases with a mix of issue kinds (0–1000).")
                     ] = 12,
    examples: Annotated[str | None, typer.Option(
        "--examples", help="Folder of case files to add (its two-party cases); default: ./examples if it exists.")
    ] = None,
    no_examples: Annotated[bool, typer.Option("--no-examples", help="Use only the random cases.")] = False,
    rounds: Annotated[int, typer.Option("--rounds", help="Deadline of every negotiation.")] = 60,
    repetitions: Annotated[int, typer.Option("--repetitions", help="Runs of each pairing.")] = 1,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the cases, negotiations and bootstrap.")] = 0,
    backend: Annotated[str, typer.Option("--backend", help="serial | processes | dask.")] = "serial",
    workers: Annotated[int | None, typer.Option("--workers", help="Worker processes.")] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Dask scheduler address.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the statistics as JSON.")] = False,
) -> None:
    """Package vs issue-by-issue, enlightened vs old-fashioned vs flower child, MESOs, revealing priorities."""
    from rich.text import Text

    from accord.errors import RequestError
    from accord.negotiation.experiment import bundled_examples
    from accord.negotiation.experiment import seed_claims as run
    from accord.report._console import literal_table as Table  # names print literally
    from accord.report.simulation_html import experiment_report

    extra = []
    if not no_examples:
        folder = Path(examples) if examples else Path("examples")
        if examples and not folder.is_dir():
            raise RequestError(f"--examples {examples} is not a folder of case files")
        if folder.is_dir():
            extra = bundled_examples(folder)
    err = console(stderr=True)
    result = run(random_cases=cases, examples=extra, rounds=rounds, repetitions=repetitions, seed=seed,
                 backend=backend, workers=workers, scheduler=scheduler,
                 progress=None if json_out else (lambda name: err.print(f"[dim]running: {name}[/dim]")))
    if output:
        write_output(output, experiment_report(result))
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    out.print(f"{result.negotiations} negotiations on {len(result.cases)} cases; {rounds} rounds; seed {seed}; "
              "95 % bootstrap intervals of paired differences")
    for claim in result.claims:
        table = Table(title=claim.statement, title_justify="left")
        for col in ("measure", "A", "B", "A − B [95% CI]", "n", "verdict"):
            table.add_column(col)
        for c in claim.comparisons:
            colour = {"supported": "green", "contradicted": "red"}.get(c.verdict, "yellow")
            table.add_row(c.measure, f"{c.a[0]:.3f}", f"{c.b[0]:.3f}",
                          f"{c.difference[0]:+.3f} [{c.difference[1]:+.3f}, {c.difference[2]:+.3f}]", str(c.n),
                          Text(c.verdict, style=colour))  # a styled cell: literal_table keeps it
        out.print(table)
        out.print(f"[dim]A = {claim.condition_a}; B = {claim.condition_b}[/dim]")
    if output:
        out.print(f"report written to {output}", markup=False)
