"""The command line starts instantly: ``accord --help`` must not import numpy, scipy or the analysis."""

from __future__ import annotations

import subprocess
import sys


def test_help_does_not_import_numerics() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from accord.cli import app\n"
        "result = CliRunner().invoke(app, ['--help'])\n"
        "assert result.exit_code == 0, result.output\n"
        "heavy = sorted(m for m in ('numpy', 'scipy', 'plotly', 'matplotlib', 'pydantic') if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"accord --help imported {out.stdout.strip()}"


def test_every_command_has_help() -> None:
    from typer.testing import CliRunner

    from accord.cli import app

    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("analyze", "frontier", "evaluate", "validate", "schema", "import", "export", "corpus",
                    "logroll", "meso", "contingency", "presettle", "improve", "plan"):
        assert command in result.output


# -- help texts read like a manual page (issue 8 §3) -----------------------------------------------------------
def _commands() -> list[list[str]]:
    """Every command path: ``[[], ["analyze"], ..., ["import", "genius"], ...]``."""
    import typer

    from accord.cli import app

    root = typer.main.get_command(app)
    ctx = root.make_context("accord", [], resilient_parsing=True)
    out: list[list[str]] = [[]]
    for name in root.list_commands(ctx):  # type: ignore[attr-defined]
        out.append([name])
        sub = root.get_command(ctx, name)  # type: ignore[attr-defined]
        if hasattr(sub, "list_commands"):
            sub_ctx = sub.make_context(name, [], parent=ctx, resilient_parsing=True)
            out.extend([name, s] for s in sub.list_commands(sub_ctx))
    return out


def _help(path: list[str], columns: int = 80) -> str:
    from typer.testing import CliRunner

    from accord.cli import app

    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": str(columns), "TERMINAL_WIDTH": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_version() -> None:
    from typer.testing import CliRunner

    from accord import __version__
    from accord.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"accord {__version__}"


def test_help_has_no_type_placeholders() -> None:
    import re

    paths = _commands()
    assert len(paths) > 15
    for path in paths:
        text = _help(path)
        found = re.findall(r"<(?:bool|str|int|float|list\[[a-z]+\]|path)>|\{[a-z_]+\}", text)
        assert not found, f"accord {' '.join(path)} --help shows {found}"


def test_help_fits_80_columns_without_mid_sentence_breaks() -> None:
    """No line wider than 80, and no description line cut short before a sentence ends."""
    import itertools

    for path in _commands():
        text = _help(path)
        lines = text.splitlines()
        assert max(len(line) for line in lines) <= 80, f"accord {' '.join(path)} --help is wider than 80"
        for a, b in itertools.pairwise(lines):
            if a.startswith(" ") and not a.startswith(("│", "╭", "╰")) and b.strip():
                cut_short = len(a.rstrip()) < 60 and not a.rstrip().endswith((".", ":", ")"))
                continues = b.strip()[0].islower() or b.strip().startswith("--")
                assert not (cut_short and continues and not b.startswith(" Usage")), (
                    f"accord {' '.join(path)} --help breaks a sentence: {a.strip()!r} / {b.strip()!r}")
