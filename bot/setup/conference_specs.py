"""A set-up file's conferences and votes, and a cluster's later leaders, once checked."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.domain.agenda import AgendaItem
from bot.domain.tally import MORE_THAN_HALF, Base, Threshold, VoteRules

__all__ = ["ConferenceSpec", "LeaderSpec", "VoteSpec"]


@dataclass(frozen=True)
class LeaderSpec:
    """A later year's chair and vice-chair units, as far as they are decided."""

    year: int
    chair: str | None = None
    vice_chair: str | None = None


@dataclass(frozen=True)
class VoteSpec:
    """A vote of a conference: an election among units, or an approval."""

    code: str
    title: str
    approval: bool = False  # Tán thành / Không tán thành / Không có ý kiến
    secret: bool = True
    seats: int = 1
    candidates: tuple[str, ...] = ()  # unit codes; empty: all the cluster's units
    threshold: Threshold = MORE_THAN_HALF
    base: Base = Base.PRESENT
    quorum: Threshold = MORE_THAN_HALF
    elects: str | None = None  # `chair` or `vice_chair` of the cluster for `year`
    year: int | None = None

    @property
    def rules(self) -> VoteRules:
        return VoteRules(
            seats=self.seats, threshold=self.threshold, base=self.base, quorum=self.quorum
        )


@dataclass(frozen=True)
class ConferenceSpec:
    """A conference of a cluster (hội nghị sơ kết, tổng kết, phát động), times local-aware."""

    code: str
    name: str
    cluster: str
    kind: str
    starts: datetime
    place: str
    invite: datetime
    rsvp_by: datetime
    delegates: int  # at most per unit, the head of delegation included
    timezone: str
    period: str | None = None
    host: str | None = None  # None: the chair's unit for the conference's year
    ends: datetime | None = None
    place_name: str | None = None  # None: the cluster's
    reminder_minutes: tuple[int, ...] = ()  # before rsvp_by, latest first
    agenda: tuple[AgendaItem, ...] = ()  # empty: the template of the kind
    votes: tuple[VoteSpec, ...] = ()
