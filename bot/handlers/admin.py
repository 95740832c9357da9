"""Admin look-ups in the private chat: clusters and their chairs, units, periods, members, audit."""

from __future__ import annotations

import json
from typing import Any

from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.periods import Phase, phase
from bot.domain.replies import Button, Reply
from bot.handlers.desk import Ask, Desk, Item, Request, token
from bot.storage import admin as store
from bot.storage import directory
from bot.storage.models import AuditEvent, Cluster, Period, Person, Unit

__all__ = ["audit", "clusters", "members", "period_line", "periods", "units"]

_ROLE_WORDS = {"chair": directory.CHAIR, "vice": directory.VICE_CHAIR}


def clusters(desk: Desk, request: Request) -> list[Item]:
    """`/clusters [cluster [chair|vice year [unit]]]`: list, details, and set the chair."""
    if request.word(0) is None:
        return [_cluster_list(desk)]
    cluster = desk.pick_cluster(request, 0, [], directory.clusters(desk.session))
    if isinstance(cluster, Ask):
        return cluster.items
    assert cluster is not None
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
    unit = desk.pick_unit(request, 3, prefix, [cluster])
    if isinstance(unit, Ask):
        return unit.items
    changed = store.set_leader(
        desk.session, cluster=cluster, year=year, role=role, unit=unit, actor=desk.actor
    )
    title = _role_title(desk, role)
    text = (
        _("✅ {unit} là {role} của {cluster} năm {year}.")
        if changed
        else _("{unit} đã là {role} của {cluster} năm {year}.")
    )
    return [Reply(text.format(unit=unit.name, role=title, cluster=cluster.name, year=year))]


def _role_title(desk: Desk, role: str) -> str:
    _ = desk._
    return _("cụm trưởng") if role == directory.CHAIR else _("cụm phó")


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
    units = desk.units(cluster)
    leaders = directory.leaders_of(desk.session, cluster.id or 0, year)
    groups = directory.groups_of_cluster(desk.session, cluster.id or 0)
    chair, vice = leaders.get(directory.CHAIR), leaders.get(directory.VICE_CHAIR)
    none = _("chưa có")
    return [
        f"• {cluster.code} – {cluster.name}",
        _("  {count} đơn vị · cụm trưởng {year}: {chair} · cụm phó: {vice}").format(
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
    lines.append(_("Đặt cụm trưởng hoặc cụm phó:"))
    buttons = []
    for year in (desk.caller.year, desk.caller.year + 1):
        buttons.append(
            (
                Button(
                    _("👑 Cụm trưởng {year}").format(year=year),
                    encode("c", "clusters", token(cluster), "chair", year),
                ),
                Button(
                    _("Cụm phó {year}").format(year=year),
                    encode("c", "clusters", token(cluster), "vice", year),
                ),
            )
        )
    return Reply("\n".join(lines), tuple(buttons))


def units(desk: Desk, request: Request) -> list[Item]:
    """`/units [cluster]`: the units of a cluster with their chairs and members."""
    _ = desk._
    cluster = desk.pick_cluster(request, 0, [], directory.clusters(desk.session))
    if isinstance(cluster, Ask):
        return cluster.items
    assert cluster is not None
    rows = desk.units(cluster)
    leaders = directory.leaders_of(desk.session, cluster.id or 0, desk.caller.year)
    marks = {
        unit.id: mark for mark, unit in zip(("👑", "🥈"), _leader_units(leaders), strict=False)
    }
    counts: dict[int, int] = {}
    for member in directory.active_members(desk.session, [u.id or 0 for u in rows]):
        counts[member.unit.id or 0] = counts.get(member.unit.id or 0, 0) + 1
    lines = [_("Đơn vị của {cluster} ({count}):").format(cluster=cluster.name, count=len(rows))]
    for unit in rows:
        mark = f" {marks[unit.id]}" if unit.id in marks else ""
        people = _("{count} người").format(count=counts.get(unit.id or 0, 0))
        lines.append(f"• {unit.code} – {unit.name}{mark} · {people}")
    lines.append(_("👑 cụm trưởng, 🥈 cụm phó năm {year}.").format(year=desk.caller.year))
    return [Reply("\n".join(lines))]


def _leader_units(leaders: dict[str, Unit]) -> list[Unit]:
    return [leaders[role] for role in (directory.CHAIR, directory.VICE_CHAIR) if role in leaders]


def periods(desk: Desk, request: Request) -> list[Item]:
    """`/periods`: every period with its phase, deadline and clusters."""
    _ = desk._
    rows = directory.periods(desk.session)
    if not rows:
        return [Reply(_("Chưa có kỳ báo cáo nào. Gửi tệp thiết lập cho bot (/import) để tạo."))]
    lines = [_("🗓 Các kỳ báo cáo ({count}):").format(count=len(rows))]
    for period in rows:
        codes = ", ".join(
            c.code for c in directory.clusters_of_period(desk.session, period.id or 0)
        )
        lines += ["", period_line(desk, period), _("  Cụm: {codes}").format(codes=codes)]
    return [Reply("\n".join(lines))]


def period_line(desk: Desk, period: Period) -> str:
    """`• 2026-h1 – Sơ kết…: đang mở, hạn nộp 17:00 ngày 20/6/2026`."""
    _ = desk._
    labels = {
        Phase.UPCOMING: _("chưa mở (mở lúc {opens})"),
        Phase.OPEN: _("đang mở"),
        Phase.LATE: _("đã quá hạn, vẫn nhận và ghi nộp muộn"),
        Phase.LOCKED: _("đã khoá sổ"),
    }
    when = format_moment(period.opens_at, period.timezone, desk.locale)
    state = labels[phase(period, desk.now)].format(opens=when)
    if period.state == "open":
        state += " " + _("(quản trị viên đã mở)")
    elif period.state == "locked":
        state += " " + _("(quản trị viên đã khoá)")
    deadline = format_moment(period.deadline_at, period.timezone, desk.locale)
    return _("• {code} – {name}: {state}; hạn nộp {deadline}").format(
        code=period.code, name=period.name, state=state, deadline=deadline
    )


def members(desk: Desk, request: Request) -> list[Item]:
    """`/members [cluster|unit]`: who belongs to which unit, with their role."""
    _ = desk._
    text = request.word(0)
    unit = desk.unit(text) if text and not text.startswith("#c") else None
    if unit is not None:
        chosen = [unit]
        title = _("Thành viên của {unit}:").format(unit=unit.name)
    else:
        cluster = desk.pick_cluster(request, 0, [], directory.clusters(desk.session))
        if isinstance(cluster, Ask):
            return cluster.items
        assert cluster is not None
        chosen = desk.units(cluster)
        title = _("Thành viên các đơn vị của {cluster}:").format(cluster=cluster.name)
    found = directory.active_members(desk.session, [u.id or 0 for u in chosen])
    lines = [title]
    for each in chosen:
        people = [m for m in found if m.unit.id == each.id]
        lines.append(f"\n{each.name} ({each.code})")
        lines += [_member_line(desk, m) for m in people] or [_("  (chưa có ai)")]
    return [Reply("\n".join(lines))]


def _member_line(desk: Desk, member: directory.Member) -> str:
    _ = desk._
    role = _("đầu mối") if member.membership.role == "focal" else _("liên hệ cụm trưởng")
    since = format_moment(member.membership.created_at, desk.settings.timezone, desk.locale)
    return _("  • {name} – {handle} – {role}, từ {since}").format(
        name=member.person.full_name or "?", handle=_handle(member.person), role=role, since=since
    )


def _handle(person: Person) -> str:
    return (
        f"@{person.username} · {person.telegram_id}" if person.username else str(person.telegram_id)
    )


def audit(desk: Desk, request: Request) -> list[Item]:
    """`/audit [unit]`: the latest changes about a unit, readable."""
    _ = desk._
    unit = desk.pick_unit(request, 0, [], directory.clusters(desk.session))
    if isinstance(unit, Ask):
        return unit.items
    events = directory.recent_events(desk.session, unit_code=unit.code)
    if not events:
        return [Reply(_("Chưa có thay đổi nào về {unit}.").format(unit=unit.name))]
    lines = [_("📜 Thay đổi gần đây về {unit}:").format(unit=unit.name)]
    people = _people_by_actor(desk, events)
    for event in events:
        lines.append(_event_line(desk, event, people))
    return [Reply("\n".join(lines))]


def _people_by_actor(desk: Desk, events: list[AuditEvent]) -> dict[str, str]:
    names = {}
    for event in events:
        kind, _sep, ident = event.actor.partition(":")
        if kind == "telegram" and ident.lstrip("-").isdigit():
            person = directory.person_by_handle(desk.session, ident)
            if person is not None and person.full_name:
                names[event.actor] = person.full_name
    return names


def _event_line(desk: Desk, event: AuditEvent, people: dict[str, str]) -> str:
    _ = desk._
    actions = {
        "submission.submitted": _("nộp số liệu"),
        "submission.returned": _("trả lại số liệu"),
        "invite.created": _("tạo lời mời"),
        "role.joined": _("tham gia đơn vị"),
        "role.revoked": _("thu hồi quyền"),
        "unit.locked": _("khoá sổ riêng đơn vị"),
        "unit.unlocked": _("mở khoá riêng đơn vị"),
        "role.chair_set": _("đặt cụm trưởng"),
        "role.vice_chair_set": _("đặt cụm phó"),
        "import.created": _("nhập thiết lập: thêm"),
        "import.updated": _("nhập thiết lập: sửa"),
        "import.retired": _("nhập thiết lập: ngừng dùng"),
        "import.removed": _("nhập thiết lập: bỏ"),
    }
    when = format_moment(event.at, desk.settings.timezone, desk.locale)
    who = people.get(event.actor, event.actor)
    what = actions.get(event.action, event.action)
    detail = _change_text(event.before, event.after)
    line = f"• {when} – {who}: {what}"
    if event.entity != "unit":
        line += f" ({event.entity} {event.entity_key})"
    return f"{line}{' – ' + detail if detail else ''}"


def _change_text(before: dict[str, Any] | None, after: dict[str, Any] | None) -> str:
    """`state: locked → unlocked`, compact, for one line."""
    before, after = before or {}, after or {}
    parts = []
    for key in dict.fromkeys([*before, *after]):
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old != new:
            parts.append(f"{key}: {_short(old)} → {_short(new)}")
        elif key in after and key not in before:
            parts.append(f"{key}: {_short(new)}")
        elif key in before and key not in after:
            parts.append(f"{key}: {_short(old)} → ∅")
    return "; ".join(parts)


def _short(value: Any) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:79] + "…"
