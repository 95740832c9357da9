"""The submission buttons' actions: the strings on the wire, the handler's pattern, 64 bytes."""

from __future__ import annotations

import re

import pytest

from bot.domain.callbacks import decode
from bot.flow.actions import Action
from bot.flow.states import Pending

# As they were sent before the enum: buttons already in people's chats carry these.
WIRE = {
    "UNIT": "u",
    "PERIOD": "p",
    "CONTINUE": "dc",
    "RESTART": "dr",
    "ANSWER": "a",
    "BACK": "b",
    "READING": "am",
    "KEEP_UNUSUAL": "oc",
    "RETYPE_UNUSUAL": "ox",
    "EDIT": "e",
    "SUBMIT": "ok",
}
BIGGEST_ID = 2**63 - 1  # a BIGINT primary key at its largest


def test_every_action_keeps_the_string_older_buttons_carry() -> None:
    assert {action.name: action.value for action in Action} == WIRE


def test_pending_steps_keep_the_strings_stored_in_drafts() -> None:
    assert [step.value for step in Pending] == ["ambiguous", "confirm", "explain", "reask"]


@pytest.mark.parametrize("action", list(Action))
def test_the_handler_pattern_matches_every_action_with_or_without_arguments(
    action: Action,
) -> None:
    assert re.match(Action.pattern(), f"{action}:12:34")
    assert re.match(Action.pattern(), str(action))


@pytest.mark.parametrize("data", ["c:revoke:1", "lang:vi", "okay:1", "ux", "", "x:u"])
def test_the_handler_pattern_leaves_other_buttons_to_their_handlers(data: str) -> None:
    assert re.match(Action.pattern(), data) is None


def test_a_button_decodes_to_its_action_and_arguments() -> None:
    button = Action.READING.button("1.234", 7, 12, 1)
    assert button.data == "am:7:12:1"
    callback = decode(button.data)
    assert (callback.action, callback.int_arg(0), callback.int_arg(2)) == (Action.READING, 7, 1)


def test_the_longest_data_a_submission_sends_fits_in_64_bytes() -> None:
    fingerprint = "0123abcd"  # blake2b, 4 bytes, in hex
    longest = [
        Action.READING.button("x", BIGGEST_ID, BIGGEST_ID, 99),
        Action.ANSWER.button("x", BIGGEST_ID, BIGGEST_ID, "s"),
        Action.PERIOD.button("x", BIGGEST_ID, BIGGEST_ID),
        Action.SUBMIT.button("x", BIGGEST_ID, fingerprint),
    ]
    assert max(len((button.data or "").encode()) for button in longest) <= 64


def test_data_over_64_bytes_is_refused_where_it_is_made() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Action.SUBMIT.button("✅", BIGGEST_ID, "f" * 50)
