"""``accord corpus NAME FILE``: evaluate every agreement of a negotiation corpus and sum the corpus up.

The corpus name is looked up among the registered corpus adapters (:mod:`accord.corpora`); each record
becomes an ordinary case whose agreement is evaluated by the same engine as ``accord evaluate``.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import console, print_json, write_output


@app.command()
def corpus(
    name: Annotated[str, typer.Argument(help="The corpus format, e.g. dealornodeal.")],
    file: Annotated[str, typer.Argument(help="The corpus file (e.g. val.txt).")],
    json_out: Annotated[bool, typer.Option("--json", help="Print the aggregate figures as JSON.")] = False,
    per_line: Annotated[str | None, typer.Option(
        "--per-line", help="Write one CSV row per line of the corpus (outcome, points, level, ...).")] = None,
) -> None:
    """Evaluate every agreement of a corpus file (pyramid, Pareto, joint and Nash maxima) and print the figures."""
    from accord.corpora import evaluate_corpus, get_adapter

    adapter = get_adapter(name)  # unknown name: one line listing the known corpora, exit 2
    result = evaluate_corpus(adapter, file)
    if per_line:
        write_output(per_line, _rows_csv(list(result.rows)))
    if json_out:
        print_json(result.to_dict())
        return
    from rich.table import Table

    agg = result.aggregates
    out = console()
    t = Table(title=f"{adapter.description} — {file}")
    t.add_column("figure")
    t.add_column("value", justify="right")
    outcomes = ", ".join(f"{n} {k}" for k, n in agg["outcomes"].items() if k != "agreement")
    t.add_row("lines", f"{agg['lines']:,}")
    t.add_row("agreements", f"{agg['agreements']:,} ({100 * agg['agreement_rate']:.2f} %)"
              + (f" — no agreement: {outcomes}" if outcomes else ""))
    t.add_row("mean points per side, agreed lines", f"{agg['mean_points']:.2f}")
    t.add_row("mean joint points, agreed lines", f"{agg['mean_joint_points']:.2f} "
              f"(mean best possible {agg['mean_max_joint_points']:.2f})")
    t.add_row("agreed lines that are Pareto-optimal",
              f"{agg['pareto_optimal_count']:,} of {agg['agreements']:,} ({100 * agg['pareto_optimal_rate']:.2f} %)")
    t.add_row("agreed lines at maximum joint points", f"{100 * agg['max_joint_rate']:.2f} %")
    t.add_row("agreed lines at a Nash-product maximum", f"{100 * agg['nash_rate']:.2f} %")
    levels = agg["level_counts"]
    t.add_row("pyramid levels 3 / 2 / 1 / 0", f"{levels['3']} / {levels['2']} / {levels['1']} / {levels['0']}")
    out.print(t)
    if per_line:
        out.print(f"wrote {per_line}")


def _rows_csv(rows: list[dict[str, Any]]) -> str:
    """Rows with possibly different keys as one CSV (columns in order of first appearance)."""
    import csv
    import io

    columns: dict[str, None] = {}
    for row in rows:
        for key in row:
            columns.setdefault(key, None)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
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
