"""The demo's script: what each officer does in their scene, step by step."""

from __future__ import annotations

from collections.abc import Mapping

from bot.demo.officers import (
    AMBIGUOUS,
    AMBIGUOUS_STORED,
    AMBIGUOUS_TYPED,
    EXPLANATION,
    INVALID_FIXED,
    INVALID_TYPED,
    OFFICERS,
    REPORT_FILE,
    RESUMED_TYPED,
    REVISED_FIRST,
    REVISED_TYPED,
    UNUSUAL_TYPED,
    Player,
)

__all__ = [
    "ambiguous",
    "cancelled",
    "explained",
    "invalid",
    "join_all",
    "resumed",
    "revised",
    "scene_heading",
]


def _first_answers(player: Player, values: tuple[str, ...], first: int = 1) -> None:
    """Type answers to consecutive number questions, starting at question `first`."""
    for offset, value in enumerate(values):
        player.say(value, expect=f"Câu {first + offset + 1}/")


def _start(player: Player, values: tuple[str, ...]) -> None:
    """`/submit`, then the answers to the first questions."""
    player.say("/submit", expect="Câu 1/")
    _first_answers(player, values)


def _finish(
    player: Player, ratio: str, grade: str, *, highlight: str | None = None, report: bool = False
) -> None:
    """Questions 6 to 11 (ratio, yes/no, choice, two texts, a file), then confirm."""
    player.say(ratio, expect="Câu 7/")
    player.press("Có", expect="Câu 8/")
    player.press(grade, expect="Câu 9/")
    if highlight:
        player.say(highlight, expect="Câu 10/")
    else:
        player.press("Bỏ qua", expect="Câu 10/")
    player.press("Bỏ qua", expect="Câu 11/")
    if report:
        player.send_file(REPORT_FILE, expect="Xem lại số liệu")
    else:
        player.press("Bỏ qua", expect="Xem lại số liệu")
    player.press("Xác nhận nộp", expect="Đã nộp số liệu")


def join_all(
    players: Mapping[str, Player], invites: Mapping[str, str], units: Mapping[str, str]
) -> None:
    """Each officer opens their invite link (`/start <token>`), is greeted by unit and asked
    to confirm the full name that lists and papers will carry."""
    players[AMBIGUOUS.unit_code].recorder.heading("Năm đầu mối tham gia bằng đường dẫn mời")
    for officer in OFFICERS:
        token = invites[officer.unit_code]
        players[officer.unit_code].say(
            f"/start {token}",
            expect=units[officer.unit_code],
            shown=f"/start {token[:8]}…",
            replies=2,  # the greeting, then the question of the name
        )


def ambiguous(player: Player) -> None:
    """«1.250» can be 1250 or 1,25: the officer picks the reading from the buttons."""
    _start(player, ("580", "104,5", "7"))
    player.say(AMBIGUOUS_TYPED, expect="1,25")
    player.press(AMBIGUOUS_STORED, expect="Câu 5/")
    player.say("0,3", expect="Câu 6/")
    _finish(
        player, "47/53", "Tốt", highlight="Hoàn thành sớm 4 công trình trọng điểm.", report=True
    )


def invalid(player: Player) -> None:
    """An unreadable value is refused with the question asked again, then corrected."""
    _start(player, ("102,5", "101", "5"))
    player.say(INVALID_TYPED, expect="Câu 4/")
    player.say(INVALID_FIXED, expect="Câu 5/")
    player.say("0,7", expect="Câu 6/")
    _finish(player, "38/41", "Khá")


def cancelled(player: Player) -> None:
    """Five answers, then /cancel: the draft stays in the database."""
    _start(player, RESUMED_TYPED)
    player.say("/cancel", expect=f"{len(RESUMED_TYPED)} câu")


def resumed(player: Player) -> None:
    """After the restart: /submit offers the draft, «Tiếp tục» goes on at question 6."""
    player.say("/submit", expect=f"{len(RESUMED_TYPED)}/")
    player.press("Tiếp tục", expect="Câu 6/")
    _finish(player, "29/33", "Khá")


def revised(player: Player) -> None:
    """Submit, then /submit again: fix question 1 in the review and submit revision 2."""
    _start(player, (REVISED_FIRST, "97", "3", "310", "0,9"))
    _finish(player, "25/30", "Trung bình")
    player.say("/submit", expect="Xem lại số liệu")
    player.press("✏️ 1", expect="Câu 1/")
    player.say(REVISED_TYPED, expect="Xem lại số liệu")
    player.press("Xác nhận nộp", expect="Lần nộp: 2")


def explained(player: Player) -> None:
    """A figure far above the target is confirmed and explained (giải trình)."""
    player.say("/submit", expect="Câu 1/")
    player.say(UNUSUAL_TYPED, expect="⚠️")
    player.press("Đúng", expect="giải trình")
    player.say(EXPLANATION, expect="Câu 2/")
    _first_answers(player, ("106", "1", "210", "1,2"), first=2)
    _finish(player, "12/14", "Tốt")


def scene_heading(player: Player, units: Mapping[str, str], what: str) -> None:
    """A stage title: who, from which unit, does what."""
    officer = player.officer
    player.recorder.heading(f"{officer.name} ({units[officer.unit_code]}) {what}")
