"""What every step of one person's turn reads: session, person, locale, clock, and its caches."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from bot.domain.i18n import DEFAULT_LOCALE, Translate, gettext_for, person_locale
from bot.domain.periods import Phase
from bot.storage.locks import phase_with, unit_phase
from bot.storage.models import Membership, Period, Person, Unit
from bot.storage.people import units_of

__all__ = ["Context"]


@dataclass(eq=False)
class Context:
    """One person's turn in the conversation; the steps of `bot/flow` all take it first."""

    session: Session
    person: Person
    locale: str
    now: datetime
    outlier_factor: Decimal
    default_locale: str = DEFAULT_LOCALE  # for people who have not chosen a language
    _: Translate = field(init=False, repr=False)
    # Read at most once per turn: several checks of one step ask the same.
    _units: list[tuple[Membership, Unit]] | None = field(default=None, init=False, repr=False)
    _phases: dict[tuple[int, int], Phase] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        self._ = gettext_for(self.locale)

    def locale_for(self, person: Person) -> str:
        """Another person's language, for a message queued to them."""
        return person_locale(person.language, self.default_locale)

    def member_units(self) -> list[tuple[Membership, Unit]]:
        """The units the person belongs to now, with their memberships."""
        if self._units is None:
            self._units = units_of(self.session, self.person)
        return self._units

    def member_unit(self, unit_id: int) -> Unit | None:
        """The unit `unit_id` if the person belongs to it."""
        return next((u for _m, u in self.member_units() if u.id == unit_id), None)

    def phase(self, period: Period, unit_id: int) -> Phase:
        """The period's phase for the unit, an admin's lock or unlock of the unit included."""
        key = (period.id or 0, unit_id)
        if key not in self._phases:
            self._phases[key] = unit_phase(
                self.session, period=period, unit_id=unit_id, now=self.now
            )
        return self._phases[key]

    def known_phase(self, period: Period, unit_id: int, lock: str | None) -> Phase:
        """`phase`, from the lock exception read with other rows: no query of its own."""
        key = (period.id or 0, unit_id)
        return self._phases.setdefault(key, phase_with(period, lock, self.now))
