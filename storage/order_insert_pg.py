"""A new order, its lines, parcels and parcel items in one PostgreSQL statement.

On PostgreSQL every statement is a round trip (a send, a wake-up of the server process,
a reply): an order's four INSERTs were 4 of the 14 of its transaction. Here they are one
statement of data-modifying CTEs (PostgreSQL docs, "WITH Queries", 7.8.4): the order's
INSERT … RETURNING id feeds the lines' and parcels' INSERT … SELECT, the parcels' ids
feed the items'. The new ids come back as arrays.

Which id belongs to which row: each INSERT … SELECT orders its rows by their position
(`n`), and PostgreSQL assigns the serial ids in that order, so the ids sorted ascending
are the rows in order. SQLAlchemy's own "insertmanyvalues" relies on the same behaviour
for `sort_by_parameter_order` (SQLAlchemy docs, "Correlating RETURNING rows to parameter
sets"). One statement is built per shape (lines, items per parcel) and cached.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Integer,
    Select,
    Table,
    func,
    insert,
    literal_column,
    select,
    true,
    union_all,
)
from sqlalchemy.dialects.postgresql import aggregate_order_by, array
from sqlalchemy.sql.expression import bindparam

from storage import orm

Shape = tuple[int, tuple[int, ...]]  # (lines, items of each parcel)
MAX_SHAPES = 256  # statements kept; an order of another shape takes the general path

_STATEMENTS: dict[Shape, Select[Any]] = {}


def _columns(table: Table, *skip: str) -> list[Any]:
    return [c for c in table.columns if c.key != "id" and c.key not in skip]


def _rows(table: Table, prefix: str, count: int, *skip: str,
          extra: tuple[Any, ...] = ()) -> Any:
    """`count` rows of named parameters (`{prefix}{i}_{column}`) with their position `n`,
    as a subquery."""
    cols = _columns(table, *skip)
    selects = [select(*[bindparam(f"{prefix}{i}_{c.key}", type_=c.type).label(c.key)
                        for c in cols], *[e(i) for e in extra],
                      literal_column(str(i), Integer).label("n")) for i in range(count)]
    return (selects[0] if count == 1 else union_all(*selects)).subquery(f"{prefix}v")


def statement(shape: Shape) -> Select[Any] | None:
    """The statement for orders of `shape`; None when too many shapes are cached."""
    found = _STATEMENTS.get(shape)
    if found is None and len(_STATEMENTS) < MAX_SHAPES:
        found = _STATEMENTS[shape] = _build(*shape)
    return found


def _build(lines: int, parcels: tuple[int, ...]) -> Select[Any]:
    o_t, l_t, s_t = orm.orders, orm.order_lines, orm.shipments
    o = insert(o_t).values({c.key: bindparam(f"o_{c.key}", type_=c.type)
                            for c in _columns(o_t)}).returning(o_t.c.id).cte("o")
    lv = _rows(l_t, "l", lines, "order_id")
    ln = insert(l_t).from_select(
        ["order_id", *[c.key for c in _columns(l_t, "order_id")]],
        select(o.c.id, *[lv.c[c.key] for c in _columns(l_t, "order_id")])
        .select_from(o.join(lv, true())).order_by(lv.c.n)).returning(l_t.c.id).cte("l")
    ids = [_ids(ln)]
    if parcels:
        sv = _rows(s_t, "s", len(parcels), "order_id")
        sh = insert(s_t).from_select(
            ["order_id", *[c.key for c in _columns(s_t, "order_id")]],
            select(o.c.id, *[sv.c[c.key] for c in _columns(s_t, "order_id")])
            .select_from(o.join(sv, true())).order_by(sv.c.n)).returning(s_t.c.id).cte("s")
        ids.append(_ids(sh))
        items = [j for j, count in enumerate(parcels) for _ in range(count)]
        if items:
            ids.append(_items(sh, items))
    empty = array([], type_=BigInteger)
    while len(ids) < 3:
        ids.append(empty)
    return select(o.c.id.label("order_id"), ids[0].label("line_ids"),
                  ids[1].label("shipment_ids"), ids[2].label("item_ids"))


def _items(sh: Any, parcel_of: list[int]) -> Any:
    """The items' INSERT, each item joined to its parcel by the parcel's position."""
    i_t = orm.shipment_items
    position = func.row_number().over(order_by=sh.c.id) - literal_column("1")
    numbered = select(sh.c.id, position.label("j")).subquery("sj")
    iv = _rows(i_t, "i", len(parcel_of), "shipment_id",
               extra=(lambda i: literal_column(str(parcel_of[i]), Integer).label("j"),))
    it = insert(i_t).from_select(
        ["shipment_id", *[c.key for c in _columns(i_t, "shipment_id")]],
        select(numbered.c.id, *[iv.c[c.key] for c in _columns(i_t, "shipment_id")])
        .select_from(numbered.join(iv, numbered.c.j == iv.c.j)).order_by(iv.c.n)
    ).returning(i_t.c.id).cte("i")
    return _ids(it)


def _ids(inserted: Any) -> Any:
    """The ids a CTE's INSERT returned, ascending, as one array."""
    return select(func.array_agg(aggregate_order_by(inserted.c.id, inserted.c.id))
                  ).scalar_subquery()


def parameters(order: Any, values: Any) -> dict[str, Any]:
    """The statement's parameters for `order` (`values(obj, table)`: a row's values)."""
    params = {f"o_{k}": v for k, v in values(order, orm.orders).items()}
    for prefix, table, objects, skip in (
            ("l", orm.order_lines, order.lines, "order_id"),
            ("s", orm.shipments, order.shipments, "order_id"),
            ("i", orm.shipment_items, [i for s in order.shipments for i in s.items],
             "shipment_id")):
        for n, obj in enumerate(objects):
            row = values(obj, table)
            params.update({f"{prefix}{n}_{c.key}": row[c.key] for c in _columns(table, skip)})
    return params

