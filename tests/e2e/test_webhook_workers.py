"""Two `thidua run --webhook` workers on one PostgreSQL: one officer's updates, posted to both
in turn a few tens of milliseconds apart (a phone reconnecting after a dead zone), are applied
once each, in order; the same update posted to both at once is answered once."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.fake_telegram import FakeTelegram, FakeUser
from tests.support.bot_process import bot_env, example_tree, open_now, write_setup
from tests.support.workers import (
    ANSWERS,
    Worker,
    answers_by_unit,
    join_by_invite,
    officer_of,
    units_of,
)

pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)

OFFICERS = 10


def ten_units_file(tmp_path: Path) -> Path:
    """The example with ten units (one officer each: a draft is the unit's), its period open."""
    tree = open_now(example_tree())
    units = tree["clusters"][0]["units"]
    # Without targets no answer is far from its target: none asks back, each takes one message.
    del tree["pledges"][0]["targets"]
    units += [{"code": f"xa-{n:02}", "name": f"Xã thử {n}"} for n in range(OFFICERS - len(units))]
    return write_setup(tmp_path, tree)


@contextmanager
def two_workers(
    tmp_path: Path, database_url: str
) -> Iterator[tuple[FakeTelegram, list[Worker], dict[int, str]]]:
    """The fake Bot API, two workers on the database, and each officer's unit, joined."""
    with FakeTelegram() as fake, ExitStack() as stack:
        env = bot_env(fake, database_url)
        runner = CliRunner()
        setup = ten_units_file(tmp_path)
        imported = runner.invoke(main, ["import", str(setup)], env=env)
        assert imported.exit_code == 0, imported.output
        units = units_of(setup)
        workers = []
        for n in range(2):
            worker = Worker(env, tmp_path / f"worker{n}.log")
            stack.callback(worker.stop)
            workers.append(worker)
        for worker in workers:
            worker.ready()
        unit_of = join_by_invite(fake, env, workers, units)
        yield fake, workers, unit_of


def burst(
    fake: FakeTelegram,
    workers: list[Worker],
    officer: FakeUser,
    words: list[str],
    statuses: list[int],
) -> None:
    """Post the officer's messages to the workers in turn, 30 to 50 ms apart, not waiting for
    the answers; return once every post has been answered (its status in `statuses`)."""
    posts = []
    for n, said in enumerate(words):
        update = fake.user_sends(officer, said)
        post = threading.Thread(
            target=lambda u=update, w=workers[n % 2]: statuses.append(w.post(u))
        )
        post.start()
        posts.append(post)
        time.sleep(random.uniform(0.03, 0.05))
    for post in posts:
        post.join(timeout=120)


def test_one_officers_burst_across_two_workers_is_applied_once_and_in_order(
    tmp_path: Path, database_url: str
) -> None:
    with two_workers(tmp_path, database_url) as (fake, workers, unit_of):
        wait_for_greetings(fake, unit_of)
        words = ["/submit"] + [said for _, said, _ in ANSWERS]
        statuses: list[int] = []
        officers = [
            threading.Thread(target=burst, args=(fake, workers, who, words, statuses))
            for who in [officer_of(user_id) for user_id in unit_of]
        ]
        for officer in officers:
            officer.start()
        for officer in officers:
            officer.join(timeout=300)
        logs = [worker.log_text() for worker in workers]

    assert statuses == [200] * len(words) * len(unit_of)
    # Every answer once, against its own question; none lost, none doubled.
    expected = [(indicator, value) for indicator, _, value in ANSWERS]
    assert answers_by_unit(database_url) == {unit: expected for unit in unit_of.values()}
    for user_id in unit_of:  # the greeting and the name question, then one reply per message
        assert len(fake.sent_messages(user_id)) == 2 + 1 + len(ANSWERS), user_id
    assert not any("update failed" in log for log in logs)


def test_the_same_update_posted_to_both_workers_at_once_is_answered_once(
    tmp_path: Path, database_url: str
) -> None:
    with two_workers(tmp_path, database_url) as (fake, workers, unit_of):
        wait_for_greetings(fake, unit_of)
        posts = []
        statuses: list[int] = []
        for user_id in unit_of:
            officer = officer_of(user_id)
            for said in ("/submit", "450"):
                update = fake.user_sends(officer, said)
                for worker in workers:
                    post = threading.Thread(
                        target=lambda u=update, w=worker: statuses.append(w.post(u))
                    )
                    post.start()
                    posts.append(post)
                time.sleep(0.3)  # the second message after the first's answer
        for post in posts:
            post.join(timeout=120)
        logs = [worker.log_text() for worker in workers]

    assert statuses == [200] * len(posts)
    for user_id in unit_of:
        replies = [message["text"] for message in fake.sent_messages(user_id)[2:]]
        assert len(replies) == 2, replies
        assert "Câu 1/11" in replies[0] and "Câu 2/11" in replies[1]
    stored = answers_by_unit(database_url)
    assert stored == {unit: [("thu-ngan-sach", "450")] for unit in unit_of.values()}
    assert not any("update failed" in log for log in logs)


def wait_for_greetings(fake: FakeTelegram, unit_of: dict[int, str]) -> None:
    for user_id in unit_of:
        fake.wait_for_messages(user_id, 2, timeout=60)  # the greeting, the name question
