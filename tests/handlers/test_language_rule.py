"""The one language rule (bot/domain/i18n.py): a person's choice, else THIDUA_LOCALE; a group in
its cluster's language whoever asked; unknown commands in the person's language."""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.domain.i18n import first_language, group_locale, person_locale
from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.models import Cluster
from tests.support.desk import CHAIR, FOCAL, GROUP, desk_bot, last
from tests.support.harness import Harness

ENGLISH_APP_CHAIR = replace(CHAIR, language_code="en")
ENGLISH_APP_FOCAL = replace(FOCAL, language_code="en")


def test_the_rule_in_one_place() -> None:
    assert person_locale(None, "vi") == "vi" and person_locale(None, "en") == "en"
    assert person_locale("en", "vi") == "en" and person_locale("vi", "en") == "vi"
    assert group_locale(None) == "vi" and group_locale("en") == "en"
    assert first_language("en-GB", from_telegram=False) is None
    assert first_language("en-GB", from_telegram=True) == "en"
    assert first_language("fr", from_telegram=True) is None


async def choose(bot: Harness, user: FakeUser, label: str) -> None:
    menu = last(await bot.send(user, "/lang"))
    await bot.press(user, menu, label)


async def test_a_vietnamese_choice_on_an_english_app_gets_vietnamese_everywhere(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await choose(bot, ENGLISH_APP_FOCAL, "Tiếng Việt")
        reply = last(await bot.send(ENGLISH_APP_FOCAL, "/nosuchcommand"))
        assert reply["text"].startswith("Bot không có lệnh này")
        reply = last(await bot.send(ENGLISH_APP_FOCAL, "/status"))
        assert reply["text"].isascii() is False


async def test_an_english_choice_gets_english_for_unknown_commands(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await choose(bot, FOCAL, "English")
        reply = last(await bot.send(FOCAL, "/nosuchcommand"))
        assert "command" in reply["text"] and "lệnh" not in reply["text"]


async def test_a_chair_who_chose_english_posts_vietnamese_into_the_group(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await choose(bot, CHAIR, "English")
        board = last(await bot.send(CHAIR, "/board", chat=GROUP))
        assert "đơn vị" in board["text"] and "units" not in board["text"]
        private = last(await bot.send(CHAIR, "/board"))
        assert "units" in private["text"]  # in private, their own choice


async def test_a_group_is_in_its_clusters_language(engine: Engine, example_yaml: str) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        with session_scope(engine) as session:
            cluster = session.exec(select(Cluster).where(Cluster.code == "kt-cum2")).one()
            cluster.language = "en"
        board = last(await bot.send(CHAIR, "/board", chat=GROUP))
        assert "units" in board["text"]


async def test_nobody_is_welcomed_in_their_apps_language_before_choosing(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = last(await bot.send(ENGLISH_APP_FOCAL, "/help"))
        assert reply["text"].startswith("Hướng dẫn")
    async with desk_bot(engine, example_yaml, THIDUA_LOCALE="en") as bot:
        reply = last(await bot.send(FOCAL, "/nosuchcommand"))
        assert "command" in reply["text"]


def _set_up_words(example_yaml: str) -> list[str]:
    """The set-up's own names (units, indicators, periods, options): data, not messages."""
    import yaml

    tree = yaml.safe_load(example_yaml)
    words: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("name", "unit", "options", "title", "place", "letterhead"):
                    words.extend([value] if isinstance(value, str) else map(str, value or []))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(tree)
    return sorted(words, key=len, reverse=True)


async def test_an_english_conversation_has_no_vietnamese_words_but_the_set_ups_names(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await choose(bot, FOCAL, "English")
        said = []
        for text in ("/help", "/status", "/submit", "450", "/cancel", "/profile", "/nosuch"):
            said += [message["text"] for message in await bot.send(FOCAL, text)]
    prose = "\n".join(said)
    for name in [*_set_up_words(example_yaml), "Nguyễn Lan"]:  # data: the set-up's, the person's
        prose = prose.replace(name, " ")
    vietnamese = [
        line for line in prose.splitlines() if any(ord(c) > 0x2FF and c.isalpha() for c in line)
    ]
    assert vietnamese == [], "\n".join(vietnamese)
