"""A focal point answers the chair's change of a score (giải trình); the chair is told."""

from __future__ import annotations

import hashlib
from decimal import Decimal

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.desk.scored import points
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.showing import count_text
from bot.edge.send import Item, Prompt
from bot.storage.models import Cluster, Period, Person, Unit
from bot.storage.outbox import enqueue
from bot.storage.scoring import scoring_tables
from bot.storage.scoring_reviews import explain_change
from bot.storage.scoring_tables import ScoreChange

__all__ = ["EXPLANATION_LIMIT", "WORD", "explain"]

WORD = "explain"  # `/scores explain <change id> [text]`: the words of the button and the prompt
EXPLANATION_LIMIT = 1500


def explain(desk: Desk, request: Request) -> list[Item]:
    """`/scores explain <change> [text]`: ask for the explanation, or keep it and tell the chair."""
    _ = desk._
    word = request.word(1) or ""
    change = desk.session.get(ScoreChange, int(word)) if word.isdigit() else None
    if change is None:
        return [Reply(_("Không tìm thấy thay đổi điểm này; gõ /scores để xem điểm của đơn vị."))]
    unit = desk.session.get(Unit, change.unit_id)
    if unit is None or change.unit_id not in desk.caller.units:
        return [Reply(_("⛔ Chỉ đầu mối của đơn vị được chấm mới giải trình được thay đổi này."))]
    text = request.rest(2)
    if not text:
        return [_ask(desk, change, unit)]
    if len(text) > EXPLANATION_LIMIT:
        message = _("Nội dung giải trình dài quá {limit} ký tự; vui lòng viết ngắn lại.")
        return [Reply(message.format(limit=count_text(EXPLANATION_LIMIT, desk.locale)))]
    explain_change(
        desk.session,
        change_id=change.id or 0,
        text=text,
        person_id=desk.person.id,
        actor=desk.actor,
    )
    told = _tell_chair(desk, change, unit)
    done = _("✅ Đã lưu giải trình của {unit}.").format(unit=unit.name)
    if told:
        done += " " + _("Cụm trưởng sẽ nhận được nội dung này.")
    return [Reply(done)]


def _criterion(desk: Desk, change: ScoreChange) -> str:
    """The changed leaf's title (its key if the table has changed since)."""
    period = desk.session.get(Period, change.period_id)
    year = period.year if period else 0
    table = scoring_tables(desk.session, cluster_ids=[change.cluster_id], year=year)
    found = table.get(change.cluster_id)
    leaf = found.leaf(change.criterion_key) if found else None
    return leaf.title if leaf else change.criterion_key


def _ask(desk: Desk, change: ScoreChange, unit: Unit) -> Prompt:
    _ = desk._
    text = _(
        "✍️ Giải trình về điểm «{criterion}» của {unit} (cụm chấm {value}; lý do: {reason}). "
        "Hãy trả lời (reply) tin nhắn này bằng nội dung giải trình; cụm trưởng sẽ nhận được. "
        "Hoặc gõ lệnh dưới đây kèm nội dung:"
    ).format(
        criterion=_criterion(desk, change),
        unit=unit.name,
        value=_shown_value(change, desk.locale),
        reason=change.reason,
    )
    return Prompt(f"{text}\n/scores {WORD} {change.id}", _("Nội dung giải trình"))


def _shown_value(change: ScoreChange, locale: str) -> str:
    return points(Decimal(change.value), locale)


def _tell_chair(desk: Desk, change: ScoreChange, unit: Unit) -> bool:
    """Queue the explanation for the person who made the change, in their language."""
    chair = desk.session.get(Person, change.changed_by_person_id or 0)
    period = desk.session.get(Period, change.period_id)
    cluster = desk.session.get(Cluster, change.cluster_id)
    if chair is None or period is None or cluster is None:
        return False
    locale = desk.turn.locale_for(chair)
    _ = gettext_for(locale)
    text = _(
        "💬 {unit} giải trình về điểm «{criterion}» kỳ «{period}» (cụm chấm {value}):\n{text}\n"
        "Xem bảng điểm: /scores {period_code} {cluster_code}"
    ).format(
        unit=unit.name,
        criterion=_criterion(desk, change),
        period=period.name,
        value=_shown_value(change, locale),
        text=change.explanation,
        period_code=period.code,
        cluster_code=cluster.code,
    )
    # The same answer sent twice is told once; a new answer is news.
    digest = hashlib.sha256((change.explanation or "").encode()).hexdigest()[:16]
    key = f"score-explained:{change.id}:{digest}"
    return enqueue(desk.session, key=key, chat_id=chair.telegram_id, payload={"text": text})
