"""`/profile`: the full name and position (chức vụ) that lists and papers show of a person.

Asked once after joining, never required: a person who goes straight to `/submit` is asked
after their receipt, and both can be changed here at any time."""

from __future__ import annotations

from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.delegates import name_problem, tidy, title_problem
from bot.domain.i18n import gettext_for
from bot.domain.replies import Button, Reply
from bot.edge.send import Item, Prompt
from bot.storage.audit import record_event
from bot.storage.models import Person

__all__ = ["profile", "profile_question"]


def profile(desk: Desk, request: Request) -> list[Item]:
    """`/profile`, `/profile dung` (the name suggested), `/profile ten …`, `/profile chucvu …`."""
    word = request.words[0] if request.words else ""
    if word == "dung":
        return _set_name(desk, desk.person.full_name)
    if word == "ten":
        return _set_name(desk, request.rest(1))
    if word == "chucvu":
        return _set_position(desk, request.rest(1))
    return [_card(desk)]


def profile_question(person: Person, suggested: str, locale: str) -> Reply:
    """After joining: is this the name for lists and papers? One press accepts it."""
    _ = gettext_for(locale)
    text = _(
        "Để danh sách và văn bản ghi đúng, đề nghị anh/chị xác nhận họ tên và chức vụ. Họ tên "
        "của anh/chị là “{name}”? (Có thể để sau: gõ /profile bất cứ lúc nào.)"
    ).format(name=suggested)
    return Reply(text, _buttons(person, suggested, locale))


def _card(desk: Desk) -> Reply:
    _ = desk._
    person = desk.person
    name = person.official_name or _("“{name}” (theo Telegram, chưa xác nhận)").format(
        name=person.full_name
    )
    lines = [
        _("Thông tin của anh/chị trên danh sách và văn bản:"),
        _("Họ và tên: {name}").format(name=name),
        _("Chức vụ: {position}").format(position=person.position or _("(chưa có)")),
    ]
    return Reply("\n".join(lines), _buttons(person, person.full_name, desk.locale))


def _buttons(person: Person, suggested: str, locale: str) -> tuple[tuple[Button, ...], ...]:
    _ = gettext_for(locale)
    rows: list[tuple[Button, ...]] = []
    if person.official_name is None and suggested:
        rows.append((Button(_("✅ Đúng, là {name}").format(name=suggested)[:60], _press("dung")),))
    rows.append(
        (
            Button(_("✏️ Sửa họ tên"), _press("ten")),
            Button(_("✏️ Sửa chức vụ"), _press("chucvu")),
        )
    )
    return tuple(rows)


def _press(word: str) -> str:
    return encode("c", "profile", word)


def _set_name(desk: Desk, text: str) -> list[Item]:
    _ = desk._
    if not text.strip():
        ask = _("Anh/chị trả lời tin nhắn này bằng họ và tên đầy đủ, ví dụ “Nguyễn Thị Hoa”:")
        return [Prompt(f"{ask}\n/profile ten", _("Họ và tên"))]
    if (problem := name_problem(text, locale=desk.locale)) is not None:
        return [Reply(problem)]
    _remember(desk, "official_name", tidy(text))
    desk.person.full_name = desk.person.official_name or desk.person.full_name
    if desk.person.position is None:
        return [Reply(_("Đã ghi họ tên: {name}.").format(name=desk.person.full_name)), _ask(desk)]
    return [_card(desk)]


def _set_position(desk: Desk, text: str) -> list[Item]:
    if not text.strip():
        return [_ask(desk)]
    if (problem := title_problem(text, locale=desk.locale)) is not None:
        return [Reply(problem)]
    _remember(desk, "position", tidy(text))
    return [_card(desk)]


def _ask(desk: Desk) -> Prompt:
    _ = desk._
    ask = _(
        "Anh/chị trả lời tin nhắn này bằng chức vụ, ví dụ “Chuyên viên Phòng Văn hóa – Xã hội”:"
    )
    return Prompt(f"{ask}\n/profile chucvu", _("Chức vụ"))


def _remember(desk: Desk, field: str, value: str) -> None:
    person = desk.person
    before = getattr(person, field)
    setattr(person, field, value)
    desk.session.add(person)
    record_event(
        desk.session,
        actor=desk.actor,
        action="person.profile",
        entity="person",
        entity_key=str(person.telegram_id),
        before={field: before},
        after={field: value},
    )
