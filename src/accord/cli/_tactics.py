"""Small helpers shared by the tactics commands (logroll, meso, presettle, improve): number formatting,
package text, and reading a JSON file given on the command line with one-line errors."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from accord.errors import RequestError


def num(x: float | None, signed: bool = False) -> str:
    """A number for a table: integers without decimals, others with 4 significant digits."""
    if x is None:
        return "—"
    if not math.isfinite(x):
        return f"{x:+}" if signed else f"{x}"
    if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)):
        return f"{x:+,.0f}" if signed else f"{x:,.0f}"
    return f"{x:+,.4g}" if signed else f"{x:,.4g}"


def package_text(package: dict[str, str]) -> str:
    """``issue=option, ...`` on one line."""
    return ", ".join(f"{k}={v}" for k, v in package.items())


def read_json(path: str, what: str) -> Any:
    """Parse a JSON file; a missing file or bad JSON is a one-line :class:`RequestError` naming the file."""
    from accord.io._files import check_nesting, read_text

    p = Path(path)
    if not p.exists():
        raise RequestError(f"{what} file not found", file=path)
    text = read_text(p, what=f"a {what} file", error=RequestError)  # size-capped, like every user file
    check_nesting(text, file=path, error=RequestError)
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise RequestError(f"not valid JSON: {err.msg}", file=path, place=f"line {err.lineno}") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise RequestError("a number has thousands of digits; check the file", file=path) from None
