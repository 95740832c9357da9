"""Merged and renamed units in the set-up file: what reads, and what is refused by name."""

from __future__ import annotations

import pytest

from bot.setup import SetupError, read_setup

CLUSTER = """
clusters:
  - code: cum-moi
    name: Cụm thi đua số 9
    units:
{units}
"""


def _file(*units: str) -> str:
    return CLUSTER.format(units="\n".join(f"      - {unit}" for unit in units))


def _problems(text: str) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(text)
    return [str(problem) for problem in caught.value.problems]


def test_a_merge_of_two_and_a_rename_read_with_their_lineage() -> None:
    setup = read_setup(
        _file(
            "{code: xa-moi, name: Xã Mới, merged_from: [xa-cu-1, xa-cu-2]}",
            "{code: phuong-a, name: Phường A, renamed_from: thi-tran-a}",
        )
    )
    merged, renamed = setup.clusters[0].units
    assert merged.merged_from == ("xa-cu-1", "xa-cu-2") and merged.renamed_from is None
    assert renamed.renamed_from == "thi-tran-a" and renamed.merged_from == ()


def test_a_cycle_of_merges_and_renames_is_refused_naming_the_units() -> None:
    problems = _problems(
        _file(
            "{code: xa-a, name: Xã A, renamed_from: xa-b}",
            "{code: xa-b, name: Xã B, merged_from: [xa-a, xa-c]}",
        )
    )
    assert any(
        p.startswith("clusters[0].units[0]")
        and "«xa-a» nằm trong một vòng" in p
        and "xa-a → xa-b → xa-a" in p
        for p in problems
    ), problems


def test_a_unit_both_merged_and_kept_is_refused_naming_both() -> None:
    problems = _problems(
        _file(
            "{code: xa-moi, name: Xã Mới, merged_from: [xa-cu-1, xa-cu-2]}",
            "{code: xa-cu-1, name: Xã Cũ Một}",
        )
    )
    assert problems == [
        "clusters[0].units[0]: «xa-cu-1» đã gộp vào (hoặc đổi tên thành) «xa-moi» nhưng vẫn có "
        "trong danh sách đơn vị của cụm; bỏ «xa-cu-1» khỏi danh sách."
    ]


def test_an_old_unit_merged_into_two_new_ones_is_refused() -> None:
    problems = _problems(
        _file(
            "{code: xa-moi, name: Xã Mới, merged_from: [xa-cu-1, xa-cu-2]}",
            "{code: phuong-b, name: Phường B, renamed_from: xa-cu-2}",
        )
    )
    assert problems == [
        "clusters[0].units[1]: «xa-cu-2» đã gộp vào (hoặc đổi tên thành) «xa-moi»; một đơn vị cũ "
        "chỉ đi vào một đơn vị mới."
    ]
