"""Counting a vote: quorum, a threshold of a base, seats, ties and abstentions (exact, pure)."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from bot.domain.i18n import gettext_for

__all__ = [
    "APPROVAL_ANSWERS",
    "MORE_THAN_HALF",
    "ApprovalTally",
    "BallotProblem",
    "Base",
    "CandidateResult",
    "Stance",
    "Tally",
    "Threshold",
    "Turnout",
    "VoteRules",
    "ballot_problem",
    "count_approval",
    "count_votes",
    "describe_threshold",
    "parse_threshold",
    "quorum_met",
    "stance_label",
]

_NOTATION = re.compile(r"^\s*(>=|≥|>)\s*(\d{1,3})\s*/\s*(\d{1,3})\s*$")


@dataclass(frozen=True)
class Threshold:
    """`>1/2` (more than half) or `>=2/3` (at least two thirds) of some count."""

    numerator: int
    denominator: int
    inclusive: bool  # `>=` at least; `>` more than

    def met(self, count: int, of: int) -> bool:
        """Whether `count` out of `of` reaches the threshold, in integers (no rounding)."""
        left, right = count * self.denominator, self.numerator * of
        return left >= right if self.inclusive else left > right

    def needed(self, of: int) -> int:
        """The smallest count out of `of` that reaches the threshold."""
        whole, rest = divmod(self.numerator * of, self.denominator)
        if self.inclusive:
            return whole + (1 if rest else 0)
        return whole + 1

    @property
    def fraction(self) -> Fraction:
        return Fraction(self.numerator, self.denominator)

    def __str__(self) -> str:
        sign = ">=" if self.inclusive else ">"
        return f"{sign}{self.numerator}/{self.denominator}"


MORE_THAN_HALF = Threshold(1, 2, inclusive=False)


def parse_threshold(text: str) -> Threshold | None:
    """`">1/2"`, `">=2/3"`, `"≥ 3/4"` as a threshold; None when it is not one (0 ≤ a/b ≤ 1)."""
    match = _NOTATION.match(text) if isinstance(text, str) else None
    if match is None:
        return None
    numerator, denominator = int(match[2]), int(match[3])
    if denominator == 0 or numerator > denominator:
        return None
    return Threshold(numerator, denominator, inclusive=match[1] != ">")


def describe_threshold(threshold: Threshold, locale: str) -> str:
    """`hơn một nửa`, `ít nhất hai phần ba`, `hơn 3/5`: the threshold in words."""
    _ = gettext_for(locale)
    words = {
        (Fraction(1, 2), False): _("hơn một nửa"),
        (Fraction(1, 2), True): _("ít nhất một nửa"),
        (Fraction(2, 3), False): _("hơn hai phần ba"),
        (Fraction(2, 3), True): _("ít nhất hai phần ba"),
    }
    known = words.get((threshold.fraction, threshold.inclusive))
    if known is not None:
        return known
    share = f"{threshold.numerator}/{threshold.denominator}"
    if threshold.inclusive:
        return _("ít nhất {share}").format(share=share)
    return _("hơn {share}").format(share=share)


class Base(StrEnum):
    """What the threshold is a share of."""

    PRESENT = "present"  # the units present (the default)
    ALL = "all"  # all the cluster's units


@dataclass(frozen=True)
class Turnout:
    """How many units the cluster has and how many are present."""

    members: int
    present: int


@dataclass(frozen=True)
class VoteRules:
    """A vote's settings: seats, the threshold of which base, and the quorum."""

    seats: int = 1
    threshold: Threshold = MORE_THAN_HALF
    base: Base = Base.PRESENT
    quorum: Threshold = MORE_THAN_HALF

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise ValueError("a vote has at least one seat")

    def base_size(self, turnout: Turnout) -> int:
        """The count the threshold is taken of."""
        return turnout.present if self.base is Base.PRESENT else turnout.members


def quorum_met(quorum: Threshold, turnout: Turnout) -> bool:
    """Whether enough units are present to open a vote (of all the cluster's units)."""
    return turnout.present > 0 and quorum.met(turnout.present, turnout.members)


class BallotProblem(StrEnum):
    """Why a ballot cannot be counted; the conversation refuses it before it is cast."""

    TOO_MANY = "too-many"
    REPEATED = "repeated"
    UNKNOWN = "unknown"


def ballot_problem(
    rules: VoteRules, candidates: Sequence[str], choices: Sequence[str]
) -> BallotProblem | None:
    """What is wrong with a ballot's choices, or None; no choice at all is «Không chọn ai»."""
    if len(set(choices)) != len(choices):
        return BallotProblem.REPEATED
    if len(choices) > rules.seats:
        return BallotProblem.TOO_MANY
    if not set(choices) <= set(candidates):
        return BallotProblem.UNKNOWN
    return None


@dataclass(frozen=True)
class CandidateResult:
    """One candidate's votes and share of the base."""

    candidate: str
    votes: int
    share: Fraction
    meets_threshold: bool


@dataclass(frozen=True)
class Tally:
    """The result of an election among candidates."""

    rules: VoteRules
    results: tuple[CandidateResult, ...]  # by votes, equal votes in the candidates' order
    elected: tuple[str, ...]
    tied: tuple[str, ...]  # equal at the last seat: the vote did not decide between them
    ballots: int
    abstentions: int  # ballots with no choice («Không chọn ai»)
    base: int
    quorum_met: bool

    @property
    def undecided_seats(self) -> int:
        """Seats the tie leaves open (0 without a tie)."""
        return self.rules.seats - len(self.elected) if self.tied else 0


def count_votes(
    rules: VoteRules,
    candidates: Sequence[str],
    ballots: Sequence[Sequence[str]],
    turnout: Turnout,
) -> Tally:
    """Count ballots (each the candidates chosen); ValueError on a ballot breaking the rules."""
    for choices in ballots:
        problem = ballot_problem(rules, candidates, choices)
        if problem is not None:
            raise ValueError(f"ballot {list(choices)} cannot be counted: {problem}")
    counts = Counter(choice for choices in ballots for choice in choices)
    base = rules.base_size(turnout)
    results = tuple(
        sorted(
            (_result(rules, candidate, counts[candidate], base) for candidate in candidates),
            key=lambda result: -result.votes,
        )
    )
    elected, tied = _elected(results, rules.seats)
    return Tally(
        rules=rules,
        results=results,
        elected=elected,
        tied=tied,
        ballots=len(ballots),
        abstentions=sum(1 for choices in ballots if not choices),
        base=base,
        quorum_met=quorum_met(rules.quorum, turnout),
    )


def _result(rules: VoteRules, candidate: str, votes: int, base: int) -> CandidateResult:
    share = Fraction(votes, base) if base else Fraction(0)
    # No votes never elects, even where an empty base would "reach" an inclusive threshold.
    meets = votes > 0 and rules.threshold.met(votes, base)
    return CandidateResult(candidate, votes, share, meets)


def _elected(
    results: tuple[CandidateResult, ...], seats: int
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """At most `seats` qualified candidates in order of votes; a tie at the last seat stays."""
    qualified = [result for result in results if result.meets_threshold]
    if len(qualified) <= seats or qualified[seats].votes < qualified[seats - 1].votes:
        return tuple(r.candidate for r in qualified[:seats]), ()
    last = qualified[seats - 1].votes
    above = tuple(r.candidate for r in qualified if r.votes > last)
    tied = tuple(r.candidate for r in qualified if r.votes == last)
    return above, tied


class Stance(StrEnum):
    """The fixed answers of an approval vote."""

    FOR = "tan-thanh"
    AGAINST = "khong-tan-thanh"
    ABSTAIN = "khong-y-kien"


APPROVAL_ANSWERS = (Stance.FOR, Stance.AGAINST, Stance.ABSTAIN)


def stance_label(stance: Stance, locale: str) -> str:
    """Tán thành / Không tán thành / Không có ý kiến."""
    _ = gettext_for(locale)
    labels = {
        Stance.FOR: _("Tán thành"),
        Stance.AGAINST: _("Không tán thành"),
        Stance.ABSTAIN: _("Không có ý kiến"),
    }
    return labels[stance]


@dataclass(frozen=True)
class ApprovalTally:
    """The result of an approval: passed when «Tán thành» reaches the threshold of the base."""

    rules: VoteRules
    in_favour: int
    against: int
    abstaining: int
    base: int
    approved: bool
    quorum_met: bool

    @property
    def ballots(self) -> int:
        return self.in_favour + self.against + self.abstaining

    @property
    def share_in_favour(self) -> Fraction:
        return Fraction(self.in_favour, self.base) if self.base else Fraction(0)


def count_approval(rules: VoteRules, answers: Sequence[str], turnout: Turnout) -> ApprovalTally:
    """Count approval ballots, one answer each; raise ValueError on any other answer."""
    stances = [Stance(answer) for answer in answers]
    counts = Counter(stances)
    base = rules.base_size(turnout)
    in_favour = counts[Stance.FOR]
    return ApprovalTally(
        rules=rules,
        in_favour=in_favour,
        against=counts[Stance.AGAINST],
        abstaining=counts[Stance.ABSTAIN],
        base=base,
        approved=in_favour > 0 and rules.threshold.met(in_favour, base),
        quorum_met=quorum_met(rules.quorum, turnout),
    )
