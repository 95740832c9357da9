"""A chair returns a unit's submission with a reason; the unit's people are told."""

from __future__ import annotations

from bot.desk.pickers import choice, cluster_first, outside, pick_period, pick_unit
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.showing import count_text
from bot.domain.terms import cluster_terms
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask
from bot.storage import admin as store
from bot.storage import directory
from bot.storage.models import Cluster, Period, Submission, Unit
from bot.storage.outbox import enqueue
from bot.storage.progress import LATE, SUBMITTED, unit_progress
from bot.storage.submissions import latest_submitted

__all__ = ["REASON_LIMIT", "return_submission"]

REASON_LIMIT = 1000


def return_submission(desk: Desk, request: Request) -> list[Item]:
    """`/return [period] [unit] [reason]`: send the latest revision back for correction."""
    _ = desk._
    period = pick_period(desk, request, 0, [])
    reachable = desk.clusters_in_scope(period)
    text = request.word(1)
    if text is None or text.startswith("#c"):
        raise _ask_unit(desk, request, period, reachable)
    unit = pick_unit(desk, request, 1, [token(period)], reachable)
    submission = latest_submitted(desk.session, period_id=period.id or 0, unit_id=unit.id or 0)
    names = {"unit": unit.name, "period": period.name}
    if submission is None:
        return [
            Reply(
                _("{unit} chưa nộp số liệu kỳ «{period}», chưa có gì để trả lại.").format(**names)
            )
        ]
    if submission.returned_at is not None:
        when = format_moment(submission.returned_at, period.timezone, desk.locale)
        return [
            Reply(
                _(
                    "Lần nộp {revision} của {unit} đã được trả lại lúc {when}; đang chờ đơn vị "
                    "nộp lại."
                ).format(revision=submission.revision, unit=unit.name, when=when)
            )
        ]
    reason = request.rest(2)
    if not reason:
        return [_ask_reason(desk, period, unit)]
    if len(reason) > REASON_LIMIT:
        return [
            Reply(
                _("Lý do dài quá {limit} ký tự; vui lòng viết ngắn lại.").format(
                    limit=count_text(REASON_LIMIT, desk.locale)
                )
            )
        ]
    store.return_submission(
        desk.session, submission=submission, unit=unit, reason=reason, by=desk.person, now=desk.now
    )
    told = _tell_unit(desk, submission, unit, period, reason)
    return [
        Reply(
            _(
                "↩️ Đã trả lại số liệu lần {revision} của {unit} kỳ «{period}». Đã báo cho {count} "
                "người của đơn vị; anh/chị sẽ được báo khi đơn vị nộp lại."
            ).format(revision=submission.revision, count=told, **names)
        )
    ]


def _ask_unit(desk: Desk, request: Request, period: Period, reachable: list[Cluster]) -> Ask:
    """Offer the units that have a submission to return (after the cluster, if several)."""
    _ = desk._
    text = request.word(1)
    cluster = desk.cluster(text) if text else (reachable[0] if len(reachable) == 1 else None)
    if cluster is None:
        return cluster_first(desk, request, [token(period)], reachable)
    if cluster.id not in {c.id for c in reachable}:
        return outside(desk, cluster.name)
    progress = unit_progress(desk.session, period=period, cluster_id=cluster.id or 0)
    options = [
        (f"{unit.name} ({_('lần')} {unit.revision})", f"#u{unit.unit_id}")
        for unit in progress
        if unit.state in (SUBMITTED, LATE)
    ]
    if not options:
        return Ask(
            [
                Reply(
                    _("Chưa có đơn vị nào của {cluster} nộp số liệu kỳ này để trả lại.").format(
                        cluster=cluster.name
                    )
                )
            ]
        )
    question = _("Trả lại số liệu của đơn vị nào?")
    return choice(desk, "return", [token(period)], question, options)


def _ask_reason(desk: Desk, period: Period, unit: Unit) -> Prompt:
    _ = desk._
    text = _(
        "↩️ Trả lại số liệu của {unit} kỳ «{period}». Hãy trả lời (reply) tin nhắn này bằng lý do "
        "trả lại; đơn vị sẽ thấy lý do này. Hoặc gõ lệnh dưới đây kèm lý do:"
    ).format(unit=unit.name, period=period.name)
    return Prompt(f"{text}\n/return {period.code} {unit.code}", _("Lý do trả lại"))


def _chair_word(desk: Desk, unit: Unit, locale: str) -> str:
    """`Cụm trưởng` or `Khối trưởng`, by the kind of the unit's cluster."""
    cluster = next((c for c in desk.clusters_in_scope() if unit in desk.units(c)), None)
    return cluster_terms(cluster.kind if cluster else None, locale).chair


def _tell_unit(desk: Desk, submission: Submission, unit: Unit, period: Period, reason: str) -> int:
    """Queue the news for each of the unit's people, in their language; returns how many."""
    told = 0
    for member in directory.active_members(desk.session, [unit.id or 0]):
        _ = gettext_for(desk.turn.locale_for(member.person))
        text = _(
            "↩️ {name} đã trả lại số liệu kỳ «{period}» của {unit} (lần nộp {revision}) để "
            "sửa.\nLý do: {reason}\nGõ /submit để sửa và nộp lại."
        ).format(
            name=desk.person.full_name
            or _chair_word(desk, unit, desk.turn.locale_for(member.person)),
            period=period.name,
            unit=unit.name,
            revision=submission.revision,
            reason=reason,
        )
        key = f"returned:{submission.id}:{member.person.telegram_id}"
        told += enqueue(
            desk.session, key=key, chat_id=member.person.telegram_id, payload={"text": text}
        )
    return told
