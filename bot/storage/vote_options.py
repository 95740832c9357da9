"""A vote's options when it opens: its candidates in ranking order where the cluster is scored."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from bot.domain.scoring_table import APPROVED, CLUSTER, Ranking
from bot.domain.tally import Stance
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.conferences import conference_units
from bot.storage.scoring import load_scores

__all__ = ["ballot_options", "candidate_codes"]


def candidate_codes(session: Session, *, conference: Conference, vote: ConferenceVote) -> list[str]:
    """The vote's candidates among the cluster's units, in the set-up's order."""
    units = [unit.code for unit in conference_units(session, conference)]
    if not vote.candidates:
        return units
    wanted = set(vote.candidates)
    return [code for code in units if code in wanted]


def ballot_options(
    session: Session, *, conference: Conference, vote: ConferenceVote
) -> list[dict[str, Any]]:
    """`{"code", "rank", "total"}` for each option: the three stances of an approval, or the
    candidates ranked by the period's scores (the approved layer, else the cluster's)."""
    if vote.approval:
        return [{"code": stance.value, "rank": None, "total": None} for stance in Stance]
    codes = candidate_codes(session, conference=conference, vote=vote)
    ranking = _ranking(session, conference)
    if ranking is None:
        return [{"code": code, "rank": None, "total": None} for code in codes]
    ranked = {s.unit: s for s in ranking.standings if s.rank is not None}
    order = sorted(codes, key=lambda c: (c not in ranked, ranked[c].rank if c in ranked else 0))
    return [
        {
            "code": code,
            "rank": ranked[code].rank if code in ranked else None,
            "total": str(ranked[code].total) if code in ranked else None,
        }
        for code in order
    ]


def _ranking(session: Session, conference: Conference) -> Ranking | None:
    """The ranking of the conference's period in its cluster, if it has a scoring table."""
    if conference.period_id is None:
        return None
    scores = load_scores(
        session, period_id=conference.period_id, cluster_ids=[conference.cluster_id]
    ).get(conference.cluster_id)
    if scores is None:
        return None
    return scores.layer(APPROVED) or scores.layer(CLUSTER)
