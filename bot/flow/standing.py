"""Around a submission: `/cancel`, `/status`, and the welcome of `/start`."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.i18n import gettext_for
from bot.domain.periods import Phase, lock_at, phase
from bot.domain.replies import Reply, split_text
from bot.flow.context import Context
from bot.flow.drafts import active_submission, latest_submitted
from bot.flow.states import Pending
from bot.flow.texts import Standing, standing_text
from bot.storage import submissions as store
from bot.storage.models import Period, Unit
from bot.storage.pledge_tables import TargetRegistration
from bot.storage.pledges import target_answers_of

__all__ = ["admin_status", "cancel", "status", "welcome"]

# How long after a lock `/status` still tells of a draft left in the locked period.
_LOCKED_DRAFTS_SHOWN = timedelta(days=30)


def cancel(ctx: Context) -> list[Reply]:
    """`/cancel`: stop asking, keep the draft, say how to resume."""
    if ctx.person.active_registration_id is not None:
        return _cancel_registration(ctx)
    submission = active_submission(ctx)
    ctx.person.active_submission_id = None
    ctx.session.add(ctx.person)
    if submission is None:
        text = ctx._("Không có gì đang làm dở. Gõ /submit khi cần nộp số liệu.")
        return [Reply(text, main_keyboard=True)]
    if (submission.pending or {}).get("step") == Pending.AMBIGUOUS:
        submission.pending = None
        ctx.session.add(submission)
    done = len(store.answers_of(ctx.session, submission.id or 0))
    text = ctx._(
        "Đã tạm dừng. Bản nháp được giữ nguyên ({done} câu đã trả lời). "
        "Khi sẵn sàng, gõ /submit hoặc bấm «Nộp số liệu» để tiếp tục."
    ).format(done=done)
    return [Reply(text, main_keyboard=True)]


def _cancel_registration(ctx: Context) -> list[Reply]:
    """`/cancel` while registering targets: the draft is kept for `/targets`."""
    row = ctx.session.get(TargetRegistration, ctx.person.active_registration_id)
    ctx.person.active_registration_id = None
    ctx.session.add(ctx.person)
    if row is None or row.status != "draft":
        return [Reply(ctx._("Không có gì đang làm dở. Gõ /targets khi cần đăng ký chỉ tiêu."))]
    if (row.pending or {}).get("step") == Pending.AMBIGUOUS:
        row.pending = None
        ctx.session.add(row)
    done = len(target_answers_of(ctx.session, row.id or 0))
    text = ctx._(
        "Đã tạm dừng. Bản nháp đăng ký chỉ tiêu được giữ nguyên ({done} câu đã trả lời). "
        "Khi sẵn sàng, gõ /targets để tiếp tục."
    ).format(done=done)
    return [Reply(text)]


def status(ctx: Context) -> list[Reply]:
    """`/status`: for each unit and period that accepts figures, where it stands."""
    if not ctx.member_units():
        return [Reply(ctx._("Anh/chị chưa thuộc đơn vị nào. Hãy dùng đường dẫn mời để tham gia."))]
    lines = [standing_text(s, ctx.now, ctx.locale) for s in _standings(ctx)]
    if not lines:
        text = ctx._("Hiện không có kỳ báo cáo nào đang mở cho đơn vị của anh/chị.")
        return [Reply(text, main_keyboard=True)]
    return [Reply(piece, main_keyboard=True) for piece in split_text("\n\n".join(lines))]


def admin_status(locale: str) -> Reply:
    """`/status` for an admin who belongs to no unit: where an admin sees how things stand."""
    _ = gettext_for(locale)
    return Reply(
        _(
            "Anh/chị là quản trị viên, không nộp số liệu cho đơn vị nào. Để xem tình hình: "
            "/periods – các kỳ báo cáo và hạn nộp, /board – tiến độ nộp của một cụm, "
            "/summary – tổng hợp của cụm, /help – các lệnh của quản trị viên."
        )
    )


def welcome(ctx: Context, first_name: str) -> list[Reply]:
    """`/start` by a member: their units, where each stands, and what to do next."""
    _ = ctx._
    names = ", ".join(unit.name for _m, unit in ctx.member_units())
    standings = _standings(ctx)
    lines = [
        _("Xin chào anh/chị {name}. Anh/chị là thành viên của: {units}.").format(
            name=first_name, units=names
        )
    ]
    lines += [standing_text(s, ctx.now, ctx.locale) for s in standings]
    if not standings:
        lines.append(
            _("Hiện chưa có kỳ báo cáo nào đang mở cho đơn vị của anh/chị; bot sẽ nhắc khi kỳ mở.")
        )
    elif any(s.owes and s.stage is not Phase.LOCKED for s in standings):
        lines.append(_("👉 Việc tiếp theo: bấm «Nộp số liệu» hoặc gõ /submit để nộp số liệu."))
    else:
        lines.append(_("✅ Đơn vị đã nộp. Nếu cần sửa, gõ /submit để nộp lần tiếp theo."))
    lines.append(_("Gõ /status để xem tình trạng, /help để xem hướng dẫn."))
    return [Reply(piece, main_keyboard=True) for piece in split_text("\n\n".join(lines))]


def _standings(ctx: Context) -> list[Standing]:
    """Each unit and period that accepts figures, that an admin locked for the unit, or that
    locked lately with a draft left in it (which can no longer be submitted)."""
    standings = []
    for _membership, unit in ctx.member_units():
        for period, cluster, lock in store.periods_of_unit(ctx.session, unit.id or 0):
            stage = ctx.known_phase(period, unit.id or 0, lock)
            locked_early = stage is Phase.LOCKED and phase(period, ctx.now) in (
                Phase.OPEN,
                Phase.LATE,
            )
            if stage in (Phase.OPEN, Phase.LATE) or locked_early:
                standings.append(_standing(ctx, unit, period, cluster.id or 0, stage))
            elif stage is Phase.LOCKED and ctx.now - lock_at(period) < _LOCKED_DRAFTS_SHOWN:
                standing = _standing(ctx, unit, period, cluster.id or 0, stage)
                if standing.drafted is not None:
                    standings.append(standing)
    return standings


def _standing(ctx: Context, unit: Unit, period: Period, cluster_id: int, stage: Phase) -> Standing:
    revisions = store.revisions_of(ctx.session, period_id=period.id or 0, unit_id=unit.id or 0)
    draft = next((s for s in revisions if s.status == "draft"), None)
    drafted = None if draft is None else len(store.answers_of(ctx.session, draft.id or 0))
    questions = 0
    if draft is not None:  # counted only for a draft, to say whether it is finished
        questions = len(store.indicators_for(ctx.session, cluster_id=cluster_id, year=period.year))
    return Standing(unit.name, period, stage, latest_submitted(revisions), drafted, questions)
