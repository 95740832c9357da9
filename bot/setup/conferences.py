"""Read `conferences:` with their votes, and a cluster's kind, leaders and letterhead.

The set-up reader lends its checks (`SetupReading`), so problems come out by their path in
the file exactly like the rest of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.domain.agenda import CONFERENCE_KINDS, VOTE, AgendaItem
from bot.domain.tally import MORE_THAN_HALF, Base, Threshold, parse_threshold
from bot.domain.terms import CLUSTER_KINDS
from bot.setup.conference_specs import ConferenceSpec, LeaderSpec, VoteSpec

__all__ = [
    "CLUSTER_EXTRA_KEYS",
    "UNIT_LINEAGE_KEYS",
    "SetupReading",
    "read_cluster_extras",
    "read_conferences",
    "read_unit_lineage",
]

CLUSTER_EXTRA_KEYS = {"kind", "leaders", "letterhead", "place_name"}
UNIT_LINEAGE_KEYS = {"merged_from", "renamed_from"}
_LEADER_KEYS = {"year", "chair", "vice_chair"}
_CONFERENCE_KEYS = {
    "code",
    "name",
    "cluster",
    "period",
    "kind",
    "host",
    "starts",
    "ends",
    "place",
    "place_name",
    "invite",
    "rsvp_by",
    "reminders",
    "delegates",
    "agenda",
    "votes",
}
_AGENDA_KEYS = {"at", "title", "by", "kind"}
_VOTE_KEYS = {
    "code",
    "title",
    "approval",
    "secret",
    "seats",
    "candidates",
    "threshold",
    "base",
    "quorum",
    "elects",
    "year",
}
_ELECTS = ("chair", "vice_chair")
_MAX_DELEGATES = 50
_MAX_LETTERHEAD_LINES = 3

Item = TypeVar("Item")


class SetupReading(Protocol):
    """What the set-up reader lends to this one: its checks, clusters and problem list."""

    _: Callable[[str], str]
    cluster_units: dict[str, frozenset[str]]
    known_periods: dict[str, frozenset[str]]

    def fail(self, path: str, message: str) -> None: ...
    def mapping(self, raw: Any, path: str, allowed: set[str]) -> dict[str, Any] | None: ...
    def text(self, raw: dict[str, Any], key: str, path: str, *, required: bool = True) -> str: ...
    def code(self, raw: dict[str, Any], key: str, path: str) -> str: ...
    def year(self, value: Any, path: str, *, required: bool = True) -> int | None: ...
    def flag(self, raw: dict[str, Any], key: str, path: str, default: bool) -> bool: ...
    def moment(self, raw: Any, path: str, tz: str) -> datetime | None: ...
    def reminders(self, raw: Any, path: str) -> tuple[int, ...]: ...
    def clock(self, raw: Any, path: str) -> str | None: ...
    def duplicates(self, codes: list[str], section: str, key: str) -> None: ...
    def no_such_unit(self, code: str) -> str: ...


def _each(
    reader: SetupReading, raw: Any, path: str, read_one: Callable[[Any, str], Item | None]
) -> list[Item]:
    """Every item of the list at `path` that reads; a non-list is a problem."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.fail(path, reader._("cần một danh sách."))
        return []
    read = [read_one(item, f"{path}[{index}]") for index, item in enumerate(raw)]
    return [item for item in read if item is not None]


# -- the cluster's keys ---------------------------------------------------------------------


def read_cluster_extras(
    reader: SetupReading, item: dict[str, Any], path: str, units: frozenset[str]
) -> dict[str, Any]:
    """`kind`, `leaders`, `letterhead` and `place_name` of a cluster, as ClusterSpec fields."""
    kind = str(item.get("kind", "cum")).strip()
    if kind not in CLUSTER_KINDS:
        reader.fail(f"{path}.kind", reader._("chỉ nhận cum hoặc khoi."))
    leaders = _each(
        reader,
        item.get("leaders"),
        f"{path}.leaders",
        lambda raw, p: _leader(reader, raw, p, units),
    )
    years = [str(item.get("year", "")), *(str(leader.year) for leader in leaders)]
    for index, year in enumerate(years[1:]):
        if year in years[: index + 1]:
            reader.fail(
                f"{path}.leaders[{index}].year", reader._("«{code}» bị trùng.").format(code=year)
            )
    return {
        "kind": kind if kind in CLUSTER_KINDS else "cum",
        "leaders": tuple(leaders),
        "letterhead": _letterhead(reader, item.get("letterhead"), f"{path}.letterhead"),
        "place_name": reader.text(item, "place_name", path, required=False) or None,
    }


def _leader(reader: SetupReading, raw: Any, path: str, units: frozenset[str]) -> LeaderSpec | None:
    item = reader.mapping(raw, path, _LEADER_KEYS)
    if item is None:
        return None
    year = reader.year(item.get("year"), f"{path}.year")
    roles = {role: _unit_of(reader, item, role, path, units) for role in _ELECTS}
    if not any(roles.values()) and "chair" not in item and "vice_chair" not in item:
        reader.fail(path, reader._("cần chair hoặc vice_chair."))
    return LeaderSpec(year or 0, roles["chair"], roles["vice_chair"])


def _unit_of(
    reader: SetupReading, item: dict[str, Any], key: str, path: str, units: frozenset[str]
) -> str | None:
    """The unit code at `key`, checked against the cluster's units when they are known."""
    code = reader.text(item, key, path, required=False)
    if code and units and code not in units:
        reader.fail(f"{path}.{key}", reader.no_such_unit(code))
    return code or None


def _letterhead(reader: SetupReading, raw: Any, path: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    lines = [raw] if isinstance(raw, str) else raw
    good = isinstance(lines, list) and 0 < len(lines) <= _MAX_LETTERHEAD_LINES
    if not good or any(isinstance(line, (dict, list)) or not str(line).strip() for line in lines):
        reader.fail(
            path,
            reader._("cần một đến ba dòng chữ, ví dụ [UBND TỈNH KON TUM, CỤM THI ĐUA SỐ 2]."),
        )
        return ()
    return tuple(str(line).strip() for line in lines)


def read_unit_lineage(reader: SetupReading, item: dict[str, Any], path: str) -> dict[str, Any]:
    """`merged_from` (old unit codes) and `renamed_from` (one), as UnitSpec fields."""
    merged = item.get("merged_from")
    merged = [merged] if isinstance(merged, str) else merged
    if merged is not None and (not isinstance(merged, list) or not merged):
        reader.fail(f"{path}.merged_from", reader._("cần một danh sách mã đơn vị cũ."))
        merged = []
    # Each old code is checked like any code, at its own path (`…merged_from[1]`).
    old = [
        reader.code({f"merged_from[{i}]": c}, f"merged_from[{i}]", path)
        for i, c in enumerate(merged or [])
    ]
    renamed = reader.code(item, "renamed_from", path) if "renamed_from" in item else ""
    if old and renamed:
        reader.fail(path, reader._("chỉ dùng một trong merged_from hoặc renamed_from."))
    if item.get("code") in (*old, renamed):
        reader.fail(path, reader._("một đơn vị không gộp hay đổi tên từ chính nó."))
    return {"merged_from": tuple(old), "renamed_from": renamed or None}


# -- conferences ----------------------------------------------------------------------------


def read_conferences(
    reader: SetupReading, raw: Any, timezone: str, periods: Mapping[str, Sequence[str]]
) -> tuple[ConferenceSpec, ...]:
    """The `conferences:` list; `periods` are the file's (code -> cluster codes)."""
    known = {**reader.known_periods, **{code: frozenset(c) for code, c in periods.items()}}
    conferences = _each(
        reader,
        raw,
        "conferences",
        lambda item, path: _Conference(reader, known).read(item, path, timezone),
    )
    reader.duplicates([c.code for c in conferences], "conferences", "code")
    return tuple(conferences)


class _Conference:
    """Reads one conference: its times in order, its agenda and its votes."""

    def __init__(self, reader: SetupReading, periods: Mapping[str, frozenset[str]]) -> None:
        self.reader = reader
        self._ = reader._
        self.periods = periods
        self.units: frozenset[str] = frozenset()

    def read(self, raw: Any, path: str, timezone: str) -> ConferenceSpec | None:
        r = self.reader
        item = r.mapping(raw, path, _CONFERENCE_KEYS)
        if item is None:
            return None
        cluster = self.cluster(item, path)
        times = {
            key: r.moment(item.get(key), f"{path}.{key}", timezone)
            for key in ("invite", "rsvp_by", "starts")
        }
        ends = r.moment(item["ends"], f"{path}.ends", timezone) if "ends" in item else None
        self.in_order(times["invite"], times["rsvp_by"], times["starts"], ends, path)
        votes = _each(r, item.get("votes"), f"{path}.votes", self.vote)
        r.duplicates([vote.code for vote in votes], f"{path}.votes", "code")
        return ConferenceSpec(
            code=r.code(item, "code", path),
            name=r.text(item, "name", path),
            cluster=cluster,
            kind=self.kind(item, path),
            starts=times["starts"] or datetime.min,
            place=r.text(item, "place", path),
            invite=times["invite"] or datetime.min,
            rsvp_by=times["rsvp_by"] or datetime.min,
            delegates=self.count(item, "delegates", path, _MAX_DELEGATES) or 0,
            timezone=timezone,
            period=self.period(item, path, cluster),
            host=_unit_of(r, item, "host", path, self.units),
            ends=ends,
            place_name=r.text(item, "place_name", path, required=False) or None,
            reminder_minutes=r.reminders(item.get("reminders"), f"{path}.reminders"),
            agenda=tuple(_each(r, item.get("agenda"), f"{path}.agenda", self.agenda_item)),
            votes=tuple(votes),
        )

    def cluster(self, item: dict[str, Any], path: str) -> str:
        cluster = self.reader.text(item, "cluster", path)
        if cluster and cluster not in self.reader.cluster_units:
            self.reader.fail(
                f"{path}.cluster", self._("không có cụm «{code}».").format(code=cluster)
            )
        self.units = self.reader.cluster_units.get(cluster, frozenset())
        return cluster

    def period(self, item: dict[str, Any], path: str, cluster: str) -> str | None:
        period = self.reader.text(item, "period", path, required=False)
        if not period:
            return None
        if period not in self.periods:
            message = self._("không có kỳ báo cáo «{code}».").format(code=period)
            self.reader.fail(f"{path}.period", message)
        elif cluster and cluster not in self.periods[period]:
            message = self._("kỳ báo cáo «{period}» không gồm cụm «{cluster}».")
            self.reader.fail(f"{path}.period", message.format(period=period, cluster=cluster))
        return period

    def kind(self, item: dict[str, Any], path: str) -> str:
        kind = self.reader.text(item, "kind", path)
        if kind and kind not in CONFERENCE_KINDS:
            message = self._("loại hội nghị «{kind}» không có; dùng một trong: {kinds}.")
            self.reader.fail(
                f"{path}.kind", message.format(kind=kind, kinds=", ".join(CONFERENCE_KINDS))
            )
        return kind

    def in_order(
        self,
        invite: datetime | None,
        rsvp_by: datetime | None,
        starts: datetime | None,
        ends: datetime | None,
        path: str,
    ) -> None:
        """invite ≤ rsvp_by ≤ starts ≤ ends; each slip reported at the later key."""
        _ = self._
        pairs = [
            (
                invite,
                rsvp_by,
                "rsvp_by",
                _("hạn đăng ký (rsvp_by) không được sớm hơn lúc gửi giấy mời (invite)."),
            ),
            (
                rsvp_by,
                starts,
                "starts",
                _("giờ khai mạc (starts) không được sớm hơn hạn đăng ký (rsvp_by)."),
            ),
            (
                starts,
                ends,
                "ends",
                _("giờ kết thúc (ends) không được sớm hơn giờ khai mạc (starts)."),
            ),
        ]
        for earlier, later, key, message in pairs:
            if earlier is not None and later is not None and later < earlier:
                self.reader.fail(f"{path}.{key}", message)

    def count(self, item: dict[str, Any], key: str, path: str, limit: int) -> int | None:
        """A whole number from 1 to `limit` at `key` (required)."""
        value = item.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
            message = self._("cần một số nguyên từ 1 đến {limit}.").format(limit=limit)
            self.reader.fail(
                f"{path}.{key}", message if value is not None else self._("thiếu giá trị.")
            )
            return None
        return value

    def agenda_item(self, raw: Any, path: str) -> AgendaItem | None:
        r = self.reader
        item = r.mapping(raw, path, _AGENDA_KEYS)
        if item is None:
            return None
        kind = item.get("kind")
        if kind not in (None, VOTE):
            r.fail(f"{path}.kind", self._("chỉ nhận kind: vote (mục biểu quyết)."))
        return AgendaItem(
            title=r.text(item, "title", path),
            at=r.clock(item.get("at"), f"{path}.at"),
            by=_unit_of(r, item, "by", path, self.units),
            kind=VOTE if kind == VOTE else None,
        )

    def vote(self, raw: Any, path: str) -> VoteSpec | None:
        r = self.reader
        item = r.mapping(raw, path, _VOTE_KEYS)
        if item is None:
            return None
        approval = r.flag(item, "approval", path, False)
        for key in ("seats", "candidates", "elects") if approval else ():
            if key in item:
                message = self._(
                    "biểu quyết tán thành (approval) có sẵn ba phương án, không có {key}."
                )
                r.fail(f"{path}.{key}", message.format(key=key))
        candidates = self.candidates(item.get("candidates", "all"), f"{path}.candidates")
        seats = self.count(item, "seats", path, 100) if "seats" in item else 1
        pool = len(candidates) or len(self.units)
        if seats and pool and seats > pool:
            message = self._("nhiều hơn số ứng viên ({count}).").format(count=pool)
            r.fail(f"{path}.seats", message)
        elects, year = self.elects(item, path, seats or 1)
        return VoteSpec(
            code=r.code(item, "code", path),
            title=r.text(item, "title", path),
            approval=approval,
            secret=r.flag(item, "secret", path, True),
            seats=seats or 1,
            candidates=candidates,
            threshold=self.threshold(item, "threshold", path),
            base=self.base(item, path),
            quorum=self.threshold(item, "quorum", path),
            elects=elects,
            year=year,
        )

    def candidates(self, raw: Any, path: str) -> tuple[str, ...]:
        if raw == "all":
            return ()
        if not isinstance(raw, list) or not raw or any(isinstance(c, (dict, list)) for c in raw):
            self.reader.fail(path, self._("cần all hoặc một danh sách mã đơn vị."))
            return ()
        codes = [str(code).strip() for code in raw]
        for index, code in enumerate(codes):
            if self.units and code not in self.units:
                self.reader.fail(f"{path}[{index}]", self.reader.no_such_unit(code))
            elif code in codes[:index]:
                self.reader.fail(f"{path}[{index}]", self._("«{code}» bị trùng.").format(code=code))
        return tuple(dict.fromkeys(codes))

    def threshold(self, item: dict[str, Any], key: str, path: str) -> Threshold:
        raw = item.get(key)
        if raw is None:
            return MORE_THAN_HALF
        threshold = parse_threshold(str(raw))
        if threshold is None:
            message = self._('«{value}» không phải ngưỡng như ">1/2" hoặc ">=2/3".')
            self.reader.fail(f"{path}.{key}", message.format(value=raw))
            return MORE_THAN_HALF
        return threshold

    def base(self, item: dict[str, Any], path: str) -> Base:
        raw = item.get("base", Base.PRESENT.value)
        if raw not in (Base.PRESENT.value, Base.ALL.value):
            self.reader.fail(f"{path}.base", self._("chỉ nhận present hoặc all."))
            return Base.PRESENT
        return Base(raw)

    def elects(self, item: dict[str, Any], path: str, seats: int) -> tuple[str | None, int | None]:
        """Which leader an election makes (`chair`, `vice_chair`) and for which year."""
        r, _ = self.reader, self._
        elects = item.get("elects")
        if elects is None:
            if "year" in item:
                r.fail(f"{path}.year", _("year chỉ dùng cùng elects."))
            return None, None
        if elects not in _ELECTS:
            r.fail(f"{path}.elects", _("chỉ nhận chair hoặc vice_chair."))
        if seats != 1:
            r.fail(f"{path}.seats", _("bầu cụm trưởng hoặc cụm phó chỉ có một ghế (seats: 1)."))
        year = r.year(item.get("year"), f"{path}.year")
        return (elects if elects in _ELECTS else None), year
