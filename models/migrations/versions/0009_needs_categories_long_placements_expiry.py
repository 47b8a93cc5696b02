"""needs: required talent categories, expired status; talents: long placements;
counties: poverty flag and altitude (issue 11, items 6–9)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_STATUS = "status IN ('open', 'filled', 'closed')"
_NEW_STATUS = "status IN ('open', 'filled', 'closed', 'expired')"


def upgrade() -> None:
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("required_categories", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.drop_constraint(op.f("ck_need_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_need_status_valid"), _NEW_STATUS)
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("long_placement_ok", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("county", schema=None) as batch_op:
        batch_op.add_column(sa.Column("altitude_m", sa.Double(), nullable=True))
        batch_op.add_column(sa.Column("poverty_county", sa.String(length=16), nullable=True))
        batch_op.create_check_constraint(
            op.f("ck_county_poverty_county_valid"),
            "poverty_county IS NULL OR poverty_county IN ('national', 'provincial')",
        )


def downgrade() -> None:
    with op.batch_alter_table("county", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_county_poverty_county_valid"), type_="check")
        batch_op.drop_column("poverty_county")
        batch_op.drop_column("altitude_m")
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.drop_column("long_placement_ok")
    op.execute("UPDATE need SET status = 'closed' WHERE status = 'expired'")
    with op.batch_alter_table("need", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_need_status_valid"), type_="check")
        batch_op.create_check_constraint(op.f("ck_need_status_valid"), _OLD_STATUS)
        batch_op.drop_column("required_categories")
