"""Two communes of 2025 merged into one in 2026, with their 2025 figures (lineage tests)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.models import Answer, Indicator, Period, Pledge, Submission, Unit
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id

__all__ = ["YEAR_2025", "YEAR_2026", "import_file", "submitted"]

YEAR_2025 = """
clusters:
  - code: cum-moi
    name: Cụm thi đua số 9
    year: 2025
    chair: xa-khac
    units:
      - {code: xa-cu-1, name: Xã Cũ Một}
      - {code: xa-cu-2, name: Xã Cũ Hai}
      - {code: xa-khac, name: Xã Khác}
pledges:
  - cluster: cum-moi
    year: 2025
    indicators:
      - {code: thu, name: Thu ngân sách, kind: number, unit: tỷ đồng, better: higher}
      - {code: ty-le, name: Tỷ lệ hộ nghèo, kind: percent, better: lower}
      - {code: tcd, name: Tổ chức đảng hoàn thành tốt nhiệm vụ, kind: ratio}
      - {code: dat, name: Hoàn thành giao quân, kind: yesno}
  - cluster: cum-moi
    year: 2026
    indicators_from: 2025
periods:
  - code: 2025-cn
    name: Tổng kết năm 2025
    clusters: [cum-moi]
    year: 2025
    opens: 2025-11-01 08:00
    deadline: 2025-12-10 17:00
  - code: 2026-h1
    name: Sơ kết 6 tháng đầu năm 2026
    clusters: [cum-moi]
    year: 2026
    opens: 2026-06-01 08:00
    deadline: 2026-06-20 17:00
"""

YEAR_2026 = """
clusters:
  - code: cum-moi
    name: Cụm thi đua số 9
    year: 2026
    chair: xa-moi
    units:
      - {code: xa-moi, name: Xã Mới, merged_from: [xa-cu-1, xa-cu-2]}
      - {code: xa-khac, name: Xã Khác}
"""


def import_file(engine: Engine, text: str) -> None:
    with session_scope(engine) as session:
        setup = read_setup(text, known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")


def submitted(engine: Engine, unit_code: str, period_code: str, values: dict[str, str]) -> None:
    """A submitted revision of the unit in the period, canonical values by indicator code."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        period = session.exec(select(Period).where(Period.code == period_code)).one()
        submission = Submission(
            period_id=require_id(period),
            unit_id=require_id(unit),
            status="submitted",
            submitted_at=datetime(2025, 12, 1, tzinfo=UTC),
        )
        session.add(submission)
        session.flush()
        pledge = session.exec(select(Pledge).where(Pledge.year == period.year)).one()
        for code, value in values.items():
            indicator = session.exec(
                select(Indicator).where(Indicator.pledge_id == pledge.id, Indicator.code == code)
            ).one()
            session.add(
                Answer(
                    submission_id=require_id(submission),
                    indicator_id=require_id(indicator),
                    raw_text=value,
                    value=value,
                )
            )
