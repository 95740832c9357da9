"""The scoring engine against DOMAIN.md's contract: every rule, its worked numbers, layers, ties."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from bot.domain.figures import Ratio
from bot.domain.scoring import (
    APPROVED,
    BONUS,
    CHOICE,
    CLUSTER,
    PENALTY,
    PEOPLE,
    PER,
    SELF,
    TARGET,
    YESNO,
    Grade,
    Group,
    Leaf,
    Reviews,
    ScoringTable,
    UnitEntry,
    round_score,
    score_cluster,
)
from tests.support.scoring_cases import TEN, UNITS, entries, leaf, scores_of, standing_leaves

D = Decimal


# -- the worked numbers of DOMAIN.md ------------------------------------------------------------


def test_targets_100_and_figures_80_100_120_150_score_4_5_7_10() -> None:
    units = entries([D(80), D(100), D(120), D(150)], [D(100)] * 4)
    assert scores_of(leaf(), units) == [D("4.00"), D("5.00"), D("7.00"), D("10.00")]


def test_lower_is_better_targets_1_and_figures_1_25_0_8_0_5_score_4_6_25_10() -> None:
    units = entries([D("1.25"), D("0.8"), D("0.5")], [D("1.0")] * 3)
    assert scores_of(leaf(lower_is_better=True), units) == [
        D("4.00"),
        D("6.25"),
        D("10.00"),
    ]


@pytest.mark.parametrize(("count", "score"), [(3, "6.00"), (7, "10.00"), (0, "0.00")])
def test_per_2_scores_points_per_occurrence_capped_at_the_maximum(count: int, score: str) -> None:
    assert scores_of(leaf(PER, rate=D(2)), entries([D(count)])) == [D(score)]


@pytest.mark.parametrize(("count", "score"), [(1, "5.00"), (3, "10.00"), (0, "0.00")])
def test_bonus_5_max_10_adds_points_up_to_its_cap(count: int, score: str) -> None:
    assert scores_of(leaf(BONUS, rate=D(5)), entries([D(count)])) == [D(score)]


@pytest.mark.parametrize(("count", "score"), [(1, "-5.00"), (3, "-10.00"), (0, "0.00")])
def test_penalty_5_max_10_takes_points_off_down_to_its_cap(count: int, score: str) -> None:
    assert scores_of(leaf(PENALTY, rate=D(5)), entries([D(count)])) == [D(score)]


# -- against a target -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("figure", "score"),
    [("50", "2.50"), ("0", "0.00"), ("100", "5.00"), ("-20", "0.00")],
)
def test_below_or_at_target_scores_half_the_maximum_times_the_achievement(
    figure: str, score: str
) -> None:
    units = entries([D(figure), D(200)], [D(100), D(100)])
    assert scores_of(leaf(), units)[0] == D(score)


def test_the_leader_gets_the_maximum_and_another_over_achiever_a_share_of_the_rest() -> None:
    units = entries([D(130), D(110), D(200)], [D(100), D(100), D(100)])
    assert scores_of(leaf(), units) == [D("6.50"), D("5.50"), D("10.00")]


def test_a_lone_over_achiever_is_the_leader() -> None:
    assert scores_of(leaf(), entries([D(101)], [D(100)])) == [D("10.00")]


def test_equal_leaders_both_get_the_maximum() -> None:
    units = entries([D(150), D(300), D(120)], [D(100), D(200), D(100)])
    assert scores_of(leaf(), units) == [D("10.00"), D("10.00"), D("7.00")]


def test_lower_is_better_figure_of_zero_is_an_infinite_achievement_with_the_maximum() -> None:
    units = entries([D(0), D("0.5"), D("0.8")], [D(1), D(1), D(1)])
    assert scores_of(leaf(lower_is_better=True), units) == [
        D("10.00"),
        D("10.00"),
        D("6.25"),
    ]


def test_only_infinite_achievements_leave_no_finite_leader() -> None:
    units = entries([D(0), D(2)], [D(1), D(1)])
    assert scores_of(leaf(lower_is_better=True), units) == [D("10.00"), D("2.50")]


def test_a_ratio_counts_as_the_number_x_over_y() -> None:
    units = entries([Ratio(D(47), D(53)), Ratio(D(53), D(53))], [Ratio(D(53), D(53))] * 2)
    assert scores_of(leaf(), units) == [D("4.43"), D("5.00")]


def test_achievement_uses_each_units_own_target() -> None:
    units = entries([D(620), D(95), D(80)], [D(620), D(95), D(40)])
    assert scores_of(leaf(max=D(15)), units) == [D("7.50"), D("7.50"), D("15.00")]


# -- units without a target -----------------------------------------------------------------------


def test_without_a_target_a_unit_is_scored_against_the_best_of_its_peers() -> None:
    assert scores_of(leaf(), entries([D(50), D(25), D(0)])) == [
        D("10.00"),
        D("5.00"),
        D("0.00"),
    ]


def test_without_a_target_and_all_figures_zero_every_unit_scores_zero() -> None:
    assert scores_of(leaf(), entries([D(0), D(0)])) == [D("0.00"), D("0.00")]


def test_without_a_target_lower_is_better_scores_the_least_over_the_figure() -> None:
    units = entries([D(2), D(4), D(5)])
    assert scores_of(leaf(lower_is_better=True), units) == [
        D("10.00"),
        D("5.00"),
        D("4.00"),
    ]


def test_without_a_target_lower_is_better_a_zero_gets_the_maximum() -> None:
    units = entries([D(0), D(4)])
    assert scores_of(leaf(lower_is_better=True), units) == [D("10.00"), D("0.00")]


def test_units_with_and_without_targets_are_scored_in_their_own_groups() -> None:
    units = entries([D(80), D(150), D(30), D(60)], [D(100), D(100), None, D(0)])
    assert scores_of(leaf(), units) == [D("4.00"), D("10.00"), D("5.00"), D("10.00")]


def test_ratio_without_target_is_relative_to_the_best_ratio() -> None:
    units = entries([Ratio(D(47), D(53)), Ratio(D(15), D(18)), Ratio(D(1), D(0))])
    scores = scores_of(leaf(), units)
    assert scores[:2] == [D("10.00"), D("9.40")]
    assert scores[2] == D("0.00")


# -- yes/no, choice, people -----------------------------------------------------------------------


def test_yes_no_scores_the_maximum_when_achieved_and_zero_when_not() -> None:
    assert scores_of(leaf(YESNO, max=D(5)), entries([True, False])) == [
        D("5.00"),
        D("0.00"),
    ]


def test_choice_scores_the_points_of_the_chosen_option() -> None:
    points = {"Tốt": D(10), "Khá": D(7), "Trung bình": D(4)}
    units = entries(["Tốt", "Khá", "Yếu"])
    assert scores_of(leaf(CHOICE, points=points), units) == [
        D("10.00"),
        D("7.00"),
        D("0.00"),
    ]


def test_people_scored_leaf_takes_the_units_own_score_within_the_maximum() -> None:
    units = (
        UnitEntry("a", self_scores={"x": D("8.5")}),
        UnitEntry("b", self_scores={"x": D(12)}),
        UnitEntry("c", self_scores={"x": D("7.125")}),
    )
    assert scores_of(leaf(PEOPLE), units) == [D("8.50"), D("10.00"), D("7.13")]


# -- missing figures, rounding, totals ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "extra"),
    [
        (TARGET, {}),
        (YESNO, {}),
        (CHOICE, {"points": {"Tốt": D(10)}}),
        (PER, {"rate": D(2)}),
        (BONUS, {"rate": D(5)}),
        (PENALTY, {"rate": D(5)}),
        (PEOPLE, {}),
    ],
)
def test_a_missing_figure_scores_zero_and_is_marked(rule: str, extra: dict[str, object]) -> None:
    result = score_cluster(ScoringTable((leaf(rule, **extra),)), entries([None]))
    assert standing_leaves(result, "a") == {"x": D("0.00")}
    assert result.missing["a"] == frozenset({"x"})


def test_a_missing_figure_is_left_out_of_the_leaders_comparison() -> None:
    units = entries([None, D(120)], [D(100), D(100)])
    assert scores_of(leaf(), units) == [D("0.00"), D("10.00")]


def test_each_leaf_is_rounded_half_up_and_totals_add_the_rounded_leaves() -> None:
    first = Leaf("one", "1", D(1), TARGET, indicator="x")
    second = Leaf("two", "2", D(1), TARGET, indicator="y")
    unit = UnitEntry("a", figures={"x": D(25), "y": D(25)}, targets={"x": D(100), "y": D(100)})
    result = score_cluster(ScoringTable((first, second)), (unit,))
    standing = result.layers[SELF].standings[0]
    assert standing.leaves == {"one": D("0.13"), "two": D("0.13")}
    assert standing.total == D("0.26")


@pytest.mark.parametrize(
    ("exact", "rounded"),
    [
        (Fraction(1, 8), "0.13"),
        (Fraction(-1, 8), "-0.13"),
        (Fraction(2, 3), "0.67"),
        (Fraction(5), "5.00"),
        (Fraction(1, 200), "0.01"),
        (Fraction(1, 201), "0.00"),
    ],
)
def test_round_score_is_half_away_from_zero_to_two_decimals(exact: Fraction, rounded: str) -> None:
    assert str(round_score(exact)) == rounded


def _example_table() -> ScoringTable:
    """Two groups of the example's shape: a base group and a group of bonus and penalty."""
    base = Group(
        "kt",
        "I",
        D(20),
        (
            Leaf("thu", "Thu", TEN, TARGET, indicator="thu"),
            Leaf("to-chuc", "Tổ chức", TEN, PEOPLE),
        ),
    )
    extra = Group(
        "tt",
        "IV",
        None,
        (
            Leaf("khen", "Khen", TEN, BONUS, indicator="khen", rate=D(5)),
            Leaf("vi-pham", "Vi phạm", TEN, PENALTY, indicator="vi-pham", rate=D(5)),
        ),
    )
    classes = (Grade("Xuất sắc", D(20)), Grade("Tốt", D(15)), Grade("Khá", D(8)))
    return ScoringTable((base, extra), classes)


def _example_unit(code: str, thu: int, own: str, khen: int, vi_pham: int) -> UnitEntry:
    return UnitEntry(
        code,
        figures={"thu": D(thu), "khen": D(khen), "vi-pham": D(vi_pham)},
        targets={"thu": D(100)},
        self_scores={"to-chuc": D(own)},
    )


def test_subtotals_and_totals_may_pass_the_base_with_a_bonus_or_fall_below_zero() -> None:
    units = (_example_unit("a", 150, "10", 3, 0), _example_unit("b", 0, "0", 0, 5))
    ranking = score_cluster(_example_table(), units).layers[SELF]
    best, worst = ranking.standings
    assert (best.unit, best.subtotals, best.total) == ("a", {"kt": D(20), "tt": D(10)}, D(30))
    assert (worst.unit, worst.subtotals, worst.total) == ("b", {"kt": D(0), "tt": D(-10)}, D(-10))
    assert (best.grade, worst.grade) == ("Xuất sắc", None)


# -- ranking, ties, classes -----------------------------------------------------------------------


def _ranked(totals: Sequence[str | None]) -> list[tuple[str, int | None, bool]]:
    """Units scored by people with the given totals (None: not submitted), as ranked."""
    units = tuple(
        UnitEntry(UNITS[i], submitted=t is not None, self_scores={"x": D(t or 0)})
        for i, t in enumerate(totals)
    )
    result = score_cluster(ScoringTable((leaf(PEOPLE, max=D(100)),)), units)
    return [(s.unit, s.rank, s.tied) for s in result.layers[SELF].standings]


def test_equal_totals_share_a_rank_and_are_flagged_as_ties() -> None:
    assert _ranked(["80", "90", "70", "80"]) == [
        ("b", 1, False),
        ("a", 2, True),
        ("d", 2, True),
        ("c", 4, False),
    ]


def test_a_unit_that_has_not_submitted_is_unranked_and_last() -> None:
    assert _ranked([None, "50", "60"]) == [("c", 1, False), ("b", 2, False), ("a", None, False)]


def test_a_unit_that_has_not_submitted_has_no_self_score() -> None:
    units = (UnitEntry("a", submitted=False, figures={"x": D(5)}),)
    result = score_cluster(ScoringTable((leaf(PER, rate=D(1)),)), units)
    standing = result.layers[SELF].standings[0]
    assert (standing.leaves, standing.total, standing.rank, standing.grade) == (
        {},
        D(0),
        None,
        None,
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [("95", "Xuất sắc"), ("90", "Xuất sắc"), ("89.99", "Tốt"), ("65", "Khá"), ("64.99", None)],
)
def test_a_class_is_the_highest_threshold_the_total_reaches(total: str, grade: str | None) -> None:
    classes = (Grade("Khá", D(65)), Grade("Xuất sắc", D(90)), Grade("Tốt", D(80)))
    table = ScoringTable((leaf(PEOPLE, max=D(100)),), classes)
    result = score_cluster(table, (UnitEntry("a", self_scores={"x": D(total)}),))
    assert result.layers[SELF].standings[0].grade == grade


# -- the three layers -----------------------------------------------------------------------------


def test_the_cluster_score_is_the_self_score_where_the_chair_changed_nothing() -> None:
    units = entries([D(80), D(120)], [D(100), D(100)])
    result = score_cluster(ScoringTable((leaf(),)), units)
    assert (
        standing_leaves(result, "a", CLUSTER)
        == standing_leaves(result, "a", SELF)
        == {"x": D("4.00")}
    )
    assert result.layer(APPROVED) is None
    assert result.changed("a") == frozenset()


def test_the_chairs_change_wins_over_the_self_score_even_when_lower() -> None:
    units = entries([D(80), D(120)], [D(100), D(100)])
    reviews = Reviews(changes={"b": {"x": D("6.5")}})
    result = score_cluster(ScoringTable((leaf(),)), units, reviews)
    assert standing_leaves(result, "b", SELF) == {"x": D("10.00")}
    assert standing_leaves(result, "b", CLUSTER) == {"x": D("6.50")}
    assert result.changed("b") == frozenset({"x"})


def test_the_approved_score_is_what_was_locked_never_the_highest_layer() -> None:
    units = entries([D(80), D(120)], [D(100), D(100)])
    reviews = Reviews(changes={"a": {"x": D(9)}}, approved={"a": {"x": D(3)}, "b": {"x": D(10)}})
    result = score_cluster(ScoringTable((leaf(),)), units, reviews)
    approved = result.layer(APPROVED)
    assert approved is not None
    assert [(s.unit, s.total, s.rank) for s in approved.standings] == [
        ("b", D(10), 1),
        ("a", D(3), 2),
    ]


def test_a_reviewers_value_is_kept_within_the_leafs_bounds() -> None:
    units = entries([D(1)])
    reviews = Reviews(changes={"a": {"x": D(3)}})
    result = score_cluster(ScoringTable((leaf(PENALTY, rate=D(5)),)), units, reviews)
    assert standing_leaves(result, "a", CLUSTER) == {"x": D(0)}


def test_each_layer_ranks_on_its_own_totals() -> None:
    units = entries([D(80), D(120)], [D(100), D(100)])
    reviews = Reviews(changes={"a": {"x": D(10)}, "b": {"x": D(2)}})
    result = score_cluster(ScoringTable((leaf(),)), units, reviews)
    assert [s.unit for s in result.layers[SELF].standings] == ["b", "a"]
    assert [s.unit for s in result.layers[CLUSTER].standings] == ["a", "b"]
