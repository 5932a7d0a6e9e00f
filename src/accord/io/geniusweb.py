"""GeniusWeb JSON scenarios: read a domain and linear additive profiles into a :class:`~accord.model.Case`,
and write one back.

GeniusWeb (the successor of GENIUS) writes a domain as ``{"name", "issuesValues": {issue: {"values": [...]}
or {"range": {"low", "high", "step"}}}}`` and a profile as ``{"LinearAdditiveUtilitySpace": {"name",
"issueUtilities", "issueWeights", "domain", "reservationBid"}}``. Semantics, as GeniusWeb computes them:

- U(bid) = Σ_i w_i · u_i(bid_i), weights as given (GeniusWeb requires them to sum to 1; no cap);
- ``discreteutils``: u_i(v) = valueUtilities[v] (already in [0, 1]);
- ``numberutils``: u_i(x) linear from (lowValue, lowUtility) to (highValue, highUtility), 0 outside
  [lowValue, highValue]; a number issue is a real interval analysed on a grid (default 11 points, ``grid``);
- the reservation is a bid: the BATNA is that bid's utility (a package BATNA when the bid names an option
  of every issue); there is no discount factor.

References
----------
GeniusWeb, TU Delft Interactive Intelligence group, https://tracinsy.ewi.tudelft.nl/pubtrac/GeniusWeb (profile
and domain JSON formats). Lin et al., Computational Intelligence 30(1), 2014 (GENIUS).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np

from accord.errors import FormatError, RequestError
from accord.io._files import check_nesting, read_text
from accord.io._xml import FormatWarning
from accord.io.genius import _file_stem, _linear_fit, _num, _targets, warn_rule_dropped, write_files
from accord.io.rescale import AffineMap, MappedPoints, map_for_geniusweb
from accord.model import DEFAULT_GRID, Case, Issue, Party, Preferences
from accord.model.issue import format_number
from accord.model.preferences import FloatArray

__all__ = ["MAPS_FILE", "export_geniusweb", "geniusweb_maps", "load_geniusweb", "read_maps"]

_PROFILE_KEY = "LinearAdditiveUtilitySpace"
#: File beside an export that records each party's affine map (GeniusWeb profiles have no description).
MAPS_FILE = "accord-maps.json"


class _Doc:
    """A parsed JSON file that can point at the line of a key path, for one-line errors."""

    def __init__(self, path: Path) -> None:
        self.file = str(path)
        self.text = read_text(path, what="a JSON file")

        def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
            out: dict[str, Any] = {}
            for k, v in pairs:
                if k in out:
                    raise FormatError(f"the key {k!r} appears twice in one object", file=self.file,
                                      place=self.place((k,)))
                out[k] = v
            return out

        check_nesting(self.text, file=self.file)  # json.loads recurses once per level
        try:
            self.data: Any = json.loads(self.text, object_pairs_hook=no_duplicates)
        except json.JSONDecodeError as err:
            raise FormatError(f"not valid JSON ({err.msg})", file=self.file,
                              place=f"line {err.lineno}, column {err.colno}") from None
        except ValueError:  # Python refuses integers of more than 4,300 digits
            raise FormatError("a number has thousands of digits; check the file", file=self.file) from None

    def place(self, path: Sequence[str | int]) -> str:
        """``line N (a.b.c)``: the line found by looking for each key in turn after the previous one."""
        pos = 0
        for key in path:
            if isinstance(key, str):
                at = self.text.find(json.dumps(key), pos)
                if at >= 0:
                    pos = at
        dotted = ".".join(str(k) for k in path)
        return f"line {self.text.count(chr(10), 0, pos) + 1} ({dotted})" if path else "line 1"

    def error(self, message: str, path: Sequence[str | int]) -> FormatError:
        return FormatError(message, file=self.file, place=self.place(path))


def _mapping(doc: _Doc, value: Any, path: Sequence[str | int], what: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise doc.error(f"expected {what} (a JSON object)", path)
    return value


def _float(doc: _Doc, value: Any, path: Sequence[str | int], what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise doc.error(f"{value!r} is not a number; give {what}", path)
    try:
        x = float(value)
    except ValueError:
        raise doc.error(f"{value!r} is not a number; give {what}", path) from None
    if not np.isfinite(x):
        raise doc.error(f"{value!r} is not a finite number; give {what}", path)
    return x


def _issues(doc: _Doc, domain: Any, path: tuple[str | int, ...], grid: int) -> tuple[str, tuple[Issue, ...]]:
    domain = _mapping(doc, domain, path, "a domain")
    values = _mapping(doc, domain.get("issuesValues"), (*path, "issuesValues"),
                      "\"issuesValues\": {issue: {\"values\": [...]}}")
    issues = []
    for name, spec in values.items():
        where = (*path, "issuesValues", name)
        spec = _mapping(doc, spec, where, "{\"values\": [...]} or {\"range\": {low, high, step}}")
        if "values" in spec:
            opts = spec["values"]
            if not isinstance(opts, list) or not opts:
                raise doc.error("\"values\" must be a non-empty list", (*where, "values"))
            labels = [o if isinstance(o, str) else format_number(_float(doc, o, (*where, "values"), "a value"))
                      for o in opts]
            if len(set(labels)) != len(labels):
                dup = next(x for x in labels if labels.count(x) > 1)
                raise doc.error(f"issue {name!r} lists the value {dup!r} twice", (*where, "values"))
            issues.append(Issue.categorical(name, labels))
        elif "range" in spec:
            rng = _mapping(doc, spec["range"], (*where, "range"), "{\"low\", \"high\", \"step\"}")
            lo = _float(doc, rng.get("low"), (*where, "range", "low"), "the lowest value")
            hi = _float(doc, rng.get("high"), (*where, "range", "high"), "the highest value")
            if hi < lo:
                raise doc.error(f"issue {name!r}: high {hi:g} is below low {lo:g}", (*where, "range"))
            step = rng.get("step")
            note = f"GeniusWeb number range, step {step}" if step is not None else "GeniusWeb number range"
            issues.append(Issue.real_interval(name, lo, hi, grid=grid if hi > lo else 1, description=note))
        else:
            raise doc.error(f"issue {name!r} needs \"values\": [...] or \"range\": {{low, high, step}}", where)
    if not issues:
        raise doc.error("the domain lists no issues", (*path, "issuesValues"))
    name = domain.get("name")
    return (str(name) if name else Path(doc.file).stem), tuple(issues)


def _same_issues(a: tuple[Issue, ...], b: tuple[Issue, ...]) -> str | None:
    """Why two domains differ (None when they hold the same issues and values)."""
    if {i.name for i in a} != {i.name for i in b}:
        return f"issues {sorted(i.name for i in b)} instead of {sorted(i.name for i in a)}"
    by_name = {i.name: i for i in b}
    for i in a:
        j = by_name[i.name]
        if (i.type, set(i.options), i.low, i.high) != (j.type, set(j.options), j.low, j.high):
            return f"other values for issue {i.name!r}"
    return None


def _number_points(doc: _Doc, spec: Mapping[str, Any], issue: Issue, where: tuple[str | int, ...]) -> FloatArray:
    get = {k: _float(doc, spec.get(k), (*where, k), k) for k in ("lowValue", "lowUtility", "highValue", "highUtility")}
    lo_v, lo_u, hi_v, hi_u = get["lowValue"], get["lowUtility"], get["highValue"], get["highUtility"]
    if hi_v < lo_v:
        raise doc.error(f"highValue {hi_v:g} is below lowValue {lo_v:g}", where)
    if issue.values is not None:
        x = np.asarray(issue.values, dtype=float)
    else:
        try:
            x = np.asarray([float(o) for o in issue.options])
        except ValueError:
            raise doc.error(f"numberutils on issue {issue.name!r}, whose values are not numbers", where) from None
    inside = (x >= lo_v) & (x <= hi_v)
    frac = (x - lo_v) / (hi_v - lo_v) if hi_v > lo_v else np.zeros_like(x)
    return np.where(inside, lo_u + (hi_u - lo_u) * frac, 0.0)


def _value_utility(doc: _Doc, spec: Mapping[str, Any], issue: Issue, value: Any,
                   where: tuple[str | int, ...]) -> float:
    """u_i(value) for a reservation-bid value that may not be one of the analysed options."""
    if "discreteutils" in spec:
        table = spec["discreteutils"].get("valueUtilities", {})
        return _float(doc, table.get(str(value), 0.0), where, "a utility")
    num = spec["numberutils"]
    x = _float(doc, value, where, f"a number for issue {issue.name!r}")
    lo_v, lo_u = float(num["lowValue"]), float(num["lowUtility"])
    hi_v, hi_u = float(num["highValue"]), float(num["highUtility"])
    if not lo_v <= x <= hi_v:
        return 0.0
    return lo_u if hi_v == lo_v else lo_u + (hi_u - lo_u) * (x - lo_v) / (hi_v - lo_v)


def _profile(doc: _Doc, issues: tuple[Issue, ...] | None, grid: int,
             name: str) -> tuple[tuple[Issue, ...], str, Party, Preferences]:
    root = _mapping(doc, doc.data, (), "a GeniusWeb profile")
    if _PROFILE_KEY not in root:
        kinds = ", ".join(root) or "nothing"
        raise doc.error(f"only \"{_PROFILE_KEY}\" profiles are supported; this file holds {kinds}", ())
    space = _mapping(doc, root[_PROFILE_KEY], (_PROFILE_KEY,), "a utility space")
    domain_name = ""
    if "domain" in space:
        domain_name, own = _issues(doc, space["domain"], (_PROFILE_KEY, "domain"), grid)
        if issues is not None:
            why = _same_issues(issues, own)
            if why:
                raise doc.error(f"this profile's domain has {why} than the domain file", (_PROFILE_KEY, "domain"))
        else:
            issues = own
    if issues is None:
        raise doc.error("the profile names no domain and no domain file was given", (_PROFILE_KEY,))
    utils = _mapping(doc, space.get("issueUtilities"), (_PROFILE_KEY, "issueUtilities"), "issueUtilities")
    weights_spec = _mapping(doc, space.get("issueWeights"), (_PROFILE_KEY, "issueWeights"), "issueWeights")
    known = {i.name for i in issues}
    for extra in (set(utils) | set(weights_spec)) - known:
        raise doc.error(f"issue {extra!r} is not in the domain", (_PROFILE_KEY, "issueUtilities", extra))
    scores, weights, specs = [], [], {}
    for issue in issues:
        where: tuple[str | int, ...] = (_PROFILE_KEY, "issueUtilities", issue.name)
        if issue.name not in utils:
            raise doc.error(f"no utilities for issue {issue.name!r}", (_PROFILE_KEY, "issueUtilities"))
        if issue.name not in weights_spec:
            raise doc.error(f"no weight for issue {issue.name!r}", (_PROFILE_KEY, "issueWeights"))
        w = _float(doc, weights_spec[issue.name], (_PROFILE_KEY, "issueWeights", issue.name), "a weight")
        spec = _mapping(doc, utils[issue.name], where, "{\"discreteutils\": ...} or {\"numberutils\": ...}")
        specs[issue.name] = spec
        if "discreteutils" in spec:
            if issue.type == "real":
                raise doc.error(f"discreteutils on number issue {issue.name!r}; use numberutils", where)
            table = _mapping(doc, _mapping(doc, spec["discreteutils"], (*where, "discreteutils"), "discreteutils")
                             .get("valueUtilities"), (*where, "valueUtilities"), "valueUtilities")
            for v in table:
                if not issue.has(v):
                    raise doc.error(f"issue {issue.name!r} has no value {v!r} in the domain", (*where, v))
            missing = [o for o in issue.options if o not in table]
            if missing:
                raise doc.error(f"no utility for value {missing[0]!r} of issue {issue.name!r}", where)
            e = np.asarray([_float(doc, table[o], (*where, o), "a utility in [0, 1]") for o in issue.options])
        elif "numberutils" in spec:
            e = _number_points(doc, _mapping(doc, spec["numberutils"], (*where, "numberutils"), "numberutils"),
                               issue, (*where, "numberutils"))
        else:
            raise doc.error(f"issue {issue.name!r} needs discreteutils or numberutils", where)
        if np.any(e < 0) or np.any(e > 1):
            warnings.warn(FormatWarning(f"{doc.file}: {doc.place(where)}: utilities outside [0, 1]; GeniusWeb "
                                        "expects them in [0, 1] (read as given)"), stacklevel=3)
        weights.append(w)
        scores.append(tuple(float(x) for x in w * e))
    total = sum(weights)
    if abs(total - 1.0) > 1e-6:
        warnings.warn(FormatWarning(f"{doc.file}: {doc.place((_PROFILE_KEY, 'issueWeights'))}: the weights sum "
                                    f"to {total:.10g}, not 1 (read as given)"), stacklevel=3)
    batna: float | None = None
    package: tuple[tuple[str, str], ...] | None = None
    bid_spec = space.get("reservationBid")
    if bid_spec is not None:
        bid = _mapping(doc, _mapping(doc, bid_spec, (_PROFILE_KEY, "reservationBid"), "a bid")
                       .get("issuevalues", {}), (_PROFILE_KEY, "reservationBid", "issuevalues"), "issuevalues")
        by_name = {i.name: i for i in issues}
        pairs: list[tuple[str, str]] = []
        points = 0.0
        for issue_name, value in bid.items():
            where = (_PROFILE_KEY, "reservationBid", "issuevalues", issue_name)
            if issue_name not in by_name:
                raise doc.error(f"the reservation bid names issue {issue_name!r}, which is not in the domain", where)
            issue = by_name[issue_name]
            k = [i.name for i in issues].index(issue_name)
            points += weights[k] * _value_utility(doc, specs[issue_name], issue, value, where)
            label = value if isinstance(value, str) else format_number(_float(doc, value, where, "a value"))
            if issue.has(label):
                pairs.append((issue_name, label))
            elif issue.type == "categorical":
                raise doc.error(f"issue {issue_name!r} has no value {value!r}", where)
        if len(pairs) == len(issues):
            package = tuple(pairs)
        else:
            batna = points
    party = Party(name, batna=batna, batna_package=package,
                  description=f"GeniusWeb profile {Path(doc.file).name}")
    return issues, domain_name, party, Preferences(tuple(scores))


def _is_domain(data: Any) -> bool:
    return isinstance(data, Mapping) and "issuesValues" in data and _PROFILE_KEY not in data


def load_geniusweb(domain_path: str | os.PathLike[str] | None, profile_paths: Sequence[str | os.PathLike[str]],
                   *, grid: int = DEFAULT_GRID) -> Case:
    """Read a GeniusWeb scenario (optional domain file plus one linear additive profile per party).

    Parameters
    ----------
    domain_path : str or path-like or None
        The domain JSON; None to take the domain embedded in the profiles (they must agree).
    profile_paths : sequence of str or path-like
        One profile per party (the party is named after the file's stem).
    grid : int
        Points each number issue (a real interval) is analysed on.

    Returns
    -------
    Case
        No cap (GeniusWeb has none); the BATNA is the reservation bid — as a package when it names an option
        of every issue, else as its utility in points.

    Raises
    ------
    FormatError
        Malformed JSON or a profile that does not fit its domain (one line: file, line, what is wrong).
    RequestError
        Fewer than two profiles.

    Examples
    --------
    >>> case = load_geniusweb(None, ["flightbooking1.json", "flightbooking2.json"])  # doctest: +SKIP
    """
    if grid < 2:
        raise RequestError(f"the grid must have at least 2 points per number issue, not {grid}")
    paths = [Path(p) for p in profile_paths]
    issues: tuple[Issue, ...] | None = None
    name = ""
    dfile = None
    if domain_path is not None:
        ddoc = _Doc(Path(domain_path))
        dfile = ddoc.file
        if not _is_domain(ddoc.data):
            if isinstance(ddoc.data, Mapping) and _PROFILE_KEY in ddoc.data:
                paths.insert(0, Path(domain_path))  # a profile given first: its domain is embedded
            else:
                raise ddoc.error("not a GeniusWeb domain: expected {\"name\", \"issuesValues\"}", ())
        else:
            name, issues = _issues(ddoc, ddoc.data, (), grid)
    if len(paths) < 2:
        raise RequestError(f"a scenario needs at least two profiles (one per party), not {len(paths)}",
                           file=dfile)
    parties, prefs = [], []
    seen: dict[str, int] = {}
    for p in paths:
        party_name = p.stem
        seen[party_name] = seen.get(party_name, 0) + 1
        if seen[party_name] > 1:
            party_name = f"{party_name}_{seen[party_name]}"
        doc = _Doc(p)
        issues, dname, party, pref = _profile(doc, issues, grid, party_name)
        name = name or dname
        parties.append(party)
        prefs.append(pref)
    assert issues is not None
    files = [dfile] if dfile else []
    files += [str(p) for p in paths]
    reals = [i.name for i in issues if i.type == "real"]
    grid_text = f" Number issues ({', '.join(reals)}) are analysed on {grid} points each." if reals else ""
    description = (f"GeniusWeb scenario: {', '.join(Path(f).name for f in files)}. Utilities follow GeniusWeb: "
                   f"U = Σ w·u, BATNA = utility of the reservation bid.{grid_text}")
    return Case(name or paths[0].stem, issues, tuple(parties), tuple(prefs), description=description,
                source="geniusweb:" + " ".join(files))


# ---------------------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------------------
def geniusweb_maps(case: Case) -> dict[str, AffineMap]:
    """The affine map :func:`export_geniusweb` applies to each party's points (the identity where they fit).

    Raises
    ------
    RequestError
        A party has interaction terms or a cap that binds (GeniusWeb can hold neither).
    """
    return {party.name: map_for_geniusweb(prefs, float(case.batnas[i]), party.name).map
            for i, (party, prefs) in enumerate(zip(case.parties, case.preferences, strict=True))}


def _number_issue(issue: Issue, tables: Sequence[FloatArray]) -> bool:
    return (issue.type == "real" and issue.values is not None and issue.size > 1
            and _linear_fit(issue.values, tables))


def _domain_json(case: Case, numeric: list[bool]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for issue, is_number in zip(case.issues, numeric, strict=True):
        if is_number and issue.values is not None:
            lo, hi = issue.values[0], issue.values[-1]
            values[issue.name] = {"range": {"low": lo, "high": hi, "step": (hi - lo) / (issue.size - 1)}}
        else:
            values[issue.name] = {"values": list(issue.options)}
    return {"name": case.name, "issuesValues": values}


def _exact_weights(weights: Sequence[float]) -> list[str]:
    """Weight texts whose decimal sum is exactly 1 (GeniusWeb adds them as decimals): the last takes the rest."""
    texts = [_num(w) for w in weights[:-1]]
    rest = Decimal(1) - sum((Decimal(t) for t in texts), Decimal(0))
    return [*texts, format(rest.normalize(), "f") if rest != 0 else "0.0"]


def _profile_json(case: Case, party: Party, mapped: MappedPoints, numeric: list[bool],
                  domain: dict[str, Any]) -> str:
    texts = _exact_weights(mapped.weights)
    weights = [float(t) for t in texts]
    utilities: dict[str, Any] = {}
    for k, (issue, is_number) in enumerate(zip(case.issues, numeric, strict=True)):
        w = weights[k]
        u = np.minimum(1.0, mapped.scores[k] / w) if w > 0 else np.zeros(issue.size)
        if is_number and issue.values is not None:
            utilities[issue.name] = {"numberutils": {"lowValue": issue.values[0], "lowUtility": float(u[0]),
                                                     "highValue": issue.values[-1], "highUtility": float(u[-1])}}
        else:
            utilities[issue.name] = {"discreteutils": {"valueUtilities": {
                o: float(x) for o, x in zip(issue.options, u, strict=True)}}}
    space: dict[str, Any] = {
        "name": party.name,
        "issueUtilities": utilities,
        "issueWeights": {issue.name: f"@@weight{k}@@" for k, issue in enumerate(case.issues)},
        "domain": domain,
    }
    if party.batna_package is not None:
        bid: dict[str, Any] = {}
        for issue_name, option in party.batna_package:
            issue = case.issues[case.issue_index(issue_name)]
            k = issue.index(option)
            bid[issue_name] = issue.values[k] if numeric[case.issue_index(issue_name)] and issue.values else option
        space["reservationBid"] = {"issuevalues": bid}
    text = json.dumps({_PROFILE_KEY: space}, indent=2, ensure_ascii=False)
    for k, t in enumerate(texts):
        text = text.replace(f'"@@weight{k}@@"', t)
    return text + "\n"


def export_geniusweb(case: Case, out_dir: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Write ``case`` as a GeniusWeb scenario: a domain JSON and one linear additive profile per party.

    Parameters
    ----------
    case : Case
    out_dir : str or path-like
    force : bool
        Replace existing files with other content (otherwise refuse before writing anything).

    Returns
    -------
    list of Path
        The domain file, one profile per party (named after the party), and ``accord-maps.json`` recording
        each party's affine map (GeniusWeb profiles have no description field).

    Raises
    ------
    RequestError
        Interaction terms or a binding cap (GeniusWeb's linear additive space holds neither), or a file
        would be overwritten without ``force``.

    Warns
    -----
    FormatWarning
        When a BATNA given in points (not as a package) matters but cannot be written: GeniusWeb holds the
        reservation only as a bid; and when the case's agreement rule is not unanimity (GeniusWeb has no place
        for it, see :func:`accord.io.genius.warn_rule_dropped`).

    Notes
    -----
    Points are mapped by :func:`accord.io.rescale.map_for_geniusweb` (identity when every point is ≥ 0 and the
    best package is worth at most 1). Real issues whose points are linear for every party become number
    ranges with ``numberutils``; every other issue is written with its labels and ``discreteutils``. The
    weights are written so that their decimal sum is exactly 1.

    Examples
    --------
    >>> import tempfile
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 2]}, "B": {"a": [2, 0]}})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export_geniusweb(case, d)]
    ['t.json', 'A.json', 'B.json', 'accord-maps.json']
    """
    out = Path(out_dir)
    mapped = [map_for_geniusweb(prefs, float(case.batnas[i]), party.name)
              for i, (party, prefs) in enumerate(zip(case.parties, case.preferences, strict=True))]
    numeric = [_number_issue(issue, [m.scores[k] for m in mapped]) for k, issue in enumerate(case.issues)]
    domain = _domain_json(case, numeric)
    domain_path, profile_paths = _targets(case, out, _file_stem(case.name), ".json")
    files = {domain_path: json.dumps(domain, indent=2, ensure_ascii=False) + "\n"}
    for i, (party, m, path) in enumerate(zip(case.parties, mapped, profile_paths, strict=True)):
        low = case.preferences[i].min_additive()
        if party.batna_package is None and float(case.batnas[i]) > low + 1e-12 * max(1.0, abs(low)):
            warnings.warn(FormatWarning(
                f"party {party.name!r}: GeniusWeb holds a reservation only as a bid, so the BATNA of "
                f"{float(case.batnas[i]):g} points is not written (the profile has no reservation bid)"), stacklevel=2)
        files[path] = _profile_json(case, party, m, numeric, domain)
    maps = {m.map.party: {**m.map.to_dict(), "file": p.name, "note": m.map.describe()}
            for m, p in zip(mapped, profile_paths, strict=True)}
    files[out / MAPS_FILE] = json.dumps(maps, indent=2, ensure_ascii=False) + "\n"
    paths = write_files(files, force=force)
    warn_rule_dropped(case, "GeniusWeb")
    return paths


def read_maps(folder: str | os.PathLike[str]) -> dict[str, AffineMap]:
    """The affine maps an Accord GeniusWeb export recorded in ``accord-maps.json`` (empty when there is none)."""
    path = Path(folder) / MAPS_FILE
    if not path.is_file():
        return {}
    doc = _Doc(path)
    data = _mapping(doc, doc.data, (), "party → map")
    out = {}
    for party, spec in data.items():
        spec = _mapping(doc, spec, (party,), "{\"a\", \"b\"}")
        out[party] = AffineMap(party, _float(doc, spec.get("a"), (party, "a"), "a"),
                               _float(doc, spec.get("b"), (party, "b"), "b"), tuple(spec.get("reasons", ())))
    return out
