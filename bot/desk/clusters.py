"""`/clusters` and `/units`: the clusters, their chairs and groups, and their units."""

from __future__ import annotations

from bot.desk.pickers import pick_cluster, pick_unit
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.domain.terms import cluster_terms
from bot.edge.send import Item
from bot.storage import admin as store
from bot.storage import directory
from bot.storage.models import Cluster, Unit

__all__ = ["clusters", "units"]

_ROLE_WORDS = {"chair": directory.CHAIR, "vice": directory.VICE_CHAIR}


def clusters(desk: Desk, request: Request) -> list[Item]:
    """`/clusters [cluster [chair|vice year [unit]]]`: list, details, and set the chair."""
    if request.word(0) is None:
        return [_cluster_list(desk)]
    cluster = pick_cluster(desk, request, 0, [], directory.clusters(desk.session))
    role_word, year_word = request.word(1), request.word(2)
    if role_word is None:
        return [_cluster_details(desk, cluster)]
    role = _ROLE_WORDS.get(role_word.lower())
    year = int(year_word) if year_word and year_word.isdigit() else None
    _ = desk._
    if role is None or year is None or not 2000 <= year <= 2100:
        return [
            Reply(_("Cách dùng: /clusters <mã cụm> chair|vice <năm> <mã đơn vị>.")),
            _cluster_details(desk, cluster),
        ]
    prefix = [token(cluster), role_word.lower(), str(year)]
    unit = pick_unit(desk, request, 3, prefix, [cluster])
    changed = store.set_leader(
        desk.session, cluster=cluster, year=year, role=role, unit=unit, actor=desk.actor
    )
    title = _role_title(desk, role, cluster)
    text = (
        _("✅ {unit} là {role} của {cluster} năm {year}.")
        if changed
        else _("{unit} đã là {role} của {cluster} năm {year}.")
    )
    return [Reply(text.format(unit=unit.name, role=title, cluster=cluster.name, year=year))]


def _role_title(desk: Desk, role: str, cluster: Cluster) -> str:
    terms = cluster_terms(cluster.kind, desk.locale).mid_sentence()
    return terms.chair if role == directory.CHAIR else terms.vice_chair


def _cluster_list(desk: Desk) -> Reply:
    _ = desk._
    rows = directory.clusters(desk.session)
    if not rows:
        return Reply(_("Chưa có cụm nào. Gửi tệp thiết lập cho bot (/import) để tạo."))
    lines = [_("🏛 Các cụm ({count}):").format(count=len(rows))]
    for cluster in rows:
        lines += ["", *_cluster_lines(desk, cluster)]
    buttons = tuple(
        (Button(f"⚙️ {cluster.code}", encode("c", "clusters", token(cluster))),) for cluster in rows
    )
    return Reply("\n".join(lines), buttons[:60])


def _cluster_lines(desk: Desk, cluster: Cluster) -> list[str]:
    _ = desk._
    year = desk.caller.year
    units = desk.units(cluster, year)
    leaders = directory.leaders_of(desk.session, cluster.id or 0, year)
    groups = directory.groups_of_cluster(desk.session, cluster.id or 0)
    chair, vice = leaders.get(directory.CHAIR), leaders.get(directory.VICE_CHAIR)
    none = _("chưa có")
    terms = cluster_terms(cluster.kind, desk.locale).mid_sentence()
    return [
        f"• {cluster.code} – {cluster.name}",
        _("  {count} đơn vị · {chair_title} {year}: {chair} · {vice_title}: {vice}").format(
            chair_title=terms.chair,
            vice_title=terms.vice_chair,
            count=len(units),
            year=year,
            chair=chair.name if chair else none,
            vice=vice.name if vice else none,
        ),
        _("  Nhóm: {groups}").format(
            groups=", ".join(g.title or str(g.chat_id) for g in groups) or _("chưa gắn nhóm")
        ),
    ]


def _cluster_details(desk: Desk, cluster: Cluster) -> Reply:
    _ = desk._
    lines = _cluster_lines(desk, cluster)
    terms = cluster_terms(cluster.kind, desk.locale)
    small = terms.mid_sentence()
    lines.append(_("Đặt {chair} hoặc {vice}:").format(chair=small.chair, vice=small.vice_chair))
    buttons = []
    for year in (desk.caller.year, desk.caller.year + 1):
        buttons.append(
            (
                Button(
                    f"{terms.chair} {year}",
                    encode("c", "clusters", token(cluster), "chair", year),
                ),
                Button(
                    f"{terms.vice_chair} {year}",
                    encode("c", "clusters", token(cluster), "vice", year),
                ),
            )
        )
    return Reply("\n".join(lines), tuple(buttons))


def units(desk: Desk, request: Request) -> list[Item]:
    """`/units [cluster]`: the units of a cluster with their chairs and members."""
    _ = desk._
    cluster = pick_cluster(desk, request, 0, [], directory.clusters(desk.session))
    rows = desk.units(cluster, desk.caller.year)
    leaders = directory.leaders_of(desk.session, cluster.id or 0, desk.caller.year)
    terms = cluster_terms(cluster.kind, desk.locale)
    marks = {
        unit.id: title
        for title, unit in zip(
            (terms.chair, terms.vice_chair), _leader_units(leaders), strict=False
        )
    }
    counts: dict[int, int] = {}
    for member in directory.active_members(desk.session, [u.id or 0 for u in rows]):
        counts[member.unit.id or 0] = counts.get(member.unit.id or 0, 0) + 1
    lines = [_("Đơn vị của {cluster} ({count}):").format(cluster=cluster.name, count=len(rows))]
    for unit in rows:
        title = _("{title} năm {year}").format(title=marks.get(unit.id), year=desk.caller.year)
        mark = f" ({title})" if unit.id in marks else ""
        people = _("{count} người").format(count=counts.get(unit.id or 0, 0))
        lines.append(f"• {unit.code} – {unit.name}{mark} · {people}")
    return [Reply("\n".join(lines))]


def _leader_units(leaders: dict[str, Unit]) -> list[Unit]:
    return [leaders[role] for role in (directory.CHAIR, directory.VICE_CHAIR) if role in leaders]
