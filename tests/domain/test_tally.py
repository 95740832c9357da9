"""Counting votes: thresholds at their edges on both bases, quorum, seats, ties, approvals."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.domain.tally import (
    MORE_THAN_HALF,
    BallotProblem,
    Base,
    Stance,
    Threshold,
    Turnout,
    VoteRules,
    ballot_problem,
    count_approval,
    count_votes,
    describe_threshold,
    parse_threshold,
    quorum_met,
    stance_label,
)

TWO_THIRDS = Threshold(2, 3, inclusive=True)
UNITS = ("a", "b", "c", "d", "e", "f")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (">1/2", Threshold(1, 2, inclusive=False)),
        (">=2/3", Threshold(2, 3, inclusive=True)),
        (">=1/2", Threshold(1, 2, inclusive=True)),
        (">2/3", Threshold(2, 3, inclusive=False)),
        (" >= 3 / 4 ", Threshold(3, 4, inclusive=True)),
        ("≥3/5", Threshold(3, 5, inclusive=True)),
        (">0/1", Threshold(0, 1, inclusive=False)),
        (">=1/1", Threshold(1, 1, inclusive=True)),
    ],
)
def test_thresholds_are_read_in_the_files_notation(text: str, expected: Threshold) -> None:
    assert parse_threshold(text) == expected


@pytest.mark.parametrize("text", ["1/2", ">1/0", ">3/2", "> half", ">=2/3/4", "", "<1/2", "=1/2"])
def test_anything_else_is_not_a_threshold(text: str) -> None:
    assert parse_threshold(text) is None


def test_a_threshold_prints_back_in_the_same_notation() -> None:
    assert [str(parse_threshold(t)) for t in (">1/2", ">= 2/3")] == [">1/2", ">=2/3"]


@pytest.mark.parametrize(
    ("threshold", "of", "needed"),
    [
        (MORE_THAN_HALF, 4, 3),  # exactly half (2 of 4) is not more than half
        (MORE_THAN_HALF, 5, 3),
        (Threshold(1, 2, inclusive=True), 4, 2),  # exactly half is at least half
        (TWO_THIRDS, 6, 4),  # exactly two thirds
        (TWO_THIRDS, 5, 4),  # 10/3 rounds up, never down
        (Threshold(2, 3, inclusive=False), 6, 5),
        (Threshold(2, 3, inclusive=False), 3, 3),
        (Threshold(3, 5, inclusive=False), 10, 7),
    ],
)
def test_the_count_needed_is_the_exact_edge(threshold: Threshold, of: int, needed: int) -> None:
    assert threshold.needed(of) == needed
    assert threshold.met(needed, of)
    assert not threshold.met(needed - 1, of)


@pytest.mark.parametrize(
    ("text", "vietnamese", "english"),
    [
        (">1/2", "hơn một nửa", "more than half"),
        (">=1/2", "ít nhất một nửa", "at least half"),
        (">=2/3", "ít nhất hai phần ba", "at least two thirds"),
        (">2/4", "hơn một nửa", "more than half"),
        (">3/5", "hơn 3/5", "more than 3/5"),
        (">=3/4", "ít nhất 3/4", "at least 3/4"),
    ],
)
def test_a_threshold_is_said_in_words_in_both_locales(
    text: str, vietnamese: str, english: str
) -> None:
    threshold = parse_threshold(text)
    assert threshold is not None
    assert describe_threshold(threshold, "vi") == vietnamese
    assert describe_threshold(threshold, "en") == english


@pytest.mark.parametrize(
    ("present", "members", "quorum", "met"),
    [
        (3, 5, MORE_THAN_HALF, True),
        (2, 5, MORE_THAN_HALF, False),
        (2, 4, MORE_THAN_HALF, False),  # exactly half is not a quorum of more than half
        (2, 4, Threshold(1, 2, inclusive=True), True),
        (4, 6, TWO_THIRDS, True),  # exactly two thirds
        (3, 6, TWO_THIRDS, False),
        (0, 5, Threshold(0, 1, inclusive=True), False),  # nobody present never opens a vote
    ],
)
def test_the_quorum_counts_units_present_against_all_the_clusters_units(
    present: int, members: int, quorum: Threshold, met: bool
) -> None:
    assert quorum_met(quorum, Turnout(members=members, present=present)) is met


def _votes(*ballots: str) -> list[tuple[str, ...]]:
    """`"ab"` is a ballot for a and b; `""` chooses nobody."""
    return [tuple(ballot) for ballot in ballots]


def test_exactly_half_of_the_units_present_is_not_more_than_half() -> None:
    tally = count_votes(VoteRules(), UNITS[:2], _votes("a", "a", "b", "b"), Turnout(5, 4))
    assert tally.base == 4
    assert [(r.candidate, r.votes, r.meets_threshold) for r in tally.results] == [
        ("a", 2, False),
        ("b", 2, False),
    ]
    assert tally.elected == ()
    assert tally.tied == ()


def test_more_than_half_of_those_present_elects_but_not_of_all_units() -> None:
    ballots = _votes("a", "a", "a", "b", "")
    present = count_votes(VoteRules(), UNITS[:2], ballots, Turnout(members=7, present=5))
    assert present.elected == ("a",)
    assert present.results[0].share == Fraction(3, 5)
    everyone = VoteRules(base=Base.ALL)
    of_all = count_votes(everyone, UNITS[:2], ballots, Turnout(members=7, present=5))
    assert of_all.base == 7
    assert of_all.results[0].share == Fraction(3, 7)
    assert of_all.elected == ()


def test_exactly_two_thirds_is_enough_for_at_least_two_thirds() -> None:
    rules = VoteRules(threshold=TWO_THIRDS)
    tally = count_votes(rules, UNITS[:2], _votes("a", "a", "a", "a", "b", "b"), Turnout(6, 6))
    assert tally.elected == ("a",)
    short = count_votes(rules, UNITS[:2], _votes("a", "a", "a", "b", "b", ""), Turnout(6, 6))
    assert short.elected == ()


def test_at_most_the_seats_are_elected_in_order_of_votes() -> None:
    rules = VoteRules(seats=2, threshold=Threshold(1, 2, inclusive=True))
    ballots = _votes("ab", "ab", "ac", "bc", "ac", "a")
    tally = count_votes(rules, UNITS[:3], ballots, Turnout(6, 6))
    assert [(r.candidate, r.votes) for r in tally.results] == [("a", 5), ("b", 3), ("c", 3)]
    assert tally.elected == ("a",)  # b and c tie for the second seat
    assert tally.tied == ("b", "c")
    assert tally.undecided_seats == 1


def test_a_tie_below_the_last_seat_does_not_matter() -> None:
    rules = VoteRules(seats=2, threshold=Threshold(1, 3, inclusive=True))
    ballots = _votes("ab", "ab", "ac", "bd", "cd", "a")
    tally = count_votes(rules, UNITS[:4], ballots, Turnout(6, 6))
    assert [r.votes for r in tally.results] == [4, 3, 2, 2]
    assert tally.elected == ("a", "b")
    assert tally.tied == ()


def test_a_tie_for_the_only_seat_is_reported_never_broken() -> None:
    rules = VoteRules(threshold=Threshold(1, 2, inclusive=True))
    tally = count_votes(rules, UNITS[:3], _votes("b", "a", "b", "a"), Turnout(4, 4))
    assert tally.elected == ()
    assert tally.tied == ("a", "b")  # in the candidates' order, which may be the ranking


def test_a_candidate_below_the_threshold_is_not_elected_even_with_a_free_seat() -> None:
    rules = VoteRules(seats=2)
    tally = count_votes(rules, UNITS[:3], _votes("ab", "ac", "a", "c", "a"), Turnout(5, 5))
    assert tally.elected == ("a",)
    assert tally.tied == ()


def test_abstentions_count_as_ballots_but_for_no_one() -> None:
    tally = count_votes(VoteRules(), UNITS[:2], _votes("a", "", "", "a"), Turnout(5, 5))
    assert (tally.ballots, tally.abstentions) == (4, 2)
    assert tally.elected == ()  # 2 of 5 present


def test_no_votes_elect_no_one_even_at_an_empty_base() -> None:
    rules = VoteRules(threshold=Threshold(0, 1, inclusive=True))
    tally = count_votes(rules, UNITS[:2], [], Turnout(5, 0))
    assert tally.elected == ()
    assert tally.results[0].share == 0
    assert not tally.quorum_met


def test_the_tally_says_whether_the_quorum_was_met() -> None:
    assert count_votes(VoteRules(), UNITS[:2], _votes("a"), Turnout(5, 3)).quorum_met
    assert not count_votes(VoteRules(), UNITS[:2], _votes("a"), Turnout(6, 3)).quorum_met


@pytest.mark.parametrize(
    ("choices", "problem"),
    [
        (("a",), None),
        ((), None),
        (("a", "b"), BallotProblem.TOO_MANY),
        (("a", "a"), BallotProblem.REPEATED),
        (("z",), BallotProblem.UNKNOWN),
    ],
)
def test_a_ballot_that_breaks_the_rules_is_named(
    choices: tuple[str, ...], problem: BallotProblem | None
) -> None:
    assert ballot_problem(VoteRules(), UNITS[:3], choices) == problem


def test_counting_refuses_a_ballot_that_breaks_the_rules() -> None:
    with pytest.raises(ValueError, match="cannot be counted"):
        count_votes(VoteRules(), UNITS[:3], _votes("ab"), Turnout(5, 5))


def test_a_vote_needs_at_least_one_seat() -> None:
    with pytest.raises(ValueError, match="seat"):
        VoteRules(seats=0)


def test_an_approval_passes_when_those_in_favour_are_more_than_half_of_those_present() -> None:
    answers = ["tan-thanh", "tan-thanh", "tan-thanh", "khong-tan-thanh", "khong-y-kien"]
    tally = count_approval(VoteRules(), answers, Turnout(members=5, present=5))
    assert (tally.in_favour, tally.against, tally.abstaining, tally.ballots) == (3, 1, 1, 5)
    assert tally.share_in_favour == Fraction(3, 5)
    assert tally.approved


def test_an_approval_at_exactly_half_fails_and_abstaining_is_not_in_favour() -> None:
    answers = ["tan-thanh", "tan-thanh", "khong-y-kien", "khong-y-kien"]
    assert not count_approval(VoteRules(), answers, Turnout(members=4, present=4)).approved
    at_least = VoteRules(threshold=Threshold(1, 2, inclusive=True))
    assert count_approval(at_least, answers, Turnout(members=4, present=4)).approved


def test_an_approval_on_all_units_counts_the_absent_against_the_threshold() -> None:
    answers = ["tan-thanh"] * 3
    rules = VoteRules(base=Base.ALL, threshold=TWO_THIRDS)
    tally = count_approval(rules, answers, Turnout(members=5, present=3))
    assert tally.base == 5
    assert not tally.approved  # 3 of 5 is less than two thirds


def test_an_approval_refuses_any_other_answer() -> None:
    with pytest.raises(ValueError):
        count_approval(VoteRules(), ["co"], Turnout(5, 5))


def test_approval_answers_have_their_words_in_both_locales() -> None:
    assert [stance_label(s, "vi") for s in Stance] == [
        "Tán thành",
        "Không tán thành",
        "Không có ý kiến",
    ]
    assert stance_label(Stance.AGAINST, "en") == "Against"
