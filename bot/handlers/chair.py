"""A chair's (and an admin's) desk: board, summary, remind now, export, return a submission."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime

from bot.domain.due import parse_quiet_hours
from bot.domain.periods import Phase, phase
from bot.domain.replies import Reply
from bot.handlers.desk import ALL, Ask, Attachment, Desk, Item, Request, token
from bot.notices.board import board_text
from bot.notices.reminders import remind_now
from bot.storage import directory
from bot.storage.models import Cluster, Period
from bot.storage.progress import unit_progress

__all__ = ["board", "current_period", "export", "progress_board", "remind", "summary"]

FORMATS = ("xlsx", "csv")


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


def board(desk: Desk, request: Request) -> list[Item]:
    """`/board [cluster] [period]` in the private chat (a period alone is fine for one cluster)."""
    _ = desk._
    first, period_word, cluster_words = request.word(0), request.word(1), request.words[:1]
    if first is not None and desk.cluster(first) is None and desk.period(first) is not None:
        period_word, cluster_words = first, ()
    reachable = desk.clusters_in_scope()
    cluster = desk.pick_cluster(Request(request.command, cluster_words), 0, [], reachable)
    if isinstance(cluster, Ask):
        return cluster.items
    assert cluster is not None
    period: Period | None = None
    if period_word is not None:
        period = desk.period(period_word)
        if period is None:
            return [Reply(_("Không tìm thấy kỳ báo cáo «{code}».").format(code=period_word))]
    period = period or current_period(
        directory.periods_of_cluster(desk.session, cluster.id or 0), desk.now
    )
    if period is not None and not desk.caller.leads(cluster.id or 0, period.year):
        return desk.outside(period.name).items
    return progress_board(desk, cluster, period)


def summary(desk: Desk, request: Request) -> list[Item]:
    """`/summary [period] [cluster]`: the compiled text, a chart and the workbook."""
    _ = desk._
    chosen = _period_and_cluster(desk, request, every=False)
    if isinstance(chosen, Ask):
        return chosen.items
    period, cluster = chosen
    # Imported when used: reports load matplotlib, which the rest of the bot does not need.
    from bot.reports import (
        build_summary,
        load_snapshot,
        summary_chart,
        summary_messages,
        summary_workbook,
    )

    snapshot = load_snapshot(desk.session, period_id=period.id or 0, cluster_id=_id(cluster))
    compiled = build_summary(snapshot)
    items: list[Item] = [Reply(text) for text in summary_messages(compiled, locale=desk.locale)]
    name = f"{period.code}-{cluster.code if cluster else 'all'}"
    items.append(Attachment(f"{name}.png", summary_chart(compiled, locale=desk.locale), photo=True))
    items.append(
        Attachment(
            f"tong-hop-{name}.xlsx",
            summary_workbook(snapshot, locale=desk.locale),
            caption=_("Bảng tổng hợp kỳ «{period}»").format(period=period.name),
        )
    )
    return items


def remind(desk: Desk, request: Request) -> list[Item]:
    """`/remind [period] [cluster|*]`: remind every unit that owes, now."""
    _ = desk._
    chosen = _period_and_cluster(desk, request, every=desk.caller.is_admin)
    if isinstance(chosen, Ask):
        return chosen.items
    period, cluster = chosen
    if phase(period, desk.now) in (Phase.UPCOMING, Phase.LOCKED):
        return [
            Reply(
                _("Kỳ «{period}» không nhận số liệu lúc này nên không nhắc.").format(
                    period=period.name
                )
            )
        ]
    queued = remind_now(
        desk.session,
        period=period,
        cluster_id=_id(cluster),
        now=desk.now,
        actor=desk.actor,
        locale=desk.settings.locale,  # the group's post is in the bot's own language
        quiet=parse_quiet_hours(desk.settings.quiet_hours),
    )
    if not queued:
        return [
            Reply(
                _("Không có ai cần nhắc: các đơn vị đã nộp, hoặc đơn vị chưa nộp chưa có đầu mối.")
            )
        ]
    return [
        Reply(
            _("🔔 Đã xếp hàng {count} tin nhắc các đơn vị chưa nộp kỳ «{period}».").format(
                count=queued, period=period.name
            )
        )
    ]


def export(desk: Desk, request: Request) -> list[Item]:
    """`/export [period] [cluster|*] [xlsx|csv]`: the period's latest figures as a file."""
    _ = desk._
    words = request.words
    chosen_format: str | None
    if len(words) >= 2 and words[1].lower() in FORMATS:
        chosen_format, words = words[1], words[:1]  # no cluster: the one the chair leads
    else:
        chosen_format, words = request.word(2), words[:2]
    chosen = _period_and_cluster(desk, Request(request.command, words), every=desk.caller.is_admin)
    if isinstance(chosen, Ask):
        return chosen.items
    period, cluster = chosen
    options = [(_("Excel (.xlsx)"), "xlsx"), (_("CSV (.csv)"), "csv")]
    prefix = (token(period), token(cluster) if cluster else ALL)
    question = _("Xuất số liệu kỳ «{period}» dạng nào?").format(period=period.name)
    given = Request(request.command, prefix + ((chosen_format,) if chosen_format else ()))
    fmt = desk.pick_word(given, 2, prefix, question, options)
    if isinstance(fmt, Ask):
        return fmt.items
    from bot.reports import export_rows, write_csv, write_xlsx

    rows = export_rows(
        desk.session, period_id=period.id or 0, cluster_id=_id(cluster), locale=desk.locale
    )
    out = io.BytesIO()
    if fmt == "csv":
        write_csv(rows, out)
    else:
        write_xlsx(rows, out, locale=desk.locale)
    name = f"so-lieu-{period.code}-{cluster.code if cluster else 'tat-ca'}.{fmt}"
    caption = _("Số liệu kỳ «{period}» – {scope}").format(
        period=period.name, scope=cluster.name if cluster else _("tất cả các cụm")
    )
    return [Attachment(name, out.getvalue(), caption=caption)]


def _period_and_cluster(
    desk: Desk, request: Request, *, every: bool
) -> tuple[Period, Cluster | None] | Ask:
    """Words 0 and 1: a period the caller reaches and one of its clusters (or all)."""
    period = desk.pick_period(request, 0, [])
    if isinstance(period, Ask):
        return period
    reachable = desk.clusters_in_scope(period)
    cluster = desk.pick_cluster(request, 1, [token(period)], reachable, every=every)
    if isinstance(cluster, Ask):
        return cluster
    return period, cluster


def _id(cluster: Cluster | None) -> int | None:
    return cluster.id if cluster is not None else None
