"""The chair's daily digest: what came in, what is still missing, the next deadline (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.formatting import format_moment, format_time_left
from bot.domain.i18n import Translate, gettext_for
from bot.domain.replies import MESSAGE_LIMIT
from bot.domain.terms import cluster_terms

__all__ = ["ConferenceNews", "Digest", "PeriodNews", "digest_text"]

_LISTED = 10  # unusual figures listed one by one; more are counted


@dataclass(frozen=True)
class PeriodNews:
    """A period's news in the window, unit names already resolved."""

    name: str
    submitted: Sequence[tuple[str, int, bool]] = ()  # unit, revision, late
    returned: Sequence[tuple[str, str]] = ()  # unit, reason
    unusual: Sequence[tuple[str, str, str, str]] = ()  # unit, indicator, value, explanation
    missing: Sequence[str] = ()
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.submitted or self.returned)


@dataclass(frozen=True)
class ConferenceNews:
    """A conference's registrations in the window."""

    name: str
    registered: Sequence[tuple[str, int | None]] = ()  # unit, delegates (None: not attending)
    unanswered: Sequence[str] = ()
    total: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.registered)


@dataclass(frozen=True)
class Digest:
    """One cluster's digest for one window."""

    cluster: str
    cluster_kind: str
    timezone: str
    since: datetime
    until: datetime
    periods: Sequence[PeriodNews] = ()
    conferences: Sequence[ConferenceNews] = ()
    next_deadline: tuple[str, str, datetime] | None = None  # `period` or `rsvp`, name, when
    now: datetime | None = field(default=None, compare=False)

    @property
    def changed(self) -> bool:
        """Nothing came in: no digest is sent."""
        return any(p.changed for p in self.periods) or any(c.changed for c in self.conferences)


def digest_text(digest: Digest, locale: str) -> str:
    """The digest as one message (cut to what Telegram takes)."""
    _ = gettext_for(locale)
    terms = cluster_terms(digest.cluster_kind, locale).mid_sentence()
    lines = [
        _("📬 Tin tổng hợp hằng ngày – {cluster}").format(cluster=digest.cluster),
        _("Kính gửi đồng chí {chair}, {vice_chair}: tin từ {since} đến {until}.").format(
            chair=terms.chair,
            vice_chair=terms.vice_chair,
            since=format_moment(digest.since, digest.timezone, locale),
            until=format_moment(digest.until, digest.timezone, locale),
        ),
    ]
    for period in digest.periods:
        lines += ["", *_period_lines(_, period)]
    for conference in digest.conferences:
        lines += ["", *_conference_lines(_, conference)]
    if digest.next_deadline is not None:
        lines += ["", _deadline_line(_, digest, locale)]
    text = "\n".join(lines)
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _period_lines(_: Translate, news: PeriodNews) -> list[str]:
    lines = [_("📊 «{period}»").format(period=news.name)]
    first = [_submission(_, unit, revision, late) for unit, revision, late in news.submitted]
    if first:
        lines.append(_("Đã nộp: {units}.").format(units=", ".join(first)))
    for unit, reason in news.returned:
        lines.append(_("↩️ Đã trả lại {unit} để sửa: {reason}").format(unit=unit, reason=reason))
    if news.unusual:
        lines.append(_("⚠️ Số liệu bất thường và giải trình:"))
        for unit, indicator, value, explanation in news.unusual[:_LISTED]:
            said = explanation or _("(không giải trình)")
            lines.append(f"• {unit} – {indicator}: {value} – {said}")
        if len(news.unusual) > _LISTED:
            more = _("• … và {count} số liệu khác")
            lines.append(more.format(count=len(news.unusual) - _LISTED))
    lines.append(_missing(_, news.missing, news.total, _("Còn thiếu")))
    return lines


def _submission(_: Translate, unit: str, revision: int, late: bool) -> str:
    """`Xã Sa Thầy (lần 1)`, `(nộp lại, lần 2)` after a return, and whether it was late."""
    if revision == 1:
        text = _("{unit} (lần {revision})").format(unit=unit, revision=revision)
    else:
        text = _("{unit} (nộp lại, lần {revision})").format(unit=unit, revision=revision)
    return text + (" " + _("– nộp muộn") if late else "")


def _conference_lines(_: Translate, news: ConferenceNews) -> list[str]:
    lines = [_("🏛 «{conference}»").format(conference=news.name)]
    answers = [
        _("{unit} ({count} đại biểu)").format(unit=u, count=n)
        if n is not None
        else _("{unit} (không dự)").format(unit=u)
        for u, n in news.registered
    ]
    lines.append(_("Đã đăng ký: {units}.").format(units=", ".join(answers)) if answers else "")
    lines.append(_missing(_, news.unanswered, news.total, _("Chưa đăng ký")))
    return [line for line in lines if line]


def _missing(_: Translate, units: Sequence[str], total: int, label: str) -> str:
    if not units:
        return _("✅ Đủ {total}/{total} đơn vị.").format(total=total)
    return _("{label} {count}/{total} đơn vị: {units}.").format(
        label=label, count=len(units), total=total, units=", ".join(units)
    )


def _deadline_line(_: Translate, digest: Digest, locale: str) -> str:
    assert digest.next_deadline is not None
    kind, name, when = digest.next_deadline
    if kind == "period":
        what = _("hạn nộp số liệu «{name}»").format(name=name)
    else:
        what = _("hạn đăng ký đại biểu «{name}»").format(name=name)
    left = format_time_left(when - (digest.now or digest.until), locale)
    return _("⏭ Hạn gần nhất: {what}, {when} (còn {left}).").format(
        what=what, when=format_moment(when, digest.timezone, locale), left=left
    )
