"""«Tạo biểu quyết mới»: a vote made by the chair in the chat, then set by buttons.

`/vote <conference> new <title>` (or the title typed as a reply to the prompt) makes it with
the defaults; `… <vote> set <what> <value>` changes one setting until it opens.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.desk.request import Request, token_id
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.domain.roles import Chat
from bot.domain.tally import Base, describe_threshold
from bot.domain.terms import cluster_terms
from bot.edge.keyboards import private_chat_button
from bot.edge.send import Item, Prompt
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.conferences import conference_units
from bot.storage.models import Cluster, Unit
from bot.storage.vote_results import rules_of
from bot.storage.votes import CHAT, CLOSED, OPEN, create_vote, update_vote

__all__ = ["ask_title", "change_setting", "settings_buttons", "settings_lines"]

_THRESHOLDS = {"half": ">1/2", "twothirds": ">=2/3"}
_MOST_SEATS = 3  # seat buttons offered; a larger election is written in the set-up file


def _tokens(conference: Conference, vote: ConferenceVote) -> tuple[str, str]:
    return f"#k{conference.id}", f"#v{vote.id}"


def ask_title(desk: Desk, conference: Conference, request: Request) -> list[Item]:
    """The new vote's title: typed after `new`, or asked for with a prompt to reply to."""
    _ = desk._
    title = request.rest(2).strip()
    if title:
        made = create_vote(desk.session, conference=conference, title=title, actor=desk.actor)
        lines = settings_lines(desk, conference, made)
        rows = settings_buttons(desk, conference, made)
        start = encode("c", "vote", *_tokens(conference, made), "open")
        rows.append((Button(_("▶️ Mở biểu quyết"), start),))
        return [Reply("\n".join([_("Đã tạo biểu quyết mới."), *lines]), tuple(rows))]
    if desk.chat is Chat.GROUP:
        text = _(
            "Tạo biểu quyết mới trong trò chuyện riêng với bot, hoặc gõ trong nhóm: "
            "/vote {code} new <tên biểu quyết>"
        ).format(code=conference.code)
        return [Reply(text, ((private_chat_button(desk.bot_username, desk.locale),),))]
    question = _("Gõ tên biểu quyết mới cho «{conference}» (trả lời tin nhắn này):").format(
        conference=conference.name
    )
    return [Prompt(f"{question}\n/vote #k{conference.id} new", _("Tên biểu quyết"))]


def settings_lines(desk: Desk, conference: Conference, vote: ConferenceVote) -> list[str]:
    """The vote's settings in sentences."""
    _ = desk._
    rules = rules_of(vote)
    cluster = desk.session.get(Cluster, conference.cluster_id)
    terms = cluster_terms(cluster.kind if cluster else None, desk.locale)
    state = {OPEN: _("đang mở"), CLOSED: _("đã kết thúc")}.get(vote.state, _("chưa mở"))
    if vote.approval:
        kind = _("Thông qua (Tán thành / Không tán thành / Không có ý kiến)")
    else:
        kind = _("Bầu, suy tôn: mỗi phiếu chọn tối đa {seats}").format(seats=vote.seats)
    of = _("số đơn vị có mặt") if rules.base is Base.PRESENT else _("tổng số đơn vị của cụm")
    lines = [
        f"🗳 «{vote.title}» ({vote.code})",
        _("Hội nghị: {name}").format(name=conference.name),
        _("Loại: {kind}").format(kind=kind),
    ]
    if not vote.approval:
        lines.append(_("Ứng viên: {units}").format(units=_candidates(desk, conference, vote)))
    lines += [
        _("Hình thức: bỏ phiếu kín") if vote.secret else _("Hình thức: biểu quyết công khai"),
        _("Tỷ lệ cần đạt: {share} {of}").format(
            share=describe_threshold(rules.threshold, desk.locale), of=of
        ),
        _("Điều kiện mở: có mặt {share} số đơn vị của cụm").format(
            share=describe_threshold(rules.quorum, desk.locale)
        ),
    ]
    if vote.elects and vote.elects_year:
        role = terms.chair if vote.elects == "chair" else terms.vice_chair
        lines.append(
            _("Người trúng cử là {role} năm {year}.").format(role=role, year=vote.elects_year)
        )
    lines.append(_("Trạng thái: {state}").format(state=state))
    return lines


def _candidates(desk: Desk, conference: Conference, vote: ConferenceVote) -> str:
    if not vote.candidates:
        return desk._("tất cả đơn vị của cụm")
    units = conference_units(desk.session, conference)
    return ", ".join(unit.name for unit in units if unit.code in vote.candidates)


def settings_buttons(
    desk: Desk, conference: Conference, vote: ConferenceVote
) -> list[tuple[Button, ...]]:
    """A chat-made vote's settings as buttons, the current ones marked."""
    _ = desk._

    def button(label: str, on: bool, *words: str) -> Button:
        mark = "• " if on else ""
        return Button(mark + label, encode("c", "vote", *_tokens(conference, vote), "set", *words))

    rows: list[tuple[Button, ...]] = [
        (
            button(_("Bầu, suy tôn"), not vote.approval, "kind", "election"),
            button(_("Thông qua"), vote.approval, "kind", "approval"),
        ),
        (
            button(_("Bỏ phiếu kín"), vote.secret, "secret", "on"),
            button(_("Công khai"), not vote.secret, "secret", "off"),
        ),
        (
            button(_("Hơn 1/2"), vote.threshold == ">1/2", "thr", "half"),
            button(_("Từ 2/3"), vote.threshold == ">=2/3", "thr", "twothirds"),
        ),
        (
            button(_("Của số có mặt"), vote.base == Base.PRESENT, "base", "present"),
            button(_("Của cả cụm"), vote.base == Base.ALL, "base", "all"),
        ),
    ]
    if vote.approval:
        return rows
    units = conference_units(desk.session, conference)
    seats = range(1, min(_MOST_SEATS, len(units)) + 1)
    label = _("Chọn {seats}")
    rows.append(
        tuple(button(label.format(seats=n), vote.seats == n, "seats", str(n)) for n in seats)
    )
    rows.append((button(_("Ứng viên: tất cả đơn vị"), not vote.candidates, "cand", "all"),))
    toggles = [
        button(
            ("☑ " if unit.code in vote.candidates else "☐ ") + unit.name,
            False,
            "cand",
            f"#u{unit.id}",
        )
        for unit in units
    ]
    rows += [tuple(toggles[i : i + 2]) for i in range(0, len(toggles), 2)]
    return rows


def change_setting(
    desk: Desk, conference: Conference, vote: ConferenceVote, words: Sequence[str]
) -> None:
    """Apply `<what> <value>` to a chat-made vote before it opens; anything else is ignored
    (a file's vote follows its file, an opened one stays as it opened)."""
    if vote.state != CHAT or len(words) != 2:
        return
    what, value = words
    values = _values(desk, conference, vote, what, value)
    if values:
        update_vote(desk.session, conference=conference, vote=vote, values=values, actor=desk.actor)


def _values(
    desk: Desk, conference: Conference, vote: ConferenceVote, what: str, value: str
) -> dict[str, object]:
    if what == "kind" and value in ("election", "approval"):
        return {"approval": value == "approval", "seats": 1, "candidates": []}
    if what == "secret" and value in ("on", "off"):
        return {"secret": value == "on"}
    if what == "thr" and value in _THRESHOLDS:
        return {"threshold": _THRESHOLDS[value]}
    if what == "base" and value in (Base.PRESENT, Base.ALL):
        return {"base": value}
    units = conference_units(desk.session, conference)
    if what == "seats" and value.isdigit() and 1 <= int(value) <= len(units):
        return {"seats": int(value)}
    if what == "cand":
        return _candidates_after(vote, units, value)
    return {}


def _candidates_after(vote: ConferenceVote, units: list[Unit], value: str) -> dict[str, object]:
    """`all`, or one unit toggled in or out of the list (kept in the set-up's order)."""
    if value == "all":
        return {"candidates": []}
    unit_id = token_id(value, "u")
    unit = next((u for u in units if u.id == unit_id), None)
    if unit is None:
        return {}
    chosen = set(vote.candidates) ^ {unit.code}
    listed = [u.code for u in units if u.code in chosen]
    if listed and len(listed) < vote.seats:
        return {"candidates": listed, "seats": len(listed)}
    return {"candidates": listed}
