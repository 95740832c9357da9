"""The cycle collector paused for an import, and given back as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.domain.collection import collector_paused


@pytest.fixture(autouse=True)
def collector_back() -> Iterator[None]:
    yield
    gc.enable()


def test_the_collector_is_paused_inside_and_running_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_import_inside_another_leaves_the_collector_paused_until_the_outer_ends() -> None:
    with collector_paused():
        with collector_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_paused_before_stays_paused_and_a_failure_gives_it_back() -> None:
    gc.disable()
    with collector_paused():
        pass
    assert not gc.isenabled()
    gc.enable()
    with pytest.raises(ValueError), collector_paused():
        raise ValueError
    assert gc.isenabled()
