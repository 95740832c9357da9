"""`/scores`: a cluster's ranking on a phone for its chair and the admins; a focal point sees
their own unit's scores and the chair's changes, with a button to answer each (giải trình)."""

from __future__ import annotations

from bot.desk import explain
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.desk.scored import Scored, leaf_name, pick_scored, points
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.domain.scoring import APPROVED, CLUSTER, SELF, Ranking, Standing
from bot.domain.terms import cluster_terms
from bot.edge.send import Item
from bot.storage.scoring_reviews import score_changes
from bot.storage.scoring_tables import ScoreChange

__all__ = ["scores"]

Changes = dict[tuple[str, str], ScoreChange]  # (unit code, leaf key) -> the latest change


def scores(desk: Desk, request: Request) -> list[Item]:
    """`/scores [period] [cluster]`; `/scores explain <change> [text]` answers a change."""
    if request.word(0) == explain.WORD:
        return explain.explain(desk, request)
    scored = pick_scored(desk, request, leading=False)
    if scored.leads:
        return [_cluster_view(desk, scored)]
    own = [unit for unit in desk.units(scored.cluster) if unit.id in desk.caller.units]
    return [_unit_view(desk, scored, unit.code) for unit in own]


def _ranking(scored: Scored) -> Ranking:
    """The approved layer once locked, else the cluster score."""
    return scored.scores.layer(APPROVED) or scored.scores.layers[CLUSTER]


def _layer_name(desk: Desk, scored: Scored) -> str:
    _ = desk._
    return _("điểm duyệt, đã khóa") if scored.locked else _("điểm cụm chấm")


def _latest(desk: Desk, scored: Scored) -> Changes:
    """The chair's latest change of each unit's leaf (the one that counts)."""
    codes = {unit.id: unit.code for unit in desk.units(scored.cluster)}
    found = score_changes(
        desk.session, period_id=scored.period.id or 0, cluster_id=scored.cluster.id or 0
    )
    return {(codes[c.unit_id], c.criterion_key): c for c in found if c.unit_id in codes}


# -- the chair's and the admin's view ------------------------------------------------------------


def _cluster_view(desk: Desk, scored: Scored) -> Reply:
    """Rank, unit, total, class; each change with its reason and answer; ties, gaps, the rest."""
    _ = desk._
    ranking, latest = _ranking(scored), _latest(desk, scored)
    lines = [
        _("🏅 Chấm điểm · {cluster}").format(cluster=scored.cluster.name),
        _("Kỳ «{period}» · {layer}").format(
            period=scored.period.name, layer=_layer_name(desk, scored)
        ),
    ]
    for standing in ranking.standings:
        lines += _standing_lines(desk, scored, standing, latest)
    if any(standing.tied for standing in ranking.standings):
        chair = cluster_terms(scored.cluster.kind, desk.locale).mid_sentence().chair
        lines.append(_("⚖️ Đồng hạng: {chair} quyết định thứ tự khi bình xét.").format(chair=chair))
    return Reply("\n".join(lines), _leader_buttons(desk, scored))


def _standing_lines(desk: Desk, scored: Scored, standing: Standing, latest: Changes) -> list[str]:
    _ = desk._
    name = _unit_name(scored, standing.unit)
    if standing.rank is None:
        return [_("– {unit}: chưa nộp, chưa xếp hạng").format(unit=name)]
    line = _("{rank}. {unit}: {total} điểm").format(
        rank=standing.rank, unit=name, total=points(standing.total, desk.locale)
    )
    own = scored.scores.layers[SELF].of(standing.unit)
    if own is not None and own.total != standing.total:
        line += " " + _("(tự chấm {total})").format(total=points(own.total, desk.locale))
    if standing.grade:
        line += f" · {standing.grade}"
    if standing.tied:
        line += " · ⚖️ " + _("đồng hạng")
    changes = _change_lines(desk, scored, standing.unit, latest, "   ")
    return [line, *changes, *_gap_lines(desk, scored, standing.unit, "   ")]


def _leader_buttons(desk: Desk, scored: Scored) -> tuple[tuple[Button, ...], ...]:
    """Change a score (until approved); the admin approves or unlocks."""
    _ = desk._
    words = (token(scored.period), token(scored.cluster))
    row = []
    if not scored.locked:
        row.append(Button(_("✏️ Sửa điểm"), encode("c", "rescore", *words)))
    if desk.caller.is_admin:
        label = _("🔓 Mở khóa") if scored.locked else _("✅ Duyệt điểm")
        row.append(Button(label, encode("c", "approve", *words)))
    return (tuple(row),) if row else ()


# -- a focal point's view of their own unit ------------------------------------------------------


def _unit_view(desk: Desk, scored: Scored, code: str) -> Reply:
    """The unit's rank, total and class, and each change with its reason and answer."""
    _ = desk._
    ranking, name = _ranking(scored), _unit_name(scored, code)
    standing, own = ranking.of(code), scored.scores.layers[SELF].of(code)
    title = _("🏅 Điểm của {unit} · kỳ «{period}»").format(unit=name, period=scored.period.name)
    if standing is None or own is None or standing.rank is None:
        return Reply(f"{title}\n" + _("Đơn vị chưa nộp số liệu kỳ này, chưa được chấm điểm."))
    ranked = sum(1 for s in ranking.standings if s.rank is not None)
    lines = [
        title,
        _("Hạng {rank}/{count} · {total} điểm ({layer})").format(
            rank=standing.rank,
            count=ranked,
            total=points(standing.total, desk.locale),
            layer=_layer_name(desk, scored),
        )
        + (f" · {standing.grade}" if standing.grade else ""),
        _("Tự chấm: {total} điểm").format(total=points(own.total, desk.locale)),
    ]
    latest = _latest(desk, scored)
    changes = _change_lines(desk, scored, code, latest, "")
    lines += [_("Thay đổi so với tự chấm:"), *changes] if changes else []
    lines += _gap_lines(desk, scored, code, "")
    return Reply("\n".join(lines), _explain_buttons(desk, scored, code, latest))


def _explain_buttons(
    desk: Desk, scored: Scored, code: str, latest: Changes
) -> tuple[tuple[Button, ...], ...]:
    """One «Giải trình» button per changed leaf."""
    rows = []
    for leaf in scored.scores.table.leaves:
        change = latest.get((code, leaf.key))
        if change is not None and leaf.key in scored.scores.changed(code):
            label = desk._("✍️ Giải trình: {criterion}").format(criterion=leaf_name(leaf, 32))
            rows.append((Button(label, encode("c", "scores", explain.WORD, change.id)),))
    return tuple(rows)


# -- shared lines ------------------------------------------------------------------------------


def _change_lines(desk: Desk, scored: Scored, code: str, latest: Changes, indent: str) -> list[str]:
    """Each leaf the chair changed: self → cluster, the reason, the unit's answer."""
    _ = desk._
    scores = scored.scores
    own, chair = scores.layers[SELF].of(code), scores.layers[CLUSTER].of(code)
    if own is None or chair is None:
        return []
    lines, changed = [], scores.changed(code)
    for leaf in (leaf for leaf in scores.table.leaves if leaf.key in changed):
        before, after = own.leaves.get(leaf.key), chair.leaves.get(leaf.key)
        line = _("✏️ {criterion}: {before} → {after}").format(
            criterion=leaf_name(leaf),
            before="–" if before is None else points(before, desk.locale),
            after="–" if after is None else points(after, desk.locale),
        )
        change = latest.get((code, leaf.key))
        if change is not None:
            line += ". " + _("Lý do: {reason}").format(reason=change.reason)
        lines.append(indent + line)
        if change is not None and change.explanation:
            answer = _("💬 Giải trình: {text}").format(text=change.explanation)
            lines.append(f"{indent}   {answer}")
    return lines


def _gap_lines(desk: Desk, scored: Scored, code: str, indent: str) -> list[str]:
    """The leaves still scored 0 for a missing figure (none the chair has scored since)."""
    scores = scored.scores
    missing, changed = scores.missing.get(code, frozenset()), scores.changed(code)
    gaps = [
        leaf_name(leaf, 40)
        for leaf in scores.table.leaves
        if leaf.key in missing and leaf.key not in changed
    ]
    if not gaps:
        return []
    text = desk._("⚠️ Thiếu số liệu, tính 0 điểm: {criteria}").format(criteria="; ".join(gaps))
    return [indent + text]


def _unit_name(scored: Scored, code: str) -> str:
    return next((unit.name for unit in scored.scores.units if unit.code == code), code)
