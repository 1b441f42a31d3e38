"""scheduled jobs: order marks, and indexes for the sales rate and the daily report

Revision ID: 0002_jobs
Revises: 0001
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0002_jobs'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('order_marks',
    sa.Column('order_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('mark', sa.String(length=32), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['orders.id'], name=op.f('fk_order_marks_order_id_orders')),
    sa.PrimaryKeyConstraint('order_id', 'mark', name=op.f('pk_order_marks'))
    )
    with op.batch_alter_table('order_marks', schema=None) as batch_op:
        batch_op.create_index('ix_order_marks_mark_at', ['mark', 'at'], unique=False)
    with op.batch_alter_table('shipment_items', schema=None) as batch_op:
        batch_op.create_index('ix_shipment_items_sku', ['sku'], unique=False)
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.create_index('ix_shipments_shipped_at', ['shipped_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_shipments_shipped_at')
    with op.batch_alter_table('shipment_items', schema=None) as batch_op:
        batch_op.drop_index('ix_shipment_items_sku')
    with op.batch_alter_table('order_marks', schema=None) as batch_op:
        batch_op.drop_index('ix_order_marks_mark_at')
    op.drop_table('order_marks')
