"""Read and check a set-up file, reporting every problem by its path in the file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.domain import figures
from bot.domain.durations import parse_duration
from bot.domain.i18n import gettext_for
from bot.setup.cluster_keys import (
    CLUSTER_EXTRA_KEYS,
    UNIT_LINEAGE_KEYS,
    read_cluster_extras,
    read_unit_lineage,
)
from bot.setup.conferences import read_conferences
from bot.setup.loading import load_tree
from bot.setup.model import (
    ClusterSpec,
    IndicatorSpec,
    PeriodSpec,
    PledgeSpec,
    Problem,
    SetupError,
    SetupFile,
    UnitSpec,
)
from bot.setup.registration import read_registration
from bot.setup.scoring import pledge_source, read_scoring

__all__ = ["read_setup"]

_TOP_KEYS = {"timezone", "clusters", "pledges", "periods", "conferences"}
_CLUSTER_KEYS = {"code", "name", "year", "chair", "vice_chair", "units", *CLUSTER_EXTRA_KEYS}
_UNIT_KEYS = {"code", "name", *UNIT_LINEAGE_KEYS}
_PLEDGE_KEYS = {
    "cluster", "year", "indicators", "targets", "scoring", "indicators_from", "registration",
}  # fmt: skip
_INDICATOR_KEYS = {
    "code",
    "name",
    "kind",
    "unit",
    "better",
    "min",
    "max",
    "integer",
    "options",
    "required",
}
_PERIOD_KEYS = {
    "code",
    "name",
    "clusters",
    "year",
    "covers",
    "opens",
    "deadline",
    "reminders",
    "digest",
    "lock_after",
    "quiet_hours",
    "timezone",
}
_NO_TARGET_KINDS = {"text", "file"}
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
_CLOCK = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S")


def read_setup(
    text: str | bytes,
    *,
    locale: str = "vi",
    known_clusters: Mapping[str, frozenset[str]] | None = None,
    known_periods: Mapping[str, frozenset[str]] | None = None,
) -> SetupFile:
    """Parse and check a set-up file; raise `SetupError` listing every problem."""
    reader = _Reader(locale, dict(known_clusters or {}))
    reader.known_periods = dict(known_periods or {})  # period code -> its clusters' codes
    return reader.read(text)


class _Reader:
    """Walks the YAML tree once, collecting problems instead of stopping at the first."""

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

    def read(self, text: str | bytes) -> SetupFile:
        _ = self._
        tree = load_tree(text, self.locale)  # within the limits, every key written once
        if tree is None:
            raise SetupError([Problem("", _("tệp trống: không có cụm, giao ước hay kỳ báo cáo."))])
        if not isinstance(tree, dict):
            raise SetupError([Problem("", _("tệp phải là một bảng khóa: giá trị (YAML)."))])
        self.unknown_keys(tree, _TOP_KEYS, "")
        timezone = self.timezone(tree.get("timezone", "Asia/Ho_Chi_Minh"), "timezone")
        clusters = self.items(tree, "clusters", self.cluster)
        self.duplicates([c.code for c in clusters], "clusters", "code")
        pledges = self.items(tree, "pledges", lambda raw, path: self.pledge(raw, path, timezone))
        self.duplicates([f"{p.cluster}/{p.year}" for p in pledges], "pledges", "year")
        periods = self.items(tree, "periods", lambda raw, path: self.period(raw, path, timezone))
        self.duplicates([p.code for p in periods], "periods", "code")
        in_file = {period.code: period.clusters for period in periods}
        conferences = read_conferences(self, tree.get("conferences"), timezone, in_file)
        if not (clusters or pledges or periods or conferences) and not self.problems:
            self.fail("", _("tệp trống: không có cụm, giao ước hay kỳ báo cáo."))
        if self.problems:
            raise SetupError(self.problems)
        return SetupFile(
            timezone=timezone or "Asia/Ho_Chi_Minh",
            clusters=tuple(clusters),
            pledges=tuple(pledges),
            periods=tuple(periods),
            conferences=conferences,
            warnings=tuple(self.warnings),
        )

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
        decimal = _to_decimal(value)
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

    # -- clusters -------------------------------------------------------------------------

    def cluster(self, raw: Any, path: str) -> ClusterSpec | None:
        item = self.mapping(raw, path, _CLUSTER_KEYS)
        if item is None:
            return None
        code = self.code(item, "code", path)
        units = [u for u in self.unit_list(item.get("units"), f"{path}.units") if u]
        codes = {unit.code for unit in units}
        self.cluster_units[code] = frozenset(codes)
        roles: dict[str, str | None] = {}
        for role in ("chair", "vice_chair"):
            code_of_role = self.text(item, role, path, required=False)
            if code_of_role and code_of_role not in codes:
                self.fail(f"{path}.{role}", self.no_such_unit(code_of_role))
            roles[role] = code_of_role or None
        year = self.year(item.get("year"), f"{path}.year", required=False)
        if year is None and "year" not in item and (roles["chair"] or roles["vice_chair"]):
            self.fail(f"{path}.year", self._("cần năm mà cụm trưởng, cụm phó đảm nhiệm."))
        return ClusterSpec(
            code=code,
            name=self.text(item, "name", path),
            units=tuple(units),
            year=year,
            chair=roles["chair"],
            vice_chair=roles["vice_chair"],
            **read_cluster_extras(self, item, path, frozenset(codes)),
        )

    def unit_list(self, raw: Any, path: str) -> list[UnitSpec | None]:
        if not isinstance(raw, list) or not raw:
            self.fail(path, self._("cụm cần ít nhất một đơn vị."))
            return []
        units = [self.unit(item, f"{path}[{index}]") for index, item in enumerate(raw)]
        self.duplicates([u.code if u else "" for u in units], path, "code")
        return units

    def unit(self, raw: Any, path: str) -> UnitSpec | None:
        item = self.mapping(raw, path, _UNIT_KEYS)
        if item is None:
            return None
        return UnitSpec(
            code=self.code(item, "code", path),
            name=self.text(item, "name", path),
            **read_unit_lineage(self, item, path),
        )

    def no_such_unit(self, code: str) -> str:
        return self._("không có đơn vị «{code}» trong cụm.").format(code=code)

    # -- pledges --------------------------------------------------------------------------

    def pledge(self, raw: Any, path: str, tz: str = "Asia/Ho_Chi_Minh") -> PledgeSpec | None:
        item = self.mapping(raw, path, _PLEDGE_KEYS)
        if item is None:
            return None
        cluster = self.text(item, "cluster", path)
        if cluster and cluster not in self.cluster_units:
            self.fail(f"{path}.cluster", self._("không có cụm «{code}».").format(code=cluster))
        year = self.year(item.get("year"), f"{path}.year")
        source = pledge_source(self, item, path, cluster, self.pledges_read)
        indicators = (
            list(source.indicators)
            if source
            else self.indicator_list(item.get("indicators"), f"{path}.indicators")
        )
        targets = self.targets(item.get("targets"), f"{path}.targets", cluster, indicators)
        scoring = source.scoring if source else read_scoring(self, item, path, indicators)
        spec = PledgeSpec(
            cluster, year or 0, tuple(indicators), targets, scoring, source.year if source else None
        )
        registration = read_registration(self, item.get("registration"), f"{path}.registration", tz)
        spec = replace(spec, registration=registration) if registration else spec
        self.pledges_read.append(spec)
        return spec

    def indicator_list(self, raw: Any, path: str) -> list[IndicatorSpec]:
        if not isinstance(raw, list) or not raw:
            self.fail(path, self._("giao ước cần ít nhất một chỉ tiêu."))
            return []
        read = [self.indicator(item, f"{path}[{index}]") for index, item in enumerate(raw)]
        self.duplicates([i.code if i else "" for i in read], path, "code")
        return [indicator for indicator in read if indicator is not None]

    def indicator(self, raw: Any, path: str) -> IndicatorSpec | None:
        _ = self._
        item = self.mapping(raw, path, _INDICATOR_KEYS)
        if item is None:
            return None
        kind = self.text(item, "kind", path)
        if kind and kind not in figures.KINDS:
            self.fail(
                f"{path}.kind",
                _("loại «{kind}» không có; dùng một trong: {kinds}.").format(
                    kind=kind, kinds=", ".join(figures.KINDS)
                ),
            )
        better = item.get("better")
        if better not in (None, "higher", "lower"):
            self.fail(f"{path}.better", _("chỉ nhận higher hoặc lower."))
        low, high = self.number(item, "min", path), self.number(item, "max", path)
        if low is not None and high is not None and low > high:
            self.fail(f"{path}.max", _("max phải lớn hơn hoặc bằng min."))
        return IndicatorSpec(
            code=self.code(item, "code", path),
            name=self.text(item, "name", path),
            kind=kind,
            unit=self.text(item, "unit", path, required=False) or None,
            better=better if better in ("higher", "lower") else None,
            min=low,
            max=high,
            integer=self.flag(item, "integer", path, False),
            options=self.options(item.get("options"), f"{path}.options", kind),
            required=self.flag(item, "required", path, True),
        )

    def options(self, raw: Any, path: str, kind: str) -> tuple[str, ...]:
        if kind != "choice":
            if raw is not None:
                self.fail(path, self._("chỉ chỉ tiêu loại choice mới có options."))
            return ()
        if not isinstance(raw, list) or not raw or any(isinstance(o, (dict, list)) for o in raw):
            self.fail(path, self._("chỉ tiêu loại choice cần một danh sách lựa chọn."))
            return ()
        options = tuple(str(option).strip() for option in raw)
        if len(set(options)) != len(options):
            self.fail(path, self._("có lựa chọn bị trùng."))
        return options

    def targets(
        self, raw: Any, path: str, cluster: str, indicators: list[IndicatorSpec]
    ) -> dict[str, dict[str, str]]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.fail(path, self._("cần một bảng: mã đơn vị → chỉ tiêu → giá trị."))
            return {}
        by_code = {indicator.code: indicator for indicator in indicators}
        units = self.cluster_units.get(cluster, frozenset())
        targets: dict[str, dict[str, str]] = {}
        for unit, values in raw.items():
            unit_path = f"{path}.{unit}"
            if cluster in self.cluster_units and str(unit) not in units:
                self.fail(unit_path, self.no_such_unit(str(unit)))
            if not isinstance(values, dict):
                self.fail(unit_path, self._("cần một bảng: mã chỉ tiêu → giá trị."))
                continue
            targets[str(unit)] = {
                str(code): value
                for code, raw_value in values.items()
                if (value := self.target(raw_value, f"{unit_path}.{code}", by_code.get(str(code))))
            }
        return targets

    def target(self, raw: Any, path: str, indicator: IndicatorSpec | None) -> str | None:
        _ = self._
        if indicator is None:
            self.fail(path, _("không có chỉ tiêu này."))
            return None
        if indicator.kind in _NO_TARGET_KINDS:
            self.fail(
                path, _("chỉ tiêu loại {kind} không có chỉ tiêu giao.").format(kind=indicator.kind)
            )
            return None
        if indicator.kind not in figures.KINDS:
            return None  # the unknown kind is reported at the indicator itself
        decimal = _to_decimal(raw)
        if decimal is not None and indicator.kind in ("number", "percent"):
            return figures.to_canonical(decimal)
        if isinstance(raw, bool) and indicator.kind == "yesno":
            return figures.to_canonical(raw)
        spec = figures.Spec(kind=indicator.kind, options=indicator.options)
        parsed = figures.parse(str(raw), spec)
        if isinstance(parsed, figures.Parsed):
            return figures.to_canonical(parsed.value)
        self.fail(path, _("giá trị «{value}» không hợp lệ cho chỉ tiêu này.").format(value=raw))
        return None

    # -- periods --------------------------------------------------------------------------

    def period(self, raw: Any, path: str, default_tz: str) -> PeriodSpec | None:
        _ = self._
        item = self.mapping(raw, path, _PERIOD_KEYS)
        if item is None:
            return None
        tz = self.timezone(item["timezone"], f"{path}.timezone") if "timezone" in item else ""
        tz = tz or default_tz or "Asia/Ho_Chi_Minh"
        opens = self.moment(item.get("opens"), f"{path}.opens", tz)
        deadline = self.moment(item.get("deadline"), f"{path}.deadline", tz)
        if opens and deadline and deadline <= opens:
            self.fail(f"{path}.deadline", _("hạn nộp phải sau thời điểm mở kỳ (opens)."))
        covers = self.covers(item.get("covers"), f"{path}.covers")
        year = self.year(item.get("year"), f"{path}.year", required=False)
        if year is None and "year" not in item:
            year = covers[1].year if covers else (deadline.year if deadline else None)
        lock_after = self.offset(item.get("lock_after", "7d"), f"{path}.lock_after")
        return PeriodSpec(
            code=self.code(item, "code", path),
            name=self.text(item, "name", path),
            clusters=self.period_clusters(item.get("clusters"), f"{path}.clusters"),
            year=year or 0,
            opens=opens or datetime.min,
            deadline=deadline or datetime.min,
            timezone=tz,
            covers=covers,
            reminder_minutes=self.reminders(item.get("reminders"), f"{path}.reminders"),
            digest=self.clock(item.get("digest"), f"{path}.digest"),
            lock_after_minutes=lock_after or 7 * 24 * 60,
            quiet_hours=self.quiet_hours(item.get("quiet_hours"), f"{path}.quiet_hours"),
        )

    def period_clusters(self, raw: Any, path: str) -> tuple[str, ...]:
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            self.fail(path, self._("kỳ báo cáo cần ít nhất một cụm."))
            return ()
        for index, code in enumerate(raw):
            if str(code) not in self.cluster_units:
                self.fail(f"{path}[{index}]", self._("không có cụm «{code}».").format(code=code))
        return tuple(str(code) for code in raw)

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


def _to_decimal(value: Any) -> Decimal | None:
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
