"""Which conference a chair's command is about: typed, pressed, or the group's own."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Protocol

from sqlmodel import Session, col, select

from bot.desk.pickers import choice, outside
from bot.desk.request import Request, token_id
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.replies import Reply
from bot.domain.roles import Chat, out_of_scope
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.storage import directory
from bot.storage.conference_tables import Conference
from bot.storage.models import Cluster, GroupChat

__all__ = [
    "conference_chats",
    "conference_token",
    "group_cluster",
    "may_run",
    "no_group",
    "pick_conference",
    "post_in_groups",
]

# A conference stays on offer through its day (and the next, for the minutes and lists).
_STILL_OFFERED = timedelta(days=2)


def conference_token(conference: Conference) -> str:
    """The conference in button data: `#k12`."""
    return f"#k{conference.id}"


def may_run(desk: Desk, conference: Conference) -> bool:
    """An admin, or the chair or vice-chair of its cluster (this year or last)."""
    return desk.caller.is_admin or conference.cluster_id in desk.caller.chaired_clusters()


def no_group(desk: Desk, conference: Conference) -> str:
    """The conference's cluster has no group to post in."""
    cluster = desk.session.get(Cluster, conference.cluster_id)
    name = cluster.name if cluster else str(conference.cluster_id)
    return desk._(
        "{cluster} chưa có nhóm nào gắn với bot. Trong nhóm, quản trị viên gõ /bind để gắn."
    ).format(cluster=name)


class _Post(Protocol):
    def __call__(
        self,
        session: Session,
        *,
        conference: Conference,
        chat_ids: Iterable[int],
        locale: str,
        now: datetime | None = None,
    ) -> None: ...


def conference_chats(desk: Desk, conference: Conference) -> list[int]:
    """This group, or from a private chat every group of the conference's cluster."""
    if desk.chat is Chat.GROUP:
        return [desk.chat_id]
    return [g.chat_id for g in directory.groups_of_cluster(desk.session, conference.cluster_id)]


def post_in_groups(desk: Desk, conference: Conference, post: _Post, done: str) -> list[Item]:
    """`post` in `conference_chats`; in a group the post is the answer, in private `done`."""
    chats = conference_chats(desk, conference)
    if not chats:
        return [Reply(no_group(desk, conference))]
    locale = desk.settings.locale
    post(desk.session, conference=conference, chat_ids=chats, locale=locale, now=desk.now)
    if desk.chat is Chat.GROUP:
        return []  # the post itself is the answer, in a moment
    return [Reply(done)]


def group_cluster(desk: Desk) -> Cluster | None:
    """The cluster the group is bound to."""
    group = desk.session.exec(select(GroupChat).where(GroupChat.chat_id == desk.chat_id)).first()
    if group is None or group.cluster_id is None:
        return None
    return desk.session.get(Cluster, group.cluster_id)


def pick_conference(desk: Desk, request: Request, index: int, prefix: Sequence[str]) -> Conference:
    """Word `index` as a conference the caller runs; in a group, by default the group's next."""
    text = request.word(index)
    if text is not None:
        return _named(desk, request, prefix, text)
    offered = _offered(desk)
    if len(offered) == 1 or (offered and desk.chat is Chat.GROUP):
        return offered[0]  # in a group the soonest: no buttons for everyone to see
    raise _ask(desk, request, prefix, offered)


def _named(desk: Desk, request: Request, prefix: Sequence[str], text: str) -> Conference:
    row_id = token_id(text, "k")
    if row_id is not None:
        conference = desk.session.get(Conference, row_id)
    else:
        query = select(Conference).where(Conference.code == text)
        conference = desk.session.exec(query).first()
    if conference is None:
        first = desk._("Không tìm thấy hội nghị «{code}».").format(code=text)
        asked = _ask(desk, request, prefix, _offered(desk))
        raise Ask([Reply(first), *asked.items])
    if not may_run(desk, conference):
        raise outside(desk, conference.name)
    return conference


def _offered(desk: Desk) -> list[Conference]:
    """Scheduled conferences from yesterday on that the caller runs (the group's, in a group)."""
    query = select(Conference).where(
        Conference.state == "scheduled", Conference.starts_at >= desk.now - _STILL_OFFERED
    )
    if desk.chat is Chat.GROUP:
        cluster = group_cluster(desk)
        if cluster is None:
            raise Ask([Reply(desk._("Nhóm này chưa gắn với cụm nào."))])
        if not desk.caller.is_admin and cluster.id not in desk.caller.chaired_clusters():
            raise Ask([Reply(out_of_scope(desk.locale))])
        query = query.where(Conference.cluster_id == cluster.id)
    rows = desk.session.exec(query.order_by(col(Conference.starts_at), col(Conference.id)))
    return [row for row in rows if may_run(desk, row)]


def _ask(desk: Desk, request: Request, prefix: Sequence[str], offered: list[Conference]) -> Ask:
    _ = desk._
    if not offered:
        return Ask(
            [Reply(_("Chưa có hội nghị nào sắp diễn ra. Tạo hội nghị bằng lệnh /conference."))]
        )
    options = [
        (f"{c.name} ({format_moment(c.starts_at, c.timezone, desk.locale)})", conference_token(c))
        for c in offered
    ]
    return choice(desk, request.command, prefix, _("Chọn hội nghị:"), options)
