"""What the set-up reader lends to the modules that read parts of the file for it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar

from bot.setup.model import Problem

__all__ = ["SetupReading", "each_item", "rejoined_title", "unit_of", "whole_number"]

Item = TypeVar("Item")


class SetupReading(Protocol):
    """The reader's checks, the clusters and periods it knows, and its problem lists."""

    _: Callable[[str], str]
    cluster_units: dict[str, frozenset[str]]
    known_periods: dict[str, frozenset[str]]
    warnings: list[Problem]

    def fail(self, path: str, message: str) -> None: ...
    def mapping(self, raw: Any, path: str, allowed: set[str]) -> dict[str, Any] | None: ...
    def text(self, raw: dict[str, Any], key: str, path: str, *, required: bool = True) -> str: ...
    def code(self, raw: dict[str, Any], key: str, path: str) -> str: ...
    def year(self, value: Any, path: str, *, required: bool = True) -> int | None: ...
    def flag(self, raw: dict[str, Any], key: str, path: str, default: bool) -> bool: ...
    def moment(self, raw: Any, path: str, tz: str) -> datetime | None: ...
    def reminders(self, raw: Any, path: str) -> tuple[int, ...]: ...
    def clock(self, raw: Any, path: str) -> str | None: ...
    def duplicates(self, codes: list[str], section: str, key: str) -> None: ...
    def no_such_unit(self, code: str) -> str: ...


def each_item(
    reader: SetupReading, raw: Any, path: str, read_one: Callable[[Any, str], Item | None]
) -> list[Item]:
    """Every item of the list at `path` that reads; a non-list is a problem."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        reader.fail(path, reader._("cần một danh sách."))
        return []
    read = [read_one(item, f"{path}[{index}]") for index, item in enumerate(raw)]
    return [item for item in read if item is not None]


class Warns(Protocol):
    """A reader that can say a warning in its locale."""

    _: Callable[[str], str]
    warnings: list[Problem]


def rejoined_title(reader: Warns, raw: Any, path: str, keys: set[str]) -> Any:
    """`{title: Tuyên bố lý do, giới thiệu đại biểu}`: YAML cuts an unquoted title at its
    comma into keys without values; join them back and say so."""
    if not isinstance(raw, dict) or not isinstance(raw.get("title"), str):
        return raw
    names = list(raw)
    cut: list[Any] = []
    for key in names[names.index("title") + 1 :]:
        if key in keys or raw[key] is not None:
            break
        cut.append(key)
    if not cut:
        return raw
    message = reader._("tiêu đề có dấu phẩy nên bị tách; đã ghép lại, nên đặt trong ngoặc kép.")
    reader.warnings.append(Problem(f"{path}.title", message))
    kept = {key: value for key, value in raw.items() if key not in cut}
    return {**kept, "title": ", ".join([raw["title"], *map(str, cut)])}


def unit_of(
    reader: SetupReading, item: dict[str, Any], key: str, path: str, units: frozenset[str]
) -> str | None:
    """The unit code at `key`, checked against the cluster's units when they are known."""
    code = reader.text(item, key, path, required=False)
    if code and units and code not in units:
        reader.fail(f"{path}.{key}", reader.no_such_unit(code))
    return code or None


def whole_number(
    reader: SetupReading, item: dict[str, Any], key: str, path: str, limit: int
) -> int | None:
    """A whole number from 1 to `limit` at `key`, which must be there."""
    value = item.get(key)
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= limit:
        message = reader._("cần một số nguyên từ 1 đến {limit}.").format(limit=limit)
        reader.fail(f"{path}.{key}", message if value is not None else reader._("thiếu giá trị."))
        return None
    return value
