"""Rows for scheduler tests: the example cluster, its people, a bound group, submissions."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import (
    Cluster,
    GroupChat,
    Membership,
    Period,
    Person,
    Submission,
    Unit,
)
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id

EXAMPLE = Path(__file__).parents[2] / "examples" / "cluster.yaml"
UNITS = ("kon-tum", "sa-thay", "dak-cam", "mo-rai", "ia-dal")
GROUP_CHAT = -100500
CHAIR_PERSON = 1001  # the focal point of kon-tum, the chair unit


def person_id_of(unit_code: str) -> int:
    """The Telegram id of the example focal point of a unit."""
    return 1001 + UNITS.index(unit_code)


def example_cluster(engine: Engine, *, yaml: str | None = None, group: bool = True) -> None:
    """Import the example set-up, give each unit a focal point and bind a group."""
    text = yaml if yaml is not None else EXAMPLE.read_text(encoding="utf-8")
    with session_scope(engine) as session:
        setup = read_setup(text, locale="vi", known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")
        for code in UNITS:
            unit = session.exec(select(Unit).where(Unit.code == code)).one()
            person = Person(telegram_id=person_id_of(code), full_name=f"Đầu mối {unit.name}")
            session.add(person)
            session.flush()
            session.add(Membership(person_id=require_id(person), unit_id=require_id(unit)))
        if group:
            cluster = session.exec(select(Cluster)).one()
            session.add(GroupChat(chat_id=GROUP_CHAT, title="Cụm 2", cluster_id=cluster.id))


def period(session: Session, code: str = "2026-h1") -> Period:
    """A period by code."""
    return session.exec(select(Period).where(Period.code == code)).one()


def submit(
    engine: Engine, unit_code: str, *, at: datetime, late: bool = False, revision: int = 1
) -> int:
    """A submitted revision (without answers) for the example period; its id."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        submission = Submission(
            period_id=require_id(period(session)),
            unit_id=require_id(unit),
            revision=revision,
            status="submitted",
            submitted_at=at,
            late=late,
        )
        session.add(submission)
        session.flush()
        return require_id(submission)
