"""Protocols: the vectorised run equals the loop, stacked offers, issue by issue, MESO exchange, mediation."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from accord.errors import RequestError
from accord.io import load_case
from accord.model import Case
from accord.negotiation.alternating import run_alternating
from accord.negotiation.arena import Arena
from accord.negotiation.issue_by_issue import issue_case
from accord.negotiation.mediated import MediatedSession
from accord.negotiation.registry import resolve
from accord.negotiation.simulate import simulate

ROOT = Path(__file__).resolve().parents[2]
JOB = load_case(ROOT / "examples" / "job-offer.yaml")


def random_case(seed: int, m: int = 4, d: int = 5, real: bool = False) -> Case:
    rng = np.random.default_rng(seed)
    issues = {f"i{k}": [str(o) for o in range(d)] for k in range(m)}
    draw = (lambda: (rng.random(d) * 50).round(3).tolist()) if real else (lambda: rng.integers(0, 50, d).tolist())
    pts = {p: {f"i{k}": draw() for k in range(m)} for p in ("A", "B")}
    return Case.from_tables(f"r{seed}", issues, pts, batnas={"A": 20.0 * m, "B": 15.0 * m})


PLANS = ["boulware", "linear", "conceder", "old-fashioned", "random"]


@pytest.mark.parametrize("seed", range(6))
def test_vectorised_run_equals_the_loop(seed: int) -> None:
    case = random_case(seed, real=seed % 2 == 1)
    arena = Arena(case)
    rng = np.random.default_rng(seed)
    for _ in range(6):
        a, b = rng.choice(PLANS, 2)
        rounds = int(rng.integers(1, 40))
        outs = []
        for fast in (True, False):
            negs = {"A": resolve(str(a))(), "B": resolve(str(b))()}
            outs.append(run_alternating(arena, negs, ("B", "A"), rounds, seed=seed, fast=fast))
        f, s = outs
        assert (f.package, f.rounds) == (s.package, s.rounds)
        assert [(m.round, m.party, m.action, m.packages) for m in f.moves] == \
               [(m.round, m.party, m.action, m.packages) for m in s.moves]


def test_alternating_respects_the_deadline_and_acceptance_rule() -> None:
    r = simulate(JOB, ["boulware", "boulware"], rounds=3)
    offers = [m for m in r.trace if m.action == "offer"]
    assert len(offers) <= 6 and r.rounds <= 3
    # a time-dependent negotiator accepts only what is at least its own next offer
    for before, m in zip(r.trace, r.trace[1:], strict=False):
        if m.action == "accept":
            assert before.action == "offer"


def test_stacked_alternating_offers_with_three_parties() -> None:
    case = Case.from_tables("three", {"a": ["0", "1", "2"], "b": ["0", "1", "2"]},
                            {"A": {"a": [0, 1, 2], "b": [2, 1, 0]}, "B": {"a": [2, 1, 0], "b": [0, 2, 1]},
                             "C": {"a": [1, 2, 0], "b": [0, 1, 2]}})
    r = simulate(case, ["conceder", "linear", "boulware"], rounds=20)
    if r.agreement:
        last_offer = max(i for i, m in enumerate(r.trace) if m.action == "offer")
        accepts = [m.party for m in r.trace[last_offer + 1:] if m.action == "accept"]
        assert len(accepts) == 2 and r.trace[last_offer].party not in accepts
    with pytest.raises(RequestError, match="two parties"):
        simulate(case, ["linear"] * 3, protocol="meso")


def test_issue_by_issue_settles_one_issue_at_a_time_and_binds() -> None:
    r = simulate(JOB, ["linear", "linear"], protocol="issue-by-issue", rounds=60,
                 agenda=list(reversed(JOB.issue_names)))
    settles = [m for m in r.trace if m.action == "settle"]
    assert [m.detail for m in settles] == list(reversed(JOB.issue_names))[: len(settles)]
    for earlier, later in itertools.pairwise(settles):
        e, l_ = earlier.packages[0], later.packages[0]
        assert all(x == y for x, y in zip(e, l_, strict=True) if x >= 0)  # never reopened
    if r.agreement:
        assert r.package_index == settles[-1].packages[0]
    # the per-issue reservations add up to the BATNA when nothing is settled yet
    total = sum(issue_case(JOB, k).batnas for k in range(JOB.n_issues))
    assert np.allclose(total, JOB.batnas)
    with pytest.raises(RequestError, match="agenda"):
        simulate(JOB, ["linear", "linear"], protocol="issue-by-issue", agenda=["salary"])


def test_meso_offers_hold_several_packages_and_picks_are_seen() -> None:
    r = simulate(JOB, ["enlightened", "linear"], protocol="meso", rounds=30, meso=3)
    mesos = [m for m in r.trace if m.action == "offer" and m.party == "candidate"]
    assert any(len(m.packages) > 1 for m in mesos)
    assert all(len(m.packages) <= 3 for m in mesos)
    if r.agreement:
        last = r.trace[-1]
        assert last.action == "accept" and r.package_index == last.packages[last.choice]


def test_mediated_session_state_machine() -> None:
    s = MediatedSession(JOB, max_rounds=5)
    assert s.status == "voting" and s.round == 1 and set(s.pending) == set(JOB.party_names)
    first = s.proposal
    assert first is not None
    u = JOB.utilities([first])[0]
    assert np.all(u >= JOB.batnas)  # in the zone
    assert s.vote("candidate", False) == "voting"
    with pytest.raises(RequestError, match="already voted"):
        s.vote("candidate", True)
    s.vote("employer", True)
    second = s.proposal
    assert second is not None and second != first
    assert JOB.utility(dict(JOB.labels(second)))[0] > u[0]  # the vetoing party is offered more
    s.vote("candidate", True)
    assert s.vote("employer", True) == "agreed" and s.agreement == second
    with pytest.raises(RequestError, match="ended"):
        s.vote("employer", True)
    again = MediatedSession.replay(JOB, [{"candidate": False, "employer": True}, {"candidate": True, "employer": True}])
    assert again.to_dict() == s.to_dict()
    view = s.view_for("candidate")
    assert set(view) >= {"your_utility", "your_batna"} and "employer" not in str(view.get("your_utility"))
    with pytest.raises(RequestError, match="unknown party"):
        MediatedSession(JOB).vote("nobody", True)


def test_mediated_session_ends_after_max_rounds_and_on_an_empty_zone() -> None:
    s = MediatedSession(JOB, max_rounds=2)
    for _ in range(2):
        for p in JOB.party_names:
            s.vote(p, False)
    assert s.status == "impasse" and s.proposal is None and "2 rounds" in s.reason
    empty = JOB.with_batnas({"candidate": 1e6})
    assert MediatedSession(empty).status == "impasse"


def test_every_protocol_with_every_negotiator_gives_a_consistent_result() -> None:
    from accord.negotiation.registry import BUILTIN

    names = list(BUILTIN)
    for proto in ("alternating", "issue-by-issue", "meso", "mediated"):
        for i, a in enumerate(names):
            b = names[(i + 3) % len(names)]
            r = simulate(JOB, [a, b], protocol=proto, rounds=20, seed=i)
            if r.agreement:
                assert r.package_index is not None and r.level is not None
                assert np.allclose(list(r.utilities.values()), JOB.utilities([r.package_index])[0])
                # negotiators never agree below their BATNA, except the random one (any rational offer) —
                # and it too only accepts at least its BATNA
                assert r.level >= 1
            else:
                assert r.utilities == {p: float(b_) for p, b_ in zip(JOB.party_names, JOB.batnas, strict=True)}


def test_mediated_session_follows_the_cases_agreement_rule() -> None:
    from accord.model import AgreementRule

    base = Case.from_tables("three", {"a": ["0", "1", "2"], "b": ["0", "1", "2"]},
                            {"A": {"a": [0, 1, 2], "b": [2, 1, 0]}, "B": {"a": [2, 1, 0], "b": [0, 2, 1]},
                             "C": {"a": [1, 2, 0], "b": [0, 1, 2]}})
    ruled = Case(base.name, base.issues, base.parties, base.preferences, agreement=AgreementRule(quorum=2,
                                                                                                  veto=("A",)))
    s = MediatedSession(ruled)
    s.vote("A", True)
    s.vote("B", True)
    assert s.vote("C", False) == "agreed"  # A (the veto party) and B make the quorum
    s2 = MediatedSession(ruled)
    s2.vote("A", False)
    s2.vote("B", True)
    assert s2.vote("C", True) == "voting"  # without the veto party it does not pass
    u = MediatedSession(base)
    u.vote("A", True)
    u.vote("B", True)
    assert u.vote("C", False) == "voting"  # unanimity by default
