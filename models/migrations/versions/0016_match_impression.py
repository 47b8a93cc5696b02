"""match impressions: what was shown, at which rank, by which scorer

Revision ID: 0016
Revises: 0011
Create Date: 2026-12-03 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "match_impression",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("list_id", sa.BigInteger(), nullable=False),
        sa.Column("surface", sa.String(length=16), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("scorer", sa.String(length=40), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("county_code", sa.String(length=16), nullable=True),
        sa.Column("shown_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "surface IN ('candidates', 'suggestions', 'batch')",
            name=op.f("ck_match_impression_surface_valid"),
        ),
        sa.CheckConstraint("rank >= 1", name=op.f("ck_match_impression_rank_positive")),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["need.id"],
            name=op.f("fk_match_impression_need_id_need"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"],
            ["talent.id"],
            name=op.f("fk_match_impression_talent_id_talent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_impression")),
    )
    with op.batch_alter_table("match_impression", schema=None) as batch_op:
        batch_op.create_index("ix_match_impression_pair", ["need_id", "talent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_match_impression_list_id"), ["list_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_match_impression_talent_id"), ["talent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_match_impression_shown_at"), ["shown_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("match_impression", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_impression_shown_at"))
        batch_op.drop_index(batch_op.f("ix_match_impression_talent_id"))
        batch_op.drop_index(batch_op.f("ix_match_impression_list_id"))
        batch_op.drop_index("ix_match_impression_pair")
    op.drop_table("match_impression")
