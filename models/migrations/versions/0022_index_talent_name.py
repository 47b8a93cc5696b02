"""index talent.name: the why-not box's name search at 100,000 talents

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 22:30:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_talent_name"), ["name"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("talent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_talent_name"))
