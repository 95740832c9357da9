"""Plain data the documents are written from: the letterhead, the signer, a conference."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal, TypeAlias

__all__ = [
    "AgendaItem",
    "Attendance",
    "AttendanceStatus",
    "ClusterKind",
    "Conference",
    "Dated",
    "Delegate",
    "IndicatorGroup",
    "Invitation",
    "Letterhead",
    "Minutes",
    "Participant",
    "TallyRow",
    "VoteTally",
]

ClusterKind: TypeAlias = Literal["cum", "khoi"]  # Cụm thi đua | Khối thi đua
AttendanceStatus: TypeAlias = Literal["present", "absent", "excused", "unknown"]
# A document's date: the day it bears, or only its year (day and month left for the clerk).
Dated: TypeAlias = date | int

_DASHES = re.compile(r"\s+[–—-]\s+")
_PROVINCE = re.compile(r"^(?:tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Letterhead:
    """The issuing body's lines at the top left, its abbreviation and the place name (địa danh)."""

    issuer: str  # cơ quan ban hành, e.g. "CỤM THI ĐUA SỐ 2"
    parent: str = ""  # cơ quan chủ quản, e.g. "UBND TỈNH QUẢNG NGÃI"; a line each; empty: none
    place_name: str = ""  # "Kon Tum" in "Kon Tum, ngày … tháng … năm …"; empty: dots
    kind: ClusterKind = "cum"
    abbreviation: str = ""  # after "BC-" in "Số: …/BC-CTĐ2"; empty: from the issuer

    @classmethod
    def for_cluster(
        cls,
        name: str,
        *,
        lines: tuple[str, ...] = (),
        place_name: str | None = None,
        kind: ClusterKind = "cum",
    ) -> Letterhead:
        """The set-up's `letterhead` (parent, then issuer) and `place_name`, else from the name.

        "Cụm thi đua số 2 – tỉnh Quảng Ngãi" gives "UBND TỈNH QUẢNG NGÃI", "CỤM THI ĐUA SỐ 2" and
        "Kon Tum", the way the provinces' clusters head their papers.
        """
        parts = _DASHES.split(name.strip(), maxsplit=1)
        own, province = parts[0], parts[1] if len(parts) > 1 else ""
        derived_parent = f"UBND {province}".upper() if province else ""
        if lines:
            # Of three lines, the first two are the parent bodies (UBND TỈNH…, HỘI ĐỒNG…).
            parent, issuer = "\n".join(lines[:-1]), lines[-1]
        else:
            parent, issuer = derived_parent, own.upper()
        place = place_name if place_name is not None else _PROVINCE.sub("", province)
        return cls(issuer=issuer, parent=parent, place_name=place, kind=kind)

    @property
    def short(self) -> str:
        """The abbreviation after the document code: set, or the issuer's initials and number."""
        if self.abbreviation:
            return self.abbreviation
        words = [word for word in re.split(r"[\s,.;–—-]+", self.issuer) if word]
        letters = "".join(word[0] for word in words if not word.isdigit() and word != "SỐ")
        digits = "".join(word for word in words if word.isdigit())
        return letters[:3] + digits


@dataclass(frozen=True, slots=True)
class IndicatorGroup:
    """A heading of the report's first part and the indicators (by code) under it."""

    title: str
    indicator_codes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AgendaItem:
    """One item of a conference's programme, in order."""

    title: str
    at: str = ""  # "14:10", as the set-up writes it; empty when not timed
    presenter: str = ""  # the presenting unit's name
    vote: bool = False  # the votes are recorded under this item


@dataclass(frozen=True, slots=True)
class Participant:
    """Someone named in a document; blank lines are left for what is not known."""

    name: str = ""
    position: str = ""


@dataclass(frozen=True, slots=True)
class Delegate:
    """A member of a unit's delegation."""

    name: str
    position: str = ""
    head: bool = False  # trưởng đoàn


@dataclass(frozen=True, slots=True)
class Attendance:
    """A unit at the conference: present, absent, excused (with its reason) or not recorded."""

    unit_name: str
    status: AttendanceStatus
    reason: str = ""
    delegates: tuple[Delegate, ...] = ()


@dataclass(frozen=True, slots=True)
class TallyRow:
    """One answer or candidate of a vote and its ballots; `passes` as the count decided."""

    label: str
    votes: int
    passes: bool = False  # meets the threshold (and, for an election, is among the seats)


@dataclass(frozen=True, slots=True)
class VoteTally:
    """A vote's count as the vote code computed it; the minutes only write it down."""

    title: str
    rows: tuple[TallyRow, ...]
    units_total: int
    units_present: int
    ballots: int  # ballots cast
    threshold: str  # ">1/2", ">=2/3"
    base: Literal["present", "all"] = "present"
    quorum: str = ""  # same notation against all the cluster's units; empty: none
    quorum_met: bool = True
    secret: bool = True
    tie: bool = False  # a tie at the last seat, left to the conference
    held: bool = True  # False: defined but not held yet; the minutes leave its count blank

    @property
    def base_units(self) -> int:
        """The number of units the threshold is measured against."""
        return self.units_present if self.base == "present" else self.units_total


@dataclass(frozen=True, slots=True)
class Conference:
    """A conference as its papers name it."""

    code: str
    name: str  # "Hội nghị sơ kết công tác thi đua 6 tháng đầu năm 2026"
    kind: str  # so-ket | tong-ket | phat-dong | other
    cluster_name: str
    letterhead: Letterhead
    starts: datetime  # local time of the place
    place: str
    host: str = ""  # the host unit's name
    ends: datetime | None = None
    agenda: tuple[AgendaItem, ...] = ()
    units: tuple[str, ...] = ()  # the member units' names, in the set-up's order
    rsvp_by: datetime | None = None
    delegates_per_unit: int | None = None


@dataclass(frozen=True, slots=True)
class Invitation:
    """A giấy mời: the conference, whom it invites, who signs and where copies go."""

    conference: Conference
    dated: Dated
    invitees: tuple[str, ...] = ()  # empty: the leaders of every member unit
    signer: Participant = Participant()
    recipients: tuple[str, ...] = ()  # before "- Lưu: VT."; empty: the usual list


@dataclass(frozen=True, slots=True)
class Minutes:
    """A biên bản (Mẫu 1.9): who came, who chaired and wrote, the items, the votes, the end."""

    conference: Conference
    attendance: tuple[Attendance, ...]
    guests: tuple[Participant, ...] = ()  # the province's leaders and other guests
    chaired_by: Participant = Participant()
    secretary: Participant = Participant()
    votes: tuple[VoteTally, ...] = ()
    closed_at: datetime | None = None  # blank in the minutes when not recorded
    recipients: tuple[str, ...] = ()
