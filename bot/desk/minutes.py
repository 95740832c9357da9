"""`/minutes`: a conference's biên bản from what the bot holds; the chair names who chaired
and who took the minutes (`/minutes chutri <tên>`, `/minutes thuky <tên>`, or by buttons)."""

from __future__ import annotations

import re

from bot.desk.papers import Paper, conference_token, pick_paper_conference
from bot.desk.request import Request
from bot.desk.scope import Desk
from bot.domain.callbacks import encode
from bot.domain.replies import Button, Reply
from bot.edge.send import Item, Prompt
from bot.edge.turn import Ask
from bot.reports.conference_papers import minutes_draft
from bot.storage.conference_minutes import MinutesRole, name_for_minutes
from bot.storage.conference_tables import Conference

__all__ = ["ROLE_WORDS", "minutes"]

ROLE_WORDS = {"chutri": MinutesRole.CHAIR, "thuky": MinutesRole.SECRETARY}
CLEAR = "-"  # `/minutes thuky -` leaves the line blank again
_LONGEST = 300  # the column's length
_SPACES = re.compile(r"\s+")


def minutes(desk: Desk, request: Request) -> list[Item | Paper]:
    """`/minutes [conference] [chutri|thuky <họ tên, chức vụ>]`: the minutes, or a name."""
    words = request.words
    at = 0 if words and words[0].lower() in ROLE_WORDS else 1  # the role word's place
    if at == 0 and len(words) > 1:
        _which_one(desk, request)
    conference = pick_paper_conference(desk, Request(request.command, words[:at]), 0, [])
    word = request.word(at)
    if word is None:
        return _paper(desk, conference)
    role = ROLE_WORDS.get(word.lower())
    if role is None:
        raise Ask([Reply(_usage(desk, conference))])
    text = _SPACES.sub(" ", request.rest(at + 1)).strip()
    if not text:
        return [_prompt(desk, conference, word.lower())]
    return _named(desk, conference, role, text)


def _which_one(desk: Desk, request: Request) -> None:
    """A name typed without the conference, when it is not the only one: asked again with the
    code rather than written to a guessed conference."""
    try:
        pick_paper_conference(desk, Request(request.command), 0, [])
    except Ask as ask:
        hint = desk._("Tên chưa được ghi: anh/chị gõ kèm mã hội nghị, ví dụ “{example}”.")
        example = f"/minutes 2026-h1-hn {request.tail}"
        raise Ask([Reply(hint.format(example=example)), *ask.items]) from None


def _paper(desk: Desk, conference: Conference) -> list[Item | Paper]:
    """The minutes, then who they name and the buttons to name them."""
    _ = desk._
    name, content = minutes_draft(desk.session, conference=conference, locale=desk.locale)
    what = _("Biên bản {conference}").format(conference=conference.name)
    blank = _("(chưa ghi, để trống)")
    lines = [
        _("Chủ trì: {who}").format(who=conference.chaired_by or blank),
        _("Thư ký: {who}").format(who=conference.minutes_by or blank),
        _("Bấm nút để ghi tên, hoặc gõ “/minutes chutri Họ tên, chức vụ”."),
    ]
    token = conference_token(conference)
    buttons = (
        (Button(_("✍️ Ghi người chủ trì"), encode("c", "minutes", token, "chutri")),),
        (Button(_("✍️ Ghi thư ký"), encode("c", "minutes", token, "thuky")),),
    )
    return [Paper(name, content, what, desk.locale), Reply("\n".join(lines), buttons)]


def _prompt(desk: Desk, conference: Conference, word: str) -> Prompt:
    """Asked by replying: the last line is the command the reply completes."""
    _ = desk._
    if ROLE_WORDS[word] is MinutesRole.CHAIR:
        question = _("Anh/chị trả lời tin nhắn này bằng họ tên và chức vụ người chủ trì {name}")
    else:
        question = _("Anh/chị trả lời tin nhắn này bằng họ tên và chức vụ thư ký {name}")
    example = _("Ví dụ: Nguyễn Văn An, Chủ tịch UBND xã")
    command = f"/minutes {conference_token(conference)} {word}"
    text = f"{question.format(name=conference.name)}.\n{example}\n\n{command}"
    return Prompt(text, placeholder=example)


def _named(desk: Desk, conference: Conference, role: MinutesRole, text: str) -> list[Item | Paper]:
    _ = desk._
    if len(text) > _LONGEST:
        raise Ask([Reply(_("Tên và chức vụ dài quá {count} ký tự.").format(count=_LONGEST))])
    stored = None if text == CLEAR else text
    name_for_minutes(desk.session, conference=conference, role=role, text=stored, actor=desk.actor)
    who = _("người chủ trì") if role is MinutesRole.CHAIR else _("thư ký")
    if stored is None:
        done = _("Đã xóa tên {who}: biên bản để trống dòng này.").format(who=who)
    else:
        done = _("✅ Đã ghi {who}: {name}.").format(who=who, name=stored)
    again = Button(_("📄 Lấy biên bản"), encode("c", "minutes", conference_token(conference)))
    return [Reply(done, ((again,),))]


def _usage(desk: Desk, conference: Conference) -> str:
    return desk._(
        "Sau mã hội nghị, gõ “chutri” (người chủ trì) hoặc “thuky” (thư ký) rồi họ tên, chức vụ, "
        "ví dụ: /minutes {code} thuky Trần Thị Bình, Chuyên viên."
    ).format(code=conference.code)
