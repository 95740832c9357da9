"""`/conference <cluster> new`: a new conference in a few questions (kind, day and time,
place, registration deadline, delegates per unit), each answer kept in a draft as given."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.desk.conference_card import card, review_year
from bot.desk.conference_fields import Times, ask_for, kind_buttons, read_field
from bot.desk.pickers import outside
from bot.desk.request import Request, token, token_id
from bot.desk.scope import Desk
from bot.domain.agenda import CONFERENCE_KINDS, agenda_template
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.storage import directory
from bot.storage.conference_admin import NewConference, create_conference
from bot.storage.conference_drafts import ConferenceDraft, start_draft
from bot.storage.models import Cluster, Period
from bot.storage.types import require_id

__all__ = ["INVITE_DELAY", "QUESTIONS", "REMINDER_MINUTES", "answer", "begin"]

QUESTIONS = ("when", "place", "rsvp", "delegates")  # asked in this order, after the kind
REMINDER_MINUTES = (3 * 24 * 60, 24 * 60)  # before the registration deadline: 3 days, 1 day
# The invitation waits an hour: time to look the agenda over before the units see it.
INVITE_DELAY = timedelta(hours=1)


def begin(desk: Desk, request: Request, cluster: Cluster) -> list[Item]:
    """`new [kind]`: the kind by buttons, then the first question."""
    _ = desk._
    kind = request.word(2)
    if kind is None:
        text = _("➕ Hội nghị mới của {cluster}. Loại hội nghị?").format(cluster=cluster.name)
        return [Reply(text, kind_buttons(desk, (token(cluster), "new")))]
    if kind not in CONFERENCE_KINDS:
        raise Ask([Reply(_("«{word}» không phải lựa chọn hợp lệ.").format(word=kind))])
    draft = start_draft(
        desk.session,
        person_id=require_id(desk.person),
        cluster_id=require_id(cluster),
        kind=kind,
        now=desk.now,
    )
    return ask_for(desk, _target(draft), QUESTIONS[0])


def answer(desk: Desk, request: Request) -> list[Item]:
    """`#d5 <field> <value>`: keep the answer, then the next question or the conference."""
    draft = _draft(desk, request.word(0) or "")
    word, text = request.word(1), request.rest(2)
    if word not in QUESTIONS:
        return ask_for(desk, _target(draft), _next(draft) or QUESTIONS[0])
    if not text:
        return ask_for(desk, _target(draft), word)
    value = read_field(desk, _target(draft), word, text, _times(desk, draft))
    stored = value.isoformat() if isinstance(value, datetime) else value
    draft.answers = {**draft.answers, word: stored}  # a new dict: the JSON column is saved
    desk.session.add(draft)
    desk.session.flush()
    following = _next(draft)
    if following is not None:
        return ask_for(desk, _target(draft), following)
    return [_finish(desk, draft)]


def _target(draft: ConferenceDraft) -> str:
    return f"#d{draft.id}"


def _draft(desk: Desk, text: str) -> ConferenceDraft:
    """The caller's own draft, for a cluster they may still act on."""
    row_id = token_id(text, "d")
    draft = desk.session.get(ConferenceDraft, row_id) if row_id is not None else None
    if draft is None or draft.person_id != desk.person.id:
        raise Ask(
            [
                Reply(
                    desk._(
                        "Bản nháp hội nghị này không còn (đã lưu hoặc đã bỏ). Gõ /conference để "
                        "bắt đầu lại."
                    )
                )
            ]
        )
    if draft.cluster_id not in {c.id for c in desk.clusters_in_scope()}:
        raise outside(desk, str(draft.cluster_id))
    return draft


def _next(draft: ConferenceDraft) -> str | None:
    return next((word for word in QUESTIONS if word not in draft.answers), None)


def _moment(draft: ConferenceDraft, word: str) -> datetime | None:
    value = draft.answers.get(word)
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _times(desk: Desk, draft: ConferenceDraft) -> Times:
    return Times(desk.settings.timezone, _moment(draft, "when"), _moment(draft, "rsvp"))


def _finish(desk: Desk, draft: ConferenceDraft) -> Reply:
    """The conference from the draft's answers, with the agenda of its kind; the draft goes."""
    cluster = desk.session.get(Cluster, draft.cluster_id)
    assert cluster is not None  # a draft's cluster is a foreign key
    starts_at, rsvp_by = _moment(draft, "when"), _moment(draft, "rsvp")
    assert starts_at is not None and rsvp_by is not None  # every question is answered
    timezone = desk.settings.timezone
    period = _period(
        desk, cluster, draft.kind, starts_at, review_year(draft.kind, starts_at, timezone)
    )
    year = period.year if period else review_year(draft.kind, starts_at, timezone)
    new = NewConference(
        cluster=cluster,
        kind=draft.kind,
        name=_name(desk, draft.kind, cluster, year),
        starts_at=starts_at,
        place=str(draft.answers["place"]),
        rsvp_by=rsvp_by,
        max_delegates=int(draft.answers["delegates"]),
        invite_at=min(desk.now + INVITE_DELAY, rsvp_by),
        reminder_offsets=REMINDER_MINUTES,
        timezone=timezone,
        host_unit_id=_host(desk, cluster, year),
        period_id=period.id if period else None,
    )
    locale = desk.settings.locale  # the group reads the agenda
    agenda = agenda_template(draft.kind, year=year, cluster_kind=cluster.kind, locale=locale)
    conference = create_conference(desk.session, new=new, agenda=agenda, actor=desk.actor)
    desk.session.delete(draft)
    return card(desk, conference, desk._("✅ Đã tạo hội nghị. Xem lại, sửa nếu cần:"))


def _name(desk: Desk, kind: str, cluster: Cluster, year: int) -> str:
    """The usual name of a conference of this kind, in the bot's language."""
    _ = gettext_for(desk.settings.locale)
    names = {
        "so-ket": _("Hội nghị sơ kết công tác thi đua 6 tháng đầu năm {year}"),
        "tong-ket": _("Hội nghị tổng kết công tác thi đua, khen thưởng năm {year}"),
        "phat-dong": _("Hội nghị phát động phong trào thi đua năm {year}"),
    }
    if kind in names:
        return names[kind].format(year=year)
    return _("Hội nghị {cluster} năm {year}").format(cluster=cluster.name, year=year)


def _host(desk: Desk, cluster: Cluster, year: int) -> int | None:
    """The chair's unit of the year hosts, unless changed later."""
    chair = directory.leaders_of(desk.session, require_id(cluster), year).get("chair")
    return chair.id if chair else None


def _period(
    desk: Desk, cluster: Cluster, kind: str, starts_at: datetime, year: int
) -> Period | None:
    """A review's period: the cluster's latest of the year whose deadline comes before it."""
    if kind not in ("so-ket", "tong-ket"):
        return None
    periods = directory.periods_of_cluster(desk.session, require_id(cluster))
    return next((p for p in periods if p.year == year and p.deadline_at <= starts_at), None)
