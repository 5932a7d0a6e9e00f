"""``accord meso``: multiple equivalent simultaneous offers, and Bayes updates from the one the other side picks."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from accord.cli._app import app
from accord.cli._common import MAX_MESO_COUNT, MAX_SEED, console, esc, load_case_arg, print_json, write_output


@app.command()
def meso(
    case: Annotated[str, typer.Argument(help="Case file (YAML or JSON), or a GENIUS domain with --profile.")],
    party: Annotated[str, typer.Option("--party", help="The proposer: offers are of equal value to this party.")],
    target: Annotated[float | None, typer.Option(
        "--target", help="Points every offer is worth to the proposer.")] = None,
    level: Annotated[float | None, typer.Option(
        "--level", help="Proposer's normalised gain: 0 = its BATNA, 1 = its best package (default 0.8).")] = None,
    count: Annotated[int | None, typer.Option("--count", max=MAX_MESO_COUNT,
                                              help="Number of offers (default 3).")] = None,
    tolerance: Annotated[float | None, typer.Option(
        "--tolerance", help="Half-width of the equal-value band on the normalised gain (default 0.02).")] = None,
    belief_file: Annotated[str | None, typer.Option(
        "--belief", help="Belief JSON: hypotheses about the other side with probabilities.")] = None,
    assume: Annotated[str | None, typer.Option(
        "--assume", help="Build the belief on 'fixed-pie' (the other side opposed on every issue) to see what "
        "that assumption costs. Default: your estimate of the other side, else its preferences in the case "
        "file.")] = None,
    counterpart: Annotated[str | None, typer.Option(
        "--counterpart", help="The party the offers are aimed at (default: the other party).")] = None,
    rationality: Annotated[float | None, typer.Option(
        "--rationality", help="λ of the logit choice model (default 10).")] = None,
    seed: Annotated[int, typer.Option("--seed", min=0, max=MAX_SEED,
                                      help="Seed for perturbed and mixed hypotheses.")] = 0,
    update: Annotated[str | None, typer.Option(
        "--update", help="Belief JSON saved with the offers last shown: update it with --chosen, then propose again.")
    ] = None,
    chosen: Annotated[int | None, typer.Option(
        "--chosen", help="With --update: the number (1, 2, ...) of the offer the other side preferred.")] = None,
    output: Annotated[str | None, typer.Option(
        "-o", "--output", help="Write the (updated) belief, with the new offers, to this file.")] = None,
    save_belief: Annotated[str | None, typer.Option(
        "--save-belief", help="Write the belief used, with these offers, to this file (same as -o).")] = None,
    profile: Annotated[list[str] | None, typer.Option("--profile", help="GENIUS profile files.")] = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """MESOs: offers worth the same to you that differ most for the other side, and what their pick teaches."""
    import json
    from dataclasses import replace

    from accord.cli._tactics import num, read_json
    from accord.errors import AccordError, RequestError
    from accord.report._console import literal_table as Table  # names print literally
    from accord.tactics.meso import DEFAULT_TOLERANCE, Belief, meso_set, update_belief

    if assume is not None and assume not in ("estimate", "fixed-pie"):
        raise RequestError(f"--assume takes 'estimate' or 'fixed-pie', not {assume!r}")
    c = load_case_arg(case, profile)
    if belief_file and update:
        raise RequestError("give --belief or --update, not both")
    if assume is not None and (belief_file or update):
        raise RequestError("--assume builds a belief; give it or --belief/--update, not both")
    if chosen is not None and not update:
        raise RequestError("--chosen needs --update BELIEF.json (the belief saved with the offers shown)")
    saved: dict[str, Any] = {}
    belief = None
    update_info: dict[str, Any] | None = None
    source = update or belief_file
    if source:
        data = read_json(source, "belief")
        try:
            belief = Belief.from_dict(data, c)
        except AccordError as err:
            raise err.located(file=source) from None
        if not belief.source:
            belief = replace(belief, source=f"the belief in {source}")
        saved = data.get("request") or {} if isinstance(data, dict) else {}
        if belief.proposer is not None and belief.proposer != party:
            raise RequestError(f"the belief is held by {belief.proposer!r}, not {party!r}", file=source)
    if update:
        assert belief is not None
        if chosen is None:
            raise RequestError("--update needs --chosen N: the number of the offer the other side preferred")
        if not belief.offers:
            raise RequestError("this belief holds no offers to answer; save one with --save-belief when proposing",
                               file=update)
        prior = {n: float(p) for n, p in zip(belief.names, belief.probabilities, strict=True)}
        belief = update_belief(belief, chosen - 1, rationality=rationality)
        update_info = {"chosen": chosen, "prior": prior,
                       "posterior": {n: float(p) for n, p in zip(belief.names, belief.probabilities, strict=True)}}
    if target is None and level is None and isinstance(saved.get("level"), int | float):
        level = float(saved["level"])
    count_v = count if count is not None else saved.get("count", 3)
    if not isinstance(count_v, int) or isinstance(count_v, bool) or count_v > MAX_MESO_COUNT:
        # a count saved in a belief file is checked like --count
        raise RequestError(f"the saved count of offers must be a whole number up to {MAX_MESO_COUNT}, not {count_v!r}",
                           file=update or belief_file)
    tol_v = tolerance if tolerance is not None else float(saved.get("tolerance", DEFAULT_TOLERANCE))
    result = meso_set(c, party, target=target, level=level, count=count_v, tolerance=tol_v, belief=belief,
                      seed=seed, counterpart=counterpart, rationality=rationality,
                      assume="fixed-pie" if assume == "fixed-pie" else "estimate")
    destination = output or save_belief
    if output and save_belief and output != save_belief:
        raise RequestError("give -o or --save-belief, not both")
    if destination:
        data_out = result.belief.to_dict()
        data_out["request"] = {"party": party, "level": result.level, "tolerance": result.tolerance,
                               "count": count_v}
        write_output(destination, json.dumps(data_out, indent=2, ensure_ascii=False) + "\n")
    if json_out:
        d = result.to_dict()
        if update_info is not None:
            d["update"] = update_info
        if destination:
            d["belief_file"] = destination
        print_json(d)
        return
    out = console()
    if update_info is not None:
        name, p = result.belief.most_likely()
        out.print(f"after offer {chosen} was preferred: most likely [bold]{esc(name)}[/bold] (p = {p:.2f})")
    out.print(f"[bold]MESO set[/bold] from {esc(party)} to {esc(result.counterpart)} in {esc(repr(c.name))}: each "
              f"worth g = {result.level:.3g} ± {result.tolerance:g} to {esc(party)} "
              f"({num(result.band[0])}–{num(result.band[1])} points)")
    out.print(f"belief about {result.counterpart}: {result.belief_source}", markup=False)
    # offers side by side, one row per issue: how a negotiator lays a MESO set on the table
    table = Table()
    table.add_column("")
    for j in range(1, len(result.offers) + 1):
        table.add_column(f"offer {j}")
    for issue in c.issue_names:
        table.add_row(issue, *[o.package[issue] for o in result.offers])
    table.add_section()
    for p_name in c.party_names:
        table.add_row(f"{p_name} points", *[num(o.utilities[p_name]) for o in result.offers])
    table.add_row("serves", *[o.serves for o in result.offers])
    table.add_row("P(pick)", *[f"{o.choice_probability:.2f}" for o in result.offers])
    out.print(table)
    out.print(f"spread of {party}'s values {num(result.spread)} points; diversity {result.diversity:.2f} issues "
              f"(mean pairwise); expected value to {result.counterpart} {result.expected_value:.2f} (0–1, belief); "
              f"expected information gain {result.information_gain:.3f} of {result.belief.entropy():.3f} bits",
              markup=False)
    for note in result.notes:
        out.print(f"[yellow]{esc(note)}[/yellow]")
    out.print(f"[dim]{esc(result.method)}; choice model: logit, λ = {result.belief.rationality:g}[/dim]")
    if destination:
        out.print(f"belief with these offers saved to {destination}; after their answer run: accord meso {case} "
                  f"--party {party} --update {destination} --chosen N -o NEXT.json", markup=False)
