"""The summary as pure arithmetic: aggregates per kind, % of target, the leading unit."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain import figures
from bot.reports import (
    AnswerInfo,
    ClusterInfo,
    IndicatorInfo,
    PeriodInfo,
    Snapshot,
    UnitFigures,
    UnitInfo,
    build_summary,
)
from bot.reports.display import canonical_shown, percent_text
from bot.reports.summary import (
    ANSWERED,
    AVERAGE,
    OPTION_COUNTS,
    RATIO,
    SUM,
    YES_COUNT,
    IndicatorSummary,
)

PERIOD = PeriodInfo(1, "2026-h1", "Sơ kết 6 tháng", 2026, datetime(2026, 6, 20, tzinfo=UTC), "UTC")
UNITS = tuple(
    UnitInfo(n, code, name)
    for n, (code, name) in enumerate(
        [("a", "Xã A"), ("b", "Xã B"), ("c", "Xã C"), ("d", "Xã D")], start=1
    )
)


def summarise(
    indicator: IndicatorInfo,
    values: dict[str, str | None],
    targets: dict[str, str] | None = None,
) -> IndicatorSummary:
    """One indicator's summary over units a-d; units absent from `values` did not submit."""
    latest = {
        code: UnitFigures(
            revision=1,
            submitted_at=PERIOD.deadline_at,
            late=False,
            submitted_by=None,
            returned_at=None,
            returned_reason=None,
            answers=MappingProxyType({indicator.code: AnswerInfo(value, skipped=value is None)}),
        )
        for code, value in values.items()
    }
    cluster = ClusterInfo(
        id=1,
        code="cum",
        name="Cụm",
        units=UNITS,
        indicators=(indicator,),
        targets={code: {indicator.code: target} for code, target in (targets or {}).items()},
        latest=latest,
    )
    summary = build_summary(Snapshot(PERIOD, (cluster,), ()))
    (cluster_summary,) = summary.clusters
    assert cluster_summary.submitted == len(values)
    (item,) = cluster_summary.indicators
    return item


def indicator(kind: str, better: str | None = None, options: tuple[str, ...] = ()) -> IndicatorInfo:
    return IndicatorInfo(1, "ct", "Chỉ tiêu", kind, better=better, options=options)


@pytest.mark.parametrize(
    ("kind", "values", "method", "expected"),
    [
        ("number", {"a": "10.5", "b": "20", "c": None}, SUM, Decimal("30.5")),
        ("ratio", {"a": "47/53", "b": "15/18"}, RATIO, figures.Ratio(Decimal(62), Decimal(71))),
        ("percent", {"a": "100", "b": "101", "c": "101"}, AVERAGE, Decimal("100.67")),
        ("percent", {"a": "0.3", "b": "0.5"}, AVERAGE, Decimal("0.4")),
        ("number", {}, SUM, Decimal(0)),
        ("percent", {"a": None}, AVERAGE, None),
        ("ratio", {"a": None}, RATIO, None),
    ],
)
def test_numbers_are_summed_ratios_pooled_and_percentages_averaged(
    kind: str, values: dict[str, str | None], method: str, expected: object
) -> None:
    aggregate = summarise(indicator(kind), values).aggregate
    assert (aggregate.method, aggregate.value) == (method, expected)
    assert aggregate.answered == sum(value is not None for value in values.values())
    assert aggregate.units == 4


def test_yes_no_counts_the_yes_among_the_answers() -> None:
    aggregate = summarise(indicator("yesno"), {"a": "true", "b": "false", "c": "true"}).aggregate
    assert (aggregate.method, aggregate.yes, aggregate.answered) == (YES_COUNT, 2, 3)


def test_a_choice_counts_each_option_in_the_pledges_order() -> None:
    options = ("Tốt", "Khá", "Trung bình")
    item = summarise(indicator("choice", options=options), {"a": "Khá", "b": "Tốt", "c": "Khá"})
    assert item.aggregate.method == OPTION_COUNTS
    assert item.aggregate.options == (("Tốt", 1), ("Khá", 2), ("Trung bình", 0))


@pytest.mark.parametrize("kind", ["text", "file"])
def test_text_and_files_count_who_answered(kind: str) -> None:
    aggregate = summarise(indicator(kind), {"a": "Báo cáo.pdf", "b": None}).aggregate
    assert (aggregate.method, aggregate.answered, aggregate.units) == (ANSWERED, 1, 4)


def test_percent_of_target_per_unit_and_for_the_cluster_total() -> None:
    item = summarise(
        indicator("number", "higher"),
        {"a": "50", "b": "150", "c": "30"},
        {"a": "100", "b": "100", "c": "0", "d": "100"},
    )
    shares = [result.of_target for result in item.results]
    assert shares == [Decimal("0.5"), Decimal("1.5"), None, None]  # zero target: no share
    # Units with a value and a target, a zero target included: (50 + 150 + 30) / 200.
    assert item.aggregate.of_target == Decimal("1.15")
    assert item.results[3].target == Decimal(100) and not item.results[3].submitted


def test_a_ratio_target_gives_a_share_of_the_two_proportions() -> None:
    item = summarise(indicator("ratio", "higher"), {"a": "45/50"}, {"a": "9/10"})
    assert item.results[0].of_target == Decimal(1)


@pytest.mark.parametrize(
    ("kind", "better", "values", "targets", "best", "on_target"),
    [
        ("number", "higher", {"a": "10", "b": "30", "c": "20"}, {}, ["b"], False),
        ("percent", "lower", {"a": "0.9", "b": "0.3", "c": "0.5"}, {}, ["b"], False),
        ("number", "lower", {"a": "2", "b": "1", "c": "1"}, {}, ["b", "c"], False),
        # Every unit has a target: the leader is the best against its own target.
        ("number", "higher", {"a": "450", "b": "120"}, {"a": "620", "b": "95"}, ["b"], True),
        ("percent", "lower", {"a": "0.3", "b": "0.5"}, {"a": "0.3", "b": "0.8"}, ["b"], True),
        # One unit without a target: compare the figures themselves.
        ("number", "higher", {"a": "450", "b": "120"}, {"b": "95"}, ["a"], False),
        ("number", None, {"a": "10", "b": "30"}, {}, [], False),
    ],
)
def test_the_leading_unit_respects_higher_or_lower_is_better(
    kind: str,
    better: str | None,
    values: dict[str, str | None],
    targets: dict[str, str],
    best: list[str],
    on_target: bool,
) -> None:
    item = summarise(indicator(kind, better), values, targets)
    assert [result.unit.code for result in item.best] == best
    assert item.best_on_target is on_target


def test_a_ratio_leader_is_the_highest_proportion_not_the_biggest_count() -> None:
    item = summarise(indicator("ratio", "higher"), {"a": "47/53", "b": "15/16"})
    assert [result.unit.code for result in item.best] == ["b"]


def test_yes_no_and_choices_have_no_leader_even_with_better_set() -> None:
    assert summarise(indicator("yesno", "higher"), {"a": "true"}).best == ()


def test_a_malformed_stored_value_counts_as_not_answered() -> None:
    item = summarise(indicator("number"), {"a": "12,5", "b": "3"})
    assert item.results[0].value is None and item.aggregate.value == Decimal(3)


@pytest.mark.parametrize(
    ("fraction", "locale", "text"),
    [
        (Decimal("0.7258"), "vi", "72,6%"),
        (Decimal("1"), "vi", "100%"),
        (Decimal("12.345"), "vi", "1.234,5%"),
        (Decimal("0.7258"), "en", "72.6%"),
    ],
)
def test_percent_of_target_is_shown_to_one_decimal(
    fraction: Decimal, locale: str, text: str
) -> None:
    assert percent_text(fraction, locale) == text


@given(
    st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=4, allow_nan=False),
    st.sampled_from(["number", "percent"]),
    st.sampled_from(["vi", "en"]),
)
def test_the_fast_export_formatting_matches_the_figures_module(
    number: Decimal, kind: str, locale: str
) -> None:
    info = IndicatorInfo(1, "ct", "Chỉ tiêu", kind, unit_label="tỷ đồng")
    canonical = figures.to_canonical(number)
    expected = figures.format_value(
        figures.from_canonical(canonical, info.spec), info.spec, locale=locale
    )
    if kind == "number":
        expected += " tỷ đồng"
    assert canonical_shown(canonical, info, locale) == expected


@given(st.integers(0, 10**9), st.integers(1, 10**9), st.sampled_from(["vi", "en"]))
def test_the_fast_export_formatting_of_ratios_matches_too(
    top: int, bottom: int, locale: str
) -> None:
    info = IndicatorInfo(1, "ct", "Chỉ tiêu", "ratio")
    ratio = figures.Ratio(Decimal(top), Decimal(bottom))
    expected = figures.format_value(ratio, info.spec, locale=locale)
    assert canonical_shown(figures.to_canonical(ratio), info, locale) == expected
