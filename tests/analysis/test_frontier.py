"""The exact frontier engine against a brute-force oracle, and its restrictions, caps, counts and limits."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.analysis._skyline import exists_dominator, undominated
from accord.analysis.frontier import DEFAULT_CAP, Frontier, grid_note, pareto_frontier
from accord.errors import RequestError, TooLargeError
from accord.model import Case, Interaction, Issue, Party, Preferences


def _check_against(case: Case, f: Frontier, oracle, kit, cap: int) -> None:  # type: ignore[no-untyped-def]
    """Same distinct points, same counts, listed packages reach their point, min(cap, count) of them."""
    assert len(f) == len(oracle.points)
    keys = kit.match_points(case, oracle, f.utilities)
    assert len(set(keys)) == len(keys)
    for key, count, pkgs, row in zip(keys, f.package_counts, f.packages, f.utilities, strict=True):
        want_count, reachers = oracle.points[key]
        assert count == want_count
        assert len(pkgs) == min(cap, count)
        assert len(set(pkgs)) == len(pkgs)
        assert set(pkgs) <= reachers
        if pkgs:
            u = case.utilities(list(pkgs))
            assert np.allclose(u, row[None, :], rtol=0, atol=float(1e-8 * kit.scale(case).max()))
    # sorted by the first party, descending
    assert np.all(np.diff(f.grid_points[:, 0]) <= 0)


@settings(max_examples=120)
@given(data=st.data())
def test_frontier_equals_brute_force(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases())
    cap = data.draw(st.sampled_from([1, 3, 10_000]))
    f = pareto_frontier(case, cap=cap)
    assert f.exact
    _check_against(case, f, frontier_kit.brute_frontier(case), frontier_kit, cap)


@settings(max_examples=60)
@given(data=st.data())
def test_additive_frontier_without_terms_equals_brute_force(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases(interactions=False, caps=False, max_space=5000))
    f = pareto_frontier(case, cap=10_000)
    _check_against(case, f, frontier_kit.brute_frontier(case), frontier_kit, 10_000)


@settings(max_examples=40)
@given(data=st.data())
def test_enumeration_fallback_equals_brute_force(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    # limit=0: the merge gives up after the first issue and the chunked enumeration answers instead
    case = data.draw(frontier_kit.small_cases())
    f = pareto_frontier(case, cap=4, limit=0)
    assert f.method.startswith("chunked enumeration")
    _check_against(case, f, frontier_kit.brute_frontier(case), frontier_kit, 4)


@settings(max_examples=80)
@given(data=st.data())
def test_restricted_frontiers_equal_filtered_brute_force(data, frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = data.draw(frontier_kit.small_cases())
    kind = data.draw(st.sampled_from(["rational", "fixed", "at_least", "preferred_to"]))
    pk = frontier_kit.all_packages(case)
    allowed = None
    at_least = None
    kwargs: dict[str, object] = {}
    if kind == "rational":
        kwargs["rational"] = True
        at_least = case.batnas.copy()
    elif kind == "fixed":
        k = data.draw(st.integers(0, case.n_issues - 1))
        o = data.draw(st.integers(0, case.sizes[k] - 1))
        kwargs["fixed"] = {case.issues[k].name: case.issues[k].options[o]}
        allowed = [[o] if j == k else list(range(s)) for j, s in enumerate(case.sizes)]
    else:
        row = pk[data.draw(st.integers(0, len(pk) - 1))]
        at_least = case.utilities(row[None, :])[0]
        kwargs[kind] = at_least if kind == "at_least" else tuple(int(x) for x in row)
    f = pareto_frontier(case, cap=10_000, **kwargs)  # type: ignore[arg-type]
    oracle = frontier_kit.brute_frontier(case, allowed=allowed, at_least=at_least)
    _check_against(case, f, oracle, frontier_kit, 10_000)
    if kind == "preferred_to":
        assert len(f) >= 1  # the agreement's own point (or one dominating it) is always there


@settings(max_examples=80)
@given(data=st.data())
def test_skyline_kernels_match_pairwise_dominance(data) -> None:  # type: ignore[no-untyped-def]
    p = data.draw(st.integers(1, 5))
    n = data.draw(st.integers(1, 150))
    hi = data.draw(st.integers(1, 12))
    seed = data.draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    u = rng.integers(0, hi, (n, p))
    seg = rng.integers(0, 3, n) if data.draw(st.booleans()) else None
    same = np.ones((n, n), dtype=bool) if seg is None else seg[None, :] == seg[:, None]
    ge = np.all(u[None, :, :] >= u[:, None, :], axis=2) & same
    gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
    assert undominated(u, seg).tolist() == (~np.any(ge & gt, axis=1)).tolist()
    q = rng.integers(0, hi + 1, (data.draw(st.integers(1, 80)), p))
    want = np.any(np.all(u[None, :, :] >= q[:, None, :], axis=2), axis=1)
    assert exists_dominator(u, q).tolist() == want.tolist()


def test_large_skyline_kernels_on_three_and_four_parties() -> None:
    # sizes beyond the 32-item brute-force blocks exercise every level of the divide and conquer
    rng = np.random.default_rng(7)
    for p, n in ((3, 3000), (4, 1500)):
        u = rng.integers(0, 40, (n, p))
        keep = undominated(u)
        ge = np.all(u[None, :, :] >= u[:, None, :], axis=2)
        gt = np.any(u[None, :, :] > u[:, None, :], axis=2)
        assert keep.tolist() == (~np.any(ge & gt, axis=1)).tolist()


@pytest.mark.parametrize(("parties", "opposed", "seed"), [(2, False, 1), (2, True, 2), (3, False, 3), (3, True, 4)])
def test_random_float_cases_match_brute_force(frontier_kit, parties: int, opposed: bool, seed: int) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.random_additive(4, 6, parties, opposed=opposed, seed=seed)
    f = pareto_frontier(case, cap=5)
    _check_against(case, f, frontier_kit.brute_frontier(case), frontier_kit, 5)


def test_hyper_rectangles_with_cap_match_brute_force(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    # GENIUS-like: zero additive part, interaction terms only, utilities capped at 1 (ties at the cap)
    for seed in range(3):
        case = frontier_kit.hyper_rectangles(5, 6, 12, seed=seed)
        f = pareto_frontier(case, cap=4)
        assert "interaction" in f.method
        _check_against(case, f, frontier_kit.brute_frontier(case), frontier_kit, 4)


def test_cap_ties_count_every_package_reaching_the_point() -> None:
    # A's points reach 5 or more in 3 of 4 packages; capped at 5 they tie, so all three count for one point
    issues = (Issue.categorical("x", ["a", "b"]), Issue.categorical("y", ["c", "d"]))
    a = Preferences(((0.0, 4.0), (2.0, 3.0)), cap=5.0)
    b = Preferences(((1.0, 1.0), (1.0, 1.0)))
    case = Case("cap", issues, (Party("A"), Party("B")), (a, b))
    f = pareto_frontier(case)
    assert f.utilities.tolist() == [[5.0, 2.0]]
    assert f.package_counts == (2,)
    assert set(f.packages[0]) == {(1, 0), (1, 1)}


def test_counts_are_exact_beyond_int64(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    # 30 zero-stake issues of 10 options multiply every point's count by 10**30
    issues = (Issue.categorical("money", ["x", "y"]),
              *(Issue.categorical(f"z{k}", [str(o) for o in range(10)]) for k in range(30)))
    zero = tuple((0.0,) * 10 for _ in range(30))
    case = Case("big", issues, (Party("A"), Party("B")),
                (Preferences(((0.0, 1.0), *zero)), Preferences(((1.0, 0.0), *zero))))
    f = pareto_frontier(case, cap=3)
    assert f.package_counts == (10**30, 10**30)
    assert all(len(p) == 3 for p in f.packages)
    assert f.total_packages == case.space_size


def test_decimal_ties_are_one_point() -> None:
    # 0.1 + 0.2 and 0.3 differ in the last bits of a float but are one point (docs/concepts.md#frontier-and-ties)
    issues = (Issue.categorical("x", ["a", "b"]), Issue.categorical("y", ["c", "d"]))
    a = Preferences(((0.1, 0.3), (0.2, 0.0)))
    b = Preferences(((1.0, 0.0), (0.0, 1.0)))
    case = Case("ties", issues, (Party("A"), Party("B")), (a, b))
    f = pareto_frontier(case)
    assert np.allclose(f.utilities, [[0.5, 0.0], [0.3, 1.0], [0.1, 2.0]])
    assert f.package_counts == (1, 2, 1)
    assert set(f.packages[1]) == {(0, 0), (1, 1)}


def test_big_integer_points_are_compared_exactly() -> None:
    issues = (Issue.categorical("x", ["a", "b"]),)
    case = Case("int", issues, (Party("A"), Party("B")),
                (Preferences(((10.0**12, 10.0**12 + 1),)), Preferences(((1.0, 1.0),))))
    f = pareto_frontier(case)
    assert f.utilities.tolist() == [[10.0**12 + 1, 1.0]]


def test_thirty_issue_frontier_lists_every_point(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.random_additive(30, 10, 2, opposed=True, seed=5)
    f = pareto_frontier(case, cap=1)
    assert len(f) > 1000
    pk = np.array([p[0] for p in f.packages])
    assert np.allclose(case.utilities(pk), f.utilities)
    # mutually undominated on the exact grid, and strictly decreasing / increasing
    assert np.all(np.diff(f.grid_points[:, 0]) < 0) and np.all(np.diff(f.grid_points[:, 1]) > 0)


def test_three_party_frontier_is_mutually_undominated(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.random_additive(8, 6, 3, opposed=True, seed=6)
    f = pareto_frontier(case, cap=1)
    assert undominated(f.grid_points).all()
    # nothing in a random sample of packages dominates a frontier point
    rng = np.random.default_rng(0)
    sample = np.stack([rng.integers(0, 6, 20_000) for _ in range(8)], axis=1)
    from accord.analysis._compile import grid_utilities, utility_grid

    u = grid_utilities(case, utility_grid(case), sample)
    strict = np.repeat(f.grid_points, 3, axis=0)
    strict[np.arange(strict.shape[0]), np.tile(np.arange(3), len(f))] += 1
    assert not exists_dominator(u, strict).any()


def test_synthetic_ten_issue_hyper_rectangles_agree_with_issue_fixing(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    # 10**8 packages, no oracle: the frontier must equal the merge of the frontiers with the first issue fixed
    case = frontier_kit.hyper_rectangles(8, 10, 20, seed=11)
    full = pareto_frontier(case, cap=2)
    parts = [pareto_frontier(case, cap=2, fixed={"c0": str(o)}) for o in range(10)]
    pts = np.concatenate([p.grid_points for p in parts])
    counts = [c for p in parts for c in p.package_counts]
    uniq, inverse = np.unique(pts, axis=0, return_inverse=True)
    total = np.zeros(len(uniq), dtype=object)
    for j, c in zip(inverse.reshape(-1), counts, strict=True):
        total[j] += c
    keep = undominated(uniq)
    want = {tuple(r): int(c) for r, c in zip(uniq[keep], total[keep], strict=True)}
    got = {tuple(r): c for r, c in zip(full.grid_points, full.package_counts, strict=True)}
    assert got == want


def test_genius_10issues_matches_its_pareto_file(genius_10issues) -> None:  # type: ignore[no-untyped-def]
    case, pareto = genius_10issues
    f = pareto_frontier(case, cap=2)
    assert case.space_size == 10**10
    assert sorted(map(tuple, np.round(f.utilities, 6).tolist())) == sorted(
        tuple(round(x, 6) for x in p) for p in pareto)
    for row, pkgs in zip(f.utilities, f.packages, strict=True):
        assert np.allclose(case.utilities(list(pkgs)), row[None, :])


def test_fixed_issue_appears_in_every_package() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p", "q", "r"]},
                            {"A": {"a": [0, 2], "b": [0, 1, 2]}, "B": {"a": [1, 0], "b": [2, 1, 0]}})
    f = pareto_frontier(case, fixed={"a": "x"})
    assert all(p[0] == 0 for pkgs in f.packages for p in pkgs)
    assert "fixed a=x" in f.restriction


def test_at_least_accepts_minus_infinity_for_no_bound() -> None:
    case = Case.from_tables("t", {"a": ["x", "y", "z"]}, {"A": {"a": [0, 1, 2]}, "B": {"a": [2, 1, 0]}})
    f = pareto_frontier(case, at_least=[1, float("-inf")])
    assert f.utilities[:, 0].tolist() == [2.0, 1.0]
    assert f.restriction == "at least A 1"


def test_empty_region_gives_an_empty_frontier() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [0, 1]}, "B": {"a": [1, 0]}},
                            batnas={"A": 5, "B": 5})
    f = pareto_frontier(case, rational=True)
    assert len(f) == 0 and f.packages == () and f.to_dict()["points"] == []


def test_to_dict_is_json_ready_with_labels_and_grid() -> None:
    issues = (Issue.real_interval("price", 0, 1, grid=3), Issue.categorical("x", ["a", "b"]))
    case = Case("grid", issues, (Party("A"), Party("B")),
                (Preferences(((0.0, 1.0, 2.0), (0.0, 1.0))), Preferences(((2.0, 1.0, 0.0), (0.0, 1.0)))))
    f = pareto_frontier(case, cap=2)
    d = json.loads(json.dumps(f.to_dict()))
    assert d["exact"] is True and d["parties"] == ["A", "B"]
    assert d["grid"] == grid_note(case) == "real issues analysed on a grid: price on 3 points"
    assert d["points"][0]["packages"][0] == {"price": "1", "x": "b"}
    assert d["size"] == len(f) == 3 and d["package_cap"] == 2


def test_zero_cap_lists_no_packages_but_counts_them() -> None:
    case = Case.from_tables("t", {"a": ["x", "y"]}, {"A": {"a": [1, 1]}, "B": {"a": [1, 1]}})
    f = pareto_frontier(case, cap=0)
    assert f.package_counts == (2,) and f.packages == ((),)
    assert DEFAULT_CAP == 10


def test_progress_is_reported_per_issue(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, int, int]] = []
    pareto_frontier(frontier_kit.random_additive(5, 4, 2, seed=1), progress=lambda *a: seen.append(a))
    assert [s[:2] for s in seen] == [(k, 5) for k in range(1, 6)]


def test_too_large_raises_a_clear_error(frontier_kit) -> None:  # type: ignore[no-untyped-def]
    case = frontier_kit.random_additive(10, 10, 2, opposed=True, seed=1)
    with pytest.raises(TooLargeError, match=r"partial packages after .* issues.*restrict the question.*"
                                            r"too many to enumerate"):
        pareto_frontier(case, limit=50)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"cap": -1}, "cap must be 0 or more"),
    ({"at_least": [1.0]}, "at_least needs one utility per party"),
    ({"at_least": [float("nan"), 1.0]}, "at_least needs one utility per party"),
    ({"fixed": {"nope": "x"}}, "unknown issue 'nope'"),
    ({"fixed": {"a": "w"}}, "issue 'a' has no option 'w'"),
    ({"preferred_to": {"a": "x"}}, None),
])
def test_bad_requests_raise_one_line_errors(kwargs: dict[str, object], message: str | None) -> None:
    case = Case.from_tables("t", {"a": ["x", "y"], "b": ["p"]}, {"A": {"a": [0, 1], "b": [0]},
                                                                 "B": {"a": [1, 0], "b": [0]}})
    with pytest.raises(RequestError) as err:
        pareto_frontier(case, **kwargs)  # type: ignore[arg-type]
    assert "\n" not in str(err.value)
    if message:
        assert message in str(err.value)


def test_non_additive_interaction_with_fixed_issue_simplifies() -> None:
    # a term on (a, b) becomes a one-issue term when a is fixed; fixing the other option drops it
    issues = (Issue.categorical("a", ["x", "y"]), Issue.categorical("b", ["p", "q"]))
    t = Interaction(((0, frozenset({1})), (1, frozenset({1}))), 5.0)
    case = Case("t", issues, (Party("A"), Party("B")),
                (Preferences(((0.0, 0.0), (0.0, 0.0)), (t,)), Preferences(((0.0, 0.0), (1.0, 0.0)))))
    assert pareto_frontier(case, fixed={"a": "y"}).utilities.tolist() == [[5.0, 0.0], [0.0, 1.0]]
    assert pareto_frontier(case, fixed={"a": "x"}).utilities.tolist() == [[0.0, 1.0]]
