"""Set-ups unlike the examples (tests/setup/unseen/*.yaml), driven through the real paths."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy.engine import Engine

from bot.cli import main
from bot.fake_telegram import FakeUser
from tests.support.harness import Harness

__all__ = [
    "UNSEEN",
    "Step",
    "english_words",
    "submit_by_chat",
    "submitted",
    "thidua",
    "unseen_text",
    "word_files_only",
]

UNSEEN = Path(__file__).parents[1] / "setup" / "unseen"
# What a Vietnamese reader should never meet: program words, or English left in a text.
_ENGLISH = re.compile(
    r"\b(?:None|null|True|False|nan|Traceback|Error|error|score|scores|rank|unit|units|period|"
    r"cluster|target|total|the|and|of|submitted|missing|yes|no)\b"
)

# A step of a submission: typed text, «!label» for a button, «FILE name» for a document.
Step = str


def unseen_text(name: str) -> str:
    """The text of one of the unseen set-up files."""
    return (UNSEEN / name).read_text(encoding="utf-8")


def thidua(engine: Engine, *args: str) -> Result:
    """The `thidua` command line on the engine's database, in Vietnamese."""
    env = {
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "TELEGRAM_BOT_TOKEN": "",
        "THIDUA_LOCALE": "vi",
    }
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def english_words(text: str) -> list[str]:
    """The English or program words found in a text meant for Vietnamese readers."""
    return _ENGLISH.findall(text)


async def submit_by_chat(
    bot: Harness, user: FakeUser, unit: str, steps: list[Step]
) -> list[dict[str, Any]]:
    """Join `unit`, answer every question with `steps`, confirm; every message the bot sent."""
    seen = list(await bot.join(user, unit))
    reply = await bot.send(user, "/submit")
    seen += reply
    for step in [*steps, "!Xác nhận nộp"]:
        message = reply[-1]
        if step.startswith("!"):
            reply = await bot.press(user, message, step[1:])
        elif step.startswith("FILE "):
            reply = await bot.send_document(
                user,
                file_name=step[5:],
                mime_type="application/pdf",
                file_size=48_213,
                content=b"%PDF-1.4",
            )
        else:
            reply = await bot.send(user, step)
        assert reply, f"no answer to {step!r} after {message.get('text')!r}"
        seen += reply
    return seen


@asynccontextmanager
async def submitted(
    engine: Engine,
    setup: str,
    answers: Mapping[str, list[Step]],
    people: Mapping[str, FakeUser],
    caplog: pytest.LogCaptureFixture,
) -> AsyncIterator[Harness]:
    """`setup` imported by `thidua import`, each unit's answers submitted in the chat; on leaving,
    nothing was logged as an error (a caught crash still logs its traceback)."""
    result = thidua(engine, "import", setup)
    assert result.exit_code == 0, result.output
    async with Harness(engine) as bot:
        for unit, steps in answers.items():
            seen = await submit_by_chat(bot, people[unit], unit, steps)
            assert "✅ Đã nộp số liệu" in seen[-1]["text"], [m.get("text") for m in seen[-6:]]
        yield bot
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not errors, [r.getMessage() for r in errors]


def word_files_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No PDF from LibreOffice: it is tested elsewhere, and slow on a shared machine."""
    monkeypatch.setattr("bot.documents.pdf.soffice_path", lambda: None)
