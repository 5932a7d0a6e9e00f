"""Negotiators: the time-dependent rule, the archetypes, tit-for-tat, random, the registry and privacy."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pytest

from accord.errors import RequestError
from accord.io import load_case
from accord.model import Case
from accord.negotiation.arena import Arena
from accord.negotiation.base import State, target
from accord.negotiation.opponent import BayesianPriorityModel, FrequencyModel, kendall_tau, model_accuracy
from accord.negotiation.registry import available, make_negotiator, resolve
from accord.negotiation.simulate import simulate
from accord.negotiation.view import private_views

ROOT = Path(__file__).resolve().parents[2]
JOB = load_case(ROOT / "examples" / "job-offer.yaml")


@pytest.mark.parametrize(("name", "e"), [("boulware", 0.2), ("linear", 1.0), ("conceder", 2.0)])
def test_time_dependent_offers_follow_the_target_nearest_above(name: str, e: float) -> None:
    arena = Arena(JOB)
    neg = make_negotiator(name)
    view = arena.views["candidate"]
    neg.start(view, 50, 0)
    p_max = view.best
    p_min = max(view.batna, view.worst)
    # brute force over the whole (small) space: the package nearest at or above the target
    import itertools

    pk = np.array(list(itertools.product(*[range(i.size) for i in JOB.issues])))
    u = JOB.utilities(pk)[:, 0]
    for step in (0, 10, 25, 49):
        goal = float(target(p_min, p_max, step / 49, e))
        offer = neg.propose(State(step, 50))[0]
        got = JOB.utilities([offer])[0, 0]
        assert got == u[u >= goal - 1e-9].min()
        # acceptance: at least what it would propose next
        assert neg.respond(State(step, 50), (offer,)).accept
        worse = pk[np.argmax(np.where(u < got, u, -np.inf))]
        if u.min() < got:
            assert not neg.respond(State(step, 50), (tuple(int(x) for x in worse),)).accept


def test_boulware_concedes_later_than_conceder() -> None:
    def own_offers(name: str) -> list[float]:
        r = simulate(JOB, {"candidate": name, "employer": "boulware"}, rounds=40)
        return [u["candidate"] for m, u in zip(r.trace, r.trace_utilities, strict=True)
                if m.party == "candidate" and m.action == "offer"]

    b, c = own_offers("boulware"), own_offers("conceder")
    assert all(x >= y for x, y in itertools.pairwise(b))  # never raises its demand
    k = min(len(b), len(c)) // 2
    assert b[k] > c[k]


def test_archetypes_behave_as_the_seed_describes() -> None:
    r = simulate(JOB, ["enlightened", "flower-child"], rounds=60)
    reveals = {m.party for m in r.trace if m.action == "reveal"}
    assert reveals == {"candidate", "employer"}  # both share priorities
    r2 = simulate(JOB, ["old-fashioned", "enlightened-silent"], rounds=60)
    assert not any(m.action == "reveal" for m in r2.trace)  # neither the old-fashioned nor the silent one shares
    # an enlightened negotiator learns: its model ranks the other's priorities better than chance
    assert r.accuracy["candidate"]["priority_tau"] is not None and r.accuracy["candidate"]["priority_tau"] > 0
    # old-fashioned concedes hard: its first offers are its best package
    first = next(m for m in r2.trace if m.action == "offer" and m.party == "candidate")
    assert JOB.utilities([first.packages[0]])[0, 0] == private_views(JOB)["candidate"].best


def test_flower_child_concedes_more_than_enlightened_against_the_same_opponent() -> None:
    def gain(name: str) -> float:
        return np.mean([simulate(JOB, {"candidate": name, "employer": "linear"}, rounds=40, seed=s)
                        .utilities["candidate"] for s in range(2)])

    assert gain("enlightened") > gain("flower-child")


def test_tit_for_tat_mirrors_concessions() -> None:
    r = simulate(JOB, ["tit-for-tat", "boulware"], rounds=30)
    mine = [u["candidate"] for m, u in zip(r.trace, r.trace_utilities, strict=True)
            if m.party == "candidate" and m.action == "offer"]
    theirs = [u["candidate"] for m, u in zip(r.trace, r.trace_utilities, strict=True)
              if m.party == "employer" and m.action == "offer"]
    view = private_views(JOB)["candidate"]
    for k in range(1, len(mine)):
        conceded = max(theirs[:k]) - theirs[0]
        assert mine[k] >= view.best - conceded - 1e-9


def test_random_negotiator_is_reproducible_and_rational() -> None:
    a = simulate(JOB, ["random", "random"], rounds=30, seed=5)
    b = simulate(JOB, ["random", "random"], rounds=30, seed=5)
    assert a.to_dict() == b.to_dict()
    c = simulate(JOB, ["random", "random"], rounds=30, seed=6)
    assert [m.packages for m in a.trace] != [m.packages for m in c.trace]
    if a.agreement:
        assert all(a.utilities[p] >= JOB.batna(p) for p in JOB.party_names)


def test_registry_names_entry_points_and_module_class(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert {"boulware", "enlightened", "old-fashioned", "flower-child", "tit-for-tat", "random"} <= set(available())
    (tmp_path / "my_agents_g.py").write_text(
        "from accord.negotiation.timedependent import TimeDependent\n"
        "class Stubborn(TimeDependent):\n"
        "    name = 'stubborn'\n"
        "    def __init__(self):\n"
        "        super().__init__(0.01)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    r = simulate(JOB, ["my_agents_g:Stubborn", "conceder"], rounds=20)
    assert r.negotiators["candidate"] == "my_agents_g:Stubborn"
    with pytest.raises(RequestError, match="unknown negotiator"):
        resolve("nobody")
    with pytest.raises(RequestError, match="cannot import"):
        resolve("no_such_module_g:Agent")
    with pytest.raises(RequestError, match="propose"):
        resolve("math:pi")
    sys.modules.pop("my_agents_g", None)


def test_a_private_view_holds_only_the_negotiators_own_preferences() -> None:
    views = private_views(JOB)
    cand = views["candidate"]
    for k, t in enumerate(cand.tables):
        assert np.array_equal(t, JOB.scores[k][0])
    # the employer's true tables appear nowhere in the candidate's view (its estimate differs from the truth)
    employer_true = [JOB.scores[k][1] for k in range(JOB.n_issues)]
    found = [np.array_equal(t, e) for tables in cand.estimates.values() for t, e in zip(tables, employer_true,
                                                                                          strict=True)]
    assert not all(found)
    assert cand.batna == 4200 and not hasattr(cand, "batnas")


def test_party_order_never_matters() -> None:
    rev = Case(JOB.name, JOB.issues, tuple(reversed(JOB.parties)), tuple(reversed(JOB.preferences)),
               JOB.shared_scales, JOB.estimates, JOB.events)
    for proto in ("alternating", "meso", "mediated", "issue-by-issue"):
        for negs in ({"candidate": "enlightened", "employer": "boulware"},
                     {"candidate": "random", "employer": "tit-for-tat"}):
            a = simulate(JOB, negs, protocol=proto, rounds=30, seed=3, opener="employer")
            b = simulate(rev, negs, protocol=proto, rounds=30, seed=3, opener="employer")
            assert a.package == b.package and a.utilities == b.utilities and a.rounds == b.rounds
            assert a.level == b.level and a.pareto_optimal == b.pareto_optimal


def test_opponent_models() -> None:
    view = private_views(JOB)["candidate"]
    truth = [JOB.scores[k][1] for k in range(JOB.n_issues)]
    order = tuple(JOB.issue_names[k] for k in np.argsort([-(t.max() - t.min()) for t in truth], kind="stable"))
    freq = FrequencyModel(view)
    freq.observe_priorities(order)
    bayes = BayesianPriorityModel(view, "employer")
    before = model_accuracy(bayes.estimate(), truth, np.array([[0] * 6, [1] * 6]))
    bayes.observe_priorities(order)
    after_tau = kendall_tau(np.array([t.max() - t.min() for t in bayes.estimate()]),
                            np.array([t.max() - t.min() for t in truth]))
    assert after_tau >= before.priority_tau
    assert kendall_tau(np.array([t.max() - t.min() for t in freq.estimate()]),
                       np.array([t.max() - t.min() for t in truth])) > 0.5


def test_an_astronomically_large_case_negotiates() -> None:
    rng = np.random.default_rng(0)
    issues = {f"i{k}": [str(o) for o in range(10)] for k in range(12)}
    pts = {p: {f"i{k}": (rng.random(10) * 100).round(2).tolist() for k in range(12)} for p in ("A", "B")}
    case = Case.from_tables("1e12", issues, pts, batnas={"A": 500, "B": 500})
    assert case.space_size == 10**12
    arena = Arena(case)
    from accord.negotiation.simulate import negotiate

    out = negotiate(arena, {"A": resolve("boulware"), "B": resolve("conceder")}, ("A", "B"),
                    protocol="alternating", rounds=100, seed=0)
    assert out.package is not None
    assert len(arena.views["A"].ladder()) <= 2 * 4096


def test_party_order_never_matters_with_three_parties() -> None:
    jv = load_case(ROOT / "examples" / "joint-venture.yaml")
    order = (2, 0, 1)
    perm = Case(jv.name, jv.issues, tuple(jv.parties[i] for i in order), tuple(jv.preferences[i] for i in order),
                jv.shared_scales, jv.estimates, jv.events)
    negs = dict(zip(jv.party_names, ["enlightened", "flower-child", "tit-for-tat"], strict=True))
    for proto in ("alternating", "mediated"):
        a = simulate(jv, negs, protocol=proto, rounds=25, seed=1, opener=jv.party_names[1])
        b = simulate(perm, negs, protocol=proto, rounds=25, seed=1, opener=jv.party_names[1])
        assert a.package == b.package and a.utilities == b.utilities and a.rounds == b.rounds
