"""`/vote` and `/closevote`: the chair opens a conference's vote, follows it, reminds, closes.

Words: `/vote [conference] [vote|new] [open|remind|close|set …]`; buttons carry `#k12` for
a conference and `#v34` for a vote. In a group, only the group's own cluster is reached.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import col, select

from bot.desk.pickers import button_label, choice, outside
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.desk.vote_new import ask_title, change_setting, settings_buttons, settings_lines
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.domain.roles import Chat
from bot.domain.tally import Turnout, quorum_met
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.notices.recipients import members
from bot.notices.vote_close import finish_vote
from bot.notices.vote_texts import quorum_short
from bot.notices.votes import announce, counted_text, send_ballots
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.conferences import conference_units, votes_of
from bot.storage.models import Cluster, GroupChat, Unit
from bot.storage.vote_options import ballot_options
from bot.storage.vote_results import rules_of
from bot.storage.vote_tables import VoteOpening
from bot.storage.votes import CHAT, CLOSED, OPEN, OPENABLE, eligible_ids, open_vote, voted_ids
from bot.storage.votes import present_unit_ids as present_ids

__all__ = ["closevote", "remind_open_vote", "vote", "vote_token"]


def conference_token(conference: Conference) -> str:
    return f"#k{conference.id}"


def vote_token(vote: ConferenceVote) -> str:
    return f"#v{vote.id}"


def vote(desk: Desk, request: Request) -> list[Item]:
    """`/vote`: choose the conference, then a vote (or make one), then open or follow it."""
    conference = _pick_conference(desk, request)
    prefix = [conference_token(conference)]
    word = request.word(1)
    if word is None:
        raise _ask_vote(desk, conference, request.command, prefix, openable_too=True)
    if word == "new":
        return ask_title(desk, conference, request)
    chosen = _named_vote(desk, conference, word, request.command, prefix)
    step = request.word(2)
    if step == "open":
        return _open(desk, conference, chosen)
    if step == "remind":
        return _remind(desk, conference, chosen)
    if step == "close":
        return _close(desk, conference, chosen)
    if step == "set":
        change_setting(desk, conference, chosen, request.words[3:])
    return _card(desk, conference, chosen)


def closevote(desk: Desk, request: Request) -> list[Item]:
    """`/closevote [conference] [vote]`: close an open vote and publish its count."""
    conference = _pick_conference(desk, request)
    prefix = [conference_token(conference)]
    word = request.word(1)
    if word is None:
        raise _ask_vote(desk, conference, request.command, prefix, openable_too=False)
    return _close(desk, conference, _named_vote(desk, conference, word, request.command, prefix))


def remind_open_vote(desk: Desk) -> list[Item] | None:
    """`/remind` while a vote is open: only its eligible units that have not voted; None when
    no vote is open in the caller's clusters (in private: the period's reminders then)."""
    clusters = _reachable(desk)
    ids = [cluster.id for cluster in clusters]
    open_votes = desk.session.exec(
        select(ConferenceVote, Conference)
        .join(Conference, col(Conference.id) == ConferenceVote.conference_id)
        .where(ConferenceVote.state == OPEN, col(Conference.cluster_id).in_(ids))
        .order_by(col(ConferenceVote.opened_at))
    ).all()
    if not open_votes:
        if desk.chat is Chat.GROUP:
            return [Reply(desk._("Không có biểu quyết nào đang mở. Nhắc nộp số liệu: gõ /remind "
                                 "trong trò chuyện riêng với bot."))]  # fmt: skip
        return None
    if len(open_votes) == 1:
        chosen, conference = open_votes[0]
        return _remind(desk, conference, chosen)
    options = [(row.title, f"{conference_token(c)} {vote_token(row)}") for row, c in open_votes]
    buttons = tuple(
        (Button(button_label(label), encode("c", "vote", *tokens.split(), "remind")),)
        for label, tokens in options
    )
    return [Reply(desk._("Nhắc bỏ phiếu cho biểu quyết nào?"), buttons)]


# -- which conference, which vote -------------------------------------------------------------


def _reachable(desk: Desk) -> list[Cluster]:
    """In a group, its cluster if the caller leads it; in private, the caller's clusters."""
    if desk.chat is Chat.PRIVATE:
        return desk.clusters_in_scope()
    group = desk.session.exec(select(GroupChat).where(GroupChat.chat_id == desk.chat_id)).first()
    cluster = desk.session.get(Cluster, group.cluster_id) if group and group.cluster_id else None
    if cluster is None:
        raise Ask([Reply(desk._("Nhóm này chưa gắn với cụm nào."))])
    if not desk.caller.is_admin and cluster.id not in desk.caller.chaired_clusters():
        raise outside(desk, cluster.name)
    return [cluster]


def _pick_conference(desk: Desk, request: Request) -> Conference:
    reachable = {cluster.id for cluster in _reachable(desk)}
    offered = [
        row
        for row in desk.session.exec(
            select(Conference)
            .where(Conference.state != "cancelled", col(Conference.cluster_id).in_(reachable))
            .order_by(col(Conference.starts_at), col(Conference.id))
        )
    ]
    text = request.word(0)
    if text is None:
        if len(offered) == 1:
            return offered[0]
        if not offered:
            raise Ask([Reply(desk._("Chưa có hội nghị nào của cụm để biểu quyết."))])
        options = [(row.name, conference_token(row)) for row in offered]
        raise choice(desk, request.command, [], desk._("Chọn hội nghị:"), options)
    found = next((c for c in offered if text in (c.code, conference_token(c))), None)
    if found is None:
        row = desk.session.exec(select(Conference).where(Conference.code == text)).first()
        if row is not None or text.startswith("#k"):
            raise outside(desk, row.name if row else text)
        raise Ask([Reply(desk._("Không tìm thấy hội nghị «{code}».").format(code=text))])
    return found


def _ask_vote(
    desk: Desk, conference: Conference, command: str, prefix: Sequence[str], *, openable_too: bool
) -> Ask:
    """The conference's votes as buttons (with «Tạo biểu quyết mới» for `/vote`)."""
    _ = desk._
    marks = {OPEN: "🟢 ", CLOSED: "✔️ "}
    votes = [
        row
        for row in votes_of(desk.session, conference_id=conference.id or 0)
        if openable_too or row.state == OPEN
    ]
    if not votes and not openable_too:
        return Ask([Reply(_("Không có biểu quyết nào đang mở."))])
    options = [(marks.get(row.state, "⬜ ") + row.title, vote_token(row)) for row in votes]
    if openable_too:
        options.append((_("➕ Tạo biểu quyết mới"), "new"))
    question = _("Chọn biểu quyết của «{conference}»:").format(conference=conference.name)
    return choice(desk, command, prefix, question, options)


def _named_vote(
    desk: Desk, conference: Conference, text: str, command: str, prefix: Sequence[str]
) -> ConferenceVote:
    for row in votes_of(desk.session, conference_id=conference.id or 0):
        if text in (row.code, vote_token(row)):
            return row
    first = Reply(desk._("Không tìm thấy biểu quyết «{code}».").format(code=text))
    asked = _ask_vote(desk, conference, command, prefix, openable_too=command == "vote")
    raise Ask([first, *asked.items])


# -- the vote's card, opening, reminding, closing ---------------------------------------------


def _data(conference: Conference, chosen: ConferenceVote, *words: str) -> str:
    return encode("c", "vote", conference_token(conference), vote_token(chosen), *words)


def _card(desk: Desk, conference: Conference, chosen: ConferenceVote) -> list[Item]:
    """The vote as it stands: its settings and what the chair may do now."""
    _ = desk._
    lines = settings_lines(desk, conference, chosen)
    rows: list[tuple[Button, ...]] = []
    if chosen.state in OPENABLE:
        if chosen.state == CHAT:
            rows += settings_buttons(desk, conference, chosen)
        rows.append((Button(_("▶️ Mở biểu quyết"), _data(conference, chosen, "open")),))
    elif chosen.state == OPEN:
        vote_id = chosen.id or 0
        voted, eligible = len(voted_ids(desk.session, vote_id)), eligible_ids(desk.session, vote_id)
        lines.append(
            _("Đang mở: đã bỏ phiếu {voted}/{eligible} đơn vị.").format(
                voted=voted, eligible=len(eligible)
            )
        )
        rows.append(
            (
                Button(_("🔔 Nhắc"), _data(conference, chosen, "remind")),
                Button(_("⏹ Kết thúc"), _data(conference, chosen, "close")),
            )
        )
    else:
        lines.append(_("Đã kết thúc; kết quả đã gửi vào nhóm của cụm."))
    return [Reply("\n".join(lines), tuple(rows))]


def _open(desk: Desk, conference: Conference, chosen: ConferenceVote) -> list[Item]:
    """Open the vote if the quorum is met; the ballots go to every present unit's people."""
    _ = desk._
    if chosen.state not in OPENABLE:
        return _card(desk, conference, chosen)
    present = present_ids(desk.session, conference=conference)
    units = conference_units(desk.session, conference)
    rules = rules_of(chosen)
    if not quorum_met(rules.quorum, Turnout(members=len(units), present=len(present))):
        text = quorum_short(
            chosen.title, rules.quorum, present=len(present), members=len(units), locale=desk.locale
        )
        return [Reply(text)]
    options = ballot_options(desk.session, conference=conference, vote=chosen)
    if not chosen.approval and len(options) < chosen.seats:
        return [Reply(_("Số ứng viên ít hơn số được chọn: hãy sửa biểu quyết trước khi mở."))]
    opening = open_vote(
        desk.session, conference=conference, vote=chosen, options=options, present=present,
        members=len(units), actor=desk.actor, now=desk.now,
    )  # fmt: skip
    return _opened(desk, conference, chosen, opening, present)


def _opened(
    desk: Desk,
    conference: Conference,
    chosen: ConferenceVote,
    opening: VoteOpening,
    present: Sequence[int],
) -> list[Item]:
    _ = desk._
    sent = send_ballots(
        desk.session, conference=conference, vote=chosen, opening=opening, now=desk.now,
        locale=desk.settings.locale,
    )  # fmt: skip
    announce(desk.session, conference=conference, vote=chosen, now=desk.now)
    lines = [
        _("🗳 Đã mở biểu quyết «{title}»: {count} đơn vị có mặt được bỏ phiếu; phiếu đã gửi "
          "tới {sent} đầu mối.").format(title=chosen.title, count=len(present), sent=sent)
    ]  # fmt: skip
    lacking = [
        unit.name
        for unit_id in present
        if (unit := desk.session.get(Unit, unit_id)) and not members(desk.session, unit_id)
    ]
    if lacking:
        lines.append(_("Chưa có đầu mối để nhận phiếu: {units}.").format(units=", ".join(lacking)))
    return [Reply("\n".join(lines), _follow(desk, conference, chosen))]


def _follow(
    desk: Desk, conference: Conference, chosen: ConferenceVote
) -> tuple[tuple[Button, ...], ...]:
    _ = desk._
    return (
        (
            Button(_("🔔 Nhắc"), _data(conference, chosen, "remind")),
            Button(_("⏹ Kết thúc"), _data(conference, chosen, "close")),
        ),
    )


def _remind(desk: Desk, conference: Conference, chosen: ConferenceVote) -> list[Item]:
    """Remind the eligible units that have not voted, with their ballot again."""
    _ = desk._
    opening = desk.session.get(VoteOpening, chosen.id)
    if chosen.state != OPEN or opening is None:
        return [
            Reply(_("Biểu quyết «{title}» không mở nên không nhắc.").format(title=chosen.title))
        ]
    vote_id = chosen.id or 0
    done = voted_ids(desk.session, vote_id)
    waiting = [u for u in eligible_ids(desk.session, vote_id) if u not in done]
    if not waiting:
        return [Reply(_("Các đơn vị có mặt đều đã bỏ phiếu."))]
    sent = send_ballots(
        desk.session, conference=conference, vote=chosen, opening=opening, now=desk.now,
        locale=desk.settings.locale, reminder=True,
    )  # fmt: skip
    names = [unit.name for u in waiting if (unit := desk.session.get(Unit, u))]
    text = _("🔔 Đã nhắc {sent} đầu mối của các đơn vị chưa bỏ phiếu: {units}.")
    return [
        Reply(text.format(sent=sent, units=", ".join(names)), _follow(desk, conference, chosen))
    ]


def _close(desk: Desk, conference: Conference, chosen: ConferenceVote) -> list[Item]:
    """Close the vote; the count goes to the group (and, in private, to the chair too)."""
    _ = desk._
    if chosen.state != OPEN:
        return [Reply(_("Biểu quyết «{title}» không mở.").format(title=chosen.title))]
    counted = finish_vote(
        desk.session, conference=conference, vote=chosen, actor=desk.actor, now=desk.now
    )  # fmt: skip
    if counted is None:
        return [Reply(_("Biểu quyết «{title}» đã kết thúc.").format(title=chosen.title))]
    done = _("⏹ Đã kết thúc biểu quyết «{title}»; kết quả đã gửi vào nhóm của cụm.")
    items: list[Item] = [Reply(done.format(title=chosen.title))]
    if desk.chat is Chat.PRIVATE:
        items.append(Reply(counted_text(counted, desk.locale)))
    return items
