"""`/sign` (or «Ký giao ước»): a unit's focal point signs its registered targets.

The last signature completes the pledge: the registered targets become its `Target` rows and
the group is told. A registration the chair returned cannot be signed until it is registered
again.
"""

from __future__ import annotations

from bot.desk.pickers import choice
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.replies import Button, Reply
from bot.edge.send import Item
from bot.edge.turn import Ask
from bot.notices.pledges import PledgeNotices
from bot.storage.audit import record_event
from bot.storage.models import Cluster, Pledge, Unit
from bot.storage.people import units_of
from bot.storage.pledge_progress import SIGNED, write_targets
from bot.storage.pledge_tables import PledgeWindow, TargetRegistration
from bot.storage.pledges import openings_for_unit, registrations_of, sign_registration
from bot.storage.types import require_id

__all__ = ["sign"]

_Awaiting = tuple[Unit, Pledge, PledgeWindow, Cluster]


def sign(desk: Desk, request: Request) -> list[Item]:
    """`/sign [unit] [registration]`: show the unit's targets, then sign the ones shown."""
    _ = desk._
    awaiting = _awaiting(desk)
    if not awaiting:
        return [Reply(_("Hiện không có giao ước nào đang chờ đơn vị của anh/chị ký."))]
    unit, chosen, window, cluster = _pick(desk, request, awaiting)
    revisions = registrations_of(desk.session, pledge_id=chosen.id or 0, unit_id=unit.id or 0)
    latest = max((r for r in revisions if r.status == "submitted"), key=_revision, default=None)
    if (refusal := _refusal(desk, unit, chosen, window, latest)) is not None:
        return [refusal]
    assert latest is not None
    notices = PledgeNotices(desk.session, chosen, cluster, window, desk.now, desk.settings.locale)
    if request.word(1) != str(latest.id):
        changed = request.word(1) is not None
        return [_request(desk, notices, unit, chosen, latest, changed=changed)]
    sign_registration(
        desk.session, registration=latest, person=desk.person, unit=unit, now=desk.now
    )
    at = format_moment(desk.now, window.timezone, desk.locale)
    lines = [
        _("✅ Đã ký giao ước thi đua năm {year} cho {unit} lúc {at}.").format(
            year=chosen.year, unit=unit.name, at=at
        )
    ]
    if all(unit_targets.state == SIGNED for unit_targets in notices.progress):
        _complete(desk, notices)
        lines.append(
            _("Đơn vị là đơn vị ký cuối cùng: giao ước đã hoàn tất và nhóm của cụm đã được báo.")
        )
    return [Reply("\n".join(lines))]


def _revision(registration: TargetRegistration) -> int:
    return registration.revision


def _awaiting(desk: Desk) -> list[_Awaiting]:
    """The person's units whose pledge was sent for signing and is not complete."""
    found = []
    for _membership, unit in units_of(desk.session, desk.person):
        for chosen, window, cluster in openings_for_unit(desk.session, unit.id or 0):
            if window.signing_at is not None and window.signed_at is None:
                found.append((unit, chosen, window, cluster))
    return found


def _pick(desk: Desk, request: Request, awaiting: list[_Awaiting]) -> _Awaiting:
    """Word 0: the unit (and its pledge) to sign for; the only one is taken as given."""
    text = request.word(0)
    if text is None:
        if len(awaiting) == 1:
            return awaiting[0]
        options = [(f"{u.name} – {p.year}", token(u)) for u, p, _w, _c in awaiting]
        raise choice(desk, "sign", [], desk._("Ký giao ước cho đơn vị nào?"), options)
    unit = desk.unit(text)
    found = next((a for a in awaiting if unit is not None and a[0].id == unit.id), None)
    if found is None:
        raise Ask([Reply(desk._("Đơn vị này không có giao ước nào đang chờ anh/chị ký."))])
    return found


def _refusal(
    desk: Desk, unit: Unit, chosen: Pledge, window: PledgeWindow, latest: TargetRegistration | None
) -> Reply | None:
    """Why the unit cannot sign now (nothing registered, returned, signed already), if so."""
    _ = desk._
    names = {"unit": unit.name, "year": chosen.year}
    if latest is None:
        return Reply(
            _("{unit} chưa đăng ký chỉ tiêu năm {year}: gõ /targets để đăng ký.").format(**names)
        )
    if latest.returned_at is not None:
        return Reply(
            _(
                "Bản đăng ký chỉ tiêu của {unit} đã được cụm trưởng trả lại (lý do: «{reason}»), "
                "nên chưa ký được. Gõ /targets để sửa và đăng ký lại, rồi ký."
            ).format(reason=latest.returned_reason or "", **names)
        )
    if latest.signed_at is not None:
        at = format_moment(latest.signed_at, window.timezone, desk.locale)
        return Reply(_("{unit} đã ký giao ước năm {year} lúc {at}.").format(at=at, **names))
    return None


def _request(
    desk: Desk,
    notices: PledgeNotices,
    unit: Unit,
    chosen: Pledge,
    latest: TargetRegistration,
    *,
    changed: bool,
) -> Reply:
    """The unit's registered targets and «Ký giao ước» for exactly these."""
    from bot.notices.pledge_texts import sign_request

    text = sign_request(chosen, unit, notices.target_lines(latest)(desk.locale), desk.locale)
    if changed:
        notice = desk._("Chỉ tiêu đã thay đổi sau tin nhắn trước; đây là bản mới nhất.")
        text = f"{notice}\n\n{text}"
    data = encode("c", "sign", token(unit), latest.id)
    return Reply(text, ((Button(desk._("✍️ Ký giao ước"), data),),))


def _complete(desk: Desk, notices: PledgeNotices) -> None:
    """Every unit signed: the targets become the pledge's, the group is told."""
    chosen, window = notices.pledge, notices.window
    written = write_targets(
        desk.session, pledge=chosen, progress=notices.progress, actor=desk.actor
    )
    window.signed_at = desk.now
    desk.session.add(window)
    record_event(
        desk.session,
        actor=desk.actor,
        action="pledge.completed",
        entity="pledge",
        entity_key=str(require_id(chosen)),
        after={"year": chosen.year, "targets": written},
    )
    notices.all_signed()
