"""return_attachments: files kept with a return (their bytes live under var/attachments)

Revision ID: 0004_attachments
Revises: 0004_fx
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.types import UTCDateTime

revision: str = '0004_attachments'
down_revision: str | None = '0004_orders'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'return_attachments',
        sa.Column('id', _ID, autoincrement=True, nullable=False),
        sa.Column('return_id', _ID, nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.BigInteger(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('created_at', UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['return_id'], ['returns.id'],
                                name=op.f('fk_return_attachments_return_id_returns')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_return_attachments')),
    )
    op.create_index(op.f('ix_return_attachments_return_id'), 'return_attachments',
                    ['return_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_return_attachments_return_id'), table_name='return_attachments')
    op.drop_table('return_attachments')
