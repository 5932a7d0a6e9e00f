"""Read and write case files (YAML or JSON) with one-line errors that name the file and the place.

Reading goes in three steps: parse the text (YAML or JSON, rejecting duplicate keys and remembering the line
of every key), check the structure against :mod:`accord.io.schema` (pydantic), then build the
:class:`~accord.model.Case`, checking every cross-reference (parties, issues, options, points). Whatever goes
wrong is raised as a :class:`~accord.errors.CaseError` whose message is one line: ``FILE: line N (path):
what is wrong; what is expected``.
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from accord.errors import AccordError, CaseError, RequestError
from accord.io._files import MAX_DEPTH, check_nesting, read_text
from accord.io.schema import (
    MAX_MAGNITUDE,
    CaseFile,
    EventSpec,
    InteractionSpec,
    IssueSpec,
    LinearValue,
    PartySpec,
    PreferenceSpec,
    RangeCondition,
    TriangularValue,
)
from accord.model import (
    DEFAULT_GRID,
    UNANIMITY,
    AgreementRule,
    Case,
    Estimate,
    Event,
    Interaction,
    Issue,
    Party,
    Preferences,
)

Path_ = tuple[str | int, ...]
RESERVED = ("weights", "scale", "cap", "interactions")
_MAG = f"{MAX_MAGNITUDE:.0e}".replace("e+", "e")
#: Largest total a party's points may reach (see :func:`points_problem`); below 2**52, so integer totals stay
#: exact in float64.
MAX_TOTAL = 1e15
#: Smallest nonzero stake of an issue (or interaction), relative to the party's largest total, for non-integer
#: points (see :func:`points_problem`).
MIN_STAKE_RATIO = 1e-6
#: Most parties and issues in one case (see :func:`size_problem`).
MAX_PARTIES = 50
MAX_ISSUES = 100
#: Most values (mappings, lists and scalars) a case file may hold once its YAML aliases are expanded.
MAX_NODES = 250_000


# ---------------------------------------------------------------------------------------------------------
# parsing with line numbers
# ---------------------------------------------------------------------------------------------------------
class _Lines:
    """Line number (1-based) of every key path in a parsed file."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, ...], int] = {}

    def set(self, path: Path_, line: int, *, replace: bool = True) -> None:
        key = tuple(str(p) for p in path)
        if replace or key not in self.lines:
            self.lines[key] = line

    def line(self, path: Path_) -> int | None:
        # keys are compared as text: the file's key ``0`` and pydantic's ``0`` are the same place
        key = tuple(str(p) for p in path)
        for n in range(len(key), -1, -1):
            if key[:n] in self.lines:
                return self.lines[key[:n]]
        return None


class _Loader(yaml.SafeLoader):
    """YAML with YAML 1.2 booleans: only true/false are booleans, so options such as ``yes``, ``no``,
    ``on`` and ``off`` stay text (YAML 1.1 would silently turn them into true/false)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# YAML 1.2 exponents such as 1e6 or 1.5e3 (no sign after the e): YAML 1.1 would read them as text
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)[eE][-+]?[0-9]+$"),
    list("-+.0123456789"))


def _walk_yaml(node: yaml.Node, path: Path_, lines: _Lines, file: str) -> None:
    lines.set(path, node.start_mark.line + 1, replace=False)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Mark] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            mark = key_node.start_mark
            if key in seen:
                where = ".".join(str(p) for p in (*path, key))
                first = seen[key]
                earlier = (f"column {first.column + 1} of the same line" if first.line == mark.line
                           else f"line {first.line + 1}")
                raise CaseError(
                    f"{key!r} is defined twice (first at {earlier}); names must be unique",
                    file=file, place=f"line {mark.line + 1} ({where})",
                )
            seen[key] = mark
            lines.set((*path, key), key_node.start_mark.line + 1)
            _walk_yaml(value_node, (*path, key), lines, file)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk_yaml(item, (*path, i), lines, file)


def _check_tree(root: yaml.Node, file: str) -> None:
    """Refuse a YAML document whose aliases expand beyond :data:`MAX_NODES` nodes, that nests deeper than
    :data:`~accord.io._files.MAX_DEPTH` or whose alias refers to itself, before anything expands it.

    An alias (``*name``) repeats a node without copying it, so ten aliases of ten aliases ... (the "billion
    laughs") is a few hundred bytes that expand to 10**9 nodes in every walk over the data. Sizes are counted
    once per distinct node, so the check itself costs one pass over the file's nodes.
    """
    sizes: dict[int, int] = {}
    open_: set[int] = set()

    def size(node: yaml.Node, depth: int) -> int:
        key = id(node)
        if key in sizes:
            return sizes[key]
        if depth > MAX_DEPTH:
            raise CaseError(f"lists and mappings are nested more than {MAX_DEPTH} levels deep; a case file needs "
                            "far fewer, so check the indentation", file=file,
                            place=f"line {node.start_mark.line + 1}")
        if key in open_:
            raise CaseError("an alias (*name) refers to the mapping or list it is inside; it would never end",
                            file=file, place=f"line {node.start_mark.line + 1}")
        open_.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            total += sum(size(k, depth + 1) + size(v, depth + 1) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            total += sum(size(v, depth + 1) for v in node.value)
        open_.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise CaseError(f"expands to more than {MAX_NODES:,} values once its aliases (*name) are repeated; "
                            "Accord's limit keeps a small file from filling the memory, so use fewer aliases",
                            file=file, place=f"line {node.start_mark.line + 1}")
        return total

    size(root, 1)


def _parse_yaml(text: str, file: str) -> tuple[Any, _Lines]:
    lines = _Lines()
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            _check_tree(node, file)
            _walk_yaml(node, (), lines, file)
        data = yaml.load(text, Loader=_Loader)  # _Loader is a SafeLoader: no arbitrary objects
    except RecursionError:
        # the parser recursed once per level before _check_tree could count them
        raise CaseError(f"lists and mappings are nested more than {MAX_DEPTH} levels deep; a case file needs far "
                        "fewer, so check the file", file=file) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        problem = err.problem or err.context or "cannot parse"
        fix = "check indentation, colons and quotes"
        if "<block" in problem and err.context_mark is not None:
            # PyYAML's own words ("expected <block end>") mean nothing to a person editing a case file
            problem = (f"this line is indented differently from the block that starts on line "
                       f"{err.context_mark.line + 1}")
            fix = "indent keys of the same level by the same number of spaces"
        elif "'\\t'" in problem:
            problem, fix = "a tab character", "indent with spaces, not tabs"
        raise CaseError(f"bad YAML: {problem}; {fix}", file=file, place=line) from None
    except yaml.YAMLError as err:
        raise CaseError(f"bad YAML: {err}", file=file) from None
    return data, lines


def _parse_json(text: str, file: str) -> tuple[Any, _Lines]:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in pairs:
            if k in out:
                raise CaseError(f"{k!r} is defined twice; names must be unique", file=file)
            out[k] = v
        return out

    check_nesting(text, file=file, error=CaseError)
    # JSON is YAML: the YAML walker gives line numbers and locates a duplicate key.
    lines = _Lines()
    walk_error: CaseError | None = None
    try:
        node = yaml.compose(text, Loader=_Loader)
        if node is not None:
            _walk_yaml(node, (), lines, file)
    except (yaml.YAMLError, RecursionError):
        pass
    except CaseError as err:
        walk_error = err
    try:
        data = json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as err:
        raise CaseError(f"bad JSON: {err.msg}", file=file,
                        place=f"line {err.lineno}, column {err.colno}") from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        raise CaseError("a number has thousands of digits; use numbers between -1e12 and 1e12", file=file) from None
    except CaseError as err:
        raise (walk_error or err) from None
    return data, lines


def _kind_of(value: Any) -> str:
    """``value``'s kind in a person's words, with its article."""
    kinds = {list: "a list", str: "text", int: "a number", float: "a number", bool: "a true/false value"}
    return kinds.get(type(value), f"a {type(value).__name__}")


def _place(path: Path_, lines: _Lines) -> str:
    dotted = ".".join(str(p) for p in path)
    line = lines.line(path)
    if line is None:
        return dotted
    return f"line {line} ({dotted})" if dotted else f"line {line}"


# ---------------------------------------------------------------------------------------------------------
# public API
# ---------------------------------------------------------------------------------------------------------
def load_case(path: str | os.PathLike[str]) -> Case:
    """Read a case file (``.yaml``, ``.yml`` or ``.json``).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    Case

    Raises
    ------
    CaseError
        One line naming the file, the place (line and dotted path) and what is expected.

    Examples
    --------
    >>> case = load_case("examples/job-offer.yaml")  # doctest: +SKIP
    """
    p = Path(path)
    file = str(path)
    text = read_text(p, what="a case file", error=CaseError)
    return parse_case(text, file=file, json_format=p.suffix.lower() == ".json")


def load_case_data(path: str | os.PathLike[str]) -> Any:
    """The parsed content of a case file (dicts and lists), read and parsed with the same limits and one-line
    errors as :func:`load_case`, for callers that adjust it before :func:`case_from_data`."""
    p = Path(path)
    text = read_text(p, what="a case file", error=CaseError)
    file = str(path)
    data, _ = _parse_json(text, file) if p.suffix.lower() == ".json" else _parse_yaml(text, file)
    return data


def size_problem(n_parties: int, n_issues: int) -> tuple[str, str] | None:
    """Why a case with this many parties or issues is refused (message, "parties" or "issues"), or None.

    The analysis compares every pair of parties on every issue and the frontier engine keeps one entry per
    issue in each partial package it holds: 400 parties or 400 issues ran for minutes and took gigabytes.
    """
    if n_parties > MAX_PARTIES:
        return (f"{n_parties:,} parties is more than Accord's limit of {MAX_PARTIES} per case; analyse a "
                "smaller group, or the coalitions that matter, separately", "parties")
    if n_issues > MAX_ISSUES:
        return (f"{n_issues:,} issues is more than Accord's limit of {MAX_ISSUES} per case; merge issues that "
                "are always settled together, or fix some in advance", "issues")
    return None


def check_points(case: Case, *, file: str | None = None) -> None:
    """Raise :class:`CaseError` when a case is larger than Accord's limits (see :func:`size_problem`) or a
    party's points are beyond what the frontier engine holds exactly (see :func:`points_problem`); for cases
    that did not come from a case file (GENIUS and GeniusWeb imports)."""
    size = size_problem(case.n_parties, case.n_issues)
    if size is not None:
        raise CaseError(size[0], file=file or case.source or None)
    names = case.issue_names
    for party, prefs in zip(case.party_names, case.preferences, strict=True):
        problem = points_problem(prefs, names)
        if problem is not None:
            message, issue = problem
            place = f"party {party!r}" + (f", issue {issue!r}" if issue else "")
            raise CaseError(message, file=file or case.source or None, place=place)


def parse_case(text: str, *, file: str = "<case>", json_format: bool = False) -> Case:
    """Parse the text of a case file (YAML, or JSON when ``json_format``)."""
    data, lines = _parse_json(text, file) if json_format else _parse_yaml(text, file)
    return case_from_data(data, file=file, lines=lines)


def case_from_data(data: Any, *, file: str = "<case>", lines: _Lines | None = None) -> Case:
    """Build a :class:`Case` from already-parsed data (a dict shaped like a case file)."""
    lines = lines or _Lines()
    if not isinstance(data, Mapping):
        found = "nothing (the file is empty)" if data is None else _kind_of(data)
        raise CaseError(f"found {found}; a case file is a mapping with name, parties, issues and preferences",
                        file=file, place=_place((), lines) or "line 1")
    try:
        spec = CaseFile.model_validate(data)
    except ValidationError as err:
        raise _from_pydantic(err, file, lines) from None
    try:
        return _build(spec, file)
    except _Located as err:
        raise CaseError(err.message, file=file, place=_place(err.path, lines)) from None
    except AccordError as err:
        raise err.located(file=file) from None


def save_case(case: Case, path: str | os.PathLike[str]) -> None:
    """Write ``case`` as YAML or JSON (by suffix), atomically: a failure never leaves a half-written file."""
    p = Path(path)
    data = case.to_dict()
    text = (json.dumps(data, indent=2, ensure_ascii=False) + "\n" if p.suffix.lower() == ".json"
            else yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))
    write_text_atomic(p, text)


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` via a temporary file in the same folder and an atomic rename.

    Raises
    ------
    RequestError
        The file cannot be written (a parent is a file, no permission, a full disk, ...): one line naming it.
    """
    try:
        _write_atomic(path, text)
    except OSError as err:
        raise RequestError(_write_problem(path, err), file=str(path)) from None


def _write_problem(path: Path, err: OSError) -> str:
    """Why ``path`` cannot be written, in words a user can act on."""
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"cannot write here: {parent} is a file, not a folder; choose another path"
            break
    if path.is_dir():
        return "cannot write here: it is a folder; give a file name"
    reason = err.strerror or type(err).__name__
    return f"cannot write the file ({reason.lower()}); check the path and its permissions"


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp creates the file private (0600); give it the mode a plain open() would (or the old file's)
        try:
            mode = path.stat().st_mode & 0o777
        except OSError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# ---------------------------------------------------------------------------------------------------------
# pydantic errors → one line
# ---------------------------------------------------------------------------------------------------------
_FRIENDLY = {
    "missing": "this field is required",
    "extra_forbidden": "unknown field; check its spelling",
    "finite_number": "must be a finite number (not NaN or infinite)",
    "float_parsing": "must be a number",
    "float_type": "must be a number",
    "dict_type": "must be a mapping (key: value)",
    "list_type": "must be a list",
    "string_type": "must be text",
    "bool_parsing": "must be true or false",
    "bool_type": "must be true or false",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "greater_than_equal": f"must be between -{_MAG} and {_MAG} (Accord's limit on the size of a number); rescale "
                          "the points",
    "less_than_equal": f"must be between -{_MAG} and {_MAG} (Accord's limit on the size of a number); rescale the "
                       "points",
}


#: Names pydantic puts in an error location for the member of a union it tried (not keys of the file).
_UNION_TAGS = frozenset({"IssueSpec", "BatnaPackage", "RangeCondition", "PartySpec", "LinearValue",
                         "TriangularValue", "float", "int", "str", "bool", "none", "[key]"})

#: What a field that accepts several forms expects, by the shape of its dotted path.
_FORMS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("parties", "*", "batna"), "must be a number of points or {package: {issue: option, ...}}"),
    (("parties", "*"), "must be a mapping such as {batna: 0} (or empty)"),
    (("issues", "*"), "must be a list of options or a mapping such as {options: [...]}, "
                      "{type: integer, min: 0, max: 10} or {type: real, min: 0, max: 1, grid: 11}"),
    (("preferences", "*", "*"), "must be points per option {option: points}, {linear: {at_min: .., at_max: ..}} "
                                "or {triangular: {low: .., peak: .., high: ..}}"),
    (("estimates", "*", "*", "*"), "must be points per option {option: points}, {linear: {at_min: .., "
                                   "at_max: ..}} or {triangular: {low: .., peak: .., high: ..}}"),
    (("preferences", "*", "interactions", "*", "when", "*"), "must be a list of options or a range "
                                                              "{min: .., max: ..} / {from: .., to: ..}"),
)


def _is_tag(item: Any) -> bool:
    s = str(item)
    return (s in _UNION_TAGS or s.startswith(("<", "list[", "dict[", "function-", "constrained-", "union[",
                                                   "nullable[")))


def _form_hint(path: Path_) -> str | None:
    for pattern, hint in _FORMS:
        if len(pattern) == len(path) and all(p in ("*", str(x)) for p, x in zip(pattern, path, strict=True)):
            if pattern[-1] == "*" and pattern[0] == "preferences" and str(path[-1]) in RESERVED:
                return None
            return hint
    return None


def _from_pydantic(err: ValidationError, file: str, lines: _Lines) -> CaseError:
    errors = err.errors()

    def clean(loc: tuple[Any, ...]) -> Path_:
        return tuple(item for item in loc if not _is_tag(item))

    def order(e: Any) -> tuple[float, int]:
        # the first thing in the file that is wrong (by the line of the party, issue, ... it belongs to),
        # and there the most specific error: a union reports one error per form it tried
        path = clean(e["loc"])
        line = lines.line(path[:2]) if path else None
        return (line if line is not None else math.inf, -len(path))

    best = min(errors, key=order)
    path = clean(best["loc"])
    same_place = [e for e in errors if clean(e["loc"]) == path]
    msg = _FRIENDLY.get(best["type"], best["msg"])
    if best["type"] == "extra_forbidden" and path:
        msg = f"unknown field {str(path[-1])!r}; check its spelling"
    elif best["type"] == "missing" and path:
        msg = f"{str(path[-1])!r} is required here"
        path = path[:-1]
    elif best["type"] == "finite_number":
        pass
    elif bound := next((e for e in same_place if e["type"] in ("greater_than_equal", "less_than_equal")), None):
        # a number of the right kind but too large: say so, not which other forms the field accepts
        msg = _FRIENDLY[bound["type"]]
    elif (len(same_place) > 1 or best["type"] in ("dict_type", "list_type", "model_type")) \
            and (hint := _form_hint(path)):
        # several forms were tried and none fitted: say which forms are accepted
        msg = hint
    if best["loc"] and str(best["loc"][-1]) == "[key]":
        msg = f"the key {best['input']!r} {msg}; put it in quotes"
    return CaseError(msg, file=file, place=_place(path, lines))


# ---------------------------------------------------------------------------------------------------------
# building the model
# ---------------------------------------------------------------------------------------------------------
class _Located(Exception):
    def __init__(self, message: str, path: Path_) -> None:
        super().__init__(message)
        self.message = message
        self.path = path


def _label(x: str | int | float) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    return str(x)


def _build_issue(name: str, spec: IssueSpec | list[str | int | float]) -> Issue:
    path: Path_ = ("issues", name)
    if name in RESERVED:
        raise _Located(f"{name!r} is a reserved word in preferences; rename the issue", path)
    if isinstance(spec, list):
        spec = IssueSpec(options=spec)
    kind = spec.type
    try:
        if spec.options is not None:
            if kind in ("integer", "real"):
                raise _Located(f"an {kind} issue takes min and max, not a list of options", path)
            opts = [_label(o) for o in spec.options]
            if not opts:
                raise _Located("no options; list at least one", (*path, "options"))
            dupes = sorted({o for o in opts if opts.count(o) > 1})
            if dupes:
                raise _Located(f"option {dupes[0]!r} is listed twice; option names must be unique",
                               (*path, "options"))
            listed = (Issue.ordinal(name, opts, spec.description) if kind == "ordinal" or spec.ordered
                      else Issue.categorical(name, opts, spec.description))
            return dataclasses.replace(listed, unit=spec.unit) if spec.unit else listed
        if spec.min is None or spec.max is None:
            raise _Located("give either options: [...] or min and max (an integer range or real interval)",
                           path)
        if kind == "real" or ((kind is None and not (float(spec.min).is_integer()
                                                     and float(spec.max).is_integer())) or spec.grid is not None):
            if spec.step is not None:
                raise _Located("step is for integer ranges; a real interval takes grid", path)
            # grid: 0 is a mistake to report, not a request for the default
            return Issue.real_interval(name, spec.min, spec.max,
                                       grid=DEFAULT_GRID if spec.grid is None else spec.grid,
                                       unit=spec.unit, description=spec.description)
        if not (float(spec.min).is_integer() and float(spec.max).is_integer()):
            raise _Located("an integer range needs whole-number min and max", path)
        return Issue.integer_range(name, int(spec.min), int(spec.max), step=1 if spec.step is None else spec.step,
                                   unit=spec.unit, description=spec.description)
    except CaseError as err:
        raise _Located(err.message, path) from None


def _option_index(issue: Issue, option: str | int | float, path: Path_) -> int:
    try:
        return issue.index(option if isinstance(option, str) else _label(option))
    except CaseError as err:
        if not isinstance(option, str):
            try:  # a number such as 2.50 for the option labelled 2.5
                return issue.index(float(option))
            except CaseError:
                pass
        raise _Located(err.message, path) from None


def _value_table(issue: Issue, spec: Any, path: Path_) -> list[float]:
    if isinstance(spec, LinearValue):
        if issue.values is None:
            raise _Located(f"a linear value needs an ordered issue; {issue.name!r} is categorical "
                           "(list points per option, or declare it ordered)", path)
        lo, hi = issue.values[0], issue.values[-1]
        a, b = spec.linear.at_min, spec.linear.at_max
        return [a if hi == lo else a + (b - a) * (v - lo) / (hi - lo) for v in issue.values]
    if isinstance(spec, TriangularValue):
        if issue.values is None:
            raise _Located(f"a triangular value needs a numeric issue; {issue.name!r} is categorical", path)
        t = spec.triangular
        if not t.low <= t.peak <= t.high:
            raise _Located("triangular needs low <= peak <= high", path)
        out = []
        for x in issue.values:
            if x == t.peak:
                out.append(1.0)
            elif t.low < x < t.peak:
                out.append((x - t.low) / (t.peak - t.low))
            elif t.peak < x < t.high:
                out.append((t.high - x) / (t.high - t.peak))
            else:
                out.append(0.0)
        return out
    table: dict[str, float] = spec
    values: list[float | None] = [None] * issue.size
    for option, pts in table.items():
        k = _option_index(issue, option, (*path, option))
        if values[k] is not None:
            raise _Located(f"option {issue.options[k]!r} is given points twice", (*path, option))
        values[k] = float(pts)
    missing = [o for o, v in zip(issue.options, values, strict=True) if v is None]
    if missing:
        shown = ", ".join(repr(m) for m in missing[:5]) + (", ..." if len(missing) > 5 else "")
        raise _Located(f"no points for option {shown} of issue {issue.name!r}; give points for every option",
                       path)
    return [float(v) for v in values if v is not None]


def _condition(issue: Issue, spec: list[str | int | float] | RangeCondition, path: Path_) -> frozenset[int]:
    if isinstance(spec, list):
        if not spec:
            raise _Located("an empty option list can never match; list at least one option", path)
        return frozenset(_option_index(issue, o, (*path, i)) for i, o in enumerate(spec))
    if not issue.ordered or issue.values is None:
        raise _Located(f"a range needs an ordered issue; {issue.name!r} is categorical (list the options)",
                       path)
    lo_i, hi_i = 0, issue.size - 1
    if spec.from_ is not None:
        lo_i = _option_index(issue, spec.from_, (*path, "from"))
    if spec.to is not None:
        hi_i = _option_index(issue, spec.to, (*path, "to"))
    chosen = {
        i for i in range(lo_i, hi_i + 1)
        if (spec.min is None or issue.values[i] >= spec.min - 1e-12)
        and (spec.max is None or issue.values[i] <= spec.max + 1e-12)
    }
    if not chosen:
        raise _Located("this range contains no option of the issue", path)
    return frozenset(chosen)


def _interaction(issues: tuple[Issue, ...], index: dict[str, int], spec: InteractionSpec,
                 path: Path_) -> Interaction:
    if len(spec.when) < 1:
        raise _Located("an interaction needs at least one condition under 'when'", (*path, "when"))
    conditions = []
    for issue_name, cond in spec.when.items():
        if issue_name not in index:
            raise _Located(f"unknown issue {issue_name!r}; the case has: {', '.join(index)}",
                           (*path, "when", issue_name))
        k = index[issue_name]
        conditions.append((k, _condition(issues[k], cond, (*path, "when", issue_name))))
    return Interaction(tuple(conditions), float(spec.points), spec.label)


def _preferences(issues: tuple[Issue, ...], index: dict[str, int], spec: PreferenceSpec,
                 path: Path_) -> Preferences:
    extra: dict[str, Any] = dict(spec.__pydantic_extra__ or {})
    for name in extra:
        if name not in index:
            raise _Located(f"unknown issue {name!r}; the case has: {', '.join(index)}", (*path, name))
    if spec.weights is not None:
        for name in spec.weights:
            if name not in index:
                raise _Located(f"unknown issue {name!r}; the case has: {', '.join(index)}",
                               (*path, "weights", name))
    scores = []
    for issue in issues:
        if issue.name not in extra:
            raise _Located(f"no points for issue {issue.name!r}; give points for each of its options", path)
        values = _value_table(issue, extra[issue.name], (*path, issue.name))
        weight = 1.0
        if spec.weights is not None:
            if issue.name not in spec.weights:
                raise _Located(f"no weight for issue {issue.name!r}; give a weight for every issue",
                               (*path, "weights"))
            weight = spec.weights[issue.name]
        scores.append(tuple(spec.scale * weight * v for v in values))
    interactions = tuple(_interaction(issues, index, t, (*path, "interactions", i))
                         for i, t in enumerate(spec.interactions))
    for i, t in enumerate(interactions):
        t_scaled = Interaction(t.conditions, t.points * spec.scale, t.label) if spec.scale != 1 else t
        interactions = (*interactions[:i], t_scaled, *interactions[i + 1:])
    for k, row in enumerate(scores):
        if not all(math.isfinite(x) for x in row):
            raise _Located("points overflow to infinity; use smaller numbers", (*path, issues[k].name))
    prefs = Preferences(tuple(scores), interactions, spec.cap)
    problem = points_problem(prefs, tuple(i.name for i in issues))
    if problem is not None:
        message, issue_name = problem
        raise _Located(message, (*path, issue_name) if issue_name else path)
    return prefs


def _g(x: float) -> str:
    """A number in a message: 3 significant digits, ``1e12`` rather than ``1e+12``."""
    return f"{x:.3g}".replace("e+", "e")


def points_problem(prefs: Preferences, issue_names: tuple[str, ...]) -> tuple[str, str | None] | None:
    """Why the frontier engine cannot hold ``prefs`` exactly enough, or None when it can.

    The engine compares each party's utilities on an integer grid (``accord.analysis._compile``): integer
    points below 2**52 exactly; otherwise in quanta of at most :data:`~accord.analysis._compile.REL_TOL`
    (10**-9) of the party's largest total ``M``, so a package's total is off by at most half that. Two limits
    follow, both checked here before any analysis runs:

    * ``M`` (the sum over issues of the largest ``|points|``, plus every interaction's ``|points|``, or the
      cap if larger) is at most :data:`MAX_TOTAL`, so totals, joint sums and products stay finite and exact;
    * for non-integer points, every issue's stake (its best minus its worst option) and every interaction's
      points are 0 or at least :data:`MIN_STAKE_RATIO` × ``M``: the rounding then moves a stake by at most
      0.05 %, where 1e300 beside 3,000 would silently round the 3,000 to nothing.

    Returns
    -------
    (message, issue name or None) or None
    """
    n = len(issue_names)
    tables = [prefs.table(k) for k in range(n)]
    stakes = [float(t.max() - t.min()) if len(t) else 0.0 for t in tables]
    total = sum(float(abs(t).max()) if len(t) else 0.0 for t in tables)
    total += sum(abs(t.points) for t in prefs.interactions)
    scale = max(total, abs(prefs.cap)) if prefs.cap is not None else total
    if not math.isfinite(scale) or scale > MAX_TOTAL:
        return (f"the points add up to {_g(scale)} in size, more than Accord's limit of {_g(MAX_TOTAL)} per party; "
                "rescale them (for example to thousands)", None)
    extra = [t.points for t in prefs.interactions] + ([prefs.cap] if prefs.cap is not None else [])
    if all(bool((t == t.round()).all()) for t in tables) and all(float(x).is_integer() for x in extra):
        return None  # integer points below 2**52 are compared exactly, whatever their range
    floor = MIN_STAKE_RATIO * scale
    what = "the cap" if prefs.cap is not None and abs(prefs.cap) > total else "the party's largest total"
    for name, stake in zip(issue_names, stakes, strict=True):
        if 0 < stake < floor:
            return (f"this issue's stake ({stake:.3g} points) is less than one millionth of {what} "
                    f"({_g(scale)}); Accord cannot compare such different magnitudes exactly, so make it 0 or "
                    "rescale the points", name)
    for t in prefs.interactions:
        if 0 < abs(t.points) < floor:
            return (f"an interaction's points ({t.points:.3g}) are less than one millionth of {what} "
                    f"({_g(scale)}); make them 0 or rescale the points", "interactions")
    return None


def _party(name: str, spec: PartySpec | None, issues: tuple[Issue, ...], index: dict[str, int]) -> Party:
    spec = spec or PartySpec()
    path: Path_ = ("parties", name)
    batna: float | None = None
    package: tuple[tuple[str, str], ...] | None = None
    if isinstance(spec.batna, float | int):
        batna = float(spec.batna)
    elif spec.batna is not None:
        pairs = []
        for issue_name, option in spec.batna.package.items():
            if issue_name not in index:
                raise _Located(f"the BATNA package names unknown issue {issue_name!r}; the case has: "
                               f"{', '.join(index)}", (*path, "batna", "package", issue_name))
            issue = issues[index[issue_name]]
            o = _option_index(issue, option, (*path, "batna", "package", issue_name))
            pairs.append((issue_name, issue.options[o]))
        missing = [i.name for i in issues if i.name not in spec.batna.package]
        if missing:
            raise _Located(f"the BATNA package gives no option for {', '.join(missing)}; every issue needs one",
                           (*path, "batna", "package"))
        package = tuple(pairs)
    try:
        return Party(name, batna, package, spec.risk_aversion, spec.discount_rate, spec.discount_factor,
                     spec.description)
    except CaseError as err:
        raise _Located(err.message, path) from None


def _event(name: str, spec: EventSpec, parties: list[str]) -> Event:
    path: Path_ = ("events", name)
    outcomes = tuple(spec.outcomes)

    def per_outcome(table: dict[str, float], where: Path_, what: str) -> tuple[float, ...]:
        for o in table:
            if o not in outcomes:
                raise _Located(f"unknown outcome {o!r}; the event has: {', '.join(outcomes)}", (*where, o))
        missing = [o for o in outcomes if o not in table]
        if missing:
            raise _Located(f"no {what} for outcome {missing[0]!r}; give one for every outcome", where)
        return tuple(float(table[o]) for o in outcomes)

    def known(who: str, where: Path_) -> None:
        if who not in parties:
            raise _Located(f"unknown party {who!r}; the case has: {', '.join(parties)}", where)

    beliefs = []
    for who, table in spec.beliefs.items():
        known(who, (*path, "beliefs", who))
        probs = per_outcome(table, (*path, "beliefs", who), "probability")
        negative = [o for o, p in zip(outcomes, probs, strict=True) if p < 0]
        if negative:
            raise _Located(f"the probability of {negative[0]!r} is negative; probabilities are between 0 and 1",
                           (*path, "beliefs", who, negative[0]))
        if abs(sum(probs) - 1) > 1e-6:
            raise _Located(f"{who}'s probabilities sum to {sum(probs):g}; they must sum to 1",
                           (*path, "beliefs", who))
        beliefs.append((who, probs))
    values = per_outcome(spec.values, (*path, "values"), "value") if spec.values is not None else None
    money = spec.money
    for who in money.points_per_unit:
        known(who, (*path, "money", "points_per_unit", who))
    exposure = []
    for who, table in money.exposure.items():
        known(who, (*path, "money", "exposure", who))
        exposure.append((who, per_outcome(table, (*path, "money", "exposure", who), "amount")))
    for key in ("payer", "payee"):
        who = getattr(money, key)
        if who is not None:
            known(who, (*path, "money", key))
    controlled = tuple(spec.controlled_by or ())
    for i, who in enumerate(controlled):
        known(who, (*path, "controlled_by", i))
    try:
        return Event(
            name, outcomes, tuple(beliefs), values, money.unit, tuple(money.points_per_unit.items()),
            tuple(exposure), money.cap.min if money.cap else None, money.cap.max if money.cap else None,
            money.payer, money.payee, spec.resolves_in, controlled, spec.measured_by, spec.resolves,
            spec.enforced_by, spec.continued_interaction, spec.description,
        )
    except CaseError as err:
        raise _Located(err.message, path) from None


def _build(spec: CaseFile, file: str) -> Case:
    if len(spec.parties) < 2:
        raise _Located("a case needs at least two parties", ("parties",))
    if not spec.issues:
        raise _Located("a case needs at least one issue", ("issues",))
    problem = size_problem(len(spec.parties), len(spec.issues))
    if problem is not None:
        raise _Located(problem[0], (problem[1],))
    issues = tuple(_build_issue(name, s) for name, s in spec.issues.items())
    index = {i.name: k for k, i in enumerate(issues)}
    party_names = list(spec.parties)
    parties = tuple(_party(n, s, issues, index) for n, s in spec.parties.items())
    for who in spec.preferences:
        if who not in spec.parties:
            raise _Located(f"unknown party {who!r}; the case has: {', '.join(party_names)}",
                           ("preferences", who))
    prefs = []
    for who in party_names:
        if who not in spec.preferences:
            raise _Located(f"no preferences for party {who!r}; add preferences.{who}", ("preferences",))
        prefs.append(_preferences(issues, index, spec.preferences[who], ("preferences", who)))
    estimates = []
    for holder, about_map in spec.estimates.items():
        if holder not in spec.parties:
            raise _Located(f"unknown party {holder!r}; the case has: {', '.join(party_names)}",
                           ("estimates", holder))
        for about, pspec in about_map.items():
            if about not in spec.parties:
                raise _Located(f"unknown party {about!r}; the case has: {', '.join(party_names)}",
                               ("estimates", holder, about))
            estimates.append(Estimate(holder, about,
                                      _preferences(issues, index, pspec, ("estimates", holder, about))))
    events = tuple(_event(n, e, party_names) for n, e in spec.events.items())
    rule = UNANIMITY
    if spec.agreement is not None:
        for i, who in enumerate(spec.agreement.veto):
            if who not in spec.parties:
                raise _Located(f"unknown party {who!r} in the veto list; the case has: {', '.join(party_names)}",
                               ("agreement", "veto", i))
        q = spec.agreement.quorum
        if q is not None and not max(1, len(spec.agreement.veto)) <= q <= len(party_names):
            raise _Located(f"the quorum must be between {max(1, len(spec.agreement.veto))} (the veto parties) "
                           f"and {len(party_names)} (the parties), not {q}", ("agreement", "quorum"))
        if len(set(spec.agreement.veto)) != len(spec.agreement.veto):
            raise _Located("a party is named twice in the veto list", ("agreement", "veto"))
        rule = AgreementRule(q, tuple(spec.agreement.veto))
    return Case(spec.name, issues, parties, tuple(prefs), spec.shared_scales, tuple(estimates), events,
                spec.description, file, rule)
