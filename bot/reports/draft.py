"""The report draft of a cluster's period, from what the summary and the scores already hold."""

from __future__ import annotations

from sqlmodel import Session

from bot.documents import Letterhead, report_docx, report_file_name, review_kind
from bot.documents.model import ClusterKind, Dated
from bot.documents.report import groups_from_table
from bot.domain.scoring import CLUSTER
from bot.reports.snapshot import load_snapshot
from bot.reports.summary import build_summary
from bot.storage.models import Cluster, Period
from bot.storage.scoring import load_scores
from bot.storage.types import require_id

__all__ = ["letterhead_of", "report_draft"]


def letterhead_of(cluster: Cluster, *, place_name: str | None = None) -> Letterhead:
    """The cluster's stored letterhead, place name and kind; what is not stored is derived
    from its name ("Cụm thi đua số 2 – tỉnh Quảng Ngãi"). A conference's own place name wins."""
    kind: ClusterKind = "khoi" if cluster.kind == "khoi" else "cum"
    return Letterhead.for_cluster(
        cluster.name,
        lines=tuple(line for line in cluster.letterhead if line.strip()),
        place_name=place_name or cluster.place_name or None,
        kind=kind,
    )


def report_draft(
    session: Session,
    *,
    period: Period,
    cluster: Cluster,
    dated: Dated,
    layer: str = CLUSTER,
    locale: str = "vi",
) -> tuple[str, bytes]:
    """The file name for people and the .docx of the cluster's report for the period."""
    period_id, cluster_id = require_id(period), require_id(cluster)
    summary = build_summary(load_snapshot(session, period_id=period_id, cluster_id=cluster_id))
    scores = load_scores(session, period_id=period_id, cluster_ids=[cluster_id]).get(cluster_id)
    content = report_docx(
        summary.clusters[0],
        summary.period,
        letterhead=letterhead_of(cluster),
        dated=dated,
        groups=groups_from_table(scores.table) if scores is not None else (),
        ranking=scores.layer(layer) if scores is not None else None,
        locale=locale,
    )
    name = report_file_name(review_kind(period.name), period.code, cluster.code)
    return name, content
