"""The vote engine's counts (bot/domain/tally.py) as the rows the minutes write down."""

from __future__ import annotations

from collections.abc import Mapping

from bot.documents.model import TallyRow, VoteTally
from bot.domain.tally import (
    ApprovalTally,
    Base,
    Stance,
    Tally,
    Turnout,
    VoteRules,
    stance_label,
)

__all__ = ["approval_tally", "election_tally"]


def election_tally(
    title: str,
    tally: Tally,
    turnout: Turnout,
    *,
    names: Mapping[str, str],
    secret: bool = True,
) -> VoteTally:
    """An election (suy tôn, bầu): each candidate (by its unit's name), elected or not."""
    elected = set(tally.elected)
    rows = tuple(
        TallyRow(
            names.get(result.candidate, result.candidate), result.votes, result.candidate in elected
        )
        for result in tally.results
    )
    return _tally(
        title, tally.rules, rows, turnout, tally.ballots, tally.quorum_met, secret, bool(tally.tied)
    )


def approval_tally(
    title: str, tally: ApprovalTally, turnout: Turnout, *, secret: bool = False, locale: str = "vi"
) -> VoteTally:
    """An approval (thông qua): for, against and abstaining; «Tán thành» passes if approved."""
    rows = (
        TallyRow(stance_label(Stance.FOR, locale), tally.in_favour, tally.approved),
        TallyRow(stance_label(Stance.AGAINST, locale), tally.against),
        TallyRow(stance_label(Stance.ABSTAIN, locale), tally.abstaining),
    )
    return _tally(title, tally.rules, rows, turnout, tally.ballots, tally.quorum_met, secret, False)


def _tally(
    title: str,
    rules: VoteRules,
    rows: tuple[TallyRow, ...],
    turnout: Turnout,
    ballots: int,
    quorum_met: bool,
    secret: bool,
    tie: bool,
) -> VoteTally:
    return VoteTally(
        title=title,
        rows=rows,
        units_total=turnout.members,
        units_present=turnout.present,
        ballots=ballots,
        threshold=str(rules.threshold),
        base="present" if rules.base is Base.PRESENT else "all",
        quorum=str(rules.quorum),
        quorum_met=quorum_met,
        secret=secret,
        tie=tie,
    )
