"""fulfilment: carriers, boxes, bins; product dimensions; shipment service, box and weight

Revision ID: 0004_fulfilment
Revises: 0004_conversation
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_fulfilment'
down_revision: str | None = '0004_conversation'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'carriers',
        sa.Column('code', sa.String(32), nullable=False),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('tracking_url', sa.Text(), nullable=True),
        sa.Column('tracking_prefix', sa.String(8), nullable=True),
        sa.Column('next_serial', sa.BigInteger(), server_default='1', nullable=False),
        sa.Column('services', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('code', name=op.f('pk_carriers')),
    )
    op.create_table(
        'boxes',
        sa.Column('warehouse', sa.String(32), nullable=False),
        sa.Column('name', sa.String(32), nullable=False),
        sa.Column('length_mm', sa.Integer(), nullable=False),
        sa.Column('width_mm', sa.Integer(), nullable=False),
        sa.Column('height_mm', sa.Integer(), nullable=False),
        sa.Column('max_weight_g', sa.Integer(), nullable=False),
        sa.Column('tare_g', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['warehouse'], ['warehouses.code'],
                                name=op.f('fk_boxes_warehouse_warehouses')),
        sa.PrimaryKeyConstraint('warehouse', 'name', name=op.f('pk_boxes')),
    )
    op.create_table(
        'bins',
        sa.Column('sku', sa.String(64), nullable=False),
        sa.Column('warehouse', sa.String(32), nullable=False),
        sa.Column('bin', sa.String(44), nullable=False),
        sa.ForeignKeyConstraint(['sku'], ['products.sku'], name=op.f('fk_bins_sku_products')),
        sa.ForeignKeyConstraint(['warehouse'], ['warehouses.code'],
                                name=op.f('fk_bins_warehouse_warehouses')),
        sa.PrimaryKeyConstraint('sku', 'warehouse', name=op.f('pk_bins')),
    )
    op.create_table(
        'pack_sessions',
        sa.Column('user_id', sa.String(200), nullable=False),
        sa.Column('order_id', _ID, nullable=False),
        sa.Column('order_number', sa.String(20), nullable=False),
        sa.Column('expected', sa.JSON(), nullable=False),
        sa.Column('scanned', sa.JSON(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_pack_sessions_order_id_orders')),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_pack_sessions')),
        sa.UniqueConstraint('order_id', name=op.f('uq_pack_sessions_order_id')),
    )
    with op.batch_alter_table('warehouses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fulfilment', sa.JSON(), nullable=True))
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.add_column(sa.Column('length_mm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('width_mm', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('height_mm', sa.Integer(), nullable=True))
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service', sa.String(64), nullable=True))
        batch_op.add_column(sa.Column('box', sa.String(32), nullable=True))
        batch_op.add_column(sa.Column('weight_g', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('shipments', schema=None) as batch_op:
        batch_op.drop_column('weight_g')
        batch_op.drop_column('box')
        batch_op.drop_column('service')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_column('height_mm')
        batch_op.drop_column('width_mm')
        batch_op.drop_column('length_mm')
    with op.batch_alter_table('warehouses', schema=None) as batch_op:
        batch_op.drop_column('fulfilment')
    op.drop_table('pack_sessions')
    op.drop_table('bins')
    op.drop_table('boxes')
    op.drop_table('carriers')
