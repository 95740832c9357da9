"""`/conference`: a chair (their own cluster) or an admin creates or edits a conference.

`/conference [cluster] [new [kind]]` lists the cluster's conferences or starts a new one;
`/conference <code or #k12> [field [value]]` shows one and changes a field, and
`/conference #d5 <field> <value>` answers a question of a new one (bot/desk/conference_setup.py).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlmodel import col, select

from bot.desk.conference_card import card, template_for
from bot.desk.conference_fields import Times, ask_for, read_field
from bot.desk.conference_pick import conference_token, may_run
from bot.desk.conference_setup import answer, begin
from bot.desk.pickers import button_label, outside, pick_cluster
from bot.desk.request import Request, token, token_id
from bot.desk.scope import Desk
from bot.domain.agenda import parse_agenda_lines
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.replies import Button, Reply
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask
from bot.storage.conference_admin import change_conference, replace_agenda
from bot.storage.conference_tables import Conference
from bot.storage.conferences import agenda_of
from bot.storage.models import Cluster
from bot.storage.types import require_id

__all__ = ["conference"]

_LISTED = 10  # conferences offered in a cluster's list
_FIELDS = ("name", "kind", "when", "place", "rsvp", "delegates")


def conference(desk: Desk, request: Request) -> list[Item]:
    """`/conference …`: the list, a new one, or one conference and its changes."""
    first = request.word(0)
    if first is not None and token_id(first, "d") is not None:
        return answer(desk, request)
    named = _named(desk, first) if first is not None else None
    if named is not None:
        return _edit(desk, request, named)
    cluster = pick_cluster(desk, request, 0, [], desk.clusters_in_scope())
    action = request.word(1)
    if action is None:
        return [_menu(desk, cluster)]
    if action.lower() == "new":
        return begin(desk, request, cluster)
    raise Ask([Reply(desk._("«{word}» không phải lựa chọn hợp lệ.").format(word=action))])


def _named(desk: Desk, text: str) -> Conference | None:
    """The conference a word names (`#k12` or its code), if the caller runs it."""
    row_id = token_id(text, "k")
    if row_id is not None:
        found = desk.session.get(Conference, row_id)
    else:
        found = desk.session.exec(select(Conference).where(Conference.code == text)).first()
    if found is not None and not may_run(desk, found):
        raise outside(desk, found.name)
    if found is None and row_id is not None:
        raise Ask([Reply(desk._("Không tìm thấy hội nghị «{code}».").format(code=text))])
    return found


def _menu(desk: Desk, cluster: Cluster) -> Reply:
    """The cluster's coming conferences, each a button, and one to create another."""
    _ = desk._
    rows = desk.session.exec(
        select(Conference)
        .where(
            Conference.cluster_id == cluster.id,
            Conference.starts_at >= desk.now - timedelta(days=2),
        )
        .order_by(col(Conference.starts_at))
        .limit(_LISTED)
    ).all()
    lines = [_("🏛 Hội nghị của {cluster}:").format(cluster=cluster.name)]
    if not rows:
        lines.append(_("Chưa có hội nghị nào sắp tới."))
    buttons = [
        (Button(_label(desk, c), encode("c", "conference", conference_token(c))),) for c in rows
    ]
    buttons.append(
        (Button(_("➕ Tạo hội nghị mới"), encode("c", "conference", token(cluster), "new")),)
    )
    return Reply("\n".join(lines), tuple(buttons))


def _label(desk: Desk, row: Conference) -> str:
    """`14:00 ngày 10/7/2026 · Hội nghị sơ kết…`, cut to what a button shows."""
    return button_label(f"{format_moment(row.starts_at, row.timezone, desk.locale)} · {row.name}")


def _edit(desk: Desk, request: Request, chosen: Conference) -> list[Item]:
    """`<conference> [field [value]]`: the card, a question, or the change and the card."""
    word = (request.word(1) or "").lower()
    target, text = conference_token(chosen), request.rest(2)
    actions: dict[str, Callable[[Desk, Conference, str], list[Item]]] = {
        "agenda": _agenda,
        "template": _template,
        "invite-now": _invite_now,
    }
    if not word:
        return [card(desk, chosen)]
    if word in actions:
        return actions[word](desk, chosen, text)
    if word not in _FIELDS:
        raise Ask([Reply(desk._("«{word}» không phải lựa chọn hợp lệ.").format(word=word))])
    if not text:
        return ask_for(desk, target, word)
    times = Times(chosen.timezone, chosen.starts_at, chosen.rsvp_by)
    value = read_field(desk, target, word, text, times)
    change_conference(desk.session, conference=chosen, changes={word: value}, actor=desk.actor)
    return [card(desk, chosen, desk._("✅ Đã lưu thay đổi."))]


def _agenda(desk: Desk, chosen: Conference, text: str) -> list[Item]:
    """`agenda <lines>`: the agenda replaced by the items typed; bad lines answered one by one."""
    _ = desk._
    if not text:
        return [_agenda_prompt(desk, chosen)]
    parsed = parse_agenda_lines(text, locale=desk.locale)
    if not parsed.ok:
        lead = _("Chưa lưu chương trình; hãy sửa rồi gửi lại cả chương trình:")
        return [Reply("\n".join([lead, *parsed.problems])), _agenda_prompt(desk, chosen)]
    replace_agenda(desk.session, conference=chosen, items=parsed.items, actor=desk.actor)
    lead = _("✅ Đã thay chương trình ({count} mục).").format(count=len(parsed.items))
    return [card(desk, chosen, lead)]


def _agenda_prompt(desk: Desk, chosen: Conference) -> Prompt:
    _ = desk._
    now = [
        " ".join(p for p in (e.at, e.title) if p)
        for e in agenda_of(desk.session, conference_id=require_id(chosen))
    ]
    text = _(
        "📝 Gửi chương trình mới, mỗi mục một dòng (giờ không bắt buộc), ví dụ:\n"
        "14:00 Tuyên bố lý do, giới thiệu đại biểu\n14:10 Báo cáo sơ kết\n"
        "Hãy trả lời (reply) tin nhắn này. Chương trình hiện tại:"
    )
    return Prompt(
        "\n".join([text, *now, f"/conference {conference_token(chosen)} agenda"]),
        _("Mỗi mục một dòng"),
    )


def _template(desk: Desk, chosen: Conference, text: str) -> list[Item]:
    """`template`: the agenda back to the usual one for the conference's kind."""
    items = template_for(desk, chosen)
    replace_agenda(desk.session, conference=chosen, items=items, actor=desk.actor)
    return [card(desk, chosen, desk._("✅ Đã dùng chương trình mẫu."))]


def _invite_now(desk: Desk, chosen: Conference, text: str) -> list[Item]:
    """`invite-now`: the invitation goes out at the next tick instead of later."""
    if chosen.invite_at > desk.now:
        change_conference(
            desk.session, conference=chosen, changes={"invite": desk.now}, actor=desk.actor
        )
    return [card(desk, chosen, desk._("📨 Giấy mời sẽ được gửi trong ít phút."))]
