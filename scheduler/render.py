"""Files made when they are sent: the summary's chart and Excel workbook, a conference's
invitation (giấy mời) as a Word file."""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Engine
from telegram import InputFile

from bot.domain.i18n import gettext_for
from bot.storage import session_scope
from bot.storage.conference_tables import Conference
from bot.storage.models import Cluster, Period

__all__ = ["render_file"]


def render_file(engine: Engine, render: dict[str, Any]) -> tuple[str, InputFile, str]:
    """The Bot API field, the file and its caption for an outbox message's `_render`."""
    from bot.reports import build_summary, load_snapshot, summary_chart, summary_workbook
    from bot.reports.conference_papers import INVITATION_RENDER

    kind, locale = render["kind"], render.get("locale", "vi")
    if kind == INVITATION_RENDER:  # bot/reports/conference_papers.py invitation_render
        return _invitation(engine, render["conference_id"], locale)
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


def _invitation(engine: Engine, conference_id: int, locale: str) -> tuple[str, InputFile, str]:
    """The giấy mời as it stands when it is sent: a time changed since is already in it."""
    from bot.reports.conference_papers import invitation_draft

    _ = gettext_for(locale)
    with session_scope(engine) as session:
        conference = session.get(Conference, conference_id)
        if conference is None:
            raise ValueError(f"no conference {conference_id} to render")
        name, content = invitation_draft(session, conference=conference, locale=locale)
        title = conference.name
    caption = _("📄 Giấy mời dự {conference} (bản Word).").format(conference=title)
    return "document", InputFile(content, filename=name), caption
