"""Packages (one option per issue) and partial packages (options for some issues).

Inside Accord a package is a tuple of option indices in the case's issue order, and many packages are an
integer array of shape (N, issues) — the form every vectorised computation uses. Labels
(``{"salary": "95k", ...}``) appear only at the edges (files, CLI, JSON).
"""

from __future__ import annotations

from dataclasses import dataclass

from accord.errors import RequestError

#: A whole package: option index per issue, in the case's issue order.
Package = tuple[int, ...]


@dataclass(frozen=True)
class PartialPackage:
    """Options fixed for a subset of issues (a pre-settlement settlement, docs/concepts.md#pre-settlement-settlement).

    Parameters
    ----------
    fixed : tuple of (issue index, option index)
        Sorted by issue index, each issue at most once.
    """

    fixed: tuple[tuple[int, int], ...]

    def __post_init__(self) -> None:
        issues = [k for k, _ in self.fixed]
        if len(set(issues)) != len(issues):
            raise RequestError("a partial package fixes the same issue twice")
        object.__setattr__(self, "fixed", tuple(sorted(self.fixed)))

    def as_mapping(self) -> dict[int, int]:
        """``{issue index: option index}``."""
        return dict(self.fixed)

    def matches(self, package: Package) -> bool:
        """Whether ``package`` agrees with every fixed option."""
        return all(package[k] == o for k, o in self.fixed)


def parse_assignment(text: str) -> dict[str, str]:
    """Parse ``"issue=option,issue=option"`` as typed on a command line.

    Examples
    --------
    >>> parse_assignment("salary=95k, start=July")
    {'salary': '95k', 'start': 'July'}
    """
    out: dict[str, str] = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        if "=" not in part:
            raise RequestError(f"{part!r} is not issue=option; write e.g. salary=95k,start=July")
        issue, option = (s.strip() for s in part.split("=", 1))
        if issue in out:
            raise RequestError(f"issue {issue!r} is given twice in {text!r}")
        out[issue] = option
    if not out:
        raise RequestError("no issue=option pairs given; write e.g. salary=95k,start=July")
    return out
