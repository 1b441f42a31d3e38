"""money follow-up: refunds beyond goods and shipping get their own account

A refund above the goods and shipping it gives back (goodwill, a price difference) was
booked on `refunds`, the account the reports read as goods refunded; it moves to
`extra_refunds`, so `refunds` holds returned goods only (net of VAT). Data only: the
journal lines whose memo says "refunded beyond goods and shipping".

Revision ID: 0006_extra_refunds
Revises: 0005_adjustments
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006_extra_refunds'
down_revision: str | None = '0005_adjustments'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_MEMO = 'refunded beyond goods and shipping%'


def _move(source: str, target: str) -> None:
    op.execute(sa.text("UPDATE journal_lines SET account = :target "
                       "WHERE account = :source AND memo LIKE :memo")
               .bindparams(source=source, target=target, memo=_MEMO))


def upgrade() -> None:
    _move('refunds', 'extra_refunds')


def downgrade() -> None:
    _move('extra_refunds', 'refunds')
