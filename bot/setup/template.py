"""The set-up as an Excel workbook: written from a set-up tree, read back into set-up YAML."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.domain.i18n import Translate, gettext_for
from bot.setup.template_words import to_words
from bot.sheets import row_cells

__all__ = ["SHEETS", "column_title", "setup_workbook", "sheet_titles", "workbook_to_yaml"]

# Sheet keys in workbook order; each with its columns (keys of the set-up file).
SHEETS: dict[str, tuple[str, ...]] = {
    "clusters": ("code", "name", "year", "chair", "vice_chair"),
    "units": ("cluster", "code", "name"),
    "indicators": (
        "cluster", "year", "code", "name", "kind", "unit", "better", "min", "max", "integer",
        "options", "required",
    ),
    "targets": ("cluster", "year", "unit", "indicator", "value"),
    "periods": (
        "code", "name", "clusters", "year", "covers_from", "covers_to", "opens", "deadline",
        "reminders", "digest", "lock_after", "quiet_hours", "timezone",
    ),
}  # fmt: skip
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _titles(_: Translate) -> dict[str, str]:
    # Excel allows at most 31 characters in a sheet title.
    return {
        "guide": _("Hướng dẫn"),
        "clusters": _("Cụm"),
        "units": _("Đơn vị"),
        "indicators": _("Chỉ tiêu"),
        "targets": _("Chỉ tiêu giao"),
        "periods": _("Kỳ báo cáo"),
    }


def sheet_titles(locale: str) -> dict[str, str]:
    """Sheet key -> its title in `locale`."""
    return _titles(gettext_for(locale))


def column_title(sheet: str, column: str, locale: str) -> str:
    """The header of `column` (a key of `SHEETS`) on `sheet`, as the template writes it."""
    return _headers(gettext_for(locale))[sheet][SHEETS[sheet].index(column)]


def _headers(_: Translate) -> dict[str, tuple[str, ...]]:
    """Column titles per sheet, in the order of `SHEETS`."""
    return {
        "clusters": (
            _("Mã cụm"), _("Tên cụm"), _("Năm của cụm trưởng, cụm phó"),
            _("Cụm trưởng (mã đơn vị)"), _("Cụm phó (mã đơn vị)"),
        ),
        "units": (_("Mã cụm"), _("Mã đơn vị"), _("Tên đơn vị")),
        "indicators": (
            _("Mã cụm"), _("Năm"), _("Mã chỉ tiêu"), _("Tên chỉ tiêu"), _("Loại"),
            _("Đơn vị tính"), _("Chiều tốt (cao hơn là tốt / thấp hơn là tốt)"),
            _("Nhỏ nhất"), _("Lớn nhất"),
            _("Số nguyên (có/không)"), _("Lựa chọn (cách nhau bởi ;)"), _("Bắt buộc (có/không)"),
        ),
        "targets": (_("Mã cụm"), _("Năm"), _("Mã đơn vị"), _("Mã chỉ tiêu"), _("Giá trị giao")),
        "periods": (
            _("Mã kỳ"), _("Tên kỳ"), _("Các cụm (mã, cách nhau bởi dấu phẩy)"), _("Năm"),
            _("Số liệu từ ngày"), _("Số liệu đến ngày"), _("Mở kỳ lúc"), _("Hạn nộp"),
            _("Nhắc trước hạn (7 ngày, 1 ngày, 2 giờ)"), _("Giờ đăng bảng tiến độ"),
            _("Khóa sổ sau hạn"),
            _("Giờ yên lặng (21:00-07:00)"), _("Múi giờ"),
        ),
    }  # fmt: skip


def _guide(_: Translate) -> list[str]:
    return [
        _("Mẫu thiết lập cụm thi đua"),
        "",
        _("Điền các trang Cụm, Đơn vị, Chỉ tiêu, Chỉ tiêu giao và Kỳ báo cáo, rồi gửi lại tệp "
          "này cho bot trong trò chuyện riêng. Bot cho xem trước các thay đổi và chỉ ghi khi "
          "anh/chị bấm «Xác nhận»."),
        _("Mỗi dòng là một mục; giữ nguyên dòng tiêu đề và thứ tự cột. Mã chỉ gồm chữ không "
          "dấu, số, '-', '_' hoặc '.'; mã không đổi khi đổi tên."),
        _("Loại chỉ tiêu: số, phần trăm, tỷ số, có/không, lựa chọn, văn bản hoặc tệp."),
        _("Ngày giờ theo giờ địa phương, dạng 20/6/2026 17:00; ngày dạng 15/12/2025; khoảng "
          "thời gian dạng 7 ngày, 12 giờ, 30 phút."),
        _("Một chỉ tiêu bỏ khỏi tệp được ngừng dùng, không bị xóa; số liệu đã nộp không mất."),
    ]  # fmt: skip


def setup_workbook(tree: dict[str, Any], *, locale: str) -> bytes:
    """The workbook of a set-up tree (the structure of a set-up YAML file)."""
    _ = gettext_for(locale)
    titles, headers = _titles(_), _headers(_)
    workbook = Workbook()
    guide = workbook.active
    guide.title = titles["guide"]
    for line in _guide(_):
        guide.append(row_cells(guide, [line]))
    guide.column_dimensions["A"].width = 100
    guide["A1"].font = Font(bold=True, size=14)
    for key, columns in SHEETS.items():
        sheet = workbook.create_sheet(titles[key])
        sheet.append(row_cells(sheet, list(headers[key])))
        for cell in sheet[1]:
            cell.font, cell.fill = Font(bold=True), _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in _ROWS[key](tree):
            cells = [_cell(to_words(column, row.get(column), _)) for column in columns]
            sheet.append(row_cells(sheet, cells))
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = _width(column)
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = _number_format(cell.value)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _width(column: str) -> int:
    return 40 if column == "name" else 22


def _number_format(value: Any) -> str:
    if isinstance(value, datetime):
        return "d/m/yyyy hh:mm"
    if isinstance(value, date):
        return "d/m/yyyy"
    return "General" if not isinstance(value, str) else "@"


def _cell(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return ", ".join(str(item) for item in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _cluster_rows(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for cluster in tree.get("clusters", []):
        yield {key: cluster.get(key) for key in SHEETS["clusters"]}


def _unit_rows(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for cluster in tree.get("clusters", []):
        for unit in cluster.get("units", []):
            yield {"cluster": cluster["code"], **unit}


def _indicator_rows(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for pledge in tree.get("pledges", []):
        for indicator in pledge.get("indicators", []):
            row = {"cluster": pledge["cluster"], "year": pledge["year"], **indicator}
            for flag in ("integer", "required"):
                if flag in row:
                    row[flag] = "có" if row[flag] else "không"
            row["options"] = "; ".join(row.get("options") or []) or None
            yield row


def _target_rows(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for pledge in tree.get("pledges", []):
        for unit, values in pledge.get("targets", {}).items():
            for indicator, value in values.items():
                yield {
                    "cluster": pledge["cluster"],
                    "year": pledge["year"],
                    "unit": unit,
                    "indicator": indicator,
                    "value": value,
                }


def _period_rows(tree: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for period in tree.get("periods", []):
        covers = period.get("covers") or [None, None]
        yield {**period, "covers_from": covers[0], "covers_to": covers[1]}


_ROWS: dict[str, Callable[[dict[str, Any]], Iterator[dict[str, Any]]]] = {
    "clusters": _cluster_rows,
    "units": _unit_rows,
    "indicators": _indicator_rows,
    "targets": _target_rows,
    "periods": _period_rows,
}


# Read back in a module of its own; named here as before.
from bot.setup.template_read import workbook_to_yaml  # noqa: E402
