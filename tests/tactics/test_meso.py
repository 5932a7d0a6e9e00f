"""MESOs against brute force: equal value within tolerance, each offer exactly best for its hypothesis, Bayes
updates that find a hidden counterpart's priorities."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accord.errors import RequestError
from accord.io import load_case
from accord.model import Case, Estimate, Interaction, Issue, Party, Preferences
from accord.tactics import _exact, meso
from accord.tactics._exact import Band, optimise
from accord.tactics.meso import Belief, default_belief, meso_set, update_belief
from oracles import all_packages


@st.composite
def small_cases(draw: st.DrawFn, interactions: bool = True) -> Case:
    n_issues = draw(st.integers(2, 4))
    sizes = [draw(st.integers(2, 4)) for _ in range(n_issues)]
    issues = tuple(Issue.categorical(f"i{k}", [f"o{o}" for o in range(s)]) for k, s in enumerate(sizes))
    prefs = []
    for _ in range(2):
        scores = tuple(tuple(float(draw(st.integers(0, 9))) for _ in range(s)) for s in sizes)
        terms: tuple[Interaction, ...] = ()
        if interactions and draw(st.booleans()):
            terms = (Interaction(((0, frozenset({0, 1})), (1, frozenset({1}))), float(draw(st.integers(-6, 6)))),)
        cap = float(draw(st.integers(8, 30))) if interactions and draw(st.booleans()) else None
        prefs.append(Preferences(scores, terms, cap))
    parties = (Party("A", batna=float(draw(st.integers(0, 4)))), Party("B", batna=0.0))
    return Case("random", issues, parties, tuple(prefs))


def lose_lose_oracle(case: Case) -> set[tuple[int, int]]:
    """(issue, option) pairs some other option of the issue beats for every party, by plain loops; issues an
    interaction term touches are exempt (there a swap need not help everyone)."""
    touched = {k for p in case.preferences for t in p.interactions for k, _ in t.conditions}
    out = set()
    for k in range(case.n_issues):
        if k in touched:
            continue
        for o in range(case.sizes[k]):
            for other in range(case.sizes[k]):
                if all(p.scores[k][other] > p.scores[k][o] for p in case.preferences):
                    out.add((k, o))
    return out


def check_set(case: Case, s: meso.MesoSet) -> None:
    """The oracle properties of a MESO set, by brute force over every package."""
    bad = lose_lose_oracle(case)
    for o in s.offers:
        # never an option that every party ranks below another one
        assert not any((k, x) in bad for k, x in enumerate(o.package_index))
    assert len(s.left_off) == len(bad)
    pkgs = all_packages(case)
    pkgs = pkgs[[not any((k, x) in bad for k, x in enumerate(row)) for row in pkgs]]
    ua = case.utilities(pkgs)[:, 0]
    b = case.batnas[0]
    span = ua.max() - b
    lo, hi = s.band
    assert lo == pytest.approx(b + (s.level - s.tolerance) * span)
    assert hi == pytest.approx(b + (s.level + s.tolerance) * span)
    inside = pkgs[(ua >= lo - 1e-9) & (ua <= hi + 1e-9)]
    u_inside = s.belief.utilities(inside)
    assert len({o.package_index for o in s.offers}) == len(s.offers)
    for o in s.offers:
        # within tolerance of the level on A's normalised gain
        assert abs(o.gain - s.level) <= s.tolerance + 1e-9
        assert o.utilities["A"] == pytest.approx(case.utilities([o.package_index])[0, 0])
        if o.serves in s.belief.names:
            h = s.belief.names.index(o.serves)
            # no package of equal own value is better for the hypothesis it serves
            value = s.belief.utilities([o.package_index])[0, h]
            assert value >= u_inside[:, h].max() - 1e-9
            assert o.serves in o.best_for
    served = [o.serves for o in s.offers]
    assert len(set(served)) == len(served)


@given(small_cases(), st.floats(0.0, 1.0), st.integers(1, 4))
@settings(max_examples=60)
def test_meso_sets_match_brute_force(case: Case, level: float, count: int) -> None:
    try:
        s = meso_set(case, "A", level=level, count=count, tolerance=0.1)
    except RequestError as err:
        # only an empty band or a BATNA above every package may refuse; check the claim
        ua = case.utilities(all_packages(case))[:, 0]
        b = case.batnas[0]
        if "no better than its BATNA" in err.message:
            assert ua.max() <= b + 1e-9
            return
        span = ua.max() - b
        in_band = np.abs((ua - b) / span - level) <= 0.1 + 1e-9
        if "contains an option that every party ranks below another" in err.message:
            bad = lose_lose_oracle(case)
            assert in_band.any()
            assert all(any((k, x) in bad for k, x in enumerate(row)) for row in all_packages(case)[in_band])
            return
        assert "no package is worth" in err.message
        assert not np.any(in_band)
        return
    assert 1 <= len(s.offers) <= count
    check_set(case, s)
    assert 0 <= s.information_gain <= min(s.belief.entropy(), np.log2(len(s.offers))) + 1e-9


@given(small_cases(), st.floats(0.1, 0.9))
@settings(max_examples=25)
def test_integer_programme_path_matches(case: Case, level: float) -> None:
    """Force the 0/1 programme (used for large spaces) and compare with enumeration."""
    try:
        enum = meso_set(case, "A", level=level, count=3, tolerance=0.15)
    except RequestError:
        return
    old = meso.ENUMERATION_LIMIT
    meso.ENUMERATION_LIMIT = 0
    try:
        milp = meso_set(case, "A", level=level, count=3, tolerance=0.15)
    finally:
        meso.ENUMERATION_LIMIT = old
    assert milp.method.startswith("exact 0/1 programme")
    check_set(case, milp)
    assert len(milp.offers) >= min(len(enum.offers), 1)


@given(small_cases(), st.integers(0, 1), st.booleans(), st.data())
@settings(max_examples=60)
def test_optimise_enumeration_and_programme_agree(case: Case, party: int, maximise: bool, data: st.DataObject
                                                  ) -> None:
    pkgs = all_packages(case)
    u = case.utilities(pkgs)
    k = data.draw(st.integers(0, case.n_issues - 1))
    fixed = {k: data.draw(st.integers(0, case.sizes[k] - 1))} if data.draw(st.booleans()) else None
    lo = float(data.draw(st.integers(0, 20)))
    band = Band(1 - party, lo, lo + float(data.draw(st.integers(0, 10)))) if data.draw(st.booleans()) else None
    mask = np.ones(len(pkgs), dtype=bool)
    if fixed:
        mask &= pkgs[:, k] == fixed[k]
    if band:
        mask &= (u[:, band.party] >= band.low - 1e-9) & (u[:, band.party] <= band.high + 1e-9)
    for method in ("enumerate", "milp"):
        found = optimise(case, party, maximise=maximise, fixed=fixed, band=band, method=method)  # type: ignore[arg-type]
        if not mask.any():
            assert found is None
            continue
        assert found is not None
        expect = u[mask, party].max() if maximise else u[mask, party].min()
        assert found[1] == pytest.approx(expect)
        assert found[1] == pytest.approx(case.utilities([found[0]])[0, party])


def hidden_case() -> tuple[Case, np.ndarray]:
    """A proposer with known priorities and a hidden counterpart that cares most about issue i2."""
    issues = {f"i{k}": [str(o) for o in range(5)] for k in range(4)}
    lin = np.linspace(0, 1, 5)
    wa = np.array([0.4, 0.3, 0.2, 0.1])
    wb = np.array([0.1, 0.2, 0.55, 0.15])  # not exactly any hypothesis of the default family
    case = Case.from_tables("hidden", issues, {
        "A": {f"i{k}": list(100 * wa[k] * lin) for k in range(4)},
        "B": {f"i{k}": list(100 * wb[k] * lin[::-1]) for k in range(4)}})
    return case, wb


def test_belief_concentrates_on_hidden_priorities() -> None:
    case, _ = hidden_case()
    # the counterpart is hidden: A starts from the fixed-pie family and learns from B's picks
    belief = default_belief(case, "A", "B", assume="fixed-pie")
    start = float(belief.probabilities[belief.names.index("i2 matters most")])
    history = []
    for _ in range(4):
        s = meso_set(case, "A", level=0.6, belief=belief)
        check_set(case, s)
        # the hidden counterpart picks the offer worth most to it under its true (hidden) preferences
        chosen = int(np.argmax([o.utilities["B"] for o in s.offers]))
        belief = update_belief(s.belief, chosen)
        history.append(float(belief.probabilities[belief.names.index("i2 matters most")]))
    assert belief.most_likely()[0] == "i2 matters most"
    assert history[-1] > 0.8 > start
    assert all(b > a for a, b in zip([start, *history], history, strict=False))
    assert len(belief.history) == 4


def test_belief_concentrates_with_noisy_choices() -> None:
    """Choices drawn from a logit over the counterpart's true utilities (seeded): still converges."""
    case, _ = hidden_case()
    rng = np.random.default_rng(7)
    belief = default_belief(case, "A", "B", assume="fixed-pie")
    ub_max = case.utilities(all_packages(case))[:, 1].max()
    for _ in range(8):
        s = meso_set(case, "A", level=0.6, belief=belief)
        true_u = np.array([o.utilities["B"] for o in s.offers]) / ub_max
        p = np.exp(10 * true_u) / np.exp(10 * true_u).sum()
        belief = update_belief(s.belief, int(rng.choice(len(p), p=p)))
    assert belief.most_likely()[0] == "i2 matters most"


def test_update_is_bayes_with_logit() -> None:
    belief = Belief.from_tables("B", ("x",), (("a", "b", "c"),), [np.array([[0.0, 1.0, 2.0], [2.0, 1.0, 0.0]])],
                                ["up", "down"], [0.3, 0.7], rationality=2.0)
    offers = [(0,), (2,)]
    post = update_belief(belief, 1, offers)
    like_up = np.exp(2 * 1.0) / (np.exp(0.0) + np.exp(2.0))
    like_down = np.exp(0.0) / (np.exp(2.0) + np.exp(0.0))
    expect = np.array([0.3 * like_up, 0.7 * like_down])
    assert post.probabilities == pytest.approx(expect / expect.sum())
    assert post.history == ((((0,), (2,)), 1),)
    assert post.offers == ()
    # the mutual information matches its definition
    pj = np.array([[1 - like_up, like_up], [1 - like_down, like_down]])
    marginal = belief.probabilities @ pj
    mi = sum(belief.probabilities[h] * pj[h, j] * np.log2(pj[h, j] / marginal[j]) for h in range(2) for j in range(2))
    assert belief.information_gain(offers) == pytest.approx(mi)
    with pytest.raises(RequestError, match=r"one of 1\.\.2"):
        update_belief(belief, 2, offers)
    with pytest.raises(RequestError, match="no offers"):
        update_belief(belief, 0)


def test_belief_json_round_trip_and_hand_written() -> None:
    case, _ = hidden_case()
    s = meso_set(case, "A", level=0.6)
    data = json.loads(json.dumps(s.belief.to_dict()))
    back = Belief.from_dict(data, case)
    assert back.names == s.belief.names
    assert back.probabilities == pytest.approx(s.belief.probabilities)
    assert back.offers == s.belief.offers
    for t1, t2 in zip(back.tables, s.belief.tables, strict=True):
        assert t1 == pytest.approx(t2)
    hand = {"about": "B", "proposer": "A", "hypotheses": [
        {"name": "price", "probability": 2, "weights": {"i0": 1}},
        {"name": "flat", "probability": 1, "scores": {"i1": {"0": 1, "1": 0, "2": 0, "3": 0, "4": 0}}}]}
    belief = Belief.from_dict(hand, case)
    assert belief.probabilities == pytest.approx([2 / 3, 1 / 3])
    assert belief.utilities([(0, 0, 0, 0)])[0].tolist() == pytest.approx([1.0, 1.0])
    shaped = Belief.from_dict({"about": "B", "shapes": {"i3": [0, 0, 0, 0, 1]}, "hypotheses": [
        {"name": "only i3", "weights": {"i3": 2, "i0": 5}}]}, case)
    assert shaped.utilities([(0, 0, 0, 4), (4, 4, 4, 0)])[:, 0].tolist() == [1.0, 0.0]
    for bad, message in [({"hypotheses": []}, "'about'"),
                         ({"about": "B", "shapes": [1], "hypotheses": [{"weights": {}}]}, "'shapes' must be"),
                         ({"about": "B", "hypotheses": []}, "non-empty list"),
                         ({"about": "B", "hypotheses": [{"scores": {"zz": {}}}]}, "unknown issue 'zz'"),
                         ({"about": "B", "hypotheses": [{"probability": -1, "scores": {}}]}, "non-negative"),
                         ({"about": "B", "hypotheses": [{"weights": {"i0": 1}}]}, "'shapes' or a 'proposer'"),
                         ({"about": "Q", "hypotheses": [{"scores": {}}]}, "unknown party 'Q'")]:
        with pytest.raises(RequestError, match=message):
            Belief.from_dict(bad, case)


def test_default_family_from_estimate() -> None:
    case, wb = hidden_case()
    est = Preferences(tuple(tuple(100 * w * x for x in np.linspace(1, 0, 5)) for w in (0.25, 0.25, 0.25, 0.25)))
    case = Case(case.name, case.issues, case.parties, case.preferences, estimates=(Estimate("A", "B", est),))
    belief = default_belief(case, "A", "B")
    # the estimate has equal priorities: "as estimated" is "all issues equal"; each "k matters most" is a swap
    assert belief.names[0] == "as estimated"
    assert "all issues equal" not in belief.names
    # equal priorities make every swap and "all issues equal" the same vector: perturbations fill the family
    assert belief.names == ("as estimated", "perturbation 2", "perturbation 3")
    more = default_belief(case, "A", "B", count=5, seed=3)
    assert len(more.names) == 5
    again = default_belief(case, "A", "B", count=5, seed=3)
    assert all(np.array_equal(x, y) for x, y in zip(more.tables, again.tables, strict=True))
    other = default_belief(case, "A", "B", count=5, seed=4)
    assert not all(np.array_equal(x, y) for x, y in zip(more.tables, other.tables, strict=True))
    # unequal estimated priorities: the estimate, one swap per issue that is not already on top, all equal
    est = Preferences(tuple(tuple(100 * w * x for x in np.linspace(1, 0, 5)) for w in wb))
    case = Case(case.name, case.issues, case.parties, case.preferences, estimates=(Estimate("A", "B", est),))
    belief = default_belief(case, "A", "B")
    assert belief.names == ("as estimated", "i0 matters most", "i1 matters most", "i3 matters most",
                            "all issues equal")
    i0 = belief.names.index("i0 matters most")
    assert belief.utilities([(0, 4, 4, 4)])[0, i0] == pytest.approx(0.55)


def test_target_in_points_and_default_level() -> None:
    case, _ = hidden_case()
    s = meso_set(case, "A", target=50.0)
    assert s.level == pytest.approx(0.5) and s.target == pytest.approx(50.0)
    check_set(case, s)
    d = s.to_dict()
    assert set(d) >= {"offers", "tolerance", "spread", "diversity", "expected_value", "information_gain"}
    assert set(d["offers"][0]) >= {"package", "utilities"}
    assert meso_set(case, "A").level == pytest.approx(0.8)


def test_impossible_requests() -> None:
    case, _ = hidden_case()
    cases = [
        (dict(target=101.0), "above A's best package"),
        (dict(target=-1.0), "below A's BATNA"),
        (dict(level=1.5), "level must be between 0"),
        (dict(level=-0.1), "level must be between 0"),
        (dict(tolerance=0.0), "tolerance must be a positive number"),
        (dict(count=0), "count must be at least 1"),
        (dict(level=0.5, target=50.0), "not both"),
        (dict(counterpart="A"), "aimed at another party"),
    ]
    for kwargs, message in cases:
        with pytest.raises(RequestError, match=message) as err:
            meso_set(case, "A", **kwargs)  # type: ignore[arg-type]
        assert "\n" not in str(err.value)
    coarse = Case.from_tables("c", {"x": ["0", "1"]}, {"A": {"x": [0, 10]}, "B": {"x": [10, 0]}})
    with pytest.raises(RequestError, match=r"no package is worth g = 0.5 ± 0.02 to A \(nearest: g = 0 and g = 1\)"):
        meso_set(coarse, "A", level=0.5)
    stuck = Case.from_tables("s", {"x": ["0", "1"]}, {"A": {"x": [0, 1]}, "B": {"x": [1, 0]}}, batnas={"A": 5})
    with pytest.raises(RequestError, match="no better than its BATNA"):
        meso_set(stuck, "A")


def test_enumeration_limit_is_shared() -> None:
    assert meso.ENUMERATION_LIMIT == _exact.ENUMERATION_LIMIT


def test_default_level_moves_to_a_level_that_serves_more_hypotheses() -> None:
    case = Case.from_tables(
        "coarse", {"x": ["0", "1", "2"], "y": ["0", "1", "2"], "z": ["0", "1"]},
        {"A": {"x": [0, 3, 6], "y": [0, 2, 4], "z": [0, 5]}, "B": {"x": [6, 3, 0], "y": [4, 2, 0], "z": [5, 0]}})
    asked = meso_set(case, "A", level=0.8)
    assert len(asked.offers) == 1 and asked.level == 0.8  # an explicit level is kept
    # B is opposed on every issue here, so the fixed-pie family is the designed one
    chosen = meso_set(case, "A", assume="fixed-pie")
    assert len(chosen.offers) == 2 and chosen.level == pytest.approx(10 / 15)
    assert "used g = 0.667" in chosen.notes[0]
    check_set(case, chosen)


# -- no fixed-pie default (the New Recruit lesson) ----------------------------------------------------------
NEW_RECRUIT = Path(__file__).resolve().parents[2] / "examples" / "new-recruit.yaml"
SHARED_BEST = {"job_assignment": "Analytics", "location": "Chicago"}


@pytest.mark.parametrize(("party", "other"), [("recruit", "recruiter"), ("recruiter", "recruit")])
def test_new_recruit_default_uses_the_case_preferences_and_no_lose_lose_option(party: str, other: str) -> None:
    """The old default assumed the other side opposed on every issue and offered Division B / San Francisco,
    worse for both sides, with offers below the other side's BATNA."""
    case = load_case(NEW_RECRUIT)
    s = meso_set(case, party)
    assert s.belief_source.startswith(f"the case file's preferences for {other}, used as {party}'s estimate")
    assert s.belief.source == s.belief_source and s.to_dict()["belief_source"] == s.belief_source
    assert len(s.offers) == 3
    for o in s.offers:
        for issue, best in SHARED_BEST.items():
            assert o.package[issue] == best
        assert o.utilities[other] >= case.batna(other)
    assert s.below_batna == ()
    assert set(s.left_off) == {f"job_assignment: Division {x}" for x in "ABCD"} | {
        f"location: {c}" for c in ("Atlanta", "Boston", "Denver", "San Francisco")}


def test_fixed_pie_only_on_request_and_never_lose_lose() -> None:
    case = load_case(NEW_RECRUIT)
    fixed = meso_set(case, "recruit", assume="fixed-pie")
    assert "fixed-pie assumption" in fixed.belief_source
    assert all(o.package[i] == b for o in fixed.offers for i, b in SHARED_BEST.items())
    default = meso_set(case, "recruit")
    # the contrast the option is for: the fixed pie leaves the recruiter less on average
    assert np.mean([o.utilities["recruiter"] for o in fixed.offers]) < np.mean(
        [o.utilities["recruiter"] for o in default.offers])
    with pytest.raises(RequestError, match="unknown assumption 'zero-sum'"):
        meso_set(case, "recruit", assume="zero-sum")  # type: ignore[arg-type]
    with pytest.raises(RequestError, match="not both"):
        meso_set(case, "recruit", belief=default.belief, assume="fixed-pie")


def test_estimate_in_the_case_comes_first() -> None:
    case = load_case(Path(__file__).resolve().parents[2] / "examples" / "job-offer.yaml")
    s = meso_set(case, "candidate")
    assert s.belief_source == "candidate's estimate of employer (from the case file)"
    assert s.belief.names[0] == "as estimated"


def test_offers_below_the_batna_are_warned() -> None:
    # A believes B wants x=1 most; in truth B needs x=0 to clear its BATNA of 3
    case = Case.from_tables("w", {"x": ["0", "1"], "y": ["0", "1", "2"]},
                            {"A": {"x": [0, 1], "y": [0, 1, 2]}, "B": {"x": [5, 0], "y": [2, 1, 0]}},
                            batnas={"B": 3})
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues],
                                [np.array([[0.0, 5.0]]), np.array([[2.0, 1.0, 0.0]])], ["x matters most"])
    s = meso_set(case, "A", level=0.5, tolerance=0.2, count=1, belief=belief)
    assert s.offers[0].package == {"x": "1", "y": "0"} and s.below_batna == (1,)
    assert any("less than its BATNA (3 points)" in n for n in s.notes)
    assert s.belief_source == "a belief given by the caller"


def test_lose_lose_options_match_the_oracle() -> None:
    for seed in range(30):
        rng = np.random.default_rng(seed)
        sizes = rng.integers(2, 5, size=3)
        tables = {p: {f"i{k}": [float(x) for x in rng.integers(0, 4, size=n)] for k, n in enumerate(sizes)}
                  for p in ("A", "B", "C")}
        case = Case.from_tables("r", {f"i{k}": [f"o{o}" for o in range(n)] for k, n in enumerate(sizes)}, tables)
        found = {(k, o) for k, opts in enumerate(meso.lose_lose_options(case)) for o in opts}
        assert found == lose_lose_oracle(case)


def _three_party_meso_case(rule: object) -> Case:
    """The case above plus C, who likes what A likes (C accepts A's offers, B needs x=0)."""
    from accord.model import AgreementRule

    base = Case.from_tables("w3", {"x": ["0", "1"], "y": ["0", "1", "2"]},
                            {"A": {"x": [0, 1], "y": [0, 1, 2]}, "B": {"x": [5, 0], "y": [2, 1, 0]},
                             "C": {"x": [0, 1], "y": [0, 1, 2]}}, batnas={"B": 3, "C": 0})
    assert rule is None or isinstance(rule, AgreementRule)
    if rule is None:
        return base
    return Case(base.name, base.issues, base.parties, base.preferences, agreement=rule)


@pytest.mark.parametrize(("quorum", "veto", "passes"), [(None, (), False), (2, (), True), (2, ("B",), False)])
def test_offers_below_the_batna_follow_the_agreement_rule(quorum: int | None, veto: tuple[str, ...],
                                                          passes: bool) -> None:
    # B is short on the offer; under a quorum of 2 without a B veto, A and C carry it: the note says it still
    # passes instead of calling it hopeless (docs/concepts.md, "Agreement rules")
    from accord.model import AgreementRule

    rule = None if quorum is None else AgreementRule(quorum=quorum, veto=veto)
    case = _three_party_meso_case(rule)
    belief = Belief.from_tables("B", case.issue_names, [i.options for i in case.issues],
                                [np.array([[0.0, 5.0]]), np.array([[2.0, 1.0, 0.0]])], ["x matters most"])
    s = meso_set(case, "A", level=0.5, tolerance=0.2, count=1, belief=belief, counterpart="B")
    assert s.offers[0].package == {"x": "1", "y": "0"} and s.below_batna == (1,)
    note = next(n for n in s.notes if "less than its BATNA (3 points)" in n)
    if passes:
        assert "still pass the agreement rule (at least 2 of 3 parties accept) without B" in note
        assert "cannot pass" not in note
    else:
        assert "B's acceptance is required they cannot pass" in note and "still pass" not in note
        assert ("holds a veto" in note) == bool(veto)
