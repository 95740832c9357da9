"""`/broadcast`: an admin's message posted in a cluster's groups."""

from __future__ import annotations

from bot.desk.pickers import pick_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.i18n import gettext_for, group_locale
from bot.domain.replies import Reply
from bot.edge.send import Item, Prompt
from bot.storage import directory
from bot.storage.audit import record_event
from bot.storage.outbox import enqueue

__all__ = ["broadcast"]


def broadcast(desk: Desk, request: Request) -> list[Item]:
    """`/broadcast [cluster] [message]`: post a message in the cluster's groups."""
    _ = desk._
    cluster = pick_cluster(desk, request, 0, [], directory.clusters(desk.session))
    message = request.rest(1)
    if not message:
        text = _(
            "📣 Gửi thông báo tới nhóm của {cluster}. Hãy trả lời (reply) tin nhắn này bằng nội "
            "dung cần gửi, hoặc gõ lệnh dưới đây kèm nội dung:"
        ).format(cluster=cluster.name)
        return [Prompt(f"{text}\n/broadcast {cluster.code}", _("Nội dung thông báo"))]
    groups = directory.groups_of_cluster(desk.session, cluster.id or 0)
    if not groups:
        return [
            Reply(
                _(
                    "{cluster} chưa có nhóm nào gắn với bot. Trong nhóm của cụm, quản trị viên gõ "
                    "/bind {code} để gắn."
                ).format(cluster=cluster.name, code=cluster.code)
            )
        ]
    event = record_event(
        desk.session,
        actor=desk.actor,
        action="broadcast.sent",
        entity="cluster",
        entity_key=cluster.code,
        after={"text": message, "groups": [g.chat_id for g in groups]},
    )
    desk.session.flush()
    posted = _announcement(group_locale(cluster.language), desk.settings.admin_body, message)
    for group in groups:
        key = f"broadcast:{cluster.id}:{event.id}:{group.chat_id}"
        enqueue(desk.session, key=key, chat_id=group.chat_id, payload={"text": posted})
    titles = ", ".join(g.title or str(g.chat_id) for g in groups)
    return [
        Reply(
            _("✅ Thông báo đang được gửi tới: {groups}. Tin sẽ đến trong giây lát.").format(
                groups=titles
            )
        )
    ]


def _announcement(locale: str, body: str, message: str) -> str:
    """The post in the group, in the group's language (its people read different ones)."""
    _ = gettext_for(locale)
    return _("📣 Thông báo của {body}:\n\n{message}").format(body=body, message=message)
