"""A command's desk: its session and caller, the rows its words name, and those in reach."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, select

from bot.desk.request import ALL, Ask, Request, token, token_id
from bot.domain.callbacks import encode
from bot.domain.i18n import Translate, gettext_for
from bot.domain.replies import Button, Reply
from bot.domain.roles import Caller, Chat, out_of_scope
from bot.settings import Settings
from bot.storage import directory
from bot.storage.models import Cluster, Period, Person, Unit

__all__ = ["Desk"]

_BUTTON_LIMIT = 60  # more buttons than this make a keyboard no one can scan on a phone


@dataclass
class Desk:
    """One command's session, caller and words: the helpers every admin or chair step uses."""

    session: Session
    person: Person
    caller: Caller
    locale: str
    now: datetime
    settings: Settings
    chat_id: int
    chat: Chat
    chat_title: str = ""
    bot_username: str = ""

    @property
    def _(self) -> Translate:
        return gettext_for(self.locale)

    @property
    def actor(self) -> str:
        return f"telegram:{self.person.telegram_id}"

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

    # -- asking for arguments --------------------------------------------------------------

    def choose(
        self,
        command: str,
        prefix: Sequence[str],
        question: str,
        options: Sequence[tuple[str, str]],
        *,
        columns: int = 1,
    ) -> Ask:
        """Ask for the next argument with one button per option (label, token)."""
        _ = self._
        if not options:
            if self.caller.is_admin:
                return Ask(
                    [Reply(_("Chưa có gì để chọn. Hãy nhập tệp thiết lập trước (/import)."))]
                )
            return Ask([Reply(_("Chưa có gì để chọn."))])
        shown = list(options)[:_BUTTON_LIMIT]
        buttons = [Button(label[:60], encode("c", command, *prefix, tok)) for label, tok in shown]
        rows = tuple(tuple(buttons[i : i + columns]) for i in range(0, len(buttons), columns))
        if len(options) > len(shown):
            question += "\n" + _("(Chỉ hiện {shown}/{count} lựa chọn; gõ mã sau lệnh /{command}.)")
            question = question.format(shown=len(shown), count=len(options), command=command)
        return Ask([Reply(question, rows)])

    def outside(self, name: str) -> Ask:
        """A row the caller named but may not reach from here."""
        if self.caller.is_admin:
            text = self._("«{name}» không thuộc phạm vi đã chọn.").format(name=name)
            return Ask([Reply(text)])
        return Ask([Reply(out_of_scope(self.locale))])

    def not_found(self, what: str, text: str, asked: Ask) -> Ask:
        """An unknown code: say so, then ask again."""
        _ = self._
        first = _("Không tìm thấy {what} «{code}».").format(what=what, code=text)
        return Ask([Reply(first), *asked.items])

    def pick_period(self, request: Request, index: int, prefix: Sequence[str]) -> Period | Ask:
        """Argument `index` as a period the caller may reach, or the question asking for it."""
        _ = self._
        reachable = self.periods_in_scope()
        asked = self.choose(
            request.command,
            prefix,
            _("Chọn kỳ báo cáo:"),
            [(period.name, token(period)) for period in reachable],
        )
        text = request.word(index)
        if text is None:
            return asked
        period = self.period(text)
        if period is None:
            return self.not_found(_("kỳ báo cáo"), text, asked)
        if period.id not in {p.id for p in reachable}:
            return self.outside(period.name)
        return period

    def pick_cluster(
        self,
        request: Request,
        index: int,
        prefix: Sequence[str],
        reachable: list[Cluster],
        *,
        every: bool = False,
    ) -> Cluster | Ask | None:
        """A cluster among `reachable` (None for "all" when `every`); one is taken as given."""
        _ = self._
        options = [(f"{c.name} ({c.code})", token(c)) for c in reachable]
        if every and len(reachable) > 1:
            options.insert(0, (_("Tất cả các cụm"), ALL))
        asked = self.choose(request.command, prefix, _("Chọn cụm:"), options)
        text = request.word(index)
        if text is None:
            if len(reachable) == 1:
                return reachable[0]
            return asked
        if every and text == ALL:
            return None
        cluster = self.cluster(text)
        if cluster is None:
            return self.not_found(_("cụm"), text, asked)
        if cluster.id not in {c.id for c in reachable}:
            return self.outside(cluster.name)
        return cluster

    def pick_unit(
        self, request: Request, index: int, prefix: Sequence[str], reachable: list[Cluster]
    ) -> Unit | Ask:
        """A unit of the reachable clusters: first the cluster (if several), then the unit."""
        _ = self._
        text = request.word(index)
        cluster = self.cluster(text) if text and token_id(text, "c") is not None else None
        if text is None or cluster is not None:
            if cluster is None and len(reachable) != 1:
                return self.pick_cluster_first(request, prefix, reachable)
            chosen = cluster or reachable[0]
            if chosen.id not in {c.id for c in reachable}:
                return self.outside(chosen.name)
            return self.choose(
                request.command,
                prefix,
                _("Chọn đơn vị của {cluster}:").format(cluster=chosen.name),
                [(unit.name, token(unit)) for unit in self.units(chosen)],
                columns=2,
            )
        unit = self.unit(text)
        if unit is None:
            asked = self.pick_cluster_first(request, prefix, reachable)
            return self.not_found(_("đơn vị"), text, asked)
        if not any(unit.id in {u.id for u in self.units(c)} for c in reachable):
            return self.outside(unit.name)
        return unit

    def pick_cluster_first(
        self, request: Request, prefix: Sequence[str], reachable: list[Cluster]
    ) -> Ask:
        """Ask for the cluster whose units are offered next."""
        _ = self._
        return self.choose(
            request.command,
            prefix,
            _("Chọn cụm, rồi chọn đơn vị:"),
            [(f"{c.name} ({c.code})", token(c)) for c in reachable],
        )

    def pick_word(
        self,
        request: Request,
        index: int,
        prefix: Sequence[str],
        question: str,
        options: Sequence[tuple[str, str]],
    ) -> str | Ask:
        """One of a few fixed words (a format, a role), by button or typed."""
        asked = self.choose(request.command, prefix, question, options, columns=len(options))
        text = request.word(index)
        if text is None:
            return asked
        if text.lower() not in {tok for _label, tok in options}:
            return Ask([Reply(self._("«{word}» không phải lựa chọn hợp lệ.").format(word=text))])
        return text.lower()

    def units(self, cluster: Cluster) -> list[Unit]:
        return directory.units_of_cluster(self.session, cluster.id or 0)
