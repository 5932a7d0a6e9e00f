"""Helpers shared by the command modules: loading cases, printing JSON, writing output files safely."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Case


def console(stderr: bool = False) -> Console:
    """A rich console (created lazily so ``accord --help`` does not pay for it)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def load_case_arg(path: str, profiles: list[str] | None = None) -> Case:
    """Load the CASE argument of a command: an Accord case file (YAML/JSON), or a GENIUS / GeniusWeb
    domain file with ``--profile`` files."""
    suffix = Path(path).suffix.lower()
    if profiles or suffix == ".xml":
        try:
            from accord.io import genius  # type: ignore[attr-defined]
        except ImportError as err:  # pragma: no cover - until the GENIUS importer lands
            from accord.errors import RequestError

            raise RequestError("GENIUS files are not supported yet", file=path) from err
        return genius.load_scenario(path, profiles or [])  # type: ignore[no-any-return]
    from accord.io import load_case

    return load_case(path)


def _clean(obj: Any) -> Any:
    """Make numpy scalars/arrays and non-finite floats JSON-safe (NaN/inf become null)."""
    import numpy as np

    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return _clean(obj.tolist())
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, float | np.floating):
        f = float(obj)
        return f if math.isfinite(f) else None
    return obj


def print_json(data: Any) -> None:
    """Print ``data`` as JSON on stdout (numpy-safe, NaN → null)."""
    sys.stdout.write(json.dumps(_clean(data), indent=2, ensure_ascii=False) + "\n")


def write_output(path: str, text: str) -> None:
    """Write an output file atomically (a failure never leaves a half-written file)."""
    from accord.io.casefile import write_text_atomic

    write_text_atomic(Path(path), text)
