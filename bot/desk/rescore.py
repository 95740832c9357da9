"""`/rescore`: the chair changes one leaf of a unit's score with a reason; the unit is told and
may answer (giải trình). Refused while the scores are approved."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from bot.desk.explain import WORD
from bot.desk.pickers import choice
from bot.desk.request import Request, token
from bot.desk.scope import Desk
from bot.desk.scored import Scored, leaf_name, locked_refusal, pick_scored, points
from bot.domain import figures
from bot.domain.callbacks import encode
from bot.domain.i18n import gettext_for
from bot.domain.replies import Reply
from bot.domain.scoring import CLUSTER, PENALTY, SELF, Leaf
from bot.domain.showing import count_text
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask
from bot.storage import directory
from bot.storage.models import Unit
from bot.storage.outbox import enqueue
from bot.storage.scoring import load_scores
from bot.storage.scoring_reviews import ScoresLocked, change_score
from bot.storage.scoring_tables import ScoreChange

__all__ = ["REASON_LIMIT", "rescore"]

REASON_LIMIT = 1000
_CENT = Decimal("0.01")
_POINTS = figures.Spec(kind="number")


def rescore(desk: Desk, request: Request) -> list[Item]:
    """`/rescore [period] [cluster] [unit] [criterion] [points] [reason]`."""
    scored = pick_scored(desk, request, leading=True)
    if scored.locked:
        return [locked_refusal(desk, scored)]
    prefix = [token(scored.period), token(scored.cluster)]
    unit = _pick_unit(desk, request, scored, prefix)
    leaf = _pick_leaf(desk, request, scored, unit, [*prefix, token(unit)])
    typed = request.word(4)
    if typed is None:
        return [_ask_value(desk, scored, unit, leaf)]
    value = _read_value(desk, typed, leaf)
    if isinstance(value, str):
        return [Reply(value), _ask_value(desk, scored, unit, leaf)]
    reason = request.rest(5)
    if not reason:
        return [_ask_reason(desk, scored, unit, leaf, value)]
    if len(reason) > REASON_LIMIT:
        message = desk._("Lý do dài quá {limit} ký tự; vui lòng viết ngắn lại.")
        return [Reply(message.format(limit=count_text(REASON_LIMIT, desk.locale)))]
    return _change(desk, scored, unit, leaf, value, reason)


def _change(
    desk: Desk, scored: Scored, unit: Unit, leaf: Leaf, value: Decimal, reason: str
) -> list[Item]:
    """Keep the change, tell the unit, and say what the unit's total is now."""
    _ = desk._
    before = _current(scored, unit, leaf)
    try:
        change = change_score(
            desk.session,
            period_id=scored.period.id or 0,
            cluster_id=scored.cluster.id or 0,
            unit_id=unit.id or 0,
            criterion_key=leaf.key,
            value=value,
            reason=reason,
            actor=desk.actor,
            person_id=desk.person.id,
        )
    except ScoresLocked:  # approved between the question and the answer
        return [locked_refusal(desk, scored)]
    told = _tell_unit(desk, scored, unit, leaf, change, before)
    cluster_id = scored.cluster.id or 0
    now = load_scores(desk.session, period_id=scored.period.id or 0, cluster_ids=[cluster_id])
    standing = now[cluster_id].layers[CLUSTER].of(unit.code)
    text = _("✏️ Đã sửa điểm «{criterion}» của {unit} kỳ «{period}»: {before} → {after}.").format(
        criterion=leaf_name(leaf),
        unit=unit.name,
        period=scored.period.name,
        before=points(before, desk.locale),
        after=points(value, desk.locale),
    )
    if standing is not None and standing.rank is not None:
        text += "\n" + _("Tổng điểm cụm chấm của {unit}: {total} điểm, hạng {rank}.").format(
            unit=unit.name, total=points(standing.total, desk.locale), rank=standing.rank
        )
    text += "\n" + _(
        "Đã báo cho {count} người của đơn vị; anh/chị sẽ được báo khi đơn vị giải trình."
    ).format(count=told)
    return [Reply(text)]


# -- the unit and the criterion ------------------------------------------------------------------


def _pick_unit(desk: Desk, request: Request, scored: Scored, prefix: list[str]) -> Unit:
    """Word 2: a unit of the cluster that has submitted (only those have a score to change)."""
    _ = desk._
    members = desk.units(scored.cluster)
    submitted = {entry.code for entry in scored.scores.units if entry.submitted}
    options = [(unit.name, token(unit)) for unit in members if unit.code in submitted]
    question = _("Sửa điểm của đơn vị nào?")
    if not options:
        raise Ask([Reply(_("Chưa có đơn vị nào nộp số liệu kỳ này, chưa có điểm để sửa."))])
    text = request.word(2)
    if text is None:
        raise choice(desk, request.command, prefix, question, options, columns=2)
    unit = desk.unit(text)
    if unit is None or unit.id not in {member.id for member in members}:
        first = _("{cluster} không có đơn vị «{code}».").format(
            cluster=scored.cluster.name, code=text
        )
        asked = choice(desk, request.command, prefix, question, options, columns=2)
        raise Ask([Reply(first), *asked.items])
    if unit.code not in submitted:
        raise Ask([Reply(_("{unit} chưa nộp số liệu kỳ này, chưa có điểm để sửa.").format(
            unit=unit.name
        ))])  # fmt: skip
    return unit


def _pick_leaf(desk: Desk, request: Request, scored: Scored, unit: Unit, prefix: list[str]) -> Leaf:
    """Word 3: a leaf by its key, or `#l<n>` from a button (keys may be too long for one)."""
    _ = desk._
    leaves = scored.scores.table.leaves
    options = [
        (f"{leaf_name(leaf, 34)} ({_shown(_current(scored, unit, leaf), leaf, desk.locale)})",
         f"#l{index}")
        for index, leaf in enumerate(leaves)
    ]  # fmt: skip
    question = _("Sửa tiêu chí nào của {unit}? (điểm hiện tại / tối đa)").format(unit=unit.name)
    text = request.word(3)
    if text is None:
        raise choice(desk, request.command, prefix, question, options)
    if text.startswith("#l") and text[2:].isdigit() and int(text[2:]) < len(leaves):
        return leaves[int(text[2:])]
    leaf = scored.scores.table.leaf(text)
    if leaf is None:
        first = _("Bảng chấm điểm không có tiêu chí «{code}».").format(code=text)
        raise Ask([Reply(first), *choice(desk, request.command, prefix, question, options).items])
    return leaf


def _current(scored: Scored, unit: Unit, leaf: Leaf) -> Decimal:
    standing = scored.scores.layers[CLUSTER].of(unit.code)
    return standing.leaves.get(leaf.key, Decimal(0)) if standing else Decimal(0)


def _shown(value: Decimal, leaf: Leaf, locale: str) -> str:
    """`8,50/10,00`; a penalty negative (`-5,00/10,00`)."""
    return f"{points(value, locale)}/{points(leaf.max, locale)}"


# -- the value and the reason --------------------------------------------------------------------


def _read_value(desk: Desk, typed: str, leaf: Leaf) -> Decimal | str:
    """The new score, or why it cannot be one; a penalty is typed as the points taken off."""
    spec = figures.Spec(kind="number", min=Decimal(0), max=leaf.max)
    read = figures.parse(typed, spec, locale=desk.locale)
    if not isinstance(read, figures.Parsed):
        return read.message
    assert isinstance(read.value, Decimal)  # a number's only reading
    if read.value != read.value.quantize(_CENT):
        return desk._("Điểm chỉ có tối đa hai chữ số thập phân, ví dụ: 7,5 hoặc 7,25.")
    return -read.value if leaf.rule == PENALTY else read.value


def _ask_value(desk: Desk, scored: Scored, unit: Unit, leaf: Leaf) -> Prompt:
    _ = desk._
    own = scored.scores.layers[SELF].of(unit.code)
    self_value = own.leaves.get(leaf.key, Decimal(0)) if own else Decimal(0)
    names: dict[str, Any] = {
        "criterion": leaf.title,
        "unit": unit.name,
        "max": figures.format_value(leaf.max, _POINTS, locale=desk.locale),
        "own": points(self_value, desk.locale),
        "now": points(_current(scored, unit, leaf), desk.locale),
    }
    if leaf.rule == PENALTY:
        asked = _("số điểm trừ (0 đến {max})").format(**names)
    else:
        asked = _("số điểm mới (0 đến {max})").format(**names)
    text = _(
        "✏️ Sửa điểm «{criterion}» của {unit}: tự chấm {own}, hiện {now}. Hãy trả lời (reply) "
        "tin nhắn này bằng {asked}, có thể kèm lý do sau số điểm (ví dụ: 7,5 Chưa có báo cáo "
        "sơ kết). Hoặc gõ lệnh dưới đây kèm số điểm và lý do:"
    ).format(asked=asked, **names)
    return Prompt(f"{text}\n{_command(scored, unit, leaf)}", _("Số điểm, rồi lý do"))


def _ask_reason(desk: Desk, scored: Scored, unit: Unit, leaf: Leaf, value: Decimal) -> Prompt:
    _ = desk._
    text = _(
        "✏️ Điểm mới «{criterion}» của {unit}: {value}. Hãy trả lời (reply) tin nhắn này bằng "
        "lý do; đơn vị sẽ thấy lý do và có thể giải trình. Hoặc gõ lệnh dưới đây kèm lý do:"
    ).format(criterion=leaf.title, unit=unit.name, value=points(value, desk.locale))
    typed = figures.to_canonical(abs(value))
    return Prompt(f"{text}\n{_command(scored, unit, leaf)} {typed}", _("Lý do sửa điểm"))


def _command(scored: Scored, unit: Unit, leaf: Leaf) -> str:
    """The command a prompt completes, by codes as people type them."""
    return f"/rescore {scored.period.code} {scored.cluster.code} {unit.code} {leaf.key}"


# -- the unit is told ----------------------------------------------------------------------------


def _tell_unit(
    desk: Desk, scored: Scored, unit: Unit, leaf: Leaf, change: ScoreChange, before: Decimal
) -> int:
    """Queue the change for each of the unit's people, in their language, with a button to
    answer it; returns how many."""
    told = 0
    for member in directory.active_members(desk.session, [unit.id or 0]):
        locale = desk.turn.locale_for(member.person)
        _ = gettext_for(locale)
        text = _(
            "✏️ {name} đã sửa điểm của {unit} kỳ «{period}»:\n• {criterion}: {before} → {after} "
            "(tối đa {max})\nLý do: {reason}\nNếu chưa thống nhất, anh/chị bấm «Giải trình» để "
            "gửi ý kiến cho cụm trưởng."
        ).format(
            name=desk.person.full_name or _("Cụm trưởng"),
            unit=unit.name,
            period=scored.period.name,
            criterion=leaf.title,
            before=points(before, locale),
            after=points(Decimal(change.value), locale),
            max=points(leaf.max, locale),
            reason=change.reason,
        )
        button = {"text": _("✍️ Giải trình"), "callback_data": _explain_data(change)}
        payload = {"text": text, "reply_markup": {"inline_keyboard": [[button]]}}
        key = f"score-changed:{change.id}:{member.person.telegram_id}"
        told += enqueue(desk.session, key=key, chat_id=member.person.telegram_id, payload=payload)
    return told


def _explain_data(change: ScoreChange) -> str:
    return encode("c", "scores", WORD, change.id)
