"""Agenda templates per conference kind, and agenda items typed in the chat as lines."""

from __future__ import annotations

import pytest

from bot.domain.agenda import (
    CONFERENCE_KINDS,
    MAX_ITEMS,
    VOTE,
    AgendaItem,
    agenda_template,
    parse_agenda_lines,
    parse_clock,
)


def _titles(kind: str, cluster_kind: str = "cum", locale: str = "vi") -> list[str]:
    template = agenda_template(kind, year=2026, cluster_kind=cluster_kind, locale=locale)
    return [item.title for item in template]


def test_the_mid_year_template_follows_the_usual_order_of_a_so_ket() -> None:
    assert _titles("so-ket") == [
        "Tuyên bố lý do, giới thiệu đại biểu",
        "Báo cáo sơ kết công tác thi đua 6 tháng đầu năm 2026 của Cụm",
        "Các đơn vị thảo luận, trao đổi kinh nghiệm",
        "Biểu quyết thông qua báo cáo sơ kết",
        "Phát biểu chỉ đạo của lãnh đạo tỉnh",
        "Triển khai nhiệm vụ 6 tháng cuối năm 2026",
        "Bế mạc hội nghị",
    ]


def test_the_year_end_template_adds_scores_the_vote_next_years_leaders_and_the_pledge() -> None:
    titles = _titles("tong-ket")
    assert "Thông qua kết quả chấm điểm, xếp hạng thi đua năm 2026" in titles
    assert "Bình xét, suy tôn đơn vị dẫn đầu đề nghị tặng Cờ thi đua" in titles
    assert "Công bố Cụm trưởng, Cụm phó năm 2027" in titles
    assert "Ký kết giao ước thi đua năm 2027" in titles
    assert titles[-2:] == ["Triển khai nhiệm vụ năm 2027", "Bế mạc hội nghị"]


def test_a_block_says_khoi_in_its_template() -> None:
    titles = _titles("tong-ket", cluster_kind="khoi")
    assert "Công bố Khối trưởng, Khối phó năm 2027" in titles
    assert "Báo cáo tổng kết công tác thi đua, khen thưởng năm 2026 của Khối" in titles


def test_the_launch_template_signs_the_years_pledge() -> None:
    assert "Ký kết giao ước thi đua năm 2026" in _titles("phat-dong")


def test_the_items_voted_on_are_marked_as_votes() -> None:
    votes = [item.title for item in agenda_template("tong-ket", year=2026) if item.kind == VOTE]
    assert votes == [
        "Biểu quyết thông qua báo cáo tổng kết",
        "Bình xét, suy tôn đơn vị dẫn đầu đề nghị tặng Cờ thi đua",
    ]


@pytest.mark.parametrize("kind", CONFERENCE_KINDS)
def test_every_kind_has_a_template_opening_and_closing_the_meeting(kind: str) -> None:
    titles = _titles(kind)
    assert titles[0] == "Tuyên bố lý do, giới thiệu đại biểu"
    assert titles[-1] == "Bế mạc hội nghị"


def test_templates_are_translated_for_the_english_locale() -> None:
    assert (
        _titles("so-ket", locale="en")[0]
        == "Opening: purpose of the meeting, introduction of guests"
    )


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("14:00", "14:00"),
        ("8:05", "08:05"),
        ("14h", "14:00"),
        ("14h30", "14:30"),
        ("14.30", "14:30"),
        ("9g15", "09:15"),
        ("24:00", None),
        ("14:60", None),
        ("1400", None),
        ("14:00 Khai mạc", None),
    ],
)
def test_times_of_day_are_read_the_ways_people_type_them(text: str, clock: str | None) -> None:
    assert parse_clock(text) == clock


def test_agenda_lines_become_items_with_their_times() -> None:
    parsed = parse_agenda_lines(
        "14:00 Tuyên bố lý do\n"
        "\n"
        "- 14h10 – Báo cáo sơ kết của Cụm\n"
        "3. 14.40: Các đơn vị thảo luận\n"
        "15:40 Biểu quyết thông qua báo cáo\n"
        "Bế mạc\n",
        locale="vi",
    )
    assert parsed.ok
    assert parsed.items == (
        AgendaItem("Tuyên bố lý do", at="14:00"),
        AgendaItem("Báo cáo sơ kết của Cụm", at="14:10"),
        AgendaItem("Các đơn vị thảo luận", at="14:40"),
        AgendaItem("Biểu quyết thông qua báo cáo", at="15:40", kind=VOTE),
        AgendaItem("Bế mạc"),
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("25:00 Khai mạc", "Dòng 1: giờ «25:00» không có thật; viết như 14:00."),
        ("14:00 Khai mạc\n13:00 Báo cáo", "Dòng 2: giờ 13:00 sớm hơn mục trước (14:00)."),
        ("14:00", "Dòng 1: thiếu nội dung sau giờ 14:00."),
        ("14:00 12345", "Dòng 1: nội dung «12345» không có chữ nào."),
        ("14:00 " + "a" * 500, "Dòng 1: nội dung dài 500 ký tự, tối đa 300."),
        (" \n\n", "Chưa có mục nào: gửi mỗi mục một dòng, ví dụ «14:00 Tuyên bố lý do»."),
    ],
)
def test_a_bad_line_gets_a_clear_vietnamese_problem(text: str, problem: str) -> None:
    parsed = parse_agenda_lines(text, locale="vi")
    assert not parsed.ok
    assert parsed.problems == (problem,)


def test_good_lines_are_kept_beside_the_problems_of_bad_ones() -> None:
    parsed = parse_agenda_lines("14:00 Khai mạc\n99:99 Sai\n15:00 Bế mạc", locale="vi")
    assert [item.title for item in parsed.items] == ["Khai mạc", "Bế mạc"]
    assert [problem.split(":")[0] for problem in parsed.problems] == ["Dòng 2"]


def test_too_many_items_are_refused() -> None:
    parsed = parse_agenda_lines("\n".join(f"Mục {n}" for n in range(MAX_ITEMS + 1)), locale="vi")
    assert parsed.problems == ("Chương trình có 31 mục, nhiều quá 30 mục.",)


def test_problems_are_in_english_for_the_english_locale() -> None:
    parsed = parse_agenda_lines("14:00", locale="en")
    assert parsed.problems == ("Line 1: nothing after the time 14:00.",)
