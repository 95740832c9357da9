"""`/agenda` posts the conference's agenda in the group; `/next` moves the item under way,
editing that post in place."""

from __future__ import annotations

from dataclasses import replace

from bot.desk.conference_card import conference_year
from bot.desk.conference_pick import conference_chats, pick_conference, post_in_groups
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.agenda import HANDOVER
from bot.domain.replies import Reply
from bot.domain.roles import Chat
from bot.edge.send import Item
from bot.notices.handover import post_handover
from bot.notices.roll_call import post_agenda, refresh_agenda
from bot.storage.conference_admin import move_current_item
from bot.storage.conference_tables import AgendaEntry, Conference
from bot.storage.conferences import agenda_of
from bot.storage.models import Cluster
from bot.storage.types import require_id

__all__ = ["agenda", "next_item"]


def agenda(desk: Desk, request: Request) -> list[Item]:
    """`/agenda [conference]`: the agenda posted in the group (or the cluster's groups)."""
    _ = desk._
    chosen = pick_conference(desk, request, 0, [])
    if not agenda_of(desk.session, conference_id=require_id(chosen)):
        return [Reply(_no_agenda(desk, chosen))]
    done = _("📋 Đã đăng chương trình «{name}» vào nhóm.").format(name=chosen.name)
    return post_in_groups(desk, chosen, post_agenda, done)


def next_item(desk: Desk, request: Request) -> list[Item]:
    """`/next [conference] [item number]`: the next item (or the one named) is under way."""
    _ = desk._
    number, request = _number(request)
    chosen = pick_conference(desk, request, 0, [])
    entries = agenda_of(desk.session, conference_id=require_id(chosen))
    if not entries:
        return [Reply(_no_agenda(desk, chosen))]
    entry = _following(entries, chosen.current_item_id, number)
    if entry is None:
        if number is not None:
            text = _("Chương trình có {count} mục; không có mục {number}.")
            return [Reply(text.format(count=len(entries), number=number))]
        return [Reply(_("Đã đến mục cuối của chương trình."))]
    move_current_item(desk.session, conference=chosen, entry=entry, actor=desk.actor)
    locale = desk.settings.locale
    if not refresh_agenda(desk.session, conference=chosen, locale=locale, now=desk.now):
        chats = conference_chats(desk, chosen)
        post_agenda(desk.session, conference=chosen, chat_ids=chats, locale=locale, now=desk.now)
    if entry.kind == HANDOVER:
        _announce_leaders(desk, chosen)
    if desk.chat is Chat.GROUP:
        return []  # the agenda post, edited, is the answer
    return [Reply(_("▶️ Đang diễn ra: {title}").format(title=entry.title))]


def _announce_leaders(desk: Desk, chosen: Conference) -> None:
    """The year-end's «Công bố Cụm trưởng, Cụm phó» item: the announcement, posted once."""
    cluster = desk.session.get(Cluster, chosen.cluster_id)
    if cluster is not None:
        post_handover(
            desk.session,
            cluster=cluster,
            year=conference_year(desk, chosen) + 1,
            chat_ids=conference_chats(desk, chosen),
            locale=desk.settings.locale,
            now=desk.now,
            again=False,
        )


def _number(request: Request) -> tuple[int | None, Request]:
    """An item number typed last (`/next 3`, `/next CODE 3`), and the words before it."""
    if request.words and request.words[-1].isdigit():
        words = request.words[:-1]
        return int(request.words[-1]), replace(request, words=words, tail=" ".join(words))
    return None, request


def _following(
    entries: list[AgendaEntry], current_id: int | None, number: int | None
) -> AgendaEntry | None:
    if number is not None:
        return entries[number - 1] if 1 <= number <= len(entries) else None
    at = next((i for i, e in enumerate(entries) if e.id == current_id), None)
    index = 0 if at is None else at + 1
    return entries[index] if index < len(entries) else None


def _no_agenda(desk: Desk, chosen: Conference) -> str:
    return desk._("Hội nghị «{name}» chưa có chương trình. Gõ /conference {code} để thêm.").format(
        name=chosen.name, code=chosen.code
    )
