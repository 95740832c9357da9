"""Writing a loaded row's columns, or a new row, by one Core statement built once per shape.

The steps of a conversation change a column or two of a row they read (a draft's cursor, the
person's active draft, an answer): the ORM's unit of work (dirty tracking, a flush that sorts
and batches) costs several times what the UPDATE itself does, at every answer. These write at
once, in the session's transaction, and keep the loaded object in step without dirtying it.
"""

from __future__ import annotations

import threading
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import bindparam, insert, inspect, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

__all__ = ["insert_row", "update_row"]

Row = TypeVar("Row")

_statements: dict[tuple[str, Any, tuple[str, ...]], Any] = {}
_lock = threading.Lock()


def update_row(session: Session, row: Any, **values: Any) -> None:
    """Give the row these column values now: a loaded ORM object is kept in step without being
    made dirty, a plain row of a table (one with `__table__`, e.g. `AnswerRow`) is changed; an
    object not in the database yet gets them the ORM way (its INSERT at the next flush)."""
    state = inspect(row, raiseerr=False)
    if state is not None and not state.persistent:
        for name, value in values.items():
            setattr(row, name, value)
        return
    statement = _statement("update", type(row).__table__, tuple(values))
    params = {f"v_{name}": value for name, value in values.items()}
    session.connection().execute(statement, {"row_id": row.id, **params})
    for name, value in values.items():
        if state is None:
            setattr(row, name, value)
        else:
            set_committed_value(row, name, value)


def insert_row(session: Session, model: type[Row], **values: Any) -> Row:
    """A new row with these column values (the others their database defaults), inserted now,
    its id read back by the INSERT itself: a loaded object of the session for an ORM model, a
    new plain row for a plain row's class (such as `AnswerRow`)."""
    statement = _statement("insert", model, tuple(values))
    params = {f"v_{name}": value for name, value in values.items()}
    if _is_plain(model):
        return model(*session.connection().execute(statement, params).one())
    return session.scalars(statement, params).one()  # type: ignore[no-any-return]


def _is_plain(model: type[Any]) -> bool:
    """Whether `model` is a plain row's class (a dataclass of a table's columns), not mapped."""
    return inspect(model, raiseerr=False) is None


def _statement(kind: str, target: Any, names: tuple[str, ...]) -> Any:
    """The UPDATE by id of a table, or a model's INSERT ... RETURNING, of these columns;
    built on first use."""
    key = (kind, target, names)
    statement = _statements.get(key)
    if statement is None:
        table = target if kind == "update" else target.__table__
        values = {name: bindparam(f"v_{name}", type_=table.c[name].type) for name in names}
        if kind == "update":
            statement = update(table).where(table.c.id == bindparam("row_id")).values(values)
        elif _is_plain(target):  # the columns in the order of its fields
            columns = [table.c[field.name] for field in fields(target)]
            statement = insert(table).values(values).returning(*columns)
        else:
            returned = insert(table).values(values).returning(*table.columns)
            # Its values are all given: nothing pending in the session needs flushing first.
            statement = select(target).from_statement(returned).execution_options(autoflush=False)
        with _lock:
            statement = _statements.setdefault(key, statement)
    return statement
