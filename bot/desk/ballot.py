"""A focal point's ballot buttons: choose, review, «Bỏ phiếu»; the receipt or a polite refusal.

Every press is checked afresh: the vote is open, the unit was present when it opened, the
person is one of the unit's people, the unit has not voted, the choice fits the seats. A
forged or stale button is refused and counted nowhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import col, select

from bot.domain.callbacks import Callback
from bot.domain.replies import Reply
from bot.domain.tally import VoteRules, ballot_problem
from bot.edge.send import Item
from bot.edge.turn import Turn
from bot.notices.ballot_texts import (
    AGAIN,
    CAST,
    REVIEW,
    TOGGLE,
    BallotView,
    ballot_reply,
    chosen,
    receipt_reply,
    review_reply,
)
from bot.notices.vote_close import finish_vote
from bot.notices.votes import ballot_view, refresh_posts
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.models import Membership, Unit
from bot.storage.vote_tables import VoteOpening
from bot.storage.votes import OPEN, Outcome, cast_ballot, eligible_ids, voted_ids

__all__ = ["press_ballot"]


@dataclass(frozen=True)
class _Pressed:
    step: str
    vote_id: int
    unit_id: int
    mask: int
    option: int | None


def _read(callback: Callback) -> _Pressed | None:
    """The press's parts, or None when its data is not a ballot button's."""
    step = callback.args[0] if callback.args else ""
    numbers = [callback.int_arg(i) for i in range(1, len(callback.args))]
    if step not in (TOGGLE, REVIEW, CAST, AGAIN) or len(numbers) not in (3, 4):
        return None
    if any(n is None or n < 0 for n in numbers):
        return None
    vote_id, unit_id, mask = (int(n or 0) for n in numbers[:3])
    option = numbers[3] if len(numbers) == 4 else None
    if (step == TOGGLE) != (option is not None):
        return None
    return _Pressed(step, vote_id, unit_id, mask, option)


def press_ballot(turn: Turn, callback: Callback) -> list[Item]:
    """One press on a ballot, checked afresh."""
    _ = turn._
    pressed = _read(callback)
    if pressed is None:
        return [_forged(turn)]
    vote = turn.session.get(ConferenceVote, pressed.vote_id)
    opening = turn.session.get(VoteOpening, pressed.vote_id)
    unit = turn.session.get(Unit, pressed.unit_id)
    conference = turn.session.get(Conference, vote.conference_id) if vote else None
    if vote is None or opening is None or unit is None or conference is None:
        return [_forged(turn)]
    refused = _refusal(turn, vote, unit)
    if refused is not None:
        return [refused]
    view = ballot_view(
        turn.session, conference=conference, vote=vote, opening=opening, unit=unit,
        locale=turn.locale, mask=pressed.mask,
    )  # fmt: skip
    if not _fits(view, pressed):
        return [_forged(turn)]
    if pressed.step == TOGGLE:
        return [_toggled(turn, view, pressed.option or 0)]
    if pressed.step == AGAIN:
        return [ballot_reply(view, turn.locale)]
    if pressed.step == REVIEW:
        return [review_reply(view, turn.locale)]
    return _cast(turn, conference, vote, view)


def _refusal(turn: Turn, vote: ConferenceVote, unit: Unit) -> Reply | None:
    """Why this person may not vote for this unit now, if they may not."""
    _ = turn._
    member = turn.session.exec(
        select(Membership).where(
            Membership.person_id == turn.person.id,
            Membership.unit_id == unit.id,
            col(Membership.revoked_at).is_(None),
        )
    ).first()
    if member is None:
        return Reply(
            _(
                "⛔ Anh/chị không phải đầu mối của đơn vị ghi trên phiếu này nên không bỏ phiếu "
                "được."
            )
        )
    if vote.state != OPEN:
        return _closed(turn, vote)
    vote_id = vote.id or 0
    if unit.id not in eligible_ids(turn.session, vote_id):
        return Reply(
            _(
                "⛔ {unit} không có tên trong danh sách đơn vị có mặt khi mở biểu quyết «{title}», "
                "nên không bỏ phiếu được."
            ).format(unit=unit.name, title=vote.title)
        )
    if unit.id in voted_ids(turn.session, vote_id):
        return _already(turn, vote, unit)
    return None


def _already(turn: Turn, vote: ConferenceVote, unit: Unit) -> Reply:
    _ = turn._
    return Reply(
        _(
            "{unit} đã bỏ phiếu cho «{title}». Mỗi đơn vị chỉ một phiếu: phiếu xác nhận đầu "
            "tiên là phiếu được tính."
        ).format(unit=unit.name, title=vote.title)
    )


def _closed(turn: Turn, vote: ConferenceVote) -> Reply:
    text = turn._("Biểu quyết «{title}» đã kết thúc; phiếu này không được tính.")
    return Reply(text.format(title=vote.title))


def _forged(turn: Turn) -> Reply:
    return Reply(turn._("⛔ Nút này không hợp lệ. Vui lòng dùng phiếu bot đã gửi cho anh/chị."))


def _fits(view: BallotView, pressed: _Pressed) -> bool:
    """The mask names options of this ballot, within the seats (exactly one for an approval,
    when reviewed or cast)."""
    count = len(view.options)
    if pressed.mask >= 1 << count or (pressed.option is not None and pressed.option >= count):
        return False
    picked = [option.code for option in chosen(view)]
    options = [option.code for option in view.options]
    if ballot_problem(VoteRules(seats=view.seats), options, picked) is not None:
        return False
    return not (view.approval and pressed.step in (REVIEW, CAST) and len(picked) != 1)


def _toggled(turn: Turn, view: BallotView, option: int) -> Reply:
    """The ballot with one option switched; refused past the seats, with a toast."""
    toggled = view.with_mask(view.mask ^ (1 << option))
    if len(chosen(toggled)) > view.seats:
        notice = turn._("Chỉ được chọn tối đa {seats}.").format(seats=view.seats)
        reply = ballot_reply(view, turn.locale)
        return Reply(reply.text, reply.buttons, notice=notice)
    return ballot_reply(toggled, turn.locale)


def _cast(turn: Turn, conference: Conference, vote: ConferenceVote, view: BallotView) -> list[Item]:
    """«Bỏ phiếu»: the unit's ballot if it is the first; the group's count edited."""
    _ = turn._
    cast = cast_ballot(
        turn.session, conference=conference, vote=vote, unit_id=view.unit_id,
        person_id=turn.person.id or 0, choices=[o.code for o in chosen(view)],
        actor=turn.actor, now=turn.now,
    )  # fmt: skip
    unit = turn.session.get(Unit, view.unit_id)
    if cast.outcome is Outcome.ALREADY and unit is not None:
        return [_already(turn, vote, unit)]
    if cast.outcome is not Outcome.CAST or cast.receipt is None:
        return [_closed(turn, vote)]
    items: list[Item] = [receipt_reply(view, cast.receipt, turn.locale)]
    if cast.voted >= cast.eligible:
        finish_vote(turn.session, conference=conference, vote=vote, actor=turn.actor, now=turn.now)
        ended = _("Mọi đơn vị có mặt đã bỏ phiếu: biểu quyết đã kết thúc, kết quả đã gửi vào nhóm.")
        items.append(Reply(ended))
    else:
        refresh_posts(turn.session, conference=conference, vote=vote, now=turn.now)
    return items
