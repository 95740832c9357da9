"""Arguments a command lacks, asked for with buttons: periods, clusters, units, words."""

from __future__ import annotations

from bot.desk.request import Ask, Request, token
from bot.desk.scope import Desk
from bot.storage.models import Cluster, Period

__all__ = ["cluster_id_of", "period_and_cluster"]


def period_and_cluster(
    desk: Desk, request: Request, *, every: bool
) -> tuple[Period, Cluster | None] | Ask:
    """Words 0 and 1: a period the caller reaches and one of its clusters (or all)."""
    period = desk.pick_period(request, 0, [])
    if isinstance(period, Ask):
        return period
    reachable = desk.clusters_in_scope(period)
    cluster = desk.pick_cluster(request, 1, [token(period)], reachable, every=every)
    if isinstance(cluster, Ask):
        return cluster
    return period, cluster


def cluster_id_of(cluster: Cluster | None) -> int | None:
    return cluster.id if cluster is not None else None
