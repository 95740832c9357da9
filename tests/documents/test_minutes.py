"""The minutes (Mẫu 1.9) and the invitation, filled in from plain conference data."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from docx.document import Document

from bot.documents import Minutes, Participant, invitation_docx, minutes_docx
from bot.documents.minutes import BLANK
from bot.documents.votes import approval_tally, election_tally
from bot.domain.tally import Base, Threshold, Turnout, VoteRules, count_approval, count_votes
from tests.documents.reading import reopen, table_rows
from tests.documents.samples import APPROVAL, ATTENDANCE, ELECTION, INVITATION, MINUTES
from tests.documents.test_layout import assert_decree_page


def texts_of(document: Document) -> list[str]:
    return [paragraph.text for paragraph in document.paragraphs]


def test_the_attendance_table_lists_each_unit_its_status_and_its_delegates() -> None:
    document = reopen(minutes_docx(MINUTES))
    (table,) = [t for t in document.tables if table_rows(t)[0][:3] == ["STT", "Đơn vị", "Tham dự"]]
    rows = table_rows(table)[1:]
    assert [row[1] for row in rows] == [unit.unit_name for unit in ATTENDANCE]
    assert [row[2] for row in rows] == [
        "Có mặt",
        "Có mặt",
        "Vắng có lý do: Trùng lịch họp của tỉnh",
        "Vắng mặt",
    ]
    delegates = [cell.paragraphs for cell in table.columns[3].cells[1:]]
    assert [p.text for p in delegates[0]] == [
        "Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND thành phố (trưởng đoàn)",
        "Đồng chí Trần Thị Bình, Chuyên viên Phòng Văn hóa – Xã hội",
    ]
    assert [p.text for p in delegates[1]] == ["Đồng chí Y Blao, Chủ tịch UBND xã"]
    assert "Các đơn vị thành viên: có mặt 2/4 đơn vị." in texts_of(document)


def test_each_votes_tally_is_a_table_with_its_quorum_and_threshold_in_words() -> None:
    document = reopen(minutes_docx(MINUTES))
    tallies = [
        t for t in document.tables if table_rows(t)[0][:3] == ["STT", "Nội dung", "Số phiếu"]
    ]
    approval, election = (table_rows(t)[1:] for t in tallies)
    assert approval == [
        ["1", "Tán thành", "2", "100%", "Đạt"],
        ["2", "Không tán thành", "0", "0%", "Không đạt"],
    ]
    assert election == [
        ["1", "Xã Sa Thầy", "1", "25%", "Không đạt"],  # of all 4 units, as the vote says
        ["2", "Phường Kon Tum", "1", "25%", "Không đạt"],
    ]
    texts = texts_of(document)
    assert f"Biểu quyết: {APPROVAL.title}" in texts
    assert "Hình thức: biểu quyết công khai." in texts
    assert "Điều kiện tiến hành: có mặt ít nhất một nửa tổng số đơn vị (đủ điều kiện)." in texts
    assert "Tỷ lệ cần đạt: hơn một nửa số đơn vị có mặt." in texts
    assert "Tỷ lệ cần đạt: ít nhất hai phần ba tổng số đơn vị của Cụm." in texts
    assert "Kết quả: Tán thành." in texts
    assert "Kết quả: không có nội dung nào đạt tỷ lệ cần thiết." in texts
    assert any(text.startswith("Có các nội dung bằng phiếu nhau") for text in texts)


def test_the_votes_are_written_under_the_vote_item_in_the_agenda_order() -> None:
    texts = texts_of(reopen(minutes_docx(MINUTES)))
    items = [t for t in texts if t[:2] in ("1.", "2.", "3.", "4.")]
    assert items == [
        "1. Tuyên bố lý do, giới thiệu đại biểu",
        "2. Báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm (trình bày: Phường Kon Tum)",
        "3. Biểu quyết thông qua báo cáo; bình xét đơn vị dẫn đầu",
        "4. Bế mạc",
    ]
    vote_item, closing_item = texts.index(items[2]), texts.index(items[3])
    assert vote_item < texts.index(f"Biểu quyết: {ELECTION.title}") < closing_item


def test_without_a_vote_item_the_votes_get_an_item_of_their_own() -> None:
    agenda = tuple(replace(item, vote=False) for item in MINUTES.conference.agenda)
    minutes = replace(MINUTES, conference=replace(MINUTES.conference, agenda=agenda))
    texts = texts_of(reopen(minutes_docx(minutes)))
    assert texts.index("5. Biểu quyết") < texts.index(f"Biểu quyết: {APPROVAL.title}")


def test_the_chair_is_named_with_the_formal_register_and_an_unknown_secretary_is_a_blank() -> None:
    document = reopen(minutes_docx(MINUTES))
    texts = texts_of(document)
    assert "Chủ trì: đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường Kon Tum." in texts
    assert f"Thư ký: {BLANK}" in texts
    assert "- Đồng chí Lê Văn Cường, Phó Trưởng Ban Thi đua - Khen thưởng tỉnh;" in texts
    secretary, chair = document.tables[-1].rows[0].cells
    assert [p.text for p in secretary.paragraphs if p.text] == ["THƯ KÝ"]
    assert [p.text for p in chair.paragraphs if p.text] == ["CHỦ TRÌ", "Nguyễn Văn An"]
    assert texts[-1] == "- Lưu: VT."


def test_the_start_place_and_closing_time_are_written_or_left_blank() -> None:
    texts = texts_of(reopen(minutes_docx(MINUTES)))
    assert "Thời gian bắt đầu: 14 giờ 00 phút, ngày 10 tháng 7 năm 2026." in texts
    assert "Địa điểm: Hội trường UBND xã Sa Thầy." in texts
    assert "Hội nghị kết thúc vào …… giờ …… phút, ngày 10 tháng 7 năm 2026./." in texts
    closed = replace(MINUTES, closed_at=datetime(2026, 7, 10, 17, 5))
    assert "Hội nghị kết thúc vào 17 giờ 05 phút, ngày 10 tháng 7 năm 2026./." in texts_of(
        reopen(minutes_docx(closed))
    )


def test_the_minutes_are_on_the_decrees_page_titled_bien_ban() -> None:
    document = reopen(minutes_docx(Minutes(MINUTES.conference, ATTENDANCE)))
    assert_decree_page(document)
    assert "BIÊN BẢN" in texts_of(document)
    assert document.tables[0].rows[1].cells[0].text.endswith("/BB-CTĐ2")


def test_the_vote_engines_counts_become_the_minutes_rows() -> None:
    turnout = Turnout(members=5, present=4)
    rules = VoteRules(threshold=Threshold(1, 2, inclusive=False), base=Base.PRESENT)
    approval = count_approval(rules, ["tan-thanh"] * 3 + ["khong-y-kien"], turnout)
    written = approval_tally("Thông qua báo cáo", approval, turnout)
    assert [(r.label, r.votes, r.passes) for r in written.rows] == [
        ("Tán thành", 3, True),
        ("Không tán thành", 0, False),
        ("Không có ý kiến", 1, False),
    ]
    assert (written.units_present, written.units_total, written.ballots) == (4, 5, 4)
    assert (written.threshold, written.quorum, written.base, written.secret) == (
        ">1/2",
        ">1/2",
        "present",
        False,
    )
    election = count_votes(rules, ["a", "b", "c"], [["a"], ["b"], ["a"], ["b"]], turnout)
    names = {"a": "Huyện A", "b": "Huyện B", "c": "Huyện C"}
    rows = election_tally("Suy tôn", election, turnout, names=names).rows
    assert [(r.label, r.votes, r.passes) for r in rows] == [
        ("Huyện A", 2, False),
        ("Huyện B", 2, False),
        ("Huyện C", 0, False),
    ]
    assert not any(row.passes for row in rows)  # 2 of 4 present is not more than half


def test_the_invitation_says_whom_when_where_the_programme_and_how_to_register() -> None:
    document = reopen(invitation_docx(INVITATION))
    assert_decree_page(document)
    texts = texts_of(document)
    assert texts[:3] == ["GIẤY MỜI", "Dự Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026", ""]
    assert "Cụm thi đua số 2 – tỉnh Quảng Ngãi trân trọng kính mời:" in texts
    assert "- Đồng chí lãnh đạo Xã Sa Thầy;" in texts
    assert "Thời gian: 14 giờ 00 phút, thứ sáu, ngày 10 tháng 7 năm 2026." in texts
    assert "Địa điểm: Hội trường UBND xã Sa Thầy." in texts
    report = "Báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm (trình bày: Phường Kon Tum)"
    assert f"- 14:10: {report};" in texts
    assert "Mỗi đơn vị cử không quá 3 đại biểu, kể cả trưởng đoàn." in texts
    assert (
        "Đề nghị các đơn vị đăng ký đại biểu qua bot của Cụm trước 17 giờ 00 phút, "
        "ngày 07 tháng 7 năm 2026."
    ) in texts
    assert document.tables[0].rows[1].cells[1].text == "Sa Thầy, ngày 26 tháng 6 năm 2026"
    signer = replace(INVITATION, signer=Participant("Nguyễn Văn An"))
    signature = reopen(invitation_docx(signer)).tables[-1].rows[0].cells[1]
    assert [p.text for p in signature.paragraphs if p.text][-1] == "Nguyễn Văn An"
