"""The handover (ra mắt Cụm trưởng): a year's chair and vice-chair announced in the groups."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlmodel import Session

from bot.domain.i18n import gettext_for
from bot.domain.terms import cluster_terms
from bot.storage import directory
from bot.storage.models import Cluster, Unit
from bot.storage.posts import latest_posts, post
from bot.storage.types import require_id

__all__ = ["handover_announcement", "handover_text", "post_handover"]


def handover_text(
    *,
    cluster: Cluster,
    year: int,
    leaders: dict[str, Unit],
    outgoing: Unit | None,
    locale: str,
) -> str:
    """The announcement: the new chair and vice-chair, and from when the chair's work is theirs."""
    _ = gettext_for(locale)
    terms = cluster_terms(cluster.kind, locale)
    small = terms.mid_sentence()
    chair, vice = leaders.get(directory.CHAIR), leaders.get(directory.VICE_CHAIR)
    none = _("chưa có")
    lines = [
        _("📣 Công bố {chair}, {vice} năm {year}").format(
            chair=terms.chair, vice=terms.vice_chair, year=year
        ),
        cluster.name,
        "",
        f"• {terms.chair}: {chair.name if chair else none}",
        f"• {terms.vice_chair}: {vice.name if vice else none}",
        "",
    ]
    if chair is not None:
        lines.append(
            _(
                "Từ ngày 01/01/{year}, việc của {chair} (theo dõi tiến độ, nhắc các đơn vị, tổng "
                "hợp số liệu, hội nghị) và bảng tin hằng ngày chuyển tới các đồng chí của {unit}."
            ).format(year=year, chair=small.chair, unit=chair.name)
        )
    if outgoing is not None and outgoing != chair:
        lines.append(
            _("Cảm ơn {unit} đã hoàn thành nhiệm vụ {chair} năm {year}.").format(
                unit=outgoing.name, chair=small.chair, year=year - 1
            )
        )
    return "\n".join(lines)


def handover_announcement(
    session: Session, *, cluster: Cluster, year: int, locale: str
) -> str | None:
    """The announcement for the year, or None when no chair or vice-chair is set for it."""
    leaders = directory.leaders_of(session, require_id(cluster), year)
    if not leaders:
        return None
    outgoing = directory.leaders_of(session, require_id(cluster), year - 1).get(directory.CHAIR)
    return handover_text(
        cluster=cluster, year=year, leaders=leaders, outgoing=outgoing, locale=locale
    )


def post_handover(
    session: Session,
    *,
    cluster: Cluster,
    year: int,
    chat_ids: Iterable[int],
    locale: str,
    now: datetime | None = None,
    again: bool = True,
) -> bool:
    """Queue the announcement in each chat; False when no chair or vice-chair is set for the
    year, or (with `again` off) when it was posted before."""
    prefix = f"handover:{cluster.id}:{year}"
    if not again and latest_posts(session, prefix=prefix):
        return False
    text = handover_announcement(session, cluster=cluster, year=year, locale=locale)
    if text is None:
        return False
    for chat_id in chat_ids:
        post(session, prefix=prefix, chat_id=chat_id, text=text, markup=None, now=now)
    return True
