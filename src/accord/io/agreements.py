"""Read a table of agreements (CSV) for batch evaluation: one row per negotiating pair.

The classroom situation: every pair of a class negotiated the same case and wrote down its agreement. The
file has a header row, an id column and one column per issue::

    pair,salary,start,training
    Ana & Ben,95k,July,yes
    Chen & Dee,100k,June,yes

The id column is the one named ``id`` or ``pair`` (any case); failing that, the first column unless its
name is an issue of the case (then rows are numbered). Every other column must be named after an issue,
and every issue needs a column. Cells hold option labels (numbers are accepted for numeric issues). Commas,
semicolons and tabs are recognised as separators.

Problems with the header are always errors. Problems with a row (an unknown option, an empty cell, a row
with too few or too many cells) are collected with their row number (the header is row 1); the caller
decides whether to fail or to skip them (``accord evaluate --skip-bad``).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from accord.errors import CaseError, FormatError
from accord.io._files import MAX_DATA_BYTES, read_text
from accord.model import Case
from accord.model.preferences import IntArray

ID_NAMES = ("id", "pair")

#: First characters that make a spreadsheet read a cell as a formula (CSV injection): ``=1+1``, ``@SUM(..)``,
#: ``+cmd|..``, ``-2+3``, and a leading tab or carriage return that some programs strip first.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: object) -> str:
    """``value`` as a CSV cell that no spreadsheet runs as a formula.

    Text starting with ``= + - @`` (or a tab or carriage return) gets a leading apostrophe, which spreadsheets
    show as text and do not evaluate; numbers (``-3``, ``+1.5e3``) stay numbers.

    Examples
    --------
    >>> csv_safe("=1+1"), csv_safe("-3.5"), csv_safe("Ana & Ben")
    ("'=1+1", '-3.5', 'Ana & Ben')
    """
    text = str(value)
    if text.startswith(_FORMULA_START):
        try:
            number = float(text)
        except ValueError:
            return "'" + text
        if text[0] in "\t\r" or not math.isfinite(number):
            return "'" + text
    return text


class CsvWriter:
    """A :func:`csv.writer` whose every cell goes through :func:`csv_safe` (ids, option and party names come
    from users' files and are written back into files a spreadsheet opens)."""

    def __init__(self, buffer: io.StringIO) -> None:
        self._writer = csv.writer(buffer, lineterminator="\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([csv_safe(cell) for cell in row])


@dataclass(frozen=True)
class BadRow:
    """A row that could not be read: its row number (header = 1) and what is wrong."""

    row: int
    message: str

    def to_dict(self) -> dict[str, object]:
        return {"row": self.row, "message": self.message}


@dataclass(frozen=True)
class AgreementTable:
    """The agreements read from a file.

    Attributes
    ----------
    file : str
    ids : tuple of str
    rows : tuple of int
        Row number of each agreement in the file (header = 1).
    packages : ndarray of int, shape (R, issues)
        Option indices in the case's issue order.
    bad : tuple of BadRow
        Rows that could not be read (skipped).
    id_column : str or None
        The header of the id column (None when rows are numbered).
    impasses : tuple of str
        Ids of the rows that report an impasse (``impasse`` in the issue cells: no agreement).
    """

    file: str
    ids: tuple[str, ...]
    rows: tuple[int, ...]
    packages: IntArray
    bad: tuple[BadRow, ...]
    id_column: str | None
    impasses: tuple[str, ...] = ()


def _option(case: Case, k: int, cell: str) -> int:
    issue = case.issues[k]
    if issue.has(cell):
        return issue.index(cell)
    if issue.values is not None:
        try:
            return issue.index(float(cell))
        except (ValueError, CaseError):
            pass
    shown = ", ".join(issue.options[:8]) + (", ..." if issue.size > 8 else "")
    raise ValueError(f"issue {issue.name!r} has no option {cell!r}; expected one of: {shown}")


def read_agreements(path: str, case: Case, *, skip_bad: bool = False) -> AgreementTable:
    """Read a CSV of agreements of ``case``.

    Parameters
    ----------
    path : str
    case : Case
    skip_bad : bool
        Skip rows that cannot be read (they are listed in ``bad``) instead of failing.

    Returns
    -------
    AgreementTable

    Raises
    ------
    FormatError
        The file cannot be read, the header is wrong (unknown issue column, missing issue column, duplicate
        column), some row is bad and ``skip_bad`` is False (the message names the first bad row and counts the
        others), or no agreement is left.
    """
    text = read_text(path, what="a CSV file", encoding="utf-8-sig", limit=MAX_DATA_BYTES)
    return parse_agreements(text, case, file=path, skip_bad=skip_bad)


def parse_agreements(text: str, case: Case, *, file: str = "<agreements>", skip_bad: bool = False) -> AgreementTable:
    """Parse the text of an agreements CSV (see :func:`read_agreements`).

    Examples
    --------
    >>> case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q"]},
    ...     {"A": {"a": [0, 1], "b": [0, 1]}, "B": {"a": [1, 0], "b": [1, 0]}})
    >>> t = parse_agreements("pair,a,b\\nP1,x,q\\nP2,y,zz\\n", case, skip_bad=True)
    >>> t.ids, t.packages.tolist(), t.bad[0].row
    (('P1',), [[0, 1]], 3)
    """
    first_line = next((ln for ln in text.splitlines() if ln.strip()), "")
    if not first_line:
        raise FormatError("is empty; expected a header row (an id column, then one column per issue)", file=file)
    delimiter = max((",", ";", "\t"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header: list[str] | None = None
    header_row = 0
    for cells in reader:
        if any(c.strip() for c in cells):
            header = [c.strip() for c in cells]
            header_row = reader.line_num
            break
    if header is None:  # pragma: no cover - guarded by first_line above
        raise FormatError("has no header row", file=file)
    place = f"row {header_row} (header)"
    seen: dict[str, int] = {}
    for j, name in enumerate(header):
        if not name:
            raise FormatError(f"column {j + 1} has no name; name it after an issue or 'id'", file=file, place=place)
        if name in seen:
            raise FormatError(f"column {name!r} appears twice", file=file, place=place)
        seen[name] = j
    id_col: int | None = next((j for j, n in enumerate(header) if n.lower() in ID_NAMES), None)
    if id_col is None and header[0] not in case.issue_names:
        id_col = 0
    issue_cols: dict[int, int] = {}
    for j, name in enumerate(header):
        if j == id_col:
            continue
        if name not in case.issue_names:
            raise FormatError(f"unknown issue column {name!r}; the case's issues are: {', '.join(case.issue_names)} "
                              f"(and one id column, named id or pair or first)", file=file, place=place)
        issue_cols[j] = case.issue_index(name)
    missing = [n for n in case.issue_names if n not in seen]
    if missing:
        raise FormatError(f"no column for issue(s) {', '.join(missing)}; every issue needs a column",
                          file=file, place=place)
    ids: list[str] = []
    rows: list[int] = []
    packages: list[list[int]] = []
    bad: list[BadRow] = []
    impasses: list[str] = []
    for cells in reader:
        n = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            what = "is missing" if len(cells) < len(header) else "has extra"
            bad.append(BadRow(n, f"{what} cells: {len(cells)} cells for {len(header)} columns "
                                 f"({', '.join(header)})"))
            continue
        # A group without agreement writes "impasse" (the classroom export does); an issue whose options
        # include "impasse" keeps reading it as that option.
        marks = [cells[j].strip() for j in issue_cols]
        if (any(m.lower() == "impasse" for m in marks) and all(m.lower() in ("", "impasse") for m in marks)
                and not all(case.issues[k].has(cells[j].strip()) for j, k in issue_cols.items())):
            impasses.append((cells[id_col].strip() or f"row {n}") if id_col is not None else f"row {n}")
            continue
        pkg = [0] * case.n_issues
        problem = None
        for j, k in issue_cols.items():
            cell = cells[j].strip()
            if not cell:
                problem = f"empty cell for issue {case.issue_names[k]!r}"
                break
            try:
                pkg[k] = _option(case, k, cell)
            except ValueError as err:
                problem = str(err)
                break
        if problem is not None:
            bad.append(BadRow(n, problem))
            continue
        ids.append((cells[id_col].strip() or f"row {n}") if id_col is not None else f"row {n}")
        rows.append(n)
        packages.append(pkg)
    if bad and not skip_bad:
        first = bad[0]
        more = ""
        if len(bad) > 1:
            others = ", ".join(str(b.row) for b in bad[1:6]) + (", ..." if len(bad) > 6 else "")
            more = f"; {len(bad) - 1} more bad row(s): {others}"
        raise FormatError(f"{first.message}{more}; fix the file or pass --skip-bad to skip bad rows",
                          file=file, place=f"row {first.row}")
    if not packages:
        raise FormatError("has no agreement to evaluate" + (" (every row is bad)" if bad else "")
                          + (f" ({len(impasses)} impasse(s))" if impasses else ""), file=file)
    arr = np.asarray(packages, dtype=np.int64).reshape(len(packages), case.n_issues)
    return AgreementTable(file, tuple(ids), tuple(rows), arr, tuple(bad),
                          header[id_col] if id_col is not None else None, tuple(impasses))
