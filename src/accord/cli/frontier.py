"""``accord frontier``: the exact Pareto frontier of a case, whole or restricted (docs/concepts.md#frontier-and-ties,
#tactics-that-create-value)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import (
    MAX_ENGINE_LIMIT,
    MAX_GRID,
    MAX_LISTED,
    console,
    esc,
    load_case_arg,
    print_json,
    write_output,
)

if TYPE_CHECKING:
    from accord.analysis.frontier import Frontier
    from accord.model import Case

#: Spaces above this size get a progress display (on a terminal).
_PROGRESS_FROM = 10**7
#: Points shown at each end of the human-readable table.
_SHOWN = 8


@app.command()
def frontier(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the frontier as JSON.")] = False,
    cap: Annotated[int, typer.Option("--cap", max=MAX_LISTED,
                                     help="Packages listed per point (the count is always exact).")] = 10,
    rational: Annotated[bool, typer.Option("--rational", help="Only individually rational packages.")] = False,
    fix: Annotated[str | None, typer.Option(
        "--fix", help="Fix issues first (a pre-settlement): issue=option,...")] = None,
    at_least: Annotated[str | None, typer.Option(
        "--at-least", help="Only packages giving these parties at least these points: party=points,...")] = None,
    preferred_to: Annotated[str | None, typer.Option(
        "--preferred-to", help="Only packages every party weakly prefers to this agreement "
                               "(post-settlement): issue=option,...")] = None,
    grid: Annotated[int | None, typer.Option(
        "--grid", max=MAX_GRID,
        help="Grid points for every real interval of a case file (default: as the file says, or 11).")
    ] = None,
    limit: Annotated[int | None, typer.Option(
        "--limit", max=MAX_ENGINE_LIMIT,
        help="Most partial packages the engine may hold before it gives up (default 2,000,000).")
    ] = None,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Also write the JSON to this file.")] = None,
) -> None:
    """The exact Pareto frontier: every undominated utility vector, its package count and up to --cap packages.

    Restrict it with --rational (the bargaining zone), --fix (a pre-settlement), --at-least or
    --preferred-to (a post-settlement search). Real intervals are analysed on a grid, stated in the output.
    """
    from accord.analysis.frontier import DEFAULT_LIMIT, pareto_frontier
    from accord.errors import RequestError
    from accord.model import parse_assignment

    if cap < 0:
        raise RequestError(f"--cap must be 0 or more, not {cap}")
    if limit is not None and limit < 1:
        raise RequestError(f"--limit must be at least 1 partial package, not {limit}")
    c = _load(case, profile, grid)
    fixed = c.partial(parse_assignment(fix)) if fix else None
    bounds = _at_least(c, at_least) if at_least else None
    agreement = c.package(preferred_to) if preferred_to else None
    kwargs: dict[str, Any] = {"cap": cap, "rational": rational, "fixed": fixed, "at_least": bounds,
                              "preferred_to": agreement, "limit": DEFAULT_LIMIT if limit is None else limit}
    if c.space_size > _PROGRESS_FROM and sys.stderr.isatty():
        f = _with_progress(c, kwargs)
    else:
        f = pareto_frontier(c, **kwargs)
    data = f.to_dict()
    data["case"] = c.name
    data["packages_in_space"] = str(c.space_size)
    data["packages_on_frontier"] = str(f.total_packages)
    if output:
        import json

        from accord.cli._common import _clean

        write_output(output, json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n")
    if json_out:
        print_json(data)
        return
    _table(c, f)


def _load(path: str, profiles: list[str] | None, grid: int | None) -> Case:
    """Load the case; with --grid, rebuild a case file with every real interval on that many points."""
    c = load_case_arg(path, profiles)
    if grid is None:
        return c
    from accord.errors import RequestError

    if grid < 2:
        raise RequestError(f"--grid must be at least 2 points, not {grid}")
    real = [i.name for i in c.issues if i.type == "real"]
    if not real:
        return c
    if profiles or Path(path).suffix.lower() == ".xml":
        raise RequestError("--grid applies to Accord case files; GENIUS real issues keep the importer's grid",
                           file=path)
    from accord.io import case_from_data
    from accord.io.casefile import load_case_data

    data = load_case_data(path)  # the same size, alias and nesting limits as every case file
    for name in real:
        spec = data["issues"][name]
        if isinstance(spec, dict):
            spec["grid"] = grid
    return case_from_data(data, file=path)


def _at_least(c: Case, text: str) -> list[float]:
    """``party=points,...`` → one bound per party (−inf where none is given)."""
    from accord.errors import RequestError

    bounds = [float("-inf")] * c.n_parties
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise RequestError(f"--at-least: {part!r} is not party=points; write e.g. alice=60,bob=40")
        name, value = (s.strip() for s in part.split("=", 1))
        i = c.party_index(name)
        try:
            x = float(value)
        except ValueError:
            raise RequestError(f"--at-least: {value!r} is not a number of points for {name!r}; "
                               f"write e.g. {name}=60") from None
        if x != x or x in (float("inf"), float("-inf")):
            raise RequestError(f"--at-least: give {name!r} a finite number of points, not {value!r}")
        bounds[i] = x
    return bounds


def _with_progress(c: Case, kwargs: dict[str, Any]) -> Frontier:
    """Run the engine with a transient progress bar on stderr (one tick per issue)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from accord.analysis.frontier import pareto_frontier

    with Progress(TextColumn("frontier"), BarColumn(), TextColumn("{task.completed:,}/{task.total:,}"),
                  TextColumn("{task.fields[states]} partial packages"), TimeElapsedColumn(),
                  console=console(stderr=True), transient=True) as bar:
        task = bar.add_task("frontier", total=c.n_issues, states="1")

        def tick(done: int, total: int, states: int) -> None:
            bar.update(task, completed=done, total=total, states=f"{states:,}")

        return pareto_frontier(c, progress=tick, **kwargs)


def _table(c: Case, f: Frontier) -> None:
    """Human-readable summary: size, method, restriction, grid and the first and last points."""
    from accord._format import fmt_number
    from accord.report._console import literal_table as Table  # names print literally

    out = console()
    out.print(f"[bold]{esc(c.name)}[/bold]: {len(f):,} frontier points, {f.total_packages:,} of "
              f"{c.space_size:,} packages on them (exact)")
    out.print(f"method: {f.method}", markup=False)
    if f.restriction:
        out.print(f"restricted to: {f.restriction}", markup=False)
    if f.grid:
        out.print(f.grid, markup=False)
    if not len(f):
        out.print("[yellow]no package meets the restriction[/yellow]")
        return
    table = Table(show_lines=False)
    table.add_column("#", justify="right")
    for p in f.parties:
        table.add_column(p, justify="right")
    table.add_column("packages", justify="right")
    table.add_column("first package")
    n = len(f)
    shown = list(range(n)) if n <= 2 * _SHOWN else [*range(_SHOWN), -1, *range(n - _SHOWN, n)]
    for j in shown:
        if j < 0:
            table.add_row("…", *["…"] * len(f.parties), "…", f"({n - 2 * _SHOWN:,} more points)")
            continue
        first = f.packages[j][0] if f.packages[j] else None
        label = ", ".join(f"{k}={v}" for k, v in f.labels(first).items()) if first is not None else ""
        table.add_row(str(j + 1), *[fmt_number(float(u), digits=6) for u in f.utilities[j]],
                      f"{f.package_counts[j]:,}", label)
    out.print(table)
