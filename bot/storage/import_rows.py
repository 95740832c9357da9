"""The rows an import compares against, read once per table, and its inserts sent in bulk.

A national set-up has tens of thousands of rows. Asking the database for each one, and
flushing each new row on its own, cost a round trip and an autoflush per row (measured: 80 s
for 3,300 units on SQLite, 15x a bare bulk insert). Instead each table is read once, new rows
that nothing else refers to wait in a list and go in bulk `INSERT`s, and so do the audit
events that describe them. New clusters, units, pledges and indicators, whose ids the rows
after them need, are plain values too, inserted a table at a time with `RETURNING id`: an
ORM row costs about 250 µs to build and flush, a plain one a tenth of that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from itertools import islice
from typing import Any, Protocol, TypeVar

from sqlalchemy import Table, bindparam, delete, insert, update
from sqlmodel import Session, SQLModel, select

from bot.storage.models import AuditEvent, Cluster, Indicator, Pledge, Target, Unit

__all__ = ["Importing", "StoredRows", "codes_by_code", "is_waiting"]

Row = TypeVar("Row", bound=SQLModel)
Key = tuple[Any, ...]
Item = TypeVar("Item")
_CHUNK = 5_000  # rows a bulk statement
# Tables read as plain values rather than ORM rows: a national set-up's 49,500 targets, which
# only the import's own bulk statements change, cost a tenth of the time and memory so.
_PLAIN: tuple[type[SQLModel], ...] = (Target,)
# Tables whose new rows are plain values given their ids by a bulk insert (`give_ids`); the
# rows stored before the import stay ORM rows, which the importer may change in place.
NEW_AS_PLAIN: tuple[type[SQLModel], ...] = (Cluster, Unit, Pledge, Indicator)


class _Plain:
    """A row as plain values, an attribute a column (`_table` is its table); each table has
    its own subclass with a slot a column (`_plain_class`): 126,000 targets read back take
    15 MB so, 45 MB with a dictionary each."""

    __slots__ = ("id",)
    _table: Table
    id: int

    def __init__(self, **values: Any) -> None:
        for name, value in values.items():
            setattr(self, name, value)


class _Waiting(tuple[Any, ...]):
    """A new row waiting for its bulk insert: its column names, then their values."""

    __slots__ = ()

    def column(self, name: str) -> Any:
        return self[1 + self[0].index(name)]

    def values(self) -> dict[str, Any]:
        return dict(zip(self[0], self[1:], strict=True))


class Importing(Protocol):
    """What the set-up importer lends: its session, its upsert and its change record."""

    session: Session
    rows: StoredRows

    def upsert(
        self, model: type[Row], entity: str, key: str, match: dict[str, Any], values: dict[str, Any]
    ) -> Row: ...

    def record(self, action: str, entity: str, key: str, before: Any, after: Any) -> None: ...


class StoredRows:
    """Every row of a table by the columns an import matches it on, and the inserts pending."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._by_columns: dict[tuple[type[SQLModel], tuple[str, ...]], dict[Key, Any]] = {}
        # New rows by table and columns, as tuples: 120,000 targets take a third of the memory
        # as dictionaries do.
        self._pending: defaultdict[tuple[type[SQLModel], tuple[str, ...]], list[_Waiting]]
        self._pending = defaultdict(list)
        self._names: dict[tuple[str, ...], tuple[str, ...]] = {}
        self._stored: dict[type[SQLModel], list[Any]] = {}
        self._new: defaultdict[type[SQLModel], list[Any]] = defaultdict(list)  # rows or dicts
        self._groups: dict[tuple[type[SQLModel], str], dict[Any, list[Any]]] = {}
        self._updates: defaultdict[tuple[Table, tuple[str, ...]], list[dict[str, Any]]]
        self._updates = defaultdict(list)
        self._deletes: defaultdict[Table, list[int]] = defaultdict(list)
        self._unnumbered: defaultdict[type[SQLModel], list[_Plain]] = defaultdict(list)

    def find(self, model: type[Row], match: dict[str, Any]) -> Row | None:
        """The stored (or newly added) row whose columns equal `match`."""
        columns = tuple(sorted(match))
        return self._index(model, columns).get(tuple(match[c] for c in columns))

    def added(self, row: SQLModel) -> None:
        """A row the import added to the session: every index of its table knows it now."""
        self._new[type(row)].append(row)
        for (model, columns), index in self._by_columns.items():
            if model is type(row):
                index[tuple(getattr(row, c) for c in columns)] = row

    def insert_later(
        self, model: type[SQLModel], match: dict[str, Any], values: dict[str, Any]
    ) -> None:
        """A new row nothing refers to: inserted with the others of its table at `flush`."""
        names = (*match, *values)
        names = self._names.setdefault(names, names)  # one tuple for all the table's rows
        row = _Waiting((names, *match.values(), *values.values()))
        self._pending[(model, names)].append(row)
        self._new[model].append(row)
        for (indexed, columns), index in self._by_columns.items():
            if indexed is model:
                index[tuple(row.column(c) for c in columns)] = row

    def add_plain(self, model: type[Row], match: dict[str, Any], values: dict[str, Any]) -> Row:
        """A new row as plain values, without its id until `give_ids` inserts it."""
        table: Table = model.__table__  # type: ignore[attr-defined]
        row = _plain_class(table)(id=None, **(_defaults(model)() | match | values))
        self._unnumbered[model].append(row)
        self._new[model].append(row)
        for (indexed, columns), index in self._by_columns.items():
            if indexed is model:
                index[tuple(getattr(row, c) for c in columns)] = row
        return row  # type: ignore[return-value]  # read like the model's row: same attributes

    def give_ids(self) -> None:
        """Insert the plain new rows, a statement a table, and set the ids they were given."""
        connection = self.session.connection()
        for model, rows in self._unnumbered.items():
            table: Table = model.__table__  # type: ignore[attr-defined]
            names = [column.key for column in table.columns if column.key != "id"]
            returning = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            values = [{name: getattr(row, name) for name in names} for row in rows]
            for row, (given,) in zip(rows, connection.execute(returning, values), strict=True):
                row.id = given
        self._unnumbered.clear()

    def update(self, row: Any, values: dict[str, Any]) -> None:
        """Set `values` on a stored row: an ORM row's go with the session, a plain one's in bulk."""
        for name, value in values.items():
            setattr(row, name, value)
        if isinstance(row, _Plain):
            self._updates[(row._table, tuple(sorted(values)))].append({"row_id": row.id, **values})

    def delete(self, row: Any) -> None:
        """Delete a stored row: an ORM row with the session, a plain one in bulk."""
        if isinstance(row, _Plain):
            self._deletes[row._table].append(row.id)
        else:
            self.session.delete(row)

    def flush(self, events: Iterable[dict[str, Any]] = ()) -> None:
        """The ORM's pending rows first (bulk rows may refer to them), then the bulk rows and
        the audit `events`, a few thousand rows a statement: the driver's copy of every row
        at once would double the import's memory."""
        self.give_ids()
        self.session.flush()
        self._write_plain()
        tables: list[tuple[type[SQLModel], Iterable[dict[str, Any]]]] = [
            *((model, map(_Waiting.values, rows)) for (model, _), rows in self._pending.items()),
            (AuditEvent, events),
        ]
        for model, rows in tables:
            defaults = _defaults(model)
            for chunk in _chunks(rows, _CHUNK):
                given = defaults()  # one time for a chunk's rows: they go in one statement
                self._insert(model, [given | row for row in chunk])
        self._pending.clear()

    def _write_plain(self) -> None:
        """The plain rows' deletes and updates, a statement for each table and set of columns."""
        connection = self.session.connection()
        for table, ids in self._deletes.items():
            for chunk in _chunks(ids, _CHUNK):
                connection.execute(delete(table).where(table.c.id.in_(chunk)))
        for (table, names), rows in self._updates.items():
            values: dict[str, Any] = {name: bindparam(name) for name in names}
            connection.execute(
                update(table).where(table.c.id == bindparam("row_id")).values(values), rows
            )
        self._deletes.clear()
        self._updates.clear()

    def _insert(self, model: type[SQLModel], rows: list[dict[str, Any]]) -> None:
        connection = self.session.connection()
        table: Table = model.__table__  # type: ignore[attr-defined]
        dialect = connection.dialect
        if dialect.name not in ("postgresql", "sqlite"):
            connection.execute(insert(table), rows)  # Core: the ORM's bulk path adds a third
            return
        # Each value bound as SQLAlchemy would bind it (naive UTC times, JSON), then handed to
        # the driver whole: SQLAlchemy's executemany costs 8 µs a row more, half of it all.
        columns = [column for column in table.columns if column.key in rows[0]]
        binds = [(c.key, c.type._cached_bind_processor(dialect)) for c in columns]
        quote = dialect.identifier_preparer
        names = ", ".join(quote.quote(column.name) for column in columns)
        if dialect.name == "sqlite":
            marks = ", ".join("?" * len(columns))
            inserting = f"INSERT INTO {quote.format_table(table)} ({names}) VALUES ({marks})"
            values = [
                tuple(bind(row[key]) if bind else row[key] for key, bind in binds) for row in rows
            ]
            connection.exec_driver_sql(inserting, values)
            return
        # psycopg sends an executemany as a statement per row; COPY streams them all.
        copying = f"COPY {quote.format_table(table)} ({names}) FROM STDIN"
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor, cursor.copy(copying) as copy:
            for row in rows:
                copy.write_row([bind(row[key]) if bind else row[key] for key, bind in binds])

    def stored(self, model: type[Row], column: str, value: Any) -> list[Row]:
        """The rows stored before the import whose `column` is `value` (a pledge's indicators):
        the table is read once, not once per pledge. Rows the import adds are not among them."""
        key = (model, column)
        if key not in self._groups:
            groups: dict[Any, list[Any]] = defaultdict(list)
            for row in self._rows(model):
                groups[getattr(row, column)].append(row)
            self._groups[key] = groups
        return list(self._groups[key].get(value, ()))

    def _rows(self, model: type[SQLModel]) -> list[Any]:
        """The table's rows as stored when the import first asked for them, read once."""
        if model not in self._stored:
            if model in _PLAIN:
                table: Table = model.__table__  # type: ignore[attr-defined]
                # A few thousand rows at a time from the driver, not all of them at once.
                rows = self.session.execute(table.select().execution_options(yield_per=_CHUNK))
                plain = _plain_class(table)
                self._stored[model] = [plain(**row) for row in rows.mappings()]
            else:
                self._stored[model] = list(self.session.exec(select(model)).all())
        return self._stored[model]

    def _index(self, model: type[SQLModel], columns: tuple[str, ...]) -> dict[Key, Any]:
        key = (model, columns)
        if key not in self._by_columns:
            index = {tuple(getattr(row, c) for c in columns): row for row in self._rows(model)}
            for new in self._new[model]:  # added before this index was asked for
                index[
                    tuple(
                        new.column(c) if isinstance(new, _Waiting) else getattr(new, c)
                        for c in columns
                    )
                ] = new
            self._by_columns[key] = index
        return self._by_columns[key]


@cache
def _plain_class(table: Table) -> type[_Plain]:
    """The plain rows' class of `table`: a slot for each column."""
    slots = tuple(column.key for column in table.columns if column.key != "id")
    return type(f"Plain{table.name.title()}", (_Plain,), {"__slots__": slots, "_table": table})


def is_waiting(row: Any) -> bool:
    """Whether a row `find` gave is a new one waiting for its bulk insert (as the file says)."""
    return isinstance(row, _Waiting)


def _chunks(rows: Iterable[Item], size: int) -> Iterator[list[Item]]:
    """`rows` in lists of `size` (the last shorter), none if there are none."""
    each = iter(rows)
    while chunk := list(islice(each, size)):
        yield chunk


@cache
def _defaults(model: type[SQLModel]) -> Callable[[], dict[str, Any]]:
    """A new row's Python-side defaults (such as times), as the ORM would fill them in.

    Read from the fields once rather than by building the model: an instance costs 100 µs,
    and a national set-up inserts 120,000 rows (targets and their audit events)."""
    constants: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    for name, field in model.model_fields.items():
        if name == "id" or field.is_required():
            continue  # the id is the database's to give
        if field.default_factory is None:
            constants[name] = field.default
        else:
            factories[name] = field.default_factory  # type: ignore[assignment]
    return lambda: constants | {name: make() for name, make in factories.items()}


def codes_by_code(session: Session, pairs: Any, every: Any) -> dict[str, frozenset[str]]:
    """Code -> the codes `pairs` (rows of two codes) give it, for each code `every` selects."""
    grouped: dict[str, set[str]] = {code: set() for code in session.exec(every)}
    for outer, inner in session.exec(pairs).all():
        grouped[outer].add(inner)
    return {code: frozenset(found) for code, found in grouped.items()}
