"""The pyramid (docs/concepts.md#the-pyramid) against brute force on small random cases, plus hand-checked examples and
errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import accord
from accord.analysis import pyramid as pm
from accord.analysis.frontier import pareto_frontier
from accord.analysis.pyramid import assess, evaluate, reference_for, zone_distribution
from accord.errors import RequestError
from accord.model import Case, Interaction, Issue, Party, Preferences
from oracles import all_packages, purchase_case


# ---------------------------------------------------------------------------------------------------------
# random small cases and a brute-force oracle
# ---------------------------------------------------------------------------------------------------------
@st.composite
def small_cases(draw: st.DrawFn) -> Case:
    n_parties = draw(st.integers(2, 3))
    n_issues = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1, 4)) for _ in range(n_issues)]
    integer = draw(st.booleans())
    value = st.integers(-3, 6).map(float) if integer else st.floats(-3, 6, allow_nan=False).map(
        lambda x: round(x, 3))
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(n_parties):
        scores = tuple(tuple(draw(value) for _ in range(s)) for s in sizes)
        inter: tuple[Interaction, ...] = ()
        if n_issues >= 2 and draw(st.integers(0, 3)) == 0:  # sometimes non-additive
            k1, k2 = 0, 1
            cond = ((k1, frozenset({draw(st.integers(0, sizes[k1] - 1))})),
                    (k2, frozenset({draw(st.integers(0, sizes[k2] - 1))})))
            inter = (Interaction(cond, float(draw(st.integers(-4, 4)))),)
        prefs.append(Preferences(scores, inter))
    parties = tuple(Party(f"P{i}", batna=float(draw(st.integers(-4, 8)))) for i in range(n_parties))
    return Case("random", issues, parties, tuple(prefs), shared_scales=draw(st.booleans()))


def _dominates(x: np.ndarray, y: np.ndarray) -> bool:
    return bool(np.all(x >= y) and np.any(x > y))


def _oracle_compromise(case: Case) -> tuple[int, ...]:
    """docs/concepts.md#the-pyramid written out: per issue, max over options of min_i e_ik(o); ties larger Σ e, then
    earlier."""
    out = []
    for s in case.scores:
        e = []
        for row in s:
            lo, hi = min(row), max(row)
            e.append([1.0 if hi == lo else (v - lo) / (hi - lo) for v in row])
        keys = [(min(col), sum(col)) for col in zip(*e, strict=True)]
        best_min = max(k[0] for k in keys)
        cand = [o for o, k in enumerate(keys) if k[0] >= best_min - 1e-12]
        best_sum = max(keys[o][1] for o in cand)
        out.append(next(o for o in cand if keys[o][1] >= best_sum - 1e-12))
    return tuple(out)


class Oracle:
    """Everything about one agreement, by enumerating Ω."""

    def __init__(self, case: Case) -> None:
        self.case = case
        self.pk = all_packages(case)
        self.u = case.utilities(self.pk)
        self.b = np.asarray(case.batnas, dtype=float)
        self.ideal = self.u.max(axis=0)
        span = self.ideal - self.b
        self.w = np.ones(case.n_parties) if case.shared_scales else np.where(span > 0, 1 / np.where(
            span > 0, span, 1), 0.0)

    def joint(self, u: np.ndarray) -> float:
        return float(np.dot(self.w, u - (0 if self.case.shared_scales else self.b)))

    def gains(self, u: np.ndarray) -> np.ndarray:
        span = self.ideal - self.b
        return np.where(span > 0, (u - self.b) / np.where(span > 0, span, 1), 0.0)

    def facts(self, a: int) -> dict[str, object]:
        ua = self.u[a]
        dominating = [w for w in range(len(self.pk)) if _dominates(self.u[w], ua)]
        undominated = [w for w in dominating if not any(_dominates(self.u[v], self.u[w]) for v in dominating)]
        rational = bool(np.all(ua >= self.b))
        pareto = not dominating
        comp = self.case.utilities([_oracle_compromise(self.case)])[0]
        dom_comp = _dominates(ua, comp)
        level = 0 if not rational else 3 if pareto else 2 if dom_comp else 1
        gains = [self.joint(self.u[w]) - self.joint(ua) for w in dominating]
        best_gain = max(gains) if gains else 0.0
        frontier = [w for w in range(len(self.pk))
                    if not any(_dominates(self.u[v], self.u[w]) for v in range(len(self.pk)))]
        weakly = [w for w in frontier if np.all(self.u[w] >= ua)]
        dist = 0.0 if pareto else min(float(np.linalg.norm(self.gains(self.u[w]) - self.gains(ua))) for w in weakly)
        zone = [w for w in range(len(self.pk)) if np.all(self.u[w] >= self.b)]
        frac = (sum(1 for w in zone if _dominates(ua, self.u[w])) / len(zone)) if zone else None
        nash = None
        if zone:
            prods = [float(np.prod(self.u[w] - self.b)) for w in zone]
            nash = rational and math.prod((ua - self.b).tolist()) >= max(prods) - 1e-9 * max(1, abs(max(prods)))
        return {
            "rational": rational, "pareto": pareto, "level": level, "dom_comp": dom_comp,
            "improvements": {tuple(int(x) for x in self.pk[w]) for w in undominated},
            "best_gain": best_gain, "dominating": dominating, "distance": dist, "zone": len(zone),
            "zone_fraction": frac, "nash": nash,
        }


def _pkg_tuple(case: Case, labels: dict[str, str]) -> tuple[int, ...]:
    return case.package(labels)


@settings(max_examples=120)
@given(case=small_cases(), data=st.data())
def test_evaluate_matches_brute_force(case: Case, data: st.DataObject) -> None:
    oracle = Oracle(case)
    a = data.draw(st.integers(0, len(oracle.pk) - 1))
    pkg = tuple(int(x) for x in oracle.pk[a])
    truth = oracle.facts(a)
    ev = evaluate(case, pkg, cap=len(oracle.pk))

    # the level and its ingredients
    assert ev.individually_rational == truth["rational"]
    assert ev.pareto_optimal == truth["pareto"]
    assert ev.dominates_compromise == truth["dom_comp"]
    assert ev.level == truth["level"]
    assert (ev.level == 3) == (truth["rational"] and truth["pareto"])
    assert (ev.level == 0) == bool(np.any(oracle.u[a] < oracle.b))
    assert (ev.level == 2) == (truth["rational"] and not truth["pareto"] and truth["dom_comp"])
    assert ev.compromise["package"] == case.labels(_oracle_compromise(case))

    # the undominated improvements, all of them (the cap is |Ω|), and their exact count
    got = {_pkg_tuple(case, i.package) for i in ev.improvements}
    assert got == truth["improvements"]
    assert ev.improvement_count == len(truth["improvements"])

    # value left on the table: one improvement with the largest joint gain
    assert ev.value_left_joint == pytest.approx(truth["best_gain"], abs=1e-7)
    if truth["pareto"]:
        assert ev.value_left_package is None
        assert all(v == 0 for v in ev.value_left.values())
    else:
        assert ev.value_left_package is not None
        w = case.package(ev.value_left_package)
        uw = case.utilities([w])[0]
        assert _dominates(uw, oracle.u[a])
        assert list(ev.value_left_points.values()) == pytest.approx((uw - oracle.u[a]).tolist())
        gain_scale = (uw - oracle.u[a]) * oracle.w
        assert list(ev.value_left.values()) == pytest.approx(
            gain_scale.tolist() if case.shared_scales else (oracle.gains(uw) - oracle.gains(oracle.u[a])).tolist(),
            abs=1e-9)
        # ties: the most even split among the joint-gain maximisers
        best = max(float(np.min((oracle.u[v] - oracle.u[a]) * oracle.w)) for v in truth["dominating"]
                   if oracle.joint(oracle.u[v]) - oracle.joint(oracle.u[a]) >= truth["best_gain"] - 1e-9)
        assert float(np.min(gain_scale)) == pytest.approx(best, abs=1e-9)
        # the first improvement listed is that one
        assert ev.improvements[0].utilities == pytest.approx(dict(zip(case.party_names, uw.tolist(), strict=True)))

    assert ev.distance == pytest.approx(truth["distance"], abs=1e-9)
    assert ev.zone_size == truth["zone"]
    if truth["zone_fraction"] is None:
        assert ev.zone_dominated_fraction is None
    else:
        assert ev.zone_dominated_fraction == pytest.approx(truth["zone_fraction"])
    assert ev.nash_optimal == (bool(truth["nash"]) if truth["nash"] is not None else False)
    max_joint = max(oracle.joint(x) for x in oracle.u)
    assert ev.max_joint_value == pytest.approx(max_joint)
    assert ev.at_max_joint == (oracle.joint(oracle.u[a]) >= max_joint - 1e-9)
    assert ev.surplus == pytest.approx(dict(zip(case.party_names, (oracle.u[a] - oracle.b).tolist(), strict=True)))


@settings(max_examples=60)
@given(case=small_cases())
def test_assess_rows_equal_single_evaluations(case: Case) -> None:
    """The engine on all packages at once gives each package's own evaluation."""
    pk = all_packages(case)
    ref = reference_for(case)
    res = assess(ref, case.utilities(pk))
    for r in range(0, len(pk), max(1, len(pk) // 7)):
        ev = evaluate(case, tuple(int(x) for x in pk[r]), reference=ref)
        assert ev.level == res.levels[r]
        assert ev.pareto_optimal == res.pareto_optimal[r]
        assert list(ev.value_left.values()) == pytest.approx(res.value_left[r].tolist())


@settings(max_examples=60)
@given(case=small_cases())
def test_zone_distribution_counts_the_zone(case: Case) -> None:
    pk = all_packages(case)
    u = case.utilities(pk)
    zone = u[np.all(u >= case.batnas, axis=1)]
    dist = zone_distribution(case)
    assert dist is not None
    zu, zc = dist
    assert int(zc.sum()) == len(zone)
    assert sorted(map(tuple, np.repeat(zu, zc, axis=0).tolist())) == sorted(map(tuple, zone.tolist()))


def test_zone_distribution_gives_up_beyond_the_limit() -> None:
    case = Case.from_tables("t", {f"i{k}": ["a", "b", "c"] for k in range(6)},
                            {"A": {f"i{k}": [0, 1, 2] for k in range(6)}, "B": {f"i{k}": [2, 1, 0] for k in range(6)}},
                            batnas={"A": -1, "B": -1})
    assert zone_distribution(case, limit=100) is None  # the zone is all 729 packages
    dist = zone_distribution(case, limit=729)
    assert dist is not None and int(dist[1].sum()) == 729


# ---------------------------------------------------------------------------------------------------------
# the two-party staircase search equals the general comparison
# ---------------------------------------------------------------------------------------------------------
@settings(max_examples=80)
@given(data=st.data())
def test_two_party_search_equals_general(data: st.DataObject) -> None:
    n = data.draw(st.integers(1, 40))
    xs = sorted(set(data.draw(st.lists(st.integers(0, 60), min_size=n, max_size=n))), reverse=True)
    ys = sorted(set(data.draw(st.lists(st.integers(0, 60), min_size=len(xs), max_size=len(xs)))))
    m = min(len(xs), len(ys))
    fu = np.array(list(zip(xs[:m], ys[:m], strict=True)), dtype=float)
    w = np.array([1.0, 1.0]) if data.draw(st.booleans()) else np.array(
        [data.draw(st.sampled_from([0.5, 1.0, 2.0, 0.3])), data.draw(st.sampled_from([0.5, 1.0, 0.25]))])
    fj = fu @ w
    rows = data.draw(st.lists(st.tuples(st.integers(-5, 65), st.integers(-5, 65)), min_size=1, max_size=30))
    a = np.array(rows, dtype=float)
    if data.draw(st.booleans()):
        a = np.concatenate([a, fu[: min(5, m)]])
    assert pm._two_party_ready(fu, w)
    # the joint tolerance is 1e-9 of the joint values, or (as on a case whose scale passes 10⁹ with integer
    # points) as wide as one to four grid steps: then more than the two joint ties next to the crossing may
    # tie on the smallest gain, and every one of them must be handed to _untie, as the general search does
    tj = data.draw(st.sampled_from([1e-9 * max(1.0, float(np.abs(fj).max())), 0.5, 1.5, 2.5, 4.5]))
    p1, b1, o1 = pm._dominance_general(fu, fj, a, 1e-9, w, tj)
    p2, b2, o2 = pm._dominance_two(fu, fj, a, 1e-9, w, tj)
    assert p1.tolist() == p2.tolist()
    # rows whose smallest gain ties too are left to _untie (option order), with the same candidates
    assert {r: c.tolist() for r, c in o1.items()} == {r: c.tolist() for r, c in o2.items()}
    assert [x for r, x in enumerate(b1.tolist()) if r not in o1] == [x for r, x in enumerate(b2.tolist())
                                                                     if r not in o2]


@pytest.mark.parametrize("offset", [0, 10**10])
def test_large_batch_takes_the_staircase_path_with_the_same_answers(offset: int) -> None:
    # offset 10¹⁰ (one issue worth 10¹⁰ more to both, whatever the option): points stay integers, but the joint
    # tolerance (1e-9 of the joint values, ≈ 20) now spans several grid steps, so near ties abound
    rng = np.random.default_rng(3)
    issues = {f"i{k}": [f"o{o}" for o in range(6)] for k in range(5)}
    pts = {"A": {k: rng.integers(0, 30, 6).tolist() for k in issues},
           "B": {k: rng.integers(0, 30, 6).tolist() for k in issues}}
    for party in pts.values():
        party["i0"] = [x + offset for x in party["i0"]]
    case = Case.from_tables("t", issues, pts, shared_scales=True)
    ref = reference_for(case)
    pk = rng.integers(0, 6, (70_000 // max(1, len(ref.frontier)) + 10, 5))
    u = case.utilities(pk)
    assert u.shape[0] * len(ref.frontier) > 65_536
    res = assess(ref, u)
    p, b, ties = pm._dominance_general(ref.frontier.utilities, ref.frontier_joint, u, ref.tol, ref.weights,
                                       ref.joint_tol)
    for row, cands in ties.items():
        b[row] = pm._untie(ref, u[row], cands)
    assert res.pareto_optimal.tolist() == p.tolist()
    assert res.best.tolist() == b.tolist()


# ---------------------------------------------------------------------------------------------------------
# hand-checked example and the forms an agreement may take
# ---------------------------------------------------------------------------------------------------------
def test_hand_checked_levels_and_value_left() -> None:
    case = purchase_case()
    # compromise: price mid (min e = .5), delivery tie → first (slow), warranty long → (20+0+10, 20+10+5)
    ev = evaluate(case, "price=mid,delivery=slow,warranty=long")
    assert ev.compromise["utilities"] == {"buyer": 30.0, "seller": 35.0}
    assert ev.level == 1 and not ev.dominates_compromise and not ev.pareto_optimal
    # the only undominated improvement is high/fast/long = (40, 45)
    assert [i.package for i in ev.improvements] == [{"price": "high", "delivery": "fast", "warranty": "long"}]
    assert ev.value_left == {"buyer": 10.0, "seller": 10.0} and ev.value_left_joint == 20.0
    # (30, 40) dominates the compromise (30, 35) and is dominated by (40, 45): level 2
    ev2 = evaluate(case, {"price": "high", "delivery": "fast", "warranty": "short"})
    assert (ev2.level, ev2.level_name) == (2, "better than compromise")
    # low/slow/short = (40, 10): seller below its BATNA of 20; two improvements tie at joint gain 35:
    # (60, 25) gains (20, 15), (40, 45) gains (0, 35): the more even split is chosen
    ev0 = evaluate(case, (0, 0, 0))
    assert ev0.level == 0 and ev0.level_name == "no mutual settlement"
    assert ev0.value_left == {"buyer": 20.0, "seller": 15.0}
    assert ev0.improvement_count == 2
    ev3 = evaluate(case, [1, 1, 1])
    assert ev3.level == 3 and ev3.improvements == () and ev3.distance == 0.0
    assert ev3.at_max_joint and ev3.max_joint_value == 85.0


def test_to_dict_carries_the_contract() -> None:
    d = accord.evaluate(purchase_case(), "price=mid,delivery=slow,warranty=long").to_dict()
    for key in ("level", "individually_rational", "pareto_optimal", "improvements", "improvement_count",
                "value_left", "scale", "distance", "zone_dominated_fraction", "utilities", "surplus"):
        assert key in d
    assert d["improvements"][0] == {"package": {"price": "high", "delivery": "fast", "warranty": "long"},
                                    "utilities": {"buyer": 40.0, "seller": 45.0}, "joint_gain": 20.0}
    assert d["scale"] == "points"
    import json

    json.dumps(d)  # JSON-ready


def test_cap_limits_the_list_not_the_count() -> None:
    ev = evaluate(purchase_case(), (0, 0, 0), cap=1)
    assert len(ev.improvements) == 1 and ev.improvement_count == 2


def test_normalised_gains_without_shared_scales() -> None:
    case = Case.from_tables("t", {"a": ["x", "y", "z"]},
                            {"A": {"a": [0, 10, 10]}, "B": {"a": [0, 0, 100]}}, batnas={"A": 0, "B": 0})
    ev = evaluate(case, "a=y")
    assert ev.scale == "normalised gains"
    assert ev.value_left == {"A": 0.0, "B": 1.0}
    assert ev.value_left_points == {"A": 0.0, "B": 100.0}


def test_restricted_frontier_fallback_gives_the_same_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """When the full frontier is too large, the part that dominates the agreement suffices."""
    from accord.errors import TooLargeError

    case = purchase_case()
    full = evaluate(case, (0, 0, 0))

    def too_large(*args: object, **kwargs: object) -> object:
        raise TooLargeError("too large")

    real = pm.pareto_frontier
    monkeypatch.setattr(pm, "reference_for", too_large)
    monkeypatch.setattr(pm, "pareto_frontier", lambda c, **kw: real(c, **kw))
    part = evaluate(case, (0, 0, 0))
    assert part.level == full.level and part.value_left == full.value_left
    assert part.improvement_count == full.improvement_count and part.nash_optimal is None


def test_reference_of_another_case_is_refused() -> None:
    case = purchase_case()
    other = case.with_batnas({"buyer": 0})
    with pytest.raises(RequestError, match="reference was built for another case"):
        evaluate(case, (0, 0, 0), reference=reference_for(other))


def test_given_frontier_is_used() -> None:
    case = purchase_case()
    front = pareto_frontier(case)
    assert evaluate(case, (1, 0, 1), frontier=front).to_dict() == evaluate(case, (1, 0, 1)).to_dict()


@pytest.mark.parametrize(
    ("agreement", "message"),
    [
        ("price=cheap,delivery=slow,warranty=long",
         "issue 'price' has no option 'cheap'; expected one of: low, mid, high"),
        ("price=mid,delivery=slow", "the agreement gives no option for warranty; every issue needs one"),
        ("price=mid,colour=red,delivery=slow,warranty=long", "unknown issue 'colour'"),
        ((0, 5, 0), "a package needs one valid option index for each of 3 issues"),
        (("a", "b", "c"), "one option index per issue"),
    ],
)
def test_bad_agreements_are_one_line_errors(agreement: object, message: str) -> None:
    with pytest.raises(RequestError) as err:
        evaluate(purchase_case(), agreement)  # type: ignore[arg-type]
    assert message in str(err.value)
    assert "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------------------
# frontiers too large to list: the restricted frontier, then the exact single-package search
# ---------------------------------------------------------------------------------------------------------
def opposed_case(n_issues: int, n_options: int, n_parties: int = 3, seed: int = 0) -> Case:
    """The benchmarks' opposed random case: party p's points Σ_k w_pk · v_pk(option), flat Dirichlet weights,
    values U[0, 1], and party 2 values 1 − v of party 1 (every issue opposed for them)."""
    rng = np.random.default_rng(seed)
    v = rng.random((n_parties, n_issues, n_options))
    v[1] = 1 - v[0]
    w = rng.dirichlet(np.ones(n_issues), size=n_parties)
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(n_options)]) for k in range(n_issues))
    prefs = tuple(Preferences(tuple(tuple(float(x) for x in w[p, k] * v[p, k]) for k in range(n_issues)))
                  for p in range(n_parties))
    return Case("opposed", issues, tuple(Party(f"P{p}") for p in range(n_parties)), prefs)


_SAME = ("level", "individually_rational", "pareto_optimal", "dominates_compromise", "scale", "at_max_joint",
         "zone_size")


@pytest.mark.parametrize("limit", [50, 1500])
def test_large_frontier_paths_agree_with_the_full_frontier(limit: int) -> None:
    """limit=50: neither the frontier nor the restricted one fits, so the single-package search answers;
    limit=1500: the full frontier (5,534 points) does not fit but the part above the compromise (501) does."""
    case = opposed_case(8, 10)
    front = pareto_frontier(case, cap=1)
    agreements = [pm.compromise_package(case), (0,) * 8, front.packages[len(front) // 2][0]]
    paths = []
    for agreement in agreements:
        full = evaluate(case, agreement)
        part = evaluate(case, agreement, limit=limit)
        for key in _SAME:
            assert getattr(part, key) == getattr(full, key), key
        assert part.value_left_joint == pytest.approx(full.value_left_joint, rel=1e-9, abs=1e-12)
        assert part.max_joint_value == pytest.approx(full.max_joint_value, rel=1e-12)
        assert part.joint_value == pytest.approx(full.joint_value, rel=1e-12)
        assert part.nash_optimal is None and full.nash_optimal is not None
        if full.pareto_optimal:  # decided without any frontier: nothing to list, exactly
            assert (part.improvement_count, part.improvement_points, part.distance) == (0, 0, 0.0)
            assert part.value_left_package is None and part.improvements == ()
        elif part.improvement_count is None:  # the single-package search
            paths.append("search")
            assert part.improvement_count is None and part.improvement_points is None and part.distance is None
            assert "too large to list" in part.note
            # the one improvement listed is the best one, and it is a point of the full frontier
            best = part.improvements[0]
            assert best.package == part.value_left_package
            assert best.joint_gain == pytest.approx(full.value_left_joint, rel=1e-9)
            u = case.utility(best.package)
            assert np.any(np.all(np.abs(front.utilities - u[None, :]) <= 1e-12, axis=1))
            assert all(v >= -1e-12 for v in part.value_left_points.values())
        else:  # the frontier restricted to the packages every party weakly prefers to the agreement
            paths.append("restricted")
            assert part.note == ""
            assert part.improvement_count == full.improvement_count
            assert part.distance == pytest.approx(full.distance)
            assert part.value_left == pytest.approx(full.value_left)
    # the compromise is improved on by 501 frontier points: listed with limit 1500, searched with limit 50
    assert paths[0] == ("search" if limit == 50 else "restricted")


def test_thirty_issues_three_parties_are_answered_exactly_without_the_frontier() -> None:
    """3 parties × 30 issues × 10 options, opposed: the full frontier has about half a million points (tens of
    seconds); evaluate stops the engine early and answers with the exact single-package search."""
    from accord.analysis.optimize import best_improvement, is_pareto_optimal

    case = opposed_case(30, 10)
    agreement = pm.compromise_package(case)
    ev = evaluate(case, agreement)
    assert not is_pareto_optimal(case, agreement)
    assert ev.level == 1 and not ev.pareto_optimal and ev.improvement_count is None and ev.note
    best = best_improvement(case, agreement)
    assert best is not None and best.exact
    assert ev.value_left_package == case.labels(best.package)
    assert ev.value_left_points == pytest.approx(dict(zip(case.party_names, best.gains.tolist(), strict=True)))
    assert ev.value_left_joint == pytest.approx(best.joint_gain, rel=1e-9)
    assert ev.to_dict()["improvement_count"] is None
