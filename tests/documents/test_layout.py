"""The decree's layout, read back from the documents: page, fonts, header, dates, closing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt
from docx.text.paragraph import Paragraph

from bot.documents import (
    Letterhead,
    invitation_docx,
    invitation_file_name,
    minutes_docx,
    minutes_file_name,
    report_file_name,
    review_kind,
)
from bot.documents.dates import date_line, day_and_month, long_date, weekday
from bot.documents.layout import _LOOKS, BODY, FONT, new_document, text_span
from bot.documents.measure import text_width
from bot.documents.parts import CELL_PADDING, HEADER_COLUMNS, roman
from tests.documents.reading import RANGES_MM, alignment, find, looks, mm, reopen
from tests.documents.samples import INVITATION, MINUTES

BUILDERS: dict[str, Callable[[], bytes]] = {
    "invitation": lambda: invitation_docx(INVITATION),
    "minutes": lambda: minutes_docx(MINUTES),
}
LOOKED = tuple(_LOOKS)
QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def assert_decree_page(document: Document) -> None:
    """A4 portrait (first section) and every margin within the decree's range."""
    first = document.sections[0]
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert (mm(first.page_width), mm(first.page_height)) == (210.0, 297.0)
    for section in document.sections:
        for side, (low, high) in RANGES_MM.items():
            assert low <= mm(getattr(section, f"{side}_margin")) <= high, side


@pytest.fixture(scope="module", params=sorted(BUILDERS))
def document(request: pytest.FixtureRequest) -> Document:
    """Each conference paper, reopened."""
    return reopen(BUILDERS[request.param]())


def test_each_paper_is_a4_portrait_with_margins_in_the_decrees_ranges(
    document: Document,
) -> None:
    assert_decree_page(document)


def test_every_style_is_times_new_roman_in_black_for_every_script(document: Document) -> None:
    for name in (*LOOKED, "Header"):
        style = document.styles[name]
        fonts = style.element.rPr.rFonts if name != "Header" else None
        if fonts is not None:
            for script in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
                assert fonts.get(qn(script)) == FONT, (name, script)
            assert fonts.get(qn("w:asciiTheme")) is None, name
            assert style.font.color.rgb == (0, 0, 0), name
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults is not None
    default_fonts = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default_fonts is not None
    assert default_fonts.get(qn("w:eastAsia")) == FONT
    number = document.sections[0].header.paragraphs[0].runs[0]
    assert number.font.name == FONT


def test_body_text_is_14pt_justified_indented_and_spaced_as_the_decree_says() -> None:
    body = new_document().styles[BODY]
    form = body.paragraph_format
    assert body.font.size == Pt(14)
    assert form.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY
    assert Cm(1) <= (form.first_line_indent or 0) <= Cm(1.27) + 1
    assert (form.space_after or 0) >= Pt(6)
    assert isinstance(form.line_spacing, float)
    assert 1 <= form.line_spacing <= 1.5


def _rule_share(rule: Paragraph, width: Length, text: str, size: float) -> float:
    border = rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    assert border is not None and border.get(qn("w:val")) == "single"
    form = rule.paragraph_format
    length = width - (form.left_indent or 0) - (form.right_indent or 0)
    return float(Length(length).pt) / text_width(text, size, bold=True)


def test_the_header_has_the_issuer_the_quoc_hieu_and_the_tieu_ngu_in_their_sizes(
    document: Document,
) -> None:
    header = document.tables[0]
    issuer, nation = header.rows[0].cells
    parent, body, rule = issuer.paragraphs[:3]
    assert (parent.text, looks(parent)) == ("UBND TỈNH QUẢNG NGÃI", {(13, False, False)})
    assert (body.text, looks(body)) == ("CỤM THI ĐUA SỐ 2", {(13, True, False)})
    share = _rule_share(rule, Length(HEADER_COLUMNS[0] - CELL_PADDING), body.text, 13)
    assert 1 / 3 <= share <= 1 / 2
    quoc_hieu, tieu_ngu = nation.paragraphs[:2]
    assert (quoc_hieu.text, looks(quoc_hieu)) == (QUOC_HIEU, {(13, True, False)})
    assert (tieu_ngu.text, looks(tieu_ngu)) == (TIEU_NGU, {(14, True, False)})
    assert tieu_ngu.runs[0].underline  # a rule exactly as long as the line
    number, place = header.rows[1].cells
    assert number.text.startswith("Số:") and number.text.endswith("-CTĐ2")
    assert number.text.split("/")[0].replace("\u00a0", "").strip() == "Số:"  # for the clerk
    assert looks(number.paragraphs[0]) == {(13, False, False)}
    assert place.text.startswith("Sa Thầy, ngày ")
    assert looks(place.paragraphs[0]) == {(14, False, True)}
    centred = WD_ALIGN_PARAGRAPH.CENTER
    assert all(alignment(cell.paragraphs[0]) == centred for cell in header._cells)


def test_the_header_table_has_no_borders(document: Document) -> None:
    assert document.tables[0].style is None or document.tables[0].style.name == "Normal Table"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 9), "ngày 09 tháng 02 năm 2026"),
        (date(2026, 3, 1), "ngày 01 tháng 3 năm 2026"),
        (date(2026, 7, 17), "ngày 17 tháng 7 năm 2026"),
        (date(2026, 10, 9), "ngày 09 tháng 10 năm 2026"),
        (date(2026, 12, 10), "ngày 10 tháng 12 năm 2026"),
    ],
)
def test_days_below_ten_and_the_first_two_months_take_a_leading_zero(
    day: date, expected: str
) -> None:
    assert long_date(day, "vi") == expected
    assert date_line("Kiên Lương", day, "vi") == f"Kiên Lương, {expected}"


def test_a_date_of_a_year_alone_leaves_day_and_month_blank_and_no_place_gives_dots() -> None:
    line = date_line("", 2026, "vi")
    assert line.startswith("……, ngày ") and line.endswith(" năm 2026")
    assert "\u00a0" * 6 in line
    assert day_and_month(date(2026, 11, 30)) == ("30", "11")


def test_weekdays_read_inside_a_sentence() -> None:
    assert weekday(date(2026, 7, 10), "vi") == "thứ sáu"
    assert weekday(date(2026, 7, 12), "vi") == "chủ nhật"
    assert weekday(date(2026, 7, 10), "en") == "Friday"


def test_the_type_and_subject_are_centred_bold_with_a_short_rule_below(
    document: Document,
) -> None:
    paragraphs = document.paragraphs
    index = next(n for n, p in enumerate(paragraphs) if p.text in ("GIẤY MỜI", "BIÊN BẢN"))
    kind, subject, rule = paragraphs[index : index + 3]
    for paragraph in (kind, subject):
        assert alignment(paragraph) == WD_ALIGN_PARAGRAPH.CENTER
        assert looks(paragraph) == {(14, True, False)}
    share = _rule_share(rule, text_span(document.sections[0]), subject.text, 14)
    assert 1 / 3 <= share <= 1 / 2


def test_page_numbers_start_on_page_two_centred_in_the_top_margin(document: Document) -> None:
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" not in section.first_page_header._element.xml
    number = section.header.paragraphs[0]
    assert number.alignment == WD_ALIGN_PARAGRAPH.CENTER
    instruction = number._p.find(f".//{qn('w:instrText')}")
    assert instruction is not None and instruction.text.strip() == "PAGE"
    assert number.runs[0].font.size == Pt(14)
    assert mm(section.header_distance) < mm(section.top_margin)


def test_the_signature_is_on_behalf_of_the_cluster_and_the_recipients_end_with_the_archive() -> (
    None
):
    document = reopen(invitation_docx(INVITATION))
    closing = document.tables[-1]
    recipients, signature = closing.rows[0].cells
    authority = [p for p in signature.paragraphs if p.text]
    assert [p.text for p in authority] == ["TM. CỤM THI ĐUA", "CỤM TRƯỞNG"]
    assert all(looks(p) == {(14, True, False)} for p in authority)
    title, *items = (p for p in recipients.paragraphs if p.text)
    assert (title.text, looks(title)) == ("Nơi nhận:", {(12, True, True)})
    assert items[-1].text == "- Lưu: VT."
    assert all(p.text.startswith("- ") and looks(p) == {(11, False, False)} for p in items)
    assert all(p.text.endswith(";") for p in items[:-1])


def test_a_block_signs_as_a_block() -> None:
    block = Letterhead.for_cluster("Khối thi đua các sở, ngành – tỉnh Quảng Ninh", kind="khoi")
    paper = replace(INVITATION, conference=replace(INVITATION.conference, letterhead=block))
    document = reopen(invitation_docx(paper))
    signature = document.tables[-1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text] == ["TM. KHỐI THI ĐUA", "KHỐI TRƯỞNG"]
    assert "bot của Khối" in "\n".join(p.text for p in document.paragraphs)
    assert find(document, "UBND TỈNH QUẢNG NINH").text == "UBND TỈNH QUẢNG NINH"


@pytest.mark.parametrize(
    ("name", "lines", "place", "expected"),
    [
        (
            "Cụm thi đua số 2 – tỉnh Quảng Ngãi",
            (),
            None,
            ("UBND TỈNH QUẢNG NGÃI", "CỤM THI ĐUA SỐ 2", "Quảng Ngãi", "CTĐ2"),
        ),
        ("Cụm thi đua số 3", (), None, ("", "CỤM THI ĐUA SỐ 3", "", "CTĐ3")),
        (
            "Cụm thi đua số 3 - tỉnh Kiên Giang",
            ("UBND TỈNH KIÊN GIANG", "CỤM THI ĐUA SỐ 3"),
            "Kiên Lương",
            ("UBND TỈNH KIÊN GIANG", "CỤM THI ĐUA SỐ 3", "Kiên Lương", "CTĐ3"),
        ),
        (
            "Khối các sở",
            ("KHỐI THI ĐUA CÁC SỞ",),
            "Hạ Long",
            ("", "KHỐI THI ĐUA CÁC SỞ", "Hạ Long", "KTĐ"),
        ),
        (
            "Khối các sở",
            ("UBND TỈNH QUẢNG TRỊ", "HỘI ĐỒNG THI ĐUA – KHEN THƯỞNG", "KHỐI THI ĐUA CÁC SỞ"),
            "Đông Hà",
            (
                "UBND TỈNH QUẢNG TRỊ\nHỘI ĐỒNG THI ĐUA – KHEN THƯỞNG",
                "KHỐI THI ĐUA CÁC SỞ",
                "Đông Hà",
                "KTĐ",
            ),
        ),
    ],
)
def test_the_letterhead_comes_from_the_set_up_or_else_from_the_clusters_name(
    name: str, lines: tuple[str, ...], place: str | None, expected: tuple[str, ...]
) -> None:
    head = Letterhead.for_cluster(name, lines=lines, place_name=place)
    assert (head.parent, head.issuer, head.place_name, head.short) == expected


def test_file_names_are_ascii_and_say_what_the_paper_is() -> None:
    kind = review_kind("Sơ kết 6 tháng đầu năm 2026")
    assert report_file_name(kind, "2026-h1", "kt-cum2") == "Bao-cao-so-ket-2026-h1-kt-cum2.docx"
    assert review_kind("Tổng kết năm 2026") == "tong-ket"
    assert review_kind("Kỳ 2", conference_kind="tong-ket") == "tong-ket"
    assert minutes_file_name("2026-h1-hn") == "Bien-ban-2026-h1-hn.docx"
    assert invitation_file_name("Hội nghị Đà Lạt") == "Giay-moi-hoi-nghi-da-lat.docx"


def test_section_numbers_are_roman() -> None:
    assert [roman(n) for n in (1, 2, 3, 4, 9, 14)] == ["I", "II", "III", "IV", "IX", "XIV"]
