"""The stored set-up as a set-up tree (the structure of the YAML file), to fill a template."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from bot.domain.durations import format_duration
from bot.storage.directory import clusters, clusters_of_period, units_of_cluster
from bot.storage.models import ClusterLeadership, Indicator, Period, Pledge, Target, Unit

__all__ = ["setup_tree"]


def setup_tree(session: Session) -> dict[str, Any]:
    """Clusters, active pledges and periods as stored; importing it back changes nothing."""
    return {
        "clusters": _clusters(session),
        "pledges": _pledges(session),
        "periods": _periods(session),
    }


def _clusters(session: Session) -> list[dict[str, Any]]:
    found = []
    for cluster in clusters(session):
        units = units_of_cluster(session, cluster.id or 0)
        item: dict[str, Any] = {"code": cluster.code, "name": cluster.name}
        # A cluster row names one year's chair; the latest year is the one an admin edits.
        latest = session.exec(
            select(ClusterLeadership)
            .where(ClusterLeadership.cluster_id == cluster.id)
            .order_by(col(ClusterLeadership.year).desc())
        ).first()
        codes = {unit.id: unit.code for unit in units}
        if latest is not None:
            item["year"] = latest.year
            item["chair"] = codes.get(latest.chair_unit_id)
            item["vice_chair"] = codes.get(latest.vice_chair_unit_id)
        item["units"] = [{"code": unit.code, "name": unit.name} for unit in units]
        found.append(item)
    return found


def _pledges(session: Session) -> list[dict[str, Any]]:
    found = []
    rows = session.exec(select(Pledge).order_by(col(Pledge.cluster_id), col(Pledge.year))).all()
    codes = {cluster.id: cluster.code for cluster in clusters(session)}
    for pledge in rows:
        indicators = list(
            session.exec(
                select(Indicator)
                .where(Indicator.pledge_id == pledge.id, col(Indicator.active))
                .order_by(col(Indicator.position))
            ).all()
        )
        if not indicators:
            continue
        found.append(
            {
                "cluster": codes[pledge.cluster_id],
                "year": pledge.year,
                "indicators": [_indicator(indicator) for indicator in indicators],
                "targets": _targets(session, indicators),
            }
        )
    return found


def _indicator(indicator: Indicator) -> dict[str, Any]:
    item: dict[str, Any] = {"code": indicator.code, "name": indicator.name, "kind": indicator.kind}
    if indicator.unit_label:
        item["unit"] = indicator.unit_label
    if indicator.better:
        item["better"] = indicator.better
    for key, value in (("min", indicator.min_value), ("max", indicator.max_value)):
        if value is not None:
            item[key] = Decimal(value)
    item["integer"] = indicator.integer
    if indicator.options:
        item["options"] = list(indicator.options)
    item["required"] = indicator.required
    return item


def _targets(session: Session, indicators: list[Indicator]) -> dict[str, dict[str, Any]]:
    by_id = {indicator.id: indicator for indicator in indicators}
    rows = session.exec(
        select(Target, Unit.code)
        .join(Unit, col(Unit.id) == Target.unit_id)
        .where(col(Target.indicator_id).in_(list(by_id)))
        .order_by(col(Target.unit_id), col(Target.indicator_id))
    ).all()
    targets: dict[str, dict[str, Any]] = {}
    for target, unit_code in rows:
        indicator = by_id[target.indicator_id]
        targets.setdefault(unit_code, {})[indicator.code] = _target_value(target.value)
    return targets


def _target_value(canonical: str) -> Any:
    """A number as a number, yes/no as a flag, a ratio as its text."""
    if canonical in ("true", "false"):
        return canonical == "true"
    if "/" in canonical:
        return canonical
    try:
        return Decimal(canonical)
    except ArithmeticError:
        return canonical


def _periods(session: Session) -> list[dict[str, Any]]:
    found = []
    for period in session.exec(select(Period).order_by(col(Period.opens_at), col(Period.id))):
        zone = ZoneInfo(period.timezone)
        item: dict[str, Any] = {
            "code": period.code,
            "name": period.name,
            "clusters": [c.code for c in clusters_of_period(session, period.id or 0)],
            "year": period.year,
            "opens": period.opens_at.astimezone(zone).replace(tzinfo=None),
            "deadline": period.deadline_at.astimezone(zone).replace(tzinfo=None),
            "lock_after": format_duration(timedelta(minutes=period.lock_after_minutes)),
            "timezone": period.timezone,
        }
        if period.covers_from and period.covers_to:
            item["covers"] = [period.covers_from, period.covers_to]
        if period.reminder_offsets:
            item["reminders"] = [
                format_duration(timedelta(minutes=minutes)) for minutes in period.reminder_offsets
            ]
        if period.digest_time:
            item["digest"] = period.digest_time
        if period.quiet_hours:
            item["quiet_hours"] = period.quiet_hours
        found.append(item)
    return found
