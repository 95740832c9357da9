"""Files made when they are sent: the summary's chart and Excel workbook."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from telegram import InputFile

from bot.domain.i18n import gettext_for
from bot.storage import session_scope
from bot.storage.models import Cluster, Period

__all__ = ["render_file"]


def render_file(engine: Engine, render: dict[str, Any]) -> tuple[str, InputFile, str]:
    """The Bot API field, the file and its caption for an outbox message's `_render`."""
    from bot.reports import build_summary, load_snapshot, summary_chart, summary_workbook

    kind, locale = render["kind"], render.get("locale", "vi")
    _ = gettext_for(locale)
    with session_scope(engine) as session:
        period = session.get(Period, render["period_id"])
        cluster = session.get(Cluster, render["cluster_id"])
        if period is None or cluster is None:
            raise ValueError(f"nothing to render for {render}")
        snapshot = load_snapshot(session, period_id=render["period_id"], cluster_id=cluster.id)
    name = f"{period.code}-{cluster.code}"
    if kind == "chart":
        chart = summary_chart(build_summary(snapshot), locale=locale)
        caption = _("Biểu đồ tổng hợp «{period}»: tỷ lệ đạt so với chỉ tiêu.").format(
            period=period.name
        )
        return "photo", InputFile(chart, filename=f"{name}.png"), caption
    if kind == "workbook":
        workbook = summary_workbook(snapshot, locale=locale)
        caption = _("Bảng tổng hợp «{period}» – {cluster} (Excel).").format(
            period=period.name, cluster=cluster.name
        )
        return "document", InputFile(workbook, filename=f"tong-hop-{name}.xlsx"), caption
    raise ValueError(f"unknown file kind {kind!r}")
