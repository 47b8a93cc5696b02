"""target keys (same_as, rolls_up) and per-county, per-year targets (任务分解)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _backfill_keys() -> None:
    """Existing target rows get the key of the reference target at the same place (the
    programme's code and the target's position); ``rencai init`` loads the rest."""
    from reference import load_programmes

    bind = op.get_bind()
    plan = load_programmes()
    owners = [(g.code, g.targets) for g in plan.goals] + [
        (m.code, m.targets) for m in plan.measures
    ]
    for code, targets in owners:
        for seq, target in enumerate(targets, start=1):
            bind.execute(
                sa.text(
                    "UPDATE target SET key = :key WHERE seq = :seq AND programme_id IN "
                    "(SELECT id FROM programme WHERE code = :code)"
                ),
                {"key": target.code, "seq": seq, "code": code},
            )
    bind.execute(sa.text("UPDATE target SET rolls_up = '[]' WHERE rolls_up IS NULL"))
    # A row the reference data no longer names keeps a key made from its place.
    bind.execute(
        sa.text(
            "UPDATE target SET key = (SELECT code FROM programme WHERE programme.id = "
            "target.programme_id) || '.target_' || seq WHERE key IS NULL"
        )
    )


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("same_as", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("rolls_up", sa.JSON(), nullable=True))
    _backfill_keys()
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.alter_column("key", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("rolls_up", existing_type=sa.JSON(), nullable=False)
        batch_op.create_index(batch_op.f("ix_target_key"), ["key"], unique=False)

    op.create_table(
        "county_target",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.String(length=64), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_county_target_value_non_negative")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_county_target_year_range")),
        sa.ForeignKeyConstraint(
            ["county_code"],
            ["county.code"],
            name=op.f("fk_county_target_county_code_county"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"],
            ["app_user.id"],
            name=op.f("fk_county_target_updated_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_county_target")),
        sa.UniqueConstraint(
            "target_key",
            "county_code",
            "year",
            name=op.f("uq_county_target_target_key_county_code_year"),
        ),
    )
    with op.batch_alter_table("county_target", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_county_target_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_county_target_target_key"), ["target_key"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("county_target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_county_target_target_key"))
        batch_op.drop_index(batch_op.f("ix_county_target_county_code"))
    op.drop_table("county_target")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_key"))
        batch_op.drop_column("rolls_up")
        batch_op.drop_column("same_as")
        batch_op.drop_column("key")
