"""match messages before a decision; interest recorded on a talent's behalf

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 10:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=True),
        sa.Column("sender_role", sa.String(length=16), nullable=False),
        sa.Column("sender_name", sa.String(length=120), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "sender_role IN ('site_staff', 'talent', 'coordinator', 'admin')",
            name=op.f("ck_match_message_sender_role_valid"),
        ),
        sa.CheckConstraint(
            "length(body) BETWEEN 1 AND 500", name=op.f("ck_match_message_body_length")
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["match.id"],
            name=op.f("fk_match_message_match_id_match"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sender_id"],
            ["app_user.id"],
            name=op.f("fk_match_message_sender_id_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_message")),
    )
    with op.batch_alter_table("match_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_match_message_match_sender_at", ["match_id", "sender_id", "at"], unique=False
        )
    with op.batch_alter_table("match_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("on_behalf_of_talent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_match_event_on_behalf_of_talent_id_talent"),
            "talent",
            ["on_behalf_of_talent_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("match_event", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_match_event_on_behalf_of_talent_id_talent"), type_="foreignkey"
        )
        batch_op.drop_column("on_behalf_of_talent_id")
    with op.batch_alter_table("match_message", schema=None) as batch_op:
        batch_op.drop_index("ix_match_message_match_sender_at")
    op.drop_table("match_message")
