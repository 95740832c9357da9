"""Tests for bot.domain.figures: reading, checking and showing reported values."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.figures import (
    KINDS,
    TEXT_MAX_LENGTH,
    Ambiguous,
    Invalid,
    Parsed,
    Ratio,
    Spec,
    Value,
    as_number,
    example,
    format_value,
    from_canonical,
    parse,
    to_canonical,
)
from bot.domain.formatting import format_time_left
from bot.domain.showing import against_target, best_label

D = Decimal
NUMBER = Spec("number")
INTEGER = Spec("number", integer=True)
PERCENT = Spec("percent")
RATIO = Spec("ratio")
YESNO = Spec("yesno")
GRADES = Spec("choice", options=("Tốt", "Khá", "Trung bình", "Không đạt"))
TEXT = Spec("text")
FILE = Spec("file")
MONEY = Spec("number", min=D(0), unit="tỷ đồng")
SHARE = Spec("percent", min=D(0), max=D(100))

# One separator followed by exactly three digits, with a head that could be a thousands
# group: the only shape a formatted value may come back from as a question.
AMBIGUOUS_SHAPE = re.compile(r"(?<![\d.,])[1-9]\d{0,2}[.,](?!000)\d{3}(?![\d.,])")


def parsed_value(text: str, spec: Spec, locale: str = "vi") -> Value:
    """The value parse reads, failing the test if it reads none."""
    result = parse(text, spec, locale=locale)
    assert isinstance(result, Parsed), result
    return result.value


def invalid_message(text: str, spec: Spec, locale: str = "vi") -> str:
    """The message of an Invalid result, failing the test otherwise."""
    result = parse(text, spec, locale=locale)
    assert isinstance(result, Invalid), result
    return result.message


# --- Numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("25,8", "25.8"), ("0,35", "0.35"), ("1820,5", "1820.5"), (",5", "0.5"), ("1,2345", "1.2345")],
)
def test_comma_is_the_decimal_mark(text: str, expected: str) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("25.8", "25.8"),
        ("1.25", "1.25"),
        ("1.2345", "1.2345"),
        ("0.250", "0.25"),
        ("1250.500", "1250.5"),
    ],
)
def test_a_dot_not_followed_by_exactly_three_digits_is_a_decimal_point(
    text: str, expected: str
) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.250.000", "1250000"),
        ("1.250,5", "1250.5"),
        ("1.820,5", "1820.5"),
        ("1.250.000,75", "1250000.75"),
        ("1,250.5", "1250.5"),
        ("1,250,000", "1250000"),
        ("1,250,000.75", "1250000.75"),
    ],
)
def test_thousands_separators_are_read_when_unambiguous(text: str, expected: str) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 250", "1250"),
        ("1\u00a0250", "1250"),
        ("1\u202f250", "1250"),
        ("1 250 000", "1250000"),
        ("1 250,5", "1250.5"),
        ("  1250  ", "1250"),
    ],
)
def test_spaces_group_thousands(text: str, expected: str) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("-2,1", "-2.1"), ("−2,1", "-2.1"), ("+3", "3"), ("- 5", "-5"), ("-0", "0")],
)
def test_signs_are_accepted(text: str, expected: str) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "canonical"), [("25,80", "25.8"), ("1250", "1250"), ("7,0000", "7")]
)
def test_trailing_zeros_do_not_matter(text: str, canonical: str) -> None:
    value = parsed_value(text, NUMBER)
    assert isinstance(value, Decimal)
    assert to_canonical(value) == canonical


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5.000", "5000"),
        ("1,000", "1000"),
        ("25.000", "25000"),
        ("-1.000", "-1000"),
        ("1 250.000", "1250000"),
    ],
)
def test_three_zeros_after_a_single_separator_are_thousands(text: str, expected: str) -> None:
    assert parsed_value(text, NUMBER) == D(expected)


@pytest.mark.parametrize(
    ("text", "readings", "shown"),
    [
        ("1.250", (D(1250), D("1.25")), "1250 hay 1,25"),
        ("1,250", (D("1.25"), D(1250)), "1,25 hay 1250"),
        ("-1.250", (D(-1250), D("-1.25")), "-1250 hay -1,25"),
        ("1.125", (D(1125), D("1.125")), "1125 hay 1,1250"),
        ("1 250.500", (D(1250500), D("1250.5")), "1.250.500 hay 1.250,5"),
    ],
)
def test_ambiguous_thousands_separator_is_asked_back(
    text: str, readings: tuple[Decimal, ...], shown: str
) -> None:
    result = parse(text, NUMBER)
    assert isinstance(result, Ambiguous)
    assert result.readings == readings
    assert result.message == f"Số anh/chị nhập có thể hiểu là {shown}. Anh/chị muốn nhập số nào?"


@pytest.mark.parametrize(
    ("text", "spec", "expected"),
    [
        ("1.250", INTEGER, D(1250)),
        ("1,250", INTEGER, D(1250)),
        ("1.250", Spec("number", max=D(100)), D("1.25")),
        ("1.250", Spec("number", min=D(10)), D(1250)),
        ("1.250", Spec("percent", max=D(100)), D("1.25")),
    ],
)
def test_readings_that_fail_the_spec_are_dropped(text: str, spec: Spec, expected: Decimal) -> None:
    assert parsed_value(text, spec) == expected


def test_when_no_reading_fits_the_vietnamese_readings_problem_is_reported() -> None:
    message = invalid_message("1.250", Spec("number", max=D(1)))
    assert message == "Giá trị không được vượt quá 1. Ví dụ: 1."


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "1e5",
        "1E5",
        "NaN",
        "nan",
        "Infinity",
        "inf",
        "1..2",
        "1.25.000",
        "12,",
        "12.",
        "--1",
        "1,2,3",
        "1 2",
        "١٢",
        "12a",
        "+",
        "-",
        "0x1F",
        "½",
        "1.250,5.5",
    ],
)
def test_what_is_not_a_number_is_refused_with_an_example(text: str) -> None:
    message = invalid_message(text, NUMBER)
    assert message == "Chưa đọc được số này. Vui lòng nhập một số, ví dụ: 25,8."


def test_overlong_input_is_refused_saying_how_long_it_was() -> None:
    message = invalid_message("1" * 41, NUMBER)
    assert message == "Số quá dài (41 ký tự). Vui lòng nhập một số, ví dụ: 25,8."


def test_forty_digits_are_still_a_number() -> None:
    assert parsed_value("9" * 40, NUMBER) == D("9" * 40)


@pytest.mark.parametrize("text", ["12%", "12 %", "0,35%"])
def test_number_indicator_refuses_a_percent_sign(text: str) -> None:
    message = invalid_message(text, NUMBER)
    assert "%" in message
    assert message.endswith("ví dụ: 25,8.")


@pytest.mark.parametrize("text", ["25,8 tỷ đồng", "25,8tỷ đồng", "25,8 ty dong", "25,8 TỶ ĐỒNG"])
def test_the_unit_label_may_follow_the_number(text: str) -> None:
    assert parsed_value(text, MONEY) == D("25.8")


# --- Percentages ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", "12"),
        ("12%", "12"),
        ("12 %", "12"),
        ("12,5 %", "12.5"),
        ("0,35%", "0.35"),
        ("104,5 %", "104.5"),
        ("104.5%", "104.5"),
        ("12,5\u00a0%", "12.5"),
    ],
)
def test_percent_accepts_the_sign_or_not(text: str, expected: str) -> None:
    assert parsed_value(text, PERCENT) == D(expected)


def test_percent_has_no_cap_but_its_max() -> None:
    assert parsed_value("250 %", PERCENT) == D(250)
    assert invalid_message("250 %", SHARE) == "Giá trị không được vượt quá 100%. Ví dụ: 50%."


# --- Checks against the spec ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec", "message"),
    [
        ("-1", MONEY, "Giá trị phải từ 0 tỷ đồng trở lên. Ví dụ: 25,8."),
        ("-1", Spec("number", min=D(0)), "Giá trị phải từ 0 trở lên. Ví dụ: 25,8."),
        ("-0,5", SHARE, "Giá trị phải từ 0% trở lên. Ví dụ: 50%."),
        ("101", SHARE, "Giá trị không được vượt quá 100%. Ví dụ: 50%."),
        ("2,5", INTEGER, "Chỉ tiêu này cần một số nguyên, ví dụ: 12."),
        (
            "2,5",
            Spec("number", integer=True, max=D(5)),
            "Chỉ tiêu này cần một số nguyên, ví dụ: 5.",
        ),
        (
            "7",
            Spec("number", integer=True, min=D(1), max=D(5)),
            "Giá trị không được vượt quá 5. Ví dụ: 3.",
        ),
        ("0", Spec("number", min=D(1000)), "Giá trị phải từ 1.000 trở lên. Ví dụ: 1.000."),
    ],
)
def test_out_of_bounds_values_are_refused_with_a_valid_example(
    text: str, spec: Spec, message: str
) -> None:
    assert invalid_message(text, spec) == message


@pytest.mark.parametrize(
    "spec",
    [
        NUMBER,
        INTEGER,
        PERCENT,
        SHARE,
        MONEY,
        RATIO,
        Spec("ratio", integer=True),
        Spec("number", min=D(1000)),
        Spec("number", max=D(-5)),
        Spec("number", min=D("0.001"), max=D("0.002")),
        Spec("number", integer=True, min=D("2.5"), max=D("3.5")),
        Spec("percent", max=D(100)),
        Spec("number", min=D("1.125"), max=D("1.125")),
        YESNO,
        GRADES,
        TEXT,
    ],
)
def test_the_example_is_itself_a_valid_answer(spec: Spec) -> None:
    for locale in ("vi", "en"):
        hint = example(spec, locale=locale)
        if spec.kind in ("yesno", "choice"):
            hint = hint.split()[0]  # "có / không", "1 hoặc Tốt": each word is an answer
        assert isinstance(parse(hint, spec, locale=locale), Parsed), (spec, locale, hint)


@pytest.mark.parametrize(
    ("spec", "locale", "expected"),
    [
        (NUMBER, "vi", "25,8"),
        (NUMBER, "en", "25.8"),
        (INTEGER, "vi", "12"),
        (PERCENT, "vi", "104,5%"),
        (PERCENT, "en", "104.5%"),
        (SHARE, "vi", "50%"),
        (RATIO, "vi", "47/53"),
        (YESNO, "vi", "có / không"),
        (YESNO, "en", "yes / no"),
        (GRADES, "vi", "1 hoặc Tốt"),
        (GRADES, "en", "1 or Tốt"),
        (FILE, "vi", "tệp PDF, DOCX hoặc XLSX"),
    ],
)
def test_examples_look_like_what_people_type(spec: Spec, locale: str, expected: str) -> None:
    assert example(spec, locale=locale) == expected


# --- Ratios --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("47/53", (47, 53)),
        ("47 / 53", (47, 53)),
        ("47 trên 53", (47, 53)),
        ("47 TREN 53", (47, 53)),
        ("15/18", (15, 18)),
        ("0/5", (0, 5)),
        ("5/5", (5, 5)),
        ("2,5/10", ("2.5", 10)),
        ("47 of 53", (47, 53)),
    ],
)
def test_ratio_is_x_over_y(text: str, expected: tuple[object, object]) -> None:
    top, bottom = expected
    assert parsed_value(text, RATIO) == Ratio(D(str(top)), D(str(bottom)))


def test_ratio_numbers_follow_the_number_rules() -> None:
    assert parsed_value("1.250/2.000", Spec("ratio", integer=True)) == Ratio(D(1250), D(2000))
    result = parse("1.250/2.000", RATIO)
    assert result == Ambiguous(
        (Ratio(D(1250), D(2000)), Ratio(D("1.25"), D(2000))),
        "Số anh/chị nhập có thể hiểu là 1250/2.000 hay 1,25/2.000. Anh/chị muốn nhập số nào?",
    )
    assert parse("1.250/2.500", RATIO) == Ambiguous(
        (Ratio(D(1250), D(2500)), Ratio(D("1.25"), D(2500)), Ratio(D("1.25"), D("2.5"))),
        "Số anh/chị nhập có thể hiểu là 1250/2500, 1,25/2500 hay 1,25/2,5. "
        "Anh/chị muốn nhập số nào?",
    )


@pytest.mark.parametrize(
    ("text", "spec", "message"),
    [
        ("53/47", RATIO, "Số thứ nhất không được lớn hơn số thứ hai. Ví dụ: 47/53."),
        ("5/0", RATIO, "Số thứ hai (tổng số) phải lớn hơn 0. Ví dụ: 47/53."),
        ("-1/5", RATIO, "Các số trong tỷ lệ không được âm. Ví dụ: 47/53."),
        ("2,5/5", Spec("ratio", integer=True), "Chỉ tiêu này cần một số nguyên, ví dụ: 47/53."),
        ("47", RATIO, "Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: 47/53."),
        ("47/53/60", RATIO, "Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: 47/53."),
        ("a/b", RATIO, "Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: 47/53."),
        ("47%/53", RATIO, "Vui lòng nhập theo dạng số đạt/tổng số, ví dụ: 47/53."),
    ],
)
def test_ratio_rules_are_explained(text: str, spec: Spec, message: str) -> None:
    assert invalid_message(text, spec) == message


# --- Yes / no ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("có", True),
        ("Có", True),
        ("co", True),
        ("CÓ.", True),
        ("đạt", True),
        ("Đạt", True),
        ("dat", True),
        ("hoàn thành", True),
        ("rồi", True),
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("1", True),
        ("không", False),
        ("khong", False),
        ("KHÔNG", False),
        ("không đạt", False),
        ("khong  dat", False),
        ("chưa đạt", False),
        ("chưa", False),
        ("chưa hoàn thành", False),
        ("no", False),
        ("n", False),
        ("false", False),
        ("0", False),
        ("ko", False),
    ],
)
def test_yes_and_no_are_read_in_many_spellings(text: str, expected: bool) -> None:
    value = parsed_value(text, YESNO)
    assert value is expected


@pytest.mark.parametrize("text", ["có lẽ", "maybe", "2", "đạt 90%"])
def test_other_answers_to_a_yes_no_question_are_refused(text: str) -> None:
    assert "«có» hoặc «không»" in invalid_message(text, YESNO)


# --- Choices -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", "Tốt"),
        ("2", "Khá"),
        ("Khá", "Khá"),
        ("kha", "Khá"),
        ("KHÁ", "Khá"),
        ("trung binh", "Trung bình"),
        ("trung", "Trung bình"),
        ("khong", "Không đạt"),
        ("tot", "Tốt"),
    ],
)
def test_a_choice_is_read_by_number_text_or_unique_prefix(text: str, expected: str) -> None:
    assert parsed_value(text, GRADES) == expected


def test_an_option_that_looks_like_a_number_wins_over_the_position() -> None:
    assert parsed_value("2", Spec("choice", options=("1", "2", "3 trở lên"))) == "2"


def test_a_prefix_shared_by_several_options_is_asked_back() -> None:
    result = parse("kh", GRADES)
    assert result == Ambiguous(
        ("Khá", "Không đạt"),
        "Có nhiều lựa chọn khớp: Khá hay Không đạt. Anh/chị muốn chọn mục nào?",
    )


@pytest.mark.parametrize("text", ["5", "0", "xuất sắc", "99999999999"])
def test_an_unknown_choice_lists_the_options(text: str) -> None:
    assert invalid_message(text, GRADES) == (
        "Không có lựa chọn này. Vui lòng gõ số thứ tự hoặc tên một lựa chọn (ví dụ: 1 hoặc Tốt):\n"
        "1. Tốt\n2. Khá\n3. Trung bình\n4. Không đạt"
    )


# --- Text, files, empty input --------------------------------------------------------------


def test_text_is_stripped() -> None:
    assert parsed_value("  Khó khăn về vốn.\n", TEXT) == "Khó khăn về vốn."


def test_text_up_to_the_limit_is_accepted() -> None:
    assert parsed_value("a" * TEXT_MAX_LENGTH, TEXT) == "a" * TEXT_MAX_LENGTH


def test_overlong_text_says_how_many_characters_were_typed() -> None:
    assert invalid_message("a" * 2345, TEXT) == (
        "Nội dung dài 2.345 ký tự, vượt quá giới hạn 2.000 ký tự. Vui lòng rút gọn."
    )


@pytest.mark.parametrize("text", ["", "báo cáo", "https://example.com/bc.pdf"])
def test_a_file_indicator_asks_for_a_document(text: str) -> None:
    message = invalid_message(text, FILE)
    assert message == "Vui lòng gửi tệp dưới dạng tài liệu (PDF, DOCX hoặc XLSX)."


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (NUMBER, "Anh/chị chưa nhập gì. Ví dụ: 25,8."),
        (PERCENT, "Anh/chị chưa nhập gì. Ví dụ: 104,5%."),
        (RATIO, "Anh/chị chưa nhập gì. Ví dụ: 47/53."),
        (YESNO, "Anh/chị chưa nhập gì. Ví dụ: có / không."),
        (GRADES, "Anh/chị chưa nhập gì. Ví dụ: 1 hoặc Tốt."),
        (TEXT, "Anh/chị chưa nhập gì. Ví dụ: Đã hoàn thành kế hoạch 6 tháng đầu năm."),
    ],
)
@pytest.mark.parametrize("text", ["", "   ", "\u00a0\n"])
def test_empty_input_is_refused_with_an_example(spec: Spec, message: str, text: str) -> None:
    assert invalid_message(text, spec) == message


def test_an_unknown_kind_is_refused_when_the_spec_is_made() -> None:
    with pytest.raises(ValueError, match="unknown indicator kind"):
        Spec("money")


# --- English -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "spec", "message"),
    [
        ("", NUMBER, "You have not typed anything. For example: 25.8."),
        (
            "abc",
            NUMBER,
            "That does not look like a number. Please type a number, for example: 25.8.",
        ),
        (
            "12%",
            NUMBER,
            "This indicator is not a percentage. "
            "Please type the number without a % sign, for example: 25.8.",
        ),
        ("101", SHARE, "The value must not exceed 100%. For example: 50%."),
        ("-1", MONEY, "The value must be at least 0 tỷ đồng. For example: 25.8."),
        ("2.5", INTEGER, "This indicator needs a whole number, for example: 12."),
        (
            "53/47",
            RATIO,
            "The first number must not be larger than the second. For example: 47/53.",
        ),
        ("maybe", YESNO, "Please answer “yes” or “no”."),
        ("x", FILE, "Please send the file as a document (PDF, DOCX or XLSX)."),
        (
            "a" * 2001,
            TEXT,
            "The text is 2,001 characters long, over the limit of 2,000 characters. "
            "Please shorten it.",
        ),
    ],
)
def test_messages_are_translated_to_english(text: str, spec: Spec, message: str) -> None:
    assert invalid_message(text, spec, locale="en") == message


def test_the_ambiguity_question_is_translated_to_english() -> None:
    result = parse("1,250", NUMBER, locale="en")
    assert isinstance(result, Ambiguous)
    assert result.readings == (D("1.25"), D(1250))
    assert result.message == "The number you typed could mean 1.25 or 1250. Which one did you mean?"


# --- Formatting and the machine form -------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "spec", "locale", "shown"),
    [
        (D("1250.5"), NUMBER, "vi", "1.250,5"),
        (D("1250.5"), NUMBER, "en", "1,250.5"),
        (D("25.80"), NUMBER, "vi", "25,8"),
        (D("-2.1"), NUMBER, "vi", "-2,1"),
        (D("1E+3"), NUMBER, "vi", "1.000"),
        (D("0.0000001"), NUMBER, "vi", "0,0000001"),
        (D("1234567.891234"), NUMBER, "vi", "1.234.567,891234"),
        (D("25.8"), MONEY, "vi", "25,8"),
        (D("104.5"), PERCENT, "vi", "104,5%"),
        (D("104.5"), PERCENT, "en", "104.5%"),
        (Ratio(D(47), D(53)), RATIO, "vi", "47/53"),
        (Ratio(D(1250), D(2000)), RATIO, "vi", "1.250/2.000"),
        (True, YESNO, "vi", "có"),
        (False, YESNO, "vi", "không"),
        (True, YESNO, "en", "yes"),
        (False, YESNO, "en", "no"),
        ("Khá", GRADES, "en", "Khá"),
        ("Một đoạn văn.", TEXT, "vi", "Một đoạn văn."),
    ],
)
def test_values_are_shown_the_vietnamese_way(
    value: Value, spec: Spec, locale: str, shown: str
) -> None:
    assert format_value(value, spec, locale=locale) == shown


@pytest.mark.parametrize(
    ("value", "canonical"),
    [
        (D("1250"), "1250"),
        (D("1.25E+3"), "1250"),
        (D("25.80"), "25.8"),
        (D("-2.1"), "-2.1"),
        (D("-0.0"), "0"),
        (D("1E-7"), "0.0000001"),
        (Ratio(D(47), D("53.0")), "47/53"),
        (True, "true"),
        (False, "false"),
        ("Khá", "Khá"),
    ],
)
def test_the_machine_form_is_a_plain_dot_decimal(value: Value, canonical: str) -> None:
    assert to_canonical(value) == canonical


@pytest.mark.parametrize(
    ("text", "spec"),
    [
        ("1,5", NUMBER),
        ("1e3", NUMBER),
        ("", NUMBER),
        ("NaN", PERCENT),
        ("47", RATIO),
        ("a/b", RATIO),
        ("yes", YESNO),
        ("", YESNO),
    ],
)
def test_a_malformed_machine_form_is_refused(text: str, spec: Spec) -> None:
    with pytest.raises(ValueError):
        from_canonical(text, spec)


@pytest.mark.parametrize(
    ("value", "number"),
    [
        (D("25.8"), D("25.8")),
        (Ratio(D(1), D(4)), D("0.25")),
        (Ratio(D(1), D(0)), None),
        (True, D(1)),
        (False, D(0)),
        ("Khá", None),
    ],
)
def test_values_become_numbers_for_aggregation(value: Value, number: Decimal | None) -> None:
    assert as_number(value) == number


# --- Properties ----------------------------------------------------------------------------

ALL_SPECS = [Spec(kind) for kind in KINDS] + [
    INTEGER,
    SHARE,
    MONEY,
    Spec("ratio", integer=True),
    Spec("choice"),
    Spec("number", min=D(1), max=D(0)),
]
NUMBERISH = st.text(alphabet="0123456789.,  \u00a0\u202f%-−+/trên ", max_size=45)
DECIMALS = st.integers(0, 6).flatmap(
    lambda places: st.decimals(
        min_value=D("-1e12"),
        max_value=D("1e12"),
        places=places,
        allow_nan=False,
        allow_infinity=False,
    )
)
COUNTS = st.integers(0, 10**7).map(D)
OPTIONS = st.lists(
    st.text(min_size=1, max_size=15).map(str.strip).filter(bool),
    min_size=1,
    max_size=6,
    unique_by=lambda option: unicodedata.normalize("NFC", option),
)
LOCALES = st.sampled_from(["vi", "en"])


@pytest.mark.parametrize("spec", ALL_SPECS, ids=repr)
@given(text=st.one_of(st.text(), NUMBERISH), locale=LOCALES)
def test_parse_never_raises(spec: Spec, text: str, locale: str) -> None:
    result = parse(text, spec, locale=locale)
    if isinstance(result, Ambiguous):
        assert len(result.readings) >= 2
        assert len(set(result.readings)) == len(result.readings)
    else:
        assert isinstance(result, Parsed | Invalid)


def assert_reads_back(value: Value, spec: Spec, locale: str) -> None:
    """Parsing what format_value shows gives the value back, or asks with it among the readings."""
    shown = format_value(value, spec, locale=locale)
    result = parse(shown, spec, locale=locale)
    if isinstance(result, Ambiguous):
        assert AMBIGUOUS_SHAPE.search(shown), shown
        assert value in result.readings, (shown, result)
    else:
        assert result == Parsed(value), (shown, result)
        assert type(result.value) is type(value)


@pytest.mark.parametrize("spec", [NUMBER, PERCENT], ids=repr)
@given(value=DECIMALS, locale=LOCALES)
def test_every_shown_number_reads_back(spec: Spec, value: Decimal, locale: str) -> None:
    assert_reads_back(value, spec, locale)
    # Precisely: without bounds, a question comes back exactly for the ambiguous shape.
    shown = format_value(value, spec, locale=locale)
    ambiguous = isinstance(parse(shown, spec, locale=locale), Ambiguous)
    assert ambiguous == bool(AMBIGUOUS_SHAPE.search(shown)), shown


@pytest.mark.parametrize("spec", [INTEGER, Spec("percent", integer=True)], ids=repr)
@given(value=st.integers(-(10**12), 10**12).map(D), locale=LOCALES)
def test_every_shown_whole_number_reads_back_without_a_question(
    spec: Spec, value: Decimal, locale: str
) -> None:
    shown = format_value(value, spec, locale=locale)
    assert parse(shown, spec, locale=locale) == Parsed(value)


@given(pair=st.tuples(COUNTS, COUNTS), locale=LOCALES, integer=st.booleans())
def test_every_shown_ratio_reads_back(
    pair: tuple[Decimal, Decimal], locale: str, integer: bool
) -> None:
    top, bottom = sorted(pair)
    ratio = Ratio(top, bottom if bottom else D(1))
    spec = Spec("ratio", integer=integer)
    if integer:
        assert parse(format_value(ratio, spec, locale=locale), spec, locale=locale) == Parsed(ratio)
    assert_reads_back(ratio, spec, locale)


@given(value=st.booleans(), locale=LOCALES)
def test_every_shown_yes_or_no_reads_back(value: bool, locale: str) -> None:
    assert_reads_back(value, YESNO, locale)


@given(options=OPTIONS, data=st.data(), locale=LOCALES)
def test_every_shown_choice_reads_back(
    options: list[str], data: st.DataObject, locale: str
) -> None:
    spec = Spec("choice", options=tuple(options))
    assert_reads_back(data.draw(st.sampled_from(options)), spec, locale)


CANONICAL_CASES = st.one_of(
    st.tuples(
        st.just(NUMBER),
        st.integers(0, 30).flatmap(
            lambda places: st.decimals(
                min_value=D("-1e30"),
                max_value=D("1e30"),
                places=places,
                allow_nan=False,
                allow_infinity=False,
            )
        ),
    ),
    st.tuples(st.just(RATIO), st.builds(Ratio, COUNTS, COUNTS)),
    st.tuples(st.just(YESNO), st.booleans()),
    st.tuples(st.just(TEXT), st.text()),
)


@given(case=CANONICAL_CASES)
def test_the_machine_form_round_trips(case: tuple[Spec, Value]) -> None:
    spec, value = case
    canonical = to_canonical(value)
    assert from_canonical(canonical, spec) == value
    assert to_canonical(from_canonical(canonical, spec)) == canonical
    if isinstance(value, Decimal):
        assert re.fullmatch(r"0|-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?", canonical), canonical


# --- The one formatting module: percentages, time left, results against targets -------------


@pytest.mark.parametrize(
    ("left", "vi", "en"),
    [
        (timedelta(days=19), "19 ngày", "19 days"),
        (timedelta(days=10), "10 ngày", "10 days"),
        (timedelta(days=7), "7 ngày", "7 days"),
        (timedelta(days=59), "59 ngày", "59 days"),
        (timedelta(days=75), "2 tháng", "2 months"),
        (timedelta(hours=3), "3 giờ", "3 hours"),
        (timedelta(hours=1, minutes=30), "1 giờ 30 phút", "1 hour 30 minutes"),
        (timedelta(minutes=20), "20 phút", "20 minutes"),
        (timedelta(hours=47, minutes=59), "47 giờ 59 phút", "47 hours 59 minutes"),
        (timedelta(0), "0 phút", "0 minutes"),
    ],
)
def test_time_left_in_days_up_to_two_months_and_hours_under_two_days(
    left: timedelta, vi: str, en: str
) -> None:
    assert format_time_left(left, "vi") == vi
    assert format_time_left(left, "en") == en


@pytest.mark.parametrize(
    ("share", "better", "vi", "en"),
    [
        (D("1.045"), "higher", "104,5%", "104.5%"),
        (D("0.875"), None, "87,5%", "87.5%"),
        (D("0.875"), "lower", "đạt, thấp hơn 12,5%", "met, 12.5% below"),
        (D("1"), "lower", "đạt", "met"),
        (D("1.2"), "lower", "cao hơn 20%", "20% above"),
    ],
)
def test_a_result_against_its_target_says_what_it_is(
    share: D, better: str | None, vi: str, en: str
) -> None:
    assert against_target(share, better, "vi") == vi
    assert against_target(share, better, "en") == en


def test_the_best_value_is_called_highest_or_lowest_never_leading() -> None:
    assert best_label("higher", on_target=False, locale="vi") == "Cao nhất"
    assert best_label("lower", on_target=False, locale="vi") == "Thấp nhất"
    assert best_label("higher", on_target=True, locale="vi") == "Tỷ lệ đạt cao nhất"
    assert best_label("lower", on_target=True, locale="en") == "Lowest against the target"
