"""The roles policy: who may use which command where, and how a refusal reads."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import select

from bot.domain.roles import COMMANDS, Caller, Chat, Role, commands_for, may, refusal
from bot.fake_telegram import FakeUser
from bot.storage import session_scope
from bot.storage.callers import caller_for
from bot.storage.models import Person
from bot.storage.people import grant_admin
from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    OTHER_CHAIR,
    STRANGER,
    VICE_CHAIR,
    desk_bot,
    last,
)

STRANGER_CALLER = Caller(telegram_id=1)
FOCAL_CALLER = Caller(telegram_id=2, units=frozenset({5}), year=2026)
CHAIR_CALLER = Caller(telegram_id=3, units=frozenset({1}), chairs=frozenset({(7, 2026)}), year=2026)
ADMIN_CALLER = Caller(telegram_id=4, is_admin=True, year=2026)


def test_roles_follow_from_admin_flag_units_and_chairs() -> None:
    assert STRANGER_CALLER.roles == {Role.ANYONE}
    assert FOCAL_CALLER.roles == {Role.ANYONE, Role.FOCAL}
    assert CHAIR_CALLER.roles == {Role.ANYONE, Role.FOCAL, Role.CHAIR}
    assert ADMIN_CALLER.roles == {Role.ANYONE, Role.ADMIN}


def test_a_chair_of_last_year_keeps_the_role_for_the_year_end_but_not_older() -> None:
    last_year = Caller(
        telegram_id=3, units=frozenset({1}), chairs=frozenset({(7, 2025)}), year=2026
    )
    long_ago = Caller(telegram_id=3, units=frozenset({1}), chairs=frozenset({(7, 2023)}), year=2026)
    assert Role.CHAIR in last_year.roles and last_year.leads(7, 2025)
    assert not last_year.leads(7, 2026)
    assert Role.CHAIR not in long_ago.roles


def test_next_years_chair_takes_the_chair_commands_on_the_first_of_january() -> None:
    december = Caller(telegram_id=3, units=frozenset({1}), chairs=frozenset({(7, 2027)}), year=2026)
    january = Caller(telegram_id=3, units=frozenset({1}), chairs=frozenset({(7, 2027)}), year=2027)
    assert Role.CHAIR not in december.roles and not may(december, "summary", Chat.PRIVATE)
    assert Role.CHAIR in january.roles and january.chaired_clusters() == {7}
    assert may(january, "handover", Chat.GROUP)


def test_a_chair_leads_only_their_cluster_and_year_and_an_admin_leads_all() -> None:
    assert CHAIR_CALLER.leads(7, 2026)
    assert not CHAIR_CALLER.leads(8, 2026)
    assert ADMIN_CALLER.leads(8, 2030)


@pytest.mark.parametrize(
    ("caller", "chat", "expected"),
    [
        (STRANGER_CALLER, Chat.PRIVATE, ["start", "lang", "profile", "help"]),
        (STRANGER_CALLER, Chat.GROUP, ["board", "help"]),
        (
            FOCAL_CALLER,
            Chat.PRIVATE,
            [
                *("submit", "status", "cancel", "targets", "sign", "rsvp", "scores"),
                *("invitation", "start", "lang", "profile", "help"),
            ],
        ),
        (
            CHAIR_CALLER,
            Chat.PRIVATE,
            [
                *("submit", "status", "cancel", "targets", "sign", "rsvp", "board", "summary"),
                *("remind", "export", "return", "pledge", "scores", "rescore", "vote"),
                *("closevote", "conference", "checkin", "attendance", "agenda", "next"),
                *("handover", "delegates", "report", "minutes", "invitation", "start"),
                *("lang", "profile", "help"),
            ],
        ),
        (
            ADMIN_CALLER,
            Chat.GROUP,
            [
                *("board", "remind", "vote", "closevote", "checkin", "agenda", "next"),
                *("handover", "bind", "unbind", "help"),
            ],
        ),
    ],
)
def test_each_caller_gets_only_the_commands_they_may_use(
    caller: Caller, chat: Chat, expected: list[str]
) -> None:
    assert commands_for(caller, chat) == expected


def test_an_admin_may_use_every_admin_command_in_private_but_bind_only_in_a_group() -> None:
    admin_only = [
        c for c, places in COMMANDS.items() if places.get(Chat.PRIVATE) == frozenset({Role.ADMIN})
    ]
    assert len(admin_only) == 14  # with /approve
    assert all(may(ADMIN_CALLER, command, Chat.PRIVATE) for command in admin_only)
    assert not any(may(CHAIR_CALLER, command, Chat.PRIVATE) for command in admin_only)
    assert not may(ADMIN_CALLER, "bind", Chat.PRIVATE) and may(ADMIN_CALLER, "bind", Chat.GROUP)


@pytest.mark.parametrize(
    ("caller", "command", "chat", "expected"),
    [
        (STRANGER_CALLER, "open", Chat.PRIVATE, "chỉ dành cho quản trị viên"),
        (FOCAL_CALLER, "return", Chat.PRIVATE, "cụm trưởng, cụm phó"),
        (STRANGER_CALLER, "submit", Chat.PRIVATE, "đường dẫn mời"),
        (ADMIN_CALLER, "open", Chat.GROUP, "trò chuyện riêng"),
        (ADMIN_CALLER, "bind", Chat.PRIVATE, "trong nhóm"),
        (STRANGER_CALLER, "bind", Chat.PRIVATE, "chỉ dành cho quản trị viên"),
        (STRANGER_CALLER, "open", Chat.GROUP, "chỉ dành cho quản trị viên"),
    ],
)
def test_a_refusal_says_where_the_command_works_or_who_may_use_it(
    caller: Caller, command: str, chat: Chat, expected: str
) -> None:
    text = refusal(caller, command, chat, "vi")
    assert text.startswith("⛔") and f"/{command}" in text and expected in text


def test_a_refusal_reads_in_english_too() -> None:
    assert "admin" in refusal(STRANGER_CALLER, "open", Chat.PRIVATE, "en").lower()


async def test_the_caller_is_read_from_the_database_and_the_admin_setting(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.send(STRANGER, "/start")
        await bot.send(ADMIN, "/start")
        with session_scope(engine) as session:
            people = {p.telegram_id: p for p in session.exec(select(Person))}
            admins = frozenset({ADMIN.id})

            def roles_of(telegram_id: int) -> frozenset[Role]:
                person = people[telegram_id]
                return caller_for(session, person=person, admins=admins, year=2026).roles

            assert Role.CHAIR in roles_of(CHAIR.id) and Role.CHAIR in roles_of(OTHER_CHAIR.id)
            assert Role.CHAIR in roles_of(VICE_CHAIR.id)  # the vice-chair stands in for the chair
            assert roles_of(FOCAL.id) == {Role.ANYONE, Role.FOCAL}
            assert Role.ADMIN in roles_of(ADMIN.id)
            assert roles_of(STRANGER.id) == {Role.ANYONE}
            chair = caller_for(session, person=people[CHAIR.id], admins=admins, year=2026)
            other = caller_for(session, person=people[OTHER_CHAIR.id], admins=admins, year=2026)
            assert chair.chaired_clusters() != other.chaired_clusters()


async def test_an_admin_added_on_the_command_line_may_use_admin_commands(
    engine: Engine, example_yaml: str
) -> None:
    board_member = FakeUser(id=7777, first_name="Thư ký")
    async with desk_bot(engine, example_yaml) as bot:
        assert last(await bot.send(board_member, "/periods"))["text"].startswith("⛔")
        with session_scope(engine) as session:
            grant_admin(session, telegram_id=board_member.id, actor="cli:admin-add")
        assert "2026-h1" in last(await bot.send(board_member, "/periods"))["text"]
