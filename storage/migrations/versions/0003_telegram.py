"""link codes may be decoys: customer_id nullable

An e-mail code asked for an unknown address is stored without a customer, so the chat
sees the same attempts and expiry as for a known one and learns nothing from them.

Revision ID: 0003_telegram
Revises: 0002_jobs
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003_telegram'
down_revision: str | None = '0002_jobs'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.alter_column('customer_id', existing_type=_ID, nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM link_codes WHERE customer_id IS NULL")
    with op.batch_alter_table('link_codes', schema=None) as batch_op:
        batch_op.alter_column('customer_id', existing_type=_ID, nullable=False)
