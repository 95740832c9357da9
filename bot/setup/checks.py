"""The set-up reader's checks of single values: texts, codes, years, numbers, times."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain.durations import parse_duration
from bot.domain.i18n import gettext_for
from bot.setup.model import PledgeSpec, Problem

__all__ = ["Checks", "to_decimal"]

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


class Checks:
    """Collects problems and warnings by path; each check reports and goes on."""

    def __init__(self, locale: str, known_clusters: dict[str, frozenset[str]]) -> None:
        self._ = gettext_for(locale)
        self.locale = locale
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.cluster_units = dict(known_clusters)
        self.pledges_read: list[PledgeSpec] = []  # for `indicators_from`
        self.known_periods: dict[str, frozenset[str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    # -- generic checks -------------------------------------------------------------------

    def items(self, tree: dict[str, Any], key: str, read_one: Any) -> list[Any]:
        raw = tree.get(key)
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.fail(key, self._("cần một danh sách."))
            return []
        read = [read_one(item, f"{key}[{index}]") for index, item in enumerate(raw)]
        return [item for item in read if item is not None]

    def mapping(self, raw: Any, path: str, allowed: set[str]) -> dict[str, Any] | None:
        if not isinstance(raw, dict):
            self.fail(path, self._("cần một bảng khóa: giá trị."))
            return None
        self.unknown_keys(raw, allowed, path)
        return raw

    def unknown_keys(self, raw: dict[Any, Any], allowed: set[str], path: str) -> None:
        # Unknown keys are warnings: a newer file still imports into an older bot.
        for key in raw:
            if key not in allowed:
                where = f"{path}.{key}" if path else str(key)
                self.warnings.append(Problem(where, self._("khóa không dùng đến, bỏ qua.")))

    def text(self, raw: dict[str, Any], key: str, path: str, *, required: bool = True) -> str:
        value = raw.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(f"{path}.{key}", self._("thiếu giá trị."))
            return ""
        if isinstance(value, (dict, list)):
            self.fail(f"{path}.{key}", self._("cần một chuỗi chữ."))
            return ""
        return str(value).strip()

    def code(self, raw: dict[str, Any], key: str, path: str) -> str:
        value = self.text(raw, key, path)
        if value and not _CODE.match(value):
            self.fail(
                f"{path}.{key}",
                self._("mã «{code}» chỉ được gồm chữ không dấu, số, '-', '_' hoặc '.'.").format(
                    code=value
                ),
            )
        return value

    def year(self, value: Any, path: str, *, required: bool = True) -> int | None:
        if value is None and not required:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
            self.fail(path, self._("năm phải là một số như 2026."))
            return None
        return value

    def flag(self, raw: dict[str, Any], key: str, path: str, default: bool) -> bool:
        value = raw.get(key, default)
        if not isinstance(value, bool):
            self.fail(f"{path}.{key}", self._("cần true hoặc false."))
            return default
        return value

    def number(self, raw: dict[str, Any], key: str, path: str) -> Decimal | None:
        value = raw.get(key)
        if value is None:
            return None
        decimal = to_decimal(value)
        if decimal is None:
            self.fail(f"{path}.{key}", self._("cần một số."))
        return decimal

    def duplicates(self, codes: list[str], section: str, key: str) -> None:
        seen: set[str] = set()
        for index, code in enumerate(codes):
            if code and code in seen:
                self.fail(
                    f"{section}[{index}].{key}",
                    self._("«{code}» bị trùng.").format(code=code),
                )
            seen.add(code)

    def timezone(self, value: Any, path: str) -> str:
        try:
            ZoneInfo(str(value))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(path, self._("múi giờ «{tz}» không tồn tại.").format(tz=value))
            return ""
        return str(value)

    def no_such_unit(self, code: str) -> str:
        return self._("không có đơn vị «{code}» trong cụm.").format(code=code)

    # -- times ----------------------------------------------------------------------------

    def moment(self, raw: Any, path: str, tz: str) -> datetime | None:
        value = _to_datetime(raw)
        if value is None:
            message = self._("cần ngày giờ dạng 2026-06-20 17:00.")
            self.fail(path, message if raw is not None else self._("thiếu giá trị."))
            return None
        if value.tzinfo is None and tz:
            value = value.replace(tzinfo=ZoneInfo(tz))
        return value

    def covers(self, raw: Any, path: str) -> tuple[date, date] | None:
        if raw is None:
            return None
        days = [_to_date(item) for item in raw] if isinstance(raw, list) else []
        if len(days) != 2 or None in days:
            self.fail(
                path, self._("cần hai ngày [từ ngày, đến ngày], ví dụ [2025-12-15, 2026-06-14].")
            )
            return None
        start, end = days
        assert start is not None and end is not None
        if end < start:
            self.fail(path, self._("ngày kết thúc phải sau ngày bắt đầu."))
        return start, end

    def offset(self, raw: Any, path: str) -> int | None:
        duration = parse_duration(raw) if isinstance(raw, str) else None
        if duration is None:
            self.fail(
                path,
                self._("«{value}» không phải khoảng thời gian như 7d, 2h hoặc 30m.").format(
                    value=raw
                ),
            )
            return None
        return int(duration.total_seconds() // 60)

    def reminders(self, raw: Any, path: str) -> tuple[int, ...]:
        if raw is None:
            return ()
        if not isinstance(raw, list):
            self.fail(path, self._("cần một danh sách như [7d, 3d, 1d, 2h]."))
            return ()
        minutes = [self.offset(item, f"{path}[{index}]") for index, item in enumerate(raw)]
        return tuple(sorted({m for m in minutes if m}, reverse=True))

    def clock(self, raw: Any, path: str) -> str | None:
        if raw is None or raw is False:
            return None
        text = _clock_text(raw)
        if text is None:
            self.fail(path, self._('cần giờ dạng HH:MM, ví dụ "08:00".'))
        return text

    def quiet_hours(self, raw: Any, path: str) -> str | None:
        if raw is None or raw == "" or raw is False:
            return None
        parts = str(raw).replace(" ", "").split("-")
        clocks = [_clock_text(part) for part in parts]
        if len(clocks) != 2 or None in clocks:
            self.fail(path, self._("cần khoảng giờ dạng 21:00-07:00."))
            return None
        return f"{clocks[0]}-{clocks[1]}"


def to_decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    try:
        decimal = Decimal(str(value))
    except InvalidOperation:
        return None
    return decimal if decimal.is_finite() else None


def _to_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def _to_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    for pattern in _DATETIME_FORMATS:
        try:
            return datetime.strptime(str(value).strip(), pattern)
        except ValueError:
            continue
    return None


def _clock_text(value: Any) -> str | None:
    # YAML 1.1 reads an unquoted 21:00 as the base-60 integer 1260: turn it back into a clock.
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
        return f"{value // 60:02d}:{value % 60:02d}"
    match = _CLOCK.match(str(value).strip())
    return f"{int(match[1]):02d}:{match[2]}" if match else None
