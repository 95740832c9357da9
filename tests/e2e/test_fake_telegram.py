"""The fake Telegram server, exercised by the real python-telegram-bot stack over real HTTP."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar

import httpx
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, Update
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.fake_telegram import FakeChat, FakeTelegram, FakeUser, UploadedFile

ALICE = FakeUser(id=1001, first_name="Lan", last_name="Nguyễn", username="lan_ng")
GROUP = FakeChat(id=-4001, title="Cụm thi đua số 3")
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Đồng ý", callback_data="yes")]])


class Clock:
    """A hand-driven clock for the flood-limit observer."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    """A running fake server."""
    with FakeTelegram() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeTelegram) -> AsyncIterator[Bot]:
    """A real PTB bot pointed at the fake."""
    async with Bot(fake.token, base_url=fake.base_url, base_file_url=fake.file_base_url) as bot:
        yield bot


@asynccontextmanager
async def polling(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Run `app` with long polling for the duration of the block."""
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            yield
        finally:
            await app.updater.stop()
            await app.stop()


def application(fake: FakeTelegram) -> Application[Any, Any, Any, Any, Any, Any]:
    """A PTB application talking to the fake."""
    return (
        Application.builder()
        .token(fake.token)
        .base_url(fake.base_url)
        .base_file_url(fake.file_base_url)
        .build()
    )


# ----------------------------------------------------------------------------- plain Bot calls


async def test_get_me_returns_the_fake_bot(fake: FakeTelegram, bot: Bot) -> None:
    me = await bot.get_me()
    assert me.username == fake.bot_username
    assert me.id == fake.bot_id
    assert me.is_bot


async def test_a_sent_inline_keyboard_is_recorded_decoded(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(ALICE.id, "Chọn đi", reply_markup=KEYBOARD)
    assert message.reply_markup == KEYBOARD
    [call] = fake.calls_to("sendMessage")
    assert call.params["chat_id"] == ALICE.id
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Đồng ý", "callback_data": "yes"}]]
    }
    [stored] = fake.sent_messages(ALICE.id)
    assert stored["text"] == "Chọn đi"
    assert stored["chat"] == {"id": ALICE.id, "type": "private", "first_name": "User 1001"}


async def test_message_ids_count_per_chat(fake: FakeTelegram, bot: Bot) -> None:
    first = await bot.send_message(ALICE.id, "một")
    other = await bot.send_message(GROUP.id, "hai")
    second = await bot.send_message(ALICE.id, "ba")
    assert (first.message_id, other.message_id, second.message_id) == (1, 1, 2)
    assert other.chat.type == "group"
    assert [m["text"] for m in fake.sent_messages()] == ["một", "hai", "ba"]


async def test_edit_message_text_updates_the_stored_message(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(ALICE.id, "Đang xử lý…", reply_markup=KEYBOARD)
    edited = await bot.edit_message_text("Xong", chat_id=ALICE.id, message_id=message.message_id)
    assert isinstance(edited, type(message))
    assert edited.text == "Xong"
    [stored] = fake.sent_messages(ALICE.id)
    assert stored["text"] == "Xong"
    # Like Telegram: an edit without reply_markup removes the keyboard.
    assert "reply_markup" not in stored
    assert "edit_date" in stored


async def test_an_identical_edit_is_rejected_as_not_modified(bot: Bot) -> None:
    message = await bot.send_message(ALICE.id, "Xin chào", reply_markup=KEYBOARD)
    with pytest.raises(BadRequest, match="not modified"):
        await message.edit_text("Xin chào", reply_markup=KEYBOARD)
    await message.edit_reply_markup(None)
    with pytest.raises(BadRequest, match="not modified"):
        await message.edit_reply_markup(None)


async def test_editing_an_unknown_message_is_a_bad_request(bot: Bot) -> None:
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=ALICE.id, message_id=99)


async def test_a_deleted_message_leaves_the_sent_messages(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(ALICE.id, "tạm thời")
    assert await message.delete()
    assert fake.sent_messages(ALICE.id) == []
    with pytest.raises(BadRequest, match=r"(?i)message to delete not found"):
        await message.delete()


async def test_an_uploaded_document_is_multipart_and_kept_byte_for_byte(
    fake: FakeTelegram, bot: Bot
) -> None:
    content = bytes(range(256)) * 64 + b"\r\n--boundary\r\n"
    upload = InputFile(content, filename='Báo cáo "6 tháng".xlsx')
    message = await bot.send_document(GROUP.id, upload, caption="Tổng hợp")
    assert message.document is not None
    assert message.document.file_name == 'Báo cáo "6 tháng".xlsx'
    assert message.document.file_size == len(content)
    assert message.caption == "Tổng hợp"
    assert fake.uploaded_files(GROUP.id) == [('Báo cáo "6 tháng".xlsx', content)]
    [call] = fake.calls_to("sendDocument")
    assert isinstance(call.params["document"], UploadedFile)
    assert call.params["chat_id"] == GROUP.id
    # What the bot uploaded can be fetched back, like any Telegram file.
    downloaded = await (await bot.get_file(message.document.file_id)).download_as_bytearray()
    assert bytes(downloaded) == content


async def test_an_uploaded_photo_is_kept(fake: FakeTelegram, bot: Bot) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    message = await bot.send_photo(ALICE.id, InputFile(png, filename="bieu-do.png"))
    assert message.photo
    assert fake.uploaded_files(ALICE.id) == [("bieu-do.png", png)]


async def test_commands_round_trip(fake: FakeTelegram, bot: Bot) -> None:
    await bot.set_my_commands([("start", "Bắt đầu"), ("help", "Hướng dẫn")])
    commands = await bot.get_my_commands()
    assert [c.command for c in commands] == ["start", "help"]
    assert fake.bot_commands() == [
        {"command": "start", "description": "Bắt đầu"},
        {"command": "help", "description": "Hướng dẫn"},
    ]
    with pytest.raises(BadRequest, match=r"(?i)bot_command_invalid"):
        await bot.set_my_commands([("Start", "viết hoa")])
    assert await bot.delete_my_commands()
    assert await bot.get_my_commands() == ()


async def test_the_bot_administers_groups_unless_told_otherwise(
    fake: FakeTelegram, bot: Bot
) -> None:
    member = await bot.get_chat_member(GROUP.id, fake.bot_id)
    assert member.status == "administrator"
    chat = await bot.get_chat(GROUP.id)
    assert chat.type == "group"
    fake.set_bot_member_status(GROUP.id, "kicked")
    assert (await bot.get_chat_member(GROUP.id, fake.bot_id)).status == "kicked"
    with pytest.raises(Forbidden, match=r"(?i)kicked"):
        await bot.send_message(GROUP.id, "còn ai không?")


async def test_a_restricted_member_is_understood(fake: FakeTelegram, bot: Bot) -> None:
    fake.set_member_status(GROUP.id, ALICE.id, "restricted")
    member = await bot.get_chat_member(GROUP.id, ALICE.id)
    assert member.status == "restricted"


async def test_other_setup_calls_succeed(bot: Bot) -> None:
    assert await bot.set_chat_menu_button()
    assert await bot.send_chat_action(ALICE.id, "typing")
    assert await bot.set_my_description("Bot thi đua")
    assert (await bot.get_my_description()).description == "Bot thi đua"
    assert await bot.log_out()
    assert await bot.close()


# ----------------------------------------------------------------------------- errors


async def test_fail_next_with_retry_after_raises_retry_after(
    fake: FakeTelegram, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PTB 22 warns on every RetryAfter unless it may use timedelta already.
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    description = "Too Many Requests: retry after 3"
    fake.fail_next("sendMessage", status=429, description=description, retry_after=3, times=2)
    for _ in range(2):
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(ALICE.id, "gấp")
        assert caught.value.retry_after == dt.timedelta(seconds=3)
    await bot.send_message(ALICE.id, "gấp")
    assert [call.status for call in fake.calls_to("sendMessage")] == [429, 429, 200]
    assert len(fake.sent_messages(ALICE.id)) == 1


async def test_a_blocked_chat_raises_forbidden(fake: FakeTelegram, bot: Bot) -> None:
    fake.block_chat(ALICE.id)
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(ALICE.id, "nhắc hạn")
    fake.unblock_chat(ALICE.id)
    await bot.send_message(ALICE.id, "nhắc hạn")


async def test_a_wrong_token_raises_invalid_token(fake: FakeTelegram) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:WRONG", base_url=fake.base_url):
            pass
    assert fake.calls_to("getMe")[0].status == 401


async def test_a_proxy_page_echoes_the_path_and_then_the_api_answers_again(
    fake: FakeTelegram, bot: Bot
) -> None:
    fake.answer_next_with_page("sendMessage", times=1)
    with pytest.raises(NetworkError, match="Bad Gateway") as caught:
        await bot.send_message(ALICE.id, "qua proxy")
    assert f"/bot{fake.token}/sendMessage" in str(caught.value)
    await bot.send_message(ALICE.id, "qua proxy")
    assert [call.status for call in fake.calls_to("sendMessage")] == [502, 200]
    assert len(fake.sent_messages(ALICE.id)) == 1


def test_raw_http_answers_like_telegram(fake: FakeTelegram) -> None:
    with httpx.Client(base_url=f"{fake.base_url}{fake.token}") as client:
        unknown = client.post("/frobnicate")
        assert unknown.status_code == 404
        assert unknown.json() == {
            "ok": False,
            "error_code": 404,
            "description": "Not Found: method not found",
        }
        sent = client.post("/SENDMESSAGE", json={"chat_id": 7, "text": "123"})
        assert sent.json()["result"]["text"] == "123"
        assert client.get("/getMe").json()["result"]["username"] == fake.bot_username
        chunked = client.post(
            "/sendMessage",
            content=iter([b'{"chat_id": 7, ', b'"text": "t\xe1\xbb\xabng ph\xe1\xba\xa7n"}']),
            headers={"Content-Type": "application/json"},
        )
        assert chunked.json()["result"]["text"] == "từng phần"
    methods = ["frobnicate", "sendMessage", "getMe", "sendMessage"]
    assert [call.method for call in fake.calls] == methods
    assert fake.calls_to("sendmessage")[0].params == {"chat_id": 7, "text": "123"}


async def test_concurrent_sends_get_distinct_message_ids(fake: FakeTelegram, bot: Bot) -> None:
    sends = [bot.send_message(GROUP.id, f"tin {n}") for n in range(100)]
    messages = await asyncio.gather(*sends)
    assert sorted(m.message_id for m in messages) == list(range(1, 101))
    assert len(fake.sent_messages(GROUP.id)) == 100


async def test_a_text_that_looks_like_a_number_stays_text(fake: FakeTelegram, bot: Bot) -> None:
    message = await bot.send_message(ALICE.id, "42")
    assert message.text == "42"
    assert fake.calls_to("sendMessage")[0].params["text"] == "42"


# ----------------------------------------------------------------------------- updates


async def test_a_long_poll_returns_promptly_when_an_update_arrives(
    fake: FakeTelegram, bot: Bot
) -> None:
    started = time.monotonic()
    poll = asyncio.create_task(bot.get_updates(timeout=10))
    assert await asyncio.to_thread(fake.wait_for, lambda: bool(fake.calls_to("getUpdates")))
    update = fake.user_sends(ALICE, "/start@thidua_test_bot abc")
    [received] = await poll
    assert time.monotonic() - started < 5
    assert received.update_id == update["update_id"]
    assert received.message is not None
    assert received.message.text == "/start@thidua_test_bot abc"
    assert received.message.entities[0].length == len("/start@thidua_test_bot")


async def test_get_updates_confirms_with_offset(fake: FakeTelegram, bot: Bot) -> None:
    first = fake.user_sends(ALICE, "một")
    second = fake.user_sends(ALICE, "hai")
    assert second["update_id"] == first["update_id"] + 1
    assert [u.update_id for u in await bot.get_updates(limit=1)] == [first["update_id"]]
    updates = await bot.get_updates(offset=first["update_id"] + 1)
    assert [u.update_id for u in updates] == [second["update_id"]]
    assert await bot.get_updates(offset=second["update_id"] + 1) == ()


def test_stop_ends_a_pending_long_poll() -> None:
    fake = FakeTelegram().start()
    answers: list[httpx.Response] = []

    def poll() -> None:
        with httpx.Client(timeout=30) as client:
            url = f"{fake.base_url}{fake.token}/getUpdates"
            answers.append(client.post(url, json={"timeout": 30}))

    poller = threading.Thread(target=poll)
    poller.start()
    assert fake.wait_for(lambda: bool(fake.calls_to("getUpdates")))
    started = time.monotonic()
    fake.stop()
    poller.join(10)
    assert time.monotonic() - started < 5
    assert answers[0].json() == {"ok": True, "result": []}


async def test_wait_for_messages_times_out_with_a_dump(fake: FakeTelegram, bot: Bot) -> None:
    fake.block_chat(ALICE.id)
    with pytest.raises(Forbidden):
        await bot.send_message(ALICE.id, "bị chặn")
    with pytest.raises(TimeoutError) as caught:
        fake.wait_for_messages(ALICE.id, 1, timeout=0.05)
    assert "sendMessage" in str(caught.value)
    assert "bot was blocked by the user" in str(caught.value)


# ----------------------------------------------------------------------------- a real Application


async def test_an_application_answers_a_command_over_polling(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        assert update.effective_user is not None
        await update.effective_message.reply_text(f"Chào {update.effective_user.first_name}")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text(update.effective_message.text or "")

    app = application(fake)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    async with polling(app):
        fake.user_sends(ALICE, "/start")
        fake.user_sends(ALICE, "báo cáo quý")
        replies = await asyncio.to_thread(fake.wait_for_messages, ALICE.id, 2)
    assert [m["text"] for m in replies] == ["Chào Lan", "báo cáo quý"]
    assert fake.calls_to("deleteWebhook")


async def test_a_command_in_a_group_names_the_bot(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await context.bot.send_message(update.effective_chat.id, "nhóm")

    app = application(fake)
    app.add_handler(CommandHandler("start", start))
    async with polling(app):
        fake.user_sends(ALICE, "/start@other_bot", chat=GROUP)
        fake.user_sends(ALICE, f"/start@{fake.bot_username}", chat=GROUP)
        [reply] = await asyncio.to_thread(fake.wait_for_messages, GROUP.id, 1)
    assert reply["chat"]["title"] == GROUP.title


async def test_a_button_press_reaches_the_callback_handler(fake: FakeTelegram) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("Xác nhận?", reply_markup=KEYBOARD)

    async def pressed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer("Đã ghi nhận")
        await query.edit_message_text(f"Anh/chị chọn: {query.data}")

    app = application(fake)
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(pressed))
    async with polling(app):
        fake.user_sends(ALICE, "/start")
        [question] = await asyncio.to_thread(fake.wait_for_messages, ALICE.id, 1)
        fake.user_presses(ALICE, question, "yes")
        edited = await asyncio.to_thread(
            fake.wait_for, lambda: fake.sent_messages(ALICE.id)[0]["text"] == "Anh/chị chọn: yes"
        )
    assert edited
    [answer] = fake.calls_to("answerCallbackQuery")
    assert answer.params["text"] == "Đã ghi nhận"
    assert answer.status == 200


async def test_the_bot_can_download_a_document_a_user_sent(fake: FakeTelegram) -> None:
    received: list[bytes] = []

    async def document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        doc = update.effective_message.document
        assert doc is not None
        data = await (await context.bot.get_file(doc.file_id)).download_as_bytearray()
        received.append(bytes(data))
        await update.effective_message.reply_text(hashlib.sha256(data).hexdigest())

    content = b"PK\x03\x04" + bytes(range(256)) * 100
    app = application(fake)
    app.add_handler(MessageHandler(filters.Document.ALL, document))
    async with polling(app):
        fake.user_sends_document(
            ALICE,
            file_name="số liệu.xlsx",
            mime_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            file_size=len(content),
            content=content,
        )
        [reply] = await asyncio.to_thread(fake.wait_for_messages, ALICE.id, 1)
    assert received == [content]
    assert reply["text"] == hashlib.sha256(content).hexdigest()


async def test_a_too_big_document_cannot_be_fetched(fake: FakeTelegram, bot: Bot) -> None:
    update = fake.user_sends_document(
        ALICE, file_name="lớn.pdf", mime_type="application/pdf", file_size=30 * 1024 * 1024
    )
    with pytest.raises(BadRequest, match=r"(?i)file is too big"):
        await bot.get_file(update["message"]["document"]["file_id"])


# ----------------------------------------------------------------------------- flood limits


async def test_quick_sends_to_one_private_chat_break_the_limit() -> None:
    clock = Clock()
    with FakeTelegram(clock=clock) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            await bot.send_message(ALICE.id, "một")
            clock.now = 0.5
            await bot.send_message(ALICE.id, "hai")
    assert fake.limit_violations == 1
    [violation] = fake.limit_violation_details
    assert (violation.chat_id, violation.rules) == (ALICE.id, ("private",))


async def test_spaced_sends_break_no_limit() -> None:
    clock = Clock()
    with FakeTelegram(clock=clock) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for at in (0.0, 1.0, 2.5):
                clock.now = at
                await bot.send_message(ALICE.id, "nhắc")
    assert fake.limit_violations == 0
    assert fake.send_times(ALICE.id) == [0.0, 1.0, 2.5]


async def test_limits_scale_shortens_the_windows() -> None:
    clock = Clock()
    with FakeTelegram(clock=clock, limits_scale=10) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for at in (0.0, 0.1, 0.15):
                clock.now = at
                await bot.send_message(ALICE.id, "nhanh")
    assert [v.at for v in fake.limit_violation_details] == [0.15]


async def test_group_and_global_limits() -> None:
    clock = Clock()
    with FakeTelegram(clock=clock) as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            for number in range(21):
                clock.now = number * 2.0
                await bot.send_message(GROUP.id, f"tin {number}")
            clock.now = 100.0
            for user_id in range(1, 32):
                await bot.send_message(user_id, "cùng lúc")
    assert [v.rules for v in fake.limit_violation_details] == [("group",), ("global",)]


# ----------------------------------------------------------------------------- webhooks


class _Receiver(BaseHTTPRequestHandler):
    """Records webhook posts."""

    received: ClassVar[list[tuple[str | None, dict[str, Any]]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["X-Telegram-Bot-Api-Secret-Token"], json.loads(body)))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet."""


async def test_a_webhook_receives_updates_with_the_secret(fake: FakeTelegram, bot: Bot) -> None:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=receiver.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
        await bot.set_webhook(url, secret_token="s3cret")
        assert (await bot.get_webhook_info()).url == url
        with pytest.raises(Conflict):
            await bot.get_updates()
        update = fake.user_sends(ALICE, "/start")
        status = await asyncio.to_thread(fake.deliver_webhook, update)
        assert status == 200
        assert _Receiver.received == [("s3cret", update)]
        await bot.delete_webhook(drop_pending_updates=True)
        assert fake.webhook == {}
        assert await bot.get_updates() == ()
    finally:
        receiver.shutdown()
        receiver.server_close()
        thread.join()
