"""What the group reads of a vote: it is open, how many have voted, and the count (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from bot.domain.i18n import gettext_for
from bot.domain.tally import (
    ApprovalTally,
    Base,
    Stance,
    Tally,
    Threshold,
    VoteRules,
    describe_threshold,
    stance_label,
)
from bot.reports.display import percent_text

__all__ = ["announcement", "leader_line", "quorum_short", "tally_text"]


def announcement(
    title: str, *, secret: bool, eligible: int, voted: int, closed: bool, locale: str
) -> str:
    """The group's message about the vote, edited in place as units vote."""
    _ = gettext_for(locale)
    progress = _("Đã bỏ phiếu {voted}/{eligible} đơn vị.").format(voted=voted, eligible=eligible)
    if closed:
        head = _("🗳 Biểu quyết «{title}» đã kết thúc.").format(title=title)
        return f"{head}\n{progress}"
    kind = _("bỏ phiếu kín") if secret else _("biểu quyết công khai")
    lines = [
        _("🗳 Biểu quyết «{title}» đã mở ({kind}).").format(title=title, kind=kind),
        _(
            "{eligible} đơn vị có mặt được bỏ phiếu, mỗi đơn vị một phiếu; đầu mối của đơn vị "
            "nhận phiếu trong trò chuyện riêng với bot."
        ).format(eligible=eligible),
        progress,
    ]
    return "\n".join(lines)


def quorum_short(title: str, quorum: Threshold, *, present: int, members: int, locale: str) -> str:
    """Why the vote cannot open: "Có mặt 2/5 đơn vị, cần hơn một nửa"."""
    _ = gettext_for(locale)
    return _(
        "⚠️ Có mặt {present}/{members} đơn vị, cần {share} số đơn vị của cụm (ít nhất "
        "{needed}) để mở biểu quyết «{title}». Điểm danh thêm rồi mở lại."
    ).format(
        present=present,
        members=members,
        share=describe_threshold(quorum, locale),
        needed=quorum.needed(members),
        title=title,
    )


def leader_line(unit: str, role: str, year: int, locale: str) -> str:
    """`🎖 Phường Đăk Cấm là Cụm phó năm 2027.`"""
    _ = gettext_for(locale)
    return _("🎖 {unit} là {role} năm {year}.").format(unit=unit, role=role, year=year)


def _share(votes: int, base: int, locale: str) -> str:
    return percent_text(Decimal(votes) / base, locale) if base else "–"


def _conditions(
    rules: VoteRules, *, secret: bool, present: int, members: int, locale: str
) -> list[str]:
    _ = gettext_for(locale)
    size = present if rules.base is Base.PRESENT else members
    of = _("số đơn vị có mặt") if rules.base is Base.PRESENT else _("tổng số đơn vị của cụm")
    return [
        _("Hình thức: bỏ phiếu kín.") if secret else _("Hình thức: biểu quyết công khai."),
        _(
            "Có mặt {present}/{members} đơn vị (điều kiện tiến hành: có mặt {quorum} số đơn vị "
            "của cụm, đã đủ)."
        ).format(present=present, members=members, quorum=describe_threshold(rules.quorum, locale)),
        _("Tỷ lệ cần đạt: {threshold} {of} ({size}), tức ít nhất {needed} phiếu.").format(
            threshold=describe_threshold(rules.threshold, locale),
            of=of,
            size=size,
            needed=rules.threshold.needed(size),
        ),
    ]


def tally_text(
    title: str,
    tally: Tally | ApprovalTally,
    *,
    secret: bool,
    present: int,
    members: int,
    eligible: int,
    names: Mapping[str, str],
    receipts: Sequence[tuple[str, Sequence[str]]],
    by_unit: Sequence[tuple[str, Sequence[str]]],
    locale: str,
) -> str:
    """The count for the group: conditions, each option's votes and share, the outcome, and
    the receipts (secret) or each unit's choice (open)."""
    _ = gettext_for(locale)
    lines = [_("📊 Kết quả biểu quyết «{title}»").format(title=title)]
    lines += _conditions(
        tally.rules, secret=secret, present=present, members=members, locale=locale
    )
    lines.append(_turnout_line(tally, eligible, locale))
    lines.append("")
    if isinstance(tally, ApprovalTally):
        lines += _approval_lines(tally, locale)
    else:
        lines += _election_lines(tally, names, locale)
    label = _labeller(names, locale)
    if secret and receipts:
        lines += ["", _("Các phiếu (mã phiếu: lựa chọn):")]
        lines += [f"{receipt}: {_choices(choices, label, locale)}" for receipt, choices in receipts]
    if not secret and by_unit:
        lines += ["", _("Lựa chọn của từng đơn vị:")]
        lines += [f"{unit}: {_choices(choices, label, locale)}" for unit, choices in by_unit]
    return "\n".join(lines)


def _turnout_line(tally: Tally | ApprovalTally, eligible: int, locale: str) -> str:
    _ = gettext_for(locale)
    missing = eligible - tally.ballots
    if isinstance(tally, ApprovalTally):
        return _(
            "Đã bỏ phiếu {ballots}/{eligible} đơn vị; {missing} đơn vị không bỏ phiếu."
        ).format(ballots=tally.ballots, eligible=eligible, missing=missing)
    return _(
        "Đã bỏ phiếu {ballots}/{eligible} đơn vị; {abstained} phiếu không chọn ai; "
        "{missing} đơn vị không bỏ phiếu."
    ).format(ballots=tally.ballots, eligible=eligible, abstained=tally.abstentions, missing=missing)


def _approval_lines(tally: ApprovalTally, locale: str) -> list[str]:
    _ = gettext_for(locale)
    counts = (
        (Stance.FOR, tally.in_favour),
        (Stance.AGAINST, tally.against),
        (Stance.ABSTAIN, tally.abstaining),
    )
    lines = [
        _("{answer}: {votes} phiếu ({share})").format(
            answer=stance_label(stance, locale),
            votes=votes,
            share=_share(votes, tally.base, locale),
        )
        for stance, votes in counts
    ]
    lines.append(_("Kết quả: thông qua.") if tally.approved else _("Kết quả: không thông qua."))
    return lines


def _election_lines(tally: Tally, names: Mapping[str, str], locale: str) -> list[str]:
    _ = gettext_for(locale)
    elected, tied = set(tally.elected), set(tally.tied)
    lines = []
    for order, result in enumerate(tally.results, start=1):
        line = _("{order}. {unit}: {votes} phiếu ({share})").format(
            order=order,
            unit=names.get(result.candidate, result.candidate),
            votes=result.votes,
            share=_share(result.votes, tally.base, locale),
        )
        if result.candidate in elected:
            line += " ✅"
        elif result.candidate in tied:
            line += " ⚖️"
        lines.append(line)
    lines.append("")
    if tally.elected:
        chosen = ", ".join(names.get(code, code) for code in tally.elected)
        lines.append(_("Kết quả: {units}.").format(units=chosen))
    elif not tally.tied:
        lines.append(_("Kết quả: không đơn vị nào đạt tỷ lệ cần thiết."))
    if tally.tied:
        lines.append(
            _(
                "⚖️ Bằng phiếu ở vị trí cuối ({seats} ghế còn lại): {units}. Bot không phân "
                "định; đề nghị Hội nghị quyết định."
            ).format(
                seats=tally.undecided_seats,
                units=", ".join(names.get(code, code) for code in tally.tied),
            )
        )
    return lines


def _labeller(names: Mapping[str, str], locale: str) -> Mapping[str, str]:
    stances = {stance.value: stance_label(stance, locale) for stance in Stance}
    return {**names, **stances}


def _choices(choices: Sequence[str], label: Mapping[str, str], locale: str) -> str:
    _ = gettext_for(locale)
    return ", ".join(label.get(code, code) for code in choices) or _("không chọn ai")
