"""A conference as the conference code would fill it: the example's mid-year review."""

from __future__ import annotations

from datetime import date, datetime

from bot.documents import (
    AgendaItem,
    Attendance,
    Conference,
    Delegate,
    Invitation,
    Letterhead,
    Minutes,
    Participant,
    TallyRow,
    VoteTally,
)

CLUSTER_NAME = "Cụm thi đua số 2 – tỉnh Quảng Ngãi"
LETTERHEAD = Letterhead.for_cluster(CLUSTER_NAME, place_name="Sa Thầy")
UNITS = ("Phường Kon Tum", "Xã Sa Thầy", "Phường Đăk Cấm", "Xã Mô Rai")
CONFERENCE = Conference(
    code="2026-h1-hn",
    name="Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026",
    kind="so-ket",
    cluster_name=CLUSTER_NAME,
    letterhead=LETTERHEAD,
    starts=datetime(2026, 7, 10, 14, 0),
    place="Hội trường UBND xã Sa Thầy",
    host="Xã Sa Thầy",
    agenda=(
        AgendaItem("Tuyên bố lý do, giới thiệu đại biểu", "14:00"),
        AgendaItem("Báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm", "14:10", "Phường Kon Tum"),
        AgendaItem("Biểu quyết thông qua báo cáo; bình xét đơn vị dẫn đầu", "15:40", vote=True),
        AgendaItem("Bế mạc", "16:40"),
    ),
    units=UNITS,
    rsvp_by=datetime(2026, 7, 7, 17, 0),
    delegates_per_unit=3,
)
ATTENDANCE = (
    Attendance(
        "Phường Kon Tum",
        "present",
        delegates=(
            Delegate("Nguyễn Văn An", "Phó Chủ tịch UBND thành phố", head=True),
            Delegate("Trần Thị Bình", "Chuyên viên Phòng Văn hóa – Xã hội"),
        ),
    ),
    Attendance("Xã Sa Thầy", "present", delegates=(Delegate("Y Blao", "Chủ tịch UBND xã"),)),
    Attendance("Phường Đăk Cấm", "excused", reason="Trùng lịch họp của tỉnh"),
    Attendance("Xã Mô Rai", "absent"),
)
APPROVAL = VoteTally(
    title="Thông qua báo cáo sơ kết 6 tháng đầu năm 2026 của Cụm",
    rows=(TallyRow("Tán thành", 2, passes=True), TallyRow("Không tán thành", 0)),
    units_total=4,
    units_present=2,
    ballots=2,
    threshold=">1/2",
    quorum=">=1/2",
    secret=False,
)
ELECTION = VoteTally(
    title="Suy tôn đơn vị dẫn đầu phong trào thi đua 6 tháng đầu năm 2026",
    rows=(TallyRow("Xã Sa Thầy", 1), TallyRow("Phường Kon Tum", 1)),
    units_total=4,
    units_present=2,
    ballots=2,
    threshold=">=2/3",
    base="all",
    tie=True,
)
MINUTES = Minutes(
    conference=CONFERENCE,
    attendance=ATTENDANCE,
    guests=(Participant("Lê Văn Cường", "Phó Trưởng Ban Thi đua - Khen thưởng tỉnh"),),
    chaired_by=Participant("Nguyễn Văn An", "Phó Chủ tịch UBND phường Kon Tum"),
    votes=(APPROVAL, ELECTION),
)
INVITATION = Invitation(conference=CONFERENCE, dated=date(2026, 6, 26))
