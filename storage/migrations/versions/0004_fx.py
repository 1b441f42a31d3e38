"""exchange rates into the base currency: fx_rates

A rate is stored as an integer of 10^-10 units (storage.types.Rate): exact on both databases.

Revision ID: 0004_fx
Revises: 0003_telegram
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_fx'
down_revision: str | None = '0003_telegram'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('fx_rates',
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('rate', sa.BigInteger(), nullable=False),
    sa.CheckConstraint('rate > 0', name=op.f('ck_fx_rates_rate_positive')),
    sa.PrimaryKeyConstraint('currency', 'valid_from', name=op.f('pk_fx_rates'))
    )


def downgrade() -> None:
    op.drop_table('fx_rates')
