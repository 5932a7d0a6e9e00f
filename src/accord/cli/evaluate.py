"""``accord evaluate``: where an agreement stands on the pyramid — or where a whole class's agreements do.

``accord evaluate CASE --agreement issue=option,...`` evaluates one agreement (docs/concepts.md#the-pyramid): its level
in the
seed's words, the undominated improvements, the value left on the table and the distance to the frontier.
``accord evaluate CASE --agreements results.csv`` evaluates one agreement per row (the classroom situation)
and sums them up; ``--report`` draws every agreement over the frontier, ``--per-row`` writes one CSV row per
agreement. Bad rows fail the command before anything is written, unless ``--skip-bad`` skips them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import MAX_LISTED, console, esc, load_case_arg, print_json, write_output

if TYPE_CHECKING:
    from accord.analysis.batch import BatchEvaluation
    from accord.analysis.logroll import Logrolls
    from accord.analysis.pyramid import Evaluation
    from accord.io.agreements import AgreementTable
    from accord.model import Case


def _num(x: float | None, scale: str = "points", signed: bool = False) -> str:
    import math

    if x is None or not math.isfinite(x):
        return "n/a"
    if scale == "points":
        text = f"{x:,.0f}" if abs(x - round(x)) < 1e-9 else f"{x:,.3g}" if abs(x) < 100 else f"{x:,.1f}"
    else:
        text = f"{x:.3f}"
    return ("+" + text) if signed and x > 0 else text


def _pct(x: float | None) -> str:
    import math

    return "n/a" if x is None or not math.isfinite(x) else f"{100 * x:.1f}%"


def _package_text(pkg: dict[str, str]) -> str:
    return ", ".join(f"{k}={v}" for k, v in pkg.items())


@app.command()
def evaluate(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    agreement: Annotated[str | None, typer.Option(
        "--agreement", help="One agreement: issue=option,... (every issue).")] = None,
    agreements: Annotated[str | None, typer.Option(
        "--agreements", help="A CSV of agreements: an id column (first, or named id/pair), one column per issue.")]
        = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    report: Annotated[str | None, typer.Option(
        "--report", help="With --agreements: write an HTML page drawing every agreement over the frontier.")] = None,
    per_row: Annotated[str | None, typer.Option(
        "--per-row", help="With --agreements: write one CSV row per agreement.")] = None,
    skip_bad: Annotated[bool, typer.Option(
        "--skip-bad", help="With --agreements: skip unreadable rows (listed) instead of failing.")] = False,
    cap: Annotated[int, typer.Option("--cap", max=MAX_LISTED, help="Most improvements listed (the count is exact).")
                   ] = 10,
    plotly_js: Annotated[str | None, typer.Option(
        "--plotly-js", metavar="FILE.js|DIR",
        help="With --report: write plotly.js once to this file or folder and load it from there, "
             "instead of embedding 4.6 MB in every report.")] = None,
) -> None:
    """Place an agreement (or a CSV of agreements) on the pyramid: level, improvements, value left on the table."""
    from accord.errors import RequestError

    if (agreement is None) == (agreements is None):
        raise RequestError("give exactly one of --agreement issue=option,... or --agreements FILE.csv")
    if agreement is not None and (report or per_row or skip_bad):
        raise RequestError("--report, --per-row and --skip-bad go with --agreements FILE.csv")
    if cap < 0:
        raise RequestError(f"--cap must be 0 or more, not {cap}")
    c = load_case_arg(case, profile)
    if agreement is not None:
        from accord.analysis.pyramid import evaluate as run

        ev = run(c, agreement, cap=cap)
        lose_lose, trades = _missed(c, ev)
        if json_out:
            data = ev.to_dict()
            data["lose_lose"] = lose_lose
            data["missed_trades"] = trades.to_dict()
            print_json(data)
        else:
            _print_one(c.name, ev, lose_lose, trades)
        return

    from accord.analysis.batch import debrief
    from accord.io.agreements import read_agreements

    assert agreements is not None
    table = read_agreements(agreements, c, skip_bad=skip_bad)  # fails (exit 2) before anything is written
    # The classroom debrief (the same object the web app's instructor page renders); impasse rows count as
    # groups without a package.
    deb = debrief(c, table.packages, ids=table.ids, impasses=table.impasses, cap=cap)
    batch = deb.batch
    html = None
    if report:
        from accord.report.debrief_html import render_debrief_html
        from accord.report.plots import plotly_js_path

        src = plotly_js_path(plotly_js, report)[1] if plotly_js else None
        html = render_debrief_html(deb, source=agreements, skipped=table.bad, plotly_src=src)
    rows_csv = _per_row_csv(batch, table) if per_row else None
    if html is not None and report:
        if plotly_js:
            from accord.report.plots import write_plotly_js

            write_plotly_js(plotly_js, report)
        write_output(report, html)
    if rows_csv is not None and per_row:
        write_output(per_row, rows_csv)
    if json_out:
        data = batch.to_dict()
        data["file"] = agreements
        for row, n in zip(data["rows"], table.rows, strict=True):
            row["row"] = n
        data["skipped"] = [b.to_dict() for b in table.bad]
        data["debrief"] = deb.to_dict()
        print_json(data)
        return
    _print_batch(batch, table, report, per_row)
    _print_debrief(deb)


#: Missed trades listed for one agreement (the count is exact).
MISSED_TRADES = 5


def _missed(case: Case, ev: Evaluation) -> tuple[list[dict[str, Any]], Logrolls]:
    """Lose-lose issues (the batch mode's implementation) and trades that raise every party from the agreement."""
    import numpy as np

    from accord.analysis.batch import lose_lose
    from accord.tactics.logroll import logrolls

    pkg = case.package(ev.package)
    comp, missed = lose_lose(case, np.asarray([pkg]))
    issues = [{"issue": ci.issue, "agreed": ev.package[ci.issue], "best": list(ci.labels)}
              for ci, m in zip(comp, missed[0], strict=True) if m]
    return issues, logrolls(case, reference=pkg, limit=MISSED_TRADES)


def _print_one(case_name: str, ev: Evaluation, lose_lose: list[dict[str, Any]], trades: Logrolls) -> None:
    from accord.analysis.pyramid import LEVEL_MEANINGS
    from accord.report._console import literal_table as Table  # names print literally

    out = console()
    colour = {0: "red", 1: "yellow", 2: "yellow", 3: "green"}[ev.level]
    out.print(f"[bold]{esc(case_name)}[/bold]: agreement {esc(_package_text(ev.package))}")
    out.print(f"[bold {colour}]Level {ev.level} of 3 — {ev.level_name}[/bold {colour}]: {LEVEL_MEANINGS[ev.level]}.")
    t = Table(title="each party")
    t.add_column("party")
    for col in ("points", "BATNA", "surplus", f"value left ({ev.scale})"):
        t.add_column(col, justify="right")
    for p in ev.parties:
        t.add_row(p, _num(ev.utilities[p]), _num(ev.batnas[p]), _num(ev.surplus[p], signed=True),
                  _num(ev.value_left[p], ev.scale, signed=True))
    out.print(t)
    comp = ev.compromise
    verb = "dominates" if ev.dominates_compromise else "does not dominate"
    out.print(f"It {verb} the compromise package {_package_text(comp['package'])} "
              f"({', '.join(f'{p} {_num(u)}' for p, u in comp['utilities'].items())}).", markup=False)
    out.print(f"Joint value {_num(ev.joint_value, ev.scale)} of at most {_num(ev.max_joint_value, ev.scale)} "
              f"({ev.scale}); {'at' if ev.at_max_joint else 'below'} the largest joint value"
              + ("" if ev.nash_optimal is None else
                 f"; {'at' if ev.nash_optimal else 'not at'} a Nash-product maximum") + ".")
    if ev.pareto_optimal:
        out.print("[green]No package is better for someone without being worse for another.[/green]")
    else:
        if ev.distance is not None:
            out.print(f"Distance to the frontier: {ev.distance:.3f} (normalised gains, to the nearest frontier "
                      "point that is at least as good for everyone).")
        if ev.improvement_count is None:
            title = "the undominated improvement with the largest joint gain (the frontier is too large to list)"
        else:
            title = (f"undominated improvements: {ev.improvement_count:,} package(s) at "
                     f"{ev.improvement_points or 0:,} point(s), best joint gain first")
        t = Table(title=title)
        t.add_column("#", justify="right")
        for p in ev.parties:
            t.add_column(p, justify="right")
        t.add_column(f"joint gain ({ev.scale})", justify="right")
        t.add_column("package")
        for j, imp in enumerate(ev.improvements, 1):
            t.add_row(str(j), *[_num(imp.utilities[p]) for p in ev.parties],
                      _num(imp.joint_gain, ev.scale, signed=True), _package_text(imp.package))
        out.print(t)
        if ev.value_left_package is not None:
            gains = ", ".join(f"{p} {_num(v, signed=True)}" for p, v in ev.value_left_points.items())
            out.print(f"Value left on the table: {_package_text(ev.value_left_package)} gives {gains} points "
                      f"(joint gain {_num(ev.value_left_joint, ev.scale, signed=True)} {ev.scale}).", markup=False)
    for ll in lose_lose:
        out.print(f"Lose-lose on {ll['issue']}: the agreement has {ll['agreed']}, but every party does best with "
                  f"{' or '.join(ll['best'])}.", markup=False)
    if trades.trades:
        t = Table(title=f"missed trades: {trades.count:,} two-issue trade(s) from this agreement raise every "
                        "party; gains in each party's points, best joint gain first")
        t.add_column("trade")
        for p in trades.parties:
            t.add_column(p, justify="right")
        for tr in trades.trades:
            t.add_row(tr.description, *[_num(tr.gains[p], signed=True) for p in trades.parties])
        out.print(t)
    elif not ev.pareto_optimal:
        out.print("No two-issue trade from this agreement raises every party; the improvements above change "
                  "more issues at once (package deals).", markup=False)
    if ev.note:
        out.print(f"Note: {ev.note}.", markup=False)
    if ev.zone_dominated_fraction is not None and ev.zone_size:
        out.print(f"It dominates {_pct(ev.zone_dominated_fraction)} of the {ev.zone_size:,} packages in the "
                  "bargaining zone.")


def _print_batch(batch: BatchEvaluation, table: AgreementTable, report: str | None, per_row: str | None) -> None:
    from accord.analysis.pyramid import LEVEL_NAMES
    from accord.report._console import literal_table as Table  # names print literally

    out = console()
    agg = batch.aggregates()
    scale = agg["scale"]
    c = batch.case
    out.print(f"[bold]{esc(c.name)}[/bold]: {agg['rows']} agreement(s) from {esc(table.file)}")
    t = Table(title="the pyramid")
    t.add_column("level", justify="right")
    t.add_column("name")
    t.add_column("agreements", justify="right")
    t.add_column("share", justify="right")
    for k in (3, 2, 1, 0):
        t.add_row(str(k), LEVEL_NAMES[k], str(agg["level_counts"][str(k)]), _pct(agg["level_shares"][str(k)]))
    out.print(t)
    out.print(f"Mean joint value {_num(agg['mean_joint_value'], scale)} of at most "
              f"{_num(agg['max_joint_value'], scale)} ({scale}): {_pct(agg['joint_value_ratio'])}; "
              f"mean value left on the table {_num(agg['mean_value_left_joint'], scale)}.")
    if agg["compatible_issues"]:
        missed = "; ".join(f"{ci['issue']} (best for all: {', '.join(ci['best'])}) missed by {ci['missed']}"
                           for ci in agg["compatible_issues"])
        out.print(f"Lose-lose: {agg['lose_lose_rows']} agreement(s) settled a compatible issue on a worse "
                  f"option — {missed}.", markup=False)
    else:
        out.print("The case has no compatible issue, so no agreement can be lose-lose on one.")
    res = batch.result
    names = c.party_names
    t = Table(title="agreements")
    t.add_column("id")
    t.add_column("level")
    for p in names:
        t.add_column(p, justify="right")
    t.add_column("Pareto")
    # two parties: each side's share of the value left; more: the joint gain only (per party in --json/--per-row)
    if len(names) == 2:
        t.add_column(f"value left ({scale})", justify="right")
    else:
        t.add_column(f"value left, joint ({scale})", justify="right")
    t.add_column("lose-lose")
    limit = 50
    for r in range(min(len(batch), limit)):
        level = int(res.levels[r])
        left = (", ".join(f"{p} {_num(float(v), scale, signed=True)}"
                          for p, v in zip(names, res.value_left[r], strict=True))
                if len(names) == 2 else _num(float(res.joint_gain[r]), scale, signed=True))
        t.add_row(batch.ids[r], f"{level} {LEVEL_NAMES[level]}", *[_num(float(x)) for x in res.utilities[r]],
                  "yes" if res.pareto_optimal[r] else "no", left,
                  ", ".join(ci.issue for ci, m in zip(batch.compatible, batch.missed[r], strict=True) if m))
    out.print(t)
    if len(batch) > limit:
        out.print(f"(first {limit} of {len(batch)} rows; use --per-row FILE.csv or --json for all)")
    if table.bad:
        out.print(f"[yellow]skipped {len(table.bad)} bad row(s):[/yellow]")
        for b in table.bad:
            out.print(f"  row {b.row}: {b.message}", markup=False)
    for what, path in (("report", report), ("per-row CSV", per_row)):
        if path:
            out.print(f"wrote {what} {path}", markup=False)


def _print_debrief(deb: Any) -> None:
    """The debrief's headline figures, as the instructor's page and the HTML report show them."""
    from accord.report._console import literal_table as Table  # names print literally
    from accord.report.debrief_html import summary_rows

    t = Table(title="debrief")
    t.add_column("figure")
    t.add_column("value", justify="right")
    for label, value in summary_rows(deb.to_dict()):
        t.add_row(label, value)
    console().print(t)


def _per_row_csv(batch: BatchEvaluation, table: AgreementTable) -> str:
    import io

    from accord.io.agreements import CsvWriter

    c = batch.case
    res = batch.result
    names = c.party_names
    buf = io.StringIO()
    w = CsvWriter(buf)  # ids and names from users' files: no spreadsheet formulas
    header: list[str] = ["row", "id", *c.issue_names, "level", "level_name", "individually_rational",
                         "pareto_optimal", "dominates_compromise", *[f"points_{p}" for p in names], "joint_value",
                         *[f"value_left_{p}" for p in names], *[f"value_left_points_{p}" for p in names],
                         "value_left_joint", "distance", "at_max_joint", "nash_optimal", "compatible_missed"]
    w.writerow(header)
    from accord.analysis.pyramid import LEVEL_NAMES

    def b(x: Any) -> str:
        return "" if x is None else ("true" if bool(x) else "false")

    for r in range(len(batch)):
        level = int(res.levels[r])
        w.writerow([
            table.rows[r], batch.ids[r], *c.labels(batch.packages[r]).values(), level, LEVEL_NAMES[level],
            b(res.individually_rational[r]), b(res.pareto_optimal[r]), b(res.dominates_compromise[r]),
            *[repr(float(x)) for x in res.utilities[r]], repr(float(res.joint_values[r])),
            *[repr(float(x)) for x in res.value_left[r]], *[repr(float(x)) for x in res.value_left_points[r]],
            repr(float(res.joint_gain[r])), repr(float(res.distance[r])), b(res.at_max_joint[r]),
            b(None if res.nash_optimal is None else res.nash_optimal[r]),
            ";".join(ci.issue for ci, m in zip(batch.compatible, batch.missed[r], strict=True) if m),
        ])
    return buf.getvalue()
