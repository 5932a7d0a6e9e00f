"""Issues: the things a negotiation decides, each with a finite ordered list of options.

Every issue is reduced to a finite, ordered tuple of option labels (docs/concepts.md#the-case). Integer ranges list
every
integer; real intervals are analysed on an evenly spaced grid whose size is part of the issue and is stated
in every result. Numeric issues also keep the number behind each option, which value functions (linear,
triangular) and range conditions use.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from accord.errors import CaseError

IssueType = Literal["categorical", "ordinal", "integer", "real"]

#: Default number of grid points for a real interval (GENIUS's own analysis also uses 11).
DEFAULT_GRID = 11
#: Most options one issue may have (an integer range's length, a real interval's grid): checked before the
#: options are built, so ``max: 1e12`` is refused at once instead of filling the memory. At 100,000 options
#: ``accord analyze`` takes seconds and a few hundred MB; at a million, minutes and gigabytes.
MAX_OPTIONS = 100_000


def format_number(x: float) -> str:
    """Label for a numeric option: integers without a decimal point, others with up to 6 significant digits."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.6g}"


@dataclass(frozen=True)
class Issue:
    """One issue of a case.

    Parameters
    ----------
    name : str
        Unique name of the issue within its case.
    options : tuple of str
        Option labels, in their natural order (the order matters for ordinal, integer and real issues).
    type : {"categorical", "ordinal", "integer", "real"}
        How the options are ordered and measured.
    values : tuple of float, optional
        The number behind each option (integer and real issues; ranks for ordinal issues).
    low, high : float, optional
        The interval of a real issue (or the bounds of an integer range).
    grid : int, optional
        Number of grid points a real interval is analysed on.
    unit : str, optional
        Unit of a numeric issue (e.g. "EUR", "days"), for display.
    description : str
        Free text.

    Examples
    --------
    >>> Issue.categorical("start", ["June", "July"]).options
    ('June', 'July')
    >>> Issue.integer_range("days", 0, 3).options
    ('0', '1', '2', '3')
    >>> Issue.real_interval("price", 0.0, 1.0, grid=5).values
    (0.0, 0.25, 0.5, 0.75, 1.0)
    """

    name: str
    options: tuple[str, ...]
    type: IssueType = "categorical"
    values: tuple[float, ...] | None = None
    low: float | None = None
    high: float | None = None
    grid: int | None = None
    unit: str | None = None
    description: str = ""
    _index: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name:
            raise CaseError("an issue needs a non-empty name")
        if len(self.options) == 0:
            raise CaseError(f"issue {self.name!r} has no options; give at least one")
        seen: dict[str, int] = {}
        for i, o in enumerate(self.options):
            if o in seen:
                raise CaseError(f"issue {self.name!r} lists option {o!r} twice; option names must be unique")
            seen[o] = i
        if self.values is not None and len(self.values) != len(self.options):
            raise CaseError(f"issue {self.name!r}: {len(self.values)} values for {len(self.options)} options")
        object.__setattr__(self, "_index", seen)

    # -- constructors -------------------------------------------------------------------------------------
    @classmethod
    def categorical(cls, name: str, options: list[str] | tuple[str, ...], description: str = "") -> Issue:
        """An issue whose options have no natural order."""
        return cls(name, tuple(str(o) for o in options), "categorical", description=description)

    @classmethod
    def ordinal(cls, name: str, options: list[str] | tuple[str, ...], description: str = "") -> Issue:
        """An issue whose options are ordered (their rank 0, 1, ... is their value)."""
        opts = tuple(str(o) for o in options)
        return cls(name, opts, "ordinal", values=tuple(float(i) for i in range(len(opts))),
                   description=description)

    @classmethod
    def integer_range(cls, name: str, low: int, high: int, *, step: int = 1, unit: str | None = None,
                      description: str = "") -> Issue:
        """Every integer from ``low`` to ``high`` inclusive (in steps of ``step``)."""
        if high < low:
            raise CaseError(f"issue {name!r}: the upper bound {high} is below the lower bound {low}")
        if step < 1:
            raise CaseError(f"issue {name!r}: step must be a positive integer, not {step}")
        count = (int(high) - int(low)) // int(step) + 1
        if count > MAX_OPTIONS:
            raise CaseError(f"issue {name!r}: the range {low}..{high} has {count:,} options, more than Accord's "
                            f"limit of {MAX_OPTIONS:,} per issue; use a larger step or a real interval with a grid")
        vals = tuple(float(v) for v in range(int(low), int(high) + 1, int(step)))
        return cls(name, tuple(format_number(v) for v in vals), "integer", values=vals,
                   low=float(low), high=float(high), unit=unit, description=description)

    @classmethod
    def real_interval(cls, name: str, low: float, high: float, *, grid: int = DEFAULT_GRID,
                      unit: str | None = None, description: str = "") -> Issue:
        """A real interval [low, high] analysed on ``grid`` evenly spaced points (ends included)."""
        if not (high >= low):
            raise CaseError(f"issue {name!r}: the upper bound {high} is below the lower bound {low}")
        if not math.isfinite(high - low):
            raise CaseError(f"issue {name!r}: the interval {low:g}..{high:g} is too wide to put a grid on; "
                            "use bounds between -1e12 and 1e12")
        if grid < 1 or (grid < 2 and high > low):
            raise CaseError(f"issue {name!r}: grid must be at least 2 points, not {grid}")
        if grid > MAX_OPTIONS:
            raise CaseError(f"issue {name!r}: grid {grid:,} is more than Accord's limit of {MAX_OPTIONS:,} points "
                            "per issue; use a smaller grid")
        if grid == 1 or high == low:  # a one-point interval has one option, whatever the grid
            vals: tuple[float, ...] = (float(low),)
        else:
            vals = tuple(float(low + (high - low) * i / (grid - 1)) for i in range(grid))
        return cls(name, tuple(format_number(v) for v in vals), "real", values=vals,
                   low=float(low), high=float(high), grid=grid, unit=unit, description=description)

    # -- queries ------------------------------------------------------------------------------------------
    @property
    def size(self) -> int:
        """Number of options."""
        return len(self.options)

    @property
    def ordered(self) -> bool:
        """Whether the options have a natural order (ordinal, integer, real)."""
        return self.type != "categorical"

    def index(self, option: str | int | float) -> int:
        """Position of ``option`` (a label, or a number for numeric issues); raises if unknown."""
        key = option if isinstance(option, str) else format_number(float(option))
        try:
            return self._index[key]
        except KeyError:
            if self.values is not None and not isinstance(option, str):
                for i, v in enumerate(self.values):
                    if abs(v - float(option)) <= 1e-9 * max(1.0, abs(v)):
                        return i
            shown = ", ".join(self.options[:8]) + (", ..." if self.size > 8 else "")
            raise CaseError(
                f"issue {self.name!r} has no option {option!r}; expected one of: {shown}"
            ) from None

    def has(self, option: str) -> bool:
        """Whether ``option`` is one of this issue's labels."""
        return option in self._index

    def to_dict(self) -> dict[str, Any]:
        """Plain-data form (as in a case file)."""
        d: dict[str, Any] = {"type": self.type}
        if self.type == "integer":
            d.update(min=self.low, max=self.high)
            if self.size > 1 and self.values is not None:
                step = self.values[1] - self.values[0]
                if step != 1:
                    d["step"] = step
        elif self.type == "real":
            d.update(min=self.low, max=self.high, grid=self.grid)
        else:
            d["options"] = list(self.options)
        if self.unit:
            d["unit"] = self.unit
        if self.description:
            d["description"] = self.description
        return d
