"""What the pages and the JSON API do, once: every read and change of a mediated negotiation.

Each function takes the :class:`Principal` a token resolved to and returns plain data that is already
filtered for it: a party's view never holds another party's points, BATNA or decisions; the mediator sees
raw points only of parties that allowed it. Changes run in one write transaction that first locks the
negotiation's row, so "the last party accepts, so the agreement is made" happens exactly once however many
requests race (the unique agreement version backs this up). Every change is written to the audit log.
"""

from __future__ import annotations

import math
import secrets
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from accord.errors import AccordError
from accord.store.db import Database
from accord.store.models import (
    Acceptance,
    Agreement,
    AuditEntry,
    ImprovementDecision,
    ImprovementRow,
    Negotiation,
    Offer,
    PartyRow,
    Proposal,
    Submission,
    Token,
    utcnow,
)
from accord.web import mediation
from accord.web.security import new_token, same_hash, token_hash

#: Analyses kept in memory (by negotiation and revision).
_CACHE_SIZE = 256
#: Token digests whose principal is kept in memory (a few hundred bytes each).
_PRINCIPAL_CACHE_SIZE = 10_000
#: Most packages in one offer (a MESO set).
MAX_OFFER_PACKAGES = 3
_PAST = {"accept": "proposal accepted", "reject": "proposal rejected", "decline": "declined"}
#: Largest magnitude of points, BATNAs included.
MAX_POINTS = 1e6


class ServiceError(Exception):
    """A request the service refuses: HTTP ``status`` and a one-line ``message`` naming the field."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Principal:
    """Whom a token speaks for."""

    negotiation_id: str
    role: str  # "mediator" or "party"
    party_id: int | None = None
    party_name: str | None = None

    @property
    def actor(self) -> str:
        return "mediator" if self.role == "mediator" else f"party:{self.party_name}"


def _iso(t: datetime) -> str:
    # SQLite hands back naive datetimes; everything is stored in UTC, so say so on both databases.
    return (t if t.tzinfo is not None else t.replace(tzinfo=UTC)).isoformat()


def _audit(s: Session, nid: str, actor: str, action: str, **detail: Any) -> None:
    s.add(AuditEntry(negotiation_id=nid, actor=actor, action=action, detail=detail))


def _issues(neg: Negotiation) -> list[tuple[str, list[str]]]:
    return [(str(n), [str(o) for o in opts]) for n, opts in neg.spec["issues"]]


class Service:
    """The mediated negotiation over one :class:`~accord.store.db.Database`."""

    def __init__(self, db: Database) -> None:
        self.db = db
        # Analyses by (negotiation, revision): the stored preferences of a revision never change.
        self._cache: dict[tuple[str, int, str], Any] = {}
        self._cache_lock = threading.Lock()
        self._candidates: dict[tuple[str, int], Any] = {}
        # Principals by token digest. Token and party rows are written once and never updated or deleted, so
        # a hit is as good as a database read in every process; unknown tokens are never cached (a token
        # created by another process must be found on its first use).
        self._principals: dict[str, Principal] = {}

    # -- set-up and tokens -------------------------------------------------------------------------------
    def create(self, name: str, issues: Sequence[tuple[str, Sequence[str]]], parties: Sequence[str]) -> dict[str, Any]:
        """Create a negotiation; return its id, the mediator token and one invitation token per party."""
        check_setup(name, issues, parties)
        nid = secrets.token_hex(16)
        mediator = new_token()
        invitations = {p: new_token() for p in parties}
        with self.db.write() as s:
            s.add(Negotiation(id=nid, name=name, spec={"issues": [[n, list(o)] for n, o in issues]}, revision=0))
            s.flush()
            s.add(Token(hash=token_hash(mediator), negotiation_id=nid, role="mediator"))
            for pos, p in enumerate(parties):
                row = PartyRow(negotiation_id=nid, name=p, position=pos)
                s.add(row)
                s.flush()
                s.add(Token(hash=token_hash(invitations[p]), negotiation_id=nid, role="party", party_id=row.id))
            _audit(s, nid, "mediator", "created", name=name, issues=[n for n, _ in issues], parties=list(parties))
        return {"id": nid, "mediator_token": mediator, "invitations": invitations}

    def principal(self, token: str) -> Principal | None:
        """Whom ``token`` speaks for, or None for an unknown token."""
        if not token or len(token) > 200:
            return None
        digest = token_hash(token)
        hit = self._principals.get(digest)
        if hit is not None:
            return hit
        with self.db.read() as s:
            row = s.get(Token, digest)
            if row is None or not same_hash(row.hash, digest):
                return None
            name = None
            if row.party_id is not None:
                party = s.get(PartyRow, row.party_id)
                name = party.name if party else None
            found = Principal(row.negotiation_id, row.role, row.party_id, name)
        with self._cache_lock:
            if len(self._principals) >= _PRINCIPAL_CACHE_SIZE:
                self._principals.pop(next(iter(self._principals)))
            self._principals[digest] = found
        return found

    # -- loading -----------------------------------------------------------------------------------------
    @staticmethod
    def _negotiation(s: Session, nid: str) -> Negotiation:
        neg = s.get(Negotiation, nid)
        if neg is None:
            raise ServiceError(404, f"no negotiation {nid!r}")
        return neg

    @staticmethod
    def _parties(s: Session, nid: str) -> list[PartyRow]:
        return list(s.scalars(select(PartyRow).where(PartyRow.negotiation_id == nid).order_by(PartyRow.position)))

    @staticmethod
    def _submissions(s: Session, parties: list[PartyRow]) -> dict[int, Submission]:
        ids = [p.id for p in parties]
        return {x.party_id: x for x in s.scalars(select(Submission).where(Submission.party_id.in_(ids)))}

    @staticmethod
    def _agreement(s: Session, nid: str) -> Agreement | None:
        return s.scalars(select(Agreement).where(Agreement.negotiation_id == nid)
                         .order_by(Agreement.version.desc()).limit(1)).first()

    def _case(self, neg: Negotiation, parties: list[PartyRow], subs: dict[int, Submission]) -> Any:
        submitted = [mediation.Submitted(p.name, subs[p.id].points, subs[p.id].batna, subs[p.id].batna_package)
                     for p in parties]
        return mediation.build_case(neg.name, _issues(neg), submitted)

    def _case_for(self, s: Session, neg: Negotiation) -> Any | None:
        parties = self._parties(s, neg.id)
        subs = self._submissions(s, parties)
        if len(subs) < len(parties):
            return None
        return self._case(neg, parties, subs)

    # -- preferences -------------------------------------------------------------------------------------
    def set_preferences(self, who: Principal, points: Mapping[str, Mapping[str, float]], batna: float | None,
                        batna_package: Mapping[str, str] | None = None, allow_sharing: bool | None = None,
                        form: dict[str, Any] | None = None) -> dict[str, Any]:
        """Store the party's points and BATNA; when every party has submitted, (re)compute the proposals.

        The analysis runs between two short transactions, not inside the lock, so other negotiations' writes
        never wait for it; a submission that arrives meanwhile makes the result stale and it is dropped (that
        submission's own request computes the proposals for the newer revision).
        """
        party_id = _party_only(who)
        with self.db.write() as s:
            neg = self.db.lock(s, Negotiation, who.negotiation_id)
            if neg is None:
                raise ServiceError(404, "no such negotiation")
            issues = _issues(neg)
            check_points(issues, points, batna, batna_package)
            if self._agreement(s, neg.id) is not None:
                raise ServiceError(409, "an agreement has been reached; preferences can no longer change")
            sub = s.scalars(select(Submission).where(Submission.party_id == party_id)).first()
            clean = {i: {o: float(points[i][o]) for o in opts} for i, opts in issues}
            if sub is None:
                sub = Submission(party_id=party_id, points=clean, allow_sharing=bool(allow_sharing))
                s.add(sub)
            sub.points = clean
            sub.batna = None if batna is None else float(batna)
            sub.batna_package = None if batna_package is None else dict(batna_package)
            if allow_sharing is not None:
                sub.allow_sharing = allow_sharing
            if form is not None:
                sub.form = form
            sub.updated_at = utcnow()
            neg.revision += 1
            _audit(s, neg.id, who.actor, "preferences submitted")
        self._propose(who.negotiation_id)
        return self.get_preferences(who)

    def get_preferences(self, who: Principal) -> dict[str, Any]:
        """The caller's own stored points, BATNA and sharing flag (404 before the first submission)."""
        party_id = _party_only(who)
        with self.db.read() as s:
            sub = s.scalars(select(Submission).where(Submission.party_id == party_id)).first()
            if sub is None:
                raise ServiceError(404, "you have not submitted preferences yet")
            return {"party": who.party_name, "preferences": sub.points, "batna": sub.batna,
                    "batna_package": sub.batna_package, "allow_sharing": sub.allow_sharing, "form": sub.form,
                    "updated_at": _iso(sub.updated_at)}

    def value(self, who: Principal, package: Mapping[str, str]) -> dict[str, Any]:
        """What ``package`` is worth to the calling party, in its own points."""
        party_id = _party_only(who)
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            issues = _issues(neg)
            check_package(issues, package, "package")
            sub = s.scalars(select(Submission).where(Submission.party_id == party_id)).first()
            if sub is None:
                raise ServiceError(409, "submit your preferences first; then any package can be valued")
            return {"package": dict(package), "points": _own_value(sub, issues, package)}

    # -- proposals ---------------------------------------------------------------------------------------
    def _cached(self, key: tuple[str, int, str], make: Any) -> Any:
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        value = make()
        with self._cache_lock:
            if len(self._cache) >= _CACHE_SIZE:
                self._cache.pop(next(iter(self._cache)))
            self._cache[key] = value
        return value

    def _case_of(self, s: Session, neg: Negotiation) -> Any | None:
        """The case of the negotiation's current revision (cached), or None before every party submitted."""
        hit = self._cache.get((neg.id, neg.revision, "case"))
        if hit is not None:
            return hit
        case = self._case_for(s, neg)
        return None if case is None else self._cached((neg.id, neg.revision, "case"), lambda: case)

    def _analysis(self, s: Session, neg: Negotiation) -> tuple[Any, mediation.Analysis] | None:
        """The case and the mediator's analysis of it (frontier, Nash point; cached), or None before every
        party has submitted."""
        case = self._case_of(s, neg)
        if case is None:
            return None
        return case, self._cached((neg.id, neg.revision, "analysis"), lambda: mediation.analyse(case))

    def _propose(self, nid: str) -> None:
        """Start the mediated single text on the current revision when everyone has submitted: the first
        proposal is the Nash point (:class:`accord.negotiation.mediated.MediatedSession`)."""

        with self.db.read() as s:
            neg = self._negotiation(s, nid)
            seen = neg.revision
            case = self._case_of(s, neg)
        if case is None:
            return
        try:
            session = self._session(nid, seen, case)
            first, reason = session.proposal_labels(), session.reason
        except AccordError as err:
            first, reason = None, f"the case is too large to mediate here: {err.message}"
        with self.db.write() as s:
            row = self.db.lock(s, Negotiation, nid)
            if row is None or row.revision != seen or row.analysed_revision >= seen:
                return  # stale (a newer submission computes its own) or already done
            if self._agreement(s, nid) is not None:
                return
            row.analysed_revision = seen
            for old in s.scalars(select(Proposal).where(Proposal.negotiation_id == nid, Proposal.open)):
                old.open = False
            if first is not None:
                s.add(Proposal(negotiation_id=nid, round=seen, rank=1, package=first, source="mediator"))
            _audit(s, nid, "system", "mediation started", round=seen, proposal=first, note=reason)

    def _session(self, nid: str, revision: int, case: Any) -> Any:
        """A fresh :class:`MediatedSession` of ``case`` (revision ``revision``) on cached candidates.

        The session's candidates (the zone's frontier and Nash point) depend only on the case, so they are
        computed once per revision, outside any lock, instead of on every vote inside the write lock.
        """
        from accord.negotiation.mediated import MediatedSession

        key = (nid, revision)
        cand = self._candidates.get(key)
        if cand is None:
            first = MediatedSession(case)
            with self._cache_lock:
                if len(self._candidates) >= _CACHE_SIZE:
                    self._candidates.pop(next(iter(self._candidates)))
                self._candidates[key] = first.candidates  # the protocol's own precomputation, reused as is
            return first
        return MediatedSession(case, candidates=cand)

    def _mediate(self, s: Session, neg: Negotiation, prop: Proposal) -> dict[str, Any] | None:
        """Replay the single text of ``prop``'s revision from the stored votes; put the next proposal on the
        table when the current one was vetoed, or make the agreement when every party accepted it."""

        case = self._case_of(s, neg)
        if case is None:
            return None
        names = {p.id: p.name for p in self._parties(s, neg.id)}
        texts = list(s.scalars(select(Proposal).where(
            Proposal.negotiation_id == neg.id, Proposal.round == prop.round, Proposal.source == "mediator")
            .order_by(Proposal.rank)))
        decided = list(s.scalars(select(Acceptance).where(Acceptance.proposal_id.in_([t.id for t in texts]))))
        votes = [{names[a.party_id]: a.decision == "accept" for a in decided if a.proposal_id == t.id}
                 for t in texts]
        session = self._session(neg.id, prop.round, case)
        for rnd in votes:  # MediatedSession.replay, on the cached candidates
            for party in case.party_names:
                if party in rnd and session.status == "voting":
                    session.vote(party, rnd[party])
        if session.status == "agreed":
            return self._maybe_agree(s, neg, prop)
        if session.status == "impasse":
            prop.open = False
            _audit(s, neg.id, "system", "mediation ended in impasse", round=prop.round, note=session.reason)
        elif session.round > len(votes):
            prop.open = False
            nxt = session.proposal_labels()
            s.add(Proposal(negotiation_id=neg.id, round=prop.round, rank=session.round, package=nxt,
                           source="mediator"))
            _audit(s, neg.id, "system", "proposal made", round=prop.round, number=session.round, package=nxt)
        return None

    def proposals(self, who: Principal) -> dict[str, Any]:
        """Open and past proposals; a party sees each valued in its own points and only its own decision."""
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            issues = _issues(neg)
            rows = list(s.scalars(select(Proposal).where(Proposal.negotiation_id == neg.id)
                                  .order_by(Proposal.round.desc(), Proposal.rank)))
            decisions = list(s.scalars(select(Acceptance).join(Proposal, Acceptance.proposal_id == Proposal.id)
                                       .where(Proposal.negotiation_id == neg.id)))
            parties = self._parties(s, neg.id)
            names = {p.id: p.name for p in parties}
            out: list[dict[str, Any]] = []
            sub = None
            if who.role == "party":
                sub = s.scalars(select(Submission).where(Submission.party_id == who.party_id)).first()
            for row in rows:
                d: dict[str, Any] = {"id": row.id, "round": row.round, "rank": row.rank, "package": row.package,
                                     "source": row.source, "open": row.open, "created_at": _iso(row.created_at)}
                mine = [a for a in decisions if a.proposal_id == row.id]
                if who.role == "party":
                    d["your_points"] = None if sub is None else _own_value(sub, issues, row.package)
                    own = [a.decision for a in mine if a.party_id == who.party_id]
                    d["your_decision"] = own[0] if own else None
                else:
                    d["decisions"] = {names[a.party_id]: a.decision for a in mine}
                out.append(d)
            note = ""
            if not rows:
                subs = self._submissions(s, parties)
                note = ("waiting until every party has submitted preferences" if len(subs) < len(parties)
                        else "no package gives every party at least its BATNA: there is no bargaining zone")
            elif not any(r.open for r in rows) and self._agreement(s, neg.id) is None:
                note = "the mediator has no proposal left that meets every veto; offers remain open"
            return {"proposals": out, "note": note}

    def decide_proposal(self, who: Principal, pid: int, decision: str) -> dict[str, Any]:
        """Record the party's decision; the agreement is made when every party has accepted this package."""
        party_id = _party_only(who)
        with self.db.write() as s:
            neg = self.db.lock(s, Negotiation, who.negotiation_id)
            if neg is None:
                raise ServiceError(404, "no such negotiation")
            prop = s.get(Proposal, pid)
            if prop is None or prop.negotiation_id != neg.id:
                raise ServiceError(404, f"no proposal {pid} in this negotiation")
            if self._agreement(s, neg.id) is not None:
                raise ServiceError(409, "an agreement has already been reached; see the agreement and its "
                                        "possible improvements")
            if not prop.open:
                raise ServiceError(409, f"proposal {pid} is closed (it was vetoed, or the preferences changed "
                                        "since); see the open proposals")
            mediated = prop.source == "mediator"
            if mediated and s.scalars(select(Acceptance).where(Acceptance.proposal_id == pid,
                                                               Acceptance.party_id == party_id)).first():
                raise ServiceError(409, f"you have already answered proposal {pid}; the mediator proposes "
                                        "another package if it is vetoed")
            self._decide(s, prop, party_id, decision)
            _audit(s, neg.id, who.actor, _PAST[decision], proposal=pid)
            agreed = self._mediate(s, neg, prop) if mediated else self._maybe_agree(s, neg, prop)
        if agreed is not None:
            self._search_improvements(who.negotiation_id)
        return {"proposal": pid, "your_decision": decision, "agreement": agreed}

    @staticmethod
    def _decide(s: Session, prop: Proposal, party_id: int, decision: str) -> None:
        row = s.scalars(select(Acceptance).where(Acceptance.proposal_id == prop.id,
                                                 Acceptance.party_id == party_id)).first()
        if row is None:
            s.add(Acceptance(proposal_id=prop.id, party_id=party_id, decision=decision))
        else:
            row.decision = decision
        s.flush()

    def _maybe_agree(self, s: Session, neg: Negotiation, prop: Proposal) -> dict[str, Any] | None:
        n_parties = s.scalar(select(func.count()).select_from(PartyRow).where(PartyRow.negotiation_id == neg.id))
        accepted = s.scalar(select(func.count()).select_from(Acceptance).where(
            Acceptance.proposal_id == prop.id, Acceptance.decision == "accept"))
        if accepted != n_parties:
            return None
        s.add(Agreement(negotiation_id=neg.id, version=1, package=prop.package, source=f"proposal:{prop.id}"))
        for other in s.scalars(select(Proposal).where(Proposal.negotiation_id == neg.id, Proposal.open)):
            other.open = False
        _audit(s, neg.id, "system", "agreement reached", version=1, proposal=prop.id, package=prop.package)
        s.flush()
        return {"version": 1, "package": prop.package}

    # -- offers ------------------------------------------------------------------------------------------
    def make_offer(self, who: Principal, packages: Sequence[Mapping[str, str]]) -> dict[str, Any]:
        """A party offers one package, or a MESO set of up to three, to the others."""
        party_id = _party_only(who)
        if not 1 <= len(packages) <= MAX_OFFER_PACKAGES:
            raise ServiceError(422, f"packages: an offer holds 1 to {MAX_OFFER_PACKAGES} packages, "
                                    f"not {len(packages)}", "packages")
        with self.db.write() as s:
            neg = self.db.lock(s, Negotiation, who.negotiation_id)
            if neg is None:
                raise ServiceError(404, "no such negotiation")
            issues = _issues(neg)
            for n, p in enumerate(packages):
                check_package(issues, p, f"packages.{n}")
            if self._agreement(s, neg.id) is not None:
                raise ServiceError(409, "an agreement has already been reached; offers are closed")
            offer = Offer(negotiation_id=neg.id, party_id=party_id, packages=[dict(p) for p in packages])
            s.add(offer)
            s.flush()
            _audit(s, neg.id, who.actor, "offer made", offer=offer.id, packages=offer.packages)
            return {"id": offer.id, "packages": offer.packages}

    def offers(self, who: Principal) -> dict[str, Any]:
        """Every offer, oldest first; a party sees each package's value to itself only."""
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            issues = _issues(neg)
            names = {p.id: p.name for p in self._parties(s, neg.id)}
            sub = None
            if who.role == "party":
                sub = s.scalars(select(Submission).where(Submission.party_id == who.party_id)).first()
            out = []
            for o in s.scalars(select(Offer).where(Offer.negotiation_id == neg.id).order_by(Offer.id)):
                d: dict[str, Any] = {"id": o.id, "from": names.get(o.party_id, "?"), "packages": o.packages,
                                     "created_at": _iso(o.created_at)}
                if who.role == "party":
                    d["yours"] = o.party_id == who.party_id
                    d["your_points"] = (None if sub is None
                                        else [_own_value(sub, issues, p) for p in o.packages])
                out.append(d)
            return {"offers": out}

    def accept_offer(self, who: Principal, oid: int, index: int) -> dict[str, Any]:
        """Accept package ``index`` of another party's offer: it goes on the table as a proposal that its
        author has accepted; the agreement is made once every party accepts it."""
        party_id = _party_only(who)
        with self.db.write() as s:
            neg = self.db.lock(s, Negotiation, who.negotiation_id)
            if neg is None:
                raise ServiceError(404, "no such negotiation")
            offer = s.get(Offer, oid)
            if offer is None or offer.negotiation_id != neg.id:
                raise ServiceError(404, f"no offer {oid} in this negotiation")
            if offer.party_id == party_id:
                raise ServiceError(409, "this is your own offer; the others accept it")
            if not 0 <= index < len(offer.packages):
                raise ServiceError(422, f"index: offer {oid} has packages 0 to {len(offer.packages) - 1}", "index")
            if self._agreement(s, neg.id) is not None:
                raise ServiceError(409, "an agreement has already been reached")
            pkg = offer.packages[index]
            prop = next((p for p in s.scalars(select(Proposal).where(Proposal.negotiation_id == neg.id,
                                                                     Proposal.open)) if p.package == pkg), None)
            if prop is None:
                prop = Proposal(negotiation_id=neg.id, round=neg.revision, rank=100 + oid, package=pkg,
                                source=f"offer:{oid}")
                s.add(prop)
                s.flush()
            self._decide(s, prop, offer.party_id, "accept")
            self._decide(s, prop, party_id, "accept")
            _audit(s, neg.id, who.actor, "offer accepted", offer=oid, index=index, proposal=prop.id)
            agreed = self._maybe_agree(s, neg, prop)
        if agreed is not None:
            self._search_improvements(who.negotiation_id)
        return {"proposal": prop.id, "your_decision": "accept", "agreement": agreed}

    # -- agreement and post-settlement -------------------------------------------------------------------
    def agreement(self, who: Principal) -> dict[str, Any]:
        """The current agreement (None before one) and, for a party, what it is worth to itself."""
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            ag = self._agreement(s, neg.id)
            if ag is None:
                return {"agreement": None}
            d: dict[str, Any] = {"agreement": {"version": ag.version, "package": ag.package,
                                               "source": ag.source.split(":")[0], "reached_at": _iso(ag.created_at)}}
            if who.role == "party":
                sub = s.scalars(select(Submission).where(Submission.party_id == who.party_id)).first()
                if sub is not None:
                    d["your_points"] = _own_value(sub, _issues(neg), ag.package)
            return d

    def _search_improvements(self, nid: str) -> None:
        """Post-settlement search on the current agreement version, once (outside the lock, like proposals).

        It runs right after the version commits; should the server die in between, the next read of the
        improvements runs it.
        """
        with self.db.read() as s:
            neg = self._negotiation(s, nid)
            ag = self._agreement(s, nid)
            if ag is None or ag.searched:
                return
            version, package = ag.version, dict(ag.package)
            case = self._case_of(s, neg)
        if case is None:
            return
        found = mediation.improvements(case, package)
        with self.db.write() as s:
            self.db.lock(s, Negotiation, nid)
            current = self._agreement(s, nid)
            if current is None or current.version != version or current.searched:
                return
            current.searched = True
            for rank, pkg in enumerate(found):
                s.add(ImprovementRow(negotiation_id=nid, agreement_version=version, rank=rank, package=pkg))
            _audit(s, nid, "system", "improvements searched", agreement_version=version, found=len(found))

    def improvements(self, who: Principal) -> dict[str, Any]:
        """Improvements of the current agreement (409 before one); a party sees its own points and gain."""
        self._search_improvements(who.negotiation_id)  # a no-op unless a search was interrupted
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            ag = self._agreement(s, neg.id)
            if ag is None:
                raise ServiceError(409, "no agreement yet: improvements are searched after one is reached")
            issues = _issues(neg)
            rows = list(s.scalars(select(ImprovementRow).where(ImprovementRow.negotiation_id == neg.id)
                                  .order_by(ImprovementRow.agreement_version.desc(), ImprovementRow.rank)))
            decisions = list(s.scalars(select(ImprovementDecision).join(
                ImprovementRow, ImprovementDecision.improvement_id == ImprovementRow.id)
                .where(ImprovementRow.negotiation_id == neg.id)))
            names = {p.id: p.name for p in self._parties(s, neg.id)}
            sub = None
            if who.role == "party":
                sub = s.scalars(select(Submission).where(Submission.party_id == who.party_id)).first()
            base = None if sub is None else _own_value(sub, issues, ag.package)
            out = []
            for r in rows:
                d: dict[str, Any] = {"id": r.id, "agreement_version": r.agreement_version, "package": r.package,
                                     "open": r.open and r.agreement_version == ag.version}
                mine = [x for x in decisions if x.improvement_id == r.id]
                if who.role == "party":
                    pts = None if sub is None else _own_value(sub, issues, r.package)
                    d["your_points"] = pts
                    d["your_gain"] = None if pts is None or base is None or r.agreement_version != ag.version \
                        else pts - base
                    own = [x.decision for x in mine if x.party_id == who.party_id]
                    d["your_decision"] = own[0] if own else None
                else:
                    d["decisions"] = {names[x.party_id]: x.decision for x in mine}
                out.append(d)
            current = [d for d in out if d["agreement_version"] == ag.version]
            note = "" if current else "the agreement is already Pareto-optimal: no package is better for a party " \
                                      "and worse for none"
            return {"agreement_version": ag.version, "improvements": out, "note": note}

    def decide_improvement(self, who: Principal, iid: int, decision: str) -> dict[str, Any]:
        """Record the party's decision; when every party has decided and all accepted, the improvement
        replaces the agreement (otherwise it is closed)."""
        party_id = _party_only(who)
        with self.db.write() as s:
            neg = self.db.lock(s, Negotiation, who.negotiation_id)
            if neg is None:
                raise ServiceError(404, "no such negotiation")
            row = s.get(ImprovementRow, iid)
            if row is None or row.negotiation_id != neg.id:
                raise ServiceError(404, f"no improvement {iid} in this negotiation")
            ag = self._agreement(s, neg.id)
            if ag is None or row.agreement_version != ag.version or not row.open:
                raise ServiceError(409, f"improvement {iid} is closed; see the open improvements")
            prev = s.scalars(select(ImprovementDecision).where(ImprovementDecision.improvement_id == iid,
                                                               ImprovementDecision.party_id == party_id)).first()
            if prev is None:
                s.add(ImprovementDecision(improvement_id=iid, party_id=party_id, decision=decision))
            else:
                prev.decision = decision
            s.flush()
            _audit(s, neg.id, who.actor, "improvement " + ("accepted" if decision == "accept" else "declined"),
                   improvement=iid)
            n_parties = s.scalar(select(func.count()).select_from(PartyRow)
                                 .where(PartyRow.negotiation_id == neg.id))
            all_decisions = list(s.scalars(select(ImprovementDecision.decision)
                                           .where(ImprovementDecision.improvement_id == iid)))
            replaced = None
            if len(all_decisions) == n_parties:
                row.open = False
                if all(d == "accept" for d in all_decisions):
                    version = ag.version + 1
                    s.add(Agreement(negotiation_id=neg.id, version=version, package=row.package,
                                    source=f"improvement:{iid}"))
                    for other in s.scalars(select(ImprovementRow).where(
                            ImprovementRow.negotiation_id == neg.id, ImprovementRow.open)):
                        other.open = False
                    _audit(s, neg.id, "system", "agreement improved", version=version, improvement=iid,
                           package=row.package)
                    replaced = {"version": version, "package": row.package}
                else:
                    _audit(s, neg.id, "system", "improvement not accepted by every party", improvement=iid)
        if replaced is not None:
            self._search_improvements(who.negotiation_id)
        return {"improvement": iid, "your_decision": decision, "agreement": replaced}

    # -- views -------------------------------------------------------------------------------------------
    def overview(self, who: Principal) -> dict[str, Any]:
        """What this token may see of the negotiation."""
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            parties = self._parties(s, neg.id)
            subs = self._submissions(s, parties)
            ag = self._agreement(s, neg.id)
            d: dict[str, Any] = {
                "id": neg.id, "name": neg.name, "role": who.role,
                "issues": {n: opts for n, opts in _issues(neg)},
                "parties": [p.name for p in parties],
                "all_submitted": len(subs) == len(parties),
                "agreement": None if ag is None else {"version": ag.version, "package": ag.package},
            }
            if who.role == "party":
                d["you"] = who.party_name
                d["you_submitted"] = who.party_id in subs
                return d
            d["status"] = {p.name: {"submitted": p.id in subs,
                                    "allows_sharing": bool(subs[p.id].allow_sharing) if p.id in subs else False}
                           for p in parties}
            d["shared_preferences"] = {p.name: {"preferences": subs[p.id].points, "batna": subs[p.id].batna,
                                                "batna_package": subs[p.id].batna_package}
                                       for p in parties if p.id in subs and subs[p.id].allow_sharing}
            d.update(self._mediator_analysis(s, neg, parties, subs, ag))
        d["proposals"] = self.proposals(who)["proposals"]
        d["offers"] = self.offers(who)["offers"]
        return d

    def _mediator_analysis(self, s: Session, neg: Negotiation, parties: list[PartyRow],
                           subs: dict[int, Submission], ag: Agreement | None) -> dict[str, Any]:
        found = self._analysis(s, neg) if len(subs) == len(parties) else None
        if found is None:
            return {"frontier": None, "pyramid": None}
        case, result = found
        best = ag.package if ag is not None else result.nash
        pyramid = None
        if best is not None:
            pyramid = {"package": best, "of": "agreement" if ag is not None else "first proposal",
                       **mediation.level(case, best)}
        marks = {"Nash point": result.nash, "agreement": None if ag is None else ag.package}
        frontier: dict[str, Any] = {
            "parties": [p.name for p in parties], "scale": "normalised gains (0 = BATNA, 1 = best)",
            "gains": [[round(float(x), 6) for x in row] for row in result.frontier_gains],
            "in_zone": [bool(x) for x in result.in_zone], "nash": result.nash, "note": result.note,
            "marks": {label: result.gains_of(case, [pkg])[0] for label, pkg in marks.items() if pkg is not None}}
        return {"frontier": frontier, "pyramid": pyramid}

    def audit(self, who: Principal) -> dict[str, Any]:
        """The audit log (mediator only): who changed what, when; no party's points."""
        with self.db.read() as s:
            neg = self._negotiation(s, who.negotiation_id)
            rows = s.scalars(select(AuditEntry).where(AuditEntry.negotiation_id == neg.id).order_by(AuditEntry.id))
            return {"negotiation": neg.id, "name": neg.name,
                    "entries": [{"at": _iso(r.at), "actor": r.actor, "action": r.action, "detail": r.detail}
                                for r in rows]}

    def party_page(self, who: Principal) -> dict[str, Any]:
        """Everything the party page shows, in one read."""
        d = self.overview(who)
        try:
            d["mine"] = self.get_preferences(who)
        except ServiceError:
            d["mine"] = None
        d["proposals"] = self.proposals(who)
        d["offers"] = self.offers(who)["offers"]
        d["agreement_view"] = self.agreement(who)
        d["improvements"] = self.improvements(who) if d["agreement"] is not None else None
        return d


def _party_only(who: Principal) -> int:
    if who.role != "party" or who.party_id is None:
        raise ServiceError(403, "this route is for a party's own token; the mediator token cannot act for a party")
    return who.party_id


def _own_value(sub: Submission, issues: list[tuple[str, list[str]]], package: Mapping[str, str]) -> float:
    """The package's points for the party that submitted ``sub`` (additive: the options' points summed)."""
    return float(sum(float(sub.points[i][package[i]]) for i, _ in issues))


def check_setup(name: str, issues: Sequence[tuple[str, Sequence[str]]], parties: Sequence[str]) -> None:
    """Bounds and uniqueness of a new negotiation (422 naming the field)."""
    m = mediation
    if not name.strip() or len(name) > 200:
        raise ServiceError(422, "name: give a name of 1 to 200 characters", "name")
    if not 1 <= len(issues) <= m.MAX_ISSUES:
        raise ServiceError(422, f"issues: give 1 to {m.MAX_ISSUES} issues, not {len(issues)}", "issues")
    if len({n for n, _ in issues}) != len(issues):
        raise ServiceError(422, "issues: issue names must be unique", "issues")
    for n, opts in issues:
        if not n.strip() or len(n) > m.MAX_NAME:
            raise ServiceError(422, f"issues: issue names need 1 to {m.MAX_NAME} characters", "issues")
        if not 2 <= len(opts) <= m.MAX_OPTIONS:
            raise ServiceError(422, f"issues.{n}: give 2 to {m.MAX_OPTIONS} options, not {len(opts)}", f"issues.{n}")
        if len(set(opts)) != len(opts) or any(not o.strip() or len(o) > m.MAX_NAME for o in opts):
            raise ServiceError(422, f"issues.{n}: options must be unique and 1 to {m.MAX_NAME} characters",
                               f"issues.{n}")
    if not 2 <= len(parties) <= m.MAX_PARTIES:
        raise ServiceError(422, f"parties: give 2 to {m.MAX_PARTIES} parties, not {len(parties)}", "parties")
    if len(set(parties)) != len(parties) or any(not p.strip() or len(p) > m.MAX_NAME for p in parties):
        raise ServiceError(422, f"parties: party names must be unique and 1 to {m.MAX_NAME} characters", "parties")


def check_package(issues: list[tuple[str, list[str]]], package: Mapping[str, str], field: str) -> None:
    """Every issue given once with one of its options, nothing else (422 naming the field)."""
    known = dict(issues)
    for i in package:
        if i not in known:
            raise ServiceError(422, f"{field}: unknown issue {i!r}; the issues are {', '.join(known)}", field)
    for i, opts in issues:
        if i not in package:
            raise ServiceError(422, f"{field}.{i}: missing; every issue needs an option", f"{field}.{i}")
        if package[i] not in opts:
            raise ServiceError(422, f"{field}.{i}: unknown option {package[i]!r}; expected one of "
                                    f"{', '.join(opts)}", f"{field}.{i}")


def check_points(issues: list[tuple[str, list[str]]], points: Mapping[str, Mapping[str, float]],
                 batna: float | None, batna_package: Mapping[str, str] | None) -> None:
    """Points for every option of every issue, finite and at most ``MAX_POINTS`` in magnitude."""
    known = dict(issues)
    for i in points:
        if i not in known:
            raise ServiceError(422, f"preferences: unknown issue {i!r}; the issues are {', '.join(known)}",
                               "preferences")
    for i, opts in issues:
        table = points.get(i)
        if table is None:
            raise ServiceError(422, f"preferences.{i}: missing; give points for every option", f"preferences.{i}")
        for o in table:
            if o not in opts:
                raise ServiceError(422, f"preferences.{i}: unknown option {o!r}; expected {', '.join(opts)}",
                                   f"preferences.{i}")
        for o in opts:
            if o not in table:
                raise ServiceError(422, f"preferences.{i}.{o}: missing; give points for every option",
                                   f"preferences.{i}.{o}")
            x = table[o]
            if not math.isfinite(x) or abs(x) > MAX_POINTS:
                raise ServiceError(422, f"preferences.{i}.{o}: points must be finite and at most {MAX_POINTS:g} "
                                        "in magnitude", f"preferences.{i}.{o}")
    if batna is not None and batna_package is not None:
        raise ServiceError(422, "batna: give points or a walk-away package, not both", "batna")
    if batna is not None and (not math.isfinite(batna) or abs(batna) > MAX_POINTS):
        raise ServiceError(422, f"batna: must be finite and at most {MAX_POINTS:g} in magnitude", "batna")
    if batna_package is not None:
        check_package(issues, batna_package, "batna_package")


def check_decision(decision: str) -> str:
    if decision not in ("accept", "reject", "decline"):
        raise ServiceError(422, "decision: accept or reject", "decision")
    return decision


__all__ = ["AccordError", "Principal", "Service", "ServiceError"]
