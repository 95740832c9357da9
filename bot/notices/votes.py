"""A vote's messages through the outbox: the ballots, the group's post kept up to date as units
vote (edited in place), reminders to the units that have not voted, and the count.

Keys: `vote:{vote}:ballot:{unit}:{person}`, `vote:{vote}:remind:{slot}:{unit}:{person}`,
`vote:{vote}:post:{chat}` and its edits `…:e{n}`, `vote:{vote}:tally:{chat}:{part}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.domain.i18n import group_locale, person_locale
from bot.domain.replies import split_text
from bot.notices.ballot_texts import BallotView, Option, ballot_reply, markup, stance_options
from bot.notices.recipients import groups_of, members
from bot.notices.vote_texts import announcement, tally_text
from bot.storage.conference_tables import Conference, ConferenceVote
from bot.storage.models import Cluster, OutboxMessage, Unit
from bot.storage.outbox import PENDING, SENT, enqueue, message_by_key
from bot.storage.types import require_id
from bot.storage.vote_results import Counted
from bot.storage.vote_tables import VoteOpening
from bot.storage.votes import CLOSED, eligible_ids, voted_ids

__all__ = [
    "announce",
    "ballot_view",
    "counted_text",
    "publish_tally",
    "refresh_posts",
    "send_ballots",
]

_REMINDER_SLOT = 300  # seconds: presses of «Nhắc» within one slot remind once


def ballot_view(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    opening: VoteOpening,
    unit: Unit,
    locale: str,
    mask: int = 0,
) -> BallotView:
    """The ballot of `unit` for the vote, its options in the order fixed at opening."""
    if vote.approval:
        options = stance_options(locale)
    else:
        codes = [str(option["code"]) for option in opening.options]
        names = {
            row.code: row.name
            for row in session.exec(select(Unit).where(col(Unit.code).in_(codes)))
        }
        options = tuple(
            Option(
                str(o["code"]),
                names.get(str(o["code"]), str(o["code"])),
                o.get("rank"),
                o.get("total"),
            )
            for o in opening.options
        )
    return BallotView(
        vote_id=require_id(vote),
        unit_id=require_id(unit),
        title=vote.title,
        conference=conference.name,
        unit_name=unit.name,
        secret=vote.secret,
        approval=vote.approval,
        seats=1 if vote.approval else vote.seats,
        options=options,
        mask=mask,
    )


def send_ballots(
    session: Session,
    *,
    conference: Conference,
    vote: ConferenceVote,
    opening: VoteOpening,
    now: datetime,
    locale: str,
    reminder: bool = False,
) -> int:
    """Each focal point of each eligible unit that has not voted gets the ballot in private;
    the number of messages newly queued (a reminder repeats at most once in five minutes)."""
    vote_id = require_id(vote)
    done = voted_ids(session, vote_id)
    slot = int(now.timestamp()) // _REMINDER_SLOT
    queued = 0
    for unit_id in eligible_ids(session, vote_id):
        unit = session.get(Unit, unit_id)
        if unit is None or unit_id in done:
            continue
        for person in members(session, unit_id):
            own = person_locale(person.language, locale)
            view = ballot_view(
                session, conference=conference, vote=vote, opening=opening, unit=unit, locale=own
            )
            reply = ballot_reply(view, own, reminder=reminder)
            kind = f"remind:{slot}" if reminder else "ballot"
            key = f"vote:{vote_id}:{kind}:{unit_id}:{person.id}"
            payload = {"text": reply.text, "reply_markup": markup(reply)}
            queued += enqueue(
                session, key=key, chat_id=person.telegram_id, payload=payload, not_before=now
            )
    return queued


def _post_text(session: Session, vote: ConferenceVote, locale: str) -> tuple[str, str]:
    """The group post's text and what it shows apart from wording (edited when that changes)."""
    vote_id = require_id(vote)
    eligible, voted = len(eligible_ids(session, vote_id)), len(voted_ids(session, vote_id))
    closed = vote.state == CLOSED
    text = announcement(
        vote.title, secret=vote.secret, eligible=eligible, voted=voted, closed=closed, locale=locale
    )
    return text, f"{voted}/{eligible}:{vote.state}"


def group_language(session: Session, conference: Conference) -> str:
    """The language of the conference's group posts: its cluster's."""
    cluster = session.get(Cluster, conference.cluster_id)
    return group_locale(cluster.language if cluster else None)


def announce(
    session: Session, *, conference: Conference, vote: ConferenceVote, now: datetime
) -> int:
    """Tell the cluster's groups the vote is open and how many units may vote."""
    text, signature = _post_text(session, vote, group_language(session, conference))
    queued = 0
    for group in groups_of(session, conference.cluster_id):
        key = f"vote:{vote.id}:post:{group.chat_id}"
        payload: dict[str, Any] = {"text": text, "_signature": signature}
        queued += enqueue(session, key=key, chat_id=group.chat_id, payload=payload, not_before=now)
    return queued


def refresh_posts(
    session: Session, *, conference: Conference, vote: ConferenceVote, now: datetime
) -> int:
    """Edit each group's post when the count it shows has changed ("Đã bỏ phiếu 3/5 đơn vị");
    a post not out yet shows the new count when it goes, since its text is rewritten."""
    text, signature = _post_text(session, vote, group_language(session, conference))
    queued = 0
    for group in groups_of(session, conference.cluster_id):
        key = f"vote:{vote.id}:post:{group.chat_id}"
        post = message_by_key(session, key)
        if post is None:
            continue
        if post.status != SENT or post.telegram_message_id is None:
            _rewrite_waiting(session, post, {"text": text, "_signature": signature})
            continue
        queued += _edit(session, post, key, text, signature, now)
    return queued


def _rewrite_waiting(session: Session, post: OutboxMessage, payload: dict[str, Any]) -> None:
    """A post the sender has not taken yet goes out with the new count (guarded by the status:
    one just claimed keeps the text it is sending, and its edit follows later)."""
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == post.id, col(OutboxMessage.status) == PENDING)
        .values(payload=payload)
        .execution_options(synchronize_session=False)
    )


def _edit(
    session: Session, post: OutboxMessage, key: str, text: str, signature: str, now: datetime
) -> bool:
    edits = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(f"{key}:e"))
        .order_by(col(OutboxMessage.id).desc())
    ).all()
    shown = (edits[0] if edits else post).payload.get("_signature")
    if shown == signature:
        return False
    payload = {"text": text, "_signature": signature, "message_id": post.telegram_message_id}
    return enqueue(
        session,
        key=f"{key}:e{len(edits) + 1}",
        chat_id=post.chat_id,
        payload=payload,
        method="editMessageText",
        not_before=now,
    )


def counted_text(counted: Counted, locale: str, *, leader: str = "") -> str:
    """The count as the group reads it, with the leader it made, if any."""
    vote, opening = counted.vote, counted.opening
    text = tally_text(
        vote.title,
        counted.tally,
        secret=vote.secret,
        present=opening.present,
        members=opening.members,
        eligible=counted.eligible,
        names=counted.names,
        receipts=counted.receipts,
        by_unit=counted.by_unit,
        locale=locale,
    )
    return f"{text}\n\n{leader}" if leader else text


def publish_tally(
    session: Session,
    *,
    conference: Conference,
    counted: Counted,
    now: datetime,
    leader: str = "",
) -> int:
    """The count, posted in each of the cluster's groups (`leader` in their language)."""
    vote = counted.vote
    text = counted_text(counted, group_language(session, conference), leader=leader)
    queued = 0
    for group in groups_of(session, conference.cluster_id):
        for part, piece in enumerate(split_text(text)):
            key = f"vote:{vote.id}:tally:{group.chat_id}:{part}"
            queued += enqueue(
                session, key=key, chat_id=group.chat_id, payload={"text": piece}, not_before=now
            )
    return queued
