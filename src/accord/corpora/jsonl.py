"""Accord's own corpus format: JSON Lines, one negotiation per line, for anyone else's data.

Each non-blank line is a JSON object::

    {"id": "pair-07", "case": "cases/job.yaml", "agreement": {"salary": "95k", "start": "August"},
     "group": "section A", "meta": {"minutes": 34}}
    {"id": "pair-08", "case": "cases/job.yaml", "agreement": null, "outcome": "impasse"}
    {"case": {"name": "Tiny", "parties": {...}, "issues": {...}, "preferences": {...}}, "agreement": {...}}

- ``case`` (required): a case file path, relative to the JSONL file (YAML or JSON, any case Accord reads),
  or an inline case: the same data a case file holds, as a JSON object;
- ``agreement``: ``{issue: option}`` for every issue, or null/absent for no agreement;
- ``outcome`` (optional): the corpus's word for the outcome (default ``agreement``, or ``impasse`` without
  one);
- ``id``, ``group`` (optional): the record's name and a label to break the figures down by;
- ``meta`` (optional): flat facts copied to the per-row CSV (names to numbers, text, true/false or null).

Every case file and every distinct inline case is read once, and records of equal cases share one pyramid
reference, so 10^5 records over 100 cases cost 100 frontiers plus numpy work per record. A malformed record
raises :class:`~accord.errors.FormatError` naming ``file: line N``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from accord.corpora import CorpusRecord, register
from accord.errors import AccordError, FormatError
from accord.io._files import MAX_DATA_BYTES, read_text
from accord.model import Case, Package

#: Keys a record may have.
KEYS = ("id", "case", "agreement", "outcome", "group", "meta")
#: Most distinct cases one JSONL file may name (each is loaded and its frontier computed).
MAX_CASES = 10_000


class _Cases:
    """Cases by file path or by inline content, each loaded once."""

    def __init__(self, base: Path) -> None:
        self.base = base
        self.by_path: dict[str, Case] = {}
        self.by_text: dict[str, Case] = {}

    def get(self, spec: Any, file: str, line: int) -> Case:
        from accord.io.casefile import case_from_data, load_case

        place = f"line {line}"
        if isinstance(spec, str):
            found = self.by_path.get(spec)
            if found is None:
                self._check_room(file, place)
                target = self.base / spec
                try:
                    found = self.by_path[spec] = load_case(target)
                except AccordError as err:
                    raise FormatError(f"case {spec!r}: {err}", file=file, place=place) from None
            return found
        if isinstance(spec, dict):
            key = json.dumps(spec, sort_keys=True)
            found = self.by_text.get(key)
            if found is None:
                self._check_room(file, place)
                try:
                    found = self.by_text[key] = case_from_data(spec, file=f"{file}: {place} (inline case)")
                except AccordError as err:
                    raise FormatError(f"inline case: {err}", file=file, place=place) from None
            return found
        raise FormatError("'case' must be a case file path (relative to this file) or an inline case object",
                          file=file, place=place)

    def _check_room(self, file: str, place: str) -> None:
        if len(self.by_path) + len(self.by_text) >= MAX_CASES:
            raise FormatError(f"more than {MAX_CASES:,} distinct cases in one file; split the corpus", file=file,
                              place=place)


def _package(case: Case, spec: dict[str, Any]) -> Package:
    """``case.package(spec)``, with a direct path for the usual record (every issue once, known options)."""
    if len(spec) == case.n_issues:
        try:
            return tuple(issue.index(spec[issue.name]) for issue in case.issues)
        except (KeyError, AccordError, TypeError, ValueError):
            pass  # let Case.package find and word the problem
    return case.package(spec)


def _agreement(case: Case, spec: Any, cache: dict[tuple[int, Any], Package], file: str, line: int) -> Package:
    if not isinstance(spec, dict):
        raise FormatError("'agreement' must be an object {issue: option, ...} or null", file=file,
                          place=f"line {line}")
    key: tuple[int, Any] = (id(case), tuple(spec.items()))
    try:
        found = cache.get(key)
    except TypeError:  # an unhashable option (a list): key by its JSON text
        key = (id(case), json.dumps(spec, sort_keys=True))
        found = cache.get(key)
    if found is None:
        try:
            found = cache[key] = _package(case, spec)
        except AccordError as err:
            raise FormatError(f"agreement: {err.message}", file=file, place=f"line {line}") from None
    return found


def parse_record(obj: Any, cases: _Cases, packages: dict[tuple[int, Any], Package], *, file: str,
                 line: int) -> CorpusRecord:
    """One JSONL record (already parsed from JSON) as a :class:`CorpusRecord`."""
    place = f"line {line}"
    if not isinstance(obj, dict):
        raise FormatError("each line must be a JSON object with at least 'case'", file=file, place=place)
    unknown = [k for k in obj if k not in KEYS]
    if unknown:
        raise FormatError(f"unknown key {unknown[0]!r}; a record may have {', '.join(KEYS)}", file=file,
                          place=place)
    if "case" not in obj:
        raise FormatError("the record has no 'case' (a case file path or an inline case)", file=file, place=place)
    case = cases.get(obj["case"], file, line)
    spec = obj.get("agreement")
    agreement = None if spec is None else _agreement(case, spec, packages, file, line)
    outcome = obj.get("outcome", "agreement" if agreement is not None else "impasse")
    if not isinstance(outcome, str) or (agreement is None) == (outcome == "agreement"):
        raise FormatError("'outcome' must be text, and 'agreement' exactly when there is an agreement", file=file,
                          place=place)
    meta: dict[str, Any] = {}
    if "id" in obj:
        meta["id"] = str(obj["id"])
    extra = obj.get("meta", {})
    if not isinstance(extra, dict) or any(
            v is not None and not isinstance(v, str | int | float | bool) for v in extra.values()):
        raise FormatError("'meta' must be a flat object (names to numbers, text, true/false or null)", file=file,
                          place=place)
    for k, v in extra.items():
        meta[f"meta_{k}"] = v
    group = obj.get("group")
    if group is not None and not isinstance(group, str):
        raise FormatError("'group' must be text", file=file, place=place)
    return CorpusRecord(line, case, agreement, outcome, meta, group=group)


class AccordJsonl:
    """Corpus adapter for Accord's JSON Lines corpus format (see the module notes and docs/formats.md)."""

    name = "jsonl"
    description = "Accord JSON Lines: one negotiation per line (a case, the agreement or none, metadata)"
    unit = "records"

    def records(self, path: str) -> Iterator[CorpusRecord]:
        """One record per non-blank line (line numbers stay the file's)."""
        text = read_text(path, what="a corpus file", limit=MAX_DATA_BYTES)
        cases = _Cases(Path(path).parent)
        packages: dict[tuple[int, Any], Package] = {}
        for n, raw in enumerate(text.splitlines(), start=1):
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw)
            except json.JSONDecodeError as err:
                raise FormatError(f"not valid JSON ({err.msg}, column {err.colno})", file=path,
                                  place=f"line {n}") from None
            except RecursionError:
                raise FormatError("JSON nested too deeply", file=path, place=f"line {n}") from None
            except ValueError:  # Python refuses integers of more than 4,300 digits
                raise FormatError("a number has thousands of digits", file=path, place=f"line {n}") from None
            yield parse_record(obj, cases, packages, file=path, line=n)


ADAPTER = register(AccordJsonl())
