"""Registering next year's targets (đăng ký chỉ tiêu): the same conversation as a submission.

`/targets` (or «Đăng ký chỉ tiêu») picks the unit, then the pledge, then continues, starts or
revises a registration; its questions are the pledge's indicators that take a target, each
with this year's target and result beside it. Everything after the start (answers, checks,
review) is the submission's own, for a `Draft` of kind `DraftKind.TARGETS`.
"""

from __future__ import annotations

from bot.domain.formatting import format_moment
from bot.domain.periods import Phase, phase
from bot.domain.replies import Reply
from bot.flow.actions import Action, DraftKind
from bot.flow.context import Context
from bot.flow.drafts import (
    Draft,
    RegistrationWindow,
    activate,
    latest_submitted,
    not_member,
    stale,
)
from bot.flow.review import ask_next, review
from bot.flow.setup_cache import Asked
from bot.flow.start import offer_resume
from bot.storage import pledges as store
from bot.storage.models import Pledge
from bot.storage.pledge_tables import PledgeWindow, TargetAnswer, TargetRegistration

__all__ = [
    "active",
    "begin",
    "choose_pledge",
    "choose_unit",
    "for_button",
    "returned_text",
    "window_name",
]

TARGETS = DraftKind.TARGETS


def begin(ctx: Context) -> list[Reply]:
    """`/targets`: pick the unit, then the pledge, then continue or start."""
    units = [(m, u) for m, u in ctx.member_units() if _openings(ctx, u.id or 0)]
    if not ctx.member_units():
        return [Reply(ctx._("Anh/chị chưa thuộc đơn vị nào nên chưa thể đăng ký chỉ tiêu."))]
    if not units:
        return [Reply(ctx._("Hiện chưa mở đăng ký chỉ tiêu cho đơn vị của anh/chị."))]
    if len(units) == 1:
        return choose_unit(ctx, units[0][1].id or 0)
    buttons = tuple((Action.UNIT.button(u.name, u.id, kind=TARGETS),) for _m, u in units)
    return [Reply(ctx._("Anh/chị đăng ký chỉ tiêu cho đơn vị nào?"), buttons)]


def choose_unit(ctx: Context, unit_id: int) -> list[Reply]:
    """The unit is known: pick among its pledges whose registration is open."""
    unit = ctx.member_unit(unit_id)
    if unit is None:
        return [not_member(ctx)]
    openings = _openings(ctx, unit_id)
    if not openings:
        return [Reply(ctx._("Hiện chưa mở đăng ký chỉ tiêu cho {unit}.").format(unit=unit.name))]
    if len(openings) == 1:
        return choose_pledge(ctx, unit_id, openings[0].id or 0)
    buttons = tuple(
        (Action.PERIOD.button(window_name(ctx, p), unit_id, p.id, kind=TARGETS),) for p in openings
    )
    return [Reply(ctx._("Anh/chị đăng ký chỉ tiêu cho giao ước nào?"), buttons)]


def _openings(ctx: Context, unit_id: int) -> list[Pledge]:
    """The unit's pledges whose registration has opened and is not signed yet."""
    return [
        pledge
        for pledge, window, _cluster in store.openings_for_unit(ctx.session, unit_id)
        if phase(window, ctx.now) in (Phase.OPEN, Phase.LATE)
    ]


def choose_pledge(ctx: Context, unit_id: int, pledge_id: int) -> list[Reply]:
    """Open the unit's registration: continue the draft, start one, or revise the last one."""
    unit = ctx.member_unit(unit_id)
    # Only a pledge of the unit's own clusters: another cluster's is answered as none.
    mine = {p.id for p, _w, _c in store.openings_for_unit(ctx.session, unit_id)} if unit else set()
    pledge = ctx.session.get(Pledge, pledge_id) if pledge_id in mine else None
    window = store.window_of(ctx.session, pledge_id)
    if unit is None or pledge is None or window is None:
        return [not_member(ctx) if unit is None else stale(ctx, TARGETS)]
    revisions = store.registrations_of(ctx.session, pledge_id=pledge_id, unit_id=unit_id)
    revising = latest_submitted(revisions)
    if (refusal := _refusal(ctx, pledge, window, revising)) is not None:
        return [refusal]
    returned = revising if revising is not None and revising.returned_at else None
    existing = next((r for r in revisions if r.status == "draft"), None)
    if existing is not None:
        draft = load(ctx, existing, pledge, window, returned)
        if draft.answers:
            activate(ctx, existing)
            notice = returned_text(ctx, returned, window) if returned else None
            return [offer_resume(ctx, draft, notice)]
    else:
        row, answers = store.start_registration(
            ctx.session,
            pledge_id=pledge_id,
            unit_id=unit_id,
            person=ctx.person,
            revisions=revisions,
        )
        draft = load(ctx, row, pledge, window, returned, answers=answers)
    activate(ctx, draft.submission)
    if revising is None:
        return ask_next(ctx, draft)
    return review(ctx, draft, intro=_revising_intro(ctx, draft, revising, returned, window))


def load(
    ctx: Context,
    row: TargetRegistration,
    pledge: Pledge,
    window: PledgeWindow,
    returned: TargetRegistration | None,
    *,
    answers: dict[int, TargetAnswer] | None = None,
) -> Draft:
    """The registration as a draft: next year's questions, with this year's target and result."""
    unit = ctx.member_unit(row.unit_id)
    assert unit is not None  # every caller checked the person's membership first
    indicators = store.target_indicators(ctx.session, pledge.id or 0)
    year, cluster_id = pledge.year - 1, pledge.cluster_id
    targets = store.targets_of(ctx.session, cluster_id=cluster_id, year=year, unit_id=row.unit_id)
    asked = Asked(
        unit=unit,
        cluster_id=cluster_id,
        indicators=tuple(indicators),
        targets={i.id or 0: targets[i.code] for i in indicators if i.code in targets},
        last=store.results_of(ctx.session, cluster_id=cluster_id, year=year, unit_id=row.unit_id),
        positions={i.id or 0: n for n, i in enumerate(indicators, start=1)},
    )
    if answers is None:
        answers = store.target_answers_of(ctx.session, row.id or 0)
    shown = RegistrationWindow(
        window_name(ctx, pledge), pledge.year, window.timezone, window.deadline_at
    )
    return Draft(
        submission=row,
        period=shown,
        asked=asked,
        answers={k: v for k, v in answers.items() if k in asked.positions},
        returned_id=returned.id if returned else None,
        kind=TARGETS,
    )


def active(ctx: Context) -> Draft | list[Reply]:
    """The registration being answered, or the replies explaining why there is none."""
    return for_row(ctx, ctx.session.get(TargetRegistration, ctx.person.active_registration_id))


def for_button(ctx: Context, registration_id: int | None) -> Draft | list[Reply]:
    """The registration a button is about, made the active draft, or why it cannot be answered."""
    row = ctx.session.get(TargetRegistration, registration_id) if registration_id else None
    if row is not None and ctx.member_unit(row.unit_id) is None:
        row = None  # another unit's registration is answered as none: nothing tells it exists
    found = for_row(ctx, row)
    if isinstance(found, Draft):
        activate(ctx, found.submission)
    return found


def for_row(ctx: Context, row: TargetRegistration | None) -> Draft | list[Reply]:
    """A registration as the draft to answer, if it still is one the person may write."""
    if row is None:
        return [stale(ctx, TARGETS)]
    if row.status != "draft":
        text = ctx._(
            "Bản đăng ký chỉ tiêu này đã được gửi (lần {n}). Gõ /targets nếu cần sửa."
        ).format(n=row.revision)
        return [Reply(text)]
    pledge = ctx.session.get(Pledge, row.pledge_id)
    window = store.window_of(ctx.session, row.pledge_id)
    if ctx.member_unit(row.unit_id) is None or pledge is None or window is None:
        return [not_member(ctx)]
    revisions = store.registrations_of(ctx.session, pledge_id=row.pledge_id, unit_id=row.unit_id)
    latest = latest_submitted(revisions)
    if (refusal := _refusal(ctx, pledge, window, latest)) is not None:
        return [refusal]
    returned = latest if latest is not None and latest.returned_at else None
    return load(ctx, row, pledge, window, returned)


def _refusal(
    ctx: Context, pledge: Pledge, window: PledgeWindow, latest: TargetRegistration | None
) -> Reply | None:
    """Why the unit cannot register now (not open, signed, sent for signing), if it cannot."""
    name = window_name(ctx, pledge)
    stage = phase(window, ctx.now)
    if stage is Phase.UPCOMING:
        opens = format_moment(window.opens_at, window.timezone, ctx.locale)
        return Reply(
            ctx._("Đăng ký chỉ tiêu «{name}» chưa mở; mở lúc {opens}.").format(
                name=name, opens=opens
            )
        )
    if window.signed_at is not None or stage is Phase.LOCKED:
        return Reply(ctx._("«{name}» đã ký xong, không nhận đăng ký thêm.").format(name=name))
    if window.signing_at is not None and latest is not None and latest.returned_at is None:
        return Reply(
            ctx._(
                "Cụm trưởng đã gửi «{name}» để ký: gõ /sign để xem và ký. Nếu cần sửa chỉ tiêu, "
                "xin cụm trưởng trả lại bản đăng ký của đơn vị."
            ).format(name=name)
        )
    return None


def window_name(ctx: Context, pledge: Pledge) -> str:
    """`Giao ước thi đua năm 2027`."""
    return ctx._("Giao ước thi đua năm {year}").format(year=pledge.year)


def returned_text(ctx: Context, returned: TargetRegistration, window: PledgeWindow) -> str:
    """The chair's reason for returning a registration, and what the unit must do now."""
    at = returned.returned_at or returned.submitted_at
    return ctx._(
        "↩️ Cụm trưởng đã trả lại bản đăng ký chỉ tiêu lần {n} lúc {at}, lý do: «{reason}». "
        "Đơn vị cần sửa và đăng ký lại."
    ).format(
        n=returned.revision,
        at=format_moment(at, window.timezone, ctx.locale) if at else "?",
        reason=returned.returned_reason or "",
    )


def _revising_intro(
    ctx: Context,
    draft: Draft,
    revising: TargetRegistration,
    returned: TargetRegistration | None,
    window: PledgeWindow,
) -> str:
    """A new revision: which one was registered, and if the chair returned it."""
    intro = ctx._(
        "Đơn vị đã đăng ký lần {n}. Dưới đây là các chỉ tiêu đã đăng ký: sửa câu cần thay đổi "
        "rồi bấm «Xác nhận đăng ký» để đăng ký lần {next}."
    ).format(n=revising.revision, next=draft.submission.revision)
    return intro if returned is None else f"{returned_text(ctx, returned, window)}\n\n{intro}"
