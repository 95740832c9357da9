"""Alembic environment: migrates the engine handed over in `config.attributes`."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import bot.storage.models  # noqa: F401  (registers the tables on SQLModel.metadata)
from bot.storage.db import make_engine

config = context.config
connection = config.attributes.get("connection")


def _run(connection_: Connection) -> None:
    context.configure(
        connection=connection_,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite can only ALTER tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:
    with make_engine(config.get_main_option("sqlalchemy.url") or "").connect() as conn:
        _run(conn)
