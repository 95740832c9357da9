"""A conference's fields as the chat asks for them and reads them back, with polite refusals."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.desk.scope import Desk
from bot.domain.agenda import CONFERENCE_KINDS, MAX_TITLE
from bot.domain.callbacks import encode
from bot.domain.formatting import format_moment
from bot.domain.i18n import Translate
from bot.domain.moments import parse_moment
from bot.domain.replies import Button, Reply
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask

__all__ = [
    "MAX_DELEGATES",
    "Times",
    "ask_for",
    "kind_buttons",
    "kind_label",
    "read_field",
]

MAX_DELEGATES = 20  # per unit, the head of delegation included


@dataclass(frozen=True)
class Times:
    """The moments a new value is checked against: the start and the registration deadline."""

    timezone: str
    starts_at: datetime | None = None
    rsvp_by: datetime | None = None


def kind_label(_: Translate, kind: str) -> str:
    labels = {
        "so-ket": _("Sơ kết"),
        "tong-ket": _("Tổng kết"),
        "phat-dong": _("Phát động"),
        "other": _("Khác"),
    }
    return labels.get(kind, kind)


def kind_buttons(desk: Desk, prefix: tuple[str, ...]) -> tuple[tuple[Button, ...], ...]:
    """One button per kind of conference, two to a row."""
    buttons = [
        Button(kind_label(desk._, kind), encode("c", "conference", *prefix, kind))
        for kind in CONFERENCE_KINDS
    ]
    return (tuple(buttons[:2]), tuple(buttons[2:]))


def ask_for(desk: Desk, target: str, word: str, problem: str | None = None) -> list[Item]:
    """The question for one field of `target` (`#d5`, a draft, or `#k12`, a conference)."""
    _ = desk._
    first = [Reply(problem)] if problem else []
    if word == "kind":
        return [*first, Reply(_("Loại hội nghị?"), kind_buttons(desk, (target, "kind")))]
    if word == "delegates":
        numbers = [
            Button(str(n), encode("c", "conference", target, "delegates", n)) for n in range(1, 7)
        ]
        text = _(
            "👥 Mỗi đơn vị cử tối đa bao nhiêu đại biểu (kể cả trưởng đoàn)? Bấm một số, hoặc "
            "gõ /conference {target} delegates <số> (1–{limit})."
        ).format(target=target, limit=MAX_DELEGATES)
        return [*first, Reply(text, (tuple(numbers[:3]), tuple(numbers[3:])))]
    questions = {
        "when": (_("🕑 Ngày giờ khai mạc? Ví dụ: 10/7/2026 14:00"), _("ngày/tháng/năm giờ:phút")),
        "place": (_("📍 Địa điểm tổ chức? Ví dụ: Hội trường UBND xã Sa Thầy"), _("Địa điểm")),
        "rsvp": (_("🗓 Hạn đăng ký đại biểu? Ví dụ: 7/7/2026 17:00"), _("ngày/tháng/năm giờ:phút")),
        "name": (_("🏷 Tên hội nghị?"), _("Tên hội nghị")),
    }
    question, placeholder = questions[word]
    hint = _("Hãy trả lời (reply) tin nhắn này, hoặc gõ lệnh dưới đây kèm câu trả lời:")
    return [*first, Prompt(f"{question}\n{hint}\n/conference {target} {word}", placeholder)]


def read_field(desk: Desk, target: str, word: str, text: str, times: Times) -> Any:
    """The value typed for a field; a wrong one raises the polite refusal and the question."""
    value, problem = _value(desk, word, text.strip(), times)
    if problem is not None:
        raise Ask(ask_for(desk, target, word, problem))
    return value


def _value(desk: Desk, word: str, text: str, times: Times) -> tuple[Any, str | None]:
    _ = desk._
    if word in ("when", "rsvp"):
        return _moment(desk, word, text, times)
    if word == "delegates":
        if not text.isdigit() or not 1 <= int(text) <= MAX_DELEGATES:
            return None, _("Số đại biểu là một số từ 1 đến {limit}.").format(limit=MAX_DELEGATES)
        return int(text), None
    if word == "kind":
        if text not in CONFERENCE_KINDS:
            return None, _("«{word}» không phải lựa chọn hợp lệ.").format(word=text)
        return text, None
    return _words(_, text)


def _words(_: Translate, text: str) -> tuple[Any, str | None]:
    """A name or a place: some letters, not too long."""
    text = " ".join(text.split())
    if not any(character.isalpha() for character in text):
        return None, _("Câu trả lời cần có chữ, ví dụ «Hội trường UBND xã Sa Thầy».")
    if len(text) > MAX_TITLE:
        return None, _("Câu trả lời dài {length} ký tự, tối đa {limit}.").format(
            length=len(text), limit=MAX_TITLE
        )
    return text, None


def _moment(desk: Desk, word: str, text: str, times: Times) -> tuple[Any, str | None]:
    _ = desk._
    parsed = parse_moment(text, timezone=times.timezone, locale=desk.locale)
    moment = parsed.moment
    if moment is None:
        return None, parsed.problem
    shown = format_moment(moment, times.timezone, desk.locale)
    if moment <= desk.now:
        return None, _("{moment} đã qua; hãy chọn một thời điểm sắp tới.").format(moment=shown)
    if word == "when" and times.rsvp_by is not None and moment <= times.rsvp_by:
        rsvp = format_moment(times.rsvp_by, times.timezone, desk.locale)
        return None, _("Giờ khai mạc phải sau hạn đăng ký ({rsvp}).").format(rsvp=rsvp)
    if word == "rsvp" and times.starts_at is not None and moment >= times.starts_at:
        starts = format_moment(times.starts_at, times.timezone, desk.locale)
        return None, _("Hạn đăng ký phải trước giờ khai mạc ({starts}).").format(starts=starts)
    return moment, None
