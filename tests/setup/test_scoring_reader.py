"""The scoring table under a pledge: read into the engine's table, every problem by its path."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import yaml

from bot.domain.scoring import BONUS, CHOICE, PENALTY, PEOPLE, PER, TARGET, YESNO, Group, Leaf
from bot.setup import SetupError, read_setup
from tests.support.scoring import LEAF_KEYS, SCORING, scoring_tree, scoring_yaml

D = Decimal


def _problems(text: str) -> list[str]:
    with pytest.raises(SetupError) as caught:
        read_setup(text)
    return [str(problem) for problem in caught.value.problems]


def _with_items(*items: dict[str, Any], maximum: int | None = None) -> str:
    """A table of one group `g` holding `items` (its max their sum unless given)."""
    group: dict[str, Any] = {"code": "g", "title": "Nhóm", "items": list(items)}
    base = sum(
        i["max"]
        for i in items
        if isinstance(i.get("max"), int) and not {"bonus", "penalty"} & set(i)
    )
    group["max"] = base if maximum is None else maximum
    return scoring_yaml({"criteria": [group]})


def _leaf_problems(item: dict[str, Any]) -> list[str]:
    return _problems(_with_items(item))


def test_the_example_table_reads_as_four_groups_and_twelve_leaves_with_their_rules() -> None:
    (pledge,) = read_setup(scoring_yaml()).pledges
    table = pledge.scoring
    assert table is not None
    assert [group.code for group in table.groups] == ["kt-xh", "xd-dang", "tdkt", "thuong-tru"]
    assert [leaf.key for leaf in table.leaves] == list(LEAF_KEYS)
    rules = {leaf.key: leaf.rule for leaf in table.leaves}
    assert (rules["thu-ngan-sach"], rules["giao-quan"], rules["cchc"]) == (TARGET, YESNO, CHOICE)
    assert (rules["sang-kien"], rules["khen-thuong"], rules["vi-pham"]) == (PER, BONUS, PENALTY)
    assert rules["to-chuc"] == PEOPLE
    assert [(g.name, g.threshold) for g in table.classes] == [
        ("Xuất sắc", D(90)),
        ("Tốt", D(80)),
        ("Khá", D(65)),
    ]
    assert table.base_max == D(100)


def test_a_leaf_takes_its_indicators_name_and_direction() -> None:
    (pledge,) = read_setup(scoring_yaml()).pledges
    assert pledge.scoring is not None
    school = pledge.scoring.leaf("hs-bo-hoc")
    assert school is not None
    assert (school.title, school.lower_is_better, school.max) == (
        "Tỷ lệ học sinh bỏ học",
        True,
        D(10),
    )
    grades = pledge.scoring.leaf("cchc")
    assert grades is not None and grades.points["Khá"] == D(7)
    ideas = pledge.scoring.leaf("sang-kien")
    assert ideas is not None and ideas.rate == D(2)


def test_a_group_of_bonuses_and_penalties_needs_no_maximum() -> None:
    (pledge,) = read_setup(scoring_yaml()).pledges
    assert pledge.scoring is not None
    extra = pledge.scoring.groups[-1]
    assert isinstance(extra, Group) and extra.max is None


def test_a_pledge_without_scoring_has_no_table(example_yaml: str) -> None:
    (pledge,) = read_setup(example_yaml).pledges
    assert pledge.scoring is None


def test_a_leaf_may_sit_at_the_top_without_a_group() -> None:
    text = scoring_yaml({"criteria": [{"indicator": "giao-quan", "max": 5}]})
    (pledge,) = read_setup(text).pledges
    assert pledge.scoring is not None
    assert pledge.scoring.criteria == (
        Leaf("giao-quan", "Hoàn thành 100% chỉ tiêu giao quân", D(5), YESNO, "giao-quan"),
    )


def test_a_groups_maximum_must_equal_the_sum_of_its_non_bonus_items() -> None:
    text = _with_items(
        {"indicator": "xa-ntm", "max": 10},
        {"indicator": "khen-thuong", "bonus": 5, "max": 10},
        maximum=20,
    )
    assert _problems(text) == [
        "pledges[0].scoring.criteria[0].max: điểm tối đa 20 khác tổng điểm tối đa các mục (10), "
        "không kể điểm thưởng và điểm trừ."
    ]


def test_a_group_with_base_items_needs_its_maximum() -> None:
    table = {
        "criteria": [{"code": "g", "title": "G", "items": [{"indicator": "xa-ntm", "max": 5}]}]
    }
    assert _problems(scoring_yaml(table)) == [
        "pledges[0].scoring.criteria[0].max: thiếu điểm tối đa của nhóm "
        "(tổng điểm tối đa các mục là 5)."
    ]


def test_nested_groups_count_their_maximum_in_the_parent() -> None:
    inner = {
        "code": "in",
        "title": "Trong",
        "max": 10,
        "items": [{"indicator": "xa-ntm", "max": 10}],
    }
    outer = {
        "code": "out",
        "title": "Ngoài",
        "max": 15,
        "items": [inner, {"indicator": "giao-quan", "max": 5}],
    }
    (pledge,) = read_setup(scoring_yaml({"criteria": [outer]})).pledges
    assert pledge.scoring is not None
    assert pledge.scoring.group_keys == {"out": ("xa-ntm", "giao-quan"), "in": ("xa-ntm",)}


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        (
            {"indicator": "khong-co", "max": 5},
            "items[0].indicator: không có chỉ tiêu «khong-co» trong giao ước.",
        ),
        (
            {"indicator": "xa-ntm", "max": 5, "points": {"Tốt": 5}},
            "items[0].points: points chỉ dùng cho chỉ tiêu loại choice.",
        ),
        (
            {"indicator": "cchc", "max": 5},
            "items[0]: chỉ tiêu loại choice cần points: điểm của từng lựa chọn.",
        ),
        (
            {"indicator": "cchc", "max": 5, "points": {"Tốt": 6}},
            "items[0].points.Tốt: điểm phải từ 0 đến 5.",
        ),
        (
            {"indicator": "cchc", "max": 5, "points": {"Giỏi": 5}},
            "items[0].points.Giỏi: không có lựa chọn «Giỏi».",
        ),
        (
            {"indicator": "noi-bat", "max": 5},
            "items[0].indicator: chỉ tiêu loại text không chấm điểm được.",
        ),
        (
            {"indicator": "thu-ngan-sach", "per": 2, "max": 5},
            "items[0].per: per chỉ dùng cho chỉ tiêu đếm số lần (kind: number, integer: true).",
        ),
        (
            {"indicator": "hs-bo-hoc", "penalty": 1, "max": 5},
            "items[0].penalty: penalty chỉ dùng cho chỉ tiêu đếm số lần "
            "(kind: number, integer: true).",
        ),
        (
            {"indicator": "sang-kien", "per": 2, "bonus": 1, "max": 5},
            "items[0]: chỉ dùng một trong points, per, bonus, penalty.",
        ),
        ({"indicator": "xa-ntm"}, "items[0].max: thiếu giá trị."),
        ({"indicator": "xa-ntm", "max": 0}, "items[0].max: cần một số lớn hơn 0."),
        ({"indicator": "xa-ntm", "max": "mười"}, "items[0].max: cần một số."),
        ({"code": "tu-cham", "max": 5}, "items[0].title: thiếu giá trị."),
        (
            {"code": "tu-cham", "title": "Tự chấm", "max": 5, "per": 1},
            "items[0].per: tiêu chí do người chấm (không có indicator) không dùng per.",
        ),
        (
            {"code": "tự chấm", "title": "Tự chấm", "max": 5},
            "items[0].code: mã «tự chấm» chỉ được gồm chữ không dấu, số, '-', '_' hoặc '.'.",
        ),
    ],
)
def test_a_leaf_that_does_not_suit_its_indicator_is_reported_at_its_path(
    item: dict[str, Any], problem: str
) -> None:
    assert f"pledges[0].scoring.criteria[0].{problem}" in _leaf_problems(item)


def test_the_same_leaf_key_twice_is_reported_where_it_repeats() -> None:
    text = _with_items(
        {"indicator": "xa-ntm", "max": 5},
        {"indicator": "xa-ntm", "max": 5},
        {"code": "xa-ntm", "title": "Trùng", "max": 5},
    )
    assert _problems(text) == [
        "pledges[0].scoring.criteria[0].items[1].indicator: «xa-ntm» bị trùng.",
        "pledges[0].scoring.criteria[0].items[2].code: «xa-ntm» bị trùng.",
    ]


def test_a_leaf_with_its_own_code_may_score_an_indicator_twice() -> None:
    text = _with_items(
        {"indicator": "sang-kien", "per": 2, "max": 10},
        {"code": "sang-kien-thuong", "indicator": "sang-kien", "bonus": 1, "max": 5},
    )
    (pledge,) = read_setup(text).pledges
    assert pledge.scoring is not None
    assert [leaf.key for leaf in pledge.scoring.leaves] == ["sang-kien", "sang-kien-thuong"]


@pytest.mark.parametrize(
    ("scoring", "problem"),
    [
        ({"criteria": []}, "pledges[0].scoring.criteria: cần một danh sách tiêu chí, ít nhất một."),
        ([1, 2], "pledges[0].scoring: cần một bảng khóa: giá trị."),
        (
            {"criteria": yaml.safe_load(SCORING)["criteria"], "classes": [90, 80]},
            "pledges[0].scoring.classes: cần một bảng: tên xếp loại → tổng điểm tối thiểu.",
        ),
        (
            {"criteria": yaml.safe_load(SCORING)["criteria"], "classes": {"Tốt": -1}},
            "pledges[0].scoring.classes.Tốt: cần một số từ 0 trở lên.",
        ),
    ],
)
def test_a_malformed_table_is_reported_at_its_path(scoring: Any, problem: str) -> None:
    assert _problems(scoring_yaml(scoring)) == [problem]


def test_every_problem_of_the_table_is_listed_at_once() -> None:
    text = _with_items(
        {"indicator": "khong-co", "max": 5},
        {"indicator": "cchc", "max": 5},
        {"code": "x", "max": 5},
    )
    assert len(_problems(text)) == 3


def test_an_unknown_key_in_the_table_is_a_warning() -> None:
    text = _with_items({"indicator": "xa-ntm", "max": 5, "weight": 2})
    setup = read_setup(text)
    assert [str(w) for w in setup.warnings] == [
        "pledges[0].scoring.criteria[0].items[0].weight: khóa không dùng đến, bỏ qua."
    ]


# -- indicators_from ----------------------------------------------------------------------------


def _next_year(**extra: Any) -> str:
    tree = scoring_tree()
    tree["pledges"].append({"cluster": "kt-cum2", "year": 2027, "indicators_from": 2026, **extra})
    return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)


def test_indicators_from_reuses_the_indicators_and_scoring_table_of_that_years_pledge() -> None:
    this_year, next_year = read_setup(_next_year()).pledges
    assert next_year.year == 2027 and next_year.indicators_from == 2026
    assert next_year.indicators == this_year.indicators
    assert next_year.scoring == this_year.scoring
    assert next_year.targets == {}


def test_indicators_from_takes_targets_against_the_reused_indicators() -> None:
    (_, next_year) = read_setup(_next_year(targets={"sa-thay": {"xa-ntm": 6}})).pledges
    assert next_year.targets == {"sa-thay": {"xa-ntm": "6"}}


def test_indicators_from_a_year_without_a_pledge_is_reported() -> None:
    tree = scoring_tree()
    tree["pledges"].append({"cluster": "kt-cum2", "year": 2027, "indicators_from": 2025})
    assert _problems(yaml.safe_dump(tree, allow_unicode=True)) == [
        "pledges[1].indicators_from: không có giao ước năm 2025 của cụm «kt-cum2» ở phía trước "
        "trong tệp."
    ]


def test_indicators_from_beside_indicators_is_reported() -> None:
    assert _problems(_next_year(indicators=[])) == [
        "pledges[1].indicators_from: dùng indicators_from hoặc indicators và scoring, "
        "không dùng cả hai."
    ]


def test_an_unquoted_title_cut_at_its_commas_is_joined_back_with_a_warning() -> None:
    # `{code: to-chuc, title: Tổ chức phát động, sơ kết, tổng kết, max: 10}` as YAML reads it.
    cut = {"code": "to-chuc", "title": "Tổ chức phát động", "sơ kết": None, "tổng kết": None}
    setup = read_setup(_with_items({**cut, "max": 10}))
    table = setup.pledges[0].scoring
    assert table is not None
    assert [leaf.title for leaf in table.leaves] == ["Tổ chức phát động, sơ kết, tổng kết"]
    [warning] = setup.warnings
    assert warning.path == "pledges[0].scoring.criteria[0].items[0].title"
    assert "dấu phẩy" in warning.message
