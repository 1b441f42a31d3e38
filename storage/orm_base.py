"""The metadata every table module defines its tables on, and the id type they share.

A module of its own so that the table modules (storage.orm and the modules of other
contexts, which it re-exports) import it, not each other: any of them may be imported first.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, MetaData
from sqlalchemy.types import TypeEngine

metadata: MetaData = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})
# SQLite only gives AUTOINCREMENT-like rowids to INTEGER primary keys.
BigId: TypeEngine[int] = BigInteger().with_variant(Integer(), "sqlite")
