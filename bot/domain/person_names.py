"""A person's full name as Vietnamese writes it, from what Telegram knows (pure)."""

from __future__ import annotations

__all__ = ["vietnamese_order"]

# The commonest family names: a Telegram last name that is one of them goes first.
_FAMILY_NAMES = frozenset(
    (
        "nguyễn", "trần", "lê", "phạm", "hoàng", "huỳnh", "phan", "vũ", "võ", "đặng", "bùi",
        "đỗ", "hồ", "ngô", "dương", "lý", "đinh", "đào", "trịnh", "mai", "lương", "cao", "tạ",
        "hà", "lâm", "tô", "chu", "đoàn", "vương", "trương", "quách", "thái", "kiều", "lưu",
        "triệu",
    )
)  # fmt: skip


def vietnamese_order(first_name: str, last_name: str | None) -> str:
    """Telegram's names in Vietnamese order, family name first: `Hoa` + `Nguyễn Thị` ->
    `Nguyễn Thị Hoa`; a first name that already starts with the family name stays."""
    first, last = " ".join(first_name.split()), " ".join((last_name or "").split())
    if not last:
        return first
    if not first:
        return last
    if _family(last) and not _family(first):
        return f"{last} {first}"
    return f"{first} {last}"


def _family(name: str) -> bool:
    return name.split()[0].casefold() in _FAMILY_NAMES
