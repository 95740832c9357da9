"""A merged commune's questions show its predecessors' last values, summed where they add up."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.engine import Engine

from bot.fake_telegram import FakeUser
from tests.support.harness import Harness
from tests.support.lineage import YEAR_2025, YEAR_2026, import_file, submitted

OFFICER = FakeUser(id=1101, first_name="Hà", language_code="vi")


@pytest.fixture
async def bot(engine: Engine) -> AsyncIterator[Harness]:
    import_file(engine, YEAR_2025)
    for code, values in (
        ("xa-cu-1", {"thu": "10.5", "ty-le": "3.2", "tcd": "3/5", "dat": "true"}),
        ("xa-cu-2", {"thu": "20", "ty-le": "4", "tcd": "4/6", "dat": "false"}),
    ):
        submitted(engine, code, "2025-cn", values)
    import_file(engine, YEAR_2026)
    async with Harness(engine) as harness:
        yield harness


async def test_a_merged_unit_sees_its_predecessors_last_values_combined(bot: Harness) -> None:
    await bot.join(OFFICER, "xa-moi")
    first = (await bot.send(OFFICER, "/submit"))[-1]["text"]
    second = (await bot.send(OFFICER, "30"))[-1]["text"]
    third = (await bot.send(OFFICER, "3,5"))[-1]["text"]
    fourth = (await bot.send(OFFICER, "7/11"))[-1]["text"]
    assert "Kỳ trước (cộng của Xã Cũ Một, Xã Cũ Hai): 30,5" in first
    assert "Câu 2/4" in second and "Kỳ trước" not in second
    assert "không cộng dồn" in second and "Xã Cũ Một, Xã Cũ Hai" in second
    assert "Kỳ trước (cộng của Xã Cũ Một, Xã Cũ Hai): 7/11" in third
    assert "Câu 4/4" in fourth and "không cộng dồn" in fourth


async def test_a_figure_far_from_the_predecessors_sum_is_confirmed(bot: Harness) -> None:
    await bot.join(OFFICER, "xa-moi")
    await bot.send(OFFICER, "/submit")
    reply = (await bot.send(OFFICER, "3000"))[-1]["text"]
    assert "Câu 2/4" not in reply and "30,5" in reply
