"""Group posts kept up to date: each posted once through the outbox, then edited in place.

Keys: a post is `{prefix}:{chat}:{n}` (n counts the posts in that chat); an edit of the
message it became is `{prefix}:{chat}:m{message}:e{k}`. A pending edit is rewritten rather
than followed by another, so sixteen presses in a minute cost one or two edits, not sixteen
(a group takes about 20 messages a minute).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from bot.storage.models import OutboxMessage
from bot.storage.outbox import PENDING, SENT, enqueue

__all__ = ["latest_posts", "post", "refresh"]


def post(
    session: Session,
    *,
    prefix: str,
    chat_id: int,
    text: str,
    markup: dict[str, Any] | None,
    now: datetime | None = None,
) -> str:
    """Queue a new post in the chat, due at `now` (the caller's clock); its key."""
    number = len(_posts(session, prefix, chat_id)) + 1
    key = f"{prefix}:{chat_id}:{number}"
    enqueue(session, key=key, chat_id=chat_id, payload=_payload(text, markup), not_before=now)
    return key


def latest_posts(session: Session, *, prefix: str) -> list[OutboxMessage]:
    """The latest post under `prefix` in each chat."""
    rows = session.exec(
        select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"{prefix}:"))
    ).all()
    latest: dict[int, OutboxMessage] = {}
    for row in sorted(rows, key=lambda r: r.id or 0):
        if _post_number(row.key, prefix) is not None:
            latest[row.chat_id] = row
    return list(latest.values())


def refresh(
    session: Session,
    *,
    prefix: str,
    text: str,
    markup: dict[str, Any] | None,
    pressed: tuple[int, int] | None = None,
    now: datetime | None = None,
) -> int:
    """Show `text` in the latest post of each chat (and in the pressed message, if given);
    the number of edits newly queued, due at `now`."""
    payload = _payload(text, markup)
    # Chat -> (message id, the post it was sent as, if known).
    targets: dict[int, tuple[int, OutboxMessage | None]] = {}
    for row in latest_posts(session, prefix=prefix):
        if _rewrite(session, row, payload):
            continue
        if row.status == SENT and row.telegram_message_id is not None:
            targets[row.chat_id] = (row.telegram_message_id, row)
    if pressed is not None and targets.get(pressed[0], (None,))[0] != pressed[1]:
        targets[pressed[0]] = (pressed[1], None)
    queued = 0
    for chat_id, (message_id, sent) in targets.items():
        stem = f"{prefix}:{chat_id}:m{message_id}"
        queued += _edit(session, stem, chat_id, message_id, payload, sent, now)
    return queued


def _edit(
    session: Session,
    stem: str,
    chat_id: int,
    message_id: int,
    payload: dict[str, Any],
    sent: OutboxMessage | None,
    now: datetime | None,
) -> bool:
    """Queue an edit of one message, unless it shows this already or a pending one is rewritten."""
    edits = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.key).startswith(f"{stem}:e"))
        .order_by(col(OutboxMessage.id).desc())
    ).all()
    if edits and _rewrite(session, edits[0], payload):
        return False
    shown = edits[0] if edits else sent
    if shown is not None and _shows(shown, payload):
        return False
    body = payload | {"message_id": message_id}
    key = f"{stem}:e{len(edits) + 1}"
    return enqueue(
        session,
        key=key,
        chat_id=chat_id,
        payload=body,
        method="editMessageText",
        not_before=now,
    )


def _rewrite(session: Session, row: OutboxMessage, payload: dict[str, Any]) -> bool:
    """Give a message not yet taken by the sender the new text; whether it was still waiting."""
    if row.status != PENDING:
        return False
    body = payload | {k: v for k, v in row.payload.items() if k == "message_id"}
    # Guarded by the status: a message the sender has just claimed keeps what it sends.
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == row.id, col(OutboxMessage.status) == PENDING)
        .values(payload=body)
        .execution_options(synchronize_session=False)
    )
    changed = bool(getattr(result, "rowcount", 0))
    if changed:
        session.expire(row)
    return changed


def _shows(row: OutboxMessage, payload: dict[str, Any]) -> bool:
    return row.payload.get("text") == payload.get("text") and row.payload.get(
        "reply_markup"
    ) == payload.get("reply_markup")


def _posts(session: Session, prefix: str, chat_id: int) -> list[OutboxMessage]:
    rows = session.exec(
        select(OutboxMessage).where(col(OutboxMessage.key).startswith(f"{prefix}:{chat_id}:"))
    ).all()
    return [row for row in rows if _post_number(row.key, prefix) is not None]


def _post_number(key: str, prefix: str) -> int | None:
    """`n` of a post's key `{prefix}:{chat}:{n}`; None for an edit's key or another prefix."""
    parts = key[len(prefix) + 1 :].split(":")
    if len(parts) != 2 or not parts[1].isdigit():
        return None
    return int(parts[1])


def _payload(text: str, markup: dict[str, Any] | None) -> dict[str, Any]:
    return {"text": text} | ({"reply_markup": markup} if markup else {})
