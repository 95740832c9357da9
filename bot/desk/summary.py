"""`/summary`: a period's compiled figures as text, a chart and a workbook."""

from __future__ import annotations

from bot.desk.pickers import period_and_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.replies import Reply
from bot.edge.send import Attachment, Item

__all__ = ["summary"]


def summary(desk: Desk, request: Request) -> list[Item]:
    """`/summary [period] [cluster]`: the compiled text, a chart and the workbook."""
    _ = desk._
    period, cluster = period_and_cluster(desk, request, every=False)
    # Imported when used: reports load matplotlib, which the rest of the bot does not need.
    from bot.reports import (
        build_summary,
        load_snapshot,
        summary_chart,
        summary_messages,
        summary_workbook,
    )

    snapshot = load_snapshot(
        desk.session, period_id=period.id or 0, cluster_id=cluster.id if cluster else None
    )
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
