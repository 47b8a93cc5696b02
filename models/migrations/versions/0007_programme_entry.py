"""programme entries (ledger of hand-counted targets)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "programme_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.String(length=80), nullable=False),
        sa.Column("programme_code", sa.String(length=64), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reverses", sa.Integer(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("evidence_sha256", sa.String(length=64), nullable=True),
        sa.Column("evidence_filename", sa.String(length=255), nullable=True),
        sa.Column("evidence_media_type", sa.String(length=100), nullable=True),
        sa.Column("evidence_bytes", sa.Integer(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status != 'returned' OR return_reason IS NOT NULL",
            name=op.f("ck_programme_entry_returned_has_reason"),
        ),
        sa.CheckConstraint(
            "status = 'submitted' OR decided_at IS NOT NULL",
            name=op.f("ck_programme_entry_decided_has_time"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'returned')",
            name=op.f("ck_programme_entry_status_valid"),
        ),
        sa.CheckConstraint(
            "reverses IS NULL OR reverses != id", name=op.f("ck_programme_entry_not_self_reversing")
        ),
        sa.CheckConstraint("value >= 0", name=op.f("ck_programme_entry_value_non_negative")),
        sa.CheckConstraint(
            "year BETWEEN 2000 AND 2100", name=op.f("ck_programme_entry_year_range")
        ),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["county.code"],
            name=op.f("fk_programme_entry_county_code_county"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
            name=op.f("fk_programme_entry_decided_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
            name=op.f("fk_programme_entry_entered_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["programme_code"],
            ["programme.code"],
            name=op.f("fk_programme_entry_programme_code_programme"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reverses"],
            ["programme_entry.id"],
            name=op.f("fk_programme_entry_reverses_programme_entry"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_entry")),
    )
    with op.batch_alter_table("programme_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_programme_entry_entered_by"), ["entered_by"], unique=False
        )
        batch_op.create_index(
            "ix_programme_entry_ledger",
            ["status", "year", "county_code", "target_key"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_programme_entry_programme_code"), ["programme_code"], unique=False
        )
        batch_op.create_index(
            "uq_programme_entry_live_reversal",
            ["reverses"],
            unique=True,
            sqlite_where=sa.text("reverses IS NOT NULL AND status != 'returned'"),
            postgresql_where=sa.text("reverses IS NOT NULL AND status != 'returned'"),
        )


def downgrade() -> None:
    with op.batch_alter_table("programme_entry", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_programme_entry_live_reversal",
            sqlite_where=sa.text("reverses IS NOT NULL AND status != 'returned'"),
            postgresql_where=sa.text("reverses IS NOT NULL AND status != 'returned'"),
        )
        batch_op.drop_index(batch_op.f("ix_programme_entry_programme_code"))
        batch_op.drop_index("ix_programme_entry_ledger")
        batch_op.drop_index(batch_op.f("ix_programme_entry_entered_by"))

    op.drop_table("programme_entry")
