"""The case: issues, parties, their preferences, estimates and events — everything Accord analyses.

A :class:`Case` is immutable and validated. It hands out its preferences as numpy score tables
(parties × options per issue) so that analysis never loops over packages in Python, and it can evaluate
many packages at once (:meth:`Case.utilities`), which simulation and batch evaluation rely on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from math import prod
from typing import Any

import numpy as np
from numpy.typing import NDArray

from accord.errors import CaseError, RequestError
from accord.model.event import Event
from accord.model.issue import Issue
from accord.model.package import Package, PartialPackage, parse_assignment
from accord.model.party import Party
from accord.model.preferences import FloatArray, IntArray, Preferences


@dataclass(frozen=True)
class Estimate:
    """What ``holder`` believes ``about``'s preferences are (used to detect fixed-pie perception)."""

    holder: str
    about: str
    preferences: Preferences


@dataclass(frozen=True)
class AgreementRule:
    """Who must accept a package for it to pass (see docs/concepts.md, "Agreement rules").

    A package *passes* when at least ``quorum`` parties get at least their BATNA and every ``veto`` party is
    among them. The default (``quorum`` None, no veto) is unanimity: every party must accept.

    Parameters
    ----------
    quorum : int or None
        K, the number of parties that must accept; None means every party.
    veto : tuple of str
        Parties whose acceptance is always required (e.g. the proposer of an LLM-Deliberation game).

    Examples
    --------
    >>> AgreementRule(quorum=5, veto=("p1", "p2")).describe(6)
    'at least 5 of 6 parties accept, including p1 and p2'
    >>> AgreementRule().describe(3)
    'unanimity (every party accepts)'
    """

    quorum: int | None = None
    veto: tuple[str, ...] = ()

    def required(self, n_parties: int) -> int:
        """K for a case of ``n_parties`` parties (``n_parties`` under unanimity)."""
        return n_parties if self.quorum is None else self.quorum

    def unanimous(self, n_parties: int) -> bool:
        """Whether the rule asks every party to accept (a quorum of n, whatever the veto list)."""
        return self.required(n_parties) >= n_parties

    def describe(self, n_parties: int) -> str:
        """The rule in words, for reports and notes."""
        if self.unanimous(n_parties):
            return "unanimity (every party accepts)"
        text = f"at least {self.required(n_parties)} of {n_parties} parties accept"
        if self.veto:
            names = list(self.veto)
            text += ", including " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1])
        return text

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {}
        if self.quorum is not None:
            d["quorum"] = self.quorum
        if self.veto:
            d["veto"] = list(self.veto)
        return d


UNANIMITY = AgreementRule()


@dataclass(frozen=True)
class Case:
    """A multi-issue negotiation case.

    Parameters
    ----------
    name : str
        Title of the case.
    issues : tuple of Issue
    parties : tuple of Party
    preferences : tuple of Preferences
        One per party, in the parties' order.
    shared_scales : bool
        Whether all parties' points are on one scale (classroom point tables, Deal or No Deal). Only then are
        raw points added or compared across parties; otherwise normalised gains are used
        (docs/concepts.md#scales-and-normalised-gains).
    estimates : tuple of Estimate
        One party's guess of another's preferences.
    events : tuple of Event
        Uncertain events for contingency contracts.
    description : str
        The story of the case.
    source : str
        Where the case came from (a file path, "genius:...", ...), for messages.
    agreement : AgreementRule
        Who must accept a package (default: unanimity; see :class:`AgreementRule`).

    Examples
    --------
    >>> case = Case.from_tables(
    ...     "Job offer",
    ...     {"salary": ["90k", "100k"], "start": ["June", "August"]},
    ...     {"candidate": {"salary": [0, 2000], "start": [0, 600]},
    ...      "employer": {"salary": [2000, 0], "start": [1600, 0]}},
    ...     batnas={"candidate": 1200, "employer": 0}, shared_scales=True)
    >>> case.utility({"salary": "100k", "start": "June"}).tolist()
    [2000.0, 1600.0]
    """

    name: str
    issues: tuple[Issue, ...]
    parties: tuple[Party, ...]
    preferences: tuple[Preferences, ...]
    shared_scales: bool = False
    estimates: tuple[Estimate, ...] = ()
    events: tuple[Event, ...] = ()
    description: str = ""
    source: str = field(default="", compare=False)
    agreement: AgreementRule = UNANIMITY
    _issue_index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)
    _party_index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.parties) < 2:
            raise CaseError("a case needs at least two parties")
        if len(self.issues) < 1:
            raise CaseError("a case needs at least one issue")
        issue_index: dict[str, int] = {}
        for k, issue in enumerate(self.issues):
            if issue.name in issue_index:
                raise CaseError(f"issue {issue.name!r} is defined twice; issue names must be unique")
            issue_index[issue.name] = k
        party_index: dict[str, int] = {}
        for i, party in enumerate(self.parties):
            if party.name in party_index:
                raise CaseError(f"party {party.name!r} is defined twice; party names must be unique")
            party_index[party.name] = i
        object.__setattr__(self, "_issue_index", issue_index)
        object.__setattr__(self, "_party_index", party_index)
        if len(self.preferences) != len(self.parties):
            raise CaseError(f"{len(self.preferences)} preference sets for {len(self.parties)} parties")
        for party, prefs in zip(self.parties, self.preferences, strict=True):
            self._check_preferences(prefs, f"preferences of {party.name!r}")
        for est in self.estimates:
            for who in (est.holder, est.about):
                if who not in party_index:
                    raise CaseError(f"an estimate names unknown party {who!r}")
            self._check_preferences(est.preferences, f"{est.holder!r}'s estimate of {est.about!r}")
        event_names: set[str] = set()
        for ev in self.events:
            if ev.name in event_names:
                raise CaseError(f"event {ev.name!r} is defined twice")
            event_names.add(ev.name)
            for who, _ in ev.beliefs:
                if who not in party_index:
                    raise CaseError(f"event {ev.name!r} gives beliefs for unknown party {who!r}")
            for named in (*ev.controlled_by, ev.payer, ev.payee):
                if named is not None and named not in party_index:
                    raise CaseError(f"event {ev.name!r} names unknown party {named!r}")
        rule = self.agreement
        if rule.quorum is not None and not 1 <= rule.quorum <= len(self.parties):
            raise CaseError(f"agreement: the quorum must be between 1 and {len(self.parties)} (the number of "
                            f"parties), not {rule.quorum}")
        for who in rule.veto:
            if who not in party_index:
                raise CaseError(f"agreement: veto names unknown party {who!r}; the case has: "
                                f"{', '.join(party_index)}")
        if len(set(rule.veto)) != len(rule.veto):
            raise CaseError("agreement: a party is named twice in the veto list")
        if rule.quorum is not None and len(rule.veto) > rule.quorum:
            raise CaseError(f"agreement: {len(rule.veto)} veto parties cannot fit in a quorum of {rule.quorum}; "
                            f"raise the quorum or shorten the veto list")
        for party in self.parties:
            if party.batna_package is not None:
                for issue_name, option in party.batna_package:
                    if issue_name not in issue_index:
                        raise CaseError(f"party {party.name!r}: the BATNA package names unknown issue "
                                        f"{issue_name!r}")
                    self.issues[issue_index[issue_name]].index(option)
                if len(party.batna_package) != len(self.issues):
                    missing = [i.name for i in self.issues if i.name not in dict(party.batna_package)]
                    raise CaseError(f"party {party.name!r}: the BATNA package gives no option for "
                                    f"{', '.join(missing)}")

    def _check_preferences(self, prefs: Preferences, what: str) -> None:
        if len(prefs.scores) != len(self.issues):
            raise CaseError(f"{what}: {len(prefs.scores)} score rows for {len(self.issues)} issues")
        for issue, row in zip(self.issues, prefs.scores, strict=True):
            if len(row) != issue.size:
                raise CaseError(f"{what}: issue {issue.name!r} has {issue.size} options but "
                                f"{len(row)} scores")
        for t in prefs.interactions:
            for k, allowed in t.conditions:
                if not 0 <= k < len(self.issues) or any(not 0 <= o < self.issues[k].size for o in allowed):
                    raise CaseError(f"{what}: an interaction term refers to an option that does not exist")

    # -- construction helpers ------------------------------------------------------------------------------
    @classmethod
    def from_tables(
        cls,
        name: str,
        issues: Mapping[str, list[str] | tuple[str, ...]],
        points: Mapping[str, Mapping[str, list[float] | tuple[float, ...]]],
        *,
        batnas: Mapping[str, float] | None = None,
        shared_scales: bool = False,
        description: str = "",
    ) -> Case:
        """Build a case from plain point tables (handy in tests and notebooks)."""
        iss = tuple(Issue.categorical(n, opts) for n, opts in issues.items())
        parties = tuple(Party(p, batna=(batnas or {}).get(p)) for p in points)
        prefs = tuple(
            Preferences(tuple(tuple(float(x) for x in table[i.name]) for i in iss)) for table in points.values()
        )
        return cls(name, iss, parties, prefs, shared_scales=shared_scales, description=description)

    # -- names and sizes -----------------------------------------------------------------------------------
    @property
    def party_names(self) -> tuple[str, ...]:
        """Party names in the case's order."""
        return tuple(p.name for p in self.parties)

    @property
    def issue_names(self) -> tuple[str, ...]:
        """Issue names in the case's order."""
        return tuple(i.name for i in self.issues)

    @property
    def n_parties(self) -> int:
        return len(self.parties)

    @property
    def unanimous(self) -> bool:
        """Whether every party must accept a package (the default agreement rule)."""
        return self.agreement.unanimous(len(self.parties))

    @property
    def n_issues(self) -> int:
        return len(self.issues)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Number of options of each issue."""
        return tuple(i.size for i in self.issues)

    @property
    def space_size(self) -> int:
        """|Ω|, the number of packages (an exact Python int; may be astronomically large)."""
        return prod(self.sizes)

    @property
    def additive(self) -> bool:
        """True when every party's preferences are additive (no interaction terms, no binding cap)."""
        return all(p.additive for p in self.preferences)

    def issue_index(self, name: str) -> int:
        """Position of issue ``name``; raises a one-line error naming the known issues."""
        try:
            return self._issue_index[name]
        except KeyError:
            raise RequestError(f"unknown issue {name!r}; the case has: {', '.join(self.issue_names)}") from None

    def party_index(self, name: str) -> int:
        """Position of party ``name``; raises a one-line error naming the known parties."""
        try:
            return self._party_index[name]
        except KeyError:
            raise RequestError(f"unknown party {name!r}; the case has: {', '.join(self.party_names)}") from None

    def party(self, name: str) -> Party:
        return self.parties[self.party_index(name)]

    def event(self, name: str) -> Event:
        for ev in self.events:
            if ev.name == name:
                return ev
        known = ", ".join(e.name for e in self.events) or "none"
        raise RequestError(f"unknown event {name!r}; the case has: {known}")

    def estimate(self, holder: str, about: str) -> Preferences | None:
        """``holder``'s estimate of ``about``'s preferences, or None."""
        for est in self.estimates:
            if est.holder == holder and est.about == about:
                return est.preferences
        return None

    # -- score tables --------------------------------------------------------------------------------------
    @cached_property
    def scores(self) -> tuple[FloatArray, ...]:
        """Additive points per issue: ``scores[k]`` has shape (parties, options of issue k), read-only."""
        out = []
        for k in range(self.n_issues):
            a = np.stack([p.table(k) for p in self.preferences])
            a.setflags(write=False)
            out.append(a)
        return tuple(out)

    def score_array(self) -> FloatArray:
        """Additive points as one array (parties × issues × max options), padded with NaN."""
        width = max(self.sizes)
        a = np.full((self.n_parties, self.n_issues, width), np.nan)
        for k, s in enumerate(self.scores):
            a[:, k, : s.shape[1]] = s
        return a

    # -- packages ------------------------------------------------------------------------------------------
    def package(self, agreement: Mapping[str, str | int | float] | str | Package) -> Package:
        """Turn ``{"issue": "option", ...}`` (or ``"issue=option,..."``, or option indices) into a package.

        Every issue must be given; unknown issues and options raise a one-line :class:`RequestError`.
        """
        if isinstance(agreement, tuple):
            if len(agreement) != self.n_issues or any(
                not 0 <= int(o) < s for o, s in zip(agreement, self.sizes, strict=False)
            ):
                raise RequestError(f"a package needs one valid option index for each of {self.n_issues} issues")
            return tuple(int(o) for o in agreement)
        mapping = parse_assignment(agreement) if isinstance(agreement, str) else agreement
        partial = self.partial(mapping)
        given = partial.as_mapping()
        missing = [i.name for k, i in enumerate(self.issues) if k not in given]
        if missing:
            raise RequestError(f"the agreement gives no option for {', '.join(missing)}; every issue needs one")
        return tuple(given[k] for k in range(self.n_issues))

    def partial(self, assignment: Mapping[str, str | int | float] | str) -> PartialPackage:
        """Turn ``{"issue": "option"}`` for some issues into a :class:`PartialPackage`."""
        mapping = parse_assignment(assignment) if isinstance(assignment, str) else assignment
        fixed = []
        for issue_name, option in mapping.items():
            k = self.issue_index(str(issue_name))
            try:
                o = self.issues[k].index(option)
            except CaseError as err:
                raise RequestError(err.message) from None
            fixed.append((k, o))
        return PartialPackage(tuple(fixed))

    def labels(self, package: Package | NDArray[np.int64]) -> dict[str, str]:
        """``{"issue": "option"}`` for a package given as option indices."""
        return {i.name: i.options[int(o)] for i, o in zip(self.issues, package, strict=True)}

    # -- utilities -----------------------------------------------------------------------------------------
    def utilities(self, packages: IntArray | list[Package]) -> FloatArray:
        """Utilities of many packages: array (N, issues) of option indices → (N, parties) points."""
        arr = np.asarray(packages, dtype=np.int64)
        if arr.ndim == 1:
            arr = arr[None, :]
        out: FloatArray = np.stack([p.utilities(arr) for p in self.preferences], axis=1)
        return out

    def utility(self, package: Mapping[str, str | int | float] | str | Package) -> FloatArray:
        """Utility vector (one entry per party) of one package."""
        row: FloatArray = self.utilities(np.asarray(self.package(package), dtype=np.int64)[None, :])[0]
        return row

    @cached_property
    def batnas(self) -> FloatArray:
        """BATNA points per party (a BATNA package is evaluated; none given means 0)."""
        out = np.zeros(self.n_parties)
        for i, party in enumerate(self.parties):
            if party.batna_package is not None:
                pkg = self.package(dict(party.batna_package))
                out[i] = self.preferences[i].utility(pkg)
            elif party.batna is not None:
                out[i] = party.batna
        out.setflags(write=False)
        return out

    def batna(self, party: str) -> float:
        return float(self.batnas[self.party_index(party)])

    # -- derived cases -------------------------------------------------------------------------------------
    def replace_preferences(self, party: str, preferences: Preferences) -> Case:
        """The same case with ``party``'s preferences replaced (e.g. by another party's estimate)."""
        i = self.party_index(party)
        prefs = list(self.preferences)
        prefs[i] = preferences
        return Case(self.name, self.issues, self.parties, tuple(prefs), self.shared_scales, self.estimates,
                    self.events, self.description, self.source, self.agreement)

    def with_batnas(self, batnas: Mapping[str, float]) -> Case:
        """The same case with new BATNA points (post-settlement: the agreement becomes every BATNA)."""
        parties = tuple(
            Party(p.name, batna=float(batnas[p.name]), risk_aversion=p.risk_aversion,
                  discount_rate=p.discount_rate, discount_factor=p.discount_factor, description=p.description)
            if p.name in batnas else p
            for p in self.parties
        )
        return Case(self.name, self.issues, parties, self.preferences, self.shared_scales, self.estimates,
                    self.events, self.description, self.source, self.agreement)

    def private_view(self, party: str) -> dict[str, Any]:
        """Everything in the case that is ``party``'s own (its preferences, BATNA, attitudes, estimates,
        beliefs) — what a mediator may hold for that party and must never show to another."""
        i = self.party_index(party)
        d: dict[str, Any] = {
            "party": party,
            **self.parties[i].to_dict(),
            "preferences": self.preferences[i].to_dict(self.issues),
            "estimates": {e.about: e.preferences.to_dict(self.issues) for e in self.estimates
                          if e.holder == party},
            "beliefs": {ev.name: dict(zip(ev.outcomes, ev.probabilities(party), strict=True))
                        for ev in self.events if party in dict(ev.beliefs)},
        }
        return d

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form that the case-file loader reads back to an equal case."""
        d: dict[str, Any] = {"name": self.name}
        if self.description:
            d["description"] = self.description
        if self.shared_scales:
            d["shared_scales"] = True
        d["parties"] = {p.name: p.to_dict() for p in self.parties}
        if self.agreement != UNANIMITY:
            d["agreement"] = self.agreement.to_dict()
        d["issues"] = {i.name: i.to_dict() for i in self.issues}
        d["preferences"] = {p.name: pr.to_dict(self.issues)
                            for p, pr in zip(self.parties, self.preferences, strict=True)}
        if self.estimates:
            est: dict[str, dict[str, Any]] = {}
            for e in self.estimates:
                est.setdefault(e.holder, {})[e.about] = e.preferences.to_dict(self.issues)
            d["estimates"] = est
        if self.events:
            d["events"] = {e.name: e.to_dict() for e in self.events}
        return d
