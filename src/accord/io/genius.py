"""GENIUS XML scenarios: read a domain and its profiles into a :class:`~accord.model.Case`, and write one back.

GENIUS (Lin et al. 2014) is the platform of the automated-negotiation competitions (ANAC 2010–2016). A scenario
is one domain file (the issues and their values) plus one profile file per party (its preferences). This
module follows the platform's own semantics exactly, as ``../shared/data/genius/README.md`` states them:

- U(bid) = min(1, Σ_i w_i · e_i(bid_i)) with the weights exactly as the file gives them (never renormalised);
- discrete: e = evaluation / the issue's largest evaluation (0 when that maximum is below 1e-5);
- integer, ``linear``: e = clip(offset + slope · (v − lowerbound), 0, 1), the profile's own lowerbound;
- real: ``linear`` clip(p0 + p1 · x, 0, 1), ``constant`` p0, ``triangular`` (p0 lower, p1 upper, p2 top),
  analysed on a grid of ``grid`` points (default 11);
- non-linear profiles (``<utility_space type="nonlinear">``): U = min(1, Σ over the hyper-rectangles that
  contain the bid of u · weight / M), which become :class:`~accord.model.Interaction` terms;
- reservation value (default 0) → the party's BATNA; discount factor (default 1; ≤ 0 or > 1 means 1) kept
  on :attr:`Party.discount_factor` for simulation.

Issue indices are the join key between domain and profile (they need not start at 1); the
``<negotiation_template>`` wrapper is optional; ``etype``/``vtype`` stand in for ``type``; costs, descriptions
and similarity functions are ignored. Defective files raise :class:`~accord.errors.FormatError` with the file,
the line and what is wrong; a comment before the XML declaration is dropped with a
:class:`~accord.io._xml.FormatWarning`.

References
----------
Lin, Kraus, Baarslag, Tykhonov, Hindriks, Jonker, "Genius: An Integrated Environment for Supporting the Design
of Generic Automated Negotiators", Computational Intelligence 30(1), 2014. Ito, Klein, Hattori, "A multi-issue
negotiation protocol among agents with nonlinear utility functions" (2008) — hyper-rectangle utilities.
"""

from __future__ import annotations

import itertools
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape, quoteattr

import numpy as np

from accord.errors import AccordError, FormatError, RequestError
from accord.io._files import read_text
from accord.io._xml import FormatWarning, Node, number, parse_xml
from accord.io.rescale import AffineMap, MappedPoints, map_for_genius, parse_map
from accord.model import DEFAULT_GRID, Case, Interaction, Issue, Party, Preferences
from accord.model.issue import MAX_OPTIONS, format_number
from accord.model.preferences import FloatArray

__all__ = [
    "FormatWarning",
    "GeniusDomain",
    "GeniusProfile",
    "GeniusScenario",
    "default_profiles",
    "discover",
    "export_genius",
    "genius_maps",
    "load_scenario",
    "read_domain",
    "read_map",
    "read_profile",
    "write_files",
]

#: Discrete evaluations whose maximum is below this give 0 (GENIUS's own threshold).
_TINY_MAX = 1e-5
#: Largest integer range imported as one option per integer (the model's limit for any issue).
_MAX_INTEGER_OPTIONS = MAX_OPTIONS

IssueKind = Literal["discrete", "integer", "real"]
_KINDS: dict[str, IssueKind] = {"discrete": "discrete", "integer": "integer", "real": "real"}


# ---------------------------------------------------------------------------------------------------------
# results
# ---------------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class GeniusDomain:
    """The issues of a GENIUS domain.

    Attributes
    ----------
    name : str
        The objective's name (or the file name when the objective is called "root" or nothing).
    issues : tuple of Issue
        In the file's order; discrete issues are categorical, integer issues list every integer, real issues
        are analysed on ``grid`` points.
    keys : tuple of str
        The GENIUS ``index`` of each issue: the join key with profiles.
    kinds : tuple of {"discrete", "integer", "real"}
    file : str
    grid : int
    """

    name: str
    issues: tuple[Issue, ...]
    keys: tuple[str, ...]
    kinds: tuple[IssueKind, ...]
    file: str
    grid: int = DEFAULT_GRID

    def position(self, key: str) -> int | None:
        """Position of the issue with GENIUS index ``key`` (None if the domain has none)."""
        try:
            return self.keys.index(key)
        except ValueError:
            return None

    @property
    def space_size(self) -> int:
        """|Ω|: the number of bids (real issues counted on their grid)."""
        out = 1
        for i in self.issues:
            out *= i.size
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "file": self.file,
            "grid": self.grid,
            "issues": {i.name: {"index": k, "kind": kind, **i.to_dict()}
                       for i, k, kind in zip(self.issues, self.keys, self.kinds, strict=True)},
        }


@dataclass(frozen=True)
class GeniusProfile:
    """One party's GENIUS profile, read against its domain.

    Attributes
    ----------
    name : str
        The file's stem (the party's name in the case).
    preferences : Preferences
        Points w_i · e_i per option (additive) or hyper-rectangle interaction terms (non-linear), cap 1.
    reservation : float
        The reservation value (the BATNA); 0 when the file gives none.
    discount_factor : float or None
        None when the file gives none; values ≤ 0 or > 1 read as 1 (GENIUS's rule).
    kind : {"additive", "nonlinear"}
    file : str
    weights : tuple of float
        Additive profiles: the weights exactly as given, in the domain's issue order.
    """

    name: str
    preferences: Preferences
    reservation: float
    discount_factor: float | None
    kind: Literal["additive", "nonlinear"]
    file: str
    weights: tuple[float, ...] = ()

    def to_dict(self, domain: GeniusDomain) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name, "file": self.file, "kind": self.kind, "reservation": self.reservation,
            "discount_factor": self.discount_factor,
            "preferences": self.preferences.to_dict(domain.issues),
        }
        if self.weights:
            d["weights"] = {i.name: w for i, w in zip(domain.issues, self.weights, strict=True)}
        return d


@dataclass(frozen=True)
class GeniusScenario:
    """A domain file with the profile files of one folder that belong to it (see :func:`discover`).

    Attributes
    ----------
    domain : Path
    profiles : tuple of Path
        Well-formed profiles whose issues match the domain's, sorted by name.
    defective : tuple of (Path, str)
        Profiles of this domain (by name or content) that cannot be read, with the one-line reason.
    default_pair : tuple of Path, optional
        The first two profiles ``domainrepository.xml`` lists for this domain, when it lists it.
    """

    domain: Path
    profiles: tuple[Path, ...]
    defective: tuple[tuple[Path, str], ...] = ()
    default_pair: tuple[Path, Path] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": str(self.domain),
            "profiles": [str(p) for p in self.profiles],
            "defective": [{"file": str(p), "error": e} for p, e in self.defective],
            "default_pair": [str(p) for p in self.default_pair] if self.default_pair else None,
        }


# ---------------------------------------------------------------------------------------------------------
# reading
# ---------------------------------------------------------------------------------------------------------
def _key(raw: str | None) -> str | None:
    if raw is None:
        return None
    raw = raw.strip()
    try:
        return str(int(float(raw)))
    except ValueError:
        return raw


def _utility_space(root: Node, file: str) -> Node:
    """The ``<utility_space>`` element, whether or not a ``<negotiation_template>`` wraps it."""
    for node in root.iter("utility_space"):
        return node
    raise FormatError(f"no <utility_space> element under <{root.tag}>; a GENIUS domain or profile has one",
                      file=file, place=f"line {root.line}")


def _objective(space: Node, file: str) -> Node:
    objectives = list(space.iter("objective"))
    if not objectives:
        raise FormatError("no <objective> element; GENIUS lists the issues inside <objective>", file=file,
                          place=f"line {space.line}")
    if len(objectives) > 1:
        raise FormatError("nested <objective> elements (an objective tree) are not supported; list the issues "
                          "directly under one <objective>", file=file, place=f"line {objectives[1].line}")
    return objectives[0]


def _kind(node: Node, file: str) -> IssueKind:
    for attr in ("type", "vtype", "etype"):
        v = (node.get(attr) or "").strip().lower()
        if v in _KINDS:
            return _KINDS[v]
    if node.findall("item"):
        return "discrete"
    if node.find("range") is not None:
        return "real"
    if node.get("lowerbound") is not None:
        return "integer"
    raise FormatError(f"issue {node.get('name')!r} has no type; give type=\"discrete\", \"integer\" or \"real\"",
                      file=file, place=f"line {node.line}")


def _bounds(node: Node, file: str) -> tuple[float, float]:
    """(lowerbound, upperbound) from the issue's attributes or its ``<range>`` child."""
    rng = node.find("range")
    src = rng if rng is not None and rng.get("lowerbound") is not None else node
    lo = number(src, "lowerbound", file, what="the lowest value of the issue")
    hi = number(src, "upperbound", file, what="the highest value of the issue")
    if hi < lo:
        raise FormatError(f"issue {node.get('name')!r}: upperbound {hi:g} is below lowerbound {lo:g}", file=file,
                          place=f"line {src.line}")
    return lo, hi


def _domain_issue(node: Node, file: str, grid: int) -> tuple[Issue, str, IssueKind]:
    name = (node.get("name") or "").strip()
    key = _key(node.get("index"))
    place = f"line {node.line}"
    if not name:
        raise FormatError("an <issue> has no name=\"...\"", file=file, place=place)
    if key is None:
        raise FormatError(f"issue {name!r} has no index=\"...\"; profiles refer to issues by index", file=file,
                          place=place)
    kind = _kind(node, file)
    try:
        if kind == "discrete":
            labels = [item.get("value") for item in node.findall("item")]
            if not labels:
                raise FormatError(f"discrete issue {name!r} has no <item value=\"...\"> values", file=file,
                                  place=place)
            for item, label in zip(node.findall("item"), labels, strict=True):
                if label is None:
                    raise FormatError(f"an <item> of issue {name!r} has no value=\"...\"", file=file,
                                      place=f"line {item.line}")
                if labels.count(label) > 1:
                    raise FormatError(f"issue {name!r} lists the value {label!r} twice", file=file,
                                      place=f"line {item.line}")
            return Issue.categorical(name, [str(x) for x in labels]), key, kind
        lo, hi = _bounds(node, file)
        if kind == "integer":
            if not (lo.is_integer() and hi.is_integer()):
                raise FormatError(f"integer issue {name!r} needs whole-number bounds, not {lo:g} and {hi:g}",
                                  file=file, place=place)
            if hi - lo + 1 > _MAX_INTEGER_OPTIONS:
                raise FormatError(f"integer issue {name!r} has {int(hi - lo + 1):,} values, more than Accord's limit "
                                  f"of {MAX_OPTIONS:,} options per issue", file=file, place=place)
            return Issue.integer_range(name, int(lo), int(hi)), key, kind
        return Issue.real_interval(name, lo, hi, grid=grid), key, kind
    except AccordError as err:
        if isinstance(err, FormatError):
            raise
        raise FormatError(err.message, file=file, place=place) from None


def _domain_name(objective: Node, path: Path) -> str:
    name = (objective.get("name") or "").strip()
    return name if name and name.lower() != "root" else path.stem


def _read_domain_tree(root: Node, path: Path, grid: int) -> GeniusDomain:
    file = str(path)
    objective = _objective(_utility_space(root, file), file)
    issues: list[Issue] = []
    keys: list[str] = []
    kinds: list[IssueKind] = []
    for node in objective.findall("issue"):
        issue, key, kind = _domain_issue(node, file, grid)
        if key in keys:
            raise FormatError(f"two issues have index {key}; each issue needs its own index", file=file,
                              place=f"line {node.line}")
        if any(i.name == issue.name for i in issues):
            raise FormatError(f"two issues are called {issue.name!r}; issue names must be unique", file=file,
                              place=f"line {node.line}")
        issues.append(issue)
        keys.append(key)
        kinds.append(kind)
    if not issues:
        raise FormatError("the domain lists no <issue>", file=file, place=f"line {objective.line}")
    return GeniusDomain(_domain_name(objective, path), tuple(issues), tuple(keys), tuple(kinds), file, grid)


def read_domain(path: str | os.PathLike[str], *, grid: int = DEFAULT_GRID) -> GeniusDomain:
    """Read the issues of a GENIUS domain file (a profile file works too: it repeats the issues).

    Parameters
    ----------
    path : str or path-like
    grid : int
        Points each real issue is analysed on (ends included).

    Returns
    -------
    GeniusDomain

    Raises
    ------
    FormatError
        One line with the file, the line and what is wrong.

    Examples
    --------
    >>> d = read_domain("../shared/data/genius/genius-xml/SON/son_domain.xml")  # doctest: +SKIP
    >>> d.keys  # doctest: +SKIP
    ('2', '3', '4', '5')
    """
    if grid < 2:
        raise RequestError(f"the grid must have at least 2 points per real issue, not {grid}")
    p = Path(path)
    return _read_domain_tree(parse_xml(p), p, grid)


def _discrete_points(node: Node, issue: Issue, file: str) -> FloatArray:
    evaluations: dict[str, tuple[float, Node]] = {}
    for item in node.findall("item"):
        label = item.get("value")
        if label is None:
            raise FormatError(f"an <item> of issue {issue.name!r} has no value=\"...\"", file=file,
                              place=f"line {item.line}")
        evaluations[label] = (number(item, "evaluation", file, what=f"the evaluation of {label!r}"), item)
    if not evaluations:
        raise FormatError(f"issue {issue.name!r} has no <item value evaluation> in the profile", file=file,
                          place=f"line {node.line}")
    known = set(issue.options) | {o.strip() for o in issue.options}
    for label, (_, item) in evaluations.items():
        if label not in known and label.strip() not in known:
            raise FormatError(f"issue {issue.name!r} has no value {label!r} in the domain; is this profile for "
                              "another domain?", file=file, place=f"line {item.line}")
    stripped = {k.strip(): v for k, v in evaluations.items()}
    values = []
    for label in issue.options:
        hit = evaluations.get(label) or stripped.get(label.strip())
        if hit is None:
            raise FormatError(f"issue {issue.name!r}: the domain's value {label!r} has no evaluation here",
                              file=file, place=f"line {node.line}")
        values.append(hit[0])
    top = max(v for v, _ in evaluations.values())
    if top < _TINY_MAX:
        return np.zeros(issue.size)
    return np.asarray(values, dtype=float) / top


def _evaluator(node: Node, issue: Issue, file: str) -> Node:
    ev = node.find("evaluator")
    if ev is None:
        raise FormatError(f"{issue.type} issue {issue.name!r} has no <evaluator>", file=file,
                          place=f"line {node.line}")
    return ev


def _integer_points(node: Node, issue: Issue, low: float, file: str) -> FloatArray:
    ev = _evaluator(node, issue, file)
    ftype = (ev.get("ftype") or "").strip().lower()
    if ftype != "linear":
        raise FormatError(f"integer issue {issue.name!r} has evaluator ftype={ftype or 'nothing'!r}; GENIUS's "
                          "integer evaluator is ftype=\"linear\" with offset and slope", file=file,
                          place=f"line {ev.line}")
    offset = number(ev, "offset", file, what="the evaluation at the lower bound")
    slope = number(ev, "slope", file, what="the change of evaluation per unit")
    lb = number(node, "lowerbound", file, default=low)
    v = np.asarray(issue.values, dtype=float)
    return np.clip(offset + slope * (v - lb), 0.0, 1.0)


def _real_points(node: Node, issue: Issue, file: str) -> FloatArray:
    ev = _evaluator(node, issue, file)
    ftype = (ev.get("ftype") or "").strip().lower()
    x = np.asarray(issue.values, dtype=float)
    if ftype == "linear":
        p0 = number(ev, "parameter0", file, what="the intercept")
        p1 = number(ev, "parameter1", file, what="the slope")
        return np.clip(p0 + p1 * x, 0.0, 1.0)
    if ftype == "constant":
        return np.full(x.shape, number(ev, "parameter0", file, what="the constant evaluation"))
    if ftype == "triangular":
        lower = number(ev, "parameter0", file, what="the lower end of the triangle")
        upper = number(ev, "parameter1", file, what="the upper end of the triangle")
        top = number(ev, "parameter2", file, what="the top of the triangle")
        if not lower <= top <= upper:
            raise FormatError(f"real issue {issue.name!r}: a triangular evaluator needs parameter0 (lower) ≤ "
                              f"parameter2 (top) ≤ parameter1 (upper), not {lower:g}, {top:g}, {upper:g}",
                              file=file, place=f"line {ev.line}")
        out = np.zeros(x.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            rising = (x > lower) & (x < top)
            out[rising] = (x[rising] - lower) / (top - lower)
            falling = (x > top) & (x < upper)
            out[falling] = (upper - x[falling]) / (upper - top)
        out[x == top] = 1.0
        return np.clip(out, 0.0, 1.0)
    raise FormatError(f"real issue {issue.name!r} has evaluator ftype={ftype or 'nothing'!r}; expected "
                      "\"linear\", \"constant\" or \"triangular\"", file=file, place=f"line {ev.line}")


def _discount(space: Node, file: str) -> float | None:
    node = next(iter(space.iter("discount_factor")), None)
    if node is None:
        return None
    d = number(node, "value", file, what="a number in (0, 1] (1 = no discount)")
    return d if 0.0 < d <= 1.0 else 1.0


def _reservation(space: Node, file: str) -> float:
    node = next(iter(space.iter("reservation")), None)
    if node is None:
        return 0.0
    return number(node, "value", file, what="the reservation value (the utility of no agreement)")


def _profile_issues(objective: Node, domain: GeniusDomain, file: str) -> dict[int, Node]:
    """Profile ``<issue>`` elements by the domain position of their index (the join key)."""
    out: dict[int, Node] = {}
    for node in objective.findall("issue"):
        key = _key(node.get("index"))
        pos = domain.position(key) if key is not None else None
        name = node.get("name")
        if pos is None:
            raise FormatError(f"issue {name!r} (index {key}) is not in the domain {Path(domain.file).name}; is "
                              "this profile for another domain?", file=file, place=f"line {node.line}")
        if pos in out:
            raise FormatError(f"two issues have index {key}", file=file, place=f"line {node.line}")
        if name is not None and name.strip() != domain.issues[pos].name:
            warnings.warn(FormatWarning(f"{file}: line {node.line}: issue index {key} is called {name!r} here but "
                                        f"{domain.issues[pos].name!r} in the domain; joined by index"),
                          stacklevel=4)
        out[pos] = node
    return out


def _weights(objective: Node, domain: GeniusDomain, file: str) -> tuple[float, ...]:
    weights: dict[int, float] = {}
    own = _key(objective.get("index"))
    for node in objective.iter("weight"):
        key = _key(node.get("index"))
        if key is not None and key == own and domain.position(key) is None:
            continue  # a weight on the objective itself carries no meaning
        pos = domain.position(key) if key is not None else None
        if pos is None:
            what = (f"<weight index=\"{node.get('index')}\"> names no issue of the domain" if key is not None
                    else "a <weight> has no index attribute: give the index of the issue it weighs")
            raise FormatError(what, file=file, place=f"line {node.line}")
        if pos in weights:
            raise FormatError(f"issue {domain.issues[pos].name!r} has two weights", file=file,
                              place=f"line {node.line}")
        weights[pos] = number(node, "value", file, what="the issue's weight")
    missing = [domain.issues[k].name for k in range(len(domain.issues)) if k not in weights]
    if missing:
        raise FormatError(f"no <weight> for issue {', '.join(repr(m) for m in missing)}; give one per issue",
                          file=file, place=f"line {objective.line}")
    return tuple(weights[k] for k in range(len(domain.issues)))


def _additive(space: Node, objective: Node, domain: GeniusDomain, name: str, file: str) -> GeniusProfile:
    nodes = _profile_issues(objective, domain, file)
    weights = _weights(objective, domain, file)
    scores = []
    for k, issue in enumerate(domain.issues):
        node = nodes.get(k)
        if node is None:
            raise FormatError(f"the profile gives no evaluation for issue {issue.name!r} (index {domain.keys[k]})",
                              file=file, place=f"line {objective.line}")
        kind = domain.kinds[k]
        if kind == "discrete":
            e = _discrete_points(node, issue, file)
        elif kind == "integer":
            e = _integer_points(node, issue, float(issue.low if issue.low is not None else 0.0), file)
        else:
            e = _real_points(node, issue, file)
        scores.append(tuple(float(x) for x in weights[k] * e))
    prefs = Preferences(tuple(scores), (), 1.0)
    return GeniusProfile(name, prefs, _reservation(space, file), _discount(space, file), "additive", file, weights)


def _allowed(bound: Node, domain: GeniusDomain, file: str) -> tuple[int, frozenset[int]]:
    key = _key(bound.get("index"))
    pos = domain.position(key) if key is not None else None
    if pos is None:
        raise FormatError(f"<{bound.tag} index=\"{bound.get('index')}\"> names no issue of the domain", file=file,
                          place=f"line {bound.line}")
    issue = domain.issues[pos]
    if issue.values is None:
        raise FormatError(f"<{bound.tag}> on discrete issue {issue.name!r}: hyper-rectangles need integer or real "
                          "issues", file=file, place=f"line {bound.line}")
    lo = number(bound, "min", file, what="the lowest value inside the rectangle")
    hi = number(bound, "max", file, what="the highest value inside the rectangle")
    v = np.asarray(issue.values)
    tol = 1e-9 * max(1.0, float(np.abs(v).max()))
    return pos, frozenset(int(i) for i in np.flatnonzero((v >= lo - tol) & (v <= hi + tol)))


def _rectangle(rect: Node, domain: GeniusDomain, file: str) -> dict[int, frozenset[int]] | None:
    """Option sets per issue of one hyper-rectangle (None when no bid can be inside it)."""
    sets: dict[int, frozenset[int]] = {}
    excluded: dict[int, set[int]] = {}
    for bound in rect.children:
        if bound.tag not in ("INCLUDES", "EXCLUDES"):
            continue
        pos, allowed = _allowed(bound, domain, file)
        if bound.tag == "INCLUDES":
            sets[pos] = sets[pos] & allowed if pos in sets else allowed
        else:
            excluded.setdefault(pos, set()).update(allowed)
    for pos, ex in excluded.items():
        sets[pos] = (sets.get(pos) or frozenset(range(domain.issues[pos].size))) - ex
    if any(not s for s in sets.values()):
        return None
    # a condition that every option meets says nothing
    return {k: s for k, s in sets.items() if len(s) < domain.issues[k].size}


def _ufun_terms(ufun: Node, weight: float, scale: float, domain: GeniusDomain,
                file: str) -> list[tuple[dict[int, frozenset[int]], float, int]]:
    aggregation = (ufun.get("aggregation") or "sum").strip().lower()
    if aggregation != "sum":
        raise FormatError(f"<ufun aggregation=\"{aggregation}\"> is not supported; only \"sum\" is", file=file,
                          place=f"line {ufun.line}")
    w = weight * number(ufun, "weight", file, default=1.0)
    out = []
    for child in ufun.children:
        if child.tag == "hyperRectangle":
            u = number(child, "utility", file, what="the rectangle's utility")
            r_w = number(child, "weight", file, default=1.0)
            sets = _rectangle(child, domain, file)
            if sets is not None:
                out.append((sets, u * w * r_w / scale, child.line))
        elif child.tag == "ufun":
            out.extend(_ufun_terms(child, w, scale, domain, file))
    return out


def _nonlinear(space: Node, objective: Node, domain: GeniusDomain, name: str, file: str) -> GeniusProfile:
    utility = next(iter(space.iter("utility")), None)
    if utility is None:
        raise FormatError("a non-linear profile needs a <utility maxutility=\"...\"> element", file=file,
                          place=f"line {space.line}")
    scale = number(utility, "maxutility", file, what="the largest utility (the divisor M)")
    if scale <= 0:
        raise FormatError(f"maxutility must be positive, not {scale:g}", file=file, place=f"line {utility.line}")
    terms = []
    for ufun in utility.findall("ufun"):
        terms.extend(_ufun_terms(ufun, 1.0, scale, domain, file))
    scores = [np.zeros(i.size) for i in domain.issues]
    interactions = []
    for sets, points, line in terms:
        if len(sets) == 0:  # contains every bid: a constant
            scores[0] += points
        elif len(sets) == 1:  # one issue only: it is additive, so it goes to the point table
            (k, allowed), = sets.items()
            scores[k][sorted(allowed)] += points
        else:
            interactions.append(Interaction(tuple(sorted(sets.items())), points, f"hyperRectangle line {line}"))
    prefs = Preferences(tuple(tuple(float(x) for x in s) for s in scores), tuple(interactions), 1.0)
    return GeniusProfile(name, prefs, _reservation(space, file), _discount(space, file), "nonlinear", file)


def read_profile(path: str | os.PathLike[str], domain: GeniusDomain, *, name: str | None = None) -> GeniusProfile:
    """Read a GENIUS profile (additive or non-linear) against its domain.

    Parameters
    ----------
    path : str or path-like
    domain : GeniusDomain
        From :func:`read_domain`; issue indices join the two.
    name : str, optional
        The party's name (default: the file's stem).

    Returns
    -------
    GeniusProfile

    Raises
    ------
    FormatError
        The file is not well-formed, a number is not a number, an issue or value is missing or unknown.

    Notes
    -----
    Additive: points s_i(v) = w_i · e_i(v) with e_i as the module docstring states, cap 1. Non-linear: each
    hyper-rectangle becomes an interaction term worth u · weight / M whose conditions are the option sets its
    INCLUDES ranges select (EXCLUDES remove options); a rectangle bounded on one issue only is additive and
    goes to that issue's point table, one bounded on no issue to a constant — the sum is the same.
    """
    p = Path(path)
    file = str(p)
    root = parse_xml(p)
    space = _utility_space(root, file)
    objective = _objective(space, file)
    label = name or p.stem
    if (space.get("type") or "").strip().lower() == "nonlinear":
        return _nonlinear(space, objective, domain, label, file)
    return _additive(space, objective, domain, label, file)


# ---------------------------------------------------------------------------------------------------------
# scenarios: pairing a domain with its profiles
# ---------------------------------------------------------------------------------------------------------
def _is_profile(root: Node) -> bool:
    for node in root.iter():
        if node.tag in ("weight", "evaluator", "utility") or (node.tag == "item" and "evaluation" in node.attrib):
            return True
    return False


def _looks_like_xml(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            head = fh.read(256).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError:
        return True  # let the parser report it
    return head.startswith(b"<")


def _repository(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "domainrepository.xml"
        if candidate.is_file():
            return candidate
    return None


def default_profiles(domain_path: str | os.PathLike[str]) -> tuple[Path, Path] | None:
    """The first two profiles ``domainrepository.xml`` lists for a domain (None when it does not list it).

    The repository file is looked for in the domain's folder and its parents; its ``file:etc/templates/...``
    addresses are matched to files by their path below the repository's folder.
    """
    given = Path(domain_path)
    domain = given.resolve()
    repo = _repository(domain.parent)
    if repo is None:
        return None
    base = repo.parent
    try:
        rel = domain.relative_to(base).as_posix()
        root = parse_xml(repo)
    except (ValueError, FormatError):
        return None

    def local(url: str) -> Path | None:
        tail = url.split(":", 1)[1] if url.startswith("file:") else url
        parts = tail.split("/")
        for i in range(len(parts)):
            candidate = base.joinpath(*parts[i:])
            if candidate.is_file():
                return candidate
        return None

    for item in root.iter("domainRepItem"):
        url = item.get("url")
        if not url or not (url.endswith("/" + rel) or url.endswith(":" + rel)):
            continue
        found: list[Path] = []
        for prof in item.findall("profile"):
            path = local(prof.get("url") or "")
            if path is not None and path not in found:
                found.append(path)
        if len(found) >= 2:
            # name the files the way the caller named the domain (relative stays relative)
            first, second = (Path(os.path.relpath(f)) if not given.is_absolute() else f for f in found[:2])
            return first, second
    return None


def _signature(domain: GeniusDomain) -> tuple[tuple[str, str, str, tuple[str, ...]], ...]:
    return tuple(
        (key, issue.name, kind, issue.options if kind == "discrete" else ())
        for key, issue, kind in zip(domain.keys, domain.issues, domain.kinds, strict=True)
    )


def discover(folder: str | os.PathLike[str]) -> list[GeniusScenario]:
    """Find the scenarios in a folder: each domain file with the profiles whose issues match it.

    Profiles are told from domains by content (a profile has weights, evaluations or a utility element) and
    paired by their issue indices, names, kinds and discrete values. Unreadable files are paired by name
    (a file that starts with the domain's stem, or the only domain of the folder) and listed as defective.

    Parameters
    ----------
    folder : str or path-like

    Returns
    -------
    list of GeniusScenario
        One per domain file, sorted by file name.
    """
    base = Path(folder)
    domains: list[tuple[Path, GeniusDomain]] = []
    profiles: list[tuple[Path, GeniusDomain]] = []
    broken: list[tuple[Path, str]] = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FormatWarning)
        for path in sorted(base.glob("*.xml")):
            if path.name == "domainrepository.xml" or not _looks_like_xml(path):
                continue  # e.g. the 2014 pareto.xml, a plain list of numbers despite its name
            try:
                root = parse_xml(path)
                d = _read_domain_tree(root, path, DEFAULT_GRID)
            except AccordError as err:
                broken.append((path, str(err)))
                continue
            (profiles if _is_profile(root) else domains).append((path, d))
    out = []
    for dpath, d in domains:
        sig = _signature(d)
        stem = re.sub(r"[-_]?domain$", "", dpath.stem)
        candidates = [(p, pd) for p, pd in profiles if _signature(pd) == sig]
        # several domains with the same issues (Barter-A/B/C): keep the profiles named after this one
        if len([x for x in domains if _signature(x[1]) == sig]) > 1:
            candidates = [(p, pd) for p, pd in candidates if p.stem.startswith(stem)]
        mine = []
        defective = []
        for ppath, _ in candidates:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", FormatWarning)
                    read_profile(ppath, d)
                mine.append(ppath)
            except AccordError as err:
                defective.append((ppath, str(err)))
        for ppath, why in broken:
            if len(domains) == 1 or ppath.stem.startswith(stem):
                defective.append((ppath, why))
        out.append(GeniusScenario(dpath, tuple(mine), tuple(defective), default_profiles(dpath)))
    return out


def _find_domain(folder: Path) -> Path:
    found = [s.domain for s in discover(folder)]
    if len(found) == 1:
        return found[0]
    if not found:
        raise RequestError("no GENIUS domain file in this folder; name the domain file", file=str(folder))
    raise RequestError(f"this folder holds {len(found)} domains ({', '.join(p.name for p in found)}); name one",
                       file=str(folder))


def _profiles_hint(domain_path: Path) -> str:
    scen = next((s for s in discover(domain_path.parent) if s.domain.resolve() == domain_path.resolve()), None)
    names = [p.name for p in scen.profiles] if scen else []
    shown = ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")
    return f"; this folder holds {len(names)} profiles for it: {shown}" if names else ""


def load_scenario(domain_path: str | os.PathLike[str], profile_paths: Sequence[str | os.PathLike[str]], *,
                  grid: int = DEFAULT_GRID) -> Case:
    """Read a GENIUS scenario (a domain and one profile per party) as a :class:`Case`.

    Parameters
    ----------
    domain_path : str or path-like
        The domain file, or a folder that holds exactly one domain.
    profile_paths : sequence of str or path-like
        One profile per party (the party is named after the file's stem). When empty, the first two profiles
        ``domainrepository.xml`` lists for the domain are used (with a :class:`FormatWarning` saying so).
    grid : int
        Points each real issue is analysed on (default 11, as GENIUS's own analysis).

    Returns
    -------
    Case
        Reservation values as BATNAs, discount factors on the parties, GENIUS's cap of 1 on every party's
        utility; ``source`` says which files it came from.

    Raises
    ------
    FormatError
        A file is malformed (one line: file, line, what is wrong).
    RequestError
        Fewer than two profiles and none listed for the domain (the message names the folder's profiles).

    Examples
    --------
    >>> case = load_scenario("laptop_domain.xml", ["laptop_buyer_utility.xml", "laptop_seller_utility.xml"])
    ... # doctest: +SKIP
    >>> case.party_names  # doctest: +SKIP
    ('laptop_buyer_utility', 'laptop_seller_utility')
    """
    dpath = Path(domain_path)
    if dpath.is_dir():
        dpath = _find_domain(dpath)
    domain = read_domain(dpath, grid=grid)
    paths = [Path(p) for p in profile_paths]
    if not paths:
        pair = default_profiles(dpath)
        if pair is None:
            raise RequestError("name the profiles, one per party (e.g. DOMAIN.xml A.xml B.xml, or --profile A.xml "
                               f"--profile B.xml){_profiles_hint(dpath)}", file=str(dpath))
        warnings.warn(FormatWarning(f"{dpath}: no profiles named; using {pair[0].name} and {pair[1].name}, the "
                                    "first two domainrepository.xml lists for this domain"), stacklevel=2)
        paths = list(pair)
    if len(paths) < 2:
        raise RequestError(f"a scenario needs at least two profiles (one per party), not {len(paths)}"
                           f"{_profiles_hint(dpath)}", file=str(dpath))
    profiles: list[GeniusProfile] = []
    seen: dict[str, int] = {}
    for p in paths:
        name = p.stem
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 1:
            name = f"{name}_{seen[name]}"
        profiles.append(read_profile(p, domain, name=name))
    parties = tuple(
        Party(pr.name, batna=pr.reservation, discount_factor=pr.discount_factor,
              description=f"GENIUS {pr.kind} profile {Path(pr.file).name}")
        for pr in profiles
    )
    reals = [i.name for i in domain.issues if i.type == "real"]
    grid_text = f" Real issues ({', '.join(reals)}) are analysed on {grid} points each." if reals else ""
    description = (f"GENIUS scenario: domain {dpath.name}, profiles "
                   f"{', '.join(Path(pr.file).name for pr in profiles)}. Utilities follow GENIUS: "
                   f"U = min(1, Σ w·e) (or the hyper-rectangle sum), BATNA = reservation value.{grid_text}")
    source = "genius:" + " ".join([str(dpath), *(pr.file for pr in profiles)])
    return Case(domain.name, domain.issues, parties, tuple(pr.preferences for pr in profiles),
                description=description, source=source)


# ---------------------------------------------------------------------------------------------------------
# writing
# ---------------------------------------------------------------------------------------------------------
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _file_stem(name: str) -> str:
    stem = _SAFE.sub("_", name).strip("._") or "party"
    return stem


def _num(x: float) -> str:
    """Shortest text that reads back as the same float."""
    x = float(x)
    if x == 0.0:
        return "0.0"
    return repr(x)


def _linear_fit(values: Sequence[float], tables: Sequence[FloatArray]) -> bool:
    """Whether every table is an affine function of the issue's numbers (exactly, up to rounding)."""
    v = np.asarray(values, dtype=float)
    if v.size < 2:
        return True
    for t in tables:
        slope = (t[-1] - t[0]) / (v[-1] - v[0]) if v[-1] != v[0] else 0.0
        fit = t[0] + slope * (v - v[0])
        if np.max(np.abs(fit - t)) > 1e-12 * max(1.0, float(np.max(np.abs(t)))):
            return False
    return True


@dataclass(frozen=True)
class _IssueForm:
    """How one issue is written: its GENIUS kind and the number of each option (integer and real forms)."""

    kind: IssueKind
    values: tuple[float, ...] = ()
    labels_note: str = ""


def _issue_forms(case: Case, maps: list[MappedPoints], nonlinear: bool) -> list[_IssueForm]:
    forms = []
    for k, issue in enumerate(case.issues):
        vals = issue.values
        step_one = (issue.type == "integer" and vals is not None
                    and all(b - a == 1.0 for a, b in itertools.pairwise(vals)))
        if nonlinear:
            # hyper-rectangles bound integer issues; other issues are written as their option numbers 0..n-1
            if step_one and vals is not None:
                forms.append(_IssueForm("integer", tuple(vals)))
            else:
                note = ", ".join(f"{i}={o}" for i, o in enumerate(issue.options))
                forms.append(_IssueForm("integer", tuple(float(i) for i in range(issue.size)), note))
            continue
        tables = [m.scores[k] for m in maps]
        if step_one and vals is not None and _linear_fit(vals, tables):
            forms.append(_IssueForm("integer", tuple(vals)))
        elif issue.type == "real" and vals is not None and issue.size > 1 and _linear_fit(vals, tables):
            forms.append(_IssueForm("real", tuple(vals)))
        else:
            forms.append(_IssueForm("discrete"))
    return forms


def _issue_open(k: int, issue: Issue, form: _IssueForm) -> str:
    attrs = (f'index="{k + 1}" name={quoteattr(issue.name)} type="{form.kind}" etype="{form.kind}" '
             f'vtype="{form.kind}"')
    if form.kind == "integer":
        attrs += f' lowerbound="{int(form.values[0])}" upperbound="{int(form.values[-1])}"'
    return f"<issue {attrs}>"


def _issue_body(issue: Issue, form: _IssueForm, indent: str) -> list[str]:
    if form.kind == "discrete":
        return [f'{indent}<item index="{i + 1}" value={quoteattr(o)}/>' for i, o in enumerate(issue.options)]
    if form.kind == "real":
        return [f'{indent}<range lowerbound="{_num(form.values[0])}" upperbound="{_num(form.values[-1])}"/>']
    if form.labels_note:
        return [f"{indent}<!-- options: {escape(form.labels_note).replace('--', '- -')} -->"]
    return []


def _domain_xml(case: Case, forms: list[_IssueForm], note: str) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {escape(note).replace('--', '- -')} -->",
             "<negotiation_template>", f'  <utility_space number_of_issues="{case.n_issues}">',
             f'    <objective index="0" etype="objective" type="objective" description="" '
             f"name={quoteattr(case.name)}>"]
    for k, (issue, form) in enumerate(zip(case.issues, forms, strict=True)):
        lines.append("      " + _issue_open(k, issue, form))
        lines.extend(_issue_body(issue, form, "        "))
        lines.append("      </issue>")
    lines += ["    </objective>", "  </utility_space>", "</negotiation_template>", ""]
    return "\n".join(lines)


def _tail(party: Party, mapped: MappedPoints) -> list[str]:
    out = []
    if party.discount_factor is not None:
        out.append(f'  <discount_factor value="{_num(party.discount_factor)}"/>')
    out.append(f'  <reservation value="{_num(mapped.reservation)}"/>')
    return out


def _additive_xml(case: Case, party: Party, mapped: MappedPoints, forms: list[_IssueForm]) -> str:
    desc = mapped.map.describe()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {escape(desc).replace('--', '- -')} -->",
             f'<utility_space number_of_issues="{case.n_issues}">',
             f'  <objective index="0" etype="objective" type="objective" description={quoteattr(desc)} '
             f"name={quoteattr(case.name)}>"]
    weights = []
    for k, (issue, form) in enumerate(zip(case.issues, forms, strict=True)):
        s = mapped.scores[k]
        w = float(s.max())
        weights.append(w)
        e = s / w if w > 0 else np.zeros_like(s)
        lines.append("    " + _issue_open(k, issue, form))
        if form.kind == "discrete":
            lines.extend(f'      <item index="{i + 1}" value={quoteattr(o)} evaluation="{_num(x)}"/>'
                         for i, (o, x) in enumerate(zip(issue.options, e, strict=True)))
        else:
            v = np.asarray(form.values)
            slope = float((e[-1] - e[0]) / (v[-1] - v[0])) if v.size > 1 and v[-1] != v[0] else 0.0
            if form.kind == "integer":
                lines.append(f'      <evaluator ftype="linear" offset="{_num(e[0])}" slope="{_num(slope)}"/>')
            else:
                lines.extend(_issue_body(issue, form, "      "))
                p0 = float(e[0] - slope * v[0])
                lines.append(f'      <evaluator ftype="linear" parameter0="{_num(p0)}" parameter1="{_num(slope)}"/>')
        lines.append("    </issue>")
    lines.extend(f'    <weight index="{k + 1}" value="{_num(w)}"/>' for k, w in enumerate(weights))
    lines.append("  </objective>")
    lines.extend(_tail(party, mapped))
    lines += ["</utility_space>", ""]
    return "\n".join(lines)


def _runs(options: Sequence[int]) -> list[tuple[int, int]]:
    """Maximal runs of consecutive option indices: [0, 1, 2, 5] → [(0, 2), (5, 5)]."""
    out: list[tuple[int, int]] = []
    for o in sorted(options):
        if out and out[-1][1] == o - 1:
            out[-1] = (out[-1][0], o)
        else:
            out.append((o, o))
    return out


def _rect(bounds: Sequence[tuple[int, float, float]], points: float, indent: str) -> list[str]:
    inner = [f'{indent}  <INCLUDES index="{k + 1}" min="{format_number(lo)}" max="{format_number(hi)}"/>'
             for k, lo, hi in bounds]
    return [f'{indent}<hyperRectangle utility="{_num(points)}">', *inner, f"{indent}</hyperRectangle>"]


def _nonlinear_xml(case: Case, party: Party, mapped: MappedPoints, forms: list[_IssueForm]) -> str:
    desc = mapped.map.describe()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', f"<!-- {escape(desc).replace('--', '- -')} -->",
             '<utility_space type="nonlinear">',
             f'  <objective index="0" etype="objective" type="objective" description={quoteattr(desc)} '
             f"name={quoteattr(case.name)}>"]
    for k, (issue, form) in enumerate(zip(case.issues, forms, strict=True)):
        lines.append("    " + _issue_open(k, issue, form)[:-1] + "/>")
    lines += ['    <utility maxutility="1.0">', '      <ufun type="PlainUfun" weight="1" aggregation="sum">']
    ind = "        "
    for k, form in enumerate(forms):
        s = mapped.scores[k]
        # runs of equal points on consecutive options: one rectangle each
        start = 0
        for o in range(1, len(s) + 1):
            if o == len(s) or s[o] != s[start]:
                if s[start] != 0.0:
                    lines.extend(_rect([(k, form.values[start], form.values[o - 1])], float(s[start]), ind))
                start = o
    for t in mapped.interactions:
        per_issue = [[(k, forms[k].values[lo], forms[k].values[hi]) for lo, hi in _runs(sorted(allowed))]
                     for k, allowed in t.conditions]
        for combo in itertools.product(*per_issue):
            lines.extend(_rect(combo, t.points, ind))
    lines += ["      </ufun>", "    </utility>", "  </objective>"]
    lines.extend(_tail(party, mapped))
    lines += ["</utility_space>", ""]
    return "\n".join(lines)


def genius_maps(case: Case) -> dict[str, AffineMap]:
    """The affine map :func:`export_genius` applies to each party's points (the identity where they fit)."""
    nonlinear = any(p.interactions for p in case.preferences)
    return {party.name: map_for_genius(prefs, float(case.batnas[i]), party.name, nonlinear=nonlinear).map
            for i, (party, prefs) in enumerate(zip(case.parties, case.preferences, strict=True))}


def _targets(case: Case, out_dir: Path, domain_name: str, suffix: str) -> tuple[Path, list[Path]]:
    domain = out_dir / f"{domain_name}{suffix}"
    used = {domain.name.lower()}
    paths = []
    for party in case.parties:
        stem = _file_stem(party.name)
        candidate, n = f"{stem}{suffix}", 1
        while candidate.lower() in used:
            n += 1
            candidate = f"{stem}_{n}{suffix}"
        used.add(candidate.lower())
        paths.append(out_dir / candidate)
    return domain, paths


def write_files(files: dict[Path, str], *, force: bool) -> list[Path]:
    """Write several text files atomically, refusing (before writing any) to replace a different file.

    Raises
    ------
    RequestError
        When a file exists with other content and ``force`` is False (the message says to use --force).
    """
    from accord.io.casefile import write_text_atomic

    if not force:
        for path, text in files.items():
            if path.exists():
                try:
                    same = path.read_text(encoding="utf-8") == text
                except (OSError, UnicodeDecodeError):
                    same = False
                if not same:
                    raise RequestError("exists with other content; not overwritten (use --force to replace it)",
                                       file=str(path))
    for path, text in files.items():
        write_text_atomic(path, text)
    return list(files)


def export_genius(case: Case, out_dir: str | os.PathLike[str], *, force: bool = False) -> list[Path]:
    """Write ``case`` as a GENIUS scenario: one domain file and one profile per party.

    Parameters
    ----------
    case : Case
    out_dir : str or path-like
        Created if needed.
    force : bool
        Replace existing files with other content (otherwise refuse before writing anything).

    Returns
    -------
    list of Path
        The domain file first, then one profile per party (named after the party, so importing the files
        back gives the same party names).

    Raises
    ------
    RequestError
        A file would be overwritten without ``force``, or a party's cap makes every package worth the same.

    Warns
    -----
    FormatWarning
        When the case's agreement rule is not unanimity: GENIUS has no place for it (see
        :func:`warn_rule_dropped`).

    Notes
    -----
    Each party's points are mapped by a positive affine map u' = a · u + b (see
    :func:`accord.io.rescale.map_for_genius`; the identity when they fit) that is written in the profile's
    description and returned by :func:`genius_maps`. Without interaction terms, categorical and ordinal
    issues become discrete issues (weight = the issue's largest mapped points, evaluations = points / weight),
    integer issues (step 1) and real issues whose points are linear for every party keep their type with a
    linear evaluator, other numeric issues become discrete. With interaction terms (any party) every profile
    is a non-linear hyper-rectangle profile over integer issues (non-integer issues written as their option
    numbers 0..n−1, the labels in a comment): one rectangle per run of equal additive points and per
    combination of consecutive option runs of each interaction term, maxutility 1.

    Examples
    --------
    >>> import tempfile
    >>> case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 2]}, "B": {"a": [2, 0]}})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     [p.name for p in export_genius(case, d)]
    ['t_domain.xml', 'A.xml', 'B.xml']
    """
    out = Path(out_dir)
    nonlinear = any(p.interactions for p in case.preferences)
    mapped = [map_for_genius(prefs, float(case.batnas[i]), party.name, nonlinear=nonlinear)
              for i, (party, prefs) in enumerate(zip(case.parties, case.preferences, strict=True))]
    forms = _issue_forms(case, mapped, nonlinear)
    domain_path, profile_paths = _targets(case, out, f"{_file_stem(case.name)}_domain", ".xml")
    note = f"Accord export of case {case.name!r}"
    if any(f.labels_note for f in forms):
        note += "; issues written as option numbers 0..n-1 (labels in a comment in each issue)"
    reals = [i for i, f in zip(case.issues, forms, strict=True) if f.kind == "real"]
    if reals:
        note += "; real issues were analysed on " + ", ".join(f"{i.name}: {i.grid} points" for i in reals)
    files = {domain_path: _domain_xml(case, forms, note)}
    for party, m, path in zip(case.parties, mapped, profile_paths, strict=True):
        writer = _nonlinear_xml if nonlinear else _additive_xml
        files[path] = writer(case, party, m, forms)
    paths = write_files(files, force=force)
    warn_rule_dropped(case, "GENIUS")
    return paths


def warn_rule_dropped(case: Case, fmt: str) -> None:
    """Warn (one line) that ``fmt`` cannot hold the case's agreement rule, when it is not unanimity.

    GENIUS and GeniusWeb scenarios have no agreement rule: a tool reading the export treats every party's
    acceptance as required, so a quorum or veto rule (see docs/concepts.md, "Agreement rules") is lost.
    """
    if not case.unanimous:
        warnings.warn(FormatWarning(
            f"{fmt} files cannot hold an agreement rule: the case's rule ({case.agreement.describe(case.n_parties)}) "
            "is not written, and tools reading the export will assume unanimity (every party accepts)"),
            stacklevel=3)


def read_map(path: str | os.PathLike[str]) -> AffineMap | None:
    """The affine map an Accord export recorded in a GENIUS or GeniusWeb profile (None if it records none)."""
    p = Path(path)
    text = read_text(p, what="a GENIUS profile")  # size-capped, one-line errors, like every user file
    return parse_map(text, p.stem)
