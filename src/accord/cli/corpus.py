"""``accord corpus NAME FILE...``: evaluate every agreement of a negotiation corpus and sum the corpus up.

The corpus name is looked up among the registered corpus adapters (:mod:`accord.corpora`: ``dealornodeal``,
``casino``, ``jsonl`` — Accord's own JSON Lines format — and any plug-in); each record becomes an ordinary
case whose agreement is measured by the same engine as ``accord evaluate``, one frontier per distinct game.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import console, esc, print_json, write_output

#: Files larger than this (bytes, all together) get a progress bar on a terminal.
_PROGRESS_BYTES = 2_000_000


@app.command()
def corpus(
    name: Annotated[str, typer.Argument(help="The corpus format: dealornodeal, casino, jsonl, ...")],
    files: Annotated[list[str], typer.Argument(help="The corpus file(s) (e.g. val.txt, casino_train.json).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the aggregate figures as JSON.")] = False,
    per_row: Annotated[str | None, typer.Option(
        "--per-row", "--per-line",
        help="Write one CSV row per record of the corpus (outcome, points, level, ...).")] = None,
) -> None:
    """Evaluate every agreement of a corpus (pyramid, Pareto, joint and Nash maxima) and print the figures."""
    import os

    from accord.corpora import evaluate_corpus, get_adapter

    adapter = get_adapter(name)  # unknown name: one line listing the known corpora, exit 2
    out = console()
    err = console(stderr=True)
    size = sum(os.path.getsize(f) for f in files if os.path.isfile(f))
    if size > _PROGRESS_BYTES and err.is_terminal and not json_out:
        from rich.progress import Progress

        with Progress(console=err, transient=True) as bar:
            task = bar.add_task("reading", total=None)

            def report(stage: str, done: int, total: int | None) -> None:
                bar.update(task, description="reading" if stage == "read" else "evaluating", completed=done,
                           total=total)

            result = evaluate_corpus(adapter, files, progress=report)
    else:
        result = evaluate_corpus(adapter, files)
    if per_row:
        write_output(per_row, _rows_csv(list(result.rows)))
    if json_out:
        print_json(result.to_dict())
        return
    from rich.table import Table

    agg = result.aggregates
    unit = str(getattr(adapter, "unit", "lines"))
    groups: dict[str, dict[str, Any]] = agg.get("by_group", {})
    t = Table(title=f"{esc(adapter.description)} — {esc(result.file)}")
    t.add_column("figure")
    t.add_column("all", justify="right")
    for g in groups:
        t.add_column(esc(g), justify="right")
    columns = [agg, *groups.values()]

    def row(label: str, cell: Any) -> None:
        t.add_row(label, *[cell(c) for c in columns])

    outcomes = ", ".join(f"{n} {esc(k)}" for k, n in agg["outcomes"].items() if k != "agreement")
    row(unit, lambda c: f"{c['records']:,}")
    row("agreements", lambda c: f"{c['agreements']:,} ({_pct(c['agreement_rate'])})")
    row("mean points per side", lambda c: _num(c["mean_points"]))
    for p in agg["mean_points_by_party"]:
        row(f"  {esc(p)}", lambda c, p=p: _num(c["mean_points_by_party"].get(p, float("nan"))))
    row("mean joint points", lambda c: _num(c["mean_joint_points"]))
    row("mean best joint points", lambda c: _num(c["mean_max_joint_points"]))
    row("Pareto-optimal",
        lambda c: f"{c['pareto_optimal_count']:,} ({_pct(c['pareto_optimal_rate'])})")
    row("at max joint points", lambda c: _pct(c["max_joint_rate"]))
    row("at a Nash maximum", lambda c: _pct(c["nash_rate"]))
    row("levels 3/2/1/0", lambda c: "/".join(str(c["level_counts"][k]) for k in "3210"))
    out.print(t)
    if outcomes:
        out.print(f"no agreement: {outcomes}", markup=False)
    if agg["scale"] is None:  # an empty corpus: no rates to give ("—" above), say why
        out.print("no negotiation in this file: nothing to average")
    else:
        out.print(f"{agg['distinct_games']:,} distinct games; joint values on {agg['scale']}", markup=False)
    if per_row:
        out.print(f"wrote {esc(per_row)}")


def _pct(x: float) -> str:
    return "—" if x != x else f"{100 * x:.2f} %"


def _num(x: float) -> str:
    return "—" if x != x else f"{x:.2f}"


def _rows_csv(rows: list[dict[str, Any]]) -> str:
    """Rows with possibly different keys as one CSV (columns in order of first appearance)."""
    import io

    from accord.io.agreements import CsvWriter

    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    buf = io.StringIO()
    w = CsvWriter(buf)  # ids and names from users' files: no spreadsheet formulas
    w.writerow(list(columns))

    def cell(x: Any) -> str:
        if x is None:
            return ""
        if isinstance(x, bool):
            return "true" if x else "false"
        if isinstance(x, float):
            return repr(x)
        return str(x)

    for row in rows:
        w.writerow([cell(row.get(k)) for k in columns])
    return buf.getvalue()
