"""The chair's view of a pledge's registrations: one table, and a registration returned."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.desk.pickers import choice
from bot.desk.request import Request, token
from bot.desk.returns import REASON_LIMIT
from bot.desk.scope import Desk
from bot.domain.formatting import format_moment
from bot.domain.replies import Reply, split_text
from bot.domain.showing import count_text
from bot.edge.send import Attachment, Item, Prompt
from bot.edge.turn import Ask
from bot.flow.texts import shown
from bot.notices.pledges import PledgeNotices
from bot.storage.models import Cluster, Person, Pledge, Unit
from bot.storage.pledge_progress import (
    MISSING,
    REGISTERED,
    RETURNED,
    SIGNED,
    UnitTargets,
    registered_answers,
    registration_progress,
)
from bot.storage.pledge_tables import PledgeWindow
from bot.storage.pledges import return_registration as store_return
from bot.storage.pledges import target_indicators, window_of
from bot.storage.types import require_id

__all__ = ["pledge_document", "registration_table", "return_registration"]


def registration_table(
    desk: Desk, request: Request, cluster: Cluster, chosen: Pledge
) -> list[Item]:
    """`review`: each unit's state and its registered targets beside this year's."""
    _ = desk._
    window = window_of(desk.session, chosen.id or 0)
    progress = registration_progress(desk.session, chosen)
    indicators = target_indicators(desk.session, chosen.id or 0)
    answers = registered_answers(desk.session, [require_id(u.latest) for u in progress if u.latest])
    lines = [
        _("📋 Bảng đăng ký chỉ tiêu năm {year} – {cluster}").format(
            year=chosen.year, cluster=cluster.name
        ),
        "",
    ]
    for unit in progress:
        lines.append(_unit_heading(desk, unit, window))
        given = answers.get(require_id(unit.latest), {}) if unit.latest else {}
        for indicator in indicators:
            answer = given.get(require_id(indicator))
            if answer is None or answer.value is None:
                continue
            line = f"   • {indicator.name}: {shown(answer.value, indicator, desk.locale)}"
            if answer.explanation:
                line += " " + _("(giải trình: {text})").format(text=answer.explanation)
            lines.append(line)
    return [Reply(piece) for piece in split_text("\n".join(lines))]


def _unit_heading(desk: Desk, unit: UnitTargets, window: PledgeWindow | None) -> str:
    _ = desk._
    timezone = window.timezone if window else "Asia/Ho_Chi_Minh"
    latest = unit.latest
    if latest is None or unit.state == MISSING:
        drafted = _(" (đang nhập {n} câu)").format(n=unit.drafted) if unit.drafted else ""
        return _("⬜ {unit}: chưa đăng ký").format(unit=unit.unit.name) + drafted
    at = format_moment(latest.submitted_at, timezone, desk.locale) if latest.submitted_at else "?"
    names = {"unit": unit.unit.name, "n": latest.revision, "at": at}
    if unit.state == RETURNED:
        return _("↩️ {unit}: lần {n} đã trả lại, lý do «{reason}»").format(
            reason=latest.returned_reason or "", **names
        )
    if unit.state == SIGNED and latest.signed_at is not None:
        signed = format_moment(latest.signed_at, timezone, desk.locale)
        return _("✍️ {unit}: lần {n}, {at}; đã ký lúc {signed}").format(signed=signed, **names)
    return _("✅ {unit}: lần {n}, {at}").format(**names)


def return_registration(
    desk: Desk, request: Request, cluster: Cluster, chosen: Pledge
) -> list[Item]:
    """`return [unit] [reason]`: send a unit's registration back for correction."""
    _ = desk._
    window = window_of(desk.session, chosen.id or 0)
    progress = registration_progress(desk.session, chosen)
    prefix = [token(cluster), str(chosen.year), "return"]
    returnable = [u for u in progress if u.state in (REGISTERED, SIGNED)]
    unit = _pick_unit(desk, request, prefix, returnable, progress)
    if window is not None and window.signed_at is not None:
        return [Reply(_("Các đơn vị đã ký giao ước; không trả lại được nữa."))]
    reason = request.rest(4)
    if not reason:
        return [_ask_reason(desk, cluster, chosen, unit.unit)]
    if len(reason) > REASON_LIMIT:
        return [
            Reply(
                _("Lý do dài quá {limit} ký tự; vui lòng viết ngắn lại.").format(
                    limit=count_text(REASON_LIMIT, desk.locale)
                )
            )
        ]
    assert unit.latest is not None  # only a registered unit can be chosen
    store_return(
        desk.session,
        registration=unit.latest,
        unit=unit.unit,
        reason=reason,
        by=desk.person,
        now=desk.now,
    )
    told = 0
    if window is not None:
        notices = PledgeNotices(
            desk.session, chosen, cluster, window, desk.now, desk.settings.locale
        )
        told = notices.returned(unit.unit, unit.latest, reason, desk.person.full_name)
    text = _(
        "↩️ Đã trả lại bản đăng ký chỉ tiêu lần {n} của {unit}. Đã báo cho {count} người của "
        "đơn vị; anh/chị sẽ được báo khi đơn vị đăng ký lại."
    ).format(n=unit.latest.revision, unit=unit.unit.name, count=told)
    return [Reply(text)]


def _pick_unit(
    desk: Desk,
    request: Request,
    prefix: list[str],
    returnable: list[UnitTargets],
    progress: list[UnitTargets],
) -> UnitTargets:
    """Word 3: a unit whose registration can be returned, by button or by code."""
    _ = desk._
    text = request.word(3)
    if text is None:
        if not returnable:
            raise Ask([Reply(_("Chưa có đơn vị nào đăng ký để trả lại."))])
        options = [
            (f"{u.unit.name} ({_('lần')} {u.latest.revision if u.latest else 0})", token(u.unit))
            for u in returnable
        ]
        raise choice(desk, "pledge", prefix, _("Trả lại bản đăng ký của đơn vị nào?"), options)
    unit = desk.unit(text)
    found = next((u for u in progress if unit is not None and u.unit.id == unit.id), None)
    if found is None:
        raise Ask([Reply(_("Không tìm thấy {what} «{code}».").format(what=_("đơn vị"), code=text))])
    if found not in returnable:
        raise Ask(
            [Reply(_("{unit} chưa có bản đăng ký nào để trả lại.").format(unit=found.unit.name))]
        )
    return found


def _ask_reason(desk: Desk, cluster: Cluster, chosen: Pledge, unit: Unit) -> Prompt:
    _ = desk._
    text = _(
        "↩️ Trả lại bản đăng ký chỉ tiêu năm {year} của {unit}. Hãy trả lời (reply) tin nhắn này "
        "bằng lý do trả lại; đơn vị sẽ thấy lý do này. Hoặc gõ lệnh dưới đây kèm lý do:"
    ).format(year=chosen.year, unit=unit.name)
    command = f"/pledge {cluster.code} {chosen.year} return {unit.code}"
    return Prompt(f"{text}\n{command}", _("Lý do trả lại"))


def pledge_document(desk: Desk, request: Request, cluster: Cluster, chosen: Pledge) -> list[Item]:
    """`document`: the pledge as a Word file, each unit's targets and who signed it when."""
    from bot.documents.model import Letterhead
    from bot.documents.pledge import PledgePaper, SignedUnit, pledge_docx, pledge_file_name
    from bot.notices.pledge_texts import target_text

    window = window_of(desk.session, chosen.id or 0)
    timezone = window.timezone if window else "Asia/Ho_Chi_Minh"
    progress = registration_progress(desk.session, chosen)
    indicators = target_indicators(desk.session, chosen.id or 0)
    answers = registered_answers(desk.session, [require_id(u.latest) for u in progress if u.latest])
    units = []
    for unit in progress:
        given = answers.get(require_id(unit.latest), {}) if unit.latest else {}
        targets = tuple(
            (i.name, target_text(a.value, i, desk.locale))
            for i in indicators
            if (a := given.get(require_id(i))) is not None and a.value is not None
        )
        signer = _signer(desk, unit)
        at = unit.latest.signed_at if unit.latest and unit.state == SIGNED else None
        signed = format_moment(at, timezone, desk.locale) if at else ""
        units.append(SignedUnit(unit.unit.name, targets, signer, signed))
    head = Letterhead.for_cluster(
        cluster.name, lines=tuple(cluster.letterhead), place_name=cluster.place_name,
        kind="khoi" if cluster.kind == "khoi" else "cum",
    )  # fmt: skip
    moment = window.signed_at if window and window.signed_at else desk.now
    dated = moment.astimezone(ZoneInfo(timezone)).date()
    paper = PledgePaper(head, cluster.name, chosen.year, dated, tuple(units))
    content = pledge_docx(paper, locale=desk.locale)
    caption = desk._("Giao ước thi đua năm {year} – {cluster}").format(
        year=chosen.year, cluster=cluster.name
    )
    return [Attachment(pledge_file_name(cluster.code, chosen.year), content, caption)]


def _signer(desk: Desk, unit: UnitTargets) -> str:
    """Who signed the unit's latest registration, as the bot knows them."""
    if unit.latest is None or unit.state != SIGNED or unit.latest.signed_by_person_id is None:
        return ""
    person = desk.session.get(Person, unit.latest.signed_by_person_id)
    return person.full_name if person is not None else ""
