"""``accord presettle``: what a binding partial agreement (a pre-settlement settlement) keeps and costs."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import MAX_LISTED, console, esc, load_case_arg, print_json


@app.command()
def presettle(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    fix: Annotated[str, typer.Option("--fix", help="The partial agreement: issue=option,...")],
    show: Annotated[int, typer.Option("--show", max=MAX_LISTED, help="Frontier points listed in the table.")] = 10,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Pre-settlement settlement: the frontier left by fixing some issues now, and the joint value it gives up."""
    from accord.cli._tactics import num, package_text
    from accord.report._console import literal_table as Table  # names print literally
    from accord.tactics.settlement import presettle as run

    if show < 0:
        from accord.errors import RequestError

        raise RequestError(f"--show must be 0 or more frontier points, not {show}")
    c = load_case_arg(case, profile)
    result = run(c, fix)
    if json_out:
        print_json(result.to_dict())
        return
    out = console()
    out.print(f"[bold]Pre-settlement[/bold] in {esc(repr(c.name))}: fixing {esc(package_text(result.fixed))}")
    lost = result.joint_value_lost
    full, fixed = result.outlook_full, result.outlook_fixed
    verdict = "[green]keeps the largest joint value[/green]" if result.keeps_max_joint_value else \
        f"[red]gives up {num(lost)}[/red] of joint value"
    out.print(f"{verdict} ({esc(result.scale)}: {num(full.max_joint_value)} → {num(fixed.max_joint_value)}); "
              f"frontier {len(result.full)} → {len(result.restricted)} points, {result.points_kept} kept")
    if fixed.zone_empty:
        out.print("[red]no package left by this fix gives every party its BATNA[/red]")
    table = Table(title="each side's outlook (its own points): whole space → after the fix")
    table.add_column("party")
    for col in ("best", "best in zone", "worst in zone", "worst"):
        table.add_column(col, justify="right")
    for i, p in enumerate(result.parties):
        cells = []
        for before, after in ((full.best, fixed.best), (full.best_in_zone, fixed.best_in_zone),
                              (full.worst_in_zone, fixed.worst_in_zone), (full.worst, fixed.worst)):
            va = None if before is None else float(before[i])
            vb = None if after is None else float(after[i])
            cells.append(f"{num(va)} → {num(vb)}")
        table.add_row(p, *cells)
    out.print(table)
    front = Table(title=f"frontier after the fix ({len(result.restricted)} points)")
    for p in result.parties:
        front.add_column(p, justify="right")
    front.add_column("packages", justify="right")
    front.add_column("example")
    for row, count, pkgs in list(zip(result.restricted.utilities, result.restricted.package_counts,
                                     result.restricted.packages, strict=True))[:show]:
        front.add_row(*[num(float(x)) for x in row], f"{count:,}",
                      package_text(result.restricted.labels(pkgs[0])))
    out.print(front)
    for name, o in (("whole space", full), ("after the fix", fixed)):
        if o.nash is not None:
            u = ", ".join(f"{p} {num(v)}" for p, v in o.nash["utilities"].items())
            out.print(f"Nash point, {name}: {u}", markup=False)
