"""The minutes of a conference (biên bản, Mẫu 1.9 of Decree 30/2020), filled in from the bot."""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document

from bot.documents import layout, parts
from bot.documents.dates import clock, long_date
from bot.documents.layout import BODY, TABLE_TEXT, labelled, write
from bot.documents.model import AgendaItem, Attendance, Minutes, Participant
from bot.documents.tables import add_row, after_table, data_table, scaled
from bot.documents.tallies import tally_section
from bot.domain.admin_body import admin_body
from bot.domain.i18n import gettext_for

__all__ = ["MINUTES_CODE", "minutes_docx", "person_words"]

MINUTES_CODE = "BB"
BLANK = "…" * 20  # a dotted line for the secretary to fill by hand
_ATTENDANCE_SHARES = (1.3, 4.6, 3.2, 7.2)  # STT, unit, attendance, delegates


def minutes_docx(minutes: Minutes, *, locale: str = "vi") -> bytes:
    """The minutes as a .docx: time, place, who attended, chair and secretary, items, votes."""
    _ = gettext_for(locale)
    conference = minutes.conference
    document = layout.new_document(locale=locale)
    head = conference.letterhead
    dated = conference.starts.date()
    parts.letterhead(document, head, code=MINUTES_CODE, dated=dated, locale=locale)
    parts.title(document, _("Biên bản"), conference.name)
    started = _("{time}, {date}").format(
        time=clock(conference.starts, locale), date=long_date(dated, locale)
    )
    labelled(document, _("Thời gian bắt đầu:"), started + ".")
    labelled(document, _("Địa điểm:"), conference.place + ".")
    _attendance(document, minutes, locale)
    labelled(document, _("Chủ trì:"), _sentence(person_words(minutes.chaired_by, locale)))
    labelled(document, _("Thư ký:"), _sentence(person_words(minutes.secretary, locale)))
    _proceedings(document, minutes, locale)
    # The last sentence stays on the page of the signatures below it.
    write(document, _closing_sentence(minutes, locale)).paragraph_format.keep_with_next = True
    signatures = [
        parts.Signature((_("THƯ KÝ"),), minutes.secretary.name),
        parts.Signature((_("CHỦ TRÌ"),), minutes.chaired_by.name),
    ]
    parts.closing(document, signatures, _recipients(minutes, locale), locale)
    return layout.to_bytes(document)


def person_words(person: Participant, locale: str) -> str:
    """`đồng chí Nguyễn Văn A, Chủ tịch UBND xã`; a dotted line when no one is named."""
    _ = gettext_for(locale)
    if not person.name:
        return BLANK
    if person.position:
        return _("đồng chí {name}, {position}").format(name=person.name, position=person.position)
    return _("đồng chí {name}").format(name=person.name)


def _sentence(words: str) -> str:
    return words if words == BLANK else words + "."


def _attendance(document: Document, minutes: Minutes, locale: str) -> None:
    _ = gettext_for(locale)
    write(document, _("Thành phần tham dự:"), BODY, bold=True)
    if minutes.guests:
        write(document, _("Đại biểu khách mời:"), italic=True)
        for guest in minutes.guests:
            words = person_words(guest, locale)
            write(document, f"- {words[:1].upper()}{words[1:]};")
    present = sum(1 for unit in minutes.attendance if unit.status == "present")
    count = _("Các đơn vị thành viên: có mặt {present}/{total} đơn vị.")
    write(document, count.format(present=present, total=len(minutes.attendance)))
    headers = (_("STT"), _("Đơn vị"), _("Tham dự"), _("Đại biểu"))
    widths = scaled(_ATTENDANCE_SHARES, layout.text_span(document.sections[-1]))
    table = data_table(document, headers, widths)
    for order, unit in enumerate(minutes.attendance, start=1):
        delegates = _delegates(unit, locale) or [""]
        cells = add_row(table, (str(order), unit.unit_name, _status(unit, locale), delegates[0]))
        for line in delegates[1:]:
            write(cells[3], line, TABLE_TEXT)
    after_table(document)


def _status(unit: Attendance, locale: str) -> str:
    _ = gettext_for(locale)
    if unit.status == "excused":
        if unit.reason:
            return _("Vắng có lý do: {reason}").format(reason=unit.reason)
        return _("Vắng có lý do")
    words = {"present": _("Có mặt"), "absent": _("Vắng mặt"), "unknown": _("Chưa ghi nhận")}
    return words[unit.status]


def _delegates(unit: Attendance, locale: str) -> list[str]:
    _ = gettext_for(locale)
    lines = []
    for delegate in unit.delegates:
        line = _("Đồng chí {name}").format(name=delegate.name)
        if delegate.position:
            line += ", " + delegate.position
        if delegate.head:
            line += " " + _("(trưởng đoàn)")
        lines.append(line)
    return lines


def _proceedings(document: Document, minutes: Minutes, locale: str) -> None:
    """The items in order, a dotted line each for the notes; the votes under the vote item."""
    _ = gettext_for(locale)
    write(document, _("Nội dung:"), BODY, bold=True)
    items = list(minutes.conference.agenda)
    if minutes.votes and not any(item.vote for item in items):
        items.append(AgendaItem(_("Biểu quyết"), vote=True))
    votes_written = False
    for number, item in enumerate(items, start=1):
        parts.subheading(document, number, _item_title(item, locale))
        if item.vote and not votes_written:
            for tally in minutes.votes:
                tally_section(document, tally, minutes.conference.letterhead.kind, locale)
            votes_written = True
        write(document, BLANK * 3)


def _item_title(item: AgendaItem, locale: str) -> str:
    _ = gettext_for(locale)
    title = item.title
    if item.presenter:
        title += " " + _("(trình bày: {unit})").format(unit=item.presenter)
    return title


def _closing_sentence(minutes: Minutes, locale: str) -> str:
    """`Hội nghị kết thúc vào 17 giờ 00 phút, ngày …`; the time left blank if not recorded."""
    _ = gettext_for(locale)
    end = minutes.closed_at
    day = (end or minutes.conference.starts).date()
    time = clock(end, locale) if end is not None else _("…… giờ …… phút")
    sentence = _("Hội nghị kết thúc vào {time}, {date}./.")
    return sentence.format(time=time, date=long_date(day, locale))


def _recipients(minutes: Minutes, locale: str) -> Sequence[str]:
    if minutes.recipients:
        return minutes.recipients
    _ = gettext_for(locale)
    return (_("{body} (để báo cáo)").format(body=admin_body()), _("Các đơn vị thành viên"))
