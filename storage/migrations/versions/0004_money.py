"""money: payments and refunds as facts, the journal, VAT, shipping prices per currency

Orders keep what was paid and refunded (with a CHECK that refunds never exceed payments),
their tax total and whether their prices include tax; lines and products a VAT rate;
return lines the order line they came from; shipping methods a price per currency.
Existing orders: paid = total unless pending; refunded = their returns' refunds (capped
at what was paid).

Revision ID: 0004_money
Revises: 0004_fulfilment
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types

revision: str = '0004_money'
down_revision: str | None = '0004_fulfilment'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_AMOUNT = storage.types.Amount()


def upgrade() -> None:
    with op.batch_alter_table('products') as b:
        b.add_column(sa.Column('tax_rate', _AMOUNT, nullable=True))
    with op.batch_alter_table('shipping_methods') as b:
        b.add_column(sa.Column('prices', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('order_lines') as b:
        b.add_column(sa.Column('tax_rate', _AMOUNT, nullable=False, server_default='0'))
    with op.batch_alter_table('return_lines') as b:
        b.add_column(sa.Column('order_line_id', _ID, nullable=True))
        b.add_column(sa.Column('tax_rate', _AMOUNT, nullable=False, server_default='0'))
    with op.batch_alter_table('orders') as b:
        b.add_column(sa.Column('tax_total', _AMOUNT, nullable=False, server_default='0'))
        b.add_column(sa.Column('prices_include_tax', sa.Boolean(), nullable=False,
                               server_default='1'))
        b.add_column(sa.Column('paid', _AMOUNT, nullable=False, server_default='0'))
        b.add_column(sa.Column('refunded', _AMOUNT, nullable=False, server_default='0'))
    _backfill()
    with op.batch_alter_table('orders') as b:
        b.create_check_constraint(op.f('ck_orders_refunds_within_payments'),
                                  'refunded >= 0 AND refunded <= paid')
    _create_tables()


def _backfill() -> None:
    op.execute("UPDATE orders SET paid = total WHERE payment_status <> 'pending'")
    op.execute("""UPDATE orders SET refunded = (
        SELECT CASE WHEN COALESCE(SUM(r.refund_amount), 0) > orders.paid THEN orders.paid
                    ELSE COALESCE(SUM(r.refund_amount), 0) END
        FROM returns r WHERE r.order_id = orders.id)""")
    conn = op.get_bind()
    methods = sa.table('shipping_methods', sa.column('code', sa.String),
                       sa.column('price', _AMOUNT), sa.column('currency', sa.String),
                       sa.column('prices', sa.JSON))
    for code, price, currency in conn.execute(sa.select(
            methods.c.code, methods.c.price, methods.c.currency)).all():
        if price is not None and currency:
            conn.execute(methods.update().where(methods.c.code == code).values(
                prices={currency: str(price)}))


def _create_tables() -> None:
    op.create_table(
        'payments',
        sa.Column('id', _ID, primary_key=True, autoincrement=True),
        sa.Column('order_id', _ID, nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('amount', _AMOUNT, nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('method', sa.String(length=64), nullable=True),
        sa.Column('reference', sa.String(length=200), nullable=True),
        sa.Column('return_id', _ID, nullable=True),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint('amount > 0', name=op.f('ck_payments_amount_positive')),
        sa.ForeignKeyConstraint(['order_id'], ['orders.id'],
                                name=op.f('fk_payments_order_id_orders')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_payments')),
    )
    op.create_index(op.f('ix_payments_order_id'), 'payments', ['order_id'])
    op.create_table(
        'journal_lines',
        sa.Column('id', _ID, primary_key=True, autoincrement=True),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column('entry', sa.String(length=40), nullable=False),
        sa.Column('account', sa.String(length=32), nullable=False),
        sa.Column('debit', _AMOUNT, nullable=False),
        sa.Column('credit', _AMOUNT, nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('debit_base', _AMOUNT, nullable=True),
        sa.Column('credit_base', _AMOUNT, nullable=True),
        sa.Column('order_id', _ID, nullable=True),
        sa.Column('return_id', _ID, nullable=True),
        sa.Column('memo', sa.String(length=300), nullable=False, server_default=''),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_journal_lines')),
    )
    op.create_index(op.f('ix_journal_lines_day'), 'journal_lines', ['day'])
    op.create_index(op.f('ix_journal_lines_order_id'), 'journal_lines', ['order_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_journal_lines_order_id'), table_name='journal_lines')
    op.drop_index(op.f('ix_journal_lines_day'), table_name='journal_lines')
    op.drop_table('journal_lines')
    op.drop_index(op.f('ix_payments_order_id'), table_name='payments')
    op.drop_table('payments')
    with op.batch_alter_table('orders') as b:
        b.drop_constraint(op.f('ck_orders_refunds_within_payments'), type_='check')
        for column in ('refunded', 'paid', 'prices_include_tax', 'tax_total'):
            b.drop_column(column)
    with op.batch_alter_table('return_lines') as b:
        b.drop_column('tax_rate')
        b.drop_column('order_line_id')
    with op.batch_alter_table('order_lines') as b:
        b.drop_column('tax_rate')
    with op.batch_alter_table('shipping_methods') as b:
        b.drop_column('prices')
    with op.batch_alter_table('products') as b:
        b.drop_column('tax_rate')
