"""Several fixed statements in one PostgreSQL round trip, as data-modifying CTEs.

    WITH w0 AS (INSERT …), w1 AS (INSERT … RETURNING id), w2 AS (UPDATE … RETURNING 1)
    SELECT (SELECT * FROM w1), (SELECT count(*) FROM w2)

PostgreSQL runs each data-modifying sub-statement of a WITH exactly once and to
completion, whether or not the main query reads it, all on one snapshot; their order is
unspecified and none sees another's rows (PostgreSQL docs, 7.8.4 "Data-Modifying
Statements in WITH"). Foreign keys are checked at the end of the whole statement. So
what goes together are writes that do not depend on each other: INSERTs of new rows whose
keys are known, and at most one conditional UPDATE (one row lock, so lock order is kept).

Each part is a statement compiled by SQLAlchemy for asyncpg (`$1::TYPE` placeholders);
its placeholders are renumbered after the parts before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

# A statement has at most 32,767 parameters (the protocol's Int16 count): a batch stops
# well before, and is sent, when the next part would pass this.
MAX_PARAMETERS = 20_000
_PLACEHOLDER = re.compile(r"\$(\d+)")


class Want(Enum):
    NOTHING = "nothing"  # the write only
    VALUE = "value"  # the first column of its one RETURNING row (a new id)
    COUNT = "count"  # how many rows it wrote (a conditional UPDATE … RETURNING)


@dataclass(frozen=True)
class Part:
    sql: str  # one INSERT or UPDATE, compiled for asyncpg
    parameters: int  # how many placeholders it has ($1 … $n)
    want: Want


@lru_cache(maxsize=128)
def combined_sql(parts: tuple[Part, ...]) -> str:
    """One statement running every part; its one row has a column per part that wants
    something (VALUE: the returned value or NULL; COUNT: a bigint), in the parts' order.
    The parameters are the parts', one after the other."""
    ctes: list[str] = []
    columns: list[str] = []
    offset = 0
    for n, part in enumerate(parts):
        ctes.append(f"w{n} AS ({_renumbered(part.sql, offset)})")
        offset += part.parameters
        if part.want is Want.VALUE:
            columns.append(f"(SELECT * FROM w{n})")  # noqa: S608 (our own names)
        elif part.want is Want.COUNT:
            columns.append(f"(SELECT count(*) FROM w{n})")  # noqa: S608
    return f"WITH {', '.join(ctes)} SELECT {', '.join(columns) or '1'}"


def _renumbered(sql: str, offset: int) -> str:
    if not offset:
        return sql
    return _PLACEHOLDER.sub(lambda m: f"${int(m.group(1)) + offset}", sql)
