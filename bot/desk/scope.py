"""A command's desk: its turn, the rows its words name, and the rows the caller may reach."""

from __future__ import annotations

from sqlmodel import select

from bot.desk.request import token_id
from bot.domain.i18n import Translate
from bot.domain.roles import Caller
from bot.edge.turn import Turn
from bot.storage import directory
from bot.storage.models import Cluster, Period, Unit

__all__ = ["Desk"]


class Desk:
    """One admin's or chair's command: the turn's fields by name, and the rows it reaches."""

    def __init__(self, turn: Turn) -> None:
        self.turn = turn
        self.session, self.person, self.settings = turn.session, turn.person, turn.settings
        self.locale, self.now = turn.locale, turn.now
        self.chat_id, self.chat, self.chat_title = turn.chat_id, turn.chat, turn.chat_title
        self.bot_username = turn.bot_username

    @property
    def caller(self) -> Caller:
        return self.turn.caller

    @property
    def _(self) -> Translate:
        return self.turn._

    @property
    def actor(self) -> str:
        return self.turn.actor

    # -- rows by code or token -------------------------------------------------------------

    def period(self, text: str) -> Period | None:
        row_id = token_id(text, "p")
        if row_id is not None:
            return self.session.get(Period, row_id)
        return self.session.exec(select(Period).where(Period.code == text)).first()

    def cluster(self, text: str) -> Cluster | None:
        row_id = token_id(text, "c")
        if row_id is not None:
            return self.session.get(Cluster, row_id)
        return self.session.exec(select(Cluster).where(Cluster.code == text)).first()

    def unit(self, text: str) -> Unit | None:
        row_id = token_id(text, "u")
        if row_id is not None:
            return self.session.get(Unit, row_id)
        return self.session.exec(select(Unit).where(Unit.code == text)).first()

    # -- what the caller may reach ---------------------------------------------------------

    def periods_in_scope(self) -> list[Period]:
        """Every period for an admin; for a chair, those of the clusters they lead that year."""
        every = directory.periods(self.session)
        if self.caller.is_admin:
            return every
        return [period for period in every if self.clusters_in_scope(period)]

    def clusters_in_scope(self, period: Period | None = None) -> list[Cluster]:
        """The clusters (of the period, if given) the caller may act on."""
        rows = (
            directory.clusters(self.session)
            if period is None
            else directory.clusters_of_period(self.session, period.id or 0)
        )
        if self.caller.is_admin:
            return rows
        if period is None:
            return [c for c in rows if c.id in self.caller.chaired_clusters()]
        return [c for c in rows if self.caller.leads(c.id or 0, period.year)]

    def units(self, cluster: Cluster, year: int | None = None) -> list[Unit]:
        """The cluster's units: members in `year`, or every unit it has had (past periods)."""
        return directory.units_of_cluster(self.session, cluster.id or 0, year or None)
