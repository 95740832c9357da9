"""A figure typed with its indicator's unit in full, short or glued on: read alike, or refused."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.domain import figures


def read(text: str, unit: str) -> figures.ParseResult:
    return figures.parse(text, figures.Spec(kind="number", unit=unit), locale="vi")


@pytest.mark.parametrize(
    ("unit", "typed", "value"),
    [
        ("tỷ đồng", "25,8 tỷ đồng", "25.8"),
        ("tỷ đồng", "25,8 tỷ", "25.8"),
        ("tỷ đồng", "25,8 tỉ", "25.8"),
        ("tỷ đồng", "25,8 TỶ", "25.8"),
        ("tỷ đồng", "25,8 ty dong", "25.8"),
        ("tỷ đồng", "25,8tỷ", "25.8"),
        ("tỷ đồng", "25,8tỷ đồng", "25.8"),
        ("tỷ đồng", "1.250,5 tỷ", "1250.5"),
        ("triệu đồng", "1200 triệu", "1200"),
        ("triệu đồng/người", "45 triệu", "45"),
        ("nghìn tỷ đồng", "2,5 nghìn tỷ", "2.5"),
        ("xã", "3 xã", "3"),
        ("lượt người", "120 lượt", "120"),
    ],
)
def test_a_unit_written_in_full_or_by_its_first_words_is_understood(
    unit: str, typed: str, value: str
) -> None:
    assert read(typed, unit) == figures.Parsed(Decimal(value))


@pytest.mark.parametrize(
    ("unit", "typed", "refused"),
    [
        ("tỷ đồng", "25,8 triệu", "tính bằng tỷ đồng"),  # another scale: not converted
        ("tỷ đồng", "25,8 nghìn", "tính bằng tỷ đồng"),
        ("nghìn tỷ đồng", "2,5 nghìn", "tính bằng nghìn tỷ đồng"),  # could be nghìn đồng
        ("tỷ đồng", "25,8 đồng", "Chưa đọc được số này"),  # the unit's last word alone
        ("tỷ đồng", "tỷ", "Chưa đọc được số này"),
        ("tỷ đồng", "25,8 tỷ tỷ", "tính bằng tỷ đồng"),
        ("xã", "3 huyện", "Chưa đọc được số này"),
    ],
)
def test_another_scale_or_a_partial_unit_is_refused_with_what_to_type(
    unit: str, typed: str, refused: str
) -> None:
    result = read(typed, unit)
    assert isinstance(result, figures.Invalid) and refused in result.message, result
