"""What the document commands share: a paper to send (Word, then PDF) and the conference whose
papers the caller may have."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from sqlmodel import col, select

from bot.desk.pickers import choice, outside
from bot.desk.request import Request, token_id
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.send import Attachment
from bot.edge.turn import Ask
from bot.storage.conference_tables import Conference
from bot.storage.models import ClusterUnit

__all__ = ["Paper", "conference_token", "pick_paper_conference"]

# Conferences offered by buttons: those still to come, and those of the last weeks, whose
# minutes are written after the day.
_RECENT = timedelta(days=45)


@dataclass(frozen=True)
class Paper:
    """A document for a person: its .docx, its name, and what it is in the person's words."""

    file_name: str
    content: bytes
    what: str  # "Dự thảo báo cáo sơ kết … – Cụm thi đua số 2"
    locale: str

    def docx(self) -> Attachment:
        """The Word file, captioned as the draft to finish."""
        _ = gettext_for(self.locale)
        caption = _("📄 {what} – bản Word (.docx) để chỉnh sửa.")
        return Attachment(self.file_name, self.content, caption=caption.format(what=self.what))

    def pdf(self, content: bytes) -> Attachment:
        """The same paper as PDF, which phones show without Word."""
        _ = gettext_for(self.locale)
        caption = _("📄 {what} – bản PDF để xem và in.")
        name = self.file_name.removesuffix(".docx") + ".pdf"
        return Attachment(name, content, caption=caption.format(what=self.what))


def conference_token(conference: Conference) -> str:
    """The conference in button data: `#k12`."""
    return f"#k{conference.id}"


def pick_paper_conference(
    desk: Desk, request: Request, index: int, prefix: Sequence[str], *, units_too: bool = False
) -> Conference:
    """Word `index` as a conference of a cluster the caller leads (or, with `units_too`, one
    their unit was invited to); the only one on offer is taken as given."""
    reachable = _reachable(desk, units_too)
    text = request.word(index)
    if text is None:
        offered = [c for c in reachable if c.starts_at >= desk.now - _RECENT]
        if len(offered) == 1:
            return offered[0]
        raise _ask(desk, request, prefix, offered)
    conference = _named(desk, text)
    if conference is None:
        first = Reply(desk._("Không tìm thấy hội nghị «{code}».").format(code=text))
        offered = [c for c in reachable if c.starts_at >= desk.now - _RECENT]
        raise Ask([first, *_ask(desk, request, prefix, offered).items])
    if conference.id not in {c.id for c in reachable}:
        raise outside(desk, conference.name)
    return conference


def _named(desk: Desk, text: str) -> Conference | None:
    row_id = token_id(text, "k")
    if row_id is not None:
        return desk.session.get(Conference, row_id)
    return desk.session.exec(select(Conference).where(Conference.code == text)).first()


def _reachable(desk: Desk, units_too: bool) -> list[Conference]:
    """Every conference for an admin; a chair's clusters'; a unit's once it was invited."""
    query = select(Conference).where(Conference.state != "cancelled")
    rows = list(desk.session.exec(query.order_by(col(Conference.starts_at), col(Conference.id))))
    if desk.caller.is_admin:
        return rows
    led = desk.caller.chaired_clusters()
    invited = _clusters_of_units(desk) if units_too else frozenset()
    return [
        row
        for row in rows
        if row.cluster_id in led or (row.cluster_id in invited and row.invite_at <= desk.now)
    ]


def _clusters_of_units(desk: Desk) -> frozenset[int]:
    units = desk.caller.units
    if not units:
        return frozenset()
    query = select(ClusterUnit.cluster_id).where(col(ClusterUnit.unit_id).in_(units))
    return frozenset(desk.session.exec(query))


def _ask(desk: Desk, request: Request, prefix: Sequence[str], offered: list[Conference]) -> Ask:
    _ = desk._
    if not offered:
        return Ask([Reply(_("Chưa có hội nghị nào để lập văn bản."))])
    options = [
        (f"{c.name} ({format_moment(c.starts_at, c.timezone, desk.locale)})", conference_token(c))
        for c in offered
    ]
    return choice(desk, request.command, prefix, _("Chọn hội nghị:"), options)
