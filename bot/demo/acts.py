"""What the officers do in the later acts: delegates for the conference, next year's targets,
the signature of the pledge."""

from __future__ import annotations

from bot.demo.officers import Player

__all__ = [
    "DELEGATES",
    "TARGETS",
    "register_delegates",
    "register_targets",
    "send_for_signing",
    "sign",
]

# Each unit's delegation to the mid-year conference, the head of delegation first.
DELEGATES = {
    "kon-tum": (
        ("Nguyễn Văn An", "Chủ tịch UBND thành phố"),
        ("Lê Văn Cường", "Chánh Văn phòng HĐND và UBND"),
    ),
    "sa-thay": (("Trần Thị Bình", "Phó Chủ tịch UBND xã"),),
}
# Next year's targets, above this year's results (below them where lower is better).
TARGETS = {
    "kon-tum": ("640", "106", "9", "1600", "0,2", "50/53"),
    "sa-thay": ("110", "103", "7", "450", "0,5", "40/41"),
    "dak-cam": ("62", "100", "4", "300", "0,6", "31/33"),
    "mo-rai": ("75", "99", "4", "330", "0,7", "28/30"),
    "ia-dal": ("140", "108", "2", "230", "1", "13/14"),
}


def register_delegates(player: Player) -> None:
    """`/rsvp`: the unit attends; the head of delegation and the others, review, confirm."""
    player.say("/rsvp", expect="có cử đoàn đại biểu tham dự không?")
    player.press("Có", expect="Đại biểu 1/")
    delegates = DELEGATES[player.officer.unit_code]
    for number, (name, title) in enumerate(delegates, start=2):
        player.say(name, expect="Chức vụ")
        player.say(title, expect=f"Đại biểu {number}/")
    player.press("Xong", expect="Xem lại đăng ký đại biểu")
    player.press("Xác nhận", expect="Đã đăng ký đại biểu")


def register_targets(player: Player) -> None:
    """`/targets`: one target for each indicator that takes one, review, register."""
    targets = TARGETS[player.officer.unit_code]
    player.say("/targets", expect="Câu 1/")
    for number, value in enumerate(targets[:-1], start=2):
        player.say(value, expect=f"Câu {number}/")
    player.say(targets[-1], expect="Xem lại")
    player.press("Xác nhận đăng ký", expect="Đã đăng ký")


def send_for_signing(player: Player) -> None:
    """The chair's `/pledge`: every unit has registered, so the pledge goes for signing."""
    player.say("/pledge", expect="Giao ước thi đua năm")
    player.press("Gửi giao ước để ký", expect="để 5 đơn vị ký")


def sign(player: Player) -> None:
    """«Ký giao ước» on the request, which showed the unit's targets: signed."""
    player.press("Ký giao ước", expect="Đã ký giao ước")
