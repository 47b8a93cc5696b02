"""registers and trainings (issue 11 item 5): register_entry, training, participants, confirmed service records

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:28:22.445920
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "register_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=True),
        sa.Column("founded_on", sa.Date(), nullable=False),
        sa.Column("lead_unit", sa.String(length=80), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('workstation', 'star_space', 'agri_entity', 'flexible_base', 'eldercare_base')",
            name=op.f("ck_register_entry_kind_valid"),
        ),
        sa.CheckConstraint(
            "status <> 'returned' OR return_reason IS NOT NULL",
            name=op.f("ck_register_entry_returned_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'returned')",
            name=op.f("ck_register_entry_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["county_code"], ["county.code"], name=op.f("fk_register_entry_county_code_county")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
            name=op.f("fk_register_entry_decided_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
            name=op.f("fk_register_entry_entered_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["township_id"], ["township.id"], name=op.f("fk_register_entry_township_id_township")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register_entry")),
        sa.UniqueConstraint("external_id", name=op.f("uq_register_entry_external_id")),
    )
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_entry_county_code"), ["county_code"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_register_entry_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_register_entry_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_register_entry_updated_at"), ["updated_at"], unique=False
        )

    op.create_table(
        "training",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("target_key", sa.String(length=64), nullable=False),
        sa.Column("county_code", sa.String(length=12), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=False),
        sa.Column("organiser", sa.String(length=120), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("external_id", sa.String(length=64), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("return_reason", sa.Text(), nullable=True),
        sa.Column("entered_by", sa.Integer(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status <> 'returned' OR return_reason IS NOT NULL",
            name=op.f("ck_training_returned_has_reason"),
        ),
        sa.CheckConstraint(
            "status IN ('submitted', 'approved', 'returned')", name=op.f("ck_training_status_valid")
        ),
        sa.CheckConstraint("ends_on >= starts_on", name=op.f("ck_training_dates_ordered")),
        sa.CheckConstraint("participants >= 0", name=op.f("ck_training_participants_non_negative")),
        sa.ForeignKeyConstraint(
            ["county_code"], ["county.code"], name=op.f("fk_training_county_code_county")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["app_user.id"],
            name=op.f("fk_training_decided_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["entered_by"],
            ["app_user.id"],
            name=op.f("fk_training_entered_by_app_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training")),
        sa.UniqueConstraint("external_id", name=op.f("uq_training_external_id")),
    )
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_county_code"), ["county_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_target_key"), ["target_key"], unique=False)
        batch_op.create_index(batch_op.f("ix_training_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "training_participant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["training.id"],
            name=op.f("fk_training_participant_training_id_training"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_participant")),
    )
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_participant_training_id"), ["training_id"], unique=False
        )

    op.create_table(
        "training_service_record",
        sa.Column("service_record_id", sa.Integer(), nullable=False),
        sa.Column("training_id", sa.Integer(), nullable=False),
        sa.Column("people_trained", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["service_record_id"],
            ["service_record.id"],
            name=op.f("fk_training_service_record_service_record_id_service_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["training_id"],
            ["training.id"],
            name=op.f("fk_training_service_record_training_id_training"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("service_record_id", name=op.f("pk_training_service_record")),
    )
    with op.batch_alter_table("training_service_record", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_training_service_record_training_id"), ["training_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("training_service_record", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_service_record_training_id"))

    op.drop_table("training_service_record")
    with op.batch_alter_table("training_participant", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_participant_training_id"))

    op.drop_table("training_participant")
    with op.batch_alter_table("training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_updated_at"))
        batch_op.drop_index(batch_op.f("ix_training_target_key"))
        batch_op.drop_index(batch_op.f("ix_training_status"))
        batch_op.drop_index(batch_op.f("ix_training_county_code"))

    op.drop_table("training")
    with op.batch_alter_table("register_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_entry_updated_at"))
        batch_op.drop_index(batch_op.f("ix_register_entry_status"))
        batch_op.drop_index(batch_op.f("ix_register_entry_kind"))
        batch_op.drop_index(batch_op.f("ix_register_entry_county_code"))

    op.drop_table("register_entry")
