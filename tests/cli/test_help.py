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
