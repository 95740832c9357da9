"""`/periods`: every period with its phase, deadline and clusters."""

from __future__ import annotations

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.periods import Phase, phase
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.storage import directory
from bot.storage.models import Period

__all__ = ["period_line", "periods"]


def periods(desk: Desk, request: Request) -> list[Item]:
    """`/periods`: every period with its phase, deadline and clusters."""
    _ = desk._
    rows = directory.periods(desk.session)
    if not rows:
        return [Reply(_("Chưa có kỳ báo cáo nào. Gửi tệp thiết lập cho bot (/import) để tạo."))]
    lines = [_("🗓 Các kỳ báo cáo ({count}):").format(count=len(rows))]
    for period in rows:
        codes = ", ".join(
            c.code for c in directory.clusters_of_period(desk.session, period.id or 0)
        )
        lines += ["", period_line(desk, period), _("  Cụm: {codes}").format(codes=codes)]
    return [Reply("\n".join(lines))]


def period_line(desk: Desk, period: Period) -> str:
    """`• 2026-h1 – Sơ kết…: đang mở, hạn nộp 17:00 ngày 20/6/2026`."""
    _ = desk._
    labels = {
        Phase.UPCOMING: _("chưa mở (mở lúc {opens})"),
        Phase.OPEN: _("đang mở"),
        Phase.LATE: _("đã quá hạn, vẫn nhận và ghi nộp muộn"),
        Phase.LOCKED: _("đã khóa sổ"),
    }
    when = format_moment(period.opens_at, period.timezone, desk.locale)
    state = labels[phase(period, desk.now)].format(opens=when)
    if period.state == "open":
        state += " " + _("(quản trị viên đã mở)")
    elif period.state == "locked":
        state += " " + _("(quản trị viên đã khóa)")
    deadline = format_moment(period.deadline_at, period.timezone, desk.locale)
    return _("• {code} – {name}: {state}; hạn nộp {deadline}").format(
        code=period.code, name=period.name, state=state, deadline=deadline
    )
