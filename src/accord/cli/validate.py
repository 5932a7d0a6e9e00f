"""``accord validate`` and ``accord schema``: check a case file; print the case-file JSON Schema."""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._app import app
from accord.cli._common import console, esc, load_case_arg, print_json


@app.command()
def validate(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print a JSON summary.")] = False,
) -> None:
    """Check a case file: one line per problem, exit code 2 if it is not valid."""
    c = load_case_arg(case, profile)
    summary = {
        "valid": True,
        "file": case,
        "name": c.name,
        "parties": list(c.party_names),
        "issues": {i.name: i.size for i in c.issues},
        "packages": str(c.space_size),
        "additive": c.additive,
        "estimates": [f"{e.holder}->{e.about}" for e in c.estimates],
        "events": [e.name for e in c.events],
    }
    if json_out:
        print_json(summary)
        return
    console().print(
        f"[green]valid[/green] {esc(case)}: {esc(repr(c.name))} — {c.n_parties} parties, {c.n_issues} issues, "
        f"{c.space_size:,} packages{'' if c.additive else ', with interaction terms'}"
    )


@app.command()
def schema() -> None:
    """Print the JSON Schema of Accord case files."""
    from accord.io.schema import json_schema

    print_json(json_schema())
