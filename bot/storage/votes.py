"""A conference's votes in the chat: made, opened, cast (one ballot per unit), closed.

Secret ballots never carry their unit, person or time (bot/storage/vote_tables.py); each new
ballot rewrites the vote's ballots in a random order under fresh random ids. Casts and the
close of one vote take its opening row's lock in turn (PostgreSQL), so the first confirmed
ballot of a unit is the one that counts and none lands after the close.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, insert
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from bot.storage.audit import record_event
from bot.storage.conference_tables import Attendance, Conference, ConferenceVote
from bot.storage.models import ClusterUnit, Unit
from bot.storage.types import require_id
from bot.storage.vote_tables import Ballot, VoteEligible, VoteOpening, VoteParticipation

__all__ = [
    "CHAT",
    "CLOSED",
    "OPEN",
    "OPENABLE",
    "Cast",
    "Outcome",
    "ballot_choices",
    "cast_ballot",
    "close_vote",
    "create_vote",
    "eligible_ids",
    "lock_opening",
    "new_receipt",
    "open_choices",
    "open_vote",
    "present_unit_ids",
    "receipts",
    "update_vote",
    "voted_ids",
]

DRAFT, CHAT, OPEN, CLOSED = "draft", "chat", "open", "closed"
# A file's draft or a vote made in the chat (which a later import leaves alone) may be opened.
OPENABLE = (DRAFT, CHAT)
_RANDOM = secrets.SystemRandom()


class Outcome(StrEnum):
    """What became of a ballot confirmed with «Bỏ phiếu»."""

    CAST = "cast"
    ALREADY = "already"  # the unit's ballot is in: another focal point was first
    CLOSED = "closed"
    NOT_ELIGIBLE = "not-eligible"


@dataclass(frozen=True)
class Cast:
    outcome: Outcome
    receipt: str | None = None
    voted: int = 0  # units that have voted, this one included
    eligible: int = 0


def new_receipt() -> str:
    """A receipt code: 64 random bits, as 16 hex digits."""
    return secrets.token_hex(8)


def create_vote(
    session: Session, *, conference: Conference, title: str, actor: str
) -> ConferenceVote:
    """A vote made in the chat with the defaults: one seat among all units, secret, >1/2."""
    votes = session.exec(
        select(ConferenceVote).where(ConferenceVote.conference_id == conference.id)
    ).all()
    codes = {vote.code for vote in votes}
    number = len(votes) + 1
    while f"bq-{number}" in codes:
        number += 1
    vote = ConferenceVote(
        conference_id=require_id(conference),
        code=f"bq-{number}",
        position=max((v.position for v in votes), default=-1) + 1,
        title=title[:500],
        state=CHAT,
    )
    session.add(vote)
    session.flush()
    _audit(session, actor, "vote.create", conference, vote, after={"title": vote.title})
    return vote


def update_vote(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    values: dict[str, Any],
    actor: str,
) -> None:
    """Change a chat-made vote's settings before it opens (audited)."""
    if vote.state != CHAT:
        raise ValueError("only a vote made in the chat is changed in the chat")
    before = {key: getattr(vote, key) for key in values}
    for key, value in values.items():
        setattr(vote, key, value)
    session.add(vote)
    _audit(session, actor, "vote.change", conference, vote, before=before, after=values)


def present_unit_ids(session: Session, *, conference: Conference) -> list[int]:
    """The cluster's units marked present, in the set-up's order."""
    query = (
        select(Attendance.unit_id)
        .join(ClusterUnit, col(ClusterUnit.unit_id) == Attendance.unit_id)
        .where(
            Attendance.conference_id == conference.id,
            Attendance.status == "present",
            ClusterUnit.cluster_id == conference.cluster_id,
        )
        .order_by(col(ClusterUnit.position))
    )
    return list(session.exec(query))


def open_vote(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    options: Sequence[dict[str, Any]],
    present: Sequence[int],
    members: int,
    actor: str,
    now: datetime,
) -> VoteOpening:
    """Open the vote: every unit present may vote, on these options in this order."""
    if vote.state not in OPENABLE:
        raise ValueError(f"vote {vote.code} is {vote.state}, not to be opened")
    vote_id = require_id(vote)
    vote.state, vote.opened_at = OPEN, now
    opening = VoteOpening(
        vote_id=vote_id,
        members=members,
        present=len(present),
        options=list(options),
        opened_by=actor,
        opened_at=now,
    )
    session.add_all([vote, opening, *(VoteEligible(vote_id=vote_id, unit_id=u) for u in present)])
    session.flush()
    after = {"members": members, "present": len(present), "options": [o["code"] for o in options]}
    _audit(session, actor, "vote.open", conference, vote, after=after)
    return opening


def lock_opening(session: Session, vote: ConferenceVote) -> VoteOpening | None:
    """The vote's opening row, locked until commit (PostgreSQL), with the vote read afresh."""
    opening = session.exec(
        select(VoteOpening)
        .where(VoteOpening.vote_id == vote.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    session.refresh(vote)
    return opening


def eligible_ids(session: Session, vote_id: int) -> list[int]:
    query = select(VoteEligible.unit_id).where(VoteEligible.vote_id == vote_id)
    return list(session.exec(query))


def voted_ids(session: Session, vote_id: int) -> set[int]:
    query = select(VoteParticipation.unit_id).where(VoteParticipation.vote_id == vote_id)
    return set(session.exec(query))


def cast_ballot(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    unit_id: int,
    person_id: int,
    choices: Sequence[str],
    actor: str,
    now: datetime,
) -> Cast:
    """The unit's ballot, if it is the first; the caller has checked the choices are valid."""
    opening = lock_opening(session, vote)
    if opening is None or vote.state != OPEN:
        return Cast(Outcome.CLOSED)
    vote_id = require_id(vote)
    eligible = eligible_ids(session, vote_id)
    if unit_id not in eligible:
        return Cast(Outcome.NOT_ELIGIBLE)
    receipt = new_receipt()
    if not _participate(session, vote, unit_id, person_id, choices, receipt, now):
        return Cast(Outcome.ALREADY, voted=len(voted_ids(session, vote_id)), eligible=len(eligible))
    if vote.secret:
        _rewrite_ballots(session, vote_id, (receipt, list(choices)))
    unit = session.get(Unit, unit_id)
    _audit(
        session,
        actor,
        "vote.cast",
        conference,
        vote,
        after={"unit": unit.code if unit else unit_id},
    )
    return Cast(Outcome.CAST, receipt, len(voted_ids(session, vote_id)), len(eligible))


def _participate(
    session: Session,
    vote: ConferenceVote,
    unit_id: int,
    person_id: int,
    choices: Sequence[str],
    receipt: str,
    now: datetime,
) -> bool:
    """Record that the unit has voted; False if it had (the unique key decides a race)."""
    row = VoteParticipation(
        vote_id=require_id(vote), unit_id=unit_id, person_id=person_id, voted_at=now
    )
    if not vote.secret:
        row.choices, row.receipt = list(choices), receipt
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return False
    return True


def _rewrite_ballots(session: Session, vote_id: int, new: tuple[str, list[str]]) -> None:
    """The vote's ballots with the new one, written again shuffled under fresh random ids:
    no row's id, place or transaction tells which ballot came last."""
    kept = [
        (row.receipt, list(row.choices))
        for row in session.exec(select(Ballot).where(Ballot.vote_id == vote_id))
    ]
    kept.append(new)
    _RANDOM.shuffle(kept)
    session.execute(delete(Ballot).where(col(Ballot.vote_id) == vote_id))
    rows = [
        {"id": secrets.token_hex(16), "vote_id": vote_id, "receipt": receipt, "choices": choices}
        for receipt, choices in kept
    ]
    session.execute(insert(Ballot), rows)
    session.expire_all()


def close_vote(
    session: Session, *, conference: Conference, vote: ConferenceVote, actor: str, now: datetime
) -> bool:
    """Close an open vote; False if it was not open (closed meanwhile, say)."""
    opening = lock_opening(session, vote)
    if opening is None or vote.state != OPEN:
        return False
    vote.state, vote.closed_at = CLOSED, now
    opening.closed_by, opening.closed_at = actor, now
    session.add_all([vote, opening])
    session.flush()
    _audit(session, actor, "vote.close", conference, vote)
    return True


def ballot_choices(session: Session, vote: ConferenceVote) -> list[list[str]]:
    """Every ballot's choices: a secret vote's in no particular order."""
    if vote.secret:
        rows = session.exec(select(Ballot.choices).where(Ballot.vote_id == vote.id))
        return [list(choices) for choices in rows]
    return [choices for _unit, choices in open_choices(session, vote)]


def open_choices(session: Session, vote: ConferenceVote) -> list[tuple[int, list[str]]]:
    """An open vote's (unit id, choices), in the order of voting."""
    rows = session.exec(
        select(VoteParticipation.unit_id, VoteParticipation.choices)
        .where(VoteParticipation.vote_id == vote.id)
        .order_by(col(VoteParticipation.id))
    )
    return [(unit_id, list(choices or [])) for unit_id, choices in rows]


def receipts(session: Session, vote: ConferenceVote) -> list[tuple[str, list[str]]]:
    """(receipt, choices) of every ballot, sorted by receipt (which says nothing of order)."""
    if vote.secret:
        kept = session.exec(select(Ballot).where(Ballot.vote_id == vote.id))
        return sorted((row.receipt, list(row.choices)) for row in kept)
    shown = session.exec(select(VoteParticipation).where(VoteParticipation.vote_id == vote.id))
    return sorted((row.receipt or "", list(row.choices or [])) for row in shown)


def _audit(
    session: Session,
    actor: str,
    action: str,
    conference: Conference,
    vote: ConferenceVote,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    key = f"{conference.code}/{vote.code}"
    record_event(
        session, actor=actor, action=action, entity="vote", entity_key=key,
        before=before, after=after,
    )  # fmt: skip
