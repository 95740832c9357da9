"""Read `conferences:`: times in order, place, delegates, agenda and votes, by path.

The set-up reader lends its checks (`SetupReading`), so problems come out by their path in
the file exactly like the rest of it; unknown keys stay warnings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.domain.agenda import CONFERENCE_KINDS, HANDOVER, VOTE, AgendaItem
from bot.setup.conference_specs import ConferenceSpec
from bot.setup.reading import SetupReading, each_item, rejoined_title, unit_of, whole_number
from bot.setup.votes import read_votes

__all__ = ["read_conferences"]

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
_MAX_DELEGATES = 50


def read_conferences(
    reader: SetupReading, raw: Any, timezone: str, periods: Mapping[str, Sequence[str]]
) -> tuple[ConferenceSpec, ...]:
    """The `conferences:` list; `periods` are the file's (code -> cluster codes)."""
    known = {**reader.known_periods, **{code: frozenset(c) for code, c in periods.items()}}
    conferences = each_item(
        reader,
        raw,
        "conferences",
        lambda item, path: _Conference(reader, known).read(item, path, timezone),
    )
    reader.duplicates([c.code for c in conferences], "conferences", "code")
    return tuple(conferences)


class _Conference:
    """Reads one conference."""

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
        return ConferenceSpec(
            code=r.code(item, "code", path),
            name=r.text(item, "name", path),
            cluster=cluster,
            kind=self.kind(item, path),
            starts=times["starts"] or datetime.min,
            place=r.text(item, "place", path),
            invite=times["invite"] or datetime.min,
            rsvp_by=times["rsvp_by"] or datetime.min,
            delegates=whole_number(r, item, "delegates", path, _MAX_DELEGATES) or 0,
            timezone=timezone,
            period=self.period(item, path, cluster),
            host=unit_of(r, item, "host", path, self.units),
            ends=ends,
            place_name=r.text(item, "place_name", path, required=False) or None,
            reminder_minutes=r.reminders(item.get("reminders"), f"{path}.reminders"),
            agenda=tuple(each_item(r, item.get("agenda"), f"{path}.agenda", self.agenda_item)),
            votes=read_votes(r, item.get("votes"), f"{path}.votes", self.units),
        )

    def cluster(self, item: dict[str, Any], path: str) -> str:
        cluster = self.reader.text(item, "cluster", path)
        if cluster and cluster not in self.reader.cluster_units:
            message = self._("không có cụm «{code}».").format(code=cluster)
            self.reader.fail(f"{path}.cluster", message)
        self.units = self.reader.cluster_units.get(cluster, frozenset())
        return cluster

    def period(self, item: dict[str, Any], path: str, cluster: str) -> str | None:
        """The period whose figures it reviews: it must exist and include the cluster."""
        period = self.reader.text(item, "period", path, required=False)
        if not period:
            return None
        if period not in self.periods:
            message = self._("không có kỳ báo cáo «{code}».").format(code=period)
            self.reader.fail(f"{path}.period", message)
        elif cluster in self.reader.cluster_units and cluster not in self.periods[period]:
            message = self._("kỳ báo cáo «{period}» không gồm cụm «{cluster}».")
            self.reader.fail(f"{path}.period", message.format(period=period, cluster=cluster))
        return period

    def kind(self, item: dict[str, Any], path: str) -> str:
        kind = self.reader.text(item, "kind", path)
        if kind and kind not in CONFERENCE_KINDS:
            message = self._("loại hội nghị «{kind}» không có; dùng một trong: {kinds}.")
            kinds = ", ".join(CONFERENCE_KINDS)
            self.reader.fail(f"{path}.kind", message.format(kind=kind, kinds=kinds))
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
        slips = {
            "rsvp_by": (
                invite,
                rsvp_by,
                _("hạn đăng ký (rsvp_by) không được sớm hơn lúc gửi giấy mời (invite)."),
            ),
            "starts": (
                rsvp_by,
                starts,
                _("giờ khai mạc (starts) không được sớm hơn hạn đăng ký (rsvp_by)."),
            ),
            "ends": (
                starts,
                ends,
                _("giờ kết thúc (ends) không được sớm hơn giờ khai mạc (starts)."),
            ),
        }
        for key, (earlier, later, message) in slips.items():
            if earlier is not None and later is not None and later < earlier:
                self.reader.fail(f"{path}.{key}", message)

    def agenda_item(self, raw: Any, path: str) -> AgendaItem | None:
        r = self.reader
        item = r.mapping(rejoined_title(r, raw, path, _AGENDA_KEYS), path, _AGENDA_KEYS)
        if item is None:
            return None
        kind = item.get("kind")
        if kind not in (None, VOTE, HANDOVER):
            message = self._(
                "chỉ nhận kind: vote (mục biểu quyết) hoặc handover (công bố cụm trưởng, cụm phó)."
            )
            r.fail(f"{path}.kind", message)
        return AgendaItem(
            title=r.text(item, "title", path),
            at=r.clock(item.get("at"), f"{path}.at"),
            by=unit_of(r, item, "by", path, self.units),
            kind=kind if kind in (VOTE, HANDOVER) else None,
        )
