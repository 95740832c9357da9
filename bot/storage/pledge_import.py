"""A set-up file's `registration: {opens, deadline}` of a pledge, written as its window."""

from __future__ import annotations

from typing import Any, Protocol

from sqlmodel import Session, SQLModel

from bot.setup.model import RegistrationSpec
from bot.storage.pledge_tables import DEFAULT_REMINDERS, PledgeWindow

__all__ = ["import_registration"]


class _Importer(Protocol):
    """What `bot/storage/setup_import.py` lends: its session and its audited upsert."""

    session: Session

    def upsert(
        self,
        model: type[Any],
        entity: str,
        key: str,
        match: dict[str, Any],
        values: dict[str, Any],
    ) -> SQLModel: ...


def import_registration(
    importer: _Importer, *, pledge_id: int, key: str, spec: RegistrationSpec | None
) -> None:
    """Create or update the pledge's registration window; a file without one changes nothing."""
    if spec is None:
        return
    values = {
        "opens_at": spec.opens,
        "deadline_at": spec.deadline,
        "timezone": spec.timezone,
        "reminder_offsets": list(spec.reminder_minutes or DEFAULT_REMINDERS),
        "digest_time": spec.digest or "08:00",
    }
    importer.upsert(PledgeWindow, "registration", key, {"pledge_id": pledge_id}, values)
