"""Who has submitted in a period, per cluster, as lines for the command line."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from bot.domain.formatting import format_moment
from bot.domain.i18n import gettext_for
from bot.storage.models import Cluster, Period
from bot.storage.progress import LATE, MISSING, RETURNED, SUBMITTED, UnitProgress

__all__ = ["status_lines"]


def status_lines(
    period: Period, clusters: Sequence[tuple[Cluster, Sequence[UnitProgress]]], *, locale: str
) -> list[str]:
    """The period, then per cluster its counts and each unit's state, revision and time."""
    _ = gettext_for(locale)
    lines = [
        _("Kỳ báo cáo: {name} ({code})").format(name=period.name, code=period.code),
        _("Hạn nộp: {deadline}").format(
            deadline=format_moment(period.deadline_at, period.timezone, locale)
        ),
    ]
    for cluster, units in clusters:
        lines += ["", *_cluster_lines(period, cluster, units, locale)]
    if not clusters:
        lines += ["", _("Kỳ này chưa có cụm nào.")]
    return lines


def _cluster_lines(
    period: Period, cluster: Cluster, units: Sequence[UnitProgress], locale: str
) -> list[str]:
    _ = gettext_for(locale)
    counts = Counter(unit.state for unit in units)
    lines = [
        f"{cluster.name} ({cluster.code})",
        _(
            "Đã nộp {submitted} · nộp muộn {late} · bị trả lại {returned} · "
            "chưa nộp {missing} (trên {total} đơn vị)"
        ).format(
            submitted=counts[SUBMITTED],
            late=counts[LATE],
            returned=counts[RETURNED],
            missing=counts[MISSING],
            total=len(units),
        ),
    ]
    code_width = max((len(unit.code) for unit in units), default=0)
    name_width = max((len(unit.name) for unit in units), default=0)
    for unit in units:
        state = _state(period, unit, locale)
        lines.append(f"  {unit.code.ljust(code_width)}  {unit.name.ljust(name_width)}  {state}")
    return lines


def _state(period: Period, unit: UnitProgress, locale: str) -> str:
    _ = gettext_for(locale)
    if unit.state == MISSING:
        if unit.answered:
            return _("chưa nộp (bản nháp {answered}/{total} câu)").format(
                answered=unit.answered, total=unit.total
            )
        return _("chưa nộp")
    words = {
        SUBMITTED: _("đã nộp"),
        LATE: _("nộp muộn"),
        RETURNED: _("bị trả lại, chờ nộp lại"),
    }[unit.state]
    if unit.submitted_at is None:
        return words
    moment = format_moment(unit.submitted_at, period.timezone, locale)
    return _("{state} (lần {revision}, {moment})").format(
        state=words, revision=unit.revision, moment=moment
    )
