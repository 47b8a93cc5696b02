"""batch runs as background jobs: queued and cancelled runs, progress, cancellation,
a preview's proposals (run_proposal) and the confirmation that writes them; a
notification kind for a new message in a match's thread (issue 12, items 7 and 8)

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-03 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_RUN = "status IN ('running', 'succeeded', 'failed')"
_NEW_RUN = "status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')"
_KINDS = (
    "proposed",
    "interested",
    "accepted",
    "approved",
    "rejected",
    "started",
    "cancelled",
    "record_due",
    "need_expiring",
    "entry_returned",
)


def _kind_check(kinds: Sequence[str]) -> str:
    return "kind IN (" + ", ".join(f"'{k}'" for k in kinds) + ")"


def upgrade() -> None:
    with op.batch_alter_table("match_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("candidates_per_need", sa.Integer(), nullable=False, server_default="30")
        )
        batch_op.add_column(sa.Column("progress_phase", sa.String(length=16), nullable=True))
        batch_op.add_column(
            sa.Column("progress_done", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("progress_total", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("percent", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("preview_of", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            op.f("fk_match_run_preview_of_match_run"),
            "match_run",
            ["preview_of"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(op.f("ix_match_run_preview_of"), ["preview_of"], unique=False)
        batch_op.drop_constraint(op.f("ck_match_run_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_match_run_status_valid"), _NEW_RUN)
        batch_op.create_check_constraint(
            op.f("ck_match_run_percent_range"), "percent BETWEEN 0 AND 100"
        )
    op.create_table(
        "run_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("need_id", sa.Integer(), nullable=False),
        sa.Column("talent_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("need_state", sa.String(length=64), nullable=False),
        sa.Column("talent_state", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["need_id"], ["need.id"], name=op.f("fk_run_proposal_need_id_need"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["match_run.id"],
            name=op.f("fk_run_proposal_run_id_match_run"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["talent_id"],
            ["talent.id"],
            name=op.f("fk_run_proposal_talent_id_talent"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_run_proposal")),
        sa.UniqueConstraint(
            "run_id", "need_id", "talent_id", name=op.f("uq_run_proposal_run_id_need_id_talent_id")
        ),
    )
    with op.batch_alter_table("run_proposal", schema=None) as batch_op:
        batch_op.create_index(op.f("ix_run_proposal_run_id"), ["run_id"], unique=False)
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notification_kind_valid"), type_="check")
        batch_op.create_check_constraint(
            op.f("ck_notification_kind_valid"), _kind_check((*_KINDS, "message"))
        )


def downgrade() -> None:
    op.execute("DELETE FROM notification WHERE kind = 'message'")
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_notification_kind_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_notification_kind_valid"), _kind_check(_KINDS))
    with op.batch_alter_table("run_proposal", schema=None) as batch_op:
        batch_op.drop_index(op.f("ix_run_proposal_run_id"))
    op.drop_table("run_proposal")
    op.execute("UPDATE match_run SET status = 'failed' WHERE status IN ('queued', 'cancelled')")
    with op.batch_alter_table("match_run", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_match_run_percent_range"), type_="check")
        batch_op.drop_constraint(op.f("ck_match_run_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_match_run_status_valid"), _OLD_RUN)
        batch_op.drop_index(op.f("ix_match_run_preview_of"))
        batch_op.drop_constraint(op.f("fk_match_run_preview_of_match_run"), type_="foreignkey")
        batch_op.drop_column("preview_of")
        batch_op.drop_column("cancel_requested")
        batch_op.drop_column("percent")
        batch_op.drop_column("progress_total")
        batch_op.drop_column("progress_done")
        batch_op.drop_column("progress_phase")
        batch_op.drop_column("candidates_per_need")
