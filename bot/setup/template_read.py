"""The filled-in Excel template read back into set-up YAML, with the cell of every value, so
that a problem is said by sheet, row and column header (bot/setup/template_words.py)."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from datetime import time
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from openpyxl import load_workbook

from bot.domain.i18n import LOCALES, gettext_for
from bot.setup.limits import SETUP_LIMITS, SetupLimits
from bot.setup.model import Problem, SetupError
from bot.setup.template import SHEETS, column_title, sheet_titles
from bot.setup.template_words import CellPlace, Places, from_words, placed_problems
from bot.setup.xlsx_bounds import RowBudget, refuse_oversized_workbook

__all__ = ["place_problems", "read_workbook", "workbook_to_yaml"]

_YES = {"true", "có", "co", "x", "yes", "1", "đạt", "dat", "c"}
_NO = {"false", "không", "khong", "no", "0", "k"}
_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError)
_ROW = "_row"  # a record's row as Excel numbers it


def workbook_to_yaml(content: bytes, *, locale: str, limits: SetupLimits = SETUP_LIMITS) -> str:
    """The set-up YAML of a filled-in workbook; `SetupError` if it is not one."""
    return read_workbook(content, locale=locale, limits=limits)[0]


def read_workbook(
    content: bytes, *, locale: str, limits: SetupLimits = SETUP_LIMITS
) -> tuple[str, Places]:
    """The set-up YAML of a filled-in workbook and the cell of each of its values."""
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
    places: Places = {}
    return yaml.safe_dump(_tree(rows, places), allow_unicode=True, sort_keys=False), places


def place_problems(error: SetupError, places: Places, locale: str) -> SetupError:
    """The same problems, each said by its sheet, row and column header."""
    titles = sheet_titles(locale)
    problems = placed_problems(
        error.problems,
        places,
        titles=titles,
        headers=lambda sheet, column: column_title(sheet, column, locale),
        locale=locale,
    )
    return SetupError(problems)


def _sheets(workbook: Any) -> dict[str, Any]:
    """Sheet key -> worksheet, by its title in any language, else by position."""
    by_title: dict[str, str] = {}
    for locale in LOCALES:
        for sheet_key, title in sheet_titles(locale).items():
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
    rows = sheet.iter_rows(min_row=2, max_col=len(columns), values_only=True)
    for number, values in enumerate(rows, start=2):
        budget.spend(len(values))
        record = {
            column: from_words(column, _value(value))
            for column, value in zip(columns, values, strict=False)
        }
        if any(value is not None for value in record.values()):
            yield record | {_ROW: number}


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _tree(rows: dict[str, list[dict[str, Any]]], places: Places) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    clusters = _clusters(rows.get("clusters", []), rows.get("units", []), places)
    if clusters:
        tree["clusters"] = clusters
    pledges = _pledges(rows.get("indicators", []), rows.get("targets", []), places)
    if pledges:
        tree["pledges"] = pledges
    periods = [
        _period(row, f"periods[{i}]", places) for i, row in enumerate(rows.get("periods", []))
    ]
    if periods:
        tree["periods"] = periods
    return tree


def _place(places: Places, path: str, sheet: str, row: dict[str, Any], columns: Any) -> None:
    """The row at `path`, and each of `columns` at `path.column`."""
    places.setdefault(path, CellPlace(sheet, row[_ROW]))
    for column in columns:
        places[f"{path}.{column}"] = CellPlace(sheet, row[_ROW], column)


def _clusters(
    rows: list[dict[str, Any]], units: list[dict[str, Any]], places: Places
) -> list[dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for row in rows:
        cluster = {key: _text(row[key]) for key in ("code", "name")}
        for key in ("year", "chair", "vice_chair"):
            if row.get(key) is not None:
                cluster[key] = row[key] if key == "year" else _text(row[key])
        cluster["units"] = []
        if str(cluster["code"]) not in found:
            path = f"clusters[{len(found)}]"
            _place(places, path, "clusters", row, SHEETS["clusters"])
        found.setdefault(str(cluster["code"]), cluster)
    for row in units:
        code = _text(row.get("cluster"))
        if str(code) not in found:
            _place(places, f"clusters[{len(found)}]", "units", row, ())
        cluster = found.setdefault(str(code), {"code": code, "units": []})
        index = list(found).index(str(code))
        path = f"clusters[{index}].units[{len(cluster['units'])}]"
        _place(places, path, "units", row, ("code", "name"))
        cluster["units"].append({"code": _text(row.get("code")), "name": _text(row.get("name"))})
    return list(found.values())


def _pledges(
    rows: list[dict[str, Any]], targets: list[dict[str, Any]], places: Places
) -> list[dict[str, Any]]:
    found: dict[tuple[str, Any], dict[str, Any]] = {}

    def pledge_of(row: dict[str, Any], sheet: str) -> tuple[str, dict[str, Any]]:
        key = (str(_text(row.get("cluster"))), row.get("year"))
        if key not in found:
            _place(places, f"pledges[{len(found)}]", sheet, row, ())
        pledge = found.setdefault(
            key, {"cluster": key[0], "year": key[1], "indicators": [], "targets": {}}
        )
        return f"pledges[{list(found).index(key)}]", pledge

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
        path, pledge = pledge_of(row, "indicators")
        path = f"{path}.indicators[{len(pledge['indicators'])}]"
        _place(places, path, "indicators", row, SHEETS["indicators"])
        pledge["indicators"].append(indicator)
    for row in targets:
        unit, indicator_code = str(_text(row.get("unit"))), str(_text(row.get("indicator")))
        path, pledge = pledge_of(row, "targets")
        _place(places, f"{path}.targets.{unit}", "targets", row, ())
        places[f"{path}.targets.{unit}.{indicator_code}"] = CellPlace("targets", row[_ROW], "value")
        pledge["targets"].setdefault(unit, {})[indicator_code] = row.get("value")
    return [{k: v for k, v in pledge.items() if v or k != "targets"} for pledge in found.values()]


def _period(row: dict[str, Any], path: str, places: Places) -> dict[str, Any]:
    _place(places, path, "periods", row, SHEETS["periods"])
    places[f"{path}.covers"] = CellPlace("periods", row[_ROW], "covers_from")
    places[f"{path}.covers[1]"] = CellPlace("periods", row[_ROW], "covers_to")
    places[f"{path}.lock_after"] = CellPlace("periods", row[_ROW], "lock_after")
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
