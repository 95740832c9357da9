"""`/board`: a cluster's progress, in its bound group or a chair's private chat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import select

from bot.desk.pickers import outside, pick_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.periods import Phase, phase
from bot.domain.replies import Reply
from bot.domain.roles import Chat
from bot.edge.send import Item
from bot.notices.board import board_text
from bot.storage import directory
from bot.storage.models import Cluster, GroupChat, Period
from bot.storage.progress import unit_progress

__all__ = ["board", "current_period", "progress_board"]


def board(desk: Desk, request: Request) -> list[Item]:
    """`/board`: in a bound group, its cluster's board; in private, a chair's or admin's."""
    if desk.chat is Chat.PRIVATE:
        return _private_board(desk, request)
    _ = desk._
    group = desk.session.exec(select(GroupChat).where(GroupChat.chat_id == desk.chat_id)).first()
    cluster = desk.session.get(Cluster, group.cluster_id) if group and group.cluster_id else None
    if cluster is None:
        return [
            Reply(
                _(
                    "Nhóm này chưa gắn với cụm nào. Quản trị viên gõ /bind <mã cụm> trong nhóm "
                    "để gắn."
                )
            )
        ]
    return progress_board(desk, cluster, None)


def _private_board(desk: Desk, request: Request) -> list[Item]:
    """`/board [cluster] [period]` in the private chat (a period alone is fine for one cluster)."""
    _ = desk._
    first, period_word, cluster_words = request.word(0), request.word(1), request.words[:1]
    if first is not None and desk.cluster(first) is None and desk.period(first) is not None:
        period_word, cluster_words = first, ()
    reachable = desk.clusters_in_scope()
    cluster = pick_cluster(desk, Request(request.command, cluster_words), 0, [], reachable)
    period: Period | None = None
    if period_word is not None:
        period = desk.period(period_word)
        if period is None:
            return [Reply(_("Không tìm thấy kỳ báo cáo «{code}».").format(code=period_word))]
    period = period or current_period(
        directory.periods_of_cluster(desk.session, cluster.id or 0), desk.now
    )
    if period is not None and not desk.caller.leads(cluster.id or 0, period.year):
        raise outside(desk, period.name)
    return progress_board(desk, cluster, period)


def current_period(periods: Sequence[Period], now: datetime) -> Period | None:
    """The period a board is about: one taking figures (nearest deadline), else the last opened,
    else the next to open."""
    taking = [p for p in periods if phase(p, now) in (Phase.OPEN, Phase.LATE)]
    if taking:
        return min(taking, key=lambda p: p.deadline_at)
    opened = [p for p in periods if p.opens_at <= now]
    if opened:
        return max(opened, key=lambda p: p.opens_at)
    return min(periods, key=lambda p: p.opens_at, default=None)


def progress_board(desk: Desk, cluster: Cluster, period: Period | None) -> list[Item]:
    """The board of `cluster` in `period` (or its current period)."""
    _ = desk._
    period = period or current_period(
        directory.periods_of_cluster(desk.session, cluster.id or 0), desk.now
    )
    if period is None:
        return [Reply(_("{cluster} chưa có kỳ báo cáo nào.").format(cluster=cluster.name))]
    progress = unit_progress(desk.session, period=period, cluster_id=cluster.id or 0)
    text = board_text(
        period=period, cluster=cluster, progress=progress, now=desk.now, locale=desk.locale
    )
    return [Reply(text)]
