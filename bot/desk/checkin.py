"""`/checkin`: the chair opens the roll-call; a unit's member presses «Có mặt» to check in."""

from __future__ import annotations

from sqlmodel import col, select

from bot.desk.conference_pick import pick_conference, post_in_groups
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.terms import cluster_terms
from bot.edge.send import Item
from bot.edge.turn import Turn
from bot.notices.roll_call import post_roll_call, refresh_roll_call
from bot.storage.checkin import Presence, attendance_of, mark_present, units_of_person_in
from bot.storage.conference_tables import Conference, Delegate, Registration
from bot.storage.models import Cluster
from bot.storage.types import require_id

__all__ = ["checkin", "present_refusal", "press_present"]


def checkin(desk: Desk, request: Request) -> list[Item]:
    """`/checkin [conference]`: the roll-call, with «Có mặt», in the group (or its groups)."""
    _ = desk._
    chosen = pick_conference(desk, request, 0, [])
    done = _("🙋 Đã gửi tin điểm danh «{name}» vào nhóm.").format(name=chosen.name)
    return post_in_groups(desk, chosen, post_roll_call, done)


def present_refusal(turn: Turn, conference_id: int | None) -> str | None:
    """Why this press of «Có mặt» records nothing (an alert), or None when it will."""
    _ = turn._
    chosen = turn.session.get(Conference, conference_id) if conference_id else None
    if chosen is None or chosen.state != "scheduled":
        return _("Hội nghị này không còn điểm danh.")
    units = units_of_person_in(
        turn.session, person_id=require_id(turn.person), cluster_id=chosen.cluster_id
    )
    if not units:
        cluster = turn.session.get(Cluster, chosen.cluster_id)
        terms = cluster_terms(cluster.kind if cluster else None, turn.locale).mid_sentence()
        return _(
            "Xin lỗi, chỉ đại biểu của các đơn vị trong {cluster} mới điểm danh ở đây. Nếu "
            "anh/chị thuộc một đơn vị của {cluster}, hãy xin đường dẫn mời để tham gia."
        ).format(cluster=terms.emulation_cluster)
    if _already(turn, chosen, require_id(units[0])):
        return _("Anh/chị đã được ghi có mặt cho {unit}.").format(unit=units[0].name)
    return None


def _already(turn: Turn, chosen: Conference, unit_id: int) -> bool:
    """Whether the unit is present with this person among its delegates present."""
    row = attendance_of(turn.session, conference=chosen).get(unit_id)
    if row is None or row.status != "present":
        return False
    mine = turn.session.exec(
        select(Delegate)
        .join(Registration, col(Registration.id) == Delegate.registration_id)
        .where(
            Registration.conference_id == chosen.id,
            Registration.unit_id == unit_id,
            Delegate.person_id == turn.person.id,
            col(Delegate.present).is_(True),
        )
    ).first()
    return mine is not None


def press_present(turn: Turn, conference_id: int, pressed: tuple[int, int]) -> list[Item]:
    """«Có mặt»: the person's unit present, the person a delegate; the roll-call edited."""
    query = select(Conference).where(Conference.id == conference_id)
    if turn.session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()  # presses of one roll-call one after another
    chosen = turn.session.exec(query).first()
    if chosen is None or present_refusal(turn, conference_id) is not None:
        return []  # changed in between: the alert's reasons hold, nothing recorded
    unit = units_of_person_in(
        turn.session, person_id=require_id(turn.person), cluster_id=chosen.cluster_id
    )[0]
    outcome = mark_present(
        turn.session,
        conference=chosen,
        unit=unit,
        person=turn.person,
        actor=turn.actor,
        now=turn.now,
    )
    if outcome is not Presence.SAME:
        locale = turn.settings.locale
        refresh_roll_call(
            turn.session, conference=chosen, locale=locale, pressed=pressed, now=turn.now
        )
    return []
