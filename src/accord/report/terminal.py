"""The analysis as a terminal report (rich): tables, the why of every label, and advice in plain words.

Layout comes from :mod:`accord.report.view`, so the terminal says exactly what the HTML and Markdown reports
say. Long explanations (the why of each issue, the advice) are printed as lists under the tables so they
stay readable in an 80-column terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.analysis.report import Analysis
from accord.report import view

if TYPE_CHECKING:
    from rich.console import Console

#: Trades listed in the terminal (the HTML and Markdown reports list more; the count is always given).
TERMINAL_TRADES = 5

KIND_STYLES = {"compatible": "bold green", "integrative": "bold blue", "distributive": "bold dark_orange",
               "mixed": "bold magenta", "yes": "green", "no": "dim", "empty": "bold red",
               "illusory_conflict": "bold red", "fixed_pie": "bold red", "assumed_agreement": "yellow",
               "imagined_difference": "yellow"}


def _table(t: view.Table, *, style_column: int | None = None, drop_last: bool = False,
           width: int = 100) -> object:
    from rich import box
    from rich.table import Table

    headers = t.headers[:-1] if drop_last else t.headers
    table = Table(title=t.title, title_style="bold", title_justify="left", box=box.SIMPLE_HEAVY,
                  show_lines=False, expand=False)
    # Never break a word (an issue or option name) unless it is very long or the terminal too narrow.
    longest = [min(24, max((len(w) for row in t.rows for w in row[c].split()), default=1))
               for c in range(len(headers))]
    fits = sum(longest) + 3 * len(headers) <= width
    for c, h in enumerate(headers):
        keep = fits or c == 0 or c == style_column
        table.add_column(h, overflow="fold", min_width=longest[c] if keep else None)
    for n, row in enumerate(t.rows):
        cells = list(row[:-1] if drop_last else row)
        style = t.styles[n] if t.styles else ""
        if style_column is not None and style in KIND_STYLES:
            cells[style_column] = f"[{KIND_STYLES[style]}]{cells[style_column]}[/]"
        table.add_row(*cells)
    return table


def _fits(t: view.Table, width: int) -> bool:
    """Whether every column can show its longest word in ``width`` characters."""
    longest = [min(24, max((len(w) for row in t.rows for w in row[c].split()), default=1))
               for c in range(len(t.headers))]
    return sum(longest) + 3 * len(t.headers) <= width


def _merge_parties(t: view.Table, start: int, names: tuple[str, ...], header: str) -> view.Table:
    """Fold the per-party columns ``start ..`` into one column with a line per party (narrow terminals)."""
    stop = start + len(names)
    rows = tuple(
        (*row[:start], "\n".join(f"{p}: {row[start + q].replace(chr(10), ' · ')}" for q, p in enumerate(names)),
         *row[stop:])
        for row in t.rows
    )
    return view.Table(t.title, (*t.headers[:start], header, *t.headers[stop:]), rows, t.styles, t.caption)


def _bullets(items: list[Any], mark: str | None) -> Any:
    """A list with hanging indentation (numbered when ``mark`` is None)."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(justify="right", no_wrap=True)
    grid.add_column()
    for n, item in enumerate(items, 1):
        grid.add_row(f" {mark}" if mark else f" {n}.", item)
    return grid


def print_analysis(a: Analysis, console: Console) -> None:
    """Print the whole analysis on ``console``."""
    from rich.console import Group
    from rich.markup import escape
    from rich.panel import Panel

    width = console.width

    console.print(Panel.fit(f"[bold]{escape(a.case.name)}[/bold]\n{escape(view.headline(a))}", border_style="cyan"))
    if a.case.description:
        console.print(escape(" ".join(a.case.description.split())), style="dim")
    console.print()

    names = a.case.party_names
    issues = view.issues_table(a)
    shown = view.Table(issues.title, issues.headers[:-1], tuple(r[:-1] for r in issues.rows), issues.styles)
    if not _fits(shown, width):
        shown = _merge_parties(shown, 2, names, "Best option · stake (share)")
    console.print(_table(shown, style_column=1, width=width))
    whys: list[object] = []
    for issue in a.issues:
        style = KIND_STYLES.get(issue.kind, "")
        if len(issue.pairs) == 1:
            why = issue.why.split(": ", 1)[1] if issue.why.startswith(issue.kind + ":") else issue.why
            whys.append(f"[bold]{escape(issue.name)}[/bold] is [{style}]{issue.kind}[/]: {escape(why)}")
            continue
        # Several pairs of parties: one line per pair, so each reason stays readable.
        lines = []
        for pk in issue.pairs:
            reason = pk.reason.split(": ", 1)[1] if pk.reason.startswith(pk.kind + ":") else pk.reason
            lines.append(f"{escape(pk.parties[0])}–{escape(pk.parties[1])}: [{KIND_STYLES[pk.kind]}]{pk.kind}[/], "
                         f"{escape(reason)}")
        head = (f"[bold]{escape(issue.name)}[/bold] is [{style}]{issue.kind}[/]"
                + (" for every pair of parties" if issue.kind != "mixed" else ""))
        whys.append(Group(head, _bullets(lines, "–")))
    console.print(_bullets(whys, "•"))
    console.print(escape(issues.caption), style="dim")
    console.print()

    trades = view.trades_table(a, limit=TERMINAL_TRADES)
    if trades.rows:
        console.print(_table(trades, style_column=4, width=width))
        console.print(escape(trades.caption), style="dim")
        console.print()

    zone = view.zone_table(a)
    console.print(_table(zone, width=width))
    console.print(escape(zone.caption), style="bold red" if a.zopa_empty else "")
    console.print(f"[bold]Pareto frontier:[/bold] {escape(view.frontier_line(a))}")
    console.print()

    sols = view.solutions_table(a)
    if sols.rows:
        if _fits(sols, width):
            console.print(_table(sols, width=width))
        else:
            # Narrow terminal: parties in one column, packages listed under the table.
            narrow = view.Table(sols.title, sols.headers[:-1], tuple(r[:-1] for r in sols.rows), sols.styles)
            console.print(_table(_merge_parties(narrow, 1, names, "Points · share"), width=width))
            console.print(_bullets([f"{escape(r[0].replace(chr(10), ' = '))}: "
                                    f"{escape(r[-1].replace(chr(10), ', '))}" for r in sols.rows], "•"))
    console.print(escape(sols.caption), style="dim")
    console.print()

    signs = view.signs_table(a)
    console.print(_table(signs, style_column=1, width=width))
    console.print(escape(signs.caption), style="dim")
    console.print()

    if a.perception.checks:
        per = view.perception_table(a)
        if per.rows:
            console.print(_table(per, style_column=2, width=width))
        console.print(escape(per.caption))
        console.print()

    console.print("[bold]What to do[/bold]")
    console.print(_bullets([escape(item) for item in a.advice], None))
    console.print()
    for note in a.notes:
        console.print(f"Note: {escape(note)}", style="dim")
