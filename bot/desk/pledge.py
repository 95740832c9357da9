"""`/pledge`: an admin or the chair opens next year's registration, follows it, sends it to sign.

`/pledge [cluster] [year] [open [deadline] | review | excel | document | return [unit] [reason] |
sign]`;
missing words are asked with buttons. The chair of a year runs the registration of the next.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import col, select

from bot.desk.pickers import choice, pick_cluster
from bot.desk.pledge_review import pledge_document, registration_table, return_registration
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.periods import Phase, phase
from bot.domain.replies import Button, Reply
from bot.domain.roles import out_of_scope
from bot.edge.send import Attachment, Item
from bot.edge.turn import Ask
from bot.notices.pledges import PledgeNotices
from bot.storage.audit import record_event
from bot.storage.models import Cluster, Pledge
from bot.storage.pledge_progress import SIGNED, pledge_rows
from bot.storage.pledge_tables import PledgeWindow
from bot.storage.pledges import open_window, target_indicators, window_of

__all__ = ["REGISTRATION_DAYS", "pledge"]

REGISTRATION_DAYS = 14  # a registration opened without a deadline closes two weeks later
_DEADLINE_CLOCK = time(17, 0)


def pledge(desk: Desk, request: Request) -> list[Item]:
    """`/pledge …`: the pledge's registration, one step at a time."""
    cluster = pick_cluster(desk, request, 0, [], desk.clusters_in_scope())
    chosen = _pick_pledge(desk, request, cluster)
    steps = {
        "open": _open,
        "review": registration_table,
        "excel": _excel,
        "document": pledge_document,
        "return": return_registration,
        "sign": _send_for_signing,
    }
    action = request.word(2)
    if action is None:
        return [_menu(desk, cluster, chosen)]
    step = steps.get(action.lower())
    if step is None:
        raise Ask([Reply(desk._("«{word}» không phải lựa chọn hợp lệ.").format(word=action))])
    return step(desk, request, cluster, chosen)


def _pick_pledge(desk: Desk, request: Request, cluster: Cluster) -> Pledge:
    """Word 1: a pledge year of the cluster from this year on, that the caller may run; without
    it, next year's pledge (the one being registered), or the only one."""
    _ = desk._
    pledges = desk.session.exec(
        select(Pledge)
        .where(Pledge.cluster_id == cluster.id, Pledge.year >= desk.caller.year)
        .order_by(col(Pledge.year))
    ).all()
    options = [(_("Giao ước năm {year}").format(year=p.year), str(p.year)) for p in pledges]
    text = request.word(1)
    if text is None:
        coming = [p for p in pledges if p.year > desk.caller.year]
        if len(coming) == 1 or len(pledges) == 1:
            return _reachable(desk, cluster, coming[0] if len(coming) == 1 else pledges[0])
        raise choice(desk, "pledge", [token(cluster)], _("Chọn giao ước:"), options)
    found = next((p for p in pledges if str(p.year) == text), None)
    if found is None:
        asked = choice(desk, "pledge", [token(cluster)], _("Chọn giao ước:"), options)
        first = _("Không tìm thấy giao ước năm «{year}» của {cluster}.").format(
            year=text, cluster=cluster.name
        )
        raise Ask([Reply(first), *asked.items])
    return _reachable(desk, cluster, found)


def _reachable(desk: Desk, cluster: Cluster, chosen: Pledge) -> Pledge:
    """The pledge, if the caller leads the cluster in its year or the year before."""
    cluster_id = cluster.id or 0
    if desk.caller.leads(cluster_id, chosen.year) or desk.caller.leads(cluster_id, chosen.year - 1):
        return chosen
    raise Ask([Reply(out_of_scope(desk.locale))])


def _menu(desk: Desk, cluster: Cluster, chosen: Pledge) -> Reply:
    """Where the registration stands, and a button for each next step."""
    _ = desk._
    window = window_of(desk.session, chosen.id or 0)
    notices = _notices(desk, cluster, chosen, window) if window else None
    lines = [
        _("📋 Giao ước thi đua năm {year} – {cluster}").format(
            year=chosen.year, cluster=cluster.name
        )
    ]
    lines.append(_state_line(desk, window))
    if notices is not None:
        progress = notices.progress
        done = sum(1 for unit in progress if not unit.owes)
        signed = sum(1 for unit in progress if unit.state == SIGNED)
        lines.append(
            _("Đã đăng ký: {done}/{total}; đã ký: {signed}/{total}.").format(
                done=done, signed=signed, total=len(progress)
            )
        )
    prefix = (token(cluster), str(chosen.year))
    rows = []
    if window is None or phase(window, desk.now) is Phase.UPCOMING:
        rows.append(_button(_("📝 Mở đăng ký"), prefix, "open"))
    rows += [
        _button(_("📋 Xem bảng đăng ký"), prefix, "review"),
        _button(_("📊 Tải Excel"), prefix, "excel"),
        _button(_("📄 Văn bản giao ước (Word)"), prefix, "document"),
        _button(_("↩️ Trả lại một bản đăng ký"), prefix, "return"),
    ]
    if window is not None and window.signing_at is None:
        rows.append(_button(_("✍️ Gửi giao ước để ký"), prefix, "sign"))
    return Reply("\n".join(lines), tuple((row,) for row in rows))


def _button(label: str, prefix: tuple[str, ...], action: str) -> Button:
    return Button(label, encode("c", "pledge", *prefix, action))


def _state_line(desk: Desk, window: PledgeWindow | None) -> str:
    _ = desk._
    if window is None:
        return _("Chưa mở đăng ký chỉ tiêu.")
    if window.signed_at is not None:
        return _("✅ Các đơn vị đã ký giao ước.")
    if window.signing_at is not None:
        return _("✍️ Đã gửi giao ước để ký.")
    deadline = format_moment(window.deadline_at, window.timezone, desk.locale)
    if phase(window, desk.now) is Phase.UPCOMING:
        opens = format_moment(window.opens_at, window.timezone, desk.locale)
        return _("Đăng ký mở lúc {opens}, hạn {deadline}.").format(opens=opens, deadline=deadline)
    return _("Đang mở đăng ký, hạn {deadline}.").format(deadline=deadline)


def _notices(desk: Desk, cluster: Cluster, chosen: Pledge, window: PledgeWindow) -> PledgeNotices:
    return PledgeNotices(desk.session, chosen, cluster, window, desk.now, desk.settings.locale)


def _open(desk: Desk, request: Request, cluster: Cluster, chosen: Pledge) -> list[Item]:
    """`open [YYYY-MM-DD]`: registration open from now, the group and every unit told."""
    _ = desk._
    if not target_indicators(desk.session, chosen.id or 0):
        return [
            Reply(
                _(
                    "Giao ước năm {year} chưa có chỉ tiêu nào nhận số đăng ký (số, phần trăm, "
                    "tỷ lệ). Hãy nhập tệp thiết lập có các chỉ tiêu trước (/import)."
                ).format(year=chosen.year)
            )
        ]
    window = window_of(desk.session, chosen.id or 0)
    if window is not None and phase(window, desk.now) is not Phase.UPCOMING:
        return [Reply(_state_line(desk, window))]
    deadline = _deadline(desk, request.word(3), window)
    if deadline is None:
        return [Reply(_("Hạn đăng ký cần dạng năm-tháng-ngày sau hôm nay, ví dụ 2026-12-20."))]
    window = open_window(
        desk.session, pledge=chosen, opens_at=desk.now, deadline_at=deadline, actor=desk.actor
    )
    notices = _notices(desk, cluster, chosen, window)
    notices.announce()
    shown = format_moment(deadline, window.timezone, desk.locale)
    text = _(
        "📝 Đã mở đăng ký chỉ tiêu năm {year} cho {cluster}, hạn {deadline}. Đã báo cho nhóm và "
        "gửi {count} tin mời đăng ký."
    ).format(year=chosen.year, cluster=cluster.name, deadline=shown, count=notices.queued)
    return [Reply(text)]


def _deadline(desk: Desk, text: str | None, window: PledgeWindow | None) -> datetime | None:
    """The deadline typed (a day, at 17:00 local), the set-up's, or two weeks from now."""
    tz = ZoneInfo(window.timezone if window else "Asia/Ho_Chi_Minh")
    if text is None:
        if window is not None and window.deadline_at > desk.now:
            return window.deadline_at
        day = (desk.now.astimezone(tz) + timedelta(days=REGISTRATION_DAYS)).date()
    else:
        try:
            day = date.fromisoformat(text)
        except ValueError:
            return None
    moment = datetime.combine(day, _DEADLINE_CLOCK, tzinfo=tz)
    return moment if moment > desk.now else None


def _excel(desk: Desk, request: Request, cluster: Cluster, chosen: Pledge) -> list[Item]:
    """The registered targets (and signatures) as an Excel file."""
    from bot.reports.pledge import write_pledge_xlsx

    window = window_of(desk.session, chosen.id or 0)
    timezone = window.timezone if window else "Asia/Ho_Chi_Minh"
    out = io.BytesIO()
    rows = pledge_rows(desk.session, cluster=cluster, pledge=chosen)
    write_pledge_xlsx(rows, out, timezone=timezone, locale=desk.locale)
    caption = desk._("Chỉ tiêu đăng ký giao ước năm {year} – {cluster}").format(
        year=chosen.year, cluster=cluster.name
    )
    return [Attachment(f"giao-uoc-{cluster.code}-{chosen.year}.xlsx", out.getvalue(), caption)]


def _send_for_signing(desk: Desk, request: Request, cluster: Cluster, chosen: Pledge) -> list[Item]:
    """`sign`: once every unit has registered, each unit's people get «Ký giao ước»."""
    _ = desk._
    window = window_of(desk.session, chosen.id or 0)
    if window is None:
        return [Reply(_("Chưa mở đăng ký chỉ tiêu."))]
    if window.signing_at is not None:
        return [Reply(_state_line(desk, window))]
    notices = _notices(desk, cluster, chosen, window)
    owing = [unit.unit.name for unit in notices.progress if unit.owes]
    if owing:
        text = _("Chưa thể gửi ký: còn {units} chưa đăng ký (hoặc đang sửa bản bị trả lại).")
        return [Reply(text.format(units=", ".join(owing)))]
    window.signing_at, window.signing_by = desk.now, desk.actor
    desk.session.add(window)
    record_event(
        desk.session,
        actor=desk.actor,
        action="pledge.signing",
        entity="pledge",
        entity_key=str(chosen.id),
        after={"year": chosen.year, "units": len(notices.progress)},
    )
    notices.send_for_signing()
    text = _("✍️ Đã gửi giao ước năm {year} để {count} đơn vị ký; nhóm của cụm đã được báo.")
    return [Reply(text.format(year=chosen.year, count=len(notices.progress)))]
