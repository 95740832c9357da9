"""What a unit types when it registers delegates: names, positions, a reason, checked (pure)."""

from __future__ import annotations

import re

from bot.domain.i18n import gettext_for

__all__ = [
    "MAX_NAME",
    "MAX_REASON",
    "MAX_TITLE",
    "name_problem",
    "reason_problem",
    "tidy",
    "title_problem",
    "yes_or_no",
]

MAX_NAME = 120  # characters of a full name (họ và tên)
MAX_TITLE = 120  # characters of a position (chức vụ)
MAX_REASON = 500  # characters of why a unit does not attend

# A unit or indicator code (`kon-tum`, `thu_ngan_sach`) typed where a name goes.
_CODE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)+$")
_YES = frozenset({"có", "co", "yes", "y", "có tham dự", "tham dự"})
_NO = frozenset({"không", "khong", "ko", "no", "n", "không tham dự"})


def tidy(text: str) -> str:
    """The text with its spaces and line breaks collapsed, as it is stored and shown."""
    return " ".join(text.split())


def name_problem(text: str, *, locale: str) -> str | None:
    """Why `text` is not a full name, politely; None when it is one."""
    _ = gettext_for(locale)
    name = tidy(text)
    if not name:
        return _("Họ và tên không được để trống. Anh/chị vui lòng gõ họ và tên đầy đủ.")
    if len(name) > MAX_NAME:
        return _(
            "Họ và tên dài {length} ký tự, tối đa {limit} ký tự. "
            "Anh/chị vui lòng gõ lại họ và tên (không kèm chức vụ)."
        ).format(length=len(name), limit=MAX_NAME)
    if any(character.isdigit() for character in name) or _CODE.match(name):
        return _(
            "«{text}» không phải là họ và tên: họ tên không có chữ số hay mã. "
            "Anh/chị vui lòng gõ họ và tên, ví dụ «Nguyễn Văn An»."
        ).format(text=name[:40])
    if not any(character.isalpha() for character in name):
        return _("Họ và tên cần có chữ cái. Anh/chị vui lòng gõ lại, ví dụ «Nguyễn Văn An».")
    return None


def title_problem(text: str, *, locale: str) -> str | None:
    """Why `text` is not a position (chức vụ); None when it is one."""
    _ = gettext_for(locale)
    title = tidy(text)
    if not title:
        return _("Chức vụ không được để trống. Ví dụ: «Phó Chủ tịch UBND xã».")
    if len(title) > MAX_TITLE:
        return _(
            "Chức vụ dài {length} ký tự, tối đa {limit} ký tự. Anh/chị vui lòng gõ gọn lại."
        ).format(length=len(title), limit=MAX_TITLE)
    if not any(character.isalpha() for character in title):
        return _("«{text}» không phải là chức vụ. Ví dụ: «Phó Chủ tịch UBND xã».").format(
            text=title[:40]
        )
    return None


def reason_problem(text: str, *, locale: str) -> str | None:
    """Why `text` is not a reason for not attending; None when it is one."""
    _ = gettext_for(locale)
    reason = tidy(text)
    if not reason or not any(character.isalpha() for character in reason):
        return _("Anh/chị vui lòng gõ lý do đơn vị không tham dự, bằng chữ.")
    if len(reason) > MAX_REASON:
        return _(
            "Lý do dài {length} ký tự, tối đa {limit} ký tự. Anh/chị vui lòng gõ gọn lại."
        ).format(length=len(reason), limit=MAX_REASON)
    return None


def yes_or_no(text: str) -> bool | None:
    """`có` -> True, `không` -> False, typed instead of pressing a button; None otherwise."""
    word = tidy(text).lower().rstrip(".!")
    if word in _YES:
        return True
    if word in _NO:
        return False
    return None
