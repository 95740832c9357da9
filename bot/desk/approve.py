"""`/approve`: an admin locks a cluster's scores for a period as the approved score (điểm duyệt),
or unlocks them so that the chair may change them again; both audited."""

from __future__ import annotations

from bot.desk.pickers import pick_word
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.desk.scored import Scored, pick_scored
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.replies import Button, Reply
from bot.edge.send import Item
from bot.reports.scores_view import ranking_block
from bot.storage.scoring_reviews import approval_of, approve_scores, unlock_scores

__all__ = ["approve"]

LOCK, UNLOCK = "lock", "unlock"


def approve(desk: Desk, request: Request) -> list[Item]:
    """`/approve [period] [cluster] [lock|unlock]`: without the last word, what would happen."""
    _ = desk._
    scored = pick_scored(desk, request, leading=True)
    if request.word(2) is None:
        return [_offer(desk, scored)]
    options = [(_("Duyệt và khóa"), LOCK), (_("Mở khóa"), UNLOCK)]
    action = pick_word(desk, request, 2, [], _("Duyệt hay mở khóa?"), options)
    names = {"cluster": scored.cluster.name, "period": scored.period.name}
    ids = {"period_id": scored.period.id or 0, "cluster_id": scored.cluster.id or 0}
    if action == LOCK:
        if scored.locked:
            return [Reply(_("Điểm của {cluster} kỳ «{period}» đã được duyệt trước đó.").format(
                **names
            ))]  # fmt: skip
        approve_scores(desk.session, actor=desk.actor, **ids)
        text = _(
            "✅ Đã duyệt và khóa điểm của {cluster} kỳ «{period}» (điểm duyệt). Muốn sửa tiếp, "
            "gõ /approve để mở khóa."
        )
        return [Reply(text.format(**names))]
    if not scored.locked:
        return [Reply(_("Điểm của {cluster} kỳ «{period}» chưa khóa.").format(**names))]
    unlock_scores(desk.session, actor=desk.actor, **ids)
    text = _(
        "🔓 Đã mở khóa điểm của {cluster} kỳ «{period}»: cụm trưởng sửa được điểm (/rescore); "
        "duyệt lại bằng /approve."
    )
    return [Reply(text.format(**names))]


def _offer(desk: Desk, scored: Scored) -> Reply:
    """Locked: when, and «Mở khóa». Otherwise the ranking to approve, and «Duyệt và khóa»."""
    _ = desk._
    words = (token(scored.period), token(scored.cluster))
    names = {"cluster": scored.cluster.name, "period": scored.period.name}
    if scored.locked:
        approval = approval_of(
            desk.session, period_id=scored.period.id or 0, cluster_id=scored.cluster.id or 0
        )
        when = (
            format_moment(approval.set_at, scored.period.timezone, desk.locale) if approval else ""
        )
        text = _(
            "🔒 Điểm của {cluster} kỳ «{period}» đã duyệt lúc {when}. Mở khóa để cụm trưởng sửa "
            "tiếp? Việc mở khóa được ghi nhật ký."
        ).format(when=when, **names)
        return Reply(text, ((Button(_("🔓 Mở khóa"), encode("c", "approve", *words, UNLOCK)),),))
    text = _("Duyệt điểm của {cluster} kỳ «{period}»? Sau khi duyệt, điểm bị khóa.").format(**names)
    text += "\n" + ranking_block(scored.scores, locale=desk.locale)
    button = Button(_("✅ Duyệt và khóa"), encode("c", "approve", *words, LOCK))
    return Reply(text, ((button,),))
