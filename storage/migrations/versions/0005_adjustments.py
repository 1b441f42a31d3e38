"""orders follow-ups: why units of a line were cancelled, and stock adjustments

`order_lines.cancel_reason` keeps the reason of a partial cancellation on the lines it
cancelled (the order's own `cancel_reason` is for a whole cancellation only); the new
`stock_adjustments` table records each correction of a stock count (+N, −N or =N) with its
reason and who made it.

Revision ID: 0005_adjustments
Revises: 0004_money
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0005_adjustments'
down_revision: str | None = '0004_money'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    with op.batch_alter_table('order_lines') as b:
        b.add_column(sa.Column('cancel_reason', sa.String(length=500), nullable=True))
    op.create_table(
        'stock_adjustments',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('sku', sa.String(length=64), nullable=False),
        sa.Column('warehouse', sa.String(length=32), nullable=False),
        sa.Column('delta', sa.Integer(), nullable=False),
        sa.Column('on_hand', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('actor', sa.String(length=200), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('delta <> 0', name=op.f('ck_stock_adjustments_delta_not_zero')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_adjustments')),
    )
    op.create_index(op.f('ix_stock_adjustments_sku'), 'stock_adjustments', ['sku'])


def downgrade() -> None:
    op.drop_index(op.f('ix_stock_adjustments_sku'), table_name='stock_adjustments')
    op.drop_table('stock_adjustments')
    with op.batch_alter_table('order_lines') as b:
        b.drop_column('cancel_reason')
