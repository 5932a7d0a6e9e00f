"""Advice that users read, checked for meaning on cases worked out by hand (no bundled example produces these).

Written for mutation survivors of ``accord.analysis.logroll``, ``issues`` and ``potential`` (docs/testing.md,
"Mutation testing"): the package deal's tie rule (never the order of the parties), the "no trade" message naming
the right starting point, and sentences that list options. Where a test looks at words, those words are the
contract: the sentence a negotiator reads must name what the analysis found.
"""

from __future__ import annotations

from accord.analysis.issues import pair_kinds
from accord.analysis.logroll import logrolls
from accord.analysis.potential import win_win_potential
from accord.model import Case


def _deal_case(order: tuple[str, str]) -> Case:
    """A gains 1 or 2 on X (x1, x2), B gains 2 or 1 there; Y matters to B only (y0 worth 5 to it)."""
    tables = {"A": {"X": [0, 1, 2], "Y": [0, 0]}, "B": {"X": [0, 2, 1], "Y": [5, 0]}}
    return Case.from_tables("deal", {"X": ["x0", "x1", "x2"], "Y": ["y0", "y1"]},
                            {p: tables[p] for p in order}, shared_scales=True)


def test_tied_package_deal_goes_to_the_first_package_in_option_order_whatever_the_party_order() -> None:
    """From (x0, y0), worth (A 0, B 5), the packages both prefer are (x1, y0) with gains (1, 2) and (x2, y0)
    with gains (2, 1): the same joint gain 3 and the same smallest gain 1, so the tie goes to the first package
    in option order, (x1, y0) — in either party order (the frontier lists its points in the first party's
    order, which must not decide)."""
    for order in (("A", "B"), ("B", "A")):
        res = logrolls(_deal_case(order), reference={"X": "x0", "Y": "y0"})
        assert res.package_deal is not None, order
        assert res.package_deal.package == {"X": "x1", "Y": "y0"}, order
        assert res.package_deal.gains == {"A": 1.0, "B": 2.0}, order
        assert res.package_deal.joint_gain == 3.0


def test_no_trade_message_names_the_starting_point() -> None:
    """No two-issue trade exists here (moving X alone already helps both — a free gain, not a trade — and moving
    Y costs B with nothing for A). The message must name the starting point the user gave ("that package"), and
    "the compromise" only when trades were measured from the compromise, (x1, y0) here (on X the worse-off party
    gets half its range at x1 and x2, the tie goes to the earlier option; on Y only B cares)."""
    case = _deal_case(("A", "B"))
    given = logrolls(case, reference={"X": "x0", "Y": "y0"})
    assert given.trades == ()
    assert "better off than that package" in given.message
    assert "compromise" not in given.message
    default = logrolls(case)
    assert default.reference == {"X": "x1", "Y": "y0"}
    assert default.trades == ()
    assert "better off than the compromise" in default.message


def test_pair_reason_with_more_than_three_best_options_lists_three_and_counts_the_rest() -> None:
    """A does equally well with o0, o1, o2 and o3 (4 best options), B only with o4: the reason names A's first
    three best options and says one more is as good, and names B's one."""
    case = Case.from_tables("many", {"x": ["o0", "o1", "o2", "o3", "o4"], "y": ["p", "q"]},
                            {"A": {"x": [1, 1, 1, 1, 0], "y": [0, 2]}, "B": {"x": [0, 0, 0, 0, 1], "y": [2, 0]}},
                            shared_scales=True)
    (x_pair, _) = pair_kinds(case, 0, 1)
    assert x_pair.issue == "x"
    assert "A wants o0 or o1 or o2 (or 1 more), B wants o4" in x_pair.reason


def test_compatible_issue_sign_names_every_option_both_like_best() -> None:
    """On z both sides do best with either z0 or z1 (3 points each, z2 gives 0): the compatible-issues sign
    names z with both options as alternatives."""
    case = Case.from_tables("compat", {"x": ["a", "b"], "y": ["a", "b"], "z": ["z0", "z1", "z2"]},
                            {"A": {"x": [0, 10], "y": [0, 4], "z": [3, 3, 0]},
                             "B": {"x": [4, 0], "y": [10, 0], "z": [3, 3, 0]}}, shared_scales=True)
    sign = next(s for s in win_win_potential(case).signs if s.name == "compatible_issues")
    assert sign.present
    assert sign.evidence["issues"][0]["options"] == ["z0", "z1"]
    assert "z (z0 or z1)" in sign.text


def test_no_priority_difference_is_said_when_no_pair_differs_beyond_tau() -> None:
    """x and y are opposed with equal stakes (10 each for both) and complementary sums: no pair of opposed
    issues differs in priority, so the different-priorities sign is absent and its text says why — no two
    opposed issues differ in priority beyond τ — before saying no two-issue trade helps both."""
    case = Case.from_tables("flat", {"x": ["a", "b"], "y": ["a", "b"]},
                            {"A": {"x": [0, 10], "y": [0, 10]}, "B": {"x": [10, 0], "y": [10, 0]}},
                            shared_scales=True)
    sign = next(s for s in win_win_potential(case).signs if s.name == "different_priorities")
    assert not sign.present
    assert sign.evidence["logrolling_pairs"] == 0
    assert sign.text.startswith("no two opposed issues differ in priority beyond τ; ")
