"""Checking the later acts: what the database holds and what the officers and the group saw."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from bot.demo.acts import DELEGATES
from bot.demo.acts_setup import ACTS, NEXT_YEAR
from bot.demo.officers import AMBIGUOUS, INVALID, OFFICERS
from bot.demo.verification import Check
from bot.storage.conference_tables import Attendance, Delegate, Registration
from bot.storage.models import Pledge, Unit
from bot.storage.pledge_tables import TargetRegistration

__all__ = ["ActsSeen", "verify_acts"]

SIGNED = {AMBIGUOUS.unit_code, INVALID.unit_code}
NEXT_LEADERS = (ACTS["leaders"][0]["chair"], ACTS["leaders"][0]["vice_chair"])


@dataclass
class ActsSeen:
    """What the officers and the group received in the later acts."""

    invited: set[str] = field(default_factory=set)
    board_edits: int = 0
    rsvp_reminded: set[str] = field(default_factory=set)
    present: int = 0
    targets_asked: set[str] = field(default_factory=set)
    sign_asked: set[str] = field(default_factory=set)
    handover: str = ""  # the year-end conference's announcement of next year's leaders


def _codes(session: Session, query: object) -> dict[str, int]:
    """Unit code -> a count, from a query of (unit id, count)."""
    names = {u.id: u.code for u in session.exec(select(Unit)).all()}
    return {names[unit_id]: count for unit_id, count in session.exec(query).all()}  # type: ignore[call-overload]


def verify_acts(engine: Engine, seen: ActsSeen, units: Mapping[str, str]) -> list[Check]:
    """What the conference and the year's end must have left."""
    everyone = {o.unit_code for o in OFFICERS}
    with Session(engine) as session:
        delegates = _codes(
            session,
            select(Registration.unit_id, func.count(col(Delegate.id)))
            .join(Delegate, col(Delegate.registration_id) == Registration.id)
            .where(col(Registration.confirmed_at).is_not(None))
            .where(col(Delegate.person_id).is_(None))  # those checked in by pressing come later
            .group_by(col(Registration.unit_id)),
        )
        present = _codes(
            session,
            select(Attendance.unit_id, func.count())
            .where(Attendance.status == "present")
            .group_by(col(Attendance.unit_id)),
        )
        pledge = session.exec(select(Pledge).where(Pledge.year == NEXT_YEAR)).one()
        rows = session.exec(
            select(TargetRegistration).where(TargetRegistration.pledge_id == pledge.id)
        ).all()
        names = {u.id: u.code for u in session.exec(select(Unit)).all()}
    registered = {names[r.unit_id] for r in rows if r.status == "submitted"}
    signed = {names[r.unit_id] for r in rows if r.signed_at is not None}
    wanted = {code: len(people) for code, people in DELEGATES.items()}
    return [
        Check(
            seen.invited == everyone,
            f"Giấy mời hội nghị đến nhóm và cả {len(seen.invited)} đơn vị.",
        ),
        Check(
            delegates == wanted and seen.board_edits > 0,
            "Đã đăng ký đại biểu: "
            + ", ".join(f"{units[c]} ({n})" for c, n in delegates.items())
            + "; bảng đăng ký được sửa tại chỗ.",
        ),
        Check(
            seen.rsvp_reminded == everyone - set(wanted),
            "Chỉ những đơn vị chưa đăng ký đại biểu được nhắc: "
            + ", ".join(units[c] for c in sorted(seen.rsvp_reminded))
            + ".",
        ),
        Check(
            set(present) == set(wanted) and seen.present > 0,
            f"Điểm danh trong nhóm: có mặt {len(present)}/{len(everyone)} đơn vị.",
        ),
        Check(
            seen.targets_asked == everyone and registered == everyone,
            f"Chỉ tiêu năm {NEXT_YEAR}: {len(registered)}/{len(everyone)} đơn vị đã đăng ký.",
        ),
        Check(
            all(units[code] in seen.handover for code in NEXT_LEADERS),
            f"Hội nghị tổng kết công bố cụm trưởng {units[NEXT_LEADERS[0]]}, cụm phó "
            f"{units[NEXT_LEADERS[1]]} năm {NEXT_YEAR}.",
        ),
        Check(
            seen.sign_asked == everyone and signed == SIGNED,
            f"Giao ước năm {NEXT_YEAR} gửi ký; đã ký: "
            + ", ".join(units[c] for c in sorted(signed))
            + ".",
        ),
    ]
