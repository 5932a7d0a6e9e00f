"""The analysis as a terminal report (rich): tables, the why of every label, and advice in plain words.

Layout comes from :mod:`accord.report.view`, so the terminal says exactly what the HTML and Markdown reports
say. Long explanations (the why of each issue, the advice) are printed as lists under the tables so they
stay readable in an 80-column terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from accord.analysis.report import Analysis
from accord.report import view
from accord.report._console import esc

if TYPE_CHECKING:
    from rich.console import Console

#: Trades listed in the terminal (the HTML and Markdown reports list more; the count is always given).
TERMINAL_TRADES = 5

KIND_STYLES = {"compatible": "bold green", "integrative": "bold blue", "distributive": "bold dark_orange",
               "mixed": "bold magenta", "yes": "green", "no": "dim", "empty": "bold red",
               "illusory_conflict": "bold red", "fixed_pie": "bold red", "assumed_agreement": "yellow",
               "imagined_difference": "yellow"}


#: Characters a column costs beyond its text: one space of padding each side and one of separator.
_COLUMN_COST = 3


def _column_widths(t: view.Table, width: int) -> list[int] | None:
    """Column widths that fit ``width`` without breaking a word, or None when no such widths exist.

    Each column gets at least its longest word (header included) and at most its longest line; the space
    between is shared in proportion to what each column would still use.
    """
    ncols = len(t.headers)
    avail = width - _COLUMN_COST * ncols - 1
    cells = [[t.headers[c], *(row[c] for row in t.rows)] for c in range(ncols)]
    mins = [max((len(w) for cell in col for w in cell.split()), default=1) for col in cells]
    maxs = [max((len(line) for cell in col for line in cell.split("\n")), default=1) for col in cells]
    if sum(mins) > avail:
        return None
    if sum(maxs) <= avail:
        return maxs
    extra = avail - sum(mins)
    want = [hi - lo for lo, hi in zip(mins, maxs, strict=True)]
    total = sum(want)
    return [lo + (extra * w) // total for lo, w in zip(mins, want, strict=True)]


def _table(t: view.Table, *, style_column: int | None = None, drop_last: bool = False,
           width: int = 100) -> object:
    """A rich table that wraps between words only; when even that cannot fit, one block per row."""
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    if drop_last:
        t = view.Table(t.title, t.headers[:-1], tuple(r[:-1] for r in t.rows), t.styles, t.caption)

    def cell(n: int, c: int) -> Text:
        # Text, not markup: names from the user's file are shown literally.
        style = t.styles[n] if t.styles and c == style_column else ""
        return Text(t.rows[n][c], style=KIND_STYLES.get(style, ""))

    widths = _column_widths(t, width)
    if widths is None:
        # Too narrow for the columns: each row becomes a block of "header: value" lines.
        blocks: list[Text | Table] = [Text(t.title, style="bold")]
        for n, row in enumerate(t.rows):
            grid = Table.grid(padding=(0, 1))
            grid.add_column(style="dim", no_wrap=True)
            grid.add_column(overflow="fold")
            for c, h in enumerate(t.headers[1:], 1):
                grid.add_row(Text(h.replace("\n", " ") + ":"), cell(n, c))
            blocks.extend([Text(row[0].replace("\n", " "), style="bold"), grid])
        return Group(*blocks)
    table = Table(title=esc(t.title), title_style="bold", title_justify="left", box=box.SIMPLE_HEAVY,
                  show_lines=False, expand=False)
    for c, h in enumerate(t.headers):
        table.add_column(esc(h), width=widths[c], overflow="fold")
    for n in range(len(t.rows)):
        table.add_row(*(cell(n, c) for c in range(len(t.headers))))
    return table


def _fits(t: view.Table, width: int) -> bool:
    """Whether every column can show its longest word in ``width`` characters."""
    return _column_widths(t, width) is not None


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
        # Several pairs of parties: one line per issue (who shares a best option, who opposes whom); the
        # pairwise evidence is in --json.
        summary = view.kind_summary(issue)
        rest = summary[len(issue.name) + len(" is ") + len(issue.kind):]
        whys.append(f"[bold]{escape(issue.name)}[/bold] is [{style}]{issue.kind}[/]{escape(rest)}")
    console.print(_bullets(whys, "•"))
    console.print(escape(issues.caption), style="dim")
    console.print()

    trades = view.trades_table(a, limit=TERMINAL_TRADES)
    if trades.rows:
        console.print(_table(trades, style_column=4, width=width))
        console.print(escape(trades.caption), style="dim")
    else:
        console.print(f"[bold]{escape(trades.title)}:[/bold] {escape(trades.caption)}")
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
