"""Constructors of the mapped domain classes without an attribute event per field.

A mapped class's `__init__` is SQLAlchemy's: it makes the instance state, then runs the
class's own `__init__` (`ClassManager.original_init`), whose every `self.x = value` goes
through the attribute's event machinery (history, the modified flag, about 1.4 µs each on
the bench machine). The 33 fields of an `Order` then cost 77 µs, where the plain dataclass
takes 4 µs, and order intake builds about ten such objects per order.

A new object needs none of that history: an INSERT takes its values from the instance dict
(`Mapper._collect_insert_commands`), and an object loaded from the database gets its
columns written into that dict the same way, without events. So the dataclass's own
`__init__` runs on a plain stand-in object, and its fields are copied into the instance
dict in one step. Relationship collections are the exception, because the flush syncs the
foreign keys of the *added* children from their history: a non-empty one is set through
the instrumented attribute as before, and an empty one is made with the public
`set_committed_value`, the loader's way of setting a collection (later appends are
recorded as added, as usual).

Written here because SQLAlchemy has no constructor without events for new objects (its
bulk INSERT takes dicts, not the domain's objects). It replaces one attribute of the class
manager (`sqlalchemy.orm.instrumentation.ClassManager.original_init`, an internal that
the instrumented `__init__` calls; pyproject bounds SQLAlchemy below 2.2), and
`tests/integration/test_orm_init.py` holds the ORM's behaviour with it: flushes, foreign
keys of given and appended children, empty collections.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Mapper
from sqlalchemy.orm.attributes import set_committed_value


def install(mapper: Mapper[Any]) -> None:
    """Give `mapper`'s class the event-free field copy; a class that is not a plain
    dataclass (a `__post_init__` needs the real instance) keeps SQLAlchemy's."""
    cls = mapper.class_
    manager = mapper.class_manager
    dataclass_init = manager.original_init
    if (not dataclasses.is_dataclass(cls) or hasattr(cls, "__post_init__")
            or dataclass_init is None or getattr(dataclass_init, "_omsbot_fields", False)):
        return
    manager.original_init = _fields_init(cls.__name__, dataclass_init,
                                         tuple(mapper.relationships.keys()))


def _fields_init(name: str, dataclass_init: Callable[..., None],
                 collections: tuple[str, ...]) -> Callable[..., None]:
    stand_in = type(f"{name}Fields", (), {})

    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        fields = stand_in()
        dataclass_init(fields, *args, **kwargs)
        values = fields.__dict__
        members = [(key, values.pop(key)) for key in collections if key in values]
        self.__dict__.update(values)
        for key, value in members:
            if value:  # the flush syncs the children's foreign keys from this history
                setattr(self, key, value)
            else:  # nothing to sync: an empty collection, without events
                set_committed_value(self, key, value)

    init._omsbot_fields = True  # type: ignore[attr-defined]
    init.__doc__ = dataclass_init.__doc__
    return init
