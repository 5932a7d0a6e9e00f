"""The tables of a classroom exercise (SQLAlchemy 2 models; migration ``0002_classroom``).

An exercise holds a case (its JSON form), each role's confidential instructions (Markdown), the number of
groups and the reveal flag; the instructor's token is stored only as its SHA-256 hash. Each student is one
seat — a group and a role — with the hash of its private token and an optional name that only the
instructor ever sees. A student's result is the group's final agreement (a package) or an impasse, as that
student reported it; a group's result counts once every member reported the same. No HTTP and no analysis
here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from accord.store.models import Base, utcnow


class Exercise(Base):
    """One exercise: a case played by ``groups`` groups of one student per role."""

    __tablename__ = "classroom_exercises"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: The case file's JSON form (as uploaded, parsed again on load).
    case: Mapped[dict[str, Any]] = mapped_column(JSON)
    groups: Mapped[int] = mapped_column(Integer)
    #: ``{role: markdown}``: each role's confidential instructions.
    instructions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    instructor_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    revealed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Student(Base):
    """One seat of an exercise: a group and a role, reached by its private link."""

    __tablename__ = "classroom_students"
    __table_args__ = (UniqueConstraint("exercise_id", "group_no", "role", name="uq_classroom_seat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exercise_id: Mapped[str] = mapped_column(ForeignKey("classroom_exercises.id", ondelete="CASCADE"), index=True)
    group_no: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(100))
    #: Shown to the instructor only (never in anything a student receives).
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)


class StudentResult(Base):
    """What one student reported for the group: a package (``{issue: option}``) or an impasse."""

    __tablename__ = "classroom_results"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("classroom_students.id", ondelete="CASCADE"), unique=True)
    exercise_id: Mapped[str] = mapped_column(ForeignKey("classroom_exercises.id", ondelete="CASCADE"), index=True)
    agreement: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    impasse: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
