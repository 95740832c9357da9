"""The words of a pledge's registration and signing: notices, reminders, the board (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.domain import figures
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment, format_time_left
from bot.domain.i18n import gettext_for
from bot.notices.texts import progress_bar
from bot.storage.models import Cluster, Indicator, Pledge, Unit
from bot.storage.pledge_progress import REGISTERED, RETURNED, SIGNED, UnitTargets
from bot.storage.pledge_tables import PledgeWindow

__all__ = [
    "all_registered",
    "all_signed",
    "board_signature",
    "board_text",
    "deadline_line",
    "group_missing",
    "inline_button",
    "opened",
    "private_invitation",
    "private_reminder",
    "register_button",
    "returned_to_unit",
    "sent_for_signing",
    "sign_request",
    "target_text",
]

# The targets conversation's «this unit» button (`Action.UNIT` of `DraftKind.TARGETS` in
# bot/flow/actions.py): written here as it goes on the wire, which never changes.
_REGISTER_FOR_UNIT = "tu"


def inline_button(label: str, data: str) -> dict[str, Any]:
    """One inline button as Bot API JSON, for a queued message."""
    return {"inline_keyboard": [[{"text": label, "callback_data": data}]]}


def register_button(unit: Unit, locale: str) -> dict[str, Any]:
    """«Đăng ký chỉ tiêu» for one unit: it starts the targets conversation for that unit."""
    _ = gettext_for(locale)
    return inline_button(_("📝 Đăng ký chỉ tiêu"), encode(_REGISTER_FOR_UNIT, unit.id))


def target_text(canonical: str, indicator: Indicator, locale: str) -> str:
    """A registered target the Vietnamese way, with its unit label (`700 tỷ đồng`)."""
    spec = figures.Spec(kind=indicator.kind, integer=indicator.integer, unit=indicator.unit_label)
    try:
        text = figures.format_value(figures.from_canonical(canonical, spec), spec, locale=locale)
    except ValueError:
        return canonical
    return (
        f"{text} {indicator.unit_label}" if indicator.unit_label and spec.kind == "number" else text
    )


def deadline_line(window: PledgeWindow, now: datetime, locale: str) -> str:
    """`Hạn đăng ký: 17:00 ngày 20/12/2026 (còn 3 ngày).`, or that it has passed."""
    _ = gettext_for(locale)
    deadline = format_moment(window.deadline_at, window.timezone, locale)
    if now < window.deadline_at:
        left = format_time_left(window.deadline_at - now, locale)
        return _("Hạn đăng ký: {deadline} (còn {left}).").format(deadline=deadline, left=left)
    return _("Đã quá hạn đăng ký ({deadline}).").format(deadline=deadline)


def opened(
    pledge: Pledge, cluster: Cluster, window: PledgeWindow, now: datetime, locale: str
) -> str:
    """The group post when registration opens."""
    _ = gettext_for(locale)
    return _(
        "📣 Đã mở đăng ký chỉ tiêu giao ước thi đua năm {year} của {cluster}.\n{deadline}\n"
        "Đầu mối của từng đơn vị đăng ký trong trò chuyện riêng với bot: gõ /targets."
    ).format(year=pledge.year, cluster=cluster.name, deadline=deadline_line(window, now, locale))


def private_invitation(
    pledge: Pledge, unit: Unit, window: PledgeWindow, now: datetime, locale: str
) -> str:
    """A focal point's notice that the unit's targets can be registered."""
    _ = gettext_for(locale)
    return _(
        "📝 Kính mời đồng chí đăng ký chỉ tiêu giao ước thi đua năm {year} cho {unit}: bấm "
        "«Đăng ký chỉ tiêu» hoặc gõ /targets.\n{deadline}"
    ).format(year=pledge.year, unit=unit.name, deadline=deadline_line(window, now, locale))


def private_reminder(
    pledge: Pledge, unit: UnitTargets, window: PledgeWindow, now: datetime, locale: str
) -> str:
    """A focal point's reminder: the unit has not registered (or must register again)."""
    _ = gettext_for(locale)
    lines = [
        _("⏰ Nhắc đăng ký chỉ tiêu năm {year}: {unit} chưa đăng ký.").format(
            year=pledge.year, unit=unit.unit.name
        ),
        deadline_line(window, now, locale),
    ]
    if unit.state == RETURNED:
        lines.append(_("Cụm trưởng đã trả lại bản đăng ký để sửa; đồng chí vui lòng đăng ký lại."))
    elif unit.drafted:
        lines.append(
            _("Bản nháp đã trả lời {answered} câu; bấm nút để làm tiếp.").format(
                answered=unit.drafted
            )
        )
    return "\n".join(lines)


def group_missing(
    pledge: Pledge,
    progress: Sequence[UnitTargets],
    window: PledgeWindow,
    now: datetime,
    locale: str,
) -> str:
    """The group's list of units that have not registered yet."""
    _ = gettext_for(locale)
    names = ", ".join(unit.unit.name for unit in progress if unit.owes)
    return _("⏰ Còn các đơn vị chưa đăng ký chỉ tiêu năm {year}: {units}.\n{deadline}").format(
        year=pledge.year, units=names, deadline=deadline_line(window, now, locale)
    )


def board_signature(progress: Sequence[UnitTargets]) -> str:
    """What the board shows apart from the clock."""
    return ",".join(
        f"{u.unit.id}:{u.state}:{u.latest.revision if u.latest else 0}" for u in progress
    )


def board_text(
    pledge: Pledge,
    cluster: Cluster,
    progress: Sequence[UnitTargets],
    window: PledgeWindow,
    now: datetime,
    locale: str,
) -> str:
    """The registration board: each unit's state, a bar, and the deadline or the signing."""
    _ = gettext_for(locale)
    done = sum(1 for unit in progress if not unit.owes)
    total = len(progress)
    lines = [
        _("📊 Tiến độ đăng ký chỉ tiêu năm {year}").format(year=pledge.year),
        cluster.name,
        _("{bar} {done}/{total} đơn vị đã đăng ký").format(
            bar=progress_bar(done, total), done=done, total=total
        ),
        "",
        *(_unit_line(unit, locale) for unit in progress),
        "",
    ]
    if window.signing_at is not None:
        signed = sum(1 for unit in progress if unit.state == SIGNED)
        lines.append(
            _("✍️ Đã ký giao ước: {signed}/{total} đơn vị.").format(signed=signed, total=total)
        )
    else:
        lines.append(deadline_line(window, now, locale))
    return "\n".join(lines)


def _unit_line(unit: UnitTargets, locale: str) -> str:
    _ = gettext_for(locale)
    name = unit.unit.name
    if unit.state == SIGNED:
        return _("✍️ {unit} (đã ký)").format(unit=name)
    if unit.state == REGISTERED:
        return _("✅ {unit}").format(unit=name)
    if unit.state == RETURNED:
        return _("↩️ {unit} (trả lại để sửa)").format(unit=name)
    if unit.drafted:
        return _("⬜ {unit} (đang nhập {answered} câu)").format(unit=name, answered=unit.drafted)
    return _("⬜ {unit}").format(unit=name)


def all_registered(pledge: Pledge, cluster: Cluster, total: int, locale: str) -> str:
    """The chair's notice that every unit registered: time to send the pledge for signing."""
    _ = gettext_for(locale)
    return _(
        "✅ Cả {total} đơn vị của {cluster} đã đăng ký chỉ tiêu năm {year}. Gõ /pledge để xem "
        "bảng đăng ký và gửi giao ước để các đơn vị ký."
    ).format(total=total, cluster=cluster.name, year=pledge.year)


def sent_for_signing(pledge: Pledge, cluster: Cluster, locale: str) -> str:
    """The group's notice that the pledge went out for signing."""
    _ = gettext_for(locale)
    return _(
        "✍️ Giao ước thi đua năm {year} của {cluster} đã được gửi để ký. Đầu mối của từng đơn vị "
        "xem chỉ tiêu đã đăng ký và bấm «Ký giao ước» trong trò chuyện riêng với bot (/sign)."
    ).format(year=pledge.year, cluster=cluster.name)


def sign_request(pledge: Pledge, unit: Unit, targets: Sequence[str], locale: str) -> str:
    """A focal point's request to sign: the unit's registered targets, one a line."""
    _ = gettext_for(locale)
    head = _("✍️ Giao ước thi đua năm {year} đã được gửi để ký. Chỉ tiêu {unit} đã đăng ký:").format(
        year=pledge.year, unit=unit.name
    )
    tail = _(
        "Nếu đúng, đồng chí bấm «Ký giao ước». Nếu cần sửa, xin cụm trưởng trả lại bản đăng ký."
    )
    return "\n".join([head, *targets, "", tail])


def all_signed(pledge: Pledge, cluster: Cluster, total: int, locale: str) -> str:
    """The group's news: every unit signed, the targets are the pledge's."""
    _ = gettext_for(locale)
    return _(
        "🎉 Cả {total} đơn vị của {cluster} đã ký giao ước thi đua năm {year}. Chỉ tiêu đã đăng "
        "ký là chỉ tiêu giao của năm {year}."
    ).format(total=total, cluster=cluster.name, year=pledge.year)


def returned_to_unit(
    pledge: Pledge, unit: Unit, revision: int, reason: str, by: str, locale: str
) -> str:
    """The unit's people told that the chair returned their registration, and why."""
    _ = gettext_for(locale)
    return _(
        "↩️ {name} đã trả lại bản đăng ký chỉ tiêu năm {year} của {unit} (lần {revision}) để "
        "sửa.\nLý do: {reason}\nGõ /targets để sửa và đăng ký lại."
    ).format(
        name=by or _("Cụm trưởng"),
        year=pledge.year,
        unit=unit.name,
        revision=revision,
        reason=reason,
    )
