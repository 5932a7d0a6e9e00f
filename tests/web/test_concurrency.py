"""Two parties accepting at the same instant produce exactly one agreement (threads; SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import func, select
from webflow import BATNA, INEFFICIENT, ISSUES, POINTS

from accord.store.db import Database
from accord.store.models import Agreement
from accord.web.service import Principal, Service, ServiceError

ROUNDS = 8


def _race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released at the same instant; return results (or the exceptions)."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(k: int) -> None:
        barrier.wait()
        try:
            results[k] = calls[k]()
        except Exception as err:  # collected and asserted on below
            results[k] = err

    threads = [threading.Thread(target=run, args=(k,)) for k in range(len(calls))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return results


def _setup(svc: Service) -> tuple[str, dict[str, Principal]]:
    created = svc.create("race", list(ISSUES.items()), ["Ana", "Ben"])
    who = {p: svc.principal(t) for p, t in created["invitations"].items()}
    assert all(w is not None for w in who.values())
    principals = {p: w for p, w in who.items() if w is not None}
    for p, w in principals.items():
        svc.set_preferences(w, POINTS[p], BATNA[p])
    return created["id"], principals


def _agreements(db: Database, nid: str) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(Agreement).where(Agreement.negotiation_id == nid)) or 0)


def test_simultaneous_acceptances_make_exactly_one_agreement(db_url: str) -> None:
    db = Database(db_url)
    svc = Service(db)
    try:
        for _ in range(ROUNDS):
            nid, who = _setup(svc)
            pid = svc.proposals(who["Ana"])["proposals"][0]["id"]
            results = _race([partial(svc.decide_proposal, who[p], pid, "accept") for p in ("Ana", "Ben")])
            assert not [r for r in results if isinstance(r, Exception)], results
            assert sum(r["agreement"] is not None for r in results) == 1
            assert _agreements(db, nid) == 1
    finally:
        db.dispose()


def test_racing_on_a_proposal_and_an_offer_never_makes_two_agreements(db_url: str) -> None:
    db = Database(db_url)
    svc = Service(db)
    try:
        for _ in range(ROUNDS // 2):
            nid, who = _setup(svc)
            pid = svc.proposals(who["Ana"])["proposals"][0]["id"]
            offer = svc.make_offer(who["Ana"], [INEFFICIENT])
            svc.decide_proposal(who["Ana"], pid, "accept")
            # Ben completes the proposal and accepts Ana's offer at the same instant: one of them is the deal.
            results = _race([partial(svc.decide_proposal, who["Ben"], pid, "accept"),
                             partial(svc.accept_offer, who["Ben"], offer["id"], 0)])
            made = [r for r in results if isinstance(r, dict) and r["agreement"] is not None]
            refused = [r for r in results if isinstance(r, ServiceError) and r.status == 409]
            assert len(made) == 1 and len(refused) == 1, results
            assert _agreements(db, nid) == 1
    finally:
        db.dispose()


def test_simultaneous_improvement_acceptances_make_one_new_version(db_url: str) -> None:
    db = Database(db_url)
    svc = Service(db)
    try:
        nid, who = _setup(svc)
        offer = svc.make_offer(who["Ana"], [INEFFICIENT])
        svc.accept_offer(who["Ben"], offer["id"], 0)
        iid = svc.improvements(who["Ana"])["improvements"][0]["id"]
        results = _race([partial(svc.decide_improvement, who[p], iid, "accept") for p in ("Ana", "Ben")])
        assert not [r for r in results if isinstance(r, Exception)], results
        assert sum(r["agreement"] is not None for r in results) == 1
        assert _agreements(db, nid) == 2
    finally:
        db.dispose()
