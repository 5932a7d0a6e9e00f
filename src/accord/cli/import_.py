"""``accord import llm-deliberation GAME_DIR``: read a multi-party LLM-Deliberation game into a case file.

Registers on the ``accord import`` group of :mod:`accord.cli.convert` (GENIUS, GeniusWeb) and writes the
case the same way: a YAML or JSON case file with ``-o``, the case on stdout without it. The case carries the
game's agreement rule (``agreement: {quorum: n − 1, veto: [p1, p2]}``), so ``accord analyze`` and
``accord frontier --rational`` judge deals as the game does.
"""

from __future__ import annotations

from typing import Annotated

import typer

from accord.cli._common import console
from accord.cli.convert import _FORCE_HELP, _OUT_HELP, _finish_import, import_app


@import_app.command("llm-deliberation")
def import_llm_deliberation(
    game: Annotated[str, typer.Argument(help="The game folder (config.txt, scores_files/, global_instructions.txt).")],
    out: Annotated[str | None, typer.Option("-o", "--output", help=_OUT_HELP)] = None,
    force: Annotated[bool, typer.Option("--force", help=_FORCE_HELP)] = False,
    json_out: Annotated[bool, typer.Option("--json", help="Print JSON (the summary, or the case).")] = False,
) -> None:
    """Import an LLM-Deliberation game: one party per config line (threshold = BATNA), the game's rule
    (at least n − 1 parties reach their threshold, including the p1 and p2 roles)."""
    from accord.corpora.llmdeliberation import load_game

    case = load_game(game)
    _finish_import(case, out, force, json_out)
    if out is not None and not json_out:
        console().print(f"agreement rule: {case.agreement.describe(case.n_parties)}", markup=False)
