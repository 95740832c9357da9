"""A conference's agenda: the templates per kind, and items typed in the chat as lines (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain.i18n import Translate, gettext_for
from bot.domain.terms import ClusterTerms, cluster_terms

__all__ = [
    "CONFERENCE_KINDS",
    "HANDOVER",
    "MAX_ITEMS",
    "MAX_TITLE",
    "VOTE",
    "AgendaItem",
    "AgendaParse",
    "agenda_template",
    "parse_agenda_lines",
    "parse_clock",
]

CONFERENCE_KINDS = ("so-ket", "tong-ket", "phat-dong", "other")
VOTE = "vote"  # the kind of an item the units vote on
HANDOVER = "handover"  # the item announcing next year's chair and vice-chair (/next posts it)
MAX_ITEMS = 30
MAX_TITLE = 300

_BULLET = re.compile(r"^(?:[-–—•*+]|\d{1,2}[.)])\s+")
_CLOCK = re.compile(r"^(\d{1,2})\s*(?:[:.]\s*(\d{2})|[hHgG]\s*(\d{2})?)(?=$|[\s:–—-])")
_AFTER_CLOCK = re.compile(r"^[\s:–—-]*")
# Items the units vote on, when typed in the chat (the set-up file says `kind: vote`).
_VOTE_WORDS = ("biểu quyết", "bình xét", "suy tôn", "bầu ")
_HANDOVER_WORDS = (
    "công bố cụm trưởng",
    "công bố khối trưởng",
    "ra mắt cụm trưởng",
    "ra mắt khối trưởng",
)


@dataclass(frozen=True)
class AgendaItem:
    """One item: its time on the day (`14:00`), title, presenting unit and kind."""

    title: str
    at: str | None = None
    by: str | None = None  # the presenting unit's code
    kind: str | None = None  # `vote`, `handover`, or None


def agenda_template(
    kind: str, *, year: int, cluster_kind: str = "cum", locale: str = "vi"
) -> tuple[AgendaItem, ...]:
    """The usual agenda of a conference of `kind` (sơ kết, tổng kết, phát động, other)."""
    _ = gettext_for(locale)
    terms = cluster_terms(cluster_kind, locale)
    opening = AgendaItem(_("Tuyên bố lý do, giới thiệu đại biểu"))
    discussion = AgendaItem(_("Các đơn vị thảo luận, trao đổi kinh nghiệm"))
    direction = AgendaItem(_("Phát biểu chỉ đạo của lãnh đạo tỉnh"))
    closing = AgendaItem(_("Bế mạc hội nghị"))
    middle = {
        "so-ket": _mid_year,
        "tong-ket": _year_end,
        "phat-dong": _launch,
    }.get(kind)
    if middle is None:
        return (opening, discussion, closing)
    report, after = middle(_, terms, year)
    return (opening, report, discussion, *after, direction, *_tasks(_, kind, year), closing)


def _mid_year(
    _: Translate, terms: ClusterTerms, year: int
) -> tuple[AgendaItem, tuple[AgendaItem, ...]]:
    report = _("Báo cáo sơ kết công tác thi đua 6 tháng đầu năm {year} của {cluster}")
    approval = AgendaItem(_("Biểu quyết thông qua báo cáo sơ kết"), kind=VOTE)
    return AgendaItem(report.format(year=year, cluster=terms.cluster)), (approval,)


def _year_end(
    _: Translate, terms: ClusterTerms, year: int
) -> tuple[AgendaItem, tuple[AgendaItem, ...]]:
    report = _("Báo cáo tổng kết công tác thi đua, khen thưởng năm {year} của {cluster}")
    leaders = _("Công bố {chair}, {vice_chair} năm {next_year}")
    return AgendaItem(report.format(year=year, cluster=terms.cluster)), (
        AgendaItem(_("Thông qua kết quả chấm điểm, xếp hạng thi đua năm {year}").format(year=year)),
        AgendaItem(_("Biểu quyết thông qua báo cáo tổng kết"), kind=VOTE),
        AgendaItem(_("Bình xét, suy tôn đơn vị dẫn đầu đề nghị tặng Cờ thi đua"), kind=VOTE),
        AgendaItem(
            leaders.format(chair=terms.chair, vice_chair=terms.vice_chair, next_year=year + 1),
            kind=HANDOVER,
        ),
        AgendaItem(_("Ký kết giao ước thi đua năm {year}").format(year=year + 1)),
    )


def _launch(
    _: Translate, terms: ClusterTerms, year: int
) -> tuple[AgendaItem, tuple[AgendaItem, ...]]:
    plan = _("Quán triệt kế hoạch phát động phong trào thi đua năm {year} của {cluster}")
    return AgendaItem(plan.format(year=year, cluster=terms.cluster)), (
        AgendaItem(_("Ký kết giao ước thi đua năm {year}").format(year=year)),
    )


def _tasks(_: Translate, kind: str, year: int) -> tuple[AgendaItem, ...]:
    if kind == "so-ket":
        return (AgendaItem(_("Triển khai nhiệm vụ 6 tháng cuối năm {year}").format(year=year)),)
    if kind == "tong-ket":
        return (AgendaItem(_("Triển khai nhiệm vụ năm {year}").format(year=year + 1)),)
    return ()


def parse_clock(text: str) -> str | None:
    """`14:00`, `14h`, `14h30`, `8.05` as `HH:MM`; None when it is not a time of day."""
    match = _CLOCK.match(text.strip())
    if match is None or match.end() != len(text.strip()):
        return None
    return _clock_of(match)


def _clock_of(match: re.Match[str]) -> str | None:
    hours, minutes = int(match[1]), int(match[2] or match[3] or 0)
    return f"{hours:02d}:{minutes:02d}" if hours < 24 and minutes < 60 else None


@dataclass(frozen=True)
class AgendaParse:
    """The items read from the lines, and a Vietnamese sentence per line that was not."""

    items: tuple[AgendaItem, ...]
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return bool(self.items) and not self.problems


def parse_agenda_lines(text: str, *, locale: str) -> AgendaParse:
    """Read `14:00 Tuyên bố lý do` lines (time optional, bullets allowed), one item each."""
    _ = gettext_for(locale)
    items: list[AgendaItem] = []
    problems: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        item, problem = _item(_, line, items[-1].at if items else None)
        if problem is not None:
            problems.append(_("Dòng {number}: {problem}").format(number=number, problem=problem))
        elif item is not None:
            items.append(item)
    if not items and not problems:
        problems.append(_("Chưa có mục nào: gửi mỗi mục một dòng, ví dụ «14:00 Tuyên bố lý do»."))
    if len(items) > MAX_ITEMS:
        problems.append(
            _("Chương trình có {count} mục, nhiều quá {limit} mục.").format(
                count=len(items), limit=MAX_ITEMS
            )
        )
    return AgendaParse(tuple(items), tuple(problems))


def _item(_: Translate, line: str, previous: str | None) -> tuple[AgendaItem | None, str | None]:
    """One line as an item, or the reason it is not one."""
    rest = _BULLET.sub("", line.strip(), count=1)
    at, match = None, _CLOCK.match(rest)
    if match is not None:
        at = _clock_of(match)
        if at is None:
            return None, _("giờ «{clock}» không có thật; viết như 14:00.").format(clock=match[0])
        rest = _AFTER_CLOCK.sub("", rest[match.end() :], count=1)
    title = " ".join(rest.split())
    if not title:
        return None, _("thiếu nội dung sau giờ {clock}.").format(clock=at)
    if not any(character.isalpha() for character in title):
        return None, _("nội dung «{title}» không có chữ nào.").format(title=title)
    if len(title) > MAX_TITLE:
        return None, _("nội dung dài {length} ký tự, tối đa {limit}.").format(
            length=len(title), limit=MAX_TITLE
        )
    if at is not None and previous is not None and at < previous:
        return None, _("giờ {clock} sớm hơn mục trước ({previous}).").format(
            clock=at, previous=previous
        )
    lowered = title.lower()
    kind = VOTE if lowered.startswith(_VOTE_WORDS) else None
    kind = HANDOVER if lowered.startswith(_HANDOVER_WORDS) else kind
    return AgendaItem(title, at=at, kind=kind), None
