"""orders as they really happen: cancelled units, scoped idempotency, shop-named channels

- `order_lines.cancelled`: units of a line cancelled before they shipped;
- `orders.idempotency_scope` (the API token) and `orders.request_fingerprint` (a hash of
  the canonical request): an `Idempotency-Key` is unique per token, and a replay with a
  different body is told apart from a retry;
- `orders.channel` holds any shop-named sales channel of up to 40 characters;
- `products`: a SKU is unique without regard to case (`lower(sku)`).

Revision ID: 0004_orders
Revises: 0003_telegram
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004_orders'
down_revision: str | None = '0004_fx'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cancelled', sa.Integer(), nullable=False,
                                      server_default='0'))
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('idempotency_scope', sa.String(length=200)))
        batch_op.add_column(sa.Column('request_fingerprint', sa.String(length=64)))
        batch_op.alter_column('channel', existing_type=sa.String(length=32),
                              type_=sa.String(length=40), existing_nullable=False)
        batch_op.drop_constraint('uq_orders_idempotency_key', type_='unique')
        batch_op.create_unique_constraint('uq_orders_idempotency_scope_key',
                                          ['idempotency_scope', 'idempotency_key'])
    op.create_index('uq_products_sku_lower', 'products', [sa.text('lower(sku)')], unique=True)


def downgrade() -> None:
    op.drop_index('uq_products_sku_lower', table_name='products')
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_constraint('uq_orders_idempotency_scope_key', type_='unique')
        batch_op.create_unique_constraint('uq_orders_idempotency_key', ['idempotency_key'])
        batch_op.alter_column('channel', existing_type=sa.String(length=40),
                              type_=sa.String(length=32), existing_nullable=False)
        batch_op.drop_column('request_fingerprint')
        batch_op.drop_column('idempotency_scope')
    with op.batch_alter_table('order_lines', schema=None) as batch_op:
        batch_op.drop_column('cancelled')
