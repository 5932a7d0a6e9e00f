"""``accord analyze``: what kind of negotiation is this, where is the value, and how to claim it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, esc, load_case_arg, print_json, write_output

REPORT_SUFFIXES = (".html", ".htm", ".md")


@contextmanager
def _progress(message: str, delay: float = 1.0) -> Iterator[None]:
    """Show a spinner on stderr if the work inside takes longer than ``delay`` seconds (terminals only)."""
    err = console(stderr=True)
    if not err.is_terminal:
        yield
        return
    status = err.status(message, spinner="dots")
    timer = threading.Timer(delay, status.start)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        status.stop()


@app.command()
def analyze(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
    report: Annotated[str | None, typer.Option(
        "--report", metavar="FILE.html|FILE.md",
        help="Also write a report: self-contained HTML (with the outcome-space chart) or Markdown.")] = None,
    tau: Annotated[float, typer.Option(
        "--tau", help="Tolerance τ for equal importance, complementarity and priority differences.")] = 0.1,
    plotly_js: Annotated[str | None, typer.Option(
        "--plotly-js", metavar="FILE.js|DIR",
        help="With an HTML report: write plotly.js once to this file or folder and load it from there, "
             "instead of embedding 4.6 MB in every report.")] = None,
) -> None:
    """Issue kinds with the why, trades, bargaining zone, frontier, solution points and win-win advice."""
    from accord.analysis.issues import check_tau
    from accord.errors import RequestError

    check_tau(tau)
    if report is not None and Path(report).suffix.lower() not in REPORT_SUFFIXES:
        raise RequestError(f"--report must end in .html or .md, not {Path(report).suffix or 'no suffix'!r}",
                           file=report)
    c = load_case_arg(case, profile)
    with _progress(f"Analysing {c.name} ({c.space_size:,} packages)…"):
        from accord.analysis.report import analyze as run

        result = run(c, tau=tau)
        text = None
        if report is not None:
            if Path(report).suffix.lower() == ".md":
                from accord.report.analysis_md import analysis_md

                text = analysis_md(result)
            else:
                from accord.report.analysis_html import analysis_html
                from accord.report.plots import plotly_js_path

                src = plotly_js_path(plotly_js, report)[1] if plotly_js else None
                text = analysis_html(result, plotly_src=src)
    if report is not None and text is not None:
        if plotly_js and Path(report).suffix.lower() != ".md":
            from accord.report.plots import write_plotly_js

            write_plotly_js(plotly_js, report)
        write_output(report, text)
    if json_out:
        print_json(result.to_dict())
        return
    from accord.report.terminal import print_analysis

    out = console()
    print_analysis(result, out)
    if report is not None:
        out.print(f"\nReport written to [bold]{esc(report)}[/bold]")
