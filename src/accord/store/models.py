"""The tables of a mediated negotiation (SQLAlchemy 2 declarative models).

One negotiation has parties, bearer tokens (stored only as SHA-256 hashes), each party's private submission
(points per option, BATNA, whether the mediator may see the raw table), the packages the mediator proposes
and each party's decision on them, package offers (single offers or MESO sets), the agreement (versioned: a
post-settlement improvement replaces it with the next version), the improvements and the decisions on them,
and an audit log of every change. No HTTP and no analysis here; :mod:`accord.store.db` opens sessions and
applies the Alembic migrations that create these tables.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


def utcnow() -> datetime:
    """Timezone-aware current time (stored as UTC)."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Declarative base of every Accord table (the classroom's tables will share it)."""



class Negotiation(Base):
    __tablename__ = "negotiations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: ``{"issues": [[issue, [options...]], ...]}`` — a list keeps the mediator's issue order.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Bumped (inside the row lock) by every preference submission: the proposals of round r answer revision r.
    revision: Mapped[int] = mapped_column(Integer, default=0)
    #: The revision the mediator's proposals were last computed for (so each revision is analysed once).
    analysed_revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PartyRow(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("negotiation_id", "name", name="uq_party_name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer)


class Token(Base):
    """A bearer token's SHA-256 hash and what it grants (``role`` "mediator" or "party")."""

    __tablename__ = "tokens"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Submission(Base):
    """A party's private preferences: points per option, BATNA, and the sharing flag."""

    __tablename__ = "submissions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), unique=True)
    points: Mapped[dict[str, Any]] = mapped_column(JSON)
    batna: Mapped[float | None] = mapped_column(Float, nullable=True)
    batna_package: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    #: The weights and ratings the page form used (so the party can edit them later); None from the API.
    form: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    allow_sharing: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Proposal(Base):
    """A package on the table: proposed by the mediator, or a party's offer someone accepted."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(20), default="mediator")
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Acceptance(Base):
    """One party's decision ("accept" or "reject") on one proposal."""

    __tablename__ = "acceptances"
    __table_args__ = (UniqueConstraint("proposal_id", "party_id", name="uq_acceptance"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Offer(Base):
    """A party's offer to the others: one package, or several of equal value to it (a MESO)."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    packages: Mapped[list[Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Agreement(Base):
    """Version 1 is the negotiated agreement; each accepted post-settlement improvement adds the next."""

    __tablename__ = "agreements"
    __table_args__ = (UniqueConstraint("negotiation_id", "version", name="uq_agreement_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    #: Whether the post-settlement search on this version has run (it runs just after the version commits).
    searched: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ImprovementRow(Base):
    """A post-settlement improvement on agreement ``agreement_version``."""

    __tablename__ = "improvements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    agreement_version: Mapped[int] = mapped_column(Integer)
    rank: Mapped[int] = mapped_column(Integer)
    package: Mapped[dict[str, Any]] = mapped_column(JSON)
    open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImprovementDecision(Base):
    __tablename__ = "improvement_decisions"
    __table_args__ = (UniqueConstraint("improvement_id", "party_id", name="uq_improvement_decision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    improvement_id: Mapped[int] = mapped_column(ForeignKey("improvements.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditEntry(Base):
    """One change: who (``mediator``, ``party:<name>`` or ``system``), what, and non-private details."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    negotiation_id: Mapped[str] = mapped_column(ForeignKey("negotiations.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    actor: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(60))
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
