"""Checking what the demo did: in the database, and in what the officers and the group saw."""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from bot.demo.officers import (
    AMBIGUOUS,
    AMBIGUOUS_STORED,
    AMBIGUOUS_TYPED,
    EXPLAINED,
    EXPLANATION,
    INVALID,
    INVALID_FIXED,
    INVALID_TYPED,
    OFFICERS,
    RESUMED,
    RESUMED_STORED,
    REVISED,
    REVISED_FIRST,
    REVISED_STORED,
    REVISED_TYPED,
    UNUSUAL_TYPED,
)
from bot.storage.models import Answer, Indicator, Period, Submission, Unit

__all__ = ["Check", "Seen", "verify", "verify_schedule"]

FIRST_FIVE = ("thu-ngan-sach", "gtsx-ke-hoach", "xa-ntm", "quy-vi-nguoi-ngheo", "hs-bo-hoc")


@dataclass(frozen=True)
class Check:
    """One verified claim about what the demo did."""

    ok: bool
    text: str


def _answers(
    session: Session, period: Period, unit_code: str, revision: int | None = None
) -> dict[str, Answer]:
    """Indicator code -> answer of a unit's submitted revision (the latest by default)."""
    query = (
        select(Submission)
        .join(Unit, col(Unit.id) == Submission.unit_id)
        .where(Unit.code == unit_code, Submission.period_id == period.id)
        .where(Submission.status == "submitted")
        .order_by(col(Submission.revision).desc())
    )
    if revision is not None:
        query = query.where(Submission.revision == revision)
    submission = session.exec(query).first()
    if submission is None:
        return {}
    rows = session.exec(
        select(Indicator.code, Answer)
        .join(Answer, col(Answer.indicator_id) == Indicator.id)
        .where(Answer.submission_id == submission.id)
    ).all()
    return {code: answer for code, answer in rows}


def _value(answers: Mapping[str, Answer], code: str) -> str | None:
    """The stored value of one indicator's answer, if any."""
    answer = answers.get(code)
    return answer.value if answer is not None else None


def verify(engine: Engine, units: Mapping[str, str], restarted_at: datetime) -> list[Check]:
    """What the database must hold after the play."""
    with Session(engine) as session:
        period = session.exec(select(Period).order_by(col(Period.id))).first()
        if period is None:
            return [Check(False, "Không có kỳ báo cáo nào trong cơ sở dữ liệu.")]
        latest = {o.unit_code: _answers(session, period, o.unit_code) for o in OFFICERS}
        resumed = latest[RESUMED.unit_code]
        first, second = (
            _value(_answers(session, period, REVISED.unit_code, n), "thu-ngan-sach") for n in (1, 2)
        )
        explained = latest[EXPLAINED.unit_code].get("thu-ngan-sach")
    done = sum(1 for answers in latest.values() if answers)
    kept = tuple(_value(resumed, code) for code in FIRST_FIVE) == RESUMED_STORED and all(
        resumed[code].answered_at < restarted_at for code in FIRST_FIVE
    )
    return [
        Check(
            done == len(OFFICERS),
            f"{done}/{len(OFFICERS)} đơn vị đã nộp số liệu kỳ «{period.name}».",
        ),
        Check(
            kept,
            f"{RESUMED.name} ({units[RESUMED.unit_code]}): 5 câu trả lời trước khi bot "
            "khởi động lại vẫn còn nguyên trong lần nộp.",
        ),
        Check(
            _value(latest[AMBIGUOUS.unit_code], "quy-vi-nguoi-ngheo") == AMBIGUOUS_STORED,
            f"«{AMBIGUOUS_TYPED}» của {units[AMBIGUOUS.unit_code]} được lưu là "
            f"{AMBIGUOUS_STORED} triệu đồng.",
        ),
        Check(
            _value(latest[INVALID.unit_code], "quy-vi-nguoi-ngheo") == INVALID_FIXED,
            f"«{INVALID_TYPED}» bị từ chối; {units[INVALID.unit_code]} nộp {INVALID_FIXED} "
            "triệu đồng.",
        ),
        Check(
            (first, second) == (REVISED_FIRST, REVISED_STORED),
            f"{units[REVISED.unit_code]} đã nộp lần 2 (thu ngân sách {REVISED_FIRST} → "
            f"{REVISED_TYPED} tỷ đồng), lần 1 vẫn được giữ.",
        ),
        Check(
            explained is not None
            and explained.explanation == EXPLANATION
            and "unusual" in explained.flags,
            f"Giải trình của {units[EXPLAINED.unit_code]} cho số bất thường {UNUSUAL_TYPED} "
            "tỷ đồng đã được lưu.",
        ),
    ]


@dataclass
class Seen:
    """What the officers and the group received from the scheduler, for the final checks."""

    announced: bool = False
    board_edits: int = 0
    digests: set[str] = field(default_factory=set)
    reminded: set[str] = field(default_factory=set)
    overdue: set[str] = field(default_factory=set)
    chair_list: bool = False
    late_receipt: bool = False
    summary_files: dict[str, bytes] = field(default_factory=dict)
    limit_violations: int = 0


def verify_schedule(seen: Seen, units: Mapping[str, str]) -> list[Check]:
    """What the scheduler must have done."""
    owing = {RESUMED.unit_code, REVISED.unit_code, EXPLAINED.unit_code}
    sheets = _sheets(seen.summary_files.get("document"))
    return [
        Check(seen.announced, "Nhóm của cụm được thông báo khi kỳ báo cáo mở."),
        Check(seen.board_edits > 0, "Bảng tiến độ được sửa tại chỗ khi có đơn vị nộp."),
        Check(
            seen.digests == {AMBIGUOUS.unit_code, INVALID.unit_code},
            "Cụm trưởng và cụm phó nhận tin tổng hợp hằng ngày: "
            f"{units[AMBIGUOUS.unit_code]} đã nộp.",
        ),
        Check(
            seen.reminded == owing,
            "Chỉ những đơn vị chưa nộp được nhắc: "
            + ", ".join(units[code] for code in sorted(seen.reminded))
            + ".",
        ),
        Check(
            seen.overdue == {EXPLAINED.unit_code} and seen.chair_list,
            f"Sau hạn: {units[EXPLAINED.unit_code]} được nhắc, cụm trưởng nhận danh sách.",
        ),
        Check(seen.late_receipt, f"{units[EXPLAINED.unit_code]} nộp muộn và được ghi là nộp muộn."),
        Check(
            len(sheets) >= 3 and "photo" in seen.summary_files,
            f"Tổng hợp cụm gửi vào nhóm: biểu đồ và tệp Excel ({len(sheets)} trang tính).",
        ),
        Check(
            seen.limit_violations == 0,
            "Không vượt giới hạn gửi tin chung và giới hạn của nhóm "
            f"({seen.limit_violations} lần vượt).",
        ),
    ]


def _sheets(workbook: bytes | None) -> list[str]:
    if not workbook:
        return []
    from openpyxl import load_workbook

    return list(load_workbook(io.BytesIO(workbook), read_only=True).sheetnames)
