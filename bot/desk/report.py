"""`/report`: the draft of a cluster's report (báo cáo sơ kết / tổng kết) for the period."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.desk.papers import Paper
from bot.desk.pickers import period_and_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.reports.draft import report_draft

__all__ = ["report"]


def report(desk: Desk, request: Request) -> list[Paper]:
    """`/report [period] [cluster]`: the cluster's figures, scores and texts as a draft."""
    period, cluster = period_and_cluster(desk, request, every=False)
    assert cluster is not None  # not `every`: a cluster is always chosen
    year = desk.now.astimezone(ZoneInfo(period.timezone)).year  # day and month: the clerk's
    name, content = report_draft(
        desk.session, period=period, cluster=cluster, dated=year, locale=desk.locale
    )
    what = desk._("Dự thảo báo cáo kỳ «{period}» – {cluster}")
    return [
        Paper(name, content, what.format(period=period.name, cluster=cluster.name), desk.locale)
    ]
