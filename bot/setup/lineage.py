"""The set-up file's lineage, checked as a whole: no cycle, no old unit kept or merged twice."""

from __future__ import annotations

from typing import Any

from bot.setup.reading import SetupReading

__all__ = ["check_lineage"]


def check_lineage(reader: SetupReading, raw_clusters: Any) -> None:
    """Every unit's `merged_from` / `renamed_from` against the file's other units."""
    units = list(_units(raw_clusters))
    origins: dict[str, list[str]] = {}  # new code -> its old codes
    listed: dict[str, set[str]] = {}  # cluster path -> the codes it lists
    for cluster_path, _path, code, old in units:
        listed.setdefault(cluster_path, set()).add(code)
        if old:
            origins.setdefault(code, []).extend(old)
    taken: dict[str, str] = {}  # old code -> the new unit it went into
    for cluster_path, path, code, old in units:
        for former in old:
            _kept(reader, path, code, former, listed[cluster_path])
            if former in taken and taken[former] != code:
                message = reader._(
                    "«{old}» đã gộp vào (hoặc đổi tên thành) «{other}»; một đơn vị cũ chỉ đi vào "
                    "một đơn vị mới."
                )
                reader.fail(path, message.format(old=former, other=taken[former]))
            taken.setdefault(former, code)
        chain = _cycle(code, origins)
        if chain:
            message = reader._(
                "«{unit}» nằm trong một vòng gộp, đổi tên: {chain}; một đơn vị không thể có "
                "tiền thân là chính nó."
            )
            reader.fail(path, message.format(unit=code, chain=" → ".join(chain)))


def _kept(reader: SetupReading, path: str, code: str, former: str, listed: set[str]) -> None:
    if former in listed:
        message = reader._(
            "«{old}» đã gộp vào (hoặc đổi tên thành) «{unit}» nhưng vẫn có trong danh sách đơn "
            "vị của cụm; bỏ «{old}» khỏi danh sách."
        )
        reader.fail(path, message.format(old=former, unit=code))


def _cycle(start: str, origins: dict[str, list[str]]) -> list[str] | None:
    """The chain back to `start` through old codes (`a → b → a`), if there is one."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        code, chain = stack.pop()
        for former in origins.get(code, []):
            if former == start:
                return [*chain, start]
            if former not in seen:
                seen.add(former)
                stack.append((former, [*chain, former]))
    return None


def _units(raw_clusters: Any) -> list[tuple[str, str, str, list[str]]]:
    """(cluster path, unit path, code, old codes) of every unit written well enough to read."""
    found = []
    clusters = raw_clusters if isinstance(raw_clusters, list) else []
    for index, cluster in enumerate(clusters):
        units = cluster.get("units") if isinstance(cluster, dict) else None
        for number, unit in enumerate(units if isinstance(units, list) else []):
            if not isinstance(unit, dict) or not isinstance(unit.get("code"), str):
                continue
            merged = unit.get("merged_from")
            old = [merged] if isinstance(merged, str) else merged
            old = [str(c) for c in old] if isinstance(old, list) else []
            if isinstance(unit.get("renamed_from"), str):
                old.append(unit["renamed_from"])
            path = f"clusters[{index}].units[{number}]"
            old = [c for c in old if c != unit["code"]]  # reported by the unit's own check
            found.append((f"clusters[{index}]", path, unit["code"], old))
    return found
