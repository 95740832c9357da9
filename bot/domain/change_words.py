"""Changes in words, for the import preview, `thidua import` and `/audit`: "Sửa tên đơn vị
sa-thay: “Xã Sa Thầy” → “Xã Sa Bình”", times in local time, no JSON and no ids (pure)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal

from bot.domain.formatting import format_moment, format_span
from bot.domain.i18n import N_, babel_locale, gettext_for

__all__ = ["change_sentence", "details_text", "entity_word", "value_text"]

# What each audited row is called.
_ENTITIES = {
    "cluster": N_("cụm"),
    "unit": N_("đơn vị"),
    "cluster_unit": N_("đơn vị của cụm"),
    "pledge": N_("giao ước"),
    "indicator": N_("chỉ tiêu"),
    "target": N_("chỉ tiêu giao"),
    "period": N_("kỳ báo cáo"),
    "period_cluster": N_("cụm báo cáo trong kỳ"),
    "leadership": N_("cụm trưởng, cụm phó"),
    "conference": N_("hội nghị"),
    "agenda_item": N_("mục chương trình"),
    "vote": N_("biểu quyết"),
    "registration": N_("đợt đăng ký chỉ tiêu"),
    "scoring_criterion": N_("tiêu chí chấm điểm"),
    "scoring_class": N_("mức xếp loại"),
    "person": N_("người dùng"),
    "group": N_("nhóm"),
}
# What each field is called; a field not named here is shown by its own name.
_FIELDS = {
    "name": N_("tên"),
    "title": N_("tên"),
    "kind": N_("loại"),
    "language": N_("ngôn ngữ"),
    "letterhead": N_("tiêu đề văn bản"),
    "place_name": N_("địa danh"),
    "place": N_("địa điểm"),
    "year": N_("năm"),
    "position": N_("thứ tự"),
    "active": N_("đang dùng"),
    "unit_label": N_("đơn vị tính"),
    "better": N_("chiều tốt"),
    "min_value": N_("giá trị nhỏ nhất"),
    "max_value": N_("giá trị lớn nhất"),
    "integer": N_("số nguyên"),
    "required": N_("bắt buộc"),
    "options": N_("các lựa chọn"),
    "value": N_("giá trị"),
    "covers_from": N_("số liệu từ ngày"),
    "covers_to": N_("số liệu đến ngày"),
    "opens_at": N_("mở kỳ"),
    "deadline_at": N_("hạn nộp"),
    "reminder_offsets": N_("nhắc trước hạn"),
    "digest_time": N_("giờ đăng bảng tiến độ"),
    "lock_after_minutes": N_("khóa sổ sau hạn"),
    "quiet_hours": N_("giờ không nhắc"),
    "timezone": N_("múi giờ"),
    "state": N_("trạng thái"),
    "role": N_("vai trò"),
    "expires_at": N_("hết hạn"),
    "revision": N_("lần nộp"),
    "late": N_("nộp muộn"),
    "reason": N_("lý do"),
    "returned_reason": N_("lý do"),
    "revoked": N_("đã thu hồi"),
    "is_admin": N_("quản trị viên"),
    "chair": N_("cụm trưởng"),
    "vice_chair": N_("cụm phó"),
    "period": N_("kỳ"),
    "cluster": N_("cụm"),
    "starts_at": N_("khai mạc"),
    "ends_at": N_("bế mạc"),
    "invite_at": N_("gửi giấy mời"),
    "rsvp_by": N_("hạn đăng ký dự"),
    "max_delegates": N_("số đại biểu tối đa"),
    "status": N_("tình trạng"),
    "explanation": N_("giải trình"),
    "text": N_("nội dung"),
    "points": N_("điểm"),
    "max_points": N_("điểm tối đa"),
    "threshold": N_("ngưỡng"),
    "rule": N_("cách tính"),
    "rate": N_("mức"),
}
# Words for a few stored values.
_VALUES = {
    "focal": N_("đầu mối nộp số liệu"),
    "chair": N_("người liên hệ của cụm trưởng"),
    "higher": N_("cao hơn là tốt"),
    "lower": N_("thấp hơn là tốt"),
    "scheduled": N_("chưa mở"),
    "open": N_("đang mở"),
    "locked": N_("đã khóa sổ"),
    "unlocked": N_("mở khóa"),
    "number": N_("số"),
    "percent": N_("phần trăm"),
    "ratio": N_("tỷ số"),
    "yesno": N_("có/không"),
    "choice": N_("lựa chọn"),
    "file": N_("tệp"),
    "cum": N_("Cụm thi đua"),
    "khoi": N_("Khối thi đua"),
}
# Fields that hold a figure in its machine form ("0.3"), shown the Vietnamese way ("0,3").
_FIGURES = {"value", "min_value", "max_value", "threshold", "points", "max_points", "rate"}
_NUMBER = re.compile(r"-?\d+(\.\d+)?")
# Fields that count minutes.
_MINUTES = {"lock_after_minutes", "reminder_offsets"}
# A row that only says one thing belongs to another: how adding and removing it is said.
_MEMBERS = {
    "cluster_unit": (
        N_("Thêm đơn vị {part} vào cụm {whole}"),
        N_("Bỏ đơn vị {part} khỏi cụm {whole}"),
    ),
    "period_cluster": (
        N_("Thêm cụm {part} vào kỳ báo cáo {whole}"),
        N_("Bỏ cụm {part} khỏi kỳ báo cáo {whole}"),
    ),
}
# Fields that hold row ids or Telegram ids: they mean nothing to the reader.
_HIDDEN = {"person", "groups", "pledge_id", "cluster_id", "host_unit_id", "parent_key"}


def entity_word(entity: str, locale: str) -> str:
    """`đơn vị`, `chỉ tiêu`… (the entity's own name when it has none)."""
    words = _ENTITIES.get(entity)
    return gettext_for(locale)(words) if words else entity


def value_text(value: Any, *, key: str = "", timezone: str, locale: str) -> str:
    """One stored value as people read it: text in “…”, local times, có/không, lists."""
    _ = gettext_for(locale)
    if value is None or value == [] or value == "":
        return _("(trống)")
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, datetime):
        return format_moment(value, timezone, locale)
    if isinstance(value, date):
        return f"{value.day}/{value.month}/{value.year}"
    if key in _MINUTES and isinstance(value, int):
        return format_span(timedelta(minutes=value), locale)
    if key in _MINUTES and isinstance(value, list):
        return ", ".join(format_span(timedelta(minutes=int(item)), locale) for item in value)
    if isinstance(value, (list, tuple)):
        return ", ".join(value_text(item, timezone=timezone, locale=locale) for item in value)
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    text = str(value)
    if key in _FIGURES and _NUMBER.fullmatch(text):
        return format_decimal(
            Decimal(text), locale=babel_locale(locale), decimal_quantization=False
        )
    if (moment := _iso_moment(text)) is not None:
        return format_moment(moment, timezone, locale)
    if text in _VALUES and key in ("role", "better", "state", "kind", "status", ""):
        return _(_VALUES[text])
    return f"“{_short(text)}”"


def details_text(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    timezone: str,
    locale: str,
) -> str:
    """`tên: “A” → “B”; hạn: 17:00 ngày 20/6/2026`: what changed, field by field."""
    _ = gettext_for(locale)
    before, after = before or {}, after or {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        if key in _HIDDEN or key.endswith("_id"):
            continue
        label = _(_FIELDS[key]) if key in _FIELDS else key
        shown = {
            side: value_text(values[key], key=key, timezone=timezone, locale=locale)
            for side, values in (("old", before), ("new", after))
            if key in values
        }
        if "old" in shown and "new" in shown:
            if before[key] != after[key]:
                parts.append(f"{label}: {shown['old']} → {shown['new']}")
        else:
            parts.append(f"{label}: {shown.get('new') or shown['old']}")
    return "; ".join(parts)


def change_sentence(
    action: str,
    entity: str,
    key: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    timezone: str,
    locale: str,
) -> str:
    """One change of an import as a sentence: `Thêm đơn vị sa-thay: “Xã Sa Thầy”`,
    `Sửa tên đơn vị sa-thay: “Xã Sa Thầy” → “Xã Sa Bình”`, `Ngừng dùng chỉ tiêu …`."""
    _ = gettext_for(locale)
    what = entity_word(entity, locale)
    if entity in _MEMBERS and action in ("created", "removed") and "/" in key:
        whole, _slash, part = key.partition("/")
        words = _MEMBERS[entity][action == "removed"]
        return _(words).format(whole=whole, part=part)
    if entity == "target" and action == "created" and after and "value" in after:
        shown = value_text(after["value"], key="value", timezone=timezone, locale=locale)
        return _("Thêm chỉ tiêu giao {key}: {value}").format(key=key, value=shown)
    if action == "updated" and before and after and len(after) == 1:
        (field,) = after
        if field in _FIELDS and field not in _HIDDEN and not field.endswith("_id"):
            old = value_text(before.get(field), key=field, timezone=timezone, locale=locale)
            new = value_text(after[field], key=field, timezone=timezone, locale=locale)
            return _("Sửa {field} {entity} {key}: {old} → {new}").format(
                field=_(_FIELDS[field]), entity=what, key=key, old=old, new=new
            )
    verbs = {
        "created": _("Thêm {entity} {key}"),
        "updated": _("Sửa {entity} {key}"),
        "retired": _("Ngừng dùng {entity} {key}"),
        "removed": _("Bỏ {entity} {key}"),
    }
    head = verbs.get(action, "{entity} {key}").format(entity=what, key=key)
    shown_row = after if action == "created" else before if action == "removed" else None
    name = (shown_row or {}).get("name") or (shown_row or {}).get("title")
    if isinstance(name, str) and name:
        return f"{head}: “{_short(name)}”"
    if action == "created" and after:
        detail = details_text(None, after, timezone=timezone, locale=locale)
    elif action == "updated":
        detail = details_text(before, after, timezone=timezone, locale=locale)
    else:
        detail = ""
    return f"{head}: {detail}" if detail else head


def _iso_moment(text: str) -> datetime | None:
    """An ISO time as the audit log keeps it (`2026-06-17T03:00:00+00:00`), aware; else None."""
    if len(text) < 19 or text[4] != "-" or "T" not in text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _short(text: str) -> str:
    return text if len(text) <= 80 else text[:79] + "…"
