"""The list of delegates (danh sách đại biểu) as an Excel file, and the units yet to answer."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from bot.domain.i18n import Translate, gettext_for
from bot.sheets import put
from bot.storage.conference_tables import Attendance
from bot.storage.conferences import HEAD, RegistrationState, UnitRegistration

__all__ = ["delegates_workbook", "role_name"]

_WIDTHS = (6, 30, 28, 32, 18, 16)


def role_name(_: Translate, role: str) -> str:
    return _("Trưởng đoàn") if role == HEAD else _("Thành viên")


def delegates_workbook(
    *,
    title: str,
    cluster: str,
    units: Sequence[UnitRegistration],
    attendance: Mapping[int, Attendance],
    locale: str,
) -> bytes:
    """Sheet one: every delegate of the attending units; sheet two: who did not answer or
    does not attend. Every text cell goes through bot/sheets.py (never a formula)."""
    _ = gettext_for(locale)
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has its sheet
    sheet.title = _("Danh sách đại biểu")[:31]
    _delegates(_, sheet, title, cluster, units, attendance)
    _answers(_, book.create_sheet(_("Chưa đăng ký")[:31]), units)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _delegates(
    _: Translate,
    sheet: Worksheet,
    title: str,
    cluster: str,
    units: Sequence[UnitRegistration],
    attendance: Mapping[int, Attendance],
) -> None:
    put(sheet, 1, 1, _("DANH SÁCH ĐẠI BIỂU")).font = Font(bold=True, size=13)
    put(sheet, 2, 1, title)
    put(sheet, 3, 1, cluster)
    header = (_("STT"), _("Đơn vị"), _("Họ và tên"), _("Chức vụ"), _("Vai trò trong đoàn"))
    for column, text in enumerate((*header, _("Có mặt")), start=1):
        put(sheet, 5, column, text).font = Font(bold=True)
        sheet.column_dimensions[chr(64 + column)].width = _WIDTHS[column - 1]
    row = 6
    for unit in units:
        status = attendance[unit.unit_id].status if unit.unit_id in attendance else None
        for delegate in unit.delegates:
            present = _present(_, delegate.present, status)
            values = (row - 5, unit.unit_name, delegate.full_name, delegate.job_title)
            for column, value in enumerate((*values, role_name(_, delegate.role), present), 1):
                put(sheet, row, column, value)
            row += 1
    sheet.freeze_panes = "A6"


def _present(_: Translate, present: bool, status: str | None) -> str:
    if present:
        return _("Có mặt")
    return {"absent": _("Vắng mặt"), "excused": _("Vắng có lý do")}.get(status or "", "")


def _answers(_: Translate, sheet: Worksheet, units: Sequence[UnitRegistration]) -> None:
    for column, text in enumerate((_("Đơn vị"), _("Trả lời"), _("Lý do")), start=1):
        put(sheet, 1, column, text).font = Font(bold=True)
        sheet.column_dimensions[chr(64 + column)].width = (30, 18, 40)[column - 1]
    row = 2
    for unit in units:
        if unit.state is RegistrationState.ATTENDING:
            continue
        answered = unit.state is RegistrationState.NOT_ATTENDING
        shown = _("Không dự") if answered else _("Chưa trả lời")
        for column, value in enumerate((unit.unit_name, shown, unit.reason or ""), start=1):
            put(sheet, row, column, value)
        row += 1
