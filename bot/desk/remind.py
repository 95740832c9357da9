"""`/remind`: remind every unit that owes, now."""

from __future__ import annotations

from bot.desk.pickers import period_and_cluster
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.desk.vote import remind_open_vote
from bot.domain.due import parse_quiet_hours
from bot.domain.periods import Phase, phase
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.notices.reminders import remind_now

__all__ = ["remind"]


def remind(desk: Desk, request: Request) -> list[Item]:
    """`/remind [period] [cluster|*]`: remind every unit that owes, now."""
    _ = desk._
    if (voting := remind_open_vote(desk)) is not None:  # a vote open: its units come first
        return voting
    period, cluster = period_and_cluster(desk, request, every=desk.caller.is_admin)
    if phase(period, desk.now) in (Phase.UPCOMING, Phase.LOCKED):
        return [
            Reply(
                _("Kỳ «{period}» không nhận số liệu lúc này nên không nhắc.").format(
                    period=period.name
                )
            )
        ]
    queued = remind_now(
        desk.session,
        period=period,
        cluster_id=cluster.id if cluster else None,
        now=desk.now,
        actor=desk.actor,
        locale=desk.settings.locale,  # for people without a language of their own
        quiet=parse_quiet_hours(desk.settings.quiet_hours),
    )
    if not queued:
        return [
            Reply(
                _("Không có ai cần nhắc: các đơn vị đã nộp, hoặc đơn vị chưa nộp chưa có đầu mối.")
            )
        ]
    return [
        Reply(
            _("🔔 Đã gửi {count} tin nhắc tới các đơn vị chưa nộp kỳ «{period}».").format(
                count=queued, period=period.name
            )
        )
    ]
