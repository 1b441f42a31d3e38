"""The three reads of order placement in one statement.

`place_order` asks, in turn, for the order already stored under the request's channel and
external id (a retry), for the customer by e-mail, and for the stock levels of its SKU.
Each is a round trip to PostgreSQL (and a statement's own cost on either database), so
`read_ahead` asks all three at once, with LEFT JOINs from a one-row table: one row per
warehouse holding the SKU (or one row of NULLs), each repeating the order id and the
customer. The repositories then `take` their answer instead of asking; an answer is taken
once, only in the transaction that read it, and only for the same key: anything else asks
the database as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import and_, bindparam, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage import core_exec, orm

_KEY = "intake_reads.ahead"
_LEVEL_KEYS = ("sku", "warehouse", "on_hand", "reserved", "low_since")


def _statement() -> Any:
    o, c, s = orm.orders, orm.customers, orm.stock_levels
    one = select(literal_column("1").label("one")).subquery("one")
    joined = one.outerjoin(o, and_(o.c.channel == bindparam("channel"),
                                   o.c.external_id == bindparam("external_id"))
                           ).outerjoin(c, c.c.email == bindparam("email")
                                       ).outerjoin(s, s.c.sku == bindparam("sku"))
    return select(o.c.id.label("order_id"),
                  *(col.label(f"c_{col.key}") for col in c.columns),
                  *(s.c[key].label(f"s_{key}") for key in _LEVEL_KEYS)).select_from(joined)


_READ_AHEAD = _statement()


@dataclass
class _Ahead:
    transaction: object
    answers: dict[tuple[str, tuple[Any, ...]], Any] = field(default_factory=dict)


async def read_ahead(session: AsyncSession, channel: str, external_id: str,
                     email: str | None, sku: str | None) -> None:
    """Read the order id under (`channel`, `external_id`), the customer row of `email`
    and the stock-level rows of `sku` (None: not asked) in one statement, for `take`."""
    rows = (await core_exec.execute_fixed(session, _READ_AHEAD, {
        "channel": channel, "external_id": external_id, "email": email, "sku": sku})).rows
    first = rows[0]
    ahead = _Ahead(session.sync_session.get_transaction())
    ahead.answers[("order", (channel, external_id))] = first["order_id"]
    if email is not None:
        customer = {k[2:]: v for k, v in first.items() if k.startswith("c_")}
        ahead.answers[("customer", (email,))] = [] if customer["id"] is None else [customer]
    if sku is not None:
        ahead.answers[("levels", (sku,))] = [
            {key: row[f"s_{key}"] for key in _LEVEL_KEYS}
            for row in rows if row["s_sku"] is not None]
    session.info[_KEY] = ahead


MISSING = object()  # `take` had no answer: ask the database


def take(session: AsyncSession, kind: str, *key: Any) -> Any:
    """The answer `read_ahead` read for `kind` ("order": the id or None; "customer": a
    list of 0 or 1 row dicts; "levels": a list of row dicts) and `key`, once; MISSING when
    there is none for this transaction."""
    ahead: _Ahead | None = session.info.get(_KEY)
    if ahead is None:
        return MISSING
    if ahead.transaction is not session.sync_session.get_transaction():
        del session.info[_KEY]
        return MISSING
    return ahead.answers.pop((kind, key), MISSING)
