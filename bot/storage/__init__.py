"""Storage: SQLModel tables, engines, migrations and the queries the bot needs."""

from bot.storage.db import make_engine, once_more_if_disconnected, session_scope
from bot.storage.migrate import upgrade

__all__ = ["make_engine", "once_more_if_disconnected", "session_scope", "upgrade"]
