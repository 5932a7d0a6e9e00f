"""Logrolling and package deals, as a tactic: trades between issue pairs that give each party what it values more.

The computation lives one floor down, in :mod:`accord.analysis.logroll`, because ``accord analyze`` needs the
same trades for its trade table and its advice: one function, :func:`logrolls`, answers for ``accord
analyze``, ``accord logroll`` and the planning document, so they can never disagree about what a trade is.
This module is where a reader who knows the book looks for logrolling; it re-exports that API unchanged.

References
----------
Thompson, L. *The Mind and Heart of the Negotiator*, ch. "Win-win negotiation: expanding the pie"
(logrolling; "make package deals, not single-issue offers").
Froman, L. A., Cohen, M. D. (1970). Compromise and logroll: comparing the efficiency of two bargaining
processes. *Behavioral Science* 15(2).
"""

from __future__ import annotations

from accord.analysis.logroll import (
    DEFAULT_LIMIT,
    EPS,
    Change,
    Logrolls,
    Trade,
    believed_case,
    logrolls,
)

__all__ = ["DEFAULT_LIMIT", "EPS", "Change", "Logrolls", "Trade", "believed_case", "logrolls"]
