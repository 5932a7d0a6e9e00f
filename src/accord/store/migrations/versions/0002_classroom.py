"""classroom: exercises, students (seats), their reported results and the reveal flag

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "classroom_exercises",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("case", sa.JSON(), nullable=False),
        sa.Column("groups", sa.Integer(), nullable=False),
        sa.Column("instructions", sa.JSON(), nullable=False),
        sa.Column("instructor_hash", sa.String(length=64), nullable=False),
        sa.Column("revealed", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("classroom_exercises", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classroom_exercises_instructor_hash"), ["instructor_hash"],
                              unique=True)
    op.create_table(
        "classroom_students",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("exercise_id", sa.String(length=32), nullable=False),
        sa.Column("group_no", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["exercise_id"], ["classroom_exercises.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("exercise_id", "group_no", "role", name="uq_classroom_seat"),
    )
    with op.batch_alter_table("classroom_students", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classroom_students_exercise_id"), ["exercise_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_classroom_students_token_hash"), ["token_hash"], unique=True)
    op.create_table(
        "classroom_results",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("student_id", sa.Integer(), nullable=False),
        sa.Column("exercise_id", sa.String(length=32), nullable=False),
        sa.Column("agreement", sa.JSON(), nullable=True),
        sa.Column("impasse", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["student_id"], ["classroom_students.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["exercise_id"], ["classroom_exercises.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("student_id"),
    )
    with op.batch_alter_table("classroom_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_classroom_results_exercise_id"), ["exercise_id"], unique=False)


def downgrade() -> None:
    op.drop_table("classroom_results")
    op.drop_table("classroom_students")
    op.drop_table("classroom_exercises")
