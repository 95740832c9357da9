"""Read and check a set-up file, reporting every problem by its path in the file."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from bot.domain.collection import collector_paused
from bot.setup.cluster_keys import (
    CLUSTER_EXTRA_KEYS,
    UNIT_LINEAGE_KEYS,
    read_cluster_extras,
    read_unit_lineage,
)
from bot.setup.conferences import read_conferences
from bot.setup.lineage import check_lineage
from bot.setup.loading import load_tree
from bot.setup.model import (
    ClusterSpec,
    PeriodSpec,
    Problem,
    SetupError,
    SetupFile,
    UnitSpec,
)
from bot.setup.pledge_reader import PledgeChecks

__all__ = ["read_setup"]

_TOP_KEYS = {"timezone", "clusters", "pledges", "periods", "conferences"}
_CLUSTER_KEYS = {"code", "name", "year", "chair", "vice_chair", "units", *CLUSTER_EXTRA_KEYS}
_UNIT_KEYS = {"code", "name", *UNIT_LINEAGE_KEYS}
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
    with collector_paused():
        return reader.read(text)


class _Reader(PledgeChecks):
    """Walks the YAML tree once, collecting problems instead of stopping at the first."""

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
        check_lineage(self, tree.get("clusters"))
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
