"""Import conferences (agenda, votes) and a cluster's kind, letterhead and later leaders.

Called by the set-up importer, whose upsert makes every write idempotent and lists it in the
preview. The file never takes away what people did in the chat: an agenda the file leaves
out is kept (the template only fills an empty one), and a vote once opened is left as it is.
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from bot.domain.agenda import AgendaItem, agenda_template
from bot.setup import ClusterSpec, UnitSpec
from bot.setup.conference_specs import ConferenceSpec, VoteSpec
from bot.storage.conference_tables import AgendaEntry, Conference, ConferenceVote
from bot.storage.import_rows import Importing, codes_by_code
from bot.storage.models import Cluster, ClusterLeadership, Period, PeriodCluster, Unit
from bot.storage.types import require_id

__all__ = [
    "cluster_values",
    "conference_year",
    "import_conferences",
    "import_leaders",
    "known_periods",
    "unit_values",
]

DRAFT = "draft"  # a vote not opened yet: the file may still change or drop it


def known_periods(session: Session) -> dict[str, frozenset[str]]:
    """Period code -> its clusters' codes, as stored, so that a file's conferences may cite them."""
    pairs = (
        select(Period.code, Cluster.code)
        .join(PeriodCluster, col(PeriodCluster.period_id) == Period.id)
        .join(Cluster, col(Cluster.id) == PeriodCluster.cluster_id)
    )
    return codes_by_code(session, pairs, select(Period.code))


def cluster_values(spec: ClusterSpec) -> dict[str, Any]:
    """The cluster's columns this module adds to the importer's cluster row."""
    return {
        "kind": spec.kind,
        "language": spec.language,
        "letterhead": list(spec.letterhead),
        "place_name": spec.place_name,
    }


def unit_values(spec: UnitSpec) -> dict[str, Any]:
    """A unit's lineage columns, stored as given (what follows from them is a later issue)."""
    return {"merged_from": list(spec.merged_from), "renamed_from": spec.renamed_from}


def import_leaders(importer: Importing, spec: ClusterSpec, cluster_id: int) -> None:
    """Later years' chair and vice-chair; a role the file leaves out (elected later) is kept."""
    for leader in spec.leaders:
        roles = {
            column: _unit_id(importer.session, code)
            for column, code in (
                ("chair_unit_id", leader.chair),
                ("vice_chair_unit_id", leader.vice_chair),
            )
            if code
        }
        importer.upsert(
            ClusterLeadership,
            "leadership",
            f"{spec.code}/{leader.year}",
            {"cluster_id": cluster_id, "year": leader.year},
            roles,
        )


def import_conferences(importer: Importing, specs: tuple[ConferenceSpec, ...]) -> None:
    """Every conference of the file, with its agenda and votes."""
    for spec in specs:
        _Conference(importer, spec).run()


def conference_year(spec: ConferenceSpec, period_year: int | None) -> int:
    """The year a conference is about: its period's, or its own (a tổng kết early in the
    year reviews the year before, as the cycle runs Nov–Feb)."""
    if period_year is not None:
        return period_year
    local = spec.starts
    return local.year - 1 if spec.kind == "tong-ket" and local.month <= 2 else local.year


class _Conference:
    def __init__(self, importer: Importing, spec: ConferenceSpec) -> None:
        self.importer = importer
        self.session = importer.session
        self.spec = spec
        self.cluster = self.session.exec(select(Cluster).where(Cluster.code == spec.cluster)).one()

    def run(self) -> None:
        period = self.period()
        year = conference_year(self.spec, period.year if period else None)
        conference = self.importer.upsert(
            Conference,
            "conference",
            self.spec.code,
            {"code": self.spec.code},
            self.values(period, year),
        )
        self.agenda(conference, year)
        self.votes(require_id(conference))

    def period(self) -> Period | None:
        if self.spec.period is None:
            return None
        return self.session.exec(select(Period).where(Period.code == self.spec.period)).one()

    def values(self, period: Period | None, year: int) -> dict[str, Any]:
        spec = self.spec
        return {
            "name": spec.name,
            "cluster_id": require_id(self.cluster),
            "period_id": period.id if period else None,
            "kind": spec.kind,
            "host_unit_id": self.host(year),
            "starts_at": spec.starts,
            "ends_at": spec.ends,
            "place": spec.place,
            "place_name": spec.place_name,
            "invite_at": spec.invite,
            "rsvp_by": spec.rsvp_by,
            "reminder_offsets": list(spec.reminder_minutes),
            "max_delegates": spec.delegates,
            "timezone": spec.timezone,
        }

    def host(self, year: int) -> int | None:
        """The host unit; by default the chair's unit for the conference's year."""
        if self.spec.host:
            return _unit_id(self.session, self.spec.host)
        leadership = self.session.exec(
            select(ClusterLeadership).where(
                ClusterLeadership.cluster_id == self.cluster.id, ClusterLeadership.year == year
            )
        ).first()
        return leadership.chair_unit_id if leadership else None

    def agenda(self, conference: Conference, year: int) -> None:
        """The file's agenda replaces the stored one; without one, the template fills an
        empty agenda and leaves one typed in the chat alone."""
        conference_id = require_id(conference)
        stored = self.session.exec(
            select(AgendaEntry)
            .where(AgendaEntry.conference_id == conference_id)
            .order_by(col(AgendaEntry.position))
        ).all()
        items = self.spec.agenda
        if not items:
            if stored:
                return
            items = agenda_template(self.spec.kind, year=year, cluster_kind=self.cluster.kind)
        for position, item in enumerate(items):
            self.importer.upsert(
                AgendaEntry,
                "agenda_item",
                f"{self.spec.code}/{position + 1}",
                {"conference_id": conference_id, "position": position},
                self.item_values(item),
            )
        for entry in stored[len(items) :]:
            self.drop_item(conference, entry)

    def item_values(self, item: AgendaItem) -> dict[str, Any]:
        presenter = _unit_id(self.session, item.by) if item.by else None
        return {
            "at": item.at,
            "title": item.title,
            "presenter_unit_id": presenter,
            "kind": item.kind,
        }

    def drop_item(self, conference: Conference, entry: AgendaEntry) -> None:
        if conference.current_item_id == entry.id:
            conference.current_item_id = None
        self.session.delete(entry)
        key = f"{self.spec.code}/{entry.position + 1}"
        self.importer.record("removed", "agenda_item", key, {"title": entry.title}, None)

    def votes(self, conference_id: int) -> None:
        """Draft votes follow the file; an opened or closed vote is never changed by it."""
        stored = {
            vote.code: vote
            for vote in self.session.exec(
                select(ConferenceVote).where(ConferenceVote.conference_id == conference_id)
            )
        }
        for position, spec in enumerate(self.spec.votes):
            existing = stored.get(spec.code)
            if existing is not None and existing.state != DRAFT:
                continue
            self.importer.upsert(
                ConferenceVote,
                "vote",
                f"{self.spec.code}/{spec.code}",
                {"conference_id": conference_id, "code": spec.code},
                _vote_values(spec, position),
            )
        wanted = {spec.code for spec in self.spec.votes}
        for code, vote in stored.items():
            if code not in wanted and vote.state == DRAFT:
                self.session.delete(vote)
                key = f"{self.spec.code}/{code}"
                self.importer.record("removed", "vote", key, {"title": vote.title}, None)


def _vote_values(spec: VoteSpec, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "title": spec.title,
        "approval": spec.approval,
        "secret": spec.secret,
        "seats": spec.seats,
        "candidates": list(spec.candidates),
        "threshold": str(spec.threshold),
        "base": spec.base.value,
        "quorum": str(spec.quorum),
        "elects": spec.elects,
        "elects_year": spec.year,
    }


def _unit_id(session: Session, code: str) -> int:
    unit = session.exec(select(Unit).where(Unit.code == code)).one()
    return require_id(unit)
