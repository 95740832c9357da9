"""A vote counted from its stored ballots: for the group, the minutes and `thidua votes`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session, select

from bot.domain.tally import (
    MORE_THAN_HALF,
    ApprovalTally,
    Base,
    Stance,
    Tally,
    Turnout,
    VoteRules,
    count_approval,
    count_votes,
    parse_threshold,
)
from bot.storage.audit import record_event
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.conferences import conference_units, votes_of
from bot.storage.models import Cluster, ClusterLeadership, Unit
from bot.storage.types import require_id
from bot.storage.vote_tables import VoteOpening
from bot.storage.votes import CLOSED, ballot_choices, eligible_ids, open_choices, receipts

if TYPE_CHECKING:
    from bot.documents.model import VoteTally

__all__ = ["Counted", "apply_election", "count_vote", "result_record", "rules_of", "vote_tallies"]


@dataclass(frozen=True)
class Counted:
    """A vote's count and what its texts name: units by name, receipts, open choices."""

    vote: ConferenceVote
    opening: VoteOpening
    tally: Tally | ApprovalTally
    names: dict[str, str]  # unit code -> name
    receipts: tuple[tuple[str, tuple[str, ...]], ...]  # sorted by receipt
    by_unit: tuple[tuple[str, tuple[str, ...]], ...]  # open votes: (unit name, choices)
    eligible: int

    @property
    def turnout(self) -> Turnout:
        return Turnout(members=self.opening.members, present=self.opening.present)

    @property
    def options(self) -> list[str]:
        return [str(option["code"]) for option in self.opening.options]


def rules_of(vote: ConferenceVote) -> VoteRules:
    """The vote's settings as the count reads them (a bad notation falls back to >1/2)."""
    return VoteRules(
        seats=max(1, vote.seats),
        threshold=parse_threshold(vote.threshold) or MORE_THAN_HALF,
        base=Base(vote.base) if vote.base in (Base.PRESENT, Base.ALL) else Base.PRESENT,
        quorum=parse_threshold(vote.quorum) or MORE_THAN_HALF,
    )


def count_vote(session: Session, vote: ConferenceVote) -> Counted | None:
    """The count of an opened vote so far (or final, once closed); None if never opened."""
    opening = session.get(VoteOpening, vote.id)
    if opening is None:
        return None
    rules = rules_of(vote)
    turnout = Turnout(members=opening.members, present=opening.present)
    ballots = ballot_choices(session, vote)
    tally: Tally | ApprovalTally
    if vote.approval:
        tally = count_approval(rules, [b[0] if b else Stance.ABSTAIN for b in ballots], turnout)
    else:
        options = [str(option["code"]) for option in opening.options]
        tally = count_votes(rules, options, ballots, turnout)
    names = _unit_names(session, vote)
    by_unit = tuple(
        (names.get(_code(session, unit_id), ""), tuple(choices))
        for unit_id, choices in (() if vote.secret else open_choices(session, vote))
    )
    kept = tuple((receipt, tuple(choices)) for receipt, choices in receipts(session, vote))
    eligible = len(eligible_ids(session, require_id(vote)))
    return Counted(vote, opening, tally, names, kept, by_unit, eligible)


def _unit_names(session: Session, vote: ConferenceVote) -> dict[str, str]:
    conference = session.get(Conference, vote.conference_id)
    units = conference_units(session, conference) if conference else []
    return {unit.code: unit.name for unit in units}


def _code(session: Session, unit_id: int) -> str:
    unit = session.get(Unit, unit_id)
    return unit.code if unit else ""


def result_record(counted: Counted) -> dict[str, Any]:
    """The count as plain data, kept with the opening when the vote closes."""
    tally = counted.tally
    record: dict[str, Any] = {
        "ballots": tally.ballots,
        "eligible": counted.eligible,
        "members": counted.opening.members,
        "present": counted.opening.present,
        "base": tally.base,
        "receipts": [[receipt, list(choices)] for receipt, choices in counted.receipts],
        "by_unit": [[name, list(choices)] for name, choices in counted.by_unit],
    }
    if isinstance(tally, ApprovalTally):
        return record | {
            "for": tally.in_favour,
            "against": tally.against,
            "abstaining": tally.abstaining,
            "approved": tally.approved,
        }
    return record | {
        "votes": {result.candidate: result.votes for result in tally.results},
        "elected": list(tally.elected),
        "tied": list(tally.tied),
        "abstentions": tally.abstentions,
    }


def apply_election(
    session: Session, *, counted: Counted, cluster: Cluster, actor: str, now: datetime
) -> str | None:
    """A vote that `elects` a chair or vice-chair makes its one elected unit that leader for
    its year (audited); the unit's code, or None when no one is elected outright."""
    vote, tally = counted.vote, counted.tally
    if vote.elects not in ("chair", "vice_chair") or vote.elects_year is None:
        return None
    if not isinstance(tally, Tally) or len(tally.elected) != 1 or tally.tied:
        return None
    unit = session.exec(select(Unit).where(Unit.code == tally.elected[0])).one()
    row = session.exec(
        select(ClusterLeadership).where(
            ClusterLeadership.cluster_id == cluster.id, ClusterLeadership.year == vote.elects_year
        )
    ).first()
    if row is None:
        row = ClusterLeadership(cluster_id=require_id(cluster), year=vote.elects_year)
    column = f"{vote.elects}_unit_id"
    before = getattr(row, column)
    setattr(row, column, require_id(unit))
    session.add(row)
    record_event(
        session, actor=actor, action="leadership.elected", entity="leadership",
        entity_key=f"{cluster.code}/{vote.elects_year}",
        before={column: before}, after={column: unit.id, "vote": vote.code},
    )  # fmt: skip
    return unit.code


def vote_tallies(session: Session, conference_id: int) -> list[VoteTally]:
    """The conference's closed votes as the minutes write them (bot/documents/model.py)."""
    from bot.documents.votes import approval_tally, election_tally

    tallies: list[VoteTally] = []
    for vote in votes_of(session, conference_id=conference_id):
        counted = count_vote(session, vote) if vote.state == CLOSED else None
        if counted is None:
            continue
        if isinstance(counted.tally, ApprovalTally):
            tally = approval_tally(vote.title, counted.tally, counted.turnout, secret=vote.secret)
        else:
            tally = election_tally(
                vote.title, counted.tally, counted.turnout, names=counted.names, secret=vote.secret
            )
        tallies.append(tally)
    return tallies
