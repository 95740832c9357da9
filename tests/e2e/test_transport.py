"""Both HTTP clients under python-telegram-bot, against the HTTP fake Bot API."""

from __future__ import annotations

import socket
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from pydantic import ValidationError
from telegram import Bot, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.edge.transport import AiohttpRequest, HttpClient, make_request
from bot.fake_telegram import FakeTelegram, FakeUser
from bot.settings import Settings

USER = FakeUser(id=4242, first_name="Lan")


@pytest.fixture
def fake() -> Iterator[FakeTelegram]:
    with FakeTelegram() as server:
        yield server


@pytest.fixture(params=["aiohttp", "httpx"])
def client(request: pytest.FixtureRequest) -> HttpClient:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
async def bot(fake: FakeTelegram, client: HttpClient) -> AsyncIterator[Bot]:
    request = make_request(client, pool_size=4, read_timeout=0.5)
    async with Bot(fake.token, base_url=fake.base_url, request=request) as telegram:
        yield telegram


async def test_messages_go_out_with_their_text_and_buttons(bot: Bot, fake: FakeTelegram) -> None:
    sent = await bot.send_message(USER.id, "Câu 1/11: Tổng thu ngân sách (tỷ đồng)?")
    assert bot.username == fake.bot_user["username"]
    assert sent.text == "Câu 1/11: Tổng thu ngân sách (tỷ đồng)?"
    assert [m["text"] for m in fake.sent_messages(USER.id)] == [sent.text]


async def test_a_file_goes_out_as_multipart_with_its_name_and_bytes(
    bot: Bot, fake: FakeTelegram
) -> None:
    content = "Tổng hợp cụm thi đua số 2\n".encode() * 1000
    await bot.send_document(
        USER.id, InputFile(content, filename="tong-hop.xlsx"), caption="Tổng hợp 6 tháng"
    )
    assert fake.uploaded_files(USER.id) == [("tong-hop.xlsx", content)]
    assert fake.sent_messages(USER.id)[-1]["caption"] == "Tổng hợp 6 tháng"


async def test_telegram_errors_come_back_as_ptb_errors(bot: Bot, fake: FakeTelegram) -> None:
    fake.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
    with pytest.raises(BadRequest, match=r"[Cc]hat not found"):
        await bot.send_message(USER.id, "xin chào")
    fake.fail_next("sendMessage", status=429, description="Too Many Requests", retry_after=3)
    with pytest.raises(RetryAfter) as raised:
        await bot.send_message(USER.id, "xin chào")
    assert raised.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]


async def test_a_stalled_answer_times_out_and_the_next_call_works(
    bot: Bot, fake: FakeTelegram
) -> None:
    fake.stall_next("sendMessage", seconds=2.0)
    started = time.monotonic()
    with pytest.raises(TimedOut):
        await bot.send_message(USER.id, "chậm")
    assert time.monotonic() - started < 1.9  # the read timeout (0.5 s) ended it, not the fake
    await bot.send_message(USER.id, "nhanh")
    assert fake.sent_messages(USER.id)[-1]["text"] == "nhanh"


async def test_no_server_is_a_network_error_that_does_not_show_the_token(
    client: HttpClient,
) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    token = "123456:SECRET-token_value"
    request = make_request(client, pool_size=1, read_timeout=0.5)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as raised:
            await request.post(f"http://127.0.0.1:{port}/bot{token}/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(raised.value, TimedOut)
    assert "SECRET" not in str(raised.value)


async def test_a_request_used_before_it_is_initialized_says_so() -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request("http://127.0.0.1:1/botX/getMe", "POST")


def test_the_setting_chooses_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().http_client == "aiohttp"
    assert isinstance(make_request(Settings().http_client, pool_size=1), AiohttpRequest)
    monkeypatch.setenv("THIDUA_HTTP_CLIENT", "httpx")
    assert isinstance(make_request(Settings().http_client, pool_size=1), HTTPXRequest)
    monkeypatch.setenv("THIDUA_HTTP_CLIENT", "curl")
    with pytest.raises(ValidationError):
        Settings()


def test_proxies_come_from_the_environment_once_per_host(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.so-tttt.gov.vn:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    request = AiohttpRequest()
    telegram = "https://api.telegram.org/bot123:ABC/sendMessage"
    assert request._proxy(telegram) == "http://proxy.so-tttt.gov.vn:3128"
    assert request._proxy("http://127.0.0.1:8081/bot123:ABC/getMe") is None
    monkeypatch.delenv("HTTPS_PROXY")
    assert request._proxy(telegram) == "http://proxy.so-tttt.gov.vn:3128"  # read once, kept
