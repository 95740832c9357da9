"""`/handover [cluster] [year]`: the year's chair and vice-chair announced in the cluster's groups.

Without a year, next year's (this year's once the new year has begun and next year has none).
In a group, the group's cluster. Admins and the cluster's chair or vice-chair.
"""

from __future__ import annotations

from dataclasses import replace

from bot.desk.conference_pick import group_cluster
from bot.desk.pickers import pick_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.replies import Reply
from bot.domain.roles import Chat, out_of_scope
from bot.domain.terms import cluster_terms
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.notices.handover import handover_announcement, post_handover
from bot.storage import directory
from bot.storage.models import Cluster

__all__ = ["handover", "handover_year"]


def handover(desk: Desk, request: Request) -> list[Item]:
    """Post the announcement of the year's chair and vice-chair."""
    _ = desk._
    year_word = next((w for w in request.words if w.isdigit() and len(w) == 4), None)
    words = tuple(w for w in request.words if w != year_word)
    request = replace(request, words=words, tail=" ".join(words))
    cluster = _cluster(desk, request)
    year = int(year_word) if year_word else handover_year(desk, cluster)
    if not _may_announce(desk, cluster, year):
        raise Ask([Reply(out_of_scope(desk.locale))])
    terms = cluster_terms(cluster.kind, desk.locale).mid_sentence()
    if not directory.leaders_of(desk.session, cluster.id or 0, year):
        text = _(
            "Chưa có {chair}, {vice} năm {year} của {cluster}. Quản trị viên đặt bằng "
            "/clusters {code} chair {year} <mã đơn vị>, trong tệp thiết lập (leaders), hoặc "
            "qua biểu quyết tại hội nghị tổng kết."
        )
        return [
            Reply(
                text.format(
                    chair=terms.chair,
                    vice=terms.vice_chair,
                    year=year,
                    cluster=cluster.name,
                    code=cluster.code,
                )
            )
        ]
    if desk.chat is Chat.GROUP:  # the announcement is the answer, where everyone sees it
        locale = desk.settings.locale
        posted = handover_announcement(desk.session, cluster=cluster, year=year, locale=locale)
        return [Reply(posted or "")]
    chats = [g.chat_id for g in directory.groups_of_cluster(desk.session, cluster.id or 0)]
    if not chats:
        text = _(
            "{cluster} chưa có nhóm nào gắn với bot. Trong nhóm, quản trị viên gõ /bind để gắn."
        )
        return [Reply(text.format(cluster=cluster.name))]
    locale = desk.settings.locale
    post_handover(
        desk.session, cluster=cluster, year=year, chat_ids=chats, locale=locale, now=desk.now
    )
    done = _("📣 Đã đăng công bố {chair}, {vice} năm {year} vào nhóm của {cluster}.")
    return [
        Reply(
            done.format(chair=terms.chair, vice=terms.vice_chair, year=year, cluster=cluster.name)
        )
    ]


def handover_year(desk: Desk, cluster: Cluster) -> int:
    """Next year, unless it has no leaders yet and this year has (a January conference)."""
    coming = desk.caller.year + 1
    if directory.leaders_of(desk.session, cluster.id or 0, coming):
        return coming
    if directory.leaders_of(desk.session, cluster.id or 0, desk.caller.year):
        return desk.caller.year
    return coming


def _cluster(desk: Desk, request: Request) -> Cluster:
    if desk.chat is Chat.GROUP:
        cluster = group_cluster(desk)
        if cluster is None:
            raise Ask([Reply(desk._("Nhóm này chưa gắn với cụm nào."))])
        return cluster
    return pick_cluster(desk, request, 0, [], desk.clusters_in_scope())


def _may_announce(desk: Desk, cluster: Cluster, year: int) -> bool:
    """Admins, and the chair or vice-chair of the year handing over or of the new one."""
    cluster_id = cluster.id or 0
    if desk.caller.is_admin:
        return True
    if cluster_id not in desk.caller.chaired_clusters():
        return False
    return desk.caller.leads(cluster_id, year - 1) or desk.caller.leads(cluster_id, year)
