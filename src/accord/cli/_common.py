"""Helpers shared by the command modules: loading cases, printing JSON, writing output files safely, and
:func:`esc` for every user's text printed through rich."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from accord.report._console import esc as esc  # re-exported: the one escaping helper of every command

if TYPE_CHECKING:
    from rich.console import Console

    from accord.model import Case


#: Limits on the commands' numeric options (documented in docs/case-files.md, "Limits"): a number a user
#: types is checked before any work is sized by it.
MAX_LISTED = 10_000  # rows listed by --cap, --limit (logroll), --show; the counts stay exact
MAX_MESO_COUNT = 20  # offers in one MESO set
MAX_SEED = 2**32 - 1  # numpy seeds are 32-bit
MAX_ENGINE_LIMIT = 20_000_000  # partial packages the frontier engine may hold (--limit), 10 x its default
MAX_GRID = 100_000  # grid points of a real interval (--grid): accord.model.issue.MAX_OPTIONS (a test checks)


def console(stderr: bool = False) -> Console:
    """A rich console (created lazily so ``accord --help`` does not pay for it).

    Emoji codes are off, so a name such as ``:smile:`` prints as written; put a user's text in markup through
    :func:`esc`.
    """
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, emoji=False)


def load_case_arg(path: str, profiles: list[str] | None = None) -> Case:
    """Load the CASE argument of a command: an Accord case file (YAML/JSON), a GENIUS domain (``.xml`` or a
    folder) with ``--profile`` files, or a GeniusWeb domain (``.json``) with ``--profile`` files.

    Repairs the importers make (e.g. a comment before the XML declaration) are printed as warnings on stderr.
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if profiles and suffix in (".yaml", ".yml"):
        from accord.errors import RequestError

        raise RequestError("--profile goes with a GENIUS domain (.xml or its folder) or a GeniusWeb domain (.json); "
                           "an Accord case file holds every party's preferences itself, so drop --profile",
                           file=path)
    from accord.io.casefile import check_points

    if suffix == ".json" and (profiles or _is_geniusweb(p)):
        from accord.io import geniusweb

        with warnings_to_stderr():
            imported = geniusweb.load_geniusweb(path, profiles or [])
        check_points(imported, file=path)  # case files are checked as they are read; imports here
        return imported
    if profiles or suffix == ".xml" or p.is_dir():
        from accord.io import genius

        with warnings_to_stderr():
            imported = genius.load_scenario(path, profiles or [])
        check_points(imported, file=path)
        return imported
    from accord.io import load_case

    return load_case(path)


def _is_geniusweb(path: Path) -> bool:
    """Whether a JSON file is a GeniusWeb domain or profile (rather than an Accord case file)."""
    try:
        with path.open("r", encoding="utf-8", errors="replace") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    return '"LinearAdditiveUtilitySpace"' in head or ('"issuesValues"' in head and '"preferences"' not in head)


@contextmanager
def warnings_to_stderr() -> Iterator[None]:
    """Print the importers' :class:`~accord.io._xml.FormatWarning` messages as ``accord: warning: ...`` lines."""
    import warnings

    from accord.io._xml import FormatWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FormatWarning)
        try:
            yield
        finally:
            for w in caught:
                if issubclass(w.category, FormatWarning):
                    print(f"accord: warning: {w.message}", file=sys.stderr)
                else:
                    warnings.showwarning(w.message, w.category, w.filename, w.lineno)


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
