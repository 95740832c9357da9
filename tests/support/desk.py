"""Two clusters and one person per role, for the tests of admin and chair commands."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import col, select
from telegram import Update

from bot.fake_telegram import FakeChat, FakeUser
from bot.setup import read_setup
from bot.storage import session_scope
from bot.storage.admin import bind_group
from bot.storage.models import (
    Answer,
    Cluster,
    ClusterUnit,
    Indicator,
    Period,
    Pledge,
    Submission,
    Unit,
)
from bot.storage.setup_import import apply_setup, known_clusters
from bot.storage.types import require_id
from tests.support.harness import Harness, buttons

__all__ = [
    "ADMIN",
    "CHAIR",
    "FOCAL",
    "GROUP",
    "OTHER_CHAIR",
    "OTHER_FOCAL",
    "PEOPLE",
    "SECOND_CLUSTER",
    "STRANGER",
    "VICE_CHAIR",
    "desk_bot",
    "import_text",
    "last",
    "press_exact",
    "reply_to",
    "submit_figures",
    "texts",
]

ADMIN = FakeUser(id=9001, first_name="Quản trị", language_code="vi")
CHAIR = FakeUser(id=9101, first_name="Hoa", last_name="Trần", username="hoa_kt")
FOCAL = FakeUser(id=9201, first_name="Lan", last_name="Nguyễn", username="lan_kp")
OTHER_FOCAL = FakeUser(id=9301, first_name="Minh", username="minh_kr")
OTHER_CHAIR = FakeUser(id=9401, first_name="Dũng", username="dung_dh")
STRANGER = FakeUser(id=9501, first_name="Khách")
VICE_CHAIR = FakeUser(id=9601, first_name="Bình", username="binh_st")
GROUP = FakeChat(id=-100777, type="supergroup", title="Cụm 2 Kon Tum")

# Who each test person is: the role names of the matrix test.
PEOPLE = {
    "stranger": STRANGER,
    "focal_of_another_unit": OTHER_FOCAL,
    "focal": FOCAL,
    "chair_of_another_cluster": OTHER_CHAIR,
    "chair": CHAIR,
    "admin": ADMIN,
}

SECOND_CLUSTER = """
clusters:
  - code: kt-cum3
    name: Cụm thi đua số 3 – tỉnh Quảng Ngãi
    year: 2026
    chair: dak-ha
    units:
      - {code: dak-ha, name: Xã Đăk Hà}
      - {code: dak-to, name: Xã Đăk Tô}
pledges:
  - cluster: kt-cum3
    year: 2026
    indicators:
      - {code: thu-ngan-sach, name: Tổng thu ngân sách, kind: number, unit: tỷ đồng}
periods:
  - code: 2026-h1-c3
    name: Sơ kết 6 tháng đầu năm 2026 – cụm 3
    clusters: [kt-cum3]
    year: 2026
    opens: 2026-06-01 08:00
    deadline: 2026-06-20 17:00
"""


def import_text(engine: Engine, text: str) -> None:
    with session_scope(engine) as session:
        setup = read_setup(text, known_clusters=known_clusters(session))
        apply_setup(session, setup, actor="test")


@asynccontextmanager
async def desk_bot(engine: Engine, example_yaml: str, **settings: Any) -> AsyncIterator[Harness]:
    """The example cluster and a second one; everyone joined; the group bound to kt-cum2."""
    import_text(engine, example_yaml)
    import_text(engine, SECOND_CLUSTER)
    settings.setdefault("THIDUA_ADMINS", str(ADMIN.id))
    async with Harness(engine, **settings) as bot:
        await bot.join(CHAIR, "kon-tum", role="chair")
        await bot.join(FOCAL, "mo-rai")
        await bot.join(VICE_CHAIR, "sa-thay")
        await bot.join(OTHER_FOCAL, "dak-cam")
        await bot.join(OTHER_CHAIR, "dak-ha")
        with session_scope(engine) as session:
            row = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
            bind_group(
                session, chat_id=GROUP.id, title=GROUP.title or "", cluster=row, actor="test",
                now=bot.now,
            )  # fmt: skip
        yield bot


def last(messages: list[dict[str, Any]]) -> dict[str, Any]:
    assert messages, "the bot sent nothing"
    return messages[-1]


def texts(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or m.get("caption") or "" for m in messages)


def submit_figures(
    engine: Engine, unit_code: str, at: datetime, values: dict[str, str], *, period: str = "2026-h1"
) -> int:
    """A submitted revision of a unit with canonical answers by indicator code; its id."""
    with session_scope(engine) as session:
        unit = session.exec(select(Unit).where(Unit.code == unit_code)).one()
        period_row = session.exec(select(Period).where(Period.code == period)).one()
        top = session.exec(
            select(Submission.revision)
            .where(Submission.unit_id == unit.id, Submission.period_id == period_row.id)
            .order_by(col(Submission.revision).desc())
        ).first()
        submission = Submission(
            period_id=require_id(period_row),
            unit_id=require_id(unit),
            revision=(top or 0) + 1,
            status="submitted",
            submitted_at=at,
        )
        session.add(submission)
        session.flush()
        for code, value in values.items():
            indicator = session.exec(
                select(Indicator)
                .join(Pledge, col(Pledge.id) == Indicator.pledge_id)
                .join(ClusterUnit, col(ClusterUnit.cluster_id) == Pledge.cluster_id)
                .where(Indicator.code == code, ClusterUnit.unit_id == unit.id)
            ).first()
            assert indicator is not None, code
            number = float(value) if value.replace(".", "", 1).isdigit() else None
            session.add(
                Answer(
                    submission_id=require_id(submission),
                    indicator_id=require_id(indicator),
                    raw_text=value,
                    value=value,
                    value_number=number,
                )
            )
        return require_id(submission)


async def press_exact(
    bot: Harness, user: FakeUser, message: dict[str, Any], label: str
) -> list[dict[str, Any]]:
    """Press the button whose label is exactly `label`."""
    for text, data in buttons(message):
        if text == label:
            assert len(data.encode()) <= 64
            return await bot.press_data(user, message, data)
    raise AssertionError(f"no button {label!r} in {buttons(message)}")


async def reply_to(
    bot: Harness, user: FakeUser, message: dict[str, Any], text: str
) -> list[dict[str, Any]]:
    """The user answers one of the bot's messages with Telegram's «Reply»."""
    update = bot.fake.user_sends(user, text)
    update["message"]["reply_to_message"] = message
    before = len(bot.fake.sent_messages(user.id))
    await bot.app.process_update(Update.de_json(update, bot.app.bot))
    return bot.fake.sent_messages(user.id)[before:]
