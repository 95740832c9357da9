"""`/invitation`: a conference's giấy mời, for the chair to sign and the units to keep."""

from __future__ import annotations

from bot.desk.papers import Paper, pick_paper_conference
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.reports.conference_papers import invitation_draft

__all__ = ["invitation"]


def invitation(desk: Desk, request: Request) -> list[Paper]:
    """`/invitation [conference]`: the chair's and the admin's, and an invited unit's too."""
    conference = pick_paper_conference(desk, request, 0, [], units_too=True)
    name, content = invitation_draft(desk.session, conference=conference, locale=desk.locale)
    what = desk._("Giấy mời dự {conference}").format(conference=conference.name)
    return [Paper(name, content, what, desk.locale)]
