"""Every command x every role x private or group chat, through the real application."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.engine import Engine

from tests.support.desk import (
    ADMIN,
    CHAIR,
    FOCAL,
    GROUP,
    OTHER_CHAIR,
    PEOPLE,
    desk_bot,
    last,
    submit_figures,
)

# /unbind last: it changes the group the other commands are tried in.
COMMANDS = (
    "clusters", "units", "periods", "members", "open", "lock", "unlock", "invite", "revoke",
    "remind", "export", "audit", "broadcast", "import", "template", "board", "summary",
    "return", "pledge", "scores", "rescore", "approve",
    "conference", "checkin", "attendance", "agenda", "next", "handover", "delegates",
    "vote", "closevote",
    "report", "minutes", "invitation",
    "bind", "unbind",
)  # fmt: skip
ADMIN_ONLY = {
    "clusters", "units", "periods", "members", "open", "lock", "unlock", "invite", "revoke",
    "audit", "broadcast", "import", "template", "approve",
}  # fmt: skip
GROUP_ONLY = {"bind", "unbind"}
CHAIRS = {"chair", "chair_of_another_cluster"}
# Each sees their own unit's scores and the invitations their unit got.
FOCAL_POINTS = {"focal", "focal_of_another_unit"}
# The conference's roll-call, agenda and next item, in its group: the chair of that cluster.
CONFERENCE_IN_GROUP = {"checkin", "agenda", "next", "handover"}
# The conference's votes, and the reminder to the units that have not voted, too.
VOTE_IN_GROUP = {"vote", "closevote", "remind"}


def allowed(command: str, role: str, chat: str) -> bool:
    """The design: admins run the cycle, chairs follow a cluster, anyone sees a group's board."""
    if chat == "group":
        if command in GROUP_ONLY:
            return role == "admin"
        if command in CONFERENCE_IN_GROUP | VOTE_IN_GROUP:
            return role in {"admin", "chair"}
        return command == "board"
    if command in GROUP_ONLY:
        return False
    if command in ADMIN_ONLY:
        return role == "admin"
    if command in {"scores", "invitation"} and role in FOCAL_POINTS:
        return True
    return role == "admin" or role in CHAIRS


@pytest.mark.parametrize("chat", ["private", "group"])
@pytest.mark.parametrize("role", list(PEOPLE))
async def test_every_command_is_allowed_or_refused_as_designed(
    engine: Engine, example_yaml: str, role: str, chat: str
) -> None:
    # Who may do what, not Telegram's limits: a group's 20 replies a minute would make each
    # group case sleep for most of a minute.
    async with desk_bot(engine, example_yaml, THIDUA_RATE_LIMITER="false") as bot:
        user = PEOPLE[role]
        outcome = {}
        for command in COMMANDS:
            replies = await bot.send(user, f"/{command}", chat=GROUP if chat == "group" else None)
            assert replies, f"/{command} got no answer"
            outcome[command] = not any((r.get("text") or "").startswith("⛔") for r in replies)
        assert outcome == {command: allowed(command, role, chat) for command in COMMANDS}


@pytest.mark.parametrize("role", list(PEOPLE))
async def test_help_lists_only_the_commands_the_caller_may_use(
    engine: Engine, example_yaml: str, role: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        text = last(await bot.send(PEOPLE[role], "/help"))["text"]
        listed = set(re.findall(r"^/(\w+) – ", text, flags=re.MULTILINE))
        expected = {c for c in COMMANDS if allowed(c, role, "private")}
        if role == "admin":
            expected |= GROUP_ONLY  # listed with a note that they are typed in the group
        assert listed & set(COMMANDS) == expected


async def test_help_in_a_group_lists_the_group_commands(engine: Engine, example_yaml: str) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        text = last(await bot.send(PEOPLE["stranger"], "/help", chat=GROUP))["text"]
        assert "/board" in text and "/bind" not in text
        text = last(await bot.send(PEOPLE["admin"], "/help", chat=GROUP))["text"]
        assert "/bind" in text and "/unbind" in text


@pytest.mark.parametrize(
    "typed",
    [
        "/board kt-cum2",
        "/summary 2026-h1",
        "/remind 2026-h1",
        "/export 2026-h1 xlsx",
        "/return 2026-h1 sa-thay Số liệu sai",
        "/pledge kt-cum2",
        "/scores 2026-h1 kt-cum2",
        "/rescore 2026-h1 kt-cum2 sa-thay to-chuc 5 Sai",
        "/conference kt-cum2 new",
        "/report 2026-h1 kt-cum2",
    ],
)
async def test_a_chair_cannot_reach_another_cluster(
    engine: Engine, example_yaml: str, typed: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        submit_figures(engine, "sa-thay", bot.now, {"thu-ngan-sach": "90"})
        reply = last(await bot.send(OTHER_CHAIR, typed))
        assert reply["text"].startswith("⛔") and "cụm trưởng hoặc cụm phó" in reply["text"]


async def test_the_chair_reaches_their_own_cluster_but_not_the_other(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        reply = last(await bot.send(CHAIR, "/board"))
        assert "Cụm thi đua số 2" in reply["text"] and "0/5" in reply["text"]
        reply = last(await bot.send(CHAIR, "/return 2026-h1-c3 dak-to Sai"))
        assert reply["text"].startswith("⛔")


async def test_command_menus_are_set_per_scope_and_for_each_admin_and_chair(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        await bot.app.post_init(bot.app)

        def names(scope: dict[str, object], language: str = "") -> list[str]:
            return [c["command"] for c in bot.fake.bot_commands(scope, language)]

        assert names({"type": "all_private_chats"}) == [
            "submit",
            "status",
            "cancel",
            "targets",
            "sign",
            "rsvp",
            "scores",
            "invitation",
            "lang",
            "profile",
            "help",
        ]
        assert names({"type": "all_group_chats"}) == ["board", "help"]
        admin = names({"type": "chat", "chat_id": ADMIN.id})
        assert {"open", "lock", "import", "template", "board", "return"} <= set(admin)
        assert "bind" not in admin  # typed in a group, where it is not in a private menu
        assert {"scores", "rescore", "approve"} <= set(admin)
        chair = names({"type": "chat", "chat_id": CHAIR.id})
        assert {"board", "summary", "return", "submit"} <= set(chair) and "open" not in chair
        assert {"scores", "rescore"} <= set(chair) and "approve" not in chair
        assert names({"type": "chat", "chat_id": FOCAL.id}) == []  # the private default applies
        # One language for everyone (THIDUA_LOCALE), whatever their Telegram app speaks.
        assert bot.fake.bot_commands({"type": "chat", "chat_id": ADMIN.id}, "en") == []


async def test_menus_follow_the_telegram_app_only_where_the_setting_says_so(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml, THIDUA_LOCALE_FROM_TELEGRAM="true") as bot:
        await bot.app.post_init(bot.app)
        english = bot.fake.bot_commands({"type": "chat", "chat_id": ADMIN.id}, "en")
        assert {"command": "open", "description": "Open a reporting period"} in english
        vietnamese = bot.fake.bot_commands({"type": "chat", "chat_id": ADMIN.id}, "")
        assert {"command": "open", "description": "Mở một kỳ báo cáo"} in vietnamese


async def test_an_english_default_gives_english_menus_but_vietnamese_groups(
    engine: Engine, example_yaml: str
) -> None:
    async with desk_bot(engine, example_yaml, THIDUA_LOCALE="en") as bot:
        await bot.app.post_init(bot.app)
        admin = bot.fake.bot_commands({"type": "chat", "chat_id": ADMIN.id}, "")
        assert {"command": "open", "description": "Open a reporting period"} in admin
        group = bot.fake.bot_commands({"type": "all_group_chats"}, "")
        assert all(not c["description"].isascii() for c in group)


@pytest.mark.parametrize("role", list(PEOPLE))
async def test_registering_and_signing_targets_are_for_the_units_people(
    engine: Engine, example_yaml: str, role: str
) -> None:
    async with desk_bot(engine, example_yaml) as bot:
        for command in ("targets", "sign"):
            reply = last(await bot.send(PEOPLE[role], f"/{command}"))
            refused = reply["text"].startswith("⛔") or "chưa thuộc đơn vị" in reply["text"]
            assert refused == (role in ("stranger", "admin")), command
            reply = last(await bot.send(PEOPLE[role], f"/{command}", chat=GROUP))
            text = reply["text"]
            assert text.startswith("⛔") or "trò chuyện riêng" in text, command
