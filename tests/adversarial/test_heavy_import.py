"""An admin's set-up file being read does not hold up an officer's step."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from sqlalchemy.engine import Engine

from bot.setup import read_setup
from tests.support.desk import ADMIN, FOCAL, desk_bot

YAML = "application/x-yaml"
# Only a safety net so that a regression fails instead of hanging; nothing here is timed.
NET_SECONDS = 20


async def test_an_officer_is_answered_while_an_admins_set_up_file_is_being_read(
    engine: Engine, example_yaml: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    reading, release = threading.Event(), threading.Event()

    def slow_read(*args: Any, **kwargs: Any) -> Any:
        reading.set()
        release.wait(NET_SECONDS)  # the parse lasts until the officer has been answered
        return read_setup(*args, **kwargs)

    monkeypatch.setattr("bot.desk.imports.read_setup", slow_read)
    changed = example_yaml.replace("Xã Sa Thầy", "Xã Sa Bình").encode()
    async with desk_bot(engine, example_yaml) as harness:
        upload = asyncio.ensure_future(
            harness.send_document(
                ADMIN, file_name="cum2.yaml", mime_type=YAML, file_size=len(changed),
                content=changed,
            )
        )  # fmt: skip
        assert await asyncio.to_thread(reading.wait, NET_SECONDS)
        answered = await harness.send(FOCAL, "/submit")
        release.set()
        previewed = await upload
        order = [sent_key(message) for message in harness.fake.sent_messages()]
        assert answered and previewed
        assert "Xem trước tệp cum2.yaml" in previewed[-1]["text"]
        assert order.index(sent_key(answered[-1])) < order.index(sent_key(previewed[-1]))


def sent_key(message: dict[str, Any]) -> tuple[int, int]:
    """A message's identity over all chats (message ids count per chat)."""
    return message["chat"]["id"], message["message_id"]
