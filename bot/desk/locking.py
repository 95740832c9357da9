"""An admin opens or locks a period, or locks and unlocks one unit's submission."""

from __future__ import annotations

from bot.desk.pickers import choice, pick_period, pick_unit
from bot.desk.request import ALL, Request, token
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.periods import lock_at
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.storage import admin as store
from bot.storage.locks import LOCKED, UNLOCKED
from bot.storage.models import Period, Unit

__all__ = ["lock", "open_period", "unlock"]


def open_period(desk: Desk, request: Request) -> list[Item]:
    """`/open [period]`: accept figures from now on, whatever the timetable says."""
    _ = desk._
    period = pick_period(desk, request, 0, [])
    if not store.set_period_state(desk.session, period=period, state="open", actor=desk.actor):
        return [Reply(_("Kỳ «{period}» đang mở rồi.").format(period=period.name))]
    deadline = format_moment(period.deadline_at, period.timezone, desk.locale)
    return [
        Reply(
            _(
                "🔓 Đã mở kỳ «{period}». Các đơn vị nộp được cho đến khi quản trị viên khóa sổ "
                "(/lock); nộp sau hạn {deadline} được ghi là nộp muộn."
            ).format(period=period.name, deadline=deadline)
        )
    ]


def lock(desk: Desk, request: Request) -> list[Item]:
    """`/lock [period] [unit|*]`: lock the whole period, or one unit early."""
    _ = desk._
    period = pick_period(desk, request, 0, [])
    reachable = desk.clusters_in_scope(period)
    if request.word(1) is None:
        raise _ask_what_to_lock(desk, period)
    if request.word(1) == ALL:
        return _lock_period(desk, period)
    unit = pick_unit(desk, request, 1, [token(period)], reachable)
    return _set_unit(desk, period, unit, LOCKED)


def unlock(desk: Desk, request: Request) -> list[Item]:
    """`/unlock [period] [unit]`: let one unit submit although the period is locked."""
    period = pick_period(desk, request, 0, [])
    unit = pick_unit(desk, request, 1, [token(period)], desk.clusters_in_scope(period))
    return _set_unit(desk, period, unit, UNLOCKED)


def _ask_what_to_lock(desk: Desk, period: Period) -> Ask:
    _ = desk._
    reachable = desk.clusters_in_scope(period)
    options = [(_("🔒 Khóa sổ cả kỳ"), ALL)]
    if len(reachable) == 1:
        options += [(unit.name, token(unit)) for unit in desk.units(reachable[0])]
    else:
        options += [(f"{c.name} ({c.code})", token(c)) for c in reachable]
    question = _("Khóa sổ cả kỳ «{period}», hay chỉ một đơn vị?").format(period=period.name)
    return choice(desk, "lock", [token(period)], question, options)


def _lock_period(desk: Desk, period: Period) -> list[Item]:
    _ = desk._
    if not store.set_period_state(desk.session, period=period, state="locked", actor=desk.actor):
        return [Reply(_("Kỳ «{period}» đã khóa sổ rồi.").format(period=period.name))]
    return [
        Reply(
            _(
                "🔒 Đã khóa sổ kỳ «{period}»: không nhận thêm số liệu. Để một đơn vị nộp bổ sung, "
                "dùng /unlock; để mở lại cả kỳ, dùng /open."
            ).format(period=period.name)
        )
    ]


def _set_unit(desk: Desk, period: Period, unit: Unit, state: str) -> list[Item]:
    _ = desk._
    changed = store.set_unit_lock(
        desk.session, period=period, unit=unit, state=state, actor=desk.actor, now=desk.now
    )
    names = {"unit": unit.name, "period": period.name}
    if state == LOCKED:
        text = (
            _("🔒 Đã khóa sổ riêng {unit} trong kỳ «{period}»: đơn vị không nộp thêm được.")
            if changed
            else _("{unit} đã bị khóa sổ trong kỳ «{period}» rồi.")
        )
        return [Reply(text.format(**names))]
    if not changed:
        return [Reply(_("{unit} đã được mở khóa trong kỳ «{period}» rồi.").format(**names))]
    text = _("🔓 Đã mở khóa cho {unit} trong kỳ «{period}»: đơn vị nộp được số liệu.")
    if desk.now >= period.deadline_at:
        text += " " + _("Quá hạn nộp nên bản nộp được ghi là nộp muộn.")
    if period.state != "locked" and desk.now < lock_at(period):
        text += " " + _("(Kỳ chưa khóa sổ; mở khóa giữ cho đơn vị nộp được cả khi kỳ khóa.)")
    return [Reply(text.format(**names))]
