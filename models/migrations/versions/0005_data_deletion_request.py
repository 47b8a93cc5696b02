"""data deletion requests (个人信息保护法)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "data_deletion_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("completed_by", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'completed')",
            name=op.f("ck_data_deletion_request_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by"],
            ["app_user.id"],
            name=op.f("fk_data_deletion_request_completed_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"],
            ["app_user.id"],
            name=op.f("fk_data_deletion_request_requested_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"],
            ["talent.id"],
            name=op.f("fk_data_deletion_request_talent_id_talent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_deletion_request")),
    )
    with op.batch_alter_table("data_deletion_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_data_deletion_request_talent_id"), ["talent_id"], unique=False
        )
        batch_op.create_index(
            "uq_data_deletion_request_pending",
            ["talent_id"],
            unique=True,
            sqlite_where=sa.text("status = 'pending'"),
            postgresql_where=sa.text("status = 'pending'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("data_deletion_request", schema=None) as batch_op:
        batch_op.drop_index("uq_data_deletion_request_pending")
        batch_op.drop_index(batch_op.f("ix_data_deletion_request_talent_id"))
    op.drop_table("data_deletion_request")
