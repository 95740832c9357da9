"""Groups: an admin binds and unbinds them; anyone in a bound group sees the board."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from bot.fake_telegram import FakeChat
from bot.storage.models import AuditEvent, Cluster, GroupChat
from tests.support.desk import ADMIN, GROUP, STRANGER, desk_bot, last, press_exact, submit_figures

NEW_GROUP = FakeChat(id=-100888, type="supergroup", title="Cụm 3 Kon Tum")


def bound_cluster(engine: Engine, chat_id: int) -> str | None:
    with Session(engine) as session:
        group = session.exec(select(GroupChat).where(GroupChat.chat_id == chat_id)).first()
        cluster = session.get(Cluster, group.cluster_id) if group and group.cluster_id else None
        return cluster.code if cluster else None


async def test_an_admin_binds_a_group_by_pressing_its_cluster(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/bind", chat=NEW_GROUP))
        assert "Chọn cụm" in question["text"]
        reply = last(
            await press_exact(bot, ADMIN, question, "Cụm thi đua số 3 – tỉnh Quảng Ngãi (kt-cum3)")
        )
        assert "Đã gắn nhóm này với Cụm thi đua số 3" in reply["text"]
        assert bound_cluster(engine, NEW_GROUP.id) == "kt-cum3"
        with Session(engine) as session:
            [event] = session.exec(
                select(AuditEvent).where(
                    AuditEvent.action == "group.bound",
                    AuditEvent.entity_key == str(NEW_GROUP.id),
                )
            ).all()
        assert event.actor == f"telegram:{ADMIN.id}" and event.after == {
            "cluster": "kt-cum3",
            "title": "Cụm 3 Kon Tum",
        }
        assert "getChatMember" in {call.method for call in bot.fake.calls}


async def test_someone_else_pressing_the_admins_bind_button_is_refused(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        question = last(await bot.send(ADMIN, "/bind", chat=NEW_GROUP))
        replies = await press_exact(
            bot, STRANGER, question, "Cụm thi đua số 3 – tỉnh Quảng Ngãi (kt-cum3)"
        )
        assert replies == []
        answer = bot.fake.calls_to("answerCallbackQuery")[-1].params
        assert answer["show_alert"] and "quản trị viên" in answer["text"]
        assert bound_cluster(engine, NEW_GROUP.id) is None


async def test_a_restricted_bot_does_not_bind_and_says_what_is_missing(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        bot.fake.set_bot_member_status(NEW_GROUP.id, "restricted")
        reply = last(await bot.send(ADMIN, "/bind kt-cum3", chat=NEW_GROUP))
        assert "Chưa gắn nhóm" in reply["text"] and "hạn chế" in reply["text"]
        assert "Gửi tin nhắn" in reply["text"] and "/bind" in reply["text"]
        assert bound_cluster(engine, NEW_GROUP.id) is None
        bot.fake.set_bot_member_status(NEW_GROUP.id, "administrator")
        assert "Đã gắn" in last(await bot.send(ADMIN, "/bind kt-cum3", chat=NEW_GROUP))["text"]


async def test_anyone_in_a_bound_group_sees_the_board_until_it_is_unbound(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "kon-tum", bot.now, {"thu-ngan-sach": "450"})
        board = last(await bot.send(STRANGER, "/board", chat=GROUP))["text"]
        assert "1/5" in board and "Phường Kon Tum" in board
        assert "chưa gắn" in last(await bot.send(STRANGER, "/board", chat=NEW_GROUP))["text"]

        reply = last(await bot.send(ADMIN, "/unbind", chat=GROUP))
        assert "Đã bỏ gắn nhóm này khỏi Cụm thi đua số 2" in reply["text"]
        assert bound_cluster(engine, GROUP.id) is None
        with Session(engine) as session:
            [event] = session.exec(
                select(AuditEvent).where(AuditEvent.action == "group.unbound")
            ).all()
        assert event.before and event.before["cluster"] == "kt-cum2"
        assert "chưa gắn" in last(await bot.send(STRANGER, "/board", chat=GROUP))["text"]
        assert "chưa gắn" in last(await bot.send(ADMIN, "/unbind", chat=GROUP))["text"]
