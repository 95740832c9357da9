"""A cluster's `kind`, `language`, later `leaders`, `letterhead`, `place_name`; a unit's lineage."""

from __future__ import annotations

from typing import Any

from bot.domain.i18n import GROUP_LOCALE, LOCALES
from bot.domain.terms import CLUSTER_KINDS
from bot.setup.conference_specs import LeaderSpec
from bot.setup.reading import SetupReading, each_item, unit_of

__all__ = ["CLUSTER_EXTRA_KEYS", "UNIT_LINEAGE_KEYS", "read_cluster_extras", "read_unit_lineage"]

CLUSTER_EXTRA_KEYS = {"kind", "language", "leaders", "letterhead", "place_name"}
UNIT_LINEAGE_KEYS = {"merged_from", "renamed_from"}
_LEADER_KEYS = {"year", "chair", "vice_chair"}
_MAX_LETTERHEAD_LINES = 3


def read_cluster_extras(
    reader: SetupReading, item: dict[str, Any], path: str, units: frozenset[str]
) -> dict[str, Any]:
    """`kind`, `language`, `leaders`, `letterhead` and `place_name`, as ClusterSpec fields."""
    kind = str(item.get("kind", "cum")).strip()
    if kind not in CLUSTER_KINDS:
        reader.fail(f"{path}.kind", reader._("chỉ nhận cum hoặc khoi."))
    language = str(item.get("language", GROUP_LOCALE)).strip().lower()
    if language not in LOCALES:
        reader.fail(f"{path}.language", reader._("chỉ nhận vi hoặc en."))
    leaders = each_item(
        reader,
        item.get("leaders"),
        f"{path}.leaders",
        lambda raw, p: _leader(reader, raw, p, units),
    )
    # A year has one chair and one vice-chair: the cluster's own `year` counts too.
    years = [str(item.get("year", "")), *(str(leader.year) for leader in leaders)]
    for index, year in enumerate(years[1:]):
        if year in years[: index + 1]:
            message = reader._("«{code}» bị trùng.").format(code=year)
            reader.fail(f"{path}.leaders[{index}].year", message)
    return {
        "kind": kind if kind in CLUSTER_KINDS else "cum",
        "language": language if language in LOCALES else GROUP_LOCALE,
        "leaders": tuple(leaders),
        "letterhead": _letterhead(reader, item.get("letterhead"), f"{path}.letterhead"),
        "place_name": reader.text(item, "place_name", path, required=False) or None,
    }


def _leader(reader: SetupReading, raw: Any, path: str, units: frozenset[str]) -> LeaderSpec | None:
    item = reader.mapping(raw, path, _LEADER_KEYS)
    if item is None:
        return None
    year = reader.year(item.get("year"), f"{path}.year")
    if "chair" not in item and "vice_chair" not in item:
        reader.fail(path, reader._("cần chair hoặc vice_chair."))
    chair = unit_of(reader, item, "chair", path, units)
    return LeaderSpec(year or 0, chair, unit_of(reader, item, "vice_chair", path, units))


def _letterhead(reader: SetupReading, raw: Any, path: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    lines = [raw] if isinstance(raw, str) else raw
    good = isinstance(lines, list) and 0 < len(lines) <= _MAX_LETTERHEAD_LINES
    if not good or any(isinstance(line, (dict, list)) or not str(line).strip() for line in lines):
        message = reader._(
            "cần một đến ba dòng chữ, ví dụ [UBND TỈNH QUẢNG NGÃI, CỤM THI ĐUA SỐ 2]."
        )
        reader.fail(path, message)
        return ()
    return tuple(str(line).strip() for line in lines)


def read_unit_lineage(reader: SetupReading, item: dict[str, Any], path: str) -> dict[str, Any]:
    """`merged_from` (old unit codes) and `renamed_from` (one), as UnitSpec fields."""
    merged = item.get("merged_from")
    merged = [merged] if isinstance(merged, str) else merged
    if merged is not None and (not isinstance(merged, list) or not merged):
        reader.fail(f"{path}.merged_from", reader._("cần một danh sách mã đơn vị cũ."))
        merged = []
    # Each old code is checked like any code, at its own path (`…merged_from[1]`).
    old = [
        reader.code({f"merged_from[{i}]": c}, f"merged_from[{i}]", path)
        for i, c in enumerate(merged or [])
    ]
    renamed = reader.code(item, "renamed_from", path) if "renamed_from" in item else ""
    if old and renamed:
        reader.fail(path, reader._("chỉ dùng một trong merged_from hoặc renamed_from."))
    if item.get("code") in (*old, renamed):
        reader.fail(path, reader._("một đơn vị không gộp hay đổi tên từ chính nó."))
    return {"merged_from": tuple(old), "renamed_from": renamed or None}
