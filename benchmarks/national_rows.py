"""The baselines' rows: what a national set-up stands for, written by bare Core inserts.

`core_rows` gives every domain row the import writes (the same tables and columns, ids given);
`audit_rows` the audit event the import writes beside each of them (`import.created`, the
entity's key as the import spells it, the row's values as `after`), so that the baseline
with its audit rows writes the same rows as a first import.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import insert

from bot.storage.types import utcnow

__all__ = ["audit_rows", "core_insert", "core_rows"]

# The columns a row is matched on (not in its audit event's `after`), by table.
_MATCHED = {
    "Cluster": ("id", "code"),
    "Unit": ("id", "code"),
    "ClusterUnit": ("cluster_id", "unit_id"),
    "ClusterLeadership": ("cluster_id", "year"),
    "Pledge": ("id", "cluster_id", "year"),
    "Indicator": ("id", "pledge_id", "code"),
    "Target": ("indicator_id", "unit_id"),
    "Period": ("id", "code"),
    "PeriodCluster": ("period_id", "cluster_id"),
}
_ENTITIES = {
    "Cluster": "cluster",
    "Unit": "unit",
    "ClusterUnit": "cluster_unit",
    "ClusterLeadership": "leadership",
    "Pledge": "pledge",
    "Indicator": "indicator",
    "Target": "target",
    "Period": "period",
    "PeriodCluster": "period_cluster",
}


def core_insert(engine: Any, tree: dict[str, Any], *, audit: bool = False) -> None:
    """The same rows with bare Core bulk inserts (and their audit rows, with `audit`)."""
    from bot.storage import models

    rows = core_rows(tree)
    with engine.begin() as db:
        for table in _MATCHED:
            db.execute(insert(getattr(models, table)), rows[table])
        if audit:
            db.execute(insert(models.AuditEvent), list(audit_rows(tree, rows)))


def core_rows(tree: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The rows of each table that the set-up tree stands for, with ids given."""
    rows: dict[str, list[dict[str, Any]]] = {}
    rows["Cluster"] = [
        {"id": n, "code": c["code"], "name": c["name"], "kind": "cum", "language": "vi"}
        | {"letterhead": [], "place_name": None}
        for n, c in enumerate(tree["clusters"], start=1)
    ]
    unit_ids: dict[str, int] = {}
    rows["Unit"], rows["ClusterUnit"], rows["ClusterLeadership"] = [], [], []
    for cluster_id, spec in enumerate(tree["clusters"], start=1):
        for position, unit in enumerate(spec["units"]):
            unit_id = unit_ids[unit["code"]] = len(unit_ids) + 1
            rows["Unit"].append(
                {"id": unit_id, "code": unit["code"], "name": unit["name"]}
                | {"merged_from": [], "renamed_from": None}
            )
            rows["ClusterUnit"].append(
                {"cluster_id": cluster_id, "unit_id": unit_id, "position": position}
            )
        rows["ClusterLeadership"].append(
            {
                "cluster_id": cluster_id,
                "year": spec["year"],
                "chair_unit_id": unit_ids[spec["chair"]],
            }
            | {"vice_chair_unit_id": None}
        )
    clusters = range(1, len(rows["Cluster"]) + 1)
    rows["Pledge"] = [{"id": n, "cluster_id": n, "year": 2026} for n in clusters]
    rows["Indicator"], rows["Target"] = [], []
    for pledge_id, pledge in enumerate(tree["pledges"], start=1):
        codes: dict[str, int] = {}
        for position, spec in enumerate(pledge["indicators"]):
            codes[spec["code"]] = len(rows["Indicator"]) + 1
            rows["Indicator"].append(
                {"id": codes[spec["code"]], "pledge_id": pledge_id, "code": spec["code"]}
                | {"position": position, "name": spec["name"], "kind": spec["kind"]}
                | {"unit_label": None, "better": spec.get("better"), "min_value": None}
                | {"max_value": None, "integer": False, "options": [], "required": True}
                | {"active": True}
            )
        for unit, values in pledge["targets"].items():
            rows["Target"] += [
                {"indicator_id": codes[code], "unit_id": unit_ids[unit], "value": str(value)}
                for code, value in values.items()
            ]
    period = tree["periods"][0]
    rows["Period"] = [
        {"id": 1, "code": period["code"], "name": period["name"], "year": period["year"]}
        | {"covers_from": None, "covers_to": None, "lock_after_minutes": 7 * 24 * 60}
        | {"opens_at": _moment(period["opens"]), "deadline_at": _moment(period["deadline"])}
        | {"reminder_offsets": [3 * 24 * 60], "digest_time": period["digest"]}
        | {"quiet_hours": None, "timezone": tree["timezone"]}
    ]
    rows["PeriodCluster"] = [{"period_id": 1, "cluster_id": n} for n in clusters]
    return rows


def audit_rows(
    tree: dict[str, Any], rows: dict[str, list[dict[str, Any]]]
) -> Iterator[dict[str, Any]]:
    """An `import.created` event for each row, keyed and valued as the import writes it."""
    keys = _keys(tree, rows)
    at = utcnow()
    for table, entity in _ENTITIES.items():
        for row, key in zip(rows[table], keys[table], strict=True):
            after = {
                name: _plain(value) for name, value in row.items() if name not in _MATCHED[table]
            }
            yield {
                "at": at,
                "actor": "bench:core",
                "action": "import.created",
                "entity": entity,
                "entity_key": key,
                "before": None,
                "after": after,
            }


def _keys(tree: dict[str, Any], rows: dict[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """Each row's key in the audit log, as the import spells it (`cum-000/2026/u000-00/ct-00`)."""
    clusters = [cluster["code"] for cluster in tree["clusters"]]
    units = {row["id"]: row["code"] for row in rows["Unit"]}
    indicators = {row["id"]: row["code"] for row in rows["Indicator"]}
    pledge_of = {row["id"]: row["pledge_id"] for row in rows["Indicator"]}
    pledges = [f"{clusters[row['cluster_id'] - 1]}/{row['year']}" for row in rows["Pledge"]]
    period = rows["Period"][0]["code"]
    return {
        "Cluster": clusters,
        "Unit": [row["code"] for row in rows["Unit"]],
        "ClusterUnit": [
            f"{clusters[row['cluster_id'] - 1]}/{units[row['unit_id']]}"
            for row in rows["ClusterUnit"]
        ],
        "ClusterLeadership": [
            f"{clusters[row['cluster_id'] - 1]}/{row['year']}" for row in rows["ClusterLeadership"]
        ],
        "Pledge": pledges,
        "Indicator": [
            f"{pledges[row['pledge_id'] - 1]}/{row['code']}" for row in rows["Indicator"]
        ],
        "Target": [
            f"{pledges[pledge_of[row['indicator_id']] - 1]}/{units[row['unit_id']]}/"
            f"{indicators[row['indicator_id']]}"
            for row in rows["Target"]
        ],
        "Period": [period],
        "PeriodCluster": [f"{period}/{code}" for code in clusters],
    }


def _moment(text: str) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
