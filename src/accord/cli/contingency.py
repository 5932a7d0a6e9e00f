"""``accord contingency``: contingent terms on a case's events that raise both parties' expected utility."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, esc, load_case_arg, print_json

if TYPE_CHECKING:
    from accord.tactics.contingency import ContingencyResult, ContingentContract

_MARK = {"pass": "[green]✓ pass[/green]", "fail": "[red]✗ FAIL[/red]", "not stated": "[yellow]? not stated[/yellow]"}


@app.command()
def contingency(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON) with an events section.")],
    event: Annotated[str | None, typer.Option("--event", "-e", help="Only this event (default: all).")] = None,
    base: Annotated[str | None, typer.Option(
        "--base", help="The agreement the term is added to, issue=option,... (adds points with the term).")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Design contingent terms (bets, schedules, risk transfers) that raise both sides' expected utility.

    Each term maximises the Nash product of the two parties' certainty-equivalent gains, each judged by its own
    beliefs, risk attitude and discount rate, within the event's caps; the seed's four conditions are checked.
    """
    from accord.tactics.contingency import contingency_contracts

    c = load_case_arg(case)
    result = contingency_contracts(c, event=event, base=base)
    if json_out:
        print_json(result.to_dict())
        return
    _show(result)


def _show(result: ContingencyResult) -> None:
    from rich.text import Text

    from accord.report._console import literal_table as Table  # names print literally
    from accord.tactics.contingency import PLAIN_OBJECTIVE

    out = console()
    for con in result.contracts:
        _show_contract(con)
    for nv in result.no_value:
        out.print(f"[bold]{esc(nv.event)}[/bold]: {esc(nv.reason)}")
        for chk in nv.checks:
            out.print(f"  {_MARK[chk.status]}  {esc(chk.plain)}")
    if not result.contracts:
        out.print("No contingent term creates value in this case.")
        return
    # plain words here; the exact objective and the solver are in --json
    table = Table(title="How gains are measured", show_header=False, box=None)
    table.add_row(Text("compared with", style="dim"), "the same deal without the term: no payment, and each side "
                  "keeps what the event does to it anyway")
    table.add_row(Text("chosen so that", style="dim"), PLAIN_OBJECTIVE)
    out.print(table)


def _show_contract(con: ContingentContract) -> None:
    from accord.report._console import literal_table as Table  # names print literally

    out = console()
    a, b = con.payer, con.payee
    when = f"in {con.resolves_in:g} years" if con.resolves_in else "when known"
    table = Table(title=f"Contingent term on '{con.event}' ({con.unit}; positive = {a} pays {b}, {when})")
    table.add_column("outcome")
    table.add_column(f"P({a})", justify="right")
    table.add_column(f"P({b})", justify="right")
    table.add_column(f"{a} → {b} when resolved", justify="right")
    table.add_column(f"{a} position", justify="right")
    table.add_column(f"{b} position", justify="right")
    d = con.differences
    ea, eb = d.exposure[a], d.exposure[b]
    for s, o in enumerate(con.outcomes):
        pay = con.fixed + float(con.payments[s])
        table.add_row(o, f"{d.probabilities[a][s]:.2f}", f"{d.probabilities[b][s]:.2f}",
                      f"{con.payments[s]:,.2f}", f"{ea[s] - pay:,.2f}", f"{eb[s] + pay:,.2f}")
    out.print(table)
    for line in con.wording():
        out.print(f"  • {line}", markup=False)
    kinds = ", ".join(d.kinds) or "none"
    out.print(f"Differences used: {kinds}.", markup=False)
    for line in con.explanation():
        out.print(line, markup=False)
    gains = Table(title="Each side, under its own beliefs")
    for col in ("party", f"gain ({con.unit}, as it judges it)", "gain (points)", f"expected payment ({con.unit})",
                "worst outcome", "payment there", "position there (without term)"):
        gains.add_column(col, justify="left" if col in ("party", "worst outcome") else "right")
    for p in (a, b):
        w = con.worst_case[p]
        gains.add_row(p, f"{con.gain_money[p]:+,.2f}", f"{con.gain_points[p]:+,.2f}",
                      f"{con.expected_payment[p]:+,.2f}", f"{w.outcome} (p={w.probability:.2f})",
                      f"{w.payment:+,.2f}", f"{w.position:,.2f} ({w.position_without:,.2f})")
    out.print(gains)
    if con.base is not None:
        base = Table(title="With the base agreement " + ", ".join(f"{k}={v}" for k, v in con.base["package"].items()))
        for col in ("party", "base points", "with term", "BATNA"):
            base.add_column(col, justify="left" if col == "party" else "right")
        for p, pts in con.base["points"].items():
            base.add_row(p, f"{pts:,.2f}", f"{con.base['with_term'][p]:,.2f}", f"{con.base['batna'][p]:,.2f}")
        out.print(base)
    out.print("Before you propose it, four cautions (Thompson):")
    for chk in con.checks:
        out.print(f"  {_MARK[chk.status]}  {esc(chk.plain)}")
    if con.flags:
        open_points = "; ".join(chk.plain.split("?")[0] + "?" for chk in con.checks if not chk.ok)
        out.print(f"[red]Settle first:[/red] {esc(open_points)} — resolve these before proposing this term.")
    out.print(f"[yellow]{esc(con.cautions()[-1])}[/yellow]\n")
