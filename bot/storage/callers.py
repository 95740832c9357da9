"""The caller behind a person: the roles the policy of bot/domain/roles.py asks about."""

from __future__ import annotations

from sqlmodel import Session

from bot.domain.roles import Caller
from bot.storage.directory import chaired_by
from bot.storage.models import Person
from bot.storage.people import units_of
from bot.storage.types import require_id

__all__ = ["caller_for"]


def caller_for(session: Session, *, person: Person, admins: frozenset[int], year: int) -> Caller:
    """The caller behind a person in `year` (local): admin flag or setting, chairs, units."""
    units = frozenset(require_id(unit) for _membership, unit in units_of(session, person))
    return Caller(
        telegram_id=person.telegram_id,
        is_admin=person.is_admin or person.telegram_id in admins,
        chairs=chaired_by(session, require_id(person)),
        units=units,
        year=year,
    )
