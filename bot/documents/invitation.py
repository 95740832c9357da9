"""The invitation to a conference (giấy mời), signed for the cluster by its chair."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from docx.document import Document

from bot.documents import layout, parts
from bot.documents.dates import clock, long_date, weekday
from bot.documents.layout import BODY, labelled, write
from bot.documents.model import Conference, Invitation
from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for
from bot.domain.terms import cluster_terms

__all__ = ["INVITATION_CODE", "invitation_docx", "when_words"]

INVITATION_CODE = "GM"


def when_words(moment: datetime, locale: str) -> str:
    """`14 giờ 00 phút, thứ sáu, ngày 10 tháng 7 năm 2026`."""
    _ = gettext_for(locale)
    return _("{time}, {weekday}, {date}").format(
        time=clock(moment, locale),
        weekday=weekday(moment.date(), locale),
        date=long_date(moment.date(), locale),
    )


def invitation_docx(invitation: Invitation, *, locale: str = "vi") -> bytes:
    """The invitation as a .docx: whom, to what, when, where, the programme, how to register."""
    _ = gettext_for(locale)
    conference = invitation.conference
    head = conference.letterhead
    document = layout.new_document(locale=locale)
    parts.letterhead(document, head, code=INVITATION_CODE, dated=invitation.dated, locale=locale)
    parts.title(document, _("Giấy mời"), _("Dự {conference}").format(conference=conference.name))
    write(document, _("{cluster} trân trọng kính mời:").format(cluster=conference.cluster_name))
    for invitee in _invitees(invitation, locale):
        write(document, f"- {invitee};")
    write(document, _("Tới dự {conference}.").format(conference=conference.name))
    labelled(document, _("Thời gian:"), when_words(conference.starts, locale) + ".")
    labelled(document, _("Địa điểm:"), conference.place + ".")
    if conference.host:
        labelled(document, _("Đơn vị đăng cai:"), conference.host + ".")
    _programme(document, conference, locale)
    _registration(document, conference, locale)
    write(document, _("Rất mong các đồng chí tham dự đúng thời gian./."))
    signature = parts.chair_signature(head.kind, invitation.signer.name, locale)
    parts.closing(document, [signature], _recipients(invitation, locale), locale)
    return layout.to_bytes(document)


def _invitees(invitation: Invitation, locale: str) -> Sequence[str]:
    if invitation.invitees:
        return invitation.invitees
    _ = gettext_for(locale)
    return [_("Đồng chí lãnh đạo {unit}").format(unit=unit) for unit in invitation.conference.units]


def _programme(document: Document, conference: Conference, locale: str) -> None:
    if not conference.agenda:
        return
    _ = gettext_for(locale)
    write(document, _("Chương trình:"), BODY, bold=True)
    for item in conference.agenda:
        line = f"- {item.at}: {item.title}" if item.at else f"- {item.title}"
        if item.presenter:
            line += " " + _("(trình bày: {unit})").format(unit=item.presenter)
        write(document, line + ";")


def _registration(document: Document, conference: Conference, locale: str) -> None:
    _ = gettext_for(locale)
    if conference.delegates_per_unit:
        limit = _("Mỗi đơn vị cử không quá {count} đại biểu, kể cả trưởng đoàn.")
        write(document, limit.format(count=conference.delegates_per_unit))
    if conference.rsvp_by is not None:
        deadline = _(
            "Đề nghị các đơn vị đăng ký đại biểu qua bot của {cluster} trước {time}, {date}."
        )
        moment = conference.rsvp_by
        cluster = cluster_terms(conference.letterhead.kind, locale).cluster
        when = {"time": clock(moment, locale), "date": long_date(moment.date(), locale)}
        write(document, deadline.format(cluster=cluster, **when))


def _recipients(invitation: Invitation, locale: str) -> Sequence[str]:
    if invitation.recipients:
        return invitation.recipients
    _ = gettext_for(locale)
    return (_("Như trên"), _("{body} (để báo cáo)").format(body=admin_body()))
