"""``accord import genius|geniusweb`` and ``accord export genius|geniusweb``: speak the community's formats.

Import reads a GENIUS (XML) or GeniusWeb (JSON) scenario — a domain and one profile per party — and writes an
Accord case file; export writes a case (or a scenario given the same way) as GENIUS or GeniusWeb files, mapping
each party's points by a positive affine map where the format cannot hold them (the map is printed and written
into the files). Nothing existing is replaced unless ``--force`` is given.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import MAX_GRID, console, esc, load_case_arg, print_json, warnings_to_stderr

if TYPE_CHECKING:
    from accord.io.rescale import AffineMap
    from accord.model import Case

import_app = typer.Typer(name="import",
                         help="Read a GENIUS or GeniusWeb scenario, or an LLM-Deliberation game, into a case file.",
                         no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
export_app = typer.Typer(name="export", help="Write a case as GENIUS or GeniusWeb files.",
                         no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")

_GRID_HELP = "Points each real (number) issue is analysed on, ends included."
_OUT_HELP = "Case file to write (.yaml, .yml or .json); without it the case is printed on stdout."
_FORCE_HELP = "Replace an existing file that has other content."


def _case_text(case: Case, out: str | None, as_json: bool) -> str:
    import json

    import yaml

    data = case.to_dict()
    if as_json or (out is not None and Path(out).suffix.lower() == ".json"):
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return str(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))


def _summary(case: Case) -> dict[str, Any]:
    return {
        "name": case.name,
        "source": case.source,
        "parties": {p.name: {"batna": float(case.batnas[i]), "discount_factor": p.discount_factor}
                    for i, p in enumerate(case.parties)},
        "issues": {i.name: i.size for i in case.issues},
        "packages": str(case.space_size),
        "interactions": sum(len(p.interactions) for p in case.preferences),
    }


def _finish_import(case: Case, out: str | None, force: bool, json_out: bool) -> None:
    import sys

    from accord.io.genius import write_files

    if out is None:
        sys.stdout.write(_case_text(case, None, json_out))
        return
    write_files({Path(out): _case_text(case, out, False)}, force=force)
    summary = {"file": out, **_summary(case)}
    if json_out:
        print_json(summary)
        return
    extra = f", {summary['interactions']} interaction terms" if summary["interactions"] else ""
    console().print(f"[green]wrote[/green] {esc(out)}: {esc(repr(case.name))} — {case.n_parties} parties "
                    f"({esc(', '.join(case.party_names))}), {case.n_issues} issues, {case.space_size:,} "
                    f"packages{extra}")


@import_app.command("genius")
def import_genius(
    files: Annotated[list[str], typer.Argument(help="DOMAIN.xml (or its folder), then one PROFILE.xml per party.")],
    out: Annotated[str | None, typer.Option("-o", "--output", help=_OUT_HELP)] = None,
    grid: Annotated[int, typer.Option("--grid", max=MAX_GRID, help=_GRID_HELP)] = 11,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (the summary, or the case).")] = False,
) -> None:
    """Import a GENIUS scenario: a domain and one profile per party (named after the profile files).

    With only a domain, the first two profiles domainrepository.xml lists for it are used.
    """
    from accord.io.genius import load_scenario

    with warnings_to_stderr():
        case = load_scenario(files[0], files[1:], grid=grid)
    _finish_import(case, out, force, json_out)


@import_app.command("geniusweb")
def import_geniusweb(
    files: Annotated[list[str], typer.Argument(help="Optional DOMAIN.json, then one PROFILE.json per party.")],
    out: Annotated[str | None, typer.Option("-o", "--output", help=_OUT_HELP)] = None,
    grid: Annotated[int, typer.Option("--grid", max=MAX_GRID, help=_GRID_HELP)] = 11,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (the summary, or the case).")] = False,
) -> None:
    """Import a GeniusWeb scenario: linear additive profiles, one per party (the domain file is optional)."""
    from accord.io.geniusweb import load_geniusweb

    with warnings_to_stderr():
        case = load_geniusweb(files[0], files[1:], grid=grid)
    _finish_import(case, out, force, json_out)


def _report_export(kind: str, paths: list[Path], maps: dict[str, AffineMap], case: Case, json_out: bool) -> None:
    # real issues written as intervals come back on the importer's grid: say which grid gives the same options
    domain_text = paths[0].read_text(encoding="utf-8") if paths else ""
    written = 'type="real"' in domain_text or '"range"' in domain_text
    grids = sorted({i.grid for i in case.issues if i.type == "real" and i.grid}) if written else []
    note = (f"real issues were analysed on {', '.join(map(str, grids))} points; import with --grid "
            f"{grids[0]} to get the same options back" if grids else "")
    if json_out:
        print_json({"format": kind, "files": [str(p) for p in paths],
                    "maps": {p: m.to_dict() for p, m in maps.items()}, "note": note})
        return
    from accord.report._console import literal_table as Table  # names print literally

    con = console()
    con.print(f"[green]wrote[/green] {len(paths)} {kind} files: {esc(', '.join(str(p) for p in paths))}")
    table = Table(title="Exported utility = a × Accord points + b (per party)")
    for col in ("party", "a", "b", "why"):
        table.add_column(col)
    for party, m in maps.items():
        table.add_row(party, f"{m.a:.10g}", f"{m.b + 0.0:.10g}", "; ".join(m.reasons) or "identity: the points fit")
    con.print(table)
    if note:
        con.print(note, markup=False)


@export_app.command("genius")
def export_genius_cmd(
    case: Annotated[str, typer.Argument(help="Case file, or a GENIUS/GeniusWeb domain with --profile.")],
    out: Annotated[str, typer.Option("-o", "--output", help="Folder to write the domain and profiles to.")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="Profile files of a scenario.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files that have other content.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the files and maps as JSON.")] = False,
) -> None:
    """Export a case as a GENIUS scenario: a domain file and one profile per party.

    Interaction terms become non-linear (hyper-rectangle) profiles; points GENIUS cannot hold are mapped by
    a positive affine map, printed here and written into each profile's description.
    """
    from accord.io.genius import export_genius, genius_maps

    c = load_case_arg(case, profile)
    maps = genius_maps(c)
    with warnings_to_stderr():
        paths = export_genius(c, out, force=force)
    _report_export("GENIUS", paths, maps, c, json_out)


@export_app.command("geniusweb")
def export_geniusweb_cmd(
    case: Annotated[str, typer.Argument(help="Case file, or a GENIUS/GeniusWeb domain with --profile.")],
    out: Annotated[str, typer.Option("-o", "--output", help="Folder to write the domain and profiles to.")],
    profile: Annotated[list[str] | None, typer.Option("--profile", help="Profile files of a scenario.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace existing files that have other content.")] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print the files and maps as JSON.")] = False,
) -> None:
    """Export a case as a GeniusWeb scenario: a domain JSON and one linear additive profile per party.

    Points are mapped so weights sum to 1 and utilities lie in [0, 1] (the identity when they already do); the
    maps are printed here and written to accord-maps.json.
    """
    from accord.io.geniusweb import export_geniusweb, geniusweb_maps

    c = load_case_arg(case, profile)
    maps = geniusweb_maps(c)
    with warnings_to_stderr():
        paths = export_geniusweb(c, out, force=force)
    _report_export("GeniusWeb", paths, maps, c, json_out)
