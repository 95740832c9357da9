"""The tick: what is due for every running period and cluster becomes outbox rows."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, func, select

from bot.domain.due import Due, QuietHours, due_now, parse_quiet_hours
from bot.domain.i18n import group_locale
from bot.domain.periods import Phase, phase
from bot.notices import texts
from bot.notices.board import board_signature, board_text
from bot.notices.budget import Budget
from bot.notices.conference import plan_conferences
from bot.notices.digest import plan_digests
from bot.notices.pledges import plan_registrations
from bot.notices.queue import NoticeQueue
from bot.notices.recipients import Reachable, clusters_of, groups_of, groups_of_clusters
from bot.storage.models import Cluster, GroupChat, OutboxMessage, Period
from bot.storage.outbox import SENT, queued_keys
from bot.storage.progress import UnitProgress, period_progress, unit_progress
from bot.storage.types import require_id

__all__ = ["Planner", "pending_count", "summary_texts"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Planner:
    """Queues what is due at `now`; `locale` for people without a language of their own (a
    group's posts are in its cluster's language)."""

    now: datetime
    locale: str = "vi"
    quiet: QuietHours | None = None  # the setting's default; a period's own hours win
    # Seconds into the tick after which summaries and digests wait for the next one: the
    # tick's own work (reminders, lists) counts, so a national deadline stays under two.
    heavy_seconds: float | None = 1.2

    def plan(self, session: Session) -> int:
        """Queue every message due now; the number newly queued."""
        out = NoticeQueue(session, self.locale, self.now, batch=True)
        budget = Budget(self.heavy_seconds, started=time.monotonic())
        read: dict[int, dict[int, list[UnitProgress]]] = {}  # the digests need it too
        for period in _running_periods(session, self.now):
            # Each period's clusters read together: a query per cluster is seconds a tick
            # at national scale, and the tick runs every minute.
            clusters = clusters_of(session, require_id(period))
            ids = [require_id(cluster) for cluster in clusters]
            progress = read[require_id(period)] = period_progress(
                session, period=period, cluster_ids=ids
            )
            groups = groups_of_clusters(session, ids)
            boards = _Boards(session, period)
            reachable = _reachable(session, period, progress)
            for cluster in clusters:
                cluster_id = require_id(cluster)
                state = _ClusterState(progress[cluster_id], groups.get(cluster_id, []), reachable)
                self.plan_cluster(session, period, cluster, out, state, boards, budget)
        out.flush()
        queued = out.queued
        # Conferences: the invitation, what changed, reminders, the board, the day before.
        queued += plan_conferences(session, now=self.now, locale=self.locale, quiet=self.quiet)
        # Next year's targets: registration opened, reminders, the group's board.
        queued += plan_registrations(session, now=self.now, locale=self.locale, quiet=self.quiet)
        # The chair's digest: once a day, what came in since the last one (nothing if nothing).
        queued += plan_digests(
            session,
            now=self.now,
            locale=self.locale,
            quiet=self.quiet,
            budget=budget,
            progress=read,
        )
        if budget.deferred:
            log.info("%d summaries or digests left for the next tick", budget.deferred)
        return queued

    def plan_cluster(
        self,
        session: Session,
        period: Period,
        cluster: Cluster,
        out: NoticeQueue | None = None,
        state: _ClusterState | None = None,
        boards: _Boards | None = None,
        budget: Budget | None = None,
    ) -> int:
        """Queue what is due for one period in one cluster (into `out`, for a whole tick)."""
        if out is None:
            out = NoticeQueue(session, self.locale, self.now, batch=True)
            queued = self.plan_cluster(session, period, cluster, out)
            out.flush()
            return queued
        if state is None:
            cluster_id = require_id(cluster)
            progress = unit_progress(session, period=period, cluster_id=cluster_id)
            reachable = _reachable(session, period, {cluster_id: progress})
            state = _ClusterState(progress, groups_of(session, cluster_id), reachable)
        before = out.queued
        progress, groups = state.progress, state.groups
        owing = [unit for unit in progress if unit.owes]
        due = due_now(
            period,
            self.now,
            tz=ZoneInfo(period.timezone),
            quiet=self._quiet(period),
            all_submitted=bool(progress) and not owing,
        )
        shown = group_locale(cluster.language)
        if due.announce:
            for group in groups:
                text = texts.announcement(period, cluster, self.now, shown)
                out.group(
                    f"open:{period.id}:{cluster.id}:{group.chat_id}", group, text, button=shown
                )
        if owing and (due.reminder_offset is not None or due.overdue_day is not None):
            self._reminders(out, period, cluster, state, owing, due)
        if due.board_day is not None:
            for group in groups:
                self._board(out, boards or _Boards(session, period), cluster, group, due, progress)
        if due.summary:
            self._summary(out, period, cluster, groups, budget or Budget(None))
        return out.queued - before

    def _reminders(
        self,
        out: NoticeQueue,
        period: Period,
        cluster: Cluster,
        state: _ClusterState,
        owing: list[UnitProgress],
        due: Due,
    ) -> None:
        """Before the deadline, the owing units in the groups and in private; after it, daily."""
        reachable = state.reachable
        stamp = int(period.deadline_at.timestamp())  # an edited deadline gets its own reminders
        p, c = period.id, cluster.id
        shown = group_locale(cluster.language)
        if due.reminder_offset is not None:
            offset = due.reminder_offset
            for group in state.groups:
                text = texts.group_missing(period, state.progress, self.now, shown)
                out.group(
                    f"missing:{p}:{stamp}:{offset}:{group.chat_id}", group, text, button=shown
                )
            reminder_text = partial(texts.private_reminder, cluster_kind=cluster.kind)
            for unit in owing if due.private_allowed else []:
                for person in reachable.of_unit(unit.unit_id):
                    out.private(
                        f"remind:{p}:{stamp}:{offset}:{unit.unit_id}:{person.id}",
                        person,
                        partial(reminder_text, period, unit, self.now),
                        button=True,
                    )
        if due.overdue_day is None or not due.private_allowed:
            return
        day = due.overdue_day
        for unit in owing:
            for person in reachable.of_unit(unit.unit_id):
                out.private(
                    f"overdue:{p}:{stamp}:{day}:{unit.unit_id}:{person.id}",
                    person,
                    partial(texts.overdue_reminder, period, unit),
                    button=True,
                )
        for person in reachable.chairs(require_id(cluster)):
            out.private(
                f"overdue-list:{p}:{stamp}:{day}:{c}:{person.id}",
                person,
                lambda locale: texts.chair_overdue_list(period, cluster, owing, locale),
            )

    def _quiet(self, period: Period) -> QuietHours | None:
        return parse_quiet_hours(period.quiet_hours) if period.quiet_hours else self.quiet

    def _board(
        self,
        out: NoticeQueue,
        boards: _Boards,
        cluster: Cluster,
        group: GroupChat,
        due: Due,
        progress: Sequence[UnitProgress],
    ) -> None:
        """One board a day, edited in place (not posted again) when a unit's state changes."""
        period, day = boards.period, due.board_day
        assert day is not None
        key = f"board:{period.id}:{cluster.id}:{group.chat_id}:{day.isoformat()}"
        locale = group_locale(cluster.language)
        text = board_text(
            period=period, cluster=cluster, progress=progress, now=self.now, locale=locale
        )
        signature = board_signature(progress)
        if out.group(key, group, text, extra={"_signature": signature}):
            return
        board = boards.row(key)
        if board is None or board.status != SENT or board.telegram_message_id is None:
            return  # not out yet: the edit waits for its message id
        shown, edits = boards.shown(board)
        if shown == signature:
            return
        out.group(
            f"{key}:edit:{edits + 1}",
            group,
            text,
            method="editMessageText",
            extra={"_signature": signature, "message_id": board.telegram_message_id},
        )
        # The board itself remembers what its last edit shows: no search for edits next tick.
        board.payload = board.payload | {"_shown": signature, "_edits": edits + 1}
        out.session.add(board)

    def _summary(
        self,
        out: NoticeQueue,
        period: Period,
        cluster: Cluster,
        groups: Sequence[GroupChat],
        budget: Budget,
    ) -> None:
        """The cluster summary in each group: text, chart and Excel file, once."""
        locale = group_locale(cluster.language)
        for group in groups:
            key = f"summary:{period.id}:{cluster.id}:{group.chat_id}"
            if out.known(f"{key}:workbook"):
                continue
            if not budget.allow():
                return  # the next tick queues it
            for number, part in enumerate(summary_texts(out.session, period, cluster, locale)):
                out.group(f"{key}:text:{number}", group, part)
            for kind, method in (("chart", "sendPhoto"), ("workbook", "sendDocument")):
                render = {"kind": kind, "period_id": period.id, "cluster_id": cluster.id}
                out.group(
                    f"{key}:{kind}",
                    group,
                    None,
                    method=method,
                    extra={"_render": render | {"locale": locale}},
                )


@dataclass(frozen=True)
class _ClusterState:
    """What a tick reads of one cluster before deciding: its units' progress and its groups."""

    progress: list[UnitProgress]
    groups: list[GroupChat]
    reachable: Reachable  # shared by the period's clusters


def _reachable(
    session: Session, period: Period, progress: dict[int, list[UnitProgress]]
) -> Reachable:
    """Who the period's private reminders may go to: the owing units' people, the chairs."""
    owing = {unit.unit_id for units in progress.values() for unit in units if unit.owes}
    return Reachable(session, unit_ids=owing, cluster_ids=list(progress), year=period.year)


class _Boards:
    """A period's boards of one day, read in one query the first time one is asked for."""

    def __init__(self, session: Session, period: Period) -> None:
        self.session, self.period = session, period
        self._rows: dict[str, OutboxMessage] | None = None

    def row(self, key: str) -> OutboxMessage | None:
        """The board posted under `key` (`board:<period>:<cluster>:<chat>:<day>`), if any."""
        if self._rows is None:
            day = key.rpartition(":")[2]
            keys = [
                k for k in queued_keys(self.session, f"board:{self.period.id}:") if k.endswith(day)
            ]
            self._rows = {}
            for start in range(0, len(keys), 500):  # a few hundred keys per IN (…)
                chunk = keys[start : start + 500]
                query = select(OutboxMessage).where(col(OutboxMessage.key).in_(chunk))
                self._rows.update((row.key, row) for row in self.session.exec(query))
        return self._rows.get(key)

    def shown(self, board: OutboxMessage) -> tuple[object, int]:
        """The signature the board shows after its edits, and how many edits there were."""
        if "_edits" in board.payload:
            return board.payload.get("_shown"), int(board.payload["_edits"])
        edits = self.session.exec(  # a board from before the board remembered its edits
            select(OutboxMessage)
            .where(col(OutboxMessage.key).startswith(f"{board.key}:edit:"))
            .order_by(col(OutboxMessage.id).desc())
        ).all()
        return (edits[0] if edits else board).payload.get("_signature"), len(edits)


def summary_texts(session: Session, period: Period, cluster: Cluster, locale: str) -> list[str]:
    """The cluster summary as phone-sized messages."""
    from bot.reports import build_summary, load_snapshot, summary_messages

    snapshot = load_snapshot(session, period_id=require_id(period), cluster_id=cluster.id)
    return summary_messages(build_summary(snapshot), locale=locale)


def _running_periods(session: Session, now: datetime) -> list[Period]:
    """Periods that have opened and are not locked."""
    periods = session.exec(
        select(Period).where(col(Period.opens_at) <= now, col(Period.state) != "locked")
    ).all()
    return [period for period in periods if phase(period, now) is not Phase.LOCKED]


def pending_count(session: Session) -> int:
    """Messages still waiting in the outbox (for logs and the health check)."""
    return session.exec(
        select(func.count(col(OutboxMessage.id))).where(
            col(OutboxMessage.status).in_(("pending", "sending"))
        )
    ).one()
