"""File names for people: ASCII, from codes, saying what the document is."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "REVIEW_KINDS",
    "invitation_file_name",
    "minutes_file_name",
    "report_file_name",
    "review_kind",
]

REVIEW_KINDS = ("so-ket", "tong-ket")
_NOT_SAFE = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    """`Sơ kết 2026/H1` -> `so-ket-2026-h1`."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(char for char in folded if not unicodedata.combining(char)).lower()
    return _NOT_SAFE.sub("-", plain).strip("-")


def review_kind(period_name: str, conference_kind: str | None = None) -> str:
    """`so-ket` or `tong-ket`: the conference's kind when it has one, else from the period."""
    if conference_kind in REVIEW_KINDS:
        return conference_kind
    return "tong-ket" if "tong-ket" in _ascii(period_name) else "so-ket"


def report_file_name(kind: str, period_code: str, cluster_code: str) -> str:
    """`Bao-cao-so-ket-2026-h1-kt-cum2.docx`."""
    return f"Bao-cao-{_ascii(kind)}-{_ascii(period_code)}-{_ascii(cluster_code)}.docx"


def minutes_file_name(conference_code: str) -> str:
    """`Bien-ban-2026-h1-hn.docx`."""
    return f"Bien-ban-{_ascii(conference_code)}.docx"


def invitation_file_name(conference_code: str) -> str:
    """`Giay-moi-2026-h1-hn.docx`."""
    return f"Giay-moi-{_ascii(conference_code)}.docx"
