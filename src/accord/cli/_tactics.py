"""Small helpers shared by the tactics commands (logroll, meso, presettle, improve): number formatting,
package text, and reading a JSON file given on the command line with one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from accord.errors import RequestError


def num(x: float | None, signed: bool = False) -> str:
    """A number for a table: integers without decimals, others with 4 significant digits."""
    if x is None:
        return "—"
    if abs(x - round(x)) < 1e-9 * max(1.0, abs(x)):
        return f"{x:+,.0f}" if signed else f"{x:,.0f}"
    return f"{x:+,.4g}" if signed else f"{x:,.4g}"


def package_text(package: dict[str, str]) -> str:
    """``issue=option, ...`` on one line."""
    return ", ".join(f"{k}={v}" for k, v in package.items())


def read_json(path: str, what: str) -> Any:
    """Parse a JSON file; a missing file or bad JSON is a one-line :class:`RequestError` naming the file."""
    p = Path(path)
    if not p.is_file():
        raise RequestError(f"{what} file not found", file=path)
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as err:
        raise RequestError(f"not valid JSON: {err.msg}", file=path, place=f"line {err.lineno}") from None
    except UnicodeDecodeError:
        raise RequestError("not a UTF-8 text file", file=path) from None
