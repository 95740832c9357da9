"""What the scoring commands share: the period and cluster whose scores a caller may reach, the
cluster's scores, whether they are locked, and points written the Vietnamese way."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from babel.numbers import format_decimal

from bot.desk.pickers import choice, outside
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.i18n import babel_locale
from bot.domain.replies import Reply
from bot.domain.roles import Role
from bot.domain.scoring import ClusterScores, Leaf
from bot.edge.turn import Ask
from bot.storage import directory
from bot.storage.models import Cluster, Period
from bot.storage.scoring import LOCKED, load_scores, scoring_tables
from bot.storage.scoring_reviews import approval_of

__all__ = ["Scored", "leaf_name", "locked_refusal", "pick_scored", "points"]

_NAME_WIDTH = 48  # a leaf's title on a phone line or a button


@dataclass(frozen=True)
class Scored:
    """A period, one of its clusters with a scoring table, and that cluster's scores now."""

    period: Period
    cluster: Cluster
    scores: ClusterScores
    leads: bool  # the caller is an admin, or the cluster's chair or vice-chair that year
    locked: bool  # approved: the chair may change nothing until an admin unlocks it


def pick_scored(desk: Desk, request: Request, *, leading: bool) -> Scored:
    """Words 0 and 1: a period and a cluster with a scoring table that the caller may reach.

    `leading`: only clusters the caller leads (to change or approve scores); otherwise also
    the clusters of the caller's own units (a focal point sees their unit's scores)."""
    _ = desk._
    periods = _periods(desk, leading)
    scored = {period.id: _with_table(desk, period, leading) for period in periods}
    offered = [period for period in periods if scored[period.id]]
    if not offered and request.word(0) is None:  # a period named is refused below, or found
        raise Ask([Reply(_("Chưa có cụm nào có bảng chấm điểm (mục «scoring» của giao ước)."))])
    period = _pick(desk, request, 0, [], offered, periods, desk.period, _("Chọn kỳ báo cáo:"))
    clusters = _reachable_clusters(desk, period, leading)
    cluster = _pick(
        desk, request, 1, [token(period)], scored[period.id], clusters, desk.cluster, _("Chọn cụm:")
    )
    cluster_id, period_id = cluster.id or 0, period.id or 0
    scores = load_scores(desk.session, period_id=period_id, cluster_ids=[cluster_id])[cluster_id]
    approval = approval_of(desk.session, period_id=period_id, cluster_id=cluster_id)
    leads = desk.caller.leads(cluster_id, period.year)
    locked = approval is not None and approval.state == LOCKED
    return Scored(period, cluster, scores, leads, locked)


def _periods(desk: Desk, leading: bool) -> list[Period]:
    if leading or desk.caller.is_admin:
        return desk.periods_in_scope()
    every = directory.periods(desk.session)
    return [period for period in every if _reachable_clusters(desk, period, leading)]


def _reachable_clusters(desk: Desk, period: Period, leading: bool) -> list[Cluster]:
    """The period's clusters the caller leads, and (unless `leading`) those of their units."""
    led = desk.clusters_in_scope(period)
    if leading or desk.caller.is_admin:
        return led
    led_ids = {cluster.id for cluster in led}
    own = desk.caller.units
    return [
        cluster
        for cluster in directory.clusters_of_period(desk.session, period.id or 0)
        if cluster.id in led_ids or any(unit.id in own for unit in desk.units(cluster))
    ]


def _with_table(desk: Desk, period: Period, leading: bool) -> list[Cluster]:
    clusters = _reachable_clusters(desk, period, leading)
    ids = [cluster.id or 0 for cluster in clusters]
    tables = scoring_tables(desk.session, cluster_ids=ids, year=period.year)
    return [cluster for cluster in clusters if cluster.id in tables]


Row = TypeVar("Row", Period, Cluster)


def _pick(
    desk: Desk,
    request: Request,
    index: int,
    prefix: Sequence[str],
    offered: list[Row],
    reachable: list[Row],
    lookup: Callable[[str], Row | None],
    question: str,
) -> Row:
    """Word `index` as one of `offered`; the only one is taken as given."""
    _ = desk._
    options: list[tuple[str, str]] = [(_label(row), token(row)) for row in offered]
    text = request.word(index)
    if text is None:
        if len(offered) == 1:
            return offered[0]
        raise choice(desk, request.command, prefix, question, options)
    row = lookup(text)
    if row is None:
        first = Reply(_("Không tìm thấy «{code}».").format(code=text))
        raise Ask([first, *choice(desk, request.command, prefix, question, options).items])
    if row.id in {r.id for r in offered}:
        return row
    if row.id in {r.id for r in reachable}:
        raise Ask([Reply(_("«{name}» chưa có bảng chấm điểm.").format(name=row.name))])
    if desk.caller.roles & {Role.ADMIN, Role.CHAIR}:
        raise outside(desk, row.name)
    raise Ask([Reply(_("⛔ Anh/chị chỉ xem được điểm của đơn vị mình."))])


def _label(row: Period | Cluster) -> str:
    return f"{row.name} ({row.code})" if isinstance(row, Cluster) else row.name


def locked_refusal(desk: Desk, scored: Scored) -> Reply:
    """Scores approved: a change needs an admin to unlock them first."""
    text = desk._(
        "🔒 Điểm của {cluster} kỳ «{period}» đã duyệt, cần quản trị viên mở khóa trước khi sửa."
    ).format(cluster=scored.cluster.name, period=scored.period.name)
    if desk.caller.is_admin:
        text += "\n" + desk._("Mở khóa: /approve {period} {cluster}").format(
            period=scored.period.code, cluster=scored.cluster.code
        )
    return Reply(text)


def points(value: Decimal, locale: str) -> str:
    """`81,00`: two decimals, the locale's marks."""
    return format_decimal(value, format="#,##0.00", locale=babel_locale(locale))


def leaf_name(leaf: Leaf, width: int = _NAME_WIDTH) -> str:
    """The leaf's title, cut to fit a phone line or a button."""
    title = leaf.title or leaf.key
    return title if len(title) <= width else title[: width - 1] + "…"
