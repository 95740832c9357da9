"""Closing a vote: the count kept for the minutes, a leader elected, the group told (one place
for `/closevote` and for the last eligible unit's ballot)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.domain.terms import cluster_terms
from bot.notices.vote_texts import leader_line
from bot.notices.votes import group_language, publish_tally, refresh_posts
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.models import Cluster
from bot.storage.vote_results import Counted, apply_election, count_vote, result_record
from bot.storage.votes import close_vote

__all__ = ["finish_vote"]


def finish_vote(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    actor: str,
    now: datetime,
) -> Counted | None:
    """Close the vote and publish its count; None if it was not open any more."""
    if not close_vote(session, conference=conference, vote=vote, actor=actor, now=now):
        return None
    counted = count_vote(session, vote)
    if counted is None:  # an open vote always has its opening row
        return None
    counted.opening.result = result_record(counted)
    session.add(counted.opening)
    cluster = session.get(Cluster, conference.cluster_id)
    locale = group_language(session, conference)  # the count and its leader go to the groups
    leader = ""
    if cluster is not None:
        code = apply_election(session, counted=counted, cluster=cluster, actor=actor, now=now)
        if code is not None and vote.elects_year is not None:
            terms = cluster_terms(cluster.kind, locale)
            role = terms.chair if vote.elects == "chair" else terms.vice_chair
            leader = leader_line(counted.names.get(code, code), role, vote.elects_year, locale)
    publish_tally(session, conference=conference, counted=counted, now=now, leader=leader)
    refresh_posts(session, conference=conference, vote=vote, now=now)
    session.flush()
    return counted
