"""The set-up as an Excel workbook: written from a set-up tree, read back into set-up YAML."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from bot.domain.i18n import LOCALES, Translate, gettext_for
from bot.setup.limits import SETUP_LIMITS, SetupLimits
from bot.setup.model import Problem, SetupError
from bot.setup.xlsx_bounds import RowBudget, refuse_oversized_workbook
from bot.sheets import row_cells

__all__ = ["SHEETS", "setup_workbook", "workbook_to_yaml"]

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
_YES = {"true", "có", "co", "x", "yes", "1", "đạt", "dat", "c"}
_NO = {"false", "không", "khong", "no", "0", "k"}
_LIST = re.compile(r"[,;\n]+")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError)


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
            _("Đơn vị tính"), _("Tốt hơn khi (higher/lower)"), _("Nhỏ nhất"), _("Lớn nhất"),
            _("Số nguyên (có/không)"), _("Lựa chọn (cách nhau bởi ;)"), _("Bắt buộc (có/không)"),
        ),
        "targets": (_("Mã cụm"), _("Năm"), _("Mã đơn vị"), _("Mã chỉ tiêu"), _("Giá trị giao")),
        "periods": (
            _("Mã kỳ"), _("Tên kỳ"), _("Các cụm (mã, cách nhau bởi dấu phẩy)"), _("Năm"),
            _("Số liệu từ ngày"), _("Số liệu đến ngày"), _("Mở kỳ lúc"), _("Hạn nộp"),
            _("Nhắc trước hạn (7d, 1d, 2h)"), _("Giờ đăng bảng tiến độ"), _("Khóa sổ sau hạn"),
            _("Giờ yên lặng (21:00-07:00)"), _("Múi giờ"),
        ),
    }  # fmt: skip


def _guide(_: Translate) -> list[str]:
    return [
        _("Mẫu thiết lập cụm thi đua"),
        "",
        _("Điền các trang Cụm, Đơn vị, Chỉ tiêu, Chỉ tiêu giao và Kỳ báo cáo, rồi gửi lại tệp "
          "này cho bot trong trò chuyện riêng. Bot cho xem trước các thay đổi và chỉ ghi khi "
          "bạn bấm «Xác nhận»."),
        _("Mỗi dòng là một mục; giữ nguyên dòng tiêu đề và thứ tự cột. Mã chỉ gồm chữ không "
          "dấu, số, '-', '_' hoặc '.'; mã không đổi khi đổi tên."),
        _("Loại chỉ tiêu: number, percent, ratio, yesno, choice, text hoặc file."),
        _("Ngày giờ theo giờ địa phương, dạng 2026-06-20 17:00; khoảng thời gian dạng 7d, "
          "12h, 30m."),
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
            sheet.append(row_cells(sheet, [_cell(row.get(column)) for column in columns]))
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
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, date):
        return "yyyy-mm-dd"
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


# -- reading back ---------------------------------------------------------------------------


def workbook_to_yaml(content: bytes, *, locale: str, limits: SetupLimits = SETUP_LIMITS) -> str:
    """The set-up YAML of a filled-in workbook; `SetupError` if it is not one."""
    _ = gettext_for(locale)
    unreadable = SetupError([Problem("", _("tệp không phải Excel (.xlsx) đọc được."))])
    refuse_oversized_workbook(content, locale, limits)  # before openpyxl inflates anything
    try:
        workbook = load_workbook(io.BytesIO(content), data_only=True, read_only=True)
    except _UNREADABLE:
        raise unreadable from None
    budget = RowBudget(locale, limits)
    try:
        sheets = _sheets(workbook)
        missing = [key for key in SHEETS if key not in sheets]
        if len(missing) == len(SHEETS):
            raise SetupError(
                [Problem("", _("tệp Excel không theo mẫu: hãy lấy mẫu bằng lệnh /template."))]
            )
        rows = {key: list(_records(sheets[key], SHEETS[key], budget)) for key in sheets}
    except _UNREADABLE:  # a part that is not what its zip entry declares
        raise unreadable from None
    finally:
        workbook.close()
    return yaml.safe_dump(_tree(rows), allow_unicode=True, sort_keys=False)


def _sheets(workbook: Any) -> dict[str, Any]:
    """Sheet key -> worksheet, by its title in any language, else by position."""
    by_title: dict[str, str] = {}
    for locale in LOCALES:
        for sheet_key, title in _titles(gettext_for(locale)).items():
            by_title[title.casefold()] = sheet_key
    found: dict[str, Any] = {}
    for position, sheet in enumerate(workbook.worksheets):
        key: str | None = by_title.get(sheet.title.strip().casefold())
        if key is None and 1 <= position <= len(SHEETS):
            key = list(SHEETS)[position - 1]
        if key in SHEETS and key not in found:
            found[key] = sheet
    return found


def _records(sheet: Any, columns: tuple[str, ...], budget: RowBudget) -> Iterator[dict[str, Any]]:
    for values in sheet.iter_rows(min_row=2, max_col=len(columns), values_only=True):
        budget.spend(len(values))
        record = {column: _value(value) for column, value in zip(columns, values, strict=False)}
        if any(value is not None for value in record.values()):
            yield record


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _tree(rows: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    clusters = _clusters(rows.get("clusters", []), rows.get("units", []))
    if clusters:
        tree["clusters"] = clusters
    pledges = _pledges(rows.get("indicators", []), rows.get("targets", []))
    if pledges:
        tree["pledges"] = pledges
    periods = [_period(row) for row in rows.get("periods", [])]
    if periods:
        tree["periods"] = periods
    return tree


def _clusters(rows: list[dict[str, Any]], units: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        cluster = {key: _text(row[key]) for key in ("code", "name")}
        for key in ("year", "chair", "vice_chair"):
            if row.get(key) is not None:
                cluster[key] = row[key] if key == "year" else _text(row[key])
        cluster["units"] = []
        found.setdefault(str(cluster["code"]), cluster)
    for row in units:
        code = _text(row.get("cluster"))
        cluster = found.setdefault(str(code), {"code": code, "units": []})
        cluster["units"].append({"code": _text(row.get("code")), "name": _text(row.get("name"))})
    return list(found.values())


def _pledges(rows: list[dict[str, Any]], targets: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found: dict[tuple[str, Any], dict[str, Any]] = {}

    def pledge_of(row: dict[str, Any]) -> dict[str, Any]:
        key = (str(_text(row.get("cluster"))), row.get("year"))
        return found.setdefault(
            key, {"cluster": key[0], "year": key[1], "indicators": [], "targets": {}}
        )

    for row in rows:
        indicator = {"code": _text(row.get("code")), "name": _text(row.get("name"))}
        indicator["kind"] = _text(row.get("kind"))
        for key in ("unit", "better", "min", "max"):
            if row.get(key) is not None:
                indicator[key] = row[key] if key in ("min", "max") else _text(row[key])
        for key in ("integer", "required"):
            if row.get(key) is not None:
                indicator[key] = _flag(row[key])
        if row.get("options") is not None:
            indicator["options"] = _split(row["options"], ";\n")
        pledge_of(row)["indicators"].append(indicator)
    for row in targets:
        unit = str(_text(row.get("unit")))
        pledge_of(row)["targets"].setdefault(unit, {})[str(_text(row.get("indicator")))] = row.get(
            "value"
        )
    return [{k: v for k, v in pledge.items() if v or k != "targets"} for pledge in found.values()]


def _period(row: dict[str, Any]) -> dict[str, Any]:
    period: dict[str, Any] = {key: _text(row.get(key)) for key in ("code", "name")}
    period["clusters"] = _split(row.get("clusters"), ",;\n ")
    for key in ("year", "opens", "deadline", "lock_after", "quiet_hours", "timezone"):
        if row.get(key) is not None:
            period[key] = row[key]
    if row.get("covers_from") is not None or row.get("covers_to") is not None:
        period["covers"] = [row.get("covers_from"), row.get("covers_to")]
    if row.get("reminders") is not None:
        period["reminders"] = _split(row["reminders"], ",;\n ")
    if row.get("digest") is not None:
        digest = row["digest"]
        period["digest"] = digest.strftime("%H:%M") if isinstance(digest, time) else str(digest)
    return period


def _text(value: Any) -> Any:
    """A code or name cell as text (a code typed as a number stays a code)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        try:
            return str(value.normalize())
        except InvalidOperation:
            return str(value)
    return str(value)


def _flag(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    return value  # the reader explains what it expected


def _split(value: Any, separators: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (int, float)):
        return [str(value)]
    pattern = "[" + re.escape(separators) + "]+"
    return [part.strip() for part in re.split(pattern, str(value)) if part.strip()]
