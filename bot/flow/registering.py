"""«Xác nhận đăng ký»: a unit's targets registered, whom that concerns told, and the receipt."""

from __future__ import annotations

from functools import partial

from bot.domain.callbacks import Callback
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.flow.actions import DraftKind
from bot.flow.context import Context
from bot.flow.drafts import Draft, stale
from bot.flow.registration import for_row, window_name
from bot.flow.review import not_ready
from bot.notices.pledges import PledgeNotices
from bot.storage.models import Cluster, Person, Pledge
from bot.storage.pledge_tables import TargetRegistration
from bot.storage.pledges import submit_registration, window_of

__all__ = ["register"]


def register(ctx: Context, draft: Draft, args: Callback) -> list[Reply]:
    """Register the targets the review showed, if they are complete and current."""
    if (refusal := not_ready(ctx, draft, args)) is not None:
        return refusal
    row = draft.submission
    assert isinstance(row, TargetRegistration)  # a submission's figures are submitted instead
    pledge, window = ctx.session.get(Pledge, row.pledge_id), window_of(ctx.session, row.pledge_id)
    cluster = ctx.session.get(Cluster, pledge.cluster_id) if pledge else None
    if pledge is None or window is None or cluster is None:
        return [stale(ctx, DraftKind.TARGETS)]
    returned = ctx.session.get(TargetRegistration, draft.returned_id) if draft.returned_id else None
    if not submit_registration(
        ctx.session, draft=row, person=ctx.person, unit=draft.unit, now=ctx.now
    ):
        found = for_row(ctx, row)
        return found if isinstance(found, list) else [Reply(ctx._("Bản đăng ký đã được gửi."))]
    ctx.person.active_registration_id = None
    ctx.session.add(ctx.person)
    notices = PledgeNotices(ctx.session, pledge, cluster, window, ctx.now, ctx.default_locale)
    if returned is not None:
        _tell_returner(ctx, notices, draft, returned)
    if window.signing_at is not None:
        notices.ask_to_sign(draft.unit, row)  # the corrected targets go for signing again
    elif not any(unit.owes for unit in notices.progress):
        notices.all_registered()
    return [_receipt(ctx, draft, pledge)]


def _tell_returner(
    ctx: Context, notices: PledgeNotices, draft: Draft, returned: TargetRegistration
) -> None:
    """The chair's person who returned the previous revision learns it came back."""
    returner_id = returned.returned_by_person_id
    returner = ctx.session.get(Person, returner_id) if returner_id else None
    if returner is None:
        return
    notices.private(
        f"{notices.key}:reregistered:{draft.submission.id}",
        returner,
        partial(_reregistered, draft, returned.revision, ctx),
    )


def _reregistered(draft: Draft, returned: int, ctx: Context, locale: str) -> str:
    _ = gettext_for(locale)
    return _(
        "📬 {unit} đã đăng ký lại chỉ tiêu (lần {n}, lúc {at}) sau khi anh/chị trả lại lần "
        "{returned}."
    ).format(
        unit=draft.unit.name,
        n=draft.submission.revision,
        at=format_moment(ctx.now, draft.period.timezone, locale),
        returned=returned,
    )


def _receipt(ctx: Context, draft: Draft, pledge: Pledge) -> Reply:
    """What was registered, when, and which revision."""
    _ = ctx._
    lines = [
        _("✅ Đã đăng ký chỉ tiêu"),
        _("Đơn vị: {unit}").format(unit=draft.unit.name),
        _("Giao ước: {name}").format(name=window_name(ctx, pledge)),
        _("Thời gian: {at}").format(at=format_moment(ctx.now, draft.period.timezone, ctx.locale)),
        _("Lần đăng ký: {n}").format(n=draft.submission.revision),
        _(
            "Khi tất cả các đơn vị đã đăng ký, cụm trưởng sẽ gửi giao ước để ký. "
            "Nếu cần sửa, gõ /targets để đăng ký lần tiếp theo."
        ),
    ]
    return Reply("\n".join(lines))
